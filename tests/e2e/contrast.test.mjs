// Text and its background in the app's stylesheet, in the light and the dark scheme: at least
// 4.5:1 (WCAG AA for body text) for the pairs a user reads. Reads ui/style.css; no window needed.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

const css = fs.readFileSync(path.resolve(import.meta.dirname, "../../ui/style.css"), "utf8");

function vars(block) {
  const out = {};
  for (const m of block.matchAll(/--([a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)) out[m[1]] = m[2];
  return out;
}
const light = vars(css.slice(css.indexOf(":root {"), css.indexOf("@media (prefers-color-scheme: dark)")));
const darkBlock = css.slice(css.indexOf("@media (prefers-color-scheme: dark)"));
const dark = { ...light, ...vars(darkBlock.slice(0, darkBlock.indexOf("}\n}") + 1)) };

function luminance(hex) {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

// (text, background) pairs by variable name.
const PAIRS = [
  ["on-accent", "accent"],
  ["on-danger", "danger"],
  ["text", "bg"],
  ["text", "panel"],
  ["muted", "panel"],
  ["ok", "ok-bg"],
  ["warn", "warn-bg"],
  ["block", "block-bg"],
  // The confirmation's missing lines and "cannot start here", a step's needs: on a card.
  ["block", "panel"],
  ["warn", "panel"],
  ["muted", "bg"],
  ["text", "warn-bg"],
];

for (const [scheme, v] of [["light", light], ["dark", dark]]) {
  test(`readable text in the ${scheme} scheme`, () => {
    for (const [fg, bg] of PAIRS) {
      assert.ok(v[fg] && v[bg], `--${fg} and --${bg} are defined`);
      const r = contrast(v[fg], v[bg]);
      assert.ok(r >= 4.5, `--${fg} ${v[fg]} on --${bg} ${v[bg]}: ${r.toFixed(2)}:1 in the ${scheme} scheme`);
    }
  });
}

test("the primary button's text uses the colour made for the accent", () => {
  assert.match(css, /button\.primary \{[^}]*color: var\(--on-accent\)/);
});
