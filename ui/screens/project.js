// Project: each shipping project's configuration lists, and the fixes that add what is missing.
import { newestOnly } from "../api.js";
import { fixControl } from "../changes.js";
import { $, breakAfter, h, withCode } from "../dom.js";
import { noTargetReason, session, showError } from "../session.js";

const projectView = newestOnly("project_view");

// The screen's markup, put into its <section> by mount() when the module loads.
const MARKUP = `
  <h2>Configurations</h2>
  <p class="lede">Every configuration list of the shipping projects, and the xcconfig each configuration is based on.</p>
  <div id="project-fixes"></div>
  <div id="project-tables"></div>
`;

export function mount() {
  $("project").innerHTML = MARKUP;
}

export async function load() {
  try {
    const projects = await projectView({ path: session.current });
    if (!projects) return;
    const fixes = (session.lastReport ? session.lastReport.findings : []).filter((f) => f.fix && f.fix.preview && !f.acknowledged);
    $("project-fixes").replaceChildren(...fixes.map(fixBanner));
    $("project-tables").replaceChildren(
      ...(projects.length
        ? projects.map(projectCard)
        : [h("p", { class: "lede", "data-testid": "project-none" }, ...[withCode(noTargetReason() ? `No configurations to show yet. ${noTargetReason()}` : "No Xcode project here, so no configurations to show. The dashboard says why.")].flat())]),
    );
  } catch (e) {
    showError(e);
  }
}

// A finding with a fix. What discovery read (no shipdeck.toml yet) is its list of choices, one
// per line as on the dashboard: as one sentence it was a wall of text under "shipdeck.toml: No
// shipdeck.toml: …".
function fixBanner(f) {
  const guesses = f.id === "workspace.config.discovered" ? session.lastReport?.workspace?.guesses || [] : [];
  const text = guesses.length
    ? h("div", { class: "fix-text" }, h("ul", { class: "banner-list", "data-testid": "project-fix-guesses" }, guesses.map((g) => h("li", {}, withCode(g)))))
    : h("span", {}, h("strong", {}, f.subject), ": ", withCode(f.message));
  return h("div", { class: `banner ${f.severity}`, "data-testid": "project-fix" }, text, fixControl(f.fix));
}

function projectCard(p) {
  // The configuration a release archives first (Simplenote has five; the one that ships was
  // the fourth, out of sight), then the others in the project's order.
  const names = [p.release];
  for (const l of p.lists) for (const c of l.configurations) if (!names.includes(c.name)) names.push(c.name);
  const head = h("tr", {}, h("th", {}, "Configuration list"), names.map((n) => h("th", { class: n === p.release ? "release-head" : "" }, n, n === p.release && h("span", { class: "owner-platform" }, "archived"))));
  const rows = p.lists.map((l) =>
    h(
      "tr",
      { "data-testid": "config-row", "data-owner": l.owner },
      h("td", {}, h("strong", {}, l.owner), l.platform && h("span", { class: "owner-platform" }, l.platform)),
      names.map((n) => {
        const c = l.configurations.find((c) => c.name === n);
        const release = n === p.release ? " release" : "";
        if (!c) return h("td", { class: `${release}${n === p.release ? " missing" : ""}`, "data-config": n }, n === p.release ? "missing" : "—");
        // A base the project names that is not on disk says so (CocoaPods' before `pod install`).
        const base = c.base_xcconfig ? breakAfter(c.base_xcconfig, "/") : "no xcconfig";
        const gone = c.base_missing && h("span", { class: "base-missing", "data-testid": "base-missing", title: "The project names this file, and it is not here: Xcode builds without its settings" }, "not here");
        return h("td", { class: release, "data-config": n }, h("span", { class: "cell-base", title: `line ${c.line}` }, base), gone && " ", gone);
      }),
    ),
  );
  return h(
    "div",
    { class: "project-card", "data-testid": "project-card" },
    h("h3", {}, p.project),
    p.generated && h("p", { class: "card-note", "data-testid": "project-generated" }, withCode(p.generated)),
    h("table", {}, h("thead", {}, head), h("tbody", {}, rows)),
  );
}
