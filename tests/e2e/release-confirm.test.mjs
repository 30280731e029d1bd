// The two safety promises of the Release screen, in the real window:
// - "Release…" asks first (what it builds, where it uploads, every command), Cancel has the
//   focus, and Cancel or Escape leave nothing behind: no tool was called, no run recorded;
//   only a confirmed release runs.
// - A failed step shows its causes as text (the tool's own line, the hint, the finding), never
//   "[object HTMLParagraphElement]".
// The app runs with the recording fakes of tests/fakes first on PATH, its archive failing with
// Apple's error text (FAKE_XCODEBUILD_FAIL=archive), so even a confirmed run uploads nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Session } from "./webdriver.mjs";
import { artifacts, driver, sample, withFakes } from "./setup.mjs";

const { tmp, ws } = sample("confirm");
// The demo signing set, so the preflight passes and a confirmed release reaches its archive.
// The demo set holds two identities of one name on purpose: accepted here, so nothing blocks.
execFileSync(process.env.SHIPDECK_BIN, ["signing", "demo", "--workspace", ws], { stdio: "ignore" });
fs.appendFileSync(path.join(ws, "shipdeck.toml"), '\n[[acknowledge]]\nid = "signing.identity.ambiguous"\nreason = "the demo set has twins on purpose"\n');

// Every call of a fake tool lands here, one line each.
const calls = path.join(tmp, "calls.log");
const calledTools = () => (fs.existsSync(calls) ? fs.readFileSync(calls, "utf8") : "");

// tauri-driver passes no environment of its own: the app is started through a script that sets it.
// An Apple ID for the upload (altool resolves the password reference itself), so a real run
// is not stopped before its archive for want of credentials; no API key, so the build's
// processing cannot be followed (the confirmation says so).
const launcher = withFakes(tmp, {
  SHIPDECK_FAKE_LOG: calls,
  FAKE_XCODEBUILD_FAIL: "archive",
  SHIPDECK_APPLE_ID: "dev@mshaler.com",
  SHIPDECK_APPLE_ID_PASSWORD_REF: "@env:ALTOOL_APP_PASSWORD",
  ALTOOL_APP_PASSWORD: "not-a-real-password",
});

let s;
before(async () => {
  s = await Session.start(driver, launcher, [ws]);
});
after(async () => {
  if (s) await s.end().catch(() => {});
});

async function shot(name) {
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, name), await s.screenshot());
}

const dialogOpen = async () => (await s.attribute(await s.find('[data-testid="release-confirm"]'), "open")) !== null;
const runsShown = async () => (await s.findAll('[data-testid="release-run"]')).length;

