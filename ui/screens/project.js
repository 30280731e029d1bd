// Project: each shipping project's configuration lists, and the fixes that add what is missing.
import { call } from "../api.js";
import { fixControl } from "../changes.js";
import { $, h } from "../dom.js";
import { session, showError } from "../session.js";

export async function load() {
  try {
    const projects = await call("project_view", { path: session.current });
    const fixes = (session.lastReport ? session.lastReport.findings : []).filter((f) => f.fix && f.fix.preview && !f.acknowledged);
    $("project-fixes").replaceChildren(
      ...fixes.map((f) => h("div", { class: "banner", "data-testid": "project-fix" }, h("span", {}, h("strong", {}, f.subject), ": ", f.message), fixControl(f.fix))),
    );
    $("project-tables").replaceChildren(...projects.map(projectCard));
  } catch (e) {
    showError(e);
  }
}

function projectCard(p) {
  const names = [];
  for (const l of p.lists) for (const c of l.configurations) if (!names.includes(c.name)) names.push(c.name);
  if (!names.includes(p.release)) names.push(p.release);
  const head = h("tr", {}, h("th", {}, "Configuration list"), names.map((n) => h("th", {}, n)));
  const rows = p.lists.map((l) =>
    h(
      "tr",
      { "data-testid": "config-row", "data-owner": l.owner },
      h("td", {}, h("strong", {}, l.owner), l.platform && h("span", { class: "owner-platform" }, l.platform)),
      names.map((n) => {
        const c = l.configurations.find((c) => c.name === n);
        const release = n === p.release ? " release" : "";
        if (!c) return h("td", { class: `${release}${n === p.release ? " missing" : ""}`, "data-config": n }, n === p.release ? "missing" : "—");
        return h("td", { class: release, "data-config": n }, h("span", { class: "cell-base", title: `line ${c.line}` }, c.base_xcconfig || "no xcconfig"));
      }),
    ),
  );
  return h("div", { class: "project-card", "data-testid": "project-card" }, h("h3", {}, p.project), h("table", {}, h("thead", {}, head), h("tbody", {}, rows)));
}
