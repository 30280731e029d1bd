// The window at 800x600, the smallest a user is likely to make it: on every screen the header
// keeps the workspace name clear of the tabs and the buttons, and nothing pushes the page
// sideways (tables wrap their file:line column instead of cutting it).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { Session } from "./webdriver.mjs";
import { artifacts, driver, sample } from "./setup.mjs";

const { tmp, ws } = sample("small", { demo: true });
// A long app name, as real repositories have ("Dimillian+IceCubesApp" when named after the
// folder): it is cut with an ellipsis, never painted over the tabs.
const toml = path.join(ws, "shipdeck.toml");
fs.writeFileSync(toml, fs.readFileSync(toml, "utf8").replace(/^name = .*$/m, 'name = "Isometry-for-iPhone-iPad-and-Mac (Production)"'));

let s;
before(async () => {
  s = await Session.start(driver, process.env.SHIPDECK_APP_BIN, [ws]);
  await s.cmd("POST", "/window/rect", { width: 800, height: 600 });
});
after(async () => {
  if (s) await s.end().catch(() => {});
});

// Rectangles overlap when they share any area.
const LAYOUT = `
  const r = (el) => el.getBoundingClientRect();
  const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const n = document.querySelector(".ws-name");
  // The name's text stays on one line in its box: it fits, or the box cuts it (with an ellipsis).
  const oneLine = r(n).height < 2 * parseFloat(getComputedStyle(n).fontSize);
  const nameClipped = oneLine && (n.scrollWidth <= n.clientWidth || (getComputedStyle(n).overflowX === "hidden" && getComputedStyle(n).textOverflow === "ellipsis"));
  const name = r(document.querySelector(".ws")), tabs = r(document.querySelector(".tabs")), actions = r(document.querySelector(".actions"));
  const main = document.querySelector("main");
  const wide = [...main.querySelectorAll("table, .card, .step, .finding")].filter((e) => e.offsetParent && r(e).right > main.clientWidth + 1).map((e) => e.tagName + "." + e.className);
  return { width: innerWidth, nameClipped, nameTabs: overlap(name, tabs), nameActions: overlap(name, actions), tabsActions: overlap(tabs, actions), sideways: main.scrollWidth - main.clientWidth, wide: wide.slice(0, 3) };
`;

test("every screen holds at 800x600", async () => {
  await s.until("the dashboard", async () => (await s.findAll('[data-testid="finding"]')).length > 0);
  fs.mkdirSync(artifacts, { recursive: true });
  // At the default size the tabs share the header's row with the long name.
  await s.cmd("POST", "/window/rect", { width: 1120, height: 780 });
  await s.until("the default size", async () => (await s.script("return innerWidth")) > 1000);
  const wide = await s.script(LAYOUT);
  fs.writeFileSync(path.join(artifacts, "long-name.png"), await s.screenshot());
  assert.deepEqual({ nameClipped: wide.nameClipped, nameTabs: wide.nameTabs }, { nameClipped: true, nameTabs: false }, "the long name at the default size");
  await s.cmd("POST", "/window/rect", { width: 800, height: 600 });
  await s.until("the small size", async () => (await s.script("return innerWidth")) <= 820);
  for (const screen of ["dashboard", "release", "signing", "project", "settings", "cloudkit"]) {
    await s.click(await s.find(`[data-testid="tab-${screen}"]`));
    const probe = { dashboard: "finding", release: "release-real", signing: "signing-card", project: "config-row", settings: "setting-row", cloudkit: "ck-place" }[screen];
    await s.until(`the ${screen} screen`, async () => (await s.findAll(`[data-testid="${probe}"]`)).length > 0);
    const l = await s.script(LAYOUT);
    assert.ok(l.width <= 820, `the window is small (${l.width})`);
    assert.deepEqual({ screen, nameClipped: l.nameClipped, nameTabs: l.nameTabs, nameActions: l.nameActions, tabsActions: l.tabsActions }, { screen, nameClipped: true, nameTabs: false, nameActions: false, tabsActions: false });
    assert.ok(l.sideways <= 1, `${screen} scrolls sideways by ${l.sideways}px: ${l.wide.join(", ")}`);
    fs.writeFileSync(path.join(artifacts, `small-${screen}.png`), await s.screenshot());
  }
});

