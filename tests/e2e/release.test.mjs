// The Release screen of the real app: the one-button dry-run with no Xcode and no
// credentials completes, shows every step, and changes no file of the workspace.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { Session } from "./webdriver.mjs";

const repo = path.resolve(import.meta.dirname, "../..");
const artifacts = path.join(repo, "tests/e2e/artifacts");
const tmp = fs.mkdtempSync(path.join(process.env.SHIPDECK_E2E_TMP || "/tmp", "release-"));
const driver = process.env.SHIPDECK_WEBDRIVER || "http://127.0.0.1:4444";
const ws = path.join(tmp, "isometry");
fs.cpSync(path.join(repo, "examples/isometry"), ws, { recursive: true });
fs.rmSync(path.join(ws, ".shipdeck"), { recursive: true, force: true });

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
  await s.click(await s.find('[data-testid="release-dry-run"]'));
  const status = await s.find('[data-testid="release-status"]');
  await s.until("the end of the dry-run", async () => (await s.attribute(status, "data-outcome")) !== null);
  assert.equal(await s.attribute(status, "data-outcome"), "dry-run-passed");
  const steps = await s.findAll('[data-testid="release-step"]');
  assert.equal(steps.length, 11, "preflight, then five steps for each platform");
  const states = await Promise.all(steps.map((st) => s.attribute(st, "data-state")));
  assert.equal(states[0], "done");
  assert.ok(states.includes("would-run"));
  const upload = await s.find('[data-testid="release-step"][data-step="ios.upload"]');
  assert.match(await s.text(upload), /\$ API_PRIVATE_KEYS_DIR=.* xcrun altool --upload-app -f .*IsometryiOS\.ipa -t ios --apiKey KEY_ID/);
  assert.match(await s.text(upload), /A real run needs: .*APP_STORE_CONNECT_KEY_ID/);
  await s.until("the past run", async () => (await s.findAll('[data-testid="release-run"]')).length === 1);
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, "release.png"), await s.screenshot());
  assert.equal(snapshot(ws), before, "no file of the workspace changed");
});
