// The real app window, driven through tauri-driver: open the sample workspace, see its
// findings on the dashboard, open a broken copy, see the blocker; screenshots saved.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Session } from "./webdriver.mjs";

const repo = path.resolve(import.meta.dirname, "../..");
const artifacts = path.join(repo, "tests/e2e/artifacts");
const tmp = process.env.SHIPDECK_E2E_TMP || fs.mkdtempSync("/tmp/shipdeck-e2e-");
const bin = process.env.SHIPDECK_BIN;
const app = process.env.SHIPDECK_APP_BIN;
const driver = process.env.SHIPDECK_WEBDRIVER || "http://127.0.0.1:4444";

function copySample(name) {
  const dest = path.join(tmp, name);
  fs.cpSync(path.join(repo, "examples/isometry"), dest, { recursive: true });
  fs.rmSync(path.join(dest, ".shipdeck"), { recursive: true, force: true });
  return dest;
}

function cliReport(ws) {
  try {
    return JSON.parse(execFileSync(bin, ["check", "--json", "--workspace", ws], { encoding: "utf8" }));
  } catch (e) {
    // Exit 1 means blockers: the report is still on stdout.
    return JSON.parse(e.stdout);
  }
}

const n = (count, one) => `${count} ${one}${count === 1 ? "" : "s"}`;
const summaryLine = (s) => `${s.ok} passed, ${n(s.warnings, "warning")}, ${n(s.blockers, "blocker")}`;

let session;
const good = copySample("isometry");
const broken = copySample("isometry-broken");
fs.rmSync(path.join(broken, "native/IsometrymacOS/IsometrymacOS.xcodeproj"), { recursive: true });

async function shot(name) {
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, `${name}.png`), await session.screenshot());
}

before(async () => {
  assert.ok(bin && app, "SHIPDECK_BIN and SHIPDECK_APP_BIN must name the built binaries (scripts/e2e.sh sets them)");
  session = await Session.start(driver, app, [good]);
});

after(async () => {
  if (session) await session.end().catch(() => {});
});

test("the dashboard shows the sample workspace's findings", async () => {
  const expected = cliReport(good);
  const summary = await session.find('[data-testid="summary"]');
  // The report's summary, not the "Checking…" line the window shows until the check ends.
  // (Read in one script: the state and the text must be of the same moment.)
  const text = await session.until("the summary", async () =>
    session.script(`const v = document.querySelector('[data-testid="verdict"]'); return /\\b(ok|warning|blocker)\\b/.test(v.className) ? arguments[0].textContent : null;`, [{ "element-6066-11e4-a52e-4f735466cecf": summary }]),
  );
  assert.equal(text, summaryLine(expected.summary));
  assert.equal(await session.clippedText('[data-testid="workspace-name"]'), "Isometry");

  // One row per cause (the engine's groups: one warning for every platform is one row), each
  // area listing what needs attention first, then the checks that passed, folded away under
  // "N passed" when anything else is there; areas keep the CLI's order.
  const rows = await session.findAll('[data-testid="finding"]');
  assert.equal(rows.length, expected.groups.length);
  assert.ok(expected.groups.length < expected.findings.length, "some causes are said of more than one subject");
  const causes = expected.groups.map((g) => g.map((i) => expected.findings[i]));
  const areaOf = (g) => g[0].id.split(".")[0];
  const areas = [...new Set(causes.map(areaOf))];
  const look = (g) => g[0].severity !== "ok" || g[0].acknowledged;
  const order = areas.flatMap((a) => [...causes.filter((g) => areaOf(g) === a && look(g)), ...causes.filter((g) => areaOf(g) === a && !look(g))]);
  const ids = await Promise.all(rows.map((f) => session.attribute(f, "data-id")));
  assert.deepEqual(ids, order.map((g) => g[0].id));
  const counts = await Promise.all(rows.map((f) => session.attribute(f, "data-count")));
  assert.deepEqual(counts.map(Number), order.map((g) => g.length));
  assert.ok(ids.includes("workspace.project.found"));
  // The build number not compared with App Store Connect: one row naming both targets.
  const unverified = await session.findAll('[data-testid="finding"][data-id="release.build-number.unverified"]');
  assert.equal(unverified.length, 1);
  assert.match(await session.text(unverified[0]), /iOS target IsometryiOS, macOS target IsometrymacOS/);
  for (const a of areas) {
    const own = causes.filter((g) => areaOf(g) === a);
    const passed = own.filter((g) => !look(g)).length;
    const folded = await session.findAll(`[data-testid="area"][data-area="${a}"] [data-testid="passed"]`);
    assert.equal(folded.length, passed > 0 && passed < own.length ? 1 : 0, `area ${a}`);
    if (folded.length) assert.equal(await session.attribute(folded[0], "open"), null, `area ${a}'s passed checks start folded`);
  }

  const title = await session.text(await session.find('[data-testid="verdict-title"]'));
  assert.ok(expected.summary.blockers === 0 && !title.startsWith("Not ready"), title);
  await shot("dashboard");
});

