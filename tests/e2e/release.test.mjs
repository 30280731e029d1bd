// The Release screen of the real app: the one-button dry-run with no Xcode and no
// credentials completes, shows every step, and changes no file of the workspace.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Session } from "./webdriver.mjs";
import { artifacts, driver, sample } from "./setup.mjs";

const { tmp, ws } = sample("release");

function snapshot(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${p}:${fs.readFileSync(p).toString("base64")}`);
    }
  };
  walk(dir);
  return out.sort().join("\n");
}

let s;
before(async () => {
  s = await Session.start(driver, process.env.SHIPDECK_APP_BIN, [ws]);
});
after(async () => {
  if (s) await s.end().catch(() => {});
});

test("the dry-run button checks the whole release and changes nothing", async () => {
  await s.until("the dashboard", async () => (await s.findAll('[data-testid="finding"]')).length > 0);
  const before = snapshot(ws);
  await s.click(await s.find('[data-testid="tab-release"]'));
  // The platforms offered are the workspace's own, all of them first.
  const options = await s.script(`return [...document.querySelectorAll('[data-testid="release-platform"] option')].map((o) => o.value + "=" + o.textContent)`);
  assert.deepEqual(options, ["all=iOS and macOS", "ios=iOS", "macos=macOS"]);
  // A workspace with targets has something to release (the banner showed on every workspace).
  assert.equal(await s.script("return document.querySelector('[data-testid=\"release-nothing\"]').getClientRects().length"), 0);
  await s.click(await s.find('[data-testid="release-dry-run"]'));
  const status = await s.find('[data-testid="release-status"]');
  await s.until("the end of the dry-run", async () => (await s.attribute(status, "data-outcome")) !== null);
  assert.equal(await s.attribute(status, "data-outcome"), "dry-run-passed");
  // The bar reflects the steps and how the run went.
  assert.equal(await s.attribute(await s.find('[data-testid="release-progress"]'), "data-state"), "passed");
  assert.match(await s.text(await s.find('[data-testid="release-progress-label"]')), /^(\d+) of \1 steps$/);
  const steps = await s.findAll('[data-testid="release-step"]');
  assert.equal(steps.length, 11, "preflight, then five steps for each platform");
  const states = await Promise.all(steps.map((st) => s.attribute(st, "data-state")));
  assert.equal(states[0], "done");
  assert.ok(states.includes("would-run"));
  const upload = await s.find('[data-testid="release-step"][data-step="ios.upload"]');
  assert.match(await s.text(upload), /\$ xcrun altool --upload-package .*IsometryiOS\.ipa --platform ios --api-key KEY_ID --api-issuer ISSUER_ID --p8-file-path .*AuthKey_KEY_ID\.p8/);
  // What a real run needs is said once, above the steps, with the way to the key form; the
  // steps that need it only point there (the key was said on four steps before).
  assert.match(await s.text(upload), /A real run needs what is listed above/);
  assert.doesNotMatch(await s.text(upload), /APP_STORE_CONNECT_KEY_ID/);
  const needs = await Promise.all((await s.findAll('[data-testid="release-need"]')).map((n) => s.text(n)));
  assert.equal(needs.filter((n) => /APP_STORE_CONNECT_KEY_ID/.test(n)).length, 1, needs.join(" | "));
  assert.equal(new Set(needs).size, needs.length, "each need once");
  // "Passed" says beside it that a real run needs more than this machine has.
  const said = (await s.text(status)).match(/^Dry-run passed in [\d.]+ s\. A real run needs (\d+) things this machine lacks \(listed below\)\. Log: /);
  assert.ok(said, await s.text(status));
  assert.equal(Number(said[1]), needs.length);
  // A command in a need reads as code, not between backquotes.
  assert.ok(needs.every((n) => !n.includes("`")), needs.join(" | "));
  assert.ok((await s.findAll('[data-testid="release-need"] code.inline')).length > 0, "the command to store the key is shown as code");
  await s.click(await s.find('[data-testid="release-needs-key"]'));
  assert.equal(await s.script("return document.activeElement.id"), "cred-key-id", "the button leads to the key form");
  await s.until("the past run", async () => (await s.findAll('[data-testid="release-run"]')).length === 1);
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, "release.png"), await s.screenshot());
  // The ExportOptions a real run would write, one click away.
  const exportFile = await s.find('[data-testid="release-step"][data-step="ios.export"] [data-testid="step-file"]');
  await s.click(await s.find('[data-testid="release-step"][data-step="ios.export"] [data-testid="step-file"] summary'));
  await s.script("arguments[0].scrollIntoView({block: 'center'})", [{ "element-6066-11e4-a52e-4f735466cecf": exportFile }]);
  const shown = await s.text(exportFile);
  assert.match(shown, /Would write IsometryiOS-ExportOptions\.plist/);
  assert.match(shown, /<key>method<\/key>\s*<string>app-store-connect<\/string>/);
  assert.match(shown, /<key>iCloudContainerEnvironment<\/key>\s*<string>Production<\/string>/);
  fs.writeFileSync(path.join(artifacts, "release-export-options.png"), await s.screenshot());
  assert.equal(snapshot(ws), before, "no file of the workspace changed");
});

