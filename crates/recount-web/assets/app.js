// recount's only script: progressive enhancement. Every page works without it.
// Review page: keys s, d and u press the "same", "different" and "unsure" buttons.
document.addEventListener("keydown", function (event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  var target = event.target;
  if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT")) return;
  var button = document.querySelector('button[data-key="' + event.key.toLowerCase() + '"]');
  if (button) {
    event.preventDefault();
    button.click();
  }
});
