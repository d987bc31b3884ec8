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

async function startServer() {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(bin, ["--db", db, "serve", "--listen", `127.0.0.1:${port}`], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  server.logLines = [];
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("the server did not start in 20 s")), 20000);
    server.stderr.setEncoding("utf8");
    server.stderr.on("data", (chunk) => {
      server.logLines.push(...chunk.split("\n").filter(Boolean));
      if (chunk.includes("listening on")) {
        clearTimeout(timer);
        ok();
      }
    });
    server.once("exit", (code) => fail(new Error(`the server exited with ${code}`)));
  });
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

async function page(locale = "en-GB") {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  const p = await context.newPage();
  // Any request to another origin would be a leak of the sources' safety: fail the test.
  p.on("request", (r) => assert.ok(r.url().startsWith(base), `request to another origin: ${r.url()}`));
  return p;
}

async function login(p, name) {
  await p.goto(`${base}/login`);
  await p.fill("#username", name);
  await p.fill("#password", PASSWORD);
  await Promise.all([p.waitForNavigation(), p.click("button[type=submit]")]);
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
  const actions = await p.$$eval("td code", (cs) => cs.map((c) => c.textContent));
  assert.ok(actions.includes("import") && actions.includes("login"), actions.join(","));
  await shot(p, "audit");
  await p.context().close();
});

test("the server log names routes, never names or queries", async () => {
  const log = server.logLines.join("\n");
  assert.match(log, /GET \/records 200/);
  assert.ok(!/Бекболот|Asanov|q=/.test(log), "no personal data in the log");
});
