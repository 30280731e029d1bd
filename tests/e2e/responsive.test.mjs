// The window never freezes (and ⌘R checks again): while a slow check runs (a `security` that takes seconds to
// answer, as a locked or large keychain does), the window still takes clicks at once.
// Tauri runs plain commands on the main thread; the app's commands that touch the disk, the
// keychain or a process are async, so a click is handled while the check goes on.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { Session } from "./webdriver.mjs";
import { artifacts, driver, sample, useSources, withFakes } from "./setup.mjs";

const { tmp, ws } = sample("responsive");
// Identities from the `security` command (the fake, which sleeps before each answer).
useSources(ws, ["security"]);

const calls = path.join(tmp, "calls.log");
const called = () => (fs.existsSync(calls) ? fs.readFileSync(calls, "utf8") : "");
const SLEEP = 4; // seconds per `security` call; a check makes three
const launcher = withFakes(tmp, { SHIPDECK_FAKE_LOG: calls, FAKE_SECURITY_SLEEP_FILE: path.join(tmp, "sleep") });

let s;
before(async () => {
  s = await Session.start(driver, launcher, [ws]);
});
after(async () => {
  if (s) await s.end().catch(() => {});
});

test("clicks are handled at once while a slow check runs", async () => {
  // The first check is quick; then the keychain turns slow and the user checks again.
  await s.until("the first check's findings", async () => (await s.findAll('[data-testid="finding"]')).length > 0, 60000);
  fs.writeFileSync(path.join(tmp, "sleep"), String(SLEEP));
  fs.writeFileSync(calls, "");
  // ⌘R (Control+R off the Mac) checks again, as the button does.
  await s.chord("r");
  await s.until("the check to ask security", async () => called().includes("security find-identity"), 30000);
  assert.equal(await s.attribute(await s.find('[data-testid="check-again"]'), "disabled"), "true", "the check is still running");

  // ⌘1 to ⌘6 show the screens, in the order of the tabs; each tab's tooltip says its key.
  await s.chord("3");
  await s.until("⌘3: Signing", async () => (await s.attribute(await s.find('[data-testid="tab-signing"]'), "aria-current")) === "page", 20000);
  assert.equal(await s.attribute(await s.find('[data-testid="tab-signing"]'), "title"), "Signing (Ctrl+3)");
  await s.chord("1");
  await s.until("⌘1: the dashboard", async () => (await s.attribute(await s.find('[data-testid="tab-dashboard"]'), "aria-current")) === "page", 20000);

  for (const tab of ["settings", "signing", "release"]) {
    const t0 = Date.now();
    await s.click(await s.find(`[data-testid="tab-${tab}"]`));
    await s.until(`the ${tab} tab to be current`, async () => (await s.attribute(await s.find(`[data-testid="tab-${tab}"]`), "aria-current")) === "page", 20000);
    const ms = Date.now() - t0;
    // The check still runs: three `security` calls of SLEEP seconds each, not all done yet.
    assert.ok(!called().includes("security find-certificate"), `the check ended before the ${tab} click was measured`);
    assert.ok(ms < SLEEP * 1000, `the ${tab} tab took ${ms} ms while the check ran: the window was frozen`);
  }
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, "responsive-during-slow-check.png"), await s.screenshot());

  // And the check still finishes.
  await s.until("the check to end", async () => (await s.attribute(await s.find('[data-testid="check-again"]'), "disabled")) === null, 90000);
  assert.ok(called().includes("security find-certificate"));
});
