// The Signing screen of the real app on the sample with its demo signing set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Session } from "./webdriver.mjs";

const repo = path.resolve(import.meta.dirname, "../..");
const artifacts = path.join(repo, "tests/e2e/artifacts");
const tmp = fs.mkdtempSync(path.join(process.env.SHIPDECK_E2E_TMP || "/tmp", "signing-"));
const driver = process.env.SHIPDECK_WEBDRIVER || "http://127.0.0.1:4444";
const ws = path.join(tmp, "isometry");
fs.cpSync(path.join(repo, "examples/isometry"), ws, { recursive: true });
fs.rmSync(path.join(ws, ".shipdeck"), { recursive: true, force: true });
execFileSync(process.env.SHIPDECK_BIN, ["signing", "demo", "--workspace", ws]);

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
  assert.equal(cards.length, 7, "six identities and the intermediate");
  const states = await Promise.all(cards.map((c) => s.attribute(c, "data-state")));
  assert.deepEqual(states.slice(0, 2), ["blocker", "warning"], "expired first, then the one expiring in 12 days");
  assert.match(await s.text(cards[1]), /iPhone Distribution: Michael Shaler \(7XK2M9QPLA\)[\s\S]*12\s*days left/);
  // The two valid Mac App Distribution identities share a name: both red, and said why.
  const texts = await Promise.all(cards.map((c) => s.text(c)));
  const twins = cards.filter((_, i) => /3rd Party Mac Developer Application/i.test(texts[i]));
  assert.equal(twins.length, 2);
  for (const c of twins) {
    assert.equal(await s.attribute(c, "data-state"), "blocker");
    assert.match(await s.text(c), /ambiguous: 2 valid identities share this name/i);
  }
  assert.ok(texts.some((t) => /WWDR intermediate · G3/i.test(t)), "the intermediate names its generation");
  const profiles = await s.findAll('[data-testid="signing-profiles"] [data-testid="signing-card"]');
  assert.equal(profiles.length, 2);
  assert.equal(await s.attribute(profiles[0], "data-state"), "warning");
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, "signing.png"), await s.screenshot());
});
