// "Ready to ship?": the open workspace's report, area by area.
import { fixControl } from "../changes.js";
import { $, h, plural, withCode } from "../dom.js";
import { locationLink, session, showScreen } from "../session.js";

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

export function verdict(summary) {
  if (summary.blockers > 0) return { state: "blocker", title: `Not ready: ${plural(summary.blockers, "blocker")}` };
  if (summary.warnings > 0) return { state: "warning", title: `Ready, with ${plural(summary.warnings, "warning")}` };
  return { state: "ok", title: "Ready to ship" };
}

export function summaryLine(s) {
  let line = `${s.ok} passed, ${plural(s.warnings, "warning")}, ${plural(s.blockers, "blocker")}`;
  if (s.acknowledged) line += ` (${s.acknowledged} acknowledged)`;
  return line;
}

function location(f) {
  if (!f.file) return null;
  return f.line ? `${f.file}:${f.line}` : f.file;
}

// One row per cause: the engine's group of findings that say the same thing of different
// subjects (each platform), naming every subject and every place.
function findingItem(group) {
  const f = group[0];
  const sev = f.acknowledged ? "acknowledged" : f.severity;
  const subjects = [...new Set(group.map((g) => g.subject))].join(", ");
  // Each place once: file and line, opened in the editor on a click.
  const seen = new Set();
  const places = group.filter((g) => g.file && location(g) !== subjects && !seen.has(location(g)) && seen.add(location(g)));
  return h(
    "li",
    { class: `finding ${sev}`, "data-testid": "finding", "data-id": f.id, "data-severity": f.severity, "data-count": String(group.length) },
    h("span", { class: `badge ${sev}` }, f.acknowledged ? "Accepted" : SEVERITY_LABEL[f.severity]),
    h(
      "div",
      { class: "finding-body" },
      // The problem first; what it is about (each target, identity, file) under it.
      h("div", { class: "finding-head" }, h("span", { class: "title", "data-testid": "finding-title" }, f.title || subjects), h("code", { class: "fid" }, f.id)),
      f.title && h("p", { class: "subject" }, subjects),
      h("p", { class: "message" }, withCode(f.message)),
      places.length > 0 && h("p", { class: "where" }, places.map((g, i) => [i > 0 && ", ", locationLink(g.file, g.line)])),
      f.help && f.severity !== "ok" && h("p", { class: "help" }, withCode(f.help)),
      f.fix && f.severity !== "ok" && !f.acknowledged && fixControl(f.fix),
      f.acknowledged && h("p", { class: "ack" }, `Acknowledged: ${f.acknowledged}`),
    ),
  );
}

export function renderReport(report) {
  session.current = report.workspace.root;
  session.lastReport = report;
  for (const t of document.querySelectorAll(".tab")) t.disabled = false;
  // Cut with an ellipsis in a narrow header; the whole of each on hover.
  $("workspace-name").textContent = $("workspace-name").title = report.workspace.name;
  $("workspace-path").textContent = $("workspace-path").title = report.workspace.root;
  $("welcome").hidden = true;
  $("dashboard").hidden = session.screen !== "dashboard";
  $("check-again").disabled = false;

  const v = verdict(report.summary);
  $("verdict").className = `verdict ${v.state}`;
  $("verdict-title").textContent = v.title;
  $("summary").textContent = summaryLine(report.summary);

  const guesses = $("guesses");
  guesses.replaceChildren(...(report.workspace.guesses || []).map((g) => h("li", {}, g)));
  guesses.hidden = !(report.workspace.guesses || []).length;

  // Areas in the order of their worst finding (the engine sorts worst first); in each, the
  // engine's groups (one row per cause).
  const byCause = (report.groups && report.groups.length ? report.groups : report.findings.map((_, i) => [i])).map((g) => g.map((i) => report.findings[i]));
  const areas = new Map();
  for (const g of byCause) {
    const area = g[0].id.split(".")[0];
    if (!areas.has(area)) areas.set(area, []);
    areas.get(area).push(g);
  }
  const sections = [...areas.entries()].map(([area, causes]) => {
    const needsLook = (g) => g[0].severity !== "ok" || g[0].acknowledged;
    // Counted by cause, as the rows are (and as the summary is).
    const count = (sev) => causes.filter((g) => g[0].severity === sev && !g[0].acknowledged).length;
    const problems = count("blocker") + count("warning");
    const acked = causes.filter((g) => g[0].acknowledged).length;
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
      // What needs attention first; the checks that passed folded away beneath it (open when
      // nothing else is there).
      h("ul", { class: "findings" }, causes.filter(needsLook).map(findingItem)),
      count("ok") > 0 &&
        (problems + acked > 0
          ? h(
              "details",
              { class: "passed", "data-testid": "passed" },
              h("summary", {}, `${count("ok")} passed`),
              h("ul", { class: "findings" }, causes.filter((g) => !needsLook(g)).map(findingItem)),
            )
          : h("ul", { class: "findings" }, causes.filter((g) => !needsLook(g)).map(findingItem))),
    );
  });
  $("areas").replaceChildren(...sections);
  if (session.screen !== "dashboard") showScreen(session.screen);
}
