// Shipdeck's dashboard: "Ready to ship?" for the open workspace.
import { call, listen } from "./api.js";

const AREAS = {
  workspace: "Workspace",
  xcconfig: "Build settings",
  project: "Xcode project",
  plist: "Property lists",
  signing: "Signing",
  cloudkit: "CloudKit",
  appstore: "App Store requirements",
  monitoring: "Monitoring",
  ci: "Continuous integration",
  release: "Release",
};
const SEVERITY_LABEL = { ok: "OK", warning: "Warning", blocker: "Blocker" };

const $ = (id) => document.getElementById(id);
let current = null;

// Builds an element; children are nodes or text (never parsed as HTML).
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function showError(err) {
  $("error-code").textContent = err.code ? `${err.code}:` : "";
  $("error-message").textContent = err.message;
  $("error").hidden = false;
}

function clearError() {
  $("error").hidden = true;
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function verdict(summary) {
  if (summary.blockers > 0) return { state: "blocker", title: `Not ready: ${plural(summary.blockers, "blocker")}` };
  if (summary.warnings > 0) return { state: "warning", title: `Ready, with ${plural(summary.warnings, "warning")}` };
  return { state: "ok", title: "Ready to ship" };
}

function summaryLine(s) {
  let line = `${s.ok} passed, ${s.warnings} warnings, ${s.blockers} blockers`;
  if (s.acknowledged) line += ` (${s.acknowledged} acknowledged)`;
  return line;
}

function location(f) {
  if (!f.file) return null;
  return f.line ? `${f.file}:${f.line}` : f.file;
}

function findingItem(f) {
  const sev = f.acknowledged ? "acknowledged" : f.severity;
  return h(
    "li",
    { class: `finding ${sev}`, "data-testid": "finding", "data-id": f.id, "data-severity": f.severity },
    h("span", { class: `badge ${sev}` }, f.acknowledged ? "Accepted" : SEVERITY_LABEL[f.severity]),
    h(
      "div",
      { class: "finding-body" },
      h("div", { class: "finding-head" }, h("span", { class: "subject" }, f.subject), h("code", { class: "fid" }, f.id)),
      h("p", { class: "message" }, f.message),
      location(f) && location(f) !== f.subject && h("p", { class: "where" }, location(f)),
      f.help && f.severity !== "ok" && h("p", { class: "help" }, f.help),
      f.fix && f.severity !== "ok" && h("p", { class: "fix" }, "Fix: ", h("strong", {}, f.fix.title)),
      f.acknowledged && h("p", { class: "ack" }, `Acknowledged: ${f.acknowledged}`),
    ),
  );
}

function renderReport(report) {
  current = report.workspace.root;
  $("workspace-name").textContent = report.workspace.name;
  $("workspace-path").textContent = report.workspace.root;
  $("welcome").hidden = true;
  $("dashboard").hidden = false;
  $("check-again").disabled = false;

  const v = verdict(report.summary);
  $("verdict").className = `verdict ${v.state}`;
  $("verdict-title").textContent = v.title;
  $("summary").textContent = summaryLine(report.summary);

  const guesses = $("guesses");
  guesses.replaceChildren(...(report.workspace.guesses || []).map((g) => h("li", {}, g)));
  guesses.hidden = !(report.workspace.guesses || []).length;

  // Areas in the order of their worst finding (the engine sorts worst first).
  const groups = new Map();
  for (const f of report.findings) {
    const area = f.id.split(".")[0];
    if (!groups.has(area)) groups.set(area, []);
    groups.get(area).push(f);
  }
  const sections = [...groups.entries()].map(([area, findings]) => {
    const count = (sev) => findings.filter((f) => f.severity === sev && !f.acknowledged).length;
    const problems = count("blocker") + count("warning");
    const acked = findings.filter((f) => f.acknowledged).length;
    const chips = [
      count("blocker") > 0 && h("span", { class: "chip blocker" }, plural(count("blocker"), "blocker")),
      count("warning") > 0 && h("span", { class: "chip warning" }, plural(count("warning"), "warning")),
      acked > 0 && h("span", { class: "chip acknowledged" }, `${acked} accepted`),
      count("ok") > 0 && h("span", { class: "chip ok" }, `${count("ok")} ok`),
    ];
    return h(
      "details",
      { class: "area", open: problems > 0, "data-testid": "area", "data-area": area },
      h("summary", {}, h("span", { class: "area-name" }, AREAS[area] || area), h("span", { class: "chips" }, chips)),
      h("ul", { class: "findings" }, findings.map(findingItem)),
    );
  });
  $("areas").replaceChildren(...sections);
}

async function open(path) {
  clearError();
  $("check-again").disabled = true;
  document.body.classList.add("busy");
  try {
    renderReport(await call("check_workspace", { path }));
    await refreshRecent();
  } catch (e) {
    showError(e);
  } finally {
    document.body.classList.remove("busy");
    $("check-again").disabled = !current;
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

function closeRecent() {
  $("recent-menu").hidden = true;
  $("recent-button").setAttribute("aria-expanded", "false");
}

function wire() {
  $("error-close").addEventListener("click", clearError);
  $("check-again").addEventListener("click", () => current && open(current));
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
  });
  document.addEventListener("click", closeRecent);
  document.addEventListener("keydown", (e) => e.key === "Escape" && closeRecent());
  $("open-path").addEventListener("submit", (e) => {
    e.preventDefault();
    const path = $("path-input").value.trim();
    if (path) open(path);
  });
  // Re-checks made by the tray (menu or timer) arrive as events.
  listen("report", renderReport);
  listen("check-error", showError);
}

async function start() {
  wire();
  await refreshRecent();
  let initial = null;
  try {
    initial = await call("initial_workspace");
  } catch (e) {
    showError(e);
  }
  if (initial) await open(initial);
  requestAnimationFrame(() => call("first_paint").catch(() => {}));
}

start();
