// The Project and Build settings screens of the real app: a missing Production
// configuration fixed through the preview, and a setting edited, saved and undone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { Session } from "./webdriver.mjs";
import { artifacts, driver, sample } from "./setup.mjs";

const MAC_PBX = "native/IsometrymacOS/IsometrymacOS.xcodeproj/project.pbxproj";
const PROD = "native/Configurations/Production.xcconfig";

// The sample with the macOS project's Production configurations taken out.
const { tmp, ws } = sample("editing");
{
  const file = path.join(ws, MAC_PBX);
  let out = "";
  let skipping = false;
  for (const line of fs.readFileSync(file, "utf8").split(/(?<=\n)/)) {
    if (line.startsWith("\t\t") && line.includes(" /* Production */ = {")) skipping = true;
    if (!skipping && !line.includes("/* Production */,")) out += line;
    if (skipping && line === "\t\t};\n") skipping = false;
  }
  fs.writeFileSync(file, out);
}

let s;
const shot = async (name) => {
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, `${name}.png`), await s.screenshot());
};
const visible = async (css) => {
  const el = await s.find(css);
  return (await s.script("const e = arguments[0]; return !e.closest('[hidden]') && e.getClientRects().length > 0;", [{ "element-6066-11e4-a52e-4f735466cecf": el }])) ? el : null;
};

before(async () => {
  s = await Session.start(driver, process.env.SHIPDECK_APP_BIN, [ws]);
});
after(async () => {
  if (s) await s.end().catch(() => {});
});

test("a missing Production configuration is fixed through the preview", async () => {
  const fix = await s.until("the fix button", async () => (await s.findAll('[data-testid="finding"][data-id="project.configuration.missing"] [data-testid="fix-button"]'))[0]);
  await s.click(fix);
  const dialog = await s.until("the preview", () => visible('[data-testid="preview"]'));
  const text = await s.text(dialog);
  assert.match(text, /\+\s*name = Production;/);
  assert.match(text, /IsometrymacOS\.xcodeproj\/project\.pbxproj/);
  await shot("fix-preview");
  // Nothing written before Apply.
  assert.equal(fs.readFileSync(path.join(ws, MAC_PBX), "utf8").match(/name = Production;/g), null);
  await s.click(await s.find('[data-testid="preview-apply"]'));
  await s.until("the finding to go", async () => (await s.findAll('[data-testid="finding"][data-id="project.configuration.missing"]')).length === 0);
  const edited = fs.readFileSync(path.join(ws, MAC_PBX), "utf8");
  assert.equal(edited.match(/name = Production;/g).length, 2);
  // The toast says what was written and undoes every file of it.
  const toast = await s.until("the toast", () => visible('[data-testid="toast"]'));
  assert.match(await s.text(toast), /IsometrymacOS\.xcodeproj\/project\.pbxproj/);
  await shot("fix-toast");
  await s.click(await s.find('[data-testid="toast-undo"]'));
  await s.until("the finding back", async () => (await s.findAll('[data-testid="finding"][data-id="project.configuration.missing"]')).length === 1);
  assert.equal(fs.readFileSync(path.join(ws, MAC_PBX), "utf8").match(/name = Production;/g), null, "the project is as it was");
  assert.match(await s.text(await s.find('[data-testid="toast-text"]')), /^Undone: /);
  // Fixed again, for the tests that follow.
  await s.click(await s.until("the fix button", async () => (await s.findAll('[data-testid="finding"][data-id="project.configuration.missing"] [data-testid="fix-button"]'))[0]));
  await s.until("the preview", () => visible('[data-testid="preview"]'));
  await s.click(await s.find('[data-testid="preview-apply"]'));
  await s.until("the finding to go again", async () => (await s.findAll('[data-testid="finding"][data-id="project.configuration.missing"]')).length === 0);
  assert.equal(fs.readFileSync(path.join(ws, MAC_PBX), "utf8"), edited);
});

test("the project screen shows every configuration list", async () => {
  await s.click(await s.find('[data-testid="tab-project"]'));
  const rows = await s.until("the configuration rows", async () => {
    const r = await s.findAll('[data-testid="config-row"]');
    return r.length >= 4 ? r : null;
  });
  const owners = await Promise.all(rows.map((r) => s.attribute(r, "data-owner")));
  assert.deepEqual(owners, ["project", "IsometryiOS", "project", "IsometrymacOS"]);
  const cell = await s.find('[data-testid="config-row"][data-owner="IsometrymacOS"] td[data-config="Production"]');
  assert.equal(await s.text(cell), "native/Configurations/Production.xcconfig");
  // The configuration a release archives comes first, marked, however many the project has.
  const heads = await s.script("return [...document.querySelector('[data-testid=project-card] thead tr').children].map((th) => th.textContent)");
  assert.equal(heads[1], "Productionarchived", heads.join(" | "));
  await shot("project");
});

