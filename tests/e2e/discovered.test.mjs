// A repository opened for the first time, with no shipdeck.toml: what Shipdeck read is written
// down from the dashboard ("Write shipdeck.toml…"), previewed as a new file, and undone by
// removing it again.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { Session } from "./webdriver.mjs";
import { artifacts, driver, sample } from "./setup.mjs";

const { ws } = sample("discovered");
fs.rmSync(path.join(ws, "shipdeck.toml"));
const toml = path.join(ws, "shipdeck.toml");

let s;
before(async () => {
  s = await Session.start(driver, process.env.SHIPDECK_APP_BIN, [ws]);
});
after(async () => {
  if (s) await s.end().catch(() => {});
});

const visible = async (css) => {
  const el = await s.find(css);
  return (await s.script("const e = arguments[0]; return !e.closest('[hidden]') && e.getClientRects().length > 0;", [{ "element-6066-11e4-a52e-4f735466cecf": el }])) ? el : null;
};
const discovered = '[data-testid="finding"][data-id="workspace.config.discovered"]';

test("what Shipdeck read is written to shipdeck.toml from the dashboard, and undone", async () => {
  const fix = await s.until("the button", async () => (await s.findAll(`${discovered} [data-testid="fix-button"]`))[0]);
  assert.equal(await s.text(fix), "Write shipdeck.toml…");
  await s.click(fix);
  const dialog = await s.until("the preview", () => visible('[data-testid="preview"]'));
  const text = await s.text(dialog);
  assert.match(text, /shipdeck\.toml/);
  assert.match(text, /Undo removes what was made/);
  assert.match(text, /\+\s*scheme = "IsometryiOS"/);
  assert.ok(!fs.existsSync(toml), "nothing written before Apply");
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, "discovered-preview.png"), await s.screenshot());
  await s.click(await s.find('[data-testid="preview-apply"]'));
  await s.until("the warning to go", async () => (await s.findAll(discovered)).length === 0);
  assert.match(fs.readFileSync(toml, "utf8"), /scheme = "IsometryiOS"/);
  const toast = await s.until("the toast", () => visible('[data-testid="toast"]'));
  assert.match(await s.text(toast), /shipdeck\.toml written/);
  await s.click(await s.find('[data-testid="toast-undo"]'));
  await s.until("the warning back", async () => (await s.findAll(discovered)).length === 1);
  assert.ok(!fs.existsSync(toml), "the undo removed the file it made");
  assert.match(await s.text(await s.find('[data-testid="toast-text"]')), /^Undone: /);
});

// No identity source readable here and no profile anywhere: the signing screen says where it
// looked for profiles (Xcode's folders, the home folder as ~), and there is nothing to clean up.
test("with no profiles, the signing screen names the folders it looked in", async () => {
  await s.click(await s.find('[data-testid="tab-signing"]'));
  const empty = await s.until("the empty profile list", () => visible('[data-testid="no-profiles"]'));
  const text = await s.text(empty);
  assert.match(text, /^No provisioning profiles in /);
  assert.match(text, /~\/Library\/Developer\/Xcode\/UserData\/Provisioning Profiles/);
  assert.match(text, /~\/Library\/MobileDevice\/Provisioning Profiles/);
  assert.equal(await s.attribute(await s.find('[data-testid="cleanup-open"]'), "disabled"), "true");
  fs.writeFileSync(path.join(artifacts, "signing-no-profiles.png"), await s.screenshot());
});

// The Project screen: a base xcconfig the project names and the disk lacks says "not here", and
// the fix banner of a warning (what Shipdeck read, to write down) is a warning's, not a blocker's.
test("the project screen marks a missing base xcconfig and colours a warning's fix as a warning", async () => {
  fs.rmSync(path.join(ws, "native/Configurations/Base.xcconfig"));
  await s.click(await s.find('[data-testid="tab-project"]'));
  const gone = await s.until("a base marked missing", async () => (await s.findAll('[data-testid="base-missing"]'))[0]);
  assert.equal(await s.text(gone), "not here");
  const banner = await s.until("the fix banner", () => visible('[data-testid="project-fix"]'));
  assert.match(await s.attribute(banner, "class"), /\bwarning\b/);
  // What discovery read, one choice per line as on the dashboard (it was one paragraph under
  // "shipdeck.toml: No shipdeck.toml: …").
  const lines = await Promise.all((await s.findAll('[data-testid="project-fix"] [data-testid="project-fix-guesses"] li')).map((li) => s.text(li)));
  assert.ok(lines.length >= 3, lines.join(" | "));
  assert.match(lines[0], /^No shipdeck\.toml: /);
  assert.ok(lines.some((l) => /^iOS release: scheme "IsometryiOS"/.test(l)), lines.join(" | "));
  assert.doesNotMatch(await s.text(banner), /shipdeck\.toml: No shipdeck\.toml/);
  fs.writeFileSync(path.join(artifacts, "project-base-missing.png"), await s.screenshot());
});