test("opening a broken copy shows its blocker", async () => {
  const expected = cliReport(broken);
  assert.ok(expected.summary.blockers > 0);
  await session.type(await session.find('[data-testid="path-input"]'), broken);
  await session.click(await session.find('[data-testid="path-open"]'));
  const verdict = await session.find('[data-testid="verdict-title"]');
  const title = await session.until("the blocker verdict", async () => {
    const t = await session.text(verdict);
    return t.startsWith("Not ready") ? t : null;
  });
  assert.equal(title, `Not ready: ${expected.summary.blockers} blocker${expected.summary.blockers === 1 ? "" : "s"}`);
  const missing = await session.findAll('[data-testid="finding"][data-id="workspace.project.missing"]');
  assert.equal(missing.length, 1);
  assert.match(await session.text(missing[0]), /IsometrymacOS\.xcodeproj/);
  await shot("broken");
});

test("an unreadable folder shows the error instead of swallowing it", async () => {
  const nowhere = path.join(tmp, "no-such-workspace");
  await session.type(await session.find('[data-testid="path-input"]'), nowhere);
  await session.click(await session.find('[data-testid="path-open"]'));
  const box = await session.find('[data-testid="error"]');
  const message = await session.until("the error banner", async () => {
    const t = await session.text(await session.find('[data-testid="error-message"]'));
    return t.includes("no-such-workspace") ? t : null;
  });
  assert.match(message, /no such file or folder/);
  // Said in words; the code is kept for a bug report.
  const code = await session.find('[data-testid="error-code"]');
  assert.equal(await session.text(code), "Could not read or write:");
  assert.equal(await session.attribute(code, "data-code"), "io");
  assert.equal(await session.attribute(box, "hidden"), null);
  await shot("error");
});

test("recent workspaces list what was opened, newest first", async () => {
  await session.click(await session.find('[data-testid="recent-button"]'));
  const items = await session.findAll('[data-testid="recent-menu"] button[role="menuitem"]');
  const titles = await Promise.all(items.map((i) => session.attribute(i, "title")));
  assert.deepEqual(titles.slice(0, 2), [fs.realpathSync(broken), fs.realpathSync(good)]);
  await shot("recent");
  // The keyboard: the first workspace has the focus, the arrows move (and wrap), Escape closes
  // the menu and gives the focus back to the button.
  const focused = () => session.script("return document.activeElement.getAttribute('title') || document.activeElement.dataset.testid;");
  assert.equal(await focused(), titles[0]);
  await session.keys("\uE015"); // ArrowDown
  assert.equal(await focused(), titles[1]);
  await session.keys("\uE013"); // ArrowUp
  await session.keys("\uE013");
  assert.equal(await focused(), titles[titles.length - 1], "ArrowUp from the first wraps to the last");
  await session.keys("\uE00C"); // Escape
  assert.equal(await session.attribute(await session.find('[data-testid="recent-menu"]'), "hidden"), "true");
  assert.equal(await focused(), "recent-button");
});
