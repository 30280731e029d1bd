// Build settings: a shipping target's effective settings with their origin; edit -> diff ->
// save, and undo of the last save.
import { call, newestOnly } from "../api.js";
import { confirmChanges, showAppliedToast } from "../changes.js";
import { $, breakAfter, h, withCode } from "../dom.js";
import { locationLink, noTargetReason, session, shortPath, showError, showReport } from "../session.js";

const xcconfigView = newestOnly("xcconfig_view");

// The screen's markup, put into its <section> by mount() when the module loads.
const MARKUP = `
  <div class="settings-head">
    <div>
      <h2>Effective build settings</h2>
      <p class="lede" id="settings-lede">The release configuration's settings, each with the file and line it comes from.</p>
    </div>
    <div class="settings-tools" id="settings-tools">
      <select id="settings-platform" aria-label="Platform" data-testid="settings-platform"></select>
      <input id="settings-filter" type="search" placeholder="Filter settings" aria-label="Filter settings" data-testid="settings-filter">
      <button id="settings-undo" data-testid="settings-undo" disabled>Undo last save</button>
    </div>
  </div>
  <table class="settings" id="settings-table" data-testid="settings-table">
    <thead><tr><th>Setting</th><th>Value</th><th>From</th><th></th></tr></thead>
    <tbody id="settings-body"></tbody>
  </table>
`;

export function mount() {
  $("settings").innerHTML = MARKUP;
}

let settingsView = null;

