// The CloudKit screen of the real app: a container spelled differently in one file is shown,
// fixed through the preview, and the deploy dry-run completes with no cktool at all.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { Session } from "./webdriver.mjs";
import { artifacts, driver, sample } from "./setup.mjs";

const IOS_ENT = "native/IsometryiOS/IsometryiOS/IsometryiOS.entitlements";

const { tmp, ws } = sample("cloudkit");
const ent = path.join(ws, IOS_ENT);
fs.writeFileSync(ent, fs.readFileSync(ent, "utf8").replace("<string>iCloud.com.mshaler.isometry</string>", "<string>iCloud.com.cardboard.isometry</string>"));

let s;
const shot = async (name) => {
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, `${name}.png`), await s.screenshot());
};

before(async () => {
  s = await Session.start(driver, process.env.SHIPDECK_APP_BIN, [ws]);
});
after(async () => {
  if (s) await s.end().catch(() => {});
});

test("the container mismatch is shown and aligned from the CloudKit screen", async () => {
  await s.until("the mismatch finding", async () => (await s.findAll('[data-testid="finding"][data-id="cloudkit.container.mismatch"]')).length === 1);
  await s.click(await s.find('[data-testid="tab-cloudkit"]'));
  const rows = await s.until("the places", async () => {
    const r = await s.findAll('[data-testid="ck-place"]');
    return r.length > 0 ? r : null;
  });
  const texts = await Promise.all(rows.map((r) => s.text(r)));
  assert.ok(texts.some((t) => t.includes("iCloud.com.cardboard.isometry") && t.includes(`${IOS_ENT}:`)), texts.join("\n"));
  assert.ok(texts.some((t) => t.includes("shipdeck.toml")));
  assert.equal(await s.text(await s.find("#ck-lede")), "6 places name the container; shipdeck.toml says iCloud.com.mshaler.isometry.");
  await shot("cloudkit-mismatch");
  await s.click(await s.find('[data-testid="ck-mismatch"] [data-testid="fix-button"]'));
  await s.until("the preview", async () => (await s.text(await s.find('[data-testid="preview"]'))).includes("cardboard"));
  await s.click(await s.find('[data-testid="preview-apply"]'));
  await s.until("the places to agree", async () => (await s.findAll('[data-testid="ck-mismatch"]')).length === 0);
  assert.ok(!fs.readFileSync(ent, "utf8").includes("cardboard"));
});

// Bleat names its container in Swift too: a literal the entitlements do not grant is a warning,
// in yellow, and its fix changes that line of code only.
test("a container the code asks for that the build does not grant is a warning fixed in the code", async () => {
  const swift = path.join(ws, "native/IsometryiOS/IsometryiOS/Sync.swift");
  fs.writeFileSync(swift, 'import CloudKit\n\nlet container = CKContainer(identifier: "iCloud.com.mshaler.isometri")\n');
  await s.click(await s.find('[data-testid="tab-dashboard"]'));
  await s.click(await s.find('[data-testid="check-again"]'));
  await s.until("the code's finding", async () => (await s.findAll('[data-testid="finding"][data-id="cloudkit.container.code"]')).length === 1);
  await s.click(await s.find('[data-testid="tab-cloudkit"]'));
  const banner = await s.until("the warning banner", async () => {
    const b = await s.findAll('[data-testid="ck-mismatch"]');
    return b.length === 1 && (await s.text(b[0])).startsWith("The code asks for another id") ? b[0] : null;
  });
  assert.match(await s.attribute(banner, "class"), /\bwarning\b/);
  const rows = await Promise.all((await s.findAll('[data-testid="ck-place"]')).map((r) => s.text(r)));
  assert.ok(rows.some((t) => t.includes("Swift code") && t.includes("Sync.swift:3")), rows.join("\n"));
  await shot("cloudkit-code");
  await s.click(await s.find('[data-testid="ck-mismatch"] [data-testid="fix-button"]'));
  await s.until("the preview", async () => (await s.text(await s.find('[data-testid="preview"]'))).includes("Sync.swift"));
  await s.click(await s.find('[data-testid="preview-apply"]'));
  await s.until("the code aligned", async () => (await s.findAll('[data-testid="ck-mismatch"]')).length === 0);
  assert.equal(fs.readFileSync(swift, "utf8"), 'import CloudKit\n\nlet container = CKContainer(identifier: "iCloud.com.mshaler.isometry")\n');
});

