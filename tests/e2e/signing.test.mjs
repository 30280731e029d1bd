// The Signing screen of the real app on the sample with its demo signing set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Session } from "./webdriver.mjs";
import { artifacts, driver, sample } from "./setup.mjs";

const { tmp, ws } = sample("signing", { demo: true });

let s;
before(async () => {
  s = await Session.start(driver, process.env.SHIPDECK_APP_BIN, [ws]);
});
after(async () => {
  if (s) await s.end().catch(() => {});
});

test("identities and profiles show their state and days left", async () => {
  await s.until("the dashboard", async () => (await s.findAll('[data-testid="finding"][data-id="signing.identity.ambiguous"]')).length === 1);
  await s.click(await s.find('[data-testid="tab-signing"]'));
  const cards = await s.until("the cards", async () => {
    const c = await s.findAll('[data-testid="signing-identities"] [data-testid="signing-card"]');
    return c.length ? c : null;
  });
  assert.equal(cards.length, 8, "seven identities and the intermediate");
  // Coloured as the checks judge them, worst first: the ambiguous twins (blockers), then the
  // warnings soonest first (expired 40 days ago, expiring in 12, no private key), then the rest.
  const states = await Promise.all(cards.map((c) => s.attribute(c, "data-state")));
  const labels = await Promise.all(cards.map((c) => s.attribute(c, "data-label")));
  assert.deepEqual(states.slice(0, 5), ["blocker", "blocker", "warning", "warning", "warning"], labels.join(", "));
  assert.deepEqual(labels.slice(0, 5), ["ambiguous", "ambiguous", "expired", "expiring", "no key"]);
  assert.match(await s.text(cards[3]), /iPhone Distribution: Michael Shaler \(7XK2M9QPLA\)[\s\S]*12\s*days left/);
  // The two valid Mac App Distribution identities share a name: both red, said why, told apart by SHA-1.
  const texts = await Promise.all(cards.map((c) => s.text(c)));
  const twins = cards.filter((_, i) => /3rd Party Mac Developer Application/i.test(texts[i]));
  assert.equal(twins.length, 2);
  for (const c of twins) {
    assert.equal(await s.attribute(c, "data-state"), "blocker");
    assert.match(await s.text(c), /ambiguous: 2 valid identities share this name/i);
  }
  const sha = (t) => (t.match(/SHA-1 ([0-9A-F]{12})/) || [])[1];
  assert.notEqual(sha(await s.text(twins[0])), sha(await s.text(twins[1])));
  assert.ok(texts.some((t) => /WWDR intermediate · G3/i.test(t)), "the intermediate names its generation");

  // What signs each target: the iOS app with the valid Apple Distribution identity and its App
  // Store profile, which allows the iCloud container; the Mac profile expires in 20 days.
  const rows = await s.findAll('[data-testid="signing-map-row"]');
  assert.equal(rows.length, 2);
  const ios = await s.find('[data-testid="signing-map-row"][data-target="IsometryiOS"]');
  assert.equal(await s.attribute(ios, "data-state"), "ok");
  assert.match(await s.text(ios), /Apple Distribution: Michael Shaler[\s\S]*profile[\s\S]*Isometry App Store Distribution[\s\S]*iCloud\.com\.mshaler\.isometry/);
  assert.equal(await s.attribute(await s.find('[data-testid="signing-map-row"][data-target="IsometrymacOS"]'), "data-state"), "warning");
  // The timeline: the next twelve months with the expired identity on top, not the 3,000-day intermediate.
  const timeline = await Promise.all((await s.findAll('[data-testid="timeline-row"]')).map((r) => s.text(r)));
  assert.match(timeline[0], /expired 40 d ago/);
  assert.ok(!timeline.some((t) => /Certification Authority/.test(t)), timeline.join("\n"));
  const profiles = await s.findAll('[data-testid="signing-profiles"] [data-testid="signing-card"]');
  assert.equal(profiles.length, 2);
  assert.equal(await s.attribute(profiles[0], "data-state"), "warning");
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, "signing.png"), await s.screenshot());
});