test("a build setting is edited, saved and undone", async () => {
  await s.click(await s.find('[data-testid="tab-settings"]'));
  await s.until("the settings", async () => (await s.findAll('[data-testid="setting-row"][data-name="CURRENT_PROJECT_VERSION"]'))[0]);
  // What a release is made of comes first, under its own heading; then every other setting.
  const order = await s.script("return [...document.querySelectorAll('#settings-body tr')].map((r) => r.dataset.name || r.dataset.testid)");
  assert.equal(order[0], "settings-group-release", order.join(" "));
  assert.deepEqual(order.slice(1, 4), ["PRODUCT_BUNDLE_IDENTIFIER", "PRODUCT_NAME", "MARKETING_VERSION"], order.join(" "));
  const other = order.indexOf("settings-group-other");
  assert.ok(other > order.indexOf("CURRENT_PROJECT_VERSION") && other < order.length - 1, order.join(" "));
  await shot("settings-groups");
  // The workspace's own platforms, named as the dashboard names them.
  const platforms = await s.script(`return [...document.querySelectorAll('[data-testid="settings-platform"] option')].map((o) => o.value + "=" + o.textContent)`);
  assert.deepEqual(platforms, ["ios=iOS", "macos=macOS"]);
  await s.type(await s.find('[data-testid="settings-filter"]'), "PROJECT_VERSION");
  const rows = await s.findAll('[data-testid="setting-row"]');
  assert.equal(rows.length, 1);
  // Cancel leaves the file alone.
  const before = fs.readFileSync(path.join(ws, PROD), "utf8");
  await s.click(await s.find('[data-testid="setting-row"][data-name="CURRENT_PROJECT_VERSION"] [data-testid="edit-setting"]'));
  await s.type(await s.find('[data-testid="setting-input"]'), "999");
  await s.click(await s.find('[data-testid="setting-cancel"]'));
  await s.until("the row back", async () => (await s.findAll('[data-testid="setting-input"]')).length === 0);
  assert.equal(fs.readFileSync(path.join(ws, PROD), "utf8"), before);
  // Save shows the diff first.
  await s.click(await s.find('[data-testid="setting-row"][data-name="CURRENT_PROJECT_VERSION"] [data-testid="edit-setting"]'));
  const input = await s.find('[data-testid="setting-input"]');
  await s.type(input, "251");
  await s.click(await s.find('[data-testid="setting-save"]'));
  const dialog = await s.until("the preview", () => visible('[data-testid="preview"]'));
  assert.match(await s.text(dialog), /-CURRENT_PROJECT_VERSION = 250\s*\+CURRENT_PROJECT_VERSION = 251/);
  await shot("setting-preview");
  await s.click(await s.find('[data-testid="preview-apply"]'));
  await s.until("the new value", async () => {
    const row = await s.find('[data-testid="setting-row"][data-name="CURRENT_PROJECT_VERSION"]');
    return (await s.text(row)).includes("251");
  });
  assert.match(fs.readFileSync(path.join(ws, PROD), "utf8"), /^CURRENT_PROJECT_VERSION = 251$/m);
  await shot("settings");
  const undo = await s.find('[data-testid="settings-undo"]');
  await s.until("undo to be enabled", async () => (await s.attribute(undo, "disabled")) === null);
  // It says what it puts back.
  assert.equal(await s.text(undo), "Undo CURRENT_PROJECT_VERSION");
  assert.match(await s.attribute(undo, "title"), /CURRENT_PROJECT_VERSION: 251 -> 250/);
  await s.click(undo);
  await s.until("the old value", async () => /^CURRENT_PROJECT_VERSION = 250$/m.test(fs.readFileSync(path.join(ws, PROD), "utf8")));
});