// No key, no Apple ID, no Xcode: a real release would stop at its first step. The confirmation
// says what is missing (commands as code), marks what is needed before the archive, and offers
// no "Release"; Cancel (the focus) closes it.
test("with nothing to sign in with, Release… says why a real release cannot start and offers none", async () => {
  await s.click(await s.find('[data-testid="release-real"]'));
  const dialog = await s.find('[data-testid="release-confirm"]');
  await s.until("the confirmation", async () => (await s.attribute(dialog, "open")) !== null);
  assert.equal(await s.attribute(await s.find('[data-testid="release-confirm-go"]'), "disabled"), "true", "no Release to press");
  assert.match(await s.text(await s.find('[data-testid="release-confirm-blocked"]')), /^A real release cannot start here/);
  assert.match(await s.text(await s.find('[data-testid="release-confirm-destination"]')), /no credentials: the release would stop before it archives/);
  const blocking = await Promise.all((await s.findAll('[data-testid="release-confirm-missing"] li[data-blocking="true"]')).map((li) => s.text(li)));
  assert.ok(blocking.some((l) => /^Missing: an App Store Connect API key id/.test(l)), blocking.join(" | "));
  assert.ok(blocking.every((l) => !l.includes("`")), "commands read as code, not between backquotes");
  const platforms = await Promise.all((await s.findAll('[data-testid="release-confirm-build"] td:first-child')).map((td) => s.text(td)));
  assert.deepEqual(platforms, ["iOS", "macOS"]);
  fs.writeFileSync(path.join(artifacts, "release-confirm-blocked.png"), await s.screenshot());
  assert.equal(await s.script("return document.activeElement.dataset.testid"), "release-confirm-cancel");
  await s.keys("\uE00C");
  await s.until("the confirmation closed", async () => (await s.attribute(dialog, "open")) === null);
});

