// Browser tests of the documentation desk: the real `recount serve` on a free loopback port over
// a temp database, driven through Debian's Chromium by playwright-core.
//
// Environment: RECOUNT_BIN (the recount binary; default: target/debug/recount from the repo
// root), CHROMIUM (default /usr/bin/chromium), RECOUNT_SCREENSHOTS (a folder to save the main
// pages' screenshots into; unset: none are taken).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../..");
const bin = process.env.RECOUNT_BIN || join(repo, "target/debug/recount");
const shots = process.env.RECOUNT_SCREENSHOTS || "";
const PASSWORD = "correct horse battery staple";

let dir, db, server, base, browser;

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

function recount(args, extraEnv = {}) {
  return execFileSync(bin, ["--db", db, ...args], {
    env: { ...process.env, ...extraEnv },
    encoding: "utf8",
  });
}

// Starts `recount serve` over `dbPath` on a free port; resolves to { base, server } once it
// listens.
async function startDesk(dbPath) {
  const port = await freePort();
  const deskBase = `http://127.0.0.1:${port}`;
  const proc = spawn(bin, ["--db", dbPath, "serve", "--listen", `127.0.0.1:${port}`], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  proc.logLines = [];
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("the server did not start in 20 s")), 20000);
    proc.stderr.setEncoding("utf8");
    proc.stderr.on("data", (chunk) => {
      proc.logLines.push(...chunk.split("\n").filter(Boolean));
      if (chunk.includes("listening on")) {
        clearTimeout(timer);
        ok();
      }
    });
    proc.once("exit", (code) => fail(new Error(`the server exited with ${code}`)));
  });
  return { base: deskBase, server: proc };
}

async function startServer() {
  ({ base, server } = await startDesk(db));
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "recount-e2e-"));
  db = join(dir, "project.sqlite");
  recount(["init"]);
  for (const [name, role] of [["aida", "admin"], ["boris", "analyst"], ["vera", "viewer"]]) {
    recount(["user", "add", name, "--role", role], { RECOUNT_PASSWORD: PASSWORD });
  }
  await startServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
    ],
  });
  if (shots) mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill("SIGINT");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function page(locale = "en-GB", origin = base) {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  const p = await context.newPage();
  // Any request to another origin would be a leak of the sources' safety: fail the test.
  p.on("request", (r) => assert.ok(r.url().startsWith(origin), `request to another origin: ${r.url()}`));
  return p;
}

async function login(p, name, origin = base) {
  await p.goto(`${origin}/login`);
  await p.fill("#username", name);
  await p.fill("#password", PASSWORD);
  await Promise.all([p.waitForNavigation(), p.click("button[type=submit]")]);
}

// Uploads a CSV on /import, checks that it is clean and imports it.
async function importCsv(p, origin, name, text, expected) {
  await p.goto(`${origin}/import`);
  await p.setInputFiles("#file", csvFile(name, text));
  await Promise.all([p.waitForNavigation(), p.click("form.stack button[type=submit]")]);
  assert.equal(await p.$("table.problems"), null, `${name} has no problems`);
  await Promise.all([p.waitForNavigation(), p.click("form[action='/import/confirm'] button")]);
  assert.match(await p.textContent("#import-result"), expected);
}

// Every record the JSON API lists, as { [record id]: person id or null }, following its pages.
async function personsOfRecords(p, origin) {
  const out = {};
  let after = "";
  for (;;) {
    const r = await p.request.get(`${origin}/api/records?after=${encodeURIComponent(after)}`);
    assert.equal(r.status(), 200);
    const body = await r.json();
    for (const rec of body.records) out[rec.id] = rec.person;
    if (!body.next) return out;
    after = body.next;
  }
}