// The tab bar keeps its place as the user moves between screens: the chosen tab's bold label
// made it wider, so every tab after it (and the clipped workspace name) moved a few pixels.
test("the tabs do not move when another is chosen", async () => {
  await s.until("the dashboard", async () => (await s.findAll('[data-testid="finding"]')).length > 0);
  const where = () => s.script(`return [...document.querySelectorAll(".tab")].map((t) => { const r = t.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.width)]; });`);
  let first;
  for (const screen of ["dashboard", "release", "signing", "project", "settings", "cloudkit", "dashboard"]) {
    await s.click(await s.find(`[data-testid="tab-${screen}"]`));
    await s.until(`${screen} chosen`, async () => (await s.attribute(await s.find(`[data-testid="tab-${screen}"]`), "aria-current")) === "page");
    const now = await where();
    if (!first) first = now;
    assert.deepEqual(now, first, `with ${screen} chosen`);
  }
});

// IceCubes ships iOS, visionOS and Mac Catalyst: its platform menu reads "iOS, visionOS and Mac
// Catalyst", which pushed "Cancel" past the window's edge and broke "Dry-run" over two lines.
test("at 800x600 the release toolbar keeps every control whole, with the longest platform name", async () => {
  await s.click(await s.find('[data-testid="tab-release"]'));
  await s.until("the release screen", async () => (await s.findAll('[data-testid="release-real"]')).length > 0);
  const l = await s.script(`
    const o = document.querySelector('[data-testid="release-platform"] option:checked');
    o.textContent = "iOS, visionOS and Mac Catalyst";
    const main = document.querySelector("main").getBoundingClientRect();
    return [...document.querySelectorAll(".settings-tools > button, .settings-tools > label, .settings-tools > select")]
      .filter((e) => e.closest("#release"))
      .map((e) => { const r = e.getBoundingClientRect(); const lh = parseFloat(getComputedStyle(e).lineHeight) || 20; return { id: e.id || e.textContent.trim(), inside: r.left >= main.left - 1 && r.right <= main.right + 1, oneLine: r.height < 1.8 * lh + 12 }; });
  `);
  fs.writeFileSync(path.join(artifacts, "small-release-toolbar.png"), await s.screenshot());
  const bad = l.filter((c) => !c.inside || !c.oneLine);
  assert.ok(l.length >= 6, JSON.stringify(l));
  assert.deepEqual(bad, [], JSON.stringify(l));
});

test("each screen opens where the user left it, at the top the first time", async () => {
  const top = () => s.script("return document.querySelector('main').scrollTop");
  await s.click(await s.find('[data-testid="tab-dashboard"]'));
  await s.until("the dashboard", async () => (await s.findAll('[data-testid="finding"]')).length > 0);
  await s.script("const m = document.querySelector('main'); m.scrollTop = m.scrollHeight;");
  const down = await top();
  assert.ok(down > 100, `the dashboard scrolls at 800x600 (${down})`);
  // Another screen does not open at the dashboard's offset, hiding its title.
  await s.click(await s.find('[data-testid="tab-release"]'));
  await s.until("the release screen", async () => (await s.findAll('[data-testid="release-real"]')).length > 0);
  assert.equal(await top(), 0, "the release screen opens at its top");
  // No run yet: the list says so rather than showing an empty heading.
  await s.until("the empty list of runs", async () => /No runs of this workspace yet/.test(await s.text(await s.find('[data-testid="release-runs"]'))));
  await s.click(await s.find('[data-testid="tab-dashboard"]'));
  assert.ok(Math.abs((await top()) - down) <= 1, "back on the dashboard, where it was left");
});

test("at 800x600 a setting being edited keeps a field wide enough to read", async () => {
  await s.click(await s.find('[data-testid="tab-settings"]'));
  // The table is drawn again when the screen's view arrives: found and clicked until the field shows.
  const width = await s.until("the field", async () => {
    const shown = await s.script("const i = document.querySelector('[data-testid=\"setting-input\"]'); return i ? i.getBoundingClientRect().width : 0;");
    if (shown) return shown;
    const edit = (await s.findAll('[data-testid="setting-row"][data-name="PRODUCT_BUNDLE_IDENTIFIER"] [data-testid="edit-setting"]'))[0];
    if (edit) await s.click(edit).catch(() => {});
    return 0;
  });
  // The buttons and notes wrap below it; the field was squeezed to two characters.
  assert.ok(width >= 120, `the field is ${width}px wide`);
  fs.writeFileSync(path.join(artifacts, "small-setting-edit.png"), await s.screenshot());
  await s.keys("\uE00C");
});
