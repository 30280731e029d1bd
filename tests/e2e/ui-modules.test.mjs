// The window's modules fit together without a window: every name a module imports is exported
// by the module it names, each screen module exports load() and wire(), app.js wires every
// screen, and no screen imports another (they ask app.js through session.js). Reads ui/.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

const ui = path.resolve(import.meta.dirname, "../../ui");
const read = (rel) => fs.readFileSync(path.join(ui, rel), "utf8");
const modules = ["app.js", ...fs.readdirSync(ui).filter((f) => f.endsWith(".js") && f !== "app.js"), ...fs.readdirSync(path.join(ui, "screens")).map((f) => `screens/${f}`)];
const exportsOf = (rel) => new Set([...read(rel).matchAll(/export (?:async )?(?:function|const|let) ([\w$]+)/g)].map((m) => m[1]));

test("every imported name is exported where it is imported from", () => {
  for (const rel of modules) {
    for (const m of read(rel).matchAll(/import \{([^}]*)\} from "([^"]+)"/g)) {
      const from = path.join(path.dirname(rel), m[2]);
      const names = m[1].split(",").map((n) => n.trim().split(/\s+as\s+/)[0]).filter(Boolean);
      const have = exportsOf(from);
      for (const n of names) assert.ok(have.has(n), `${rel} imports ${n} from ${m[2]}, which does not export it`);
    }
  }
});

test("each screen exports load and wire, app.js wires them all, and no screen imports another", () => {
  const screens = fs.readdirSync(path.join(ui, "screens"));
  assert.ok(screens.length >= 6, screens.join(", "));
  const app = read("app.js");
  for (const f of screens) {
    const src = read(`screens/${f}`);
    const have = exportsOf(`screens/${f}`);
    if (f !== "dashboard.js") {
      assert.ok(have.has("load"), `${f} exports load()`);
    }
    for (const m of src.matchAll(/from "([^"]+)"/g)) assert.ok(!m[1].startsWith("./") || m[1] === "./" + f, `${f} imports ${m[1]} (another screen)`);
  }
  // The screens app.js loads after the first frame: each exists, and those it wires have wire().
  const lazy = Object.fromEntries([...app.match(/const LAZY = \{([^}]*)\}/)[1].matchAll(/(\w+): "([^"]+)"/g)].map((m) => [m[1], m[2]]));
  for (const f of screens) if (f !== "dashboard.js") assert.ok(Object.values(lazy).includes(`./screens/${f}`), `app.js loads ${f}`);
  const wired = [...app.match(/const WIRED = \[([^\]]*)\]/)[1].matchAll(/"(\w+)"/g)].map((m) => m[1]);
  assert.ok(wired.includes("release"), "the release screen is wired (it listens for runs the tray starts)");
  for (const name of wired) assert.ok(exportsOf(lazy[name]).has("wire"), `${lazy[name]} exports wire()`);
});

test("each screen's markup is in its module; index.html holds only the shell and the dashboard", () => {
  const html = read("index.html");
  for (const f of fs.readdirSync(path.join(ui, "screens")).filter((f) => f !== "dashboard.js")) {
    const name = f.replace(/\.js$/, "");
    const src = read(`screens/${f}`);
    assert.ok(exportsOf(`screens/${f}`).has("mount"), `${f} exports mount()`);
    assert.match(src, new RegExp(`\\$\\("${name}"\\)\\.innerHTML = MARKUP`), `${f} puts its markup into <section id="${name}">`);
    assert.match(html, new RegExp(`<section id="${name}"[^>]*></section>`), `index.html leaves <section id="${name}"> to ${f}`);
    // Every id the module looks up is in its own markup, another screen's, or the shell.
    const markup = [html, ...fs.readdirSync(path.join(ui, "screens")).map((g) => read(`screens/${g}`))].join("\n");
    for (const m of src.matchAll(/\$\("([\w-]+)"\)/g)) assert.ok(markup.includes(`id="${m[1]}"`), `${f} looks up #${m[1]}, which no markup has`);
  }
  assert.match(read("app.js"), /mod\.mount\?\.\(\)/, "app.js mounts the screens before wiring them");
});

test("index.html preloads every module app.js reaches before the first frame", () => {
  const html = read("index.html");
  const preloaded = new Set([...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]));
  const reached = new Set();
  const visit = (rel) => {
    for (const m of read(rel).matchAll(/from "([^"]+)"/g)) {
      const dep = path.join(path.dirname(rel), m[1]);
      if (!reached.has(dep)) {
        reached.add(dep);
        visit(dep);
      }
    }
  };
  visit("app.js");
  assert.deepEqual([...reached].sort(), [...preloaded].sort());
});

test("boot.js, the first frame, is a classic script at the end of the page and imports nothing", () => {
  const html = read("index.html");
  const boot = read("boot.js");
  assert.doesNotMatch(boot, /^\s*(import|export)\b/m, "boot.js runs before the modules: it can import nothing");
  const tag = html.match(/<script([^>]*)src="boot.js"([^>]*)><\/script>/);
  assert.ok(tag, "index.html loads boot.js");
  assert.doesNotMatch(tag[1] + tag[2], /type="module"|defer|async/, "boot.js runs while the page is parsed, not after");
  // After the markup it fills in, before the modules (asked for after what the first frame needs).
  assert.ok(html.indexOf('src="boot.js"') > html.indexOf('id="dashboard"'), "boot.js comes after the dashboard's markup");
  assert.ok(html.indexOf('src="boot.js"') < html.indexOf('src="app.js"'), "boot.js comes before app.js");
  // app.js takes the workspace to open from boot.js's promise instead of asking again.
  assert.match(read("app.js"), /await window\.shipdeckInitial/);
});