test("a value other configurations read says so before it is saved", async () => {
  await s.type(await s.find('[data-testid="settings-filter"]'), "PRODUCT_BUNDLE_IDENTIFIER");
  await s.click(await s.until("the row", async () => (await s.findAll('[data-testid="setting-row"][data-name="PRODUCT_BUNDLE_IDENTIFIER"] [data-testid="edit-setting"]'))[0]));
  const note = await s.until("the note", async () => (await s.findAll('[data-testid="setting-shared"]'))[0]);
  assert.match(await s.text(note), /Base\.xcconfig is also read by Debug, Release: this changes them too/);
  // Written as a reference to a setting set elsewhere: said, with the way there.
  const follows = await s.find('[data-testid="setting-follows"]');
  assert.equal(await s.text(follows), "Written as $(ISOMETRY_BUNDLE_ID_BASE), which is set at native/Configurations/Base.xcconfig:9: change it there, or Save to write this value here in its place.");
  await shot("setting-shared");
  await s.keys("\uE00C");
  await s.until("the row back", async () => (await s.findAll('[data-testid="setting-input"]')).length === 0);
  // A project-level value of the project file says it reaches every target.
  await s.type(await s.find('[data-testid="settings-filter"]'), "SDKROOT");
  await s.click(await s.until("the SDKROOT row", async () => (await s.findAll('[data-testid="setting-row"][data-name="SDKROOT"] [data-testid="edit-setting"]'))[0]));
  const own = await s.until("the project's note", async () => (await s.findAll('[data-testid="setting-shared"]'))[0]);
  assert.equal(await s.text(own), "SDKROOT is the project's own setting, read by every target of the project that does not set it itself, in Production: this changes them too.");
  await s.keys("\uE00C");
  await s.until("the row back", async () => (await s.findAll('[data-testid="setting-input"]')).length === 0);
});

test("a value set in the project file is edited in its configuration there, and undone byte for byte", async () => {
  const pbx = path.join(ws, "native/IsometryiOS/IsometryiOS.xcodeproj/project.pbxproj");
  const before = fs.readFileSync(pbx, "utf8");
  await s.type(await s.find('[data-testid="settings-filter"]'), "PRODUCT_NAME");
  await s.click(await s.until("the PRODUCT_NAME row", async () => (await s.findAll('[data-testid="setting-row"][data-name="PRODUCT_NAME"] [data-testid="edit-setting"]'))[0]));
  await s.until("the input", async () => (await s.findAll('[data-testid="setting-input"]'))[0]);
  assert.equal((await s.findAll('[data-testid="setting-shared"]')).length, 0, "a target's own setting reaches no other");
  // No note applies, and none is drawn as a word ("false" showed under the field).
  assert.doesNotMatch(await s.text(await s.find('[data-testid="setting-row"][data-name="PRODUCT_NAME"] .value')), /false|undefined/);
  await s.script("document.querySelector('[data-testid=\"setting-input\"]').value = 'Isometry';");
  await s.click(await s.find('[data-testid="setting-save"]'));
  const dialog = await s.until("the preview", () => visible('[data-testid="preview"]'));
  assert.match(await s.text(dialog), /-\s*PRODUCT_NAME = "\$\(TARGET_NAME\)";\s*\+\s*PRODUCT_NAME = Isometry;/);
  await shot("setting-pbxproj-preview");
  await s.click(await s.find('[data-testid="preview-apply"]'));
  await s.until("the file written", async () => fs.readFileSync(pbx, "utf8") !== before);
  await s.until("the new value shown", async () => /^Isometry$/m.test(await s.text(await s.find('[data-testid="setting-row"][data-name="PRODUCT_NAME"] .value'))));
  const after = fs.readFileSync(pbx, "utf8");
  // One line changed: the Production configuration's of the target (Debug and Release keep theirs).
  const b = before.split("\n");
  const a = after.split("\n");
  assert.equal(a.length, b.length);
  const changed = a.map((l, i) => [l, b[i], i + 1]).filter(([l, o]) => l !== o);
  assert.deepEqual(changed.map(([l]) => l.trim()), ["PRODUCT_NAME = Isometry;"]);
  assert.equal(changed[0][2], 254, "the Production configuration's line");
  const undo = await s.find('[data-testid="settings-undo"]');
  await s.until("undo to name it", async () => (await s.text(undo)) === "Undo PRODUCT_NAME");
  assert.match(await s.attribute(undo, "title"), /PRODUCT_NAME \(Production of target IsometryiOS\): Isometry -> \$\(TARGET_NAME\)/);
  await s.click(undo);
  await s.until("the file back byte for byte", async () => fs.readFileSync(pbx, "utf8") === before);
});
