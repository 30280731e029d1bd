// Shipdeck's window: the header (open, recent, check again), the tabs, and the wiring of each
// screen's module (ui/screens/*.js). Screens never import each other: they ask for a report or
// a screen through session.js, which this module answers.
import { call, listen } from "./api.js";
import { $, h } from "./dom.js";
import { clearError, session, setHooks, showError } from "./session.js";
import * as dashboard from "./screens/dashboard.js";

// The other screens load after the window's first frame (the dashboard is what it shows
// first), then are wired: the release screen listens for runs the tray starts.
const LAZY = {
  credentials: "./credentials.js",
  release: "./screens/release.js",
  signing: "./screens/signing.js",
  project: "./screens/project.js",
  settings: "./screens/settings.js",
  cloudkit: "./screens/cloudkit.js",
};
const WIRED = ["credentials", "release", "signing", "cloudkit", "settings"];
let lazy = null;
function screens() {
  lazy ??= Promise.all(Object.entries(LAZY).map(([name, file]) => import(file).then((m) => [name, m]))).then((list) => {
    const m = Object.fromEntries(list);
    // Every screen's markup first: a screen's wiring may reach another's (the credentials form
    // is on the release screen, the .p12 passwords on the signing screen).
    for (const mod of Object.values(m)) mod.mount?.();
    for (const name of WIRED) m[name].wire();
    return m;
  });
  return lazy;
}

// What each tab loads when it is shown.
const LOADERS = {
  project: (m) => m.project.load(),
  settings: (m) => m.settings.load(),
  cloudkit: (m) => m.cloudkit.load(),
  signing: (m) => m.signing.load(),
  release: (m) => {
    m.release.load();
    m.credentials.loadCredentials();
  },
};

// Where each screen was scrolled to: a screen opens where the user left it (at the top the
// first time), not at the last screen's offset.
const scrolled = {};

function showScreen(name) {
  const main = document.querySelector("main");
  if (session.screen) scrolled[session.screen] = main.scrollTop;
  session.screen = name;
  for (const t of document.querySelectorAll(".tab")) {
    const on = t.dataset.screen === name;
    t.classList.toggle("active", on);
    if (on) t.setAttribute("aria-current", "page");
    else t.removeAttribute("aria-current");
  }
  $("dashboard").hidden = name !== "dashboard" || !session.current;
  $("welcome").hidden = !!session.current;
  $("project").hidden = name !== "project" || !session.current;
  $("settings").hidden = name !== "settings" || !session.current;
  $("cloudkit").hidden = name !== "cloudkit" || !session.current;
  $("signing").hidden = name !== "signing" || !session.current;
  $("release").hidden = name !== "release" || !session.current;
  main.scrollTop = scrolled[name] || 0;
  if (!session.current) return;
  if (LOADERS[name]) screens().then(LOADERS[name], showError);
}

async function open(path) {
  clearError();
  // An Undo offered for another workspace's files does not follow the user to this one.
  if (path !== session.current) $("toast").hidden = true;
  $("check-again").disabled = true;
  document.body.classList.add("busy");
  try {
    dashboard.renderReport(await call("check_workspace", { path }));
    // Opened: the path bar is for the next one (what is open is in the header).
    $("path-input").value = "";
    await refreshRecent();
  } catch (e) {
    showError(e);
  } finally {
    document.body.classList.remove("busy");
    $("check-again").disabled = !session.current;
  }
}

async function refreshRecent() {
  let list = [];
  try {
    list = await call("recent_workspaces");
  } catch (e) {
    showError(e);
  }
  const menu = $("recent-menu");
  if (!list.length) {
    menu.replaceChildren(h("li", { class: "empty", role: "none" }, "No recent workspaces"));
    return;
  }
  menu.replaceChildren(
    ...list.map((r) =>
      h(
        "li",
        { role: "none" },
        h(
          "button",
          { role: "menuitem", title: r.path, onclick: () => { closeRecent(); open(r.path); } },
          h("span", { class: "recent-name" }, r.name),
          h("span", { class: "recent-path" }, r.path),
        ),
        h("button", { class: "forget", title: "Forget", "aria-label": `Forget ${r.name}`, onclick: (e) => { e.stopPropagation(); forget(r.path); } }, "×"),
      ),
    ),
  );
}