test("the profile clean-up previews, moves aside and restores", async () => {
  // A second demo run gives a profile of the same name, so one of the two is superseded.
  const second = path.join(tmp, "second");
  execFileSync(process.env.SHIPDECK_BIN, ["signing", "demo", "--workspace", ws, "--out", second]);
  const profiles = path.join(ws, ".shipdeck/demo-signing");
  fs.copyFileSync(path.join(second, "Isometry_App_Store_Distribution.mobileprovision"), path.join(profiles, "Isometry_App_Store_Distribution-2.mobileprovision"));
  const count = () => fs.readdirSync(profiles).filter((f) => /\.(mobileprovision|provisionprofile)$/.test(f)).length;
  assert.equal(count(), 3);

  await s.click(await s.find('[data-testid="cleanup-open"]'));
  const items = await s.until("the preview", async () => {
    const i = await s.findAll('[data-testid="cleanup-item"]');
    return i.length ? i : null;
  });
  assert.equal(items.length, 1);
  assert.match(await s.text(items[0]), /Isometry App Store Distribution[\s\S]*superseded by/i);
  assert.equal(count(), 3, "the preview moves nothing");
  fs.writeFileSync(path.join(artifacts, "cleanup.png"), await s.screenshot());

  await s.click(await s.find('[data-testid="cleanup-apply"]'));
  const result = await s.find('[data-testid="cleanup-result"]');
  await s.until("the result", async () => /Moved 1 profile to /i.test(await s.text(result)));
  assert.equal(count(), 2);

  await s.click(await s.find('[data-testid="cleanup-open"]'));
  await s.until("nothing left to clean", async () => (await s.findAll('[data-testid="cleanup-none"]')).length === 1);
  const restore = await s.find('[data-testid="cleanup-restore"]');
  assert.equal(await s.attribute(restore, "hidden"), null, "the last clean-up can be restored");
  await s.click(restore);
  await s.until("the restore", async () => /Restored 1 profile/i.test(await s.text(result)));
  assert.equal(count(), 3);
});

// Automatic signing with no profile named and none here (a fresh Mac, a CI runner): Xcode makes
// or downloads the profile when it exports, so the row says so in yellow, not "no profile" in red.
test("an automatic target without a profile here says Xcode makes it at the export", async () => {
  const xcconfig = path.join(ws, "native/Configurations/Production.xcconfig");
  const manual = fs.readFileSync(xcconfig, "utf8");
  const profiles = path.join(ws, ".shipdeck/demo-signing");
  for (const f of fs.readdirSync(profiles).filter((f) => f.endsWith(".mobileprovision"))) fs.renameSync(path.join(profiles, f), path.join(tmp, f));
  // Manual signing first: the row names the profile the project asks for, not installed here.
  await s.click(await s.find('[data-testid="tab-dashboard"]'));
  await s.click(await s.find('[data-testid="check-again"]'));
  await s.until("the missing profile", async () => (await s.findAll('[data-testid="finding"][data-id="signing.profile.missing"]')).length >= 1);
  await s.click(await s.find('[data-testid="tab-signing"]'));
  // The map is drawn again when a check ends, so the text is read in the same probe that found it
  // (a node found in one pass may be gone by the next request: a stale element).
  const named = await s.until("the named profile", async () => {
    const r = await s.findAll('[data-testid="signing-map-row"][data-target="IsometryiOS"] [data-testid="profile-named"]');
    return r.length === 1 ? await s.text(r[0]) : null;
  });
  assert.equal(named, "Isometry App Store Distribution · not installed here");
  fs.writeFileSync(xcconfig, manual.replace("CODE_SIGN_STYLE = Manual", "CODE_SIGN_STYLE = Automatic").replace(/^PROVISIONING_PROFILE_SPECIFIER\[sdk=iphoneos\*\].*\n/m, ""));
  await s.click(await s.find('[data-testid="tab-dashboard"]'));
  await s.click(await s.find('[data-testid="check-again"]'));
  await s.until("the check's warning", async () => (await s.findAll('[data-testid="finding"][data-id="signing.profile.automatic"]')).length === 1);
  await s.click(await s.find('[data-testid="tab-signing"]'));
  const row = await s.until("the automatic row", async () => {
    const r = await s.findAll('[data-testid="signing-map-row"][data-target="IsometryiOS"] [data-testid="profile-by-xcode"]');
    return r.length === 1 ? await s.text(r[0]) : null;
  });
  assert.equal(row, "made by Xcode at the export");
  const ios = await s.until("the automatic row's state and text", async () => {
    const r = await s.find('[data-testid="signing-map-row"][data-target="IsometryiOS"]');
    return { state: await s.attribute(r, "data-state"), text: await s.text(r) };
  });
  assert.equal(ios.state, "warning");
  assert.match(ios.text, /^AUTOMATIC|^automatic/);
  await s.script("document.querySelector('main').scrollTo(0, 0);");
  fs.writeFileSync(path.join(artifacts, "signing-automatic.png"), await s.screenshot());
  fs.writeFileSync(xcconfig, manual);
});