test("Release… asks first, naming what it will do; Cancel and Escape start nothing", async () => {
  await s.until("the dashboard", async () => (await s.findAll('[data-testid="finding"]')).length > 0);
  await s.click(await s.find('[data-testid="tab-release"]'));
  await s.until("the release screen", async () => (await s.findAll('[data-testid="cred-asc-key-id"]')).length > 0);
  const before = calledTools();

  await s.click(await s.find('[data-testid="release-real"]'));
  await s.until("the confirmation", dialogOpen);
  const question = await s.text(await s.find('[data-testid="release-confirm-question"]'));
  assert.match(question, /^Archive, export and upload Isometry 2\.5\.0 \(250\) for iOS and macOS to App Store Connect\?$/);
  const builds = await s.findAll('[data-testid="release-confirm-build"]');
  assert.equal(builds.length, 2);
  assert.match(await s.text(builds[0]), /iOS\s*IsometryiOS \(Production\)\s*2\.5\.0\s*250\s*com\.mshaler\.isometry/);
  assert.match(await s.text(await s.find('[data-testid="release-confirm-destination"]')), /Uploads to App Store Connect/);
  assert.match(await s.text(await s.find('[data-testid="release-confirm-missing"]')), /APP_STORE_CONNECT_KEY_ID/, "no credentials here: the confirmation says so");
  // An Apple ID uploads: the key only follows processing, so it does not stop the release.
  assert.equal((await s.findAll('[data-testid="release-confirm-missing"] li[data-blocking="true"]')).length, 0);
  assert.match(await s.text(await s.find('[data-testid="release-confirm-missing"] li')), /^Missing, only to follow the build's processing: /);
  assert.equal(await s.attribute(await s.find('[data-testid="release-confirm-go"]'), "disabled"), null, "Release can be pressed");
  assert.equal((await s.findAll('[data-testid="release-confirm-caution"] li')).length, 0, "no target that may ship outside the App Store");
  const focused = await s.script("return document.activeElement && document.activeElement.dataset.testid;");
  assert.equal(focused, "release-confirm-cancel", "Cancel is the default");
  await shot("release-confirm.png");

  await s.click(await s.find('[data-testid="release-confirm-cancel"]'));
  await s.until("the confirmation closed", async () => !(await dialogOpen()));

  // Escape closes it too.
  await s.click(await s.find('[data-testid="release-real"]'));
  await s.until("the confirmation again", dialogOpen);
  await s.keys("\uE00C");
  await s.until("the confirmation closed by Escape", async () => !(await dialogOpen()));

  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(calledTools(), before, "no tool was called");
  assert.equal(await runsShown(), 0, "no run was recorded");
  assert.equal(await s.text(await s.find('[data-testid="release-status"]')), "No run yet.");
  const runsDir = path.join(process.env.SHIPDECK_DATA_DIR, "runs");
  const recorded = fs.existsSync(runsDir) ? fs.readdirSync(runsDir).filter((d) => fs.existsSync(path.join(runsDir, d, "run.json")) && JSON.parse(fs.readFileSync(path.join(runsDir, d, "run.json"), "utf8")).workspace === fs.realpathSync(ws)) : [];
  assert.equal(recorded.length, 0, "no run record on disk");
});

test("a confirmed release runs; its failed archive shows the tool's error as text with its hint", async () => {
  await s.click(await s.find('[data-testid="release-real"]'));
  await s.until("the confirmation", dialogOpen);
  assert.doesNotMatch(calledTools(), /xcodebuild archive/, "nothing archived before the confirmation");
  await s.click(await s.find('[data-testid="release-confirm-go"]'));
  const status = await s.find('[data-testid="release-status"]');
  await s.until("the end of the run", async () => (await s.attribute(status, "data-outcome")) !== null, 60000);
  assert.equal(await s.attribute(status, "data-outcome"), "failed");
  assert.equal(await s.attribute(await s.find('[data-testid="release-progress"]'), "data-state"), "failed", "a failed run's bar is not the colour of success");
  assert.match(await s.text(await s.find('[data-testid="release-progress-label"]')), /^5 of 11 steps gone through; 2 failed, the first “Archive IsometryiOS \(Production\)”$/);
  assert.match(calledTools(), /^xcodebuild archive .*-scheme IsometryiOS/m, "the confirmed release archived");
  assert.doesNotMatch(calledTools(), /altool/, "a failed archive uploads nothing");

  const archive = await s.find('[data-testid="release-step"][data-step="ios.archive"]');
  assert.equal(await s.attribute(archive, "data-state"), "failed");
  const exportStep = await s.text(await s.find('[data-testid="release-step"][data-step="ios.export"]'));
  assert.doesNotMatch(exportStep, /Wrote /, "a blocked export wrote nothing");
  const text = await s.text(archive);
  assert.doesNotMatch(text, /\[object /);
  assert.match(text, /error: Provisioning profile "Isometry App Store Distribution" doesn't include signing certificate "Apple Distribution: Michael Shaler \(7XK2M9QPLA\)"/);
  assert.match(text, /→ The profile does not list the certificate that signs/);
  const cause = await s.find('[data-testid="release-step"][data-step="ios.archive"] [data-testid="step-cause"]');
  assert.equal(await s.attribute(cause, "data-finding"), "signing.profile.certificate-mismatch");
  await s.script("arguments[0].scrollIntoView({block: 'center'})", [{ "element-6066-11e4-a52e-4f735466cecf": archive }]);
  await shot("release-failed-archive.png");
  // The past run says what it built and why it failed, without opening it.
  const run = await s.until("the run in the list", async () => (await s.findAll('[data-testid="release-run"]'))[0]);
  await s.until("its cause", async () => (await s.findAll('[data-testid="release-run"] [data-testid="run-why"]')).length > 0);
  const line = await s.text(run);
  assert.match(line, /iOS 2\.5\.0 \(250\)/, line);
  assert.match(line, /Archive.*doesn't include signing certificate/, line);
});

test("a dry-run that archives shows the same causes for its failed archive", async () => {
  await s.click(await s.find('[data-testid="release-archive"]'));
  const runs = await runsShown();
  await s.click(await s.find('[data-testid="release-dry-run"]'));
  await s.until("the dry-run recorded", async () => (await runsShown()) === runs + 1, 60000);
  const status = await s.find('[data-testid="release-status"]');
  assert.equal(await s.attribute(status, "data-outcome"), "failed");
  const text = await s.text(await s.find('[data-testid="release-step"][data-step="ios.archive"]'));
  assert.doesNotMatch(text, /\[object /);
  assert.match(text, /doesn't include signing certificate "Apple Distribution: Michael Shaler \(7XK2M9QPLA\)"/);
  await s.click(await s.find('[data-testid="release-archive"]'));
});

test("a Mac target that may ship only outside the App Store is named in the confirmation", async () => {
  // The first question had no such target: nothing was said.
  const plist = path.join(ws, "native/IsometrymacOS/IsometrymacOS/Info.plist");
  const good = fs.readFileSync(plist, "utf8");
  fs.writeFileSync(plist, good.replace(/<\/dict>\s*<\/plist>\s*$/, "\t<key>SUFeedURL</key>\n\t<string>https://example.com/appcast.xml</string>\n</dict>\n</plist>\n"));
  try {
    await s.chord("r");
    await s.until("the Sparkle warning", async () => (await s.findAll('[data-testid="finding"][data-id="release.distribution.sparkle"]')).length === 1, 30000);
    await s.click(await s.find('[data-testid="tab-release"]'));
    await s.click(await s.find('[data-testid="release-real"]'));
    await s.until("the confirmation", dialogOpen);
    const said = await s.findAll('[data-testid="release-confirm-caution"] li');
    assert.equal(said.length, 1);
    assert.equal(
      await s.text(said[0]),
      "macOS target IsometrymacOS: updated by Sparkle, never uploaded to App Store Connect. It may ship only outside the App Store; see the dashboard before you upload it.",
    );
    await shot("release-confirm-caution.png");
    await s.click(await s.find('[data-testid="release-confirm-cancel"]'));
    await s.until("the confirmation closed", async () => !(await dialogOpen()));
    // Only for the platforms released: iOS alone says nothing of the Mac app.
    await s.script("const p = document.querySelector('[data-testid=\"release-platform\"]'); p.value = 'ios'; p.dispatchEvent(new Event('change'));");
    await s.click(await s.find('[data-testid="release-real"]'));
    await s.until("the iOS confirmation", dialogOpen);
    assert.equal((await s.findAll('[data-testid="release-confirm-caution"] li')).length, 0);
    await s.click(await s.find('[data-testid="release-confirm-cancel"]'));
    await s.until("the confirmation closed", async () => !(await dialogOpen()));
  } finally {
    fs.writeFileSync(plist, good);
  }
});

// Loop leaves its team empty: the archive would stop ("requires a development team") after its
// build has run, so the confirmation says so before it starts.
test("a release with no team to sign for says so in the confirmation", async () => {
  const files = ["native/Configurations/Base.xcconfig", "native/Configurations/Production.xcconfig", "shipdeck.toml"].map((f) => path.join(ws, f));
  const kept = files.map((f) => fs.readFileSync(f, "utf8"));
  try {
    fs.writeFileSync(files[0], kept[0].replace("DEVELOPMENT_TEAM = $(APPLE_DEVELOPER_TEAM_ID)", "DEVELOPMENT_TEAM ="));
    fs.writeFileSync(files[1], kept[1].replace("DEVELOPMENT_TEAM = $(APPLE_DEVELOPER_TEAM_ID)", "DEVELOPMENT_TEAM ="));
    fs.writeFileSync(files[2], kept[2].replace(/^team_id = .*\n/m, ""));
    await s.chord("r");
    await s.until("the team warning", async () => (await s.findAll('[data-testid="finding"][data-id="signing.team.missing"]')).length === 1, 30000);
    await s.click(await s.find('[data-testid="tab-release"]'));
    await s.click(await s.find('[data-testid="release-real"]'));
    await s.until("the confirmation", dialogOpen);
    const said = await s.findAll('[data-testid="release-confirm-caution"] li[data-id="signing.team.missing"]');
    assert.equal(said.length, 1);
    assert.match(await s.text(said[0]), /: no team to sign for\. The archive would stop \(“requires a development team”\); see the dashboard\.$/);
    await s.click(await s.find('[data-testid="release-confirm-cancel"]'));
    await s.until("the confirmation closed", async () => !(await dialogOpen()));
  } finally {
    files.forEach((f, i) => fs.writeFileSync(f, kept[i]));
  }
});
