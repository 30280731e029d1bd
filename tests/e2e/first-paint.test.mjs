// The window paints at once and fills in when the checks finish: with a keychain that takes
// seconds to answer (the fake `security`, three calls of 2 s), the window shows the workspace
// and "Checking…" while the check runs, then the report.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { Session } from "./webdriver.mjs";
import { artifacts, driver, sample, useSources, withFakes } from "./setup.mjs";

const { tmp, ws } = sample("first-paint");
useSources(ws, ["security"]);
fs.writeFileSync(path.join(tmp, "sleep"), "2");
const launcher = withFakes(tmp, { FAKE_SECURITY_SLEEP_FILE: path.join(tmp, "sleep") });

let s;
let started;
before(async () => {
  started = Date.now();
  s = await Session.start(driver, launcher, [ws]);
});
after(async () => {
  if (s) await s.end().catch(() => {});
});

test("the workspace and 'Checking…' show before the check ends, then the report", async () => {
  const title = await s.find('[data-testid="verdict-title"]');
  const checking = await s.until("the checking state", async () => ((await s.text(title)) === "Checking isometry…" ? Date.now() : null), 20000);
  assert.equal(await s.clippedText('[data-testid="workspace-name"]'), "isometry");
  assert.equal((await s.findAll('[data-testid="finding"]')).length, 0, "no finding yet: the check is still running");
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, "first-paint-checking.png"), await s.screenshot());
  await s.until("the report", async () => (await s.findAll('[data-testid="finding"]')).length > 0, 60000);
  const reported = Date.now();
  assert.match(await s.text(title), /^(Ready|Not ready)/);
  assert.equal(await s.clippedText('[data-testid="workspace-name"]'), "Isometry", "the name from the report");
  // The check took the keychain's seconds; the window was there well before.
  assert.ok(reported - checking >= 2000, `checking shown ${reported - checking} ms before the report (started ${checking - started} ms after launch)`);
});