test("the deploy dry-run completes without cktool and says what a real run needs", async () => {
  await s.click(await s.find('[data-testid="ck-dry-run"]'));
  const steps = await s.until("the steps", async () => {
    const r = await s.findAll('[data-testid="ck-step"]');
    return r.length >= 5 ? r : null;
  });
  const states = await Promise.all(steps.map((st) => s.attribute(st, "data-state")));
  assert.equal(states[0], "missing");
  assert.ok(states.includes("would-run"));
  assert.match(await s.text(steps[0]), /A real run needs: .*xcrun cktool/);
  // The console step says what to do in this window, not which CLI command to run.
  const consoleStep = await s.text(await s.find('[data-testid="ck-console"]'));
  assert.match(consoleStep, /^Open CloudKit Console .*choose iCloud\.com\.mshaler\.isometry, then Schema > Deploy Schema Changes\. Afterwards press “Confirm production” here\.$/);
  // It ran on the release runner: its log is named, and it is one of the past runs.
  assert.match(await s.text(await s.find('[data-testid="ck-log"]')), /^Log: .*\/runs\/.*\/log\.txt$/);
  await s.click(await s.find('[data-testid="tab-release"]'));
  await s.until("the deploy among the past runs", async () => {
    for (const r of await s.findAll('[data-testid="release-run"]')) if (/CloudKit schema deploy of iCloud\.com\.mshaler\.isometry/.test(await s.text(r))) return true;
    return null;
  });
  await s.click(await s.find('[data-testid="tab-cloudkit"]'));
  await shot("cloudkit-dry-run");
});

test("without cktool the deploy's confirmation says what is missing and offers no import", async () => {
  await s.click(await s.find('[data-testid="ck-deploy"]'));
  await s.until("the confirmation", async () => s.script("return document.getElementById('ck-confirm-dialog').open"));
  const missing = await s.text(await s.find('[data-testid="ck-confirm-missing"]'));
  assert.match(missing, /^Missing: Xcode's command-line tools \(xcrun cktool\), on a Mac$/);
  assert.match(await s.text(await s.find('[data-testid="ck-confirm-blocked"]')), /^A real deploy cannot start here/);
  assert.equal(await s.attribute(await s.find('[data-testid="ck-confirm-go"]'), "disabled"), "true");
  assert.equal(await s.script("return document.activeElement.dataset.testid"), "ck-confirm-no", "Cancel has the focus");
  await shot("cloudkit-deploy-blocked");
  await s.click(await s.find('[data-testid="ck-confirm-no"]'));
  await s.until("the dialog closed", async () => !(await s.script("return document.getElementById('ck-confirm-dialog').open")));
});

test("without a schema file there is nothing to deploy: the dry-run stays, the deploy buttons do not", async () => {
  const toml = path.join(ws, "shipdeck.toml");
  fs.writeFileSync(toml, fs.readFileSync(toml, "utf8").replace(/^schema = .*\n/m, ""));
  await s.click(await s.find('[data-testid="tab-dashboard"]'));
  await s.click(await s.find('[data-testid="tab-cloudkit"]'));
  await s.until("the screen read again", async () => (await s.text(await s.find("#ck-schema-lede"))).startsWith("No schema file is named"));
  // It says how to make one, with the team and container filled in.
  assert.match(await s.text(await s.find("#ck-schema-lede")), /A deploy needs one: xcrun cktool export-schema --team-id 7XK2M9QPLA --container-id iCloud\.com\.mshaler\.isometry --environment development --output-file CloudKit\/schema\.ckdb \(on a Mac, in the workspace folder; it only reads the container\)/);
  assert.equal(await s.attribute(await s.find('[data-testid="ck-deploy"]'), "disabled"), "true");
  assert.equal(await s.attribute(await s.find('[data-testid="ck-confirm"]'), "disabled"), "true");
  assert.equal(await s.attribute(await s.find('[data-testid="ck-dry-run"]'), "disabled"), null);
  await shot("cloudkit-no-schema");
});

test("a workspace without CloudKit says so once, with no empty table, schema or deploy", async () => {
  const none = fs.mkdtempSync(path.join(tmp, "no-cloudkit-"));
  // The Undo of the alignment above was for the other workspace: it does not come along.
  await s.script("document.getElementById('toast').hidden = false;");
  await s.type(await s.find('[data-testid="path-input"]'), none);
  await s.click(await s.find('[data-testid="path-open"]'));
  await s.until("the other workspace", async () => (await s.clippedText('[data-testid="workspace-path"]')) === none);
  await s.click(await s.find('[data-testid="tab-cloudkit"]'));
  await s.until("the sentence", async () => /uses no CloudKit/.test(await s.text(await s.find('[data-testid="ck-none"]'))));
  const shown = await s.script(
    "return ['ck-places-table', 'ck-schema-head', 'ck-schema-lede', 'ck-deploy-head', 'ck-deploy-controls'].filter((id) => document.getElementById(id).getClientRects().length > 0);",
  );
  assert.deepEqual(shown, [], "nothing of a deploy is shown");
  assert.equal(await s.script("return document.getElementById('ck-lede').getClientRects().length"), 0, "said once");
  assert.equal(await s.script("return document.getElementById('toast').hidden"), true, "the other workspace's Undo is gone");
  await shot("cloudkit-none");
});
