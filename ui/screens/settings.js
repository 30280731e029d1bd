// Build settings: a shipping target's effective settings with their origin; edit -> diff ->
// save, and undo of the last save.
import { call } from "../api.js";
import { confirmChanges, showAppliedToast } from "../changes.js";
import { $, h } from "../dom.js";
import { session, shortPath, showError, showReport } from "../session.js";

let settingsView = null;

export async function load() {
  const select = $("settings-platform");
  if (!select.options.length) {
    for (const [value, label] of [["ios", "iOS"], ["macos", "macOS"]]) select.append(h("option", { value }, label));
  }
  try {
    settingsView = await call("xcconfig_view", { path: session.current, platform: select.value });
  } catch (e) {
    if (select.value === "ios" && e.code === "usage") {
      select.value = "macos";
      return load();
    }
    showError(e);
    return;
  }
  $("settings-undo").disabled = !settingsView.can_undo;
  $("settings-lede").textContent = `${settingsView.file || "No Production xcconfig"}: the release configuration's settings, each with the file and line it comes from.`;
  renderSettings();
}

function renderSettings() {
  const filter = $("settings-filter").value.trim().toLowerCase();
  const rows = settingsView.settings
    .filter((s) => !filter || s.name.toLowerCase().includes(filter) || s.value.toLowerCase().includes(filter))
    .map((s) => {
      const value = h("td", { class: "value" }, s.value, s.raw !== s.value && h("span", { class: "raw" }, s.raw));
      const edit = s.editable && h("button", { "data-testid": "edit-setting", onclick: () => editSetting(s, value) }, "Edit");
      return h("tr", { "data-testid": "setting-row", "data-name": s.name }, h("td", {}, s.name), value, h("td", { class: "origin" }, s.line ? `${s.file}:${s.line}` : "built in"), h("td", {}, edit || ""));
    });
  $("settings-body").replaceChildren(...rows);
}

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
  cell.replaceChildren(input);
  input.focus();
}

export function wire() {
  $("settings-platform").addEventListener("change", load);
  $("settings-filter").addEventListener("input", () => settingsView && renderSettings());
  $("settings-undo").addEventListener("click", async () => {
    try {
      await call("xcconfig_undo", { path: session.current });
      showReport(await call("check_workspace", { path: session.current }));
    } catch (e) {
      showError(e);
    }
  });
}
