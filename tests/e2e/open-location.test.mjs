// A finding's or a setting's file:line opens in the user's editor (Xcode at the line on a Mac
// through `xed -l`; here the desktop's application through `xdg-open`, a recording fake), and
// only files of the open workspace are opened.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { Session } from "./webdriver.mjs";
import { driver, sample, withFakes } from "./setup.mjs";

const { tmp, ws } = sample("open-location");
const calls = path.join(tmp, "calls.log");
const called = () => (fs.existsSync(calls) ? fs.readFileSync(calls, "utf8") : "");
const launcher = withFakes(tmp, { SHIPDECK_FAKE_LOG: calls });

let s;
before(async () => {
  s = await Session.start(driver, launcher, [ws]);
});
after(async () => {
  if (s) await s.end().catch(() => {});
});

test("a file:line opens in the editor; a file outside the workspace does not", async () => {
  const link = await s.until("a location on the dashboard", async () => (await s.findAll('[data-testid="finding"][data-id="release.build-number.unverified"] [data-testid="open-location"]'))[0]);
  assert.equal(await s.text(link), "native/Configurations/Production.xcconfig:42");
  await s.click(link);
  await s.until("the editor asked", async () => called().includes("xdg-open"));
  assert.equal(called().trim(), `xdg-open ${fs.realpathSync(ws)}/native/Configurations/Production.xcconfig`);

  // The build settings' origins open the same way.
  await s.click(await s.find('[data-testid="tab-settings"]'));
  await s.type(await s.find('[data-testid="settings-filter"]'), "MARKETING_VERSION");
  const origin = await s.until("the setting's origin", async () => (await s.findAll('[data-testid="setting-row"][data-name="MARKETING_VERSION"] [data-testid="open-location"]'))[0]);
  fs.writeFileSync(calls, "");
  await s.click(origin);
  await s.until("the editor asked again", async () => called().includes("xdg-open"));
  assert.match(called(), /^xdg-open .*\/native\/Configurations\/Production\.xcconfig$/m);

  // The window cannot make it open anything else.
  const refused = await s.script(`return window.__TAURI__.core.invoke("open_location", { path: arguments[0], file: "/etc/passwd", line: 1 }).then(() => "opened", (e) => e.code);`, [ws]);
  assert.equal(refused, "outside");
  assert.doesNotMatch(called(), /passwd/);
});
