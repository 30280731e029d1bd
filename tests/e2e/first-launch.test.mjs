// First launch, as a new user meets the window: no workspace yet, a welcome that says what
// Shipdeck does with one button to open a folder, the screens that need a workspace disabled;
// a folder given in the path bar opens; the next start reopens it; and once that folder is
// gone, the next start is the welcome again, not an error.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { Session } from "./webdriver.mjs";
import { artifacts, driver, sample, withFakes } from "./setup.mjs";

const { tmp, ws } = sample("first-launch");
// A data folder of its own: no recent workspace from the other tests.
const launcher = withFakes(tmp, { SHIPDECK_DATA_DIR: path.join(tmp, "fresh-data") });

let s;
after(async () => {
  if (s) await s.end().catch(() => {});
});
const start = async () => {
  if (s) await s.end().catch(() => {});
  s = await Session.start(driver, launcher, []);
};
const shown = (css) => s.script("const e = document.querySelector(arguments[0]); return !!e && !e.closest('[hidden]') && e.getClientRects().length > 0;", [css]);

test("the first start welcomes, a folder opens from the path bar, the next start reopens it", async () => {
  await start();
  await s.until("the welcome", () => shown('[data-testid="welcome"]'));
  assert.match(await s.text(await s.find('[data-testid="welcome"]')), /Can you ship right now\?[\s\S]*changes nothing/);
  assert.ok(await shown('[data-testid="welcome-open"]'), "one button to open a folder");
  for (const tab of ["release", "signing", "project", "settings", "cloudkit"]) {
    assert.equal(await s.attribute(await s.find(`[data-testid="tab-${tab}"]`), "disabled"), "true", `${tab} needs a workspace`);
  }
  assert.equal(await s.attribute(await s.find('[data-testid="check-again"]'), "disabled"), "true");
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, "first-launch.png"), await s.screenshot());

  await s.type(await s.find('[data-testid="path-input"]'), ws);
  await s.keys("\uE007");
  await s.until("the report", async () => /Ready|blocker|warning/.test(await s.text(await s.find('[data-testid="verdict-title"]'))));
  assert.equal(await shown('[data-testid="welcome"]'), false);
  assert.equal(await s.attribute(await s.find('[data-testid="tab-release"]'), "disabled"), null);
  assert.equal(await s.script("return document.querySelector('[data-testid=\"path-input\"]').value"), "", "the path bar is cleared once the folder is open");

  // The next start shows it again.
  await start();
  await s.until("the workspace reopened", async () => (await s.clippedText('[data-testid="workspace-name"]')) === "Isometry");
  assert.equal(await shown('[data-testid="welcome"]'), false);

  // Gone since: the welcome, no error.
  fs.rmSync(ws, { recursive: true, force: true });
  await start();
  await s.until("the welcome again", () => shown('[data-testid="welcome"]'));
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(await shown('[data-testid="error"]'), false, "no error for a folder that is gone");

  // A folder with no Xcode project: its blocker on the dashboard, and nothing to run on the
  // Release screen (no dry-run of nothing, no confirmation of nothing).
  const empty = fs.mkdtempSync(path.join(tmp, "no-project-"));
  fs.writeFileSync(path.join(empty, "README.md"), "not an app\n");
  await s.type(await s.find('[data-testid="path-input"]'), empty);
  await s.keys("\uE007");
  await s.until("the blocker", async () => /Not ready/.test(await s.text(await s.find('[data-testid="verdict-title"]'))));
  await s.click(await s.find('[data-testid="tab-release"]'));
  await s.until("nothing to release", () => shown('[data-testid="release-nothing"]'));
  assert.equal(await s.attribute(await s.find('[data-testid="release-dry-run"]'), "disabled"), "true");
  assert.equal(await s.attribute(await s.find('[data-testid="release-real"]'), "disabled"), "true");
  assert.equal(await s.attribute(await s.find('[data-testid="release-bump"]'), "disabled"), "true");
  fs.writeFileSync(path.join(artifacts, "release-nothing.png"), await s.screenshot());
  // Build settings: said, not an error about a "macos target" (its platform list was fixed).
  await s.click(await s.find('[data-testid="tab-settings"]'));
  await s.until("no settings to show", async () => /^No app target here/.test(await s.text(await s.find("#settings-lede"))));
  assert.equal(await shown('[data-testid="error"]'), false, "no error banner");
  assert.equal((await s.findAll('[data-testid="settings-platform"] option')).length, 0);
  assert.equal(await shown('[data-testid="settings-platform"]'), false, "no empty platform menu");
  assert.equal(await shown('[data-testid="settings-table"]'), false, "no empty table");
  await s.click(await s.find('[data-testid="tab-project"]'));
  await s.until("no project to show", async () => /^No Xcode project here/.test(await s.text(await s.find('[data-testid="project-none"]'))));

  // A project XcodeGen makes and that is not generated yet (Dispatch): the Release and Build
  // settings screens say what to run, not "no app target".
  fs.writeFileSync(path.join(empty, "project.yml"), "name: App\ntargets:\n  App:\n    type: application\n    platform: iOS\n");
  await s.click(await s.find('[data-testid="check-again"]'));
  await s.until("the generator's blocker", async () => (await s.findAll('[data-testid="finding"][data-id="workspace.project.generated"]')).length === 1);
  await s.click(await s.find('[data-testid="tab-release"]'));
  await s.until("what to run", async () => /^Nothing to release yet\. No Xcode project yet: project\.yml describes it.*xcodegen generate/.test(await s.text(await s.find('[data-testid="release-nothing"]'))));
  await s.click(await s.find('[data-testid="tab-settings"]'));
  await s.until("what to run, again", async () => /^No settings to show yet\. No Xcode project yet/.test(await s.text(await s.find("#settings-lede"))));
  await s.click(await s.find('[data-testid="tab-project"]'));
  await s.until("what to run, on the Project screen", async () => /^No configurations to show yet\. No Xcode project yet/.test(await s.text(await s.find('[data-testid="project-none"]'))));
});