async function shot(p, name) {
  if (shots) await p.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

function csvFile(name, text) {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const BAD = `source,record_id,name,event,event_date,age,place,informant,quote
hotline,1,Асанов Бекболат,exit_refused,2022-09-25,57,Верхний Ларс,self,"Сказали, что я в списке мобилизации"
hotline,2,Bekbolot Asanov,exit_refused,2022-13-01,old,Upper Lars,relative,
hotline,3,Иванов Пётр Сергеевич,summoned,2022-10,58,Ош,witness,
`;
const GOOD = BAD.replace("2022-13-01,old", "2022-10-01,55-60");

test("a wrong password is refused, the right one logs in", async () => {
  const p = await page();
  await p.goto(`${base}/records`);
  assert.match(p.url(), /\/login$/);
  await p.fill("#username", "boris");
  await p.fill("#password", "not the password");
  await p.click("button[type=submit]");
  await p.waitForSelector("p.notice.bad");
  assert.match(await p.textContent("p.notice.bad"), /wrong/);
  await shot(p, "login");
  await login(p, "boris");
  assert.match(p.url(), /\/records$/);
  assert.match(await p.textContent("header"), /boris/);
  await p.context().close();
});

test("an import with errors imports nothing; the fixed file imports", async () => {
  const p = await page();
  await login(p, "boris");
  await p.goto(`${base}/import`);
  await p.setInputFiles("#file", csvFile("hotline.csv", BAD));
  await Promise.all([p.waitForNavigation(), p.click("form.stack button[type=submit]")]);
  const rows = await p.$$eval("table.problems tbody tr", (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].slice(0, 2).map((td) => td.textContent)));
  assert.deepEqual(rows, [["3", "event_date"], ["3", "age"]]);
  assert.equal(await p.$("form[action='/import/confirm']"), null, "no way to import a file with problems");
  await shot(p, "import-problems");

  await p.setInputFiles("#file", csvFile("hotline.csv", GOOD));
  await Promise.all([p.waitForNavigation(), p.click("form.stack button[type=submit]")]);
  assert.match(await p.textContent("#import-result"), /The file is clean: 3 records/);
  await shot(p, "import-preview");
  await Promise.all([p.waitForNavigation(), p.click("form[action='/import/confirm'] button")]);
  assert.match(await p.textContent("#import-result"), /Imported 3 records/);
  await p.context().close();
});

test("a name in Cyrillic finds its Latin spelling", async () => {
  const p = await page();
  await login(p, "boris");
  await p.goto(`${base}/records`);
  await p.fill("input[name=q]", "Бекболот");
  await Promise.all([p.waitForNavigation(), p.click("form.filters button")]);
  const names = await p.$$eval("td.name", (tds) => tds.map((td) => td.textContent).sort());
  assert.deepEqual(names, ["Bekbolot Asanov", "Асанов Бекболат"]);
  await shot(p, "records-search");
  await p.context().close();
});

test("a viewer sees the estimates and never a name", async () => {
  const p = await page();
  await login(p, "vera");
  assert.match(p.url(), /\/estimates$/);
  const nav = await p.$$eval("header nav a", (as) => as.map((a) => a.getAttribute("href")));
  assert.deepEqual(nav, ["/estimates"]);
  for (const path of ["/records", "/persons/1", "/review", "/exports/records.csv"]) {
    const response = await p.goto(`${base}${path}`);
    assert.equal(response.status(), 403, path);
    const text = await p.textContent("body");
    assert.ok(!/Асанов|Asanov|Иванов/.test(text), `${path} shows no name`);
  }
  const api = await p.goto(`${base}/api/records?q=Asanov`);
  assert.equal(api.status(), 403);
  await p.goto(`${base}/estimates`);
  assert.ok(!/Асанов|Asanov|Иванов/.test(await p.textContent("body")));
  await p.context().close();
});

test("the Russian interface, from the browser's language and from the switch", async () => {
  const p = await page("ru-RU");
  await p.goto(`${base}/login`);
  assert.equal(await p.getAttribute("html", "lang"), "ru");
  assert.equal(await p.textContent("h1"), "Вход");
  await login(p, "aida");
  assert.match(await p.textContent("header nav"), /Записи.*Проверка.*Оценки/s);
  await p.goto(`${base}/import`);
  assert.equal(await p.textContent("h1"), "Импорт записей");
  await p.goto(`${base}/records`);
  await shot(p, "records-ru");
  await p.click("span.langs a[lang=en]");
  await p.waitForURL(`${base}/records`);
  assert.equal(await p.textContent("h1"), "Records");
  await p.context().close();
});

test("the start, sources, estimates and audit pages render", async () => {
  const p = await page();
  await login(p, "aida");
  await p.goto(`${base}/sources`);
  assert.match(await p.textContent("table"), /hotline/);
  await shot(p, "sources");
  await p.goto(`${base}/estimates`);
  await shot(p, "estimates");
  await p.goto(`${base}/audit`);
  const actions = await p.$$eval("#audit td[data-action]", (tds) => tds.map((td) => td.dataset.action));
  assert.ok(actions.includes("import") && actions.includes("login"), actions.join(","));
  await shot(p, "audit");
  await p.context().close();
});

// The lawyers' collective heard of a Bekbolat Asanov at Upper Lars in September, without his age:
// linkage is unsure which of the hotline's two records (if either) he is, and queues both pairs.
const LAWYERS = `source,record_id,name,birth_date,event,event_date,place,informant
lawyers,L-1,Asanov Bekbolat,,exit_refused,2022-09,Upper Lars,relative
lawyers,L-2,Садыков Нурлан,1970-01-20,summoned,2022-10-03,Ош,self
`;

test("linking, then a review decision changes a person", async () => {
  const p = await page();
  await login(p, "boris");
  await importCsv(p, base, "lawyers.csv", LAWYERS, /Imported 2 records/);
  await p.goto(`${base}/review`);
  await Promise.all([p.waitForNavigation(), p.click("form[action='/review/link'] button")]);
  assert.match(await p.textContent("#linked"), /Linkage ran: \d+ persons/);
  const a = Number(await p.getAttribute("form.decisions input[name=a]", "value"));
  const b = Number(await p.getAttribute("form.decisions input[name=b]", "value"));
  await shot(p, "review");
  const before = await personsOfRecords(p, base);
  const wasTogether = before[a] !== null && before[a] === before[b];
  // Decide against what linkage thought, so that the persons must change: by the keyboard
  // shortcut (s or d), which our one script turns into the button's press.
  const decision = wasTogether ? "different" : "same";
  await Promise.all([p.waitForNavigation(), p.keyboard.press(decision[0])]);
  assert.match(await p.textContent("p.notice.good"), /Decision saved/);
  const after = await personsOfRecords(p, base);
  if (decision === "same") {
    assert.ok(after[a] !== null && after[a] === after[b], `records ${a} and ${b} are one person now`);
    // The person's page shows both records side by side, with the reviewer's decision.
    await p.goto(`${base}/persons/${after[a]}`);
    const columns = await p.$$eval("table.side-by-side tr:first-child td", (tds) => tds.length);
    assert.ok(columns >= 2, `${columns} records side by side`);
    assert.match(await p.textContent("table.links"), /Same person/);
    await shot(p, "person");
  } else {
    assert.notEqual(after[a], after[b], `records ${a} and ${b} are two persons now`);
  }
  await p.context().close();
});

// Ten people; the hotline heard of seven, the lawyers of seven, four of them both.
const PEOPLE = [
  ["Асанов Бекболат", "1966-03-02"], ["Иванов Пётр", "1965-07-11"], ["Садыков Нурлан", "1970-01-20"],
  ["Маматов Тимур", "1968-05-05"], ["Токтогулов Азамат", "1964-12-12"], ["Осмонов Эрлан", "1969-09-09"],
  ["Жумабаев Марат", "1967-02-14"], ["Касымов Бакыт", "1963-04-04"], ["Ибраимов Султан", "1966-08-08"],
  ["Усенов Аскар", "1962-10-10"],
];
function listOf(source, people) {
  const rows = people.map(([name, born], i) =>
    `${source},${source}-${i + 1},${name},${born},exit_refused,2022-09-${String(20 + (i % 9)).padStart(2, "0")},Верхний Ларс,self`);
  return `source,record_id,name,birth_date,event,event_date,place,informant\n${rows.join("\n")}\n`;
}

test("from an empty database to an estimate, in Russian", async () => {
  // A project of its own: a new database, one analyst, its own server.
  const fresh = join(dir, "fresh.sqlite");
  execFileSync(bin, ["--db", fresh, "init"]);
  execFileSync(bin, ["--db", fresh, "user", "add", "olga", "--role", "analyst"], {
    env: { ...process.env, RECOUNT_PASSWORD: PASSWORD },
  });
  const desk = await startDesk(fresh);
  try {
    const p = await page("ru-RU", desk.base);
    await login(p, "olga", desk.base);
    await p.goto(`${desk.base}/estimates`);
    assert.ok(await p.$("#no-estimates"), "no estimate yet");
    // A file with errors: each at its row and column, worded in Russian.
    await p.goto(`${desk.base}/import`);
    await p.setInputFiles("#file", csvFile("hotline.csv", BAD));
    await Promise.all([p.waitForNavigation(), p.click("form.stack button[type=submit]")]);
    const problems = await p.$$eval("table.problems tbody tr", (trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
    assert.deepEqual(problems.map((r) => r.slice(0, 2)), [["3", "event_date"], ["3", "age"]]);
    assert.equal(problems[0][3], "Дата не распознана.");
    assert.match(problems[0][4], /^ГГГГ, ГГГГ-ММ или ГГГГ-ММ-ДД/);
    assert.equal(problems[1][3], "Это не возраст в целых годах (от 0 до 130).");
    await importCsv(p, desk.base, "hotline.csv", listOf("hotline", PEOPLE.slice(0, 7)), /Импортировано записей: 7/);
    await importCsv(p, desk.base, "lawyers.csv", listOf("lawyers", PEOPLE.slice(3)), /Импортировано записей: 7/);
    await p.goto(`${desk.base}/review`);
    await Promise.all([p.waitForNavigation(), p.click("form[action='/review/link'] button")]);
    assert.match(await p.textContent("#linked"), /лиц — 10/);
    await p.goto(`${desk.base}/estimates`);
    await p.selectOption("select[name=event]", "exit_refused");
    await p.selectOption("select[name=method]", "loglinear");
    // The event is offered in Russian; its value stays the vocabulary's term.
    assert.equal(await p.textContent("select[name=event] option[value=exit_refused]"), "не выпустили из страны");
    await Promise.all([p.waitForNavigation(), p.click("form[action='/estimates/run'] button")]);
    const row = await p.$$eval("table#estimates tbody tr:first-child td", (tds) => tds.map((td) => td.textContent));
    // Documented: ten people. Two lists that meet in four people: the independence model's
    // estimate is Lincoln-Petersen's 7 × 7 / 4 = 12.25.
    assert.equal(row[0], "все");
    assert.equal(row[1], "10");
    assert.equal(row[2], "12");
    assert.match(row[3], /^\d+–\d+$/);
    assert.equal(await p.textContent("h1"), "Оценки");
    // The chart's legend names both marks, in Russian: the documented bar and the estimate
    // with its interval.
    assert.ok(await p.$("svg.chart"), "the chart is drawn");
    assert.equal(await p.textContent("svg.chart text.legend-documented"), "записано");
    assert.equal(await p.textContent("svg.chart text.legend-estimated"), "оценка с 95% интервалом");
    assert.match(await p.textContent("#run-summary"), /логлинейная модель \(BIC\) · событие: не выпустили из страны/);
    // The model's warning, in Russian: with 3 people on the hotline only and 3 with the
    // lawyers only, the profile interval's lower bound is the number documented.
    const warnings = await p.textContent("table#estimates tbody tr:first-child td.warn");
    assert.equal(warnings, "нижняя граница интервала равна числу записанных");
    // The command line gives the same figures on the same database.
    const cli = JSON.parse(execFileSync(bin, ["--db", fresh, "estimate", "--event", "exit_refused", "--method", "loglinear", "--json"], { encoding: "utf8" }));
    const e = cli.strata[0].result.estimate;
    assert.equal(cli.strata[0].observed, 10);
    assert.equal(row[2], e.median.toFixed(0));
    assert.equal(row[3], `${e.lower.toFixed(0)}–${e.upper.toFixed(0)}`);
    await shot(p, "estimates-ru");
    await p.context().close();
  } finally {
    desk.server.kill("SIGINT");
  }
});

test("the server log names routes, never names or queries", async () => {
  const log = server.logLines.join("\n");
  assert.match(log, /GET \/records 200/);
  assert.ok(!/Бекболот|Asanov|q=/.test(log), "no personal data in the log");
});
