// A real CloudKit deploy from the window imports the schema into the container's development
// environment: it asks first (container, team, file, the command), Cancel has the focus and runs
// nothing; confirmed, cktool (a recording fake) imports the schema, once.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { Session } from "./webdriver.mjs";
import { artifacts, driver, sample, withFakes } from "./setup.mjs";

const { tmp, ws } = sample("cloudkit-deploy");
const calls = path.join(tmp, "calls.log");
const called = () => (fs.existsSync(calls) ? fs.readFileSync(calls, "utf8") : "");
const launcher = withFakes(tmp, { SHIPDECK_FAKE_LOG: calls, CLOUDKIT_MANAGEMENT_TOKEN: "e2e-token" });

let s;
before(async () => {
  s = await Session.start(driver, launcher, [ws]);
});
after(async () => {
  if (s) await s.end().catch(() => {});
});

const visible = async (css) => {
  const el = await s.find(css);
  return (await s.script("const e = arguments[0]; return e.open !== false && e.getClientRects().length > 0;", [{ "element-6066-11e4-a52e-4f735466cecf": el }])) ? el : null;
};

test("Deploy to development asks first; Cancel runs nothing", async () => {
  await s.until("the report", async () => (await s.findAll('[data-testid="finding"]')).length > 0);
  await s.click(await s.find('[data-testid="tab-cloudkit"]'));
  const deploy = await s.until("the deploy button", async () => {
    const b = await s.find('[data-testid="ck-deploy"]');
    return (await s.attribute(b, "disabled")) === null ? b : null;
  });
  assert.equal(await s.text(deploy), "Deploy to development…");
  fs.writeFileSync(calls, "");
  await s.click(deploy);
  const dialog = await s.until("the confirmation", () => visible('[data-testid="ck-confirm-dialog"]'));
  const text = await s.text(dialog);
  assert.match(text, /Import the schema into development\?/);
  assert.match(text, /imports native\/CloudKit\/schema\.ckdb into the development schema of iCloud\.com\.mshaler\.isometry \(team 7XK2M9QPLA\)/);
  assert.match(text, /\$ xcrun cktool import-schema --team-id 7XK2M9QPLA --container-id iCloud\.com\.mshaler\.isometry --environment development --file /);
  assert.equal(await s.script("return document.activeElement.dataset.testid"), "ck-confirm-no", "Cancel has the focus");
  // With cktool here nothing would stop it: nothing said missing, the import offered.
  assert.equal(await s.script("return document.getElementById('ck-confirm-missing').children.length + (document.getElementById('ck-confirm-blocked').hidden ? 0 : 1)"), 0);
  assert.equal(await s.attribute(await s.find('[data-testid="ck-confirm-go"]'), "disabled"), null);
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, "cloudkit-confirm.png"), await s.screenshot());
  await s.click(await s.find('[data-testid="ck-confirm-no"]'));
  await s.until("the dialog closed", async () => !(await s.script("return document.getElementById('ck-confirm-dialog').open")));
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(called(), "", "nothing ran");
  assert.equal((await s.findAll('[data-testid="ck-step"]')).length, 0);
});

test("confirmed, the schema is imported into development, once", async () => {
  await s.click(await s.find('[data-testid="ck-deploy"]'));
  await s.until("the confirmation", () => visible('[data-testid="ck-confirm-dialog"]'));
  await s.click(await s.find('[data-testid="ck-confirm-go"]'));
  const step = await s.until("the import step", async () => {
    const r = await s.findAll('[data-testid="ck-step"][data-step="import"]');
    return r.length ? r[0] : null;
  });
  assert.equal(await s.attribute(step, "data-state"), "done", await s.text(step));
  const imports = called().split("\n").filter((l) => l.startsWith("cktool import-schema "));
  assert.equal(imports.length, 1, called());
  assert.match(imports[0], /--environment development --file .*\.ckdb$/);
  fs.writeFileSync(path.join(artifacts, "cloudkit-deployed.png"), await s.screenshot());
});
