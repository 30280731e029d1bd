// The window's bridge to the app, on its own (no window): overlapping loads of one screen, where
// only the newest answer may be drawn.
import { test } from "node:test";
import assert from "node:assert/strict";

// Each invoke waits until the test settles it, so the order answers arrive in is the test's.
const pending = [];
globalThis.window = {
  __TAURI__: {
    core: {
      invoke: (command, args) =>
        new Promise((resolve, reject) => {
          pending.push({ command, args, resolve, reject });
        }),
    },
  },
};
const { newestOnly } = await import("../../ui/api.js");

test("an older answer that arrives last is not used", async () => {
  const view = newestOnly("signing_view");
  const first = view({ path: "/a" });
  const second = view({ path: "/a" });
  const [a, b] = pending.splice(0);
  assert.equal(a.command, "signing_view");
  b.resolve("newer");
  a.resolve("older");
  assert.equal(await second, "newer");
  assert.equal(await first, null);
});

test("an older call's error is dropped, the newest call's error is thrown as {code, message}", async () => {
  const view = newestOnly("cloudkit_view");
  const first = view({});
  const second = view({});
  const [a, b] = pending.splice(0);
  a.reject({ code: "io", message: "gone" });
  assert.equal(await first, null);
  b.reject("refused");
  await assert.rejects(second, { code: "error", message: "refused" });
});

test("calls that do not overlap each get their own answer", async () => {
  const view = newestOnly("project_view");
  const first = view({});
  pending.shift().resolve(1);
  assert.equal(await first, 1);
  const second = view({});
  pending.shift().resolve(2);
  assert.equal(await second, 2);
});
