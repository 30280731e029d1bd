// The Signing screen with a .p12 identity whose password is not known yet: the password is
// checked against the file, kept in the keychain, and the identity appears.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Session } from "./webdriver.mjs";
import { artifacts, driver, sample } from "./setup.mjs";

const { tmp, ws } = sample("p12", { demo: true });
// The healthy demo identity (certificate and key) as a .p12 protected by "Sesame-7781".
fs.mkdirSync(path.join(ws, "p12"));
execFileSync("openssl", ["pkcs12", "-export", "-in", path.join(ws, ".shipdeck/demo-signing/apple-distribution.pem"), "-out", path.join(ws, "p12/dist.p12"), "-passout", "pass:Sesame-7781"]);
const toml = path.join(ws, "shipdeck.toml");
fs.writeFileSync(toml, fs.readFileSync(toml, "utf8").replace('sources = ["keychain", "dir:.shipdeck/demo-signing"]', 'sources = ["dir:p12"]'));

let s;
before(async () => {
  s = await Session.start(driver, process.env.SHIPDECK_APP_BIN, [ws]);
});
after(async () => {
  if (s) await s.end().catch(() => {});
});

test("a .p12 password is checked, kept in the keychain, and opens the identity", async () => {
  await s.until("the dashboard", async () => (await s.findAll('[data-testid="finding"]')).length > 0);
  await s.click(await s.find('[data-testid="tab-signing"]'));
  const row = await s.until("the .p12 row", async () => (await s.findAll('[data-testid="p12-dist.p12"]'))[0]);
  assert.equal(await s.attribute(row, "data-state"), "not stored");
  assert.equal((await s.findAll('[data-testid="signing-identities"] [data-testid="signing-card"]')).length, 0);

  const input = await s.find('[data-testid="p12-password-dist.p12"]');
  await s.type(input, "wrong\uE007");
  const error = await s.find('[data-testid="error-message"]');
  await s.until("the refusal", async () => /dist\.p12 does not open with this password; nothing stored/.test(await s.text(error)));
  assert.equal(await s.attribute(await s.find('[data-testid="p12-dist.p12"]'), "data-state"), "not stored");
  assert.equal(await s.attribute(input, "type"), "password", "the password is never shown");

  await s.type(await s.find('[data-testid="p12-password-dist.p12"]'), "Sesame-7781\uE007");
  await s.until("the password stored", async () => (await s.attribute(await s.find('[data-testid="p12-dist.p12"]'), "data-state")) === "stored");
  const cards = await s.until("the identity", async () => {
    const c = await s.findAll('[data-testid="signing-identities"] [data-testid="signing-card"]');
    return c.length ? c : null;
  });
  assert.match(await s.text(cards[0]), /Apple Distribution: Michael Shaler \(7XK2M9QPLA\)/);
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, "signing-p12.png"), await s.screenshot());
  const page = await s.script("return document.documentElement.outerHTML;");
  assert.ok(!page.includes("Sesame-7781"), "the password is not left in the page");
});