async function forget(path) {
  try {
    await call("forget_workspace", { path });
  } catch (e) {
    showError(e);
  }
  refreshRecent();
}

// The workspaces of the Recent menu (not their Forget buttons).
function recentItems() {
  return [...$("recent-menu").querySelectorAll('button[role="menuitem"]')];
}

function closeRecent() {
  $("recent-menu").hidden = true;
  $("recent-button").setAttribute("aria-expanded", "false");
}

function wire() {
  setHooks({ report: dashboard.renderReport, screen: showScreen });
  $("error-close").addEventListener("click", clearError);
  for (const t of document.querySelectorAll(".tab")) t.addEventListener("click", () => showScreen(t.dataset.screen));
  listen("show-screen", (name) => showScreen(name));
  $("check-again").addEventListener("click", () => session.current && open(session.current));
  $("open-folder").addEventListener("click", async () => {
    try {
      const folder = await call("pick_folder");
      if (folder) open(folder);
    } catch (e) {
      showError(e);
    }
  });
  $("recent-button").addEventListener("click", (e) => {
    e.stopPropagation();
    const menu = $("recent-menu");
    menu.hidden = !menu.hidden;
    $("recent-button").setAttribute("aria-expanded", String(!menu.hidden));
    // Opened from the keyboard or the mouse, the first workspace has the focus, as in a Mac menu.
    if (!menu.hidden) recentItems()[0]?.focus();
  });
  // The menu's keys: arrows move between workspaces (wrapping), Home/End jump, Escape closes
  // and gives the focus back to the button.
  $("recent-menu").addEventListener("keydown", (e) => {
    const items = recentItems();
    const at = items.indexOf(document.activeElement);
    const go = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[e.key];
    if (go !== undefined && items.length) {
      e.preventDefault();
      items[(go + items.length) % items.length].focus();
    } else if (e.key === "Escape") {
      e.stopPropagation();
      closeRecent();
      $("recent-button").focus();
    }
  });
  document.addEventListener("click", closeRecent);
  document.addEventListener("keydown", (e) => e.key === "Escape" && closeRecent());
  $("toast-close").addEventListener("click", () => ($("toast").hidden = true));
  // A Mac app's shortcuts (Ctrl elsewhere): ⌘R checks again, ⌘O opens a workspace folder, ⌘1
  // to ⌘6 show the screens in the order of their tabs (as Xcode's ⌘1… do its navigators). Each
  // is said in its control's tooltip.
  const tabs = [...document.querySelectorAll(".tab")];
  document.addEventListener("keydown", (e) => {
    if (!(e.metaKey || e.ctrlKey) || e.altKey || e.shiftKey) return;
    const key = e.key.toLowerCase();
    const tab = /^[1-9]$/.test(key) ? tabs[Number(key) - 1] : null;
    if (key === "r" && !$("check-again").disabled) {
      e.preventDefault();
      $("check-again").click();
    } else if (key === "o") {
      e.preventDefault();
      $("open-folder").click();
    } else if (tab) {
      e.preventDefault();
      if (!tab.disabled) showScreen(tab.dataset.screen);
    }
  });
  const mod = /Mac/.test(navigator.platform) ? "⌘" : "Ctrl+";
  tabs.forEach((t, i) => (t.title = `${t.textContent} (${mod}${i + 1})`));
  $("check-again").title = `Check the workspace again (${mod}R)`;
  $("open-folder").title = `Open a workspace folder (${mod}O)`;
  $("welcome-open").addEventListener("click", () => $("open-folder").click());
  $("open-path").addEventListener("submit", (e) => {
    e.preventDefault();
    const path = $("path-input").value.trim();
    if (path) open(path);
  });
  // Re-checks made by the tray (menu or timer) arrive as events.
  listen("report", dashboard.renderReport);
  listen("check-error", showError);
  // A folder (or project) dropped on the window.
  listen("open", (path) => open(path));
}

// The window paints at once (ui/boot.js: the header, and for a workspace given at launch a
// "Checking…" dashboard, before this module has loaded); the report fills it in when the checks
// finish.
async function start() {
  wire();
  // The other screens load after the first frame.
  requestAnimationFrame(() => screens().catch(showError));
  let initial = null;
  try {
    initial = await window.shipdeckInitial;
  } catch (e) {
    showError(e);
  }
  refreshRecent();
  if (initial) await open(initial);
}

start();
