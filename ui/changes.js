// Changes to the user's files: the diff shown first, applied by the backend's token, then a
// toast with Undo. And the control of a finding's fix (a button when Shipdeck can preview it).
import { call } from "./api.js";
import { $, h, plural } from "./dom.js";
import { clearError, session, shortPath, showError, showReport } from "./session.js";

export function showAppliedToast(what, files) {
  showUndoToast(`${what}: ${files.length === 1 ? files[0] : plural(files.length, "file")} written.`, "undo_changes", `Undone: ${what}.`);
}

// The toast after a change, with an Undo that calls `undoCommand` and then says `undone`.
function showUndoToast(text, undoCommand, undone) {
  $("toast-text").textContent = text;
  $("toast-undo").hidden = false;
  $("toast").hidden = false;
  $("toast-undo").onclick = async () => {
    try {
      showReport(await call(undoCommand, { path: session.current }));
      $("toast-text").textContent = undone;
      $("toast-undo").hidden = true;
    } catch (e) {
      showError(e);
    }
  };
}

export function diffView(diff) {
  const lines = diff.split("\n").filter((l, i, all) => l !== "" || i < all.length - 1);
  return h(
    "div",
    { class: "diff" },
    lines.map((l, i) =>
      h("div", { class: l.startsWith("--- ") ? (i > 0 ? "file-head next" : "file-head") : l.startsWith("+++") ? "file-head" : l.startsWith("+") ? "add" : l.startsWith("-") ? "del" : l.startsWith("@@") ? "hunk" : "" }, l || " "),
    ),
  );
}

// The review dialog: a title, what happens, what it changes, and the verb of its button;
// resolves with true when the user goes ahead.
function ask(title, lede, files, verb) {
  return new Promise((resolve) => {
    $("preview-title").textContent = title;
    $("preview-lede").textContent = lede;
    $("preview-files").replaceChildren(...files);
    $("preview-apply").textContent = verb;
    const dialog = $("preview");
    const done = (ok) => {
      $("preview-apply").onclick = null;
      $("preview-cancel").onclick = null;
      dialog.close();
      resolve(ok);
    };
    $("preview-apply").onclick = () => done(true);
    $("preview-cancel").onclick = () => done(false);
    dialog.oncancel = () => done(false);
    dialog.showModal();
  });
}

// Shows the changes and resolves with true when the user applies them.
export function confirmChanges(title, changes) {
  const lede = changes.every((c) => c.create)
    ? "Nothing is written until you apply. Undo removes what was made."
    : "Nothing is written until you apply. A backup of each file is kept.";
  const shown = (p) => (session.current && p.startsWith(`${session.current}/`) ? p.slice(session.current.length + 1) : p);
  return ask(title, lede, changes.map((c) => h("div", {}, h("div", { class: "diff-file" }, shown(c.path)), diffView(c.diff))), "Apply");
}

export async function previewFix(fix) {
  clearError();
  try {
    // The backend keeps what it showed; the window applies it by its token, never by content.
    const preview = await call("preview_fix", { path: session.current, fix });
    if (!(await confirmChanges(fix.title, preview.changes))) return;
    showReport(await call("apply_changes", { path: session.current, token: preview.token }));
    showAppliedToast(fix.title, preview.changes.map((c) => shortPath(c.path)));
  } catch (e) {
    showError(e);
  }
}

// Generating a project XcodeGen or Tuist makes: what runs and where shown first, run by the
// backend's token, then a toast whose Undo moves what it made aside.
export async function generateProject(fix, button) {
  clearError();
  try {
    const plan = await call("generate_plan", { path: session.current });
    const ok = await ask(
      fix.title,
      `Runs \`${plan.command}\` in ${plan.folder}. ${plan.tool} writes the Xcode project there from ${plan.spec}, as the team's setup does. Undo moves what it made into Shipdeck's backups.`,
      [],
      "Generate",
    );
    if (!ok) return;
    button.disabled = true;
    button.textContent = `Running ${plan.command}…`;
    showReport(await call("generate_project", { path: session.current, token: plan.token }));
    showUndoToast(`Generated the project (${plan.command} in ${plan.folder}).`, "generate_undo", "Undone: the generated project was moved into Shipdeck's backups.");
  } catch (e) {
    showError(e);
    button.disabled = false;
    button.textContent = `${fix.title}…`;
  }
}

// A fix Shipdeck previews and applies, or a project it generates, is a button; any other is
// advice.
export function fixControl(fix) {
  const generate = fix.action === "project.generate";
  if (!fix.preview && !generate) return h("p", { class: "fix" }, "Fix: ", h("strong", {}, fix.title));
  return h(
    "button",
    { class: "fix-button primary", "data-testid": "fix-button", "data-action": fix.action, onclick: (e) => (generate ? generateProject(fix, e.currentTarget) : previewFix(fix)) },
    `${fix.title}…`,
  );
}