test("the App Store Connect key is stored in the keychain from the Release screen and used by the dry-run", async () => {
  const { privateKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256", privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
  const keyLine = privateKey.split("\n")[1];
  const p8 = path.join(tmp, "AuthKey_ABC123DEF4.p8");
  fs.writeFileSync(p8, privateKey);
  const state = async (item) => s.attribute(await s.find(`[data-testid="cred-${item}"]`), "data-state");
  await s.until("the credentials list", async () => (await state("asc-private-key")) === "not stored");

  // A wrong issuer id is refused and named; nothing is stored.
  await s.type(await s.find('[data-testid="cred-key-id"]'), "ABC123DEF4");
  await s.type(await s.find('[data-testid="cred-issuer-id"]'), "nope");
  await s.type(await s.find('[data-testid="cred-p8"]'), p8);
  await s.click(await s.find('[data-testid="cred-store"]'));
  const error = await s.find('[data-testid="error-message"]');
  await s.until("the refusal", async () => /asc-issuer-id: an issuer id is a UUID/.test(await s.text(error)));
  assert.equal(await state("asc-key-id"), "not stored");

  await s.type(await s.find('[data-testid="cred-issuer-id"]'), "69a6de70-03db-47e3-e053-5b8c7c11a4d1");
  await s.click(await s.find('[data-testid="cred-store"]'));
  await s.until("the key stored", async () => (await state("asc-private-key")) === "stored");
  assert.equal(await state("asc-key-id"), "stored");
  assert.equal(await state("asc-issuer-id"), "stored");
  assert.match(await s.text(await s.find('[data-testid="cred-source"]')), /API key stored in the keychain/);
  assert.equal(await s.attribute(await s.find('[data-testid="cred-key-id"]'), "value"), "", "the form is cleared");
  await s.script("document.querySelector('[data-testid=\"cred-form\"]').scrollIntoView({ block: 'end' });");
  fs.writeFileSync(path.join(artifacts, "release-credentials.png"), await s.screenshot());

  // The dry-run now signs in with the stored key: the upload names it and needs nothing more.
  await s.click(await s.find('[data-testid="release-dry-run"]'));
  await s.until("the second run", async () => (await s.findAll('[data-testid="release-run"]')).length === 2);
  const upload = await s.find('[data-testid="release-step"][data-step="ios.upload"]');
  const text = await s.text(upload);
  assert.match(text, /--api-key ABC123DEF4 --api-issuer 69a6de70-03db-47e3-e053-5b8c7c11a4d1/);
  assert.doesNotMatch(text, /APP_STORE_CONNECT_KEY_ID/);
  for (const n of await s.findAll('[data-testid="release-need"]')) assert.doesNotMatch(await s.text(n), /APP_STORE_CONNECT_KEY_ID/);
  const page = await s.script("return document.documentElement.outerHTML;");
  assert.ok(!page.includes(keyLine), "the key never reaches the window");

  // Forget asks first (Apple lets a .p8 be downloaded once): Cancel keeps the key.
  await s.click(await s.find('[data-testid="cred-forget"]'));
  const sure = await s.until("the question", async () => (await s.findAll('[data-testid="forget-confirm"]'))[0]);
  assert.match(await s.text(sure), /Remove the App Store Connect API key from the keychain\?/);
  assert.equal(await s.script("return document.activeElement.dataset.testid"), "forget-confirm-cancel", "Cancel has the focus");
  fs.writeFileSync(path.join(artifacts, "release-forget-confirm.png"), await s.screenshot());
  await s.click(await s.find('[data-testid="forget-confirm-cancel"]'));
  await s.until("the question gone", async () => (await s.findAll('[data-testid="forget-confirm"]')).length === 0);
  assert.equal(await state("asc-private-key"), "stored", "Cancel kept it");
  await s.click(await s.find('[data-testid="cred-forget"]'));
  await s.click(await s.until("the question again", async () => (await s.findAll('[data-testid="forget-confirm-go"]'))[0]));
  await s.until("the key forgotten", async () => (await state("asc-private-key")) === "not stored");
});

test("raising the build number is previewed by the dry-run and nothing is written", async () => {
  const before = snapshot(ws);
  const runs = (await s.findAll('[data-testid="release-run"]')).length;
  await s.click(await s.find('[data-testid="release-bump"]'));
  await s.click(await s.find('[data-testid="release-dry-run"]'));
  await s.until("the run", async () => (await s.findAll('[data-testid="release-run"]')).length === runs + 1);
  const bump = await s.find('[data-testid="release-step"][data-step="bump"]');
  assert.equal(await s.attribute(bump, "data-state"), "would-run");
  const text = await s.text(bump);
  assert.match(text, /Raise the build number to 251/i);
  assert.match(text, /-CURRENT_PROJECT_VERSION = 250\s*\+CURRENT_PROJECT_VERSION = 251/);
  const removed = await s.findAll('[data-testid="release-step"][data-step="bump"] .diff .del');
  assert.equal(await s.text(removed[0]), "-CURRENT_PROJECT_VERSION = 250", "the change is shown as a diff");
  await s.script("arguments[0].scrollIntoView({block: 'center'})", [{ "element-6066-11e4-a52e-4f735466cecf": bump }]);
  fs.writeFileSync(path.join(artifacts, "release-bump.png"), await s.screenshot());
  assert.equal(snapshot(ws), before, "the dry-run wrote nothing");
  await s.click(await s.find('[data-testid="release-bump"]'));
});

test("a long past log scrolls with only the lines in sight drawn, and its filter searches the whole file", async () => {
  // A recorded run of this workspace with a 20,000-line log.
  const id = `9999999999999-${process.pid}`;
  const dir = path.join(process.env.SHIPDECK_DATA_DIR, "runs", id);
  fs.mkdirSync(dir, { recursive: true });
  const log = path.join(dir, "log.txt");
  const lines = [];
  for (let i = 0; i < 20000; i++) lines.push(`${String(i).padStart(9)} ios.archive | CompileSwift normal arm64 Generated${i}.swift`);
  fs.writeFileSync(log, lines.join("\n") + "\n");
  const record = { id, workspace: fs.realpathSync(ws), dry_run: true, started_at: 9999999999, duration_ms: 1, outcome: "dry-run-passed", steps: [], log };
  fs.writeFileSync(path.join(dir, "run.json"), JSON.stringify(record));
  await s.click(await s.find('[data-testid="tab-signing"]'));
  await s.click(await s.find('[data-testid="tab-release"]'));
  const note = await s.find('[data-testid="log-note"]');
  // The list is drawn again as runs load: find and open it until the view shows it.
  await s.until("the recorded run's log", async () => {
    const runs = await s.findAll('[data-testid="release-run"] button');
    if (runs.length) await s.click(runs[0]).catch(() => {});
    return /^The last 5,?000 lines of 20,?000/.test(await s.text(note));
  });
  // The status line speaks of the run opened.
  assert.match(await s.text(await s.find('[data-testid="release-status"]')), /^Past run: Dry-run passed, /);
  const box = await s.find('[data-testid="release-log"]');
  assert.equal(await s.attribute(box, "data-lines"), "5000", "the view scrolls through the last 5,000 lines");
  const drawn = await s.script("return document.getElementById('release-log-lines').textContent.split('\\n').length;");
  assert.ok(drawn < 100, `only the lines in sight (and a screenful around) are drawn: ${drawn}`);
  assert.match(await s.text(box), /Generated19999\.swift/, "it opens at the end");
  // Scrolled to the top: the first of the 5,000.
  await s.script("const b = document.getElementById('release-log'); b.scrollTop = 0; b.dispatchEvent(new Event('scroll'));");
  await s.until("the top of the view", async () => /Generated15000\.swift/.test(await s.text(box)));
  assert.doesNotMatch(await s.text(box), /Generated19999\.swift/);
  await s.script("document.getElementById('release-log').scrollIntoView({ block: 'center' });");
  fs.writeFileSync(path.join(artifacts, "release-log.png"), await s.screenshot());
  // The filter searches the whole file, not only what the view holds.
  await s.type(await s.find('[data-testid="log-filter"]'), "Generated123.swift");
  await s.until("the search", async () => /containing “Generated123\.swift” of 20,?000/.test(await s.text(note)));
  assert.equal(await s.attribute(box, "data-lines"), "1");
  assert.match(await s.text(box), /Generated123\.swift/);
  await s.script("const i = document.querySelector('[data-testid=\"log-filter\"]'); i.value = ''; i.dispatchEvent(new Event('input'));");
});

test("a dry-run with a blocker goes through every step and says which failed, not where it stopped", async () => {
  const ent = path.join(ws, "native/IsometryiOS/IsometryiOS/IsometryiOS.entitlements");
  const good = fs.readFileSync(ent);
  fs.writeFileSync(ent, "<plist><dict><key>com.apple.developer.icloud-services</key>");
  try {
    await s.click(await s.find('[data-testid="tab-release"]'));
    const status = await s.find('[data-testid="release-status"]');
    await s.script("document.querySelector('[data-testid=\"release-status\"]').removeAttribute('data-outcome')");
    await s.click(await s.find('[data-testid="release-dry-run"]'));
    await s.until("the end of the dry-run", async () => (await s.attribute(status, "data-outcome")) !== null);
    assert.equal(await s.attribute(status, "data-outcome"), "failed");
    const bar = await s.find('[data-testid="release-progress"]');
    assert.equal(await s.attribute(bar, "data-state"), "failed");
    assert.match(await s.text(await s.find('[data-testid="release-progress-label"]')), /^All 11 steps gone through; one failed: “Ready to ship\? \(every check\)”$/);
    assert.equal(await s.script("return document.querySelector('[data-testid=\"release-progress\"]').style.width"), "100%");
    // The blocker is said in words, with its file.
    const first = await s.text(await s.find('[data-testid="release-step"][data-step="preflight"]'));
    assert.match(first, /IsometryiOS\.entitlements.*the file ends before everything opened in it is closed/s);
    assert.doesNotMatch(first, /EventStream/);
  } finally {
    fs.writeFileSync(ent, good);
  }
});

// Foqos: a Mac app whose own ExportOptions say `developer-id` beside the iOS app. "All" releases
// the iOS app only, the Mac app is offered by name and says it ships outside the App Store, and
// the dry-run's first step says why the Mac app is not in it.
test("a Mac app exported outside the App Store is left out of a release of all, and says so", async () => {
  const toml = path.join(ws, "shipdeck.toml");
  const before = fs.readFileSync(toml, "utf8");
  const options = fs.readFileSync(path.join(ws, "native/ExportOptions.plist"), "utf8");
  fs.writeFileSync(path.join(ws, "native/DeveloperID.plist"), options.replace("<string>app-store-connect</string>", "<string>developer-id</string>"));
  const mac = before.indexOf('platform = "macos"');
  fs.writeFileSync(toml, before.slice(0, mac) + before.slice(mac).replace('export_options = "native/ExportOptions.plist"', 'export_options = "native/DeveloperID.plist"'));
  try {
    await s.click(await s.find('[data-testid="tab-dashboard"]'));
    await s.click(await s.find('[data-testid="check-again"]'));
    await s.until("the check's warning", async () => (await s.findAll('[data-testid="finding"][data-id="release.distribution.outside-app-store"]')).length === 1);
    await s.click(await s.find('[data-testid="tab-release"]'));
    const choices = await s.script(`return [...document.querySelectorAll('[data-testid="release-platform"] option')].map((o) => o.value + "=" + o.textContent)`);
    assert.deepEqual(choices, ["all=iOS", "ios=iOS", "macos=macOS (outside the App Store)"]);
    await s.script("const p = document.querySelector('[data-testid=\"release-platform\"]'); p.value = 'all'; p.dispatchEvent(new Event('change'));");
    const status = await s.find('[data-testid="release-status"]');
    await s.script("document.querySelector('[data-testid=\"release-status\"]').removeAttribute('data-outcome')");
    await s.click(await s.find('[data-testid="release-dry-run"]'));
    await s.until("the end of the dry-run", async () => (await s.attribute(status, "data-outcome")) !== null);
    assert.equal(await s.attribute(status, "data-outcome"), "dry-run-passed");
    const first = await s.text(await s.find('[data-testid="release-step"][data-step="preflight"]'));
    assert.match(first, /IsometrymacOS \(macOS\) is not released here: native\/DeveloperID\.plist exports it with method developer-id, outside the App Store\./);
    // Beside the iOS app it is a warning, not a blocker this release sets aside.
    assert.doesNotMatch(first, /set aside/);
    assert.equal((await s.findAll('[data-testid="release-step"][data-step^="macos."]')).length, 0);
    fs.writeFileSync(path.join(artifacts, "release-outside-app-store.png"), await s.screenshot());
  } finally {
    fs.writeFileSync(toml, before);
    fs.rmSync(path.join(ws, "native/DeveloperID.plist"), { force: true });
  }
});
