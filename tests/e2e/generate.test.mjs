// A repository that keeps only an XcodeGen spec (Karabiner-Elements' shape): the finding's
// Generate button says what it runs and where, Cancel runs nothing; confirmed, xcodegen (a
// recording fake that writes a project as XcodeGen does) runs once in the spec's folder, the
// window checks the generated project, and Undo moves it aside.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { Session } from "./webdriver.mjs";
import { artifacts, driver, withFakes } from "./setup.mjs";

const tmp = fs.mkdtempSync(path.join(process.env.SHIPDECK_E2E_TMP || "/tmp", "generate-"));
const ws = path.join(tmp, "Lantern");
const app = path.join(ws, "src/apps/Settings");
fs.mkdirSync(app, { recursive: true });
fs.writeFileSync(path.join(app, "project.yml"), "name: Lantern\ntargets:\n  Lantern:\n    type: application\n    platform: iOS\n");
const calls = path.join(tmp, "calls.log");
const xcodegenCalls = () => (fs.existsSync(calls) ? fs.readFileSync(calls, "utf8") : "").split("\n").filter((l) => l.startsWith("xcodegen "));
const launcher = withFakes(tmp, { SHIPDECK_FAKE_LOG: calls });

let s;
before(async () => {
  s = await Session.start(driver, launcher, [ws]);
});
after(async () => {
  if (s) await s.end().catch(() => {});
});

const visible = async (css) => {
  const el = await s.find(css).catch(() => null);
  if (!el) return null;
  return (await s.script("const e = arguments[0]; return e.open !== false && e.getClientRects().length > 0;", [{ "element-6066-11e4-a52e-4f735466cecf": el }])) ? el : null;
};
const bodyText = () => s.script("return document.body.innerText");

test("Generate asks first; Cancel runs nothing", async () => {
  const button = await s.until("the Generate button", () => visible('[data-action="project.generate"]'));
  assert.equal(await s.text(button), "Generate the project (xcodegen generate)…");
  await s.click(button);
  const dialog = await s.until("the confirmation", () => visible('[data-testid="preview"]'));
  const text = await s.text(dialog);
  assert.match(text, /Runs `xcodegen generate` in src\/apps\/Settings\. XcodeGen writes the Xcode project there from src\/apps\/Settings\/project\.yml/);
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, "generate-confirm.png"), await s.screenshot());
  await s.click(await s.find('[data-testid="preview-cancel"]'));
  await s.until("the dialog closed", async () => !(await visible('[data-testid="preview"]')));
  assert.deepEqual(xcodegenCalls(), []);
  assert.ok(!fs.existsSync(path.join(app, "Lantern.xcodeproj")));
});

test("Confirmed, the project is generated and checked; Undo moves it aside", async () => {
  await s.click(await s.find('[data-action="project.generate"]'));
  await s.until("the confirmation", () => visible('[data-testid="preview"]'));
  assert.equal(await s.text(await s.find('[data-testid="preview-apply"]')), "Generate");
  await s.click(await s.find('[data-testid="preview-apply"]'));
  await s.until("the generated project's checks", async () => /App Store requirements/.test(await bodyText()) && !/Project not generated yet/.test(await bodyText()));
  const run = xcodegenCalls();
  assert.equal(run.length, 1, run.join("\n"));
  assert.ok(run[0].endsWith(`xcodegen generate (in ${fs.realpathSync(app)})`), run[0]);
  assert.ok(fs.existsSync(path.join(app, "Lantern.xcodeproj/project.pbxproj")));
  const toast = await s.until("the toast", () => visible("#toast"));
  assert.match(await s.text(toast), /Generated the project \(xcodegen generate in src\/apps\/Settings\)\./);
  fs.writeFileSync(path.join(artifacts, "generate-done.png"), await s.screenshot());
  await s.click(await s.find("#toast-undo"));
  await s.until("the project moved aside", async () => !fs.existsSync(path.join(app, "Lantern.xcodeproj")) && /Project not generated yet/.test(await bodyText()));
  assert.match(await s.text(await s.find("#toast")), /Undone: the generated project was moved into Shipdeck's backups\./);
  assert.ok(fs.existsSync(path.join(app, "project.yml")), "the spec stays");
});
