// A run in progress, in the real window: the running step counts its seconds, shows the last
// lines the tool printed, and Cancel ends it: the tool's processes are gone, the bar is the
// colour of a cancel (not of success), and once nothing runs the window stops ticking.
// The archive of a dry-run that archives never ends here (FAKE_XCODEBUILD_HANG=1).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { Session } from "./webdriver.mjs";
import { artifacts, driver, sample, withFakes } from "./setup.mjs";

const { tmp, ws } = sample("progress", { demo: true });
fs.appendFileSync(path.join(ws, "shipdeck.toml"), '\n[[acknowledge]]\nid = "signing.identity.ambiguous"\nreason = "the demo set has twins on purpose"\n');
const pids = path.join(tmp, "pids");
const launcher = withFakes(tmp, { FAKE_XCODEBUILD_HANG: 1, FAKE_XCODEBUILD_LINES: 40, FAKE_PIDS_FILE: pids });

let s;
before(async () => {
  s = await Session.start(driver, launcher, [ws]);
});
after(async () => {
  if (s) await s.end().catch(() => {});
});

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test("a running step counts its seconds and shows its last lines; Cancel ends it and the ticking", async () => {
  await s.until("the dashboard", async () => (await s.findAll('[data-testid="finding"]')).length > 0);
  await s.click(await s.find('[data-testid="tab-release"]'));
  await s.until("the release screen", async () => (await s.findAll('[data-testid="release-dry-run"]')).length > 0);
  await s.click(await s.find('[data-testid="release-archive"]'));
  await s.click(await s.find('[data-testid="release-dry-run"]'));

  const archive = '[data-testid="release-step"][data-step="ios.archive"]';
  await s.until("the archive running", async () => (await s.attribute(await s.find(archive), "data-state")) === "running", 60000);
  const elapsed = async () => Number((await s.text(await s.find(`${archive} [data-testid="step-elapsed"]`))).match(/^(\d+) s…$/)?.[1] ?? NaN);
  const first = await elapsed();
  assert.ok(first >= 0, `the running step says how long it has run: ${first}`);
  await s.until("the seconds counting up", async () => (await elapsed()) >= first + 2, 15000);
  // The newest lines in view, though the tool went quiet after them (it hangs).
  const tail = () => s.script(`return document.querySelector('${archive} [data-testid="step-live-tail"]').textContent`);
  await s.until("the tool's last lines", async () => /Generated39\.swift[^\n]*$/.test(await tail()), 15000);
  assert.match(await tail(), /^CompileSwift .*Generated36\.swift/, "the last four lines");
  assert.match(await s.text(await s.find('[data-testid="release-status"]')), /^Running: Archive IsometryiOS \(Production\) — CompileSwift \(44 lines\)$/, "the status line counts every line");
  assert.equal(await s.attribute(await s.find('[data-testid="release-progress"]'), "data-state"), "running");
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, "progress-running.png"), await s.screenshot());

  const [shell, sleeper] = fs.readFileSync(pids, "utf8").trim().split(/\s+/).map(Number);
  assert.ok(alive(shell) && alive(sleeper), "the archive is running");
  await s.click(await s.find('[data-testid="release-cancel"]'));
  await s.until("the run cancelled", async () => (await s.attribute(await s.find('[data-testid="release-progress"]'), "data-state")) === "cancelled", 30000);
  await s.until("the tool's processes gone", async () => !alive(shell) && !alive(sleeper), 15000);
  assert.match(await s.text(await s.find('[data-testid="release-status"]')), /Cancelled/);
  // Where it stopped; the steps after it did not run, so the bar is not full.
  assert.match(await s.text(await s.find('[data-testid="release-progress-label"]')), /^Cancelled after 2 of 11 steps, during “Archive IsometryiOS \(Production\)”$/);
  assert.equal(await s.script('return document.querySelector(\'[data-testid="release-progress"]\').style.width'), "18%");
  assert.equal((await s.findAll('[data-testid="step-elapsed"]')).length, 0, "no step is said to be running");
  fs.writeFileSync(path.join(artifacts, "progress-cancelled.png"), await s.screenshot());

  // Nothing runs: nothing in the window wakes up to tick (no timer set, no look for a running
  // step's clock: the ticker ran every second before, forever).
  const wakeups = await s.script(`return new Promise((done) => {
    const [realTimeout, realAll] = [window.setTimeout, document.querySelectorAll];
    let n = 0;
    window.setTimeout = (...a) => { n++; return realTimeout(...a); };
    document.querySelectorAll = function (sel) { if (/step-elapsed/.test(sel)) n++; return realAll.call(this, sel); };
    realTimeout(() => { window.setTimeout = realTimeout; document.querySelectorAll = realAll; done(n); }, 2500);
  });`);
  assert.equal(wakeups, 0, "the window ticks only while a step runs");
});