export async function load() {
  // The workspace's own platforms (visionOS, Mac Catalyst... too; the list was iOS and macOS).
  const select = $("settings-platform");
  const platforms = session.lastReport?.workspace?.platforms ?? [];
  const was = select.value;
  select.replaceChildren(...platforms.map((p) => h("option", { value: p.id }, p.label)));
  select.value = platforms.some((p) => p.id === was) ? was : platforms[0]?.id ?? "";
  select.disabled = platforms.length < 2;
  $("settings-undo").disabled = true;
  // No app target (no project yet, or not an Xcode app): said, not an error, with no empty
  // platform menu, filter or table.
  $("settings-tools").hidden = !platforms.length;
  $("settings-table").hidden = !platforms.length;
  if (!platforms.length) {
    settingsView = null;
    const why = noTargetReason();
    $("settings-lede").replaceChildren(...[withCode(why ? `No settings to show yet. ${why}` : "No app target here, so no settings to show. The dashboard says why.")].flat());
    $("settings-body").replaceChildren();
    return;
  }
  try {
    const v = await xcconfigView({ path: session.current, platform: select.value });
    if (!v) return;
    settingsView = v;
  } catch (e) {
    showError(e);
    return;
  }
  // Undo says what it puts back.
  const undo = $("settings-undo");
  const changes = settingsView.undo ? settingsView.undo.changes : [];
  undo.disabled = !settingsView.can_undo;
  undo.textContent = changes.length === 1 ? `Undo ${changes[0].split(":")[0].split(" =")[0].split(" (")[0]}` : changes.length > 1 ? `Undo last save (${changes.length} settings)` : "Undo last save";
  undo.title = settingsView.undo ? `Puts back ${settingsView.undo.file}: ${changes.join("; ")}` : "Nothing saved from here to undo";
  const v = settingsView;
  const lede = v.file
    ? `${v.file}: the ${v.configuration} configuration's settings of ${v.target}, each with the file and line it comes from.`
    : `The ${v.configuration} configuration's settings of ${v.target}, each with the file and line it comes from. ${
        v.settings.some((s) => s.editable) ? "Edit changes a value where it is set: its xcconfig, or its configuration in the project file." : "None can be edited here."
      }`;
  // Base xcconfigs not here: their settings are missing from the list (CocoaPods' before `pod install`).
  const pods = v.missing_bases.some((b) => b.includes("Pods/"));
  const gone = v.missing_bases.length
    ? ` ${v.missing_bases.map((b) => `\`${b}\``).join(", ")} ${v.missing_bases.length === 1 ? "is" : "are"} not here, so ${v.missing_bases.length === 1 ? "its" : "their"} settings are not shown${pods ? " (CocoaPods makes them: `pod install`)" : ""}.`
    : "";
  $("settings-lede").replaceChildren(...[withCode(lede + gone)].flat(), ...(v.generated ? [" ", ...[withCode(v.generated)].flat()] : []));
  renderSettings();
}

function renderSettings() {
  const filter = $("settings-filter").value.trim().toLowerCase();
  const rows = settingsView.settings
    .filter((s) => !filter || s.name.toLowerCase().includes(filter) || s.value.toLowerCase().includes(filter))
    .map((s) => {
      // The value the build gets; under it, when it differs, the value as the file writes it.
      const value = h(
        "td",
        { class: "value" },
        s.value === "" ? h("span", { class: "empty", "data-testid": "setting-empty" }, "empty") : s.value,
        s.raw !== s.value && h("span", { class: "raw", title: "as written in the file" }, s.raw),
      );
      // A value Shipdeck cannot edit says why (built in, generated, a template) instead of a button.
      const edit = s.editable
        ? h("button", { "data-testid": "edit-setting", onclick: () => editSetting(s, value) }, "Edit")
        : h("span", { class: "not-editable", title: s.why_not || "", "data-testid": "not-editable" }, s.locked || (s.line ? "in project" : "built in"));
      const row = h("tr", { "data-testid": "setting-row", "data-name": s.name }, h("td", { class: "name" }, breakAfter(s.name, "_")), value, h("td", { class: "origin" }, s.line ? locationLink(s.file, s.line) : "built in"), h("td", {}, edit));
      return [s.release, row];
    });
  // What the release is made of first (identity, version, signing, files, platform), then the rest.
  const release = rows.filter(([r]) => r).map(([, row]) => row);
  const others = rows.filter(([r]) => !r).map(([, row]) => row);
  const group = (title, testid) => h("tr", { class: "group", "data-testid": testid }, h("th", { colspan: "4", scope: "colgroup" }, title));
  $("settings-body").replaceChildren(...(release.length && others.length ? [group("The release", "settings-group-release"), ...release, group("Every other setting", "settings-group-other"), ...others] : [...release, ...others]));
}

// Edits one value in place: Save (or Enter) shows the diff first, Cancel (or Escape) leaves
// the file alone. A value in an xcconfig other configurations read says so before saving.
function editSetting(s, cell) {
  const input = h("input", { class: "edit", value: s.raw, "data-testid": "setting-input", "aria-label": `New value of ${s.name}` });
  const save = async () => {
    try {
      const preview = await call("xcconfig_preview", { path: session.current, key: s.name, value: input.value, file: s.file, line: s.line });
      if (!preview) return renderSettings();
      if (!(await confirmChanges(`Set ${s.name}`, preview.changes))) return renderSettings();
      // Re-renders the screen shown, this one included.
      showReport(await call("apply_changes", { path: session.current, token: preview.token }));
      showAppliedToast(`Set ${s.name}`, preview.changes.map((c) => shortPath(c.path)));
    } catch (e) {
      showError(e);
    }
  };
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") save();
    if (e.key === "Escape") renderSettings();
  });
  const shared =
    s.shared_with.length > 0 &&
    h(
      "p",
      { class: "shared-note", "data-testid": "setting-shared" },
      s.file.endsWith("project.pbxproj")
        ? `${s.name} is the project's own setting, read by ${s.shared_with.join(", ")}: this changes them too.`
        : `${shortPath(s.file)} is also read by ${s.shared_with.join(", ")}: this changes them too.`,
    );
  // A value written as a reference to a setting set elsewhere (a Flutter app's build number in
  // pubspec.yaml) is usually changed there; saving here writes a value in the reference's place.
  const follows =
    s.follows &&
    h(
      "p",
      { class: "shared-note", "data-testid": "setting-follows" },
      `Written as $(${s.follows.name}), which is set at `,
      locationLink(s.follows.file, s.follows.line),
      ": change it there, or Save to write this value here in its place.",
    );
  // Only the notes that apply (a `false` child would be drawn as the word).
  cell.replaceChildren(
    ...[
      h(
        "div",
        { class: "edit-row" },
        input,
        h("button", { class: "primary", "data-testid": "setting-save", onclick: save }, "Save…"),
        h("button", { "data-testid": "setting-cancel", onclick: () => renderSettings() }, "Cancel"),
      ),
      follows,
      shared,
    ].filter(Boolean),
  );
  input.focus();
}

export function wire() {
  $("settings-platform").addEventListener("change", load);
  $("settings-filter").addEventListener("input", () => settingsView && renderSettings());
  $("settings-undo").addEventListener("click", async () => {
    try {
      // The file the last save wrote (any xcconfig a value comes from), as the button says.
      await call("xcconfig_undo", { path: session.current, file: settingsView?.undo?.file });
      // The toast of that save offers the same undo: it is done now.
      $("toast").hidden = true;
      showReport(await call("check_workspace", { path: session.current }));
    } catch (e) {
      showError(e);
    }
  });
}
