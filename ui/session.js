// The window's session: the open workspace, its last report, the screen shown; errors; and
// the two things any screen may ask of the shell (show a report, show a screen), set by app.js
// so that no screen imports another.
import { call } from "./api.js";
import { $, breakAfter, h } from "./dom.js";

export const session = { current: null, lastReport: null, screen: "dashboard" };

const hooks = { report: () => {}, screen: () => {} };

export function setHooks(h) {
  Object.assign(hooks, h);
}

// Shows a report (after a check, a fix, an undo): the dashboard and whatever screen is open.
export function showReport(report) {
  hooks.report(report);
}

export function showScreen(name) {
  hooks.screen(name);
}

// What each error code means to a user, as the banner's first words (the code itself stays in
// its tooltip for a bug report): "io:" read like a log line.
const ERROR_TITLES = {
  io: "Could not read or write",
  parse: "Could not read a file",
  workspace: "Not a workspace",
  outside: "Outside the workspace",
  busy: "Busy",
  usage: "Cannot do that",
  invalid: "Not valid",
  "unknown-fix": "Unknown fix",
  "tool-not-found": "Tool not found",
  "tool-start": "Tool did not start",
  "tool-timeout": "Tool timed out",
  "app-store": "App Store Connect",
  keychain: "Keychain",
  "not-found": "Not found",
  "nothing-to-do": "Nothing to do",
  unconfirmed: "Not confirmed",
  dialog: "Dialog",
  internal: "Internal error",
  error: "Error",
};

export function showError(err) {
  const code = $("error-code");
  code.textContent = err.code ? `${ERROR_TITLES[err.code] || err.code}:` : "";
  code.title = err.code ? `error code: ${err.code}` : "";
  code.dataset.code = err.code || "";
  $("error-message").textContent = err.message;
  $("error").hidden = false;
}

export function clearError() {
  $("error").hidden = true;
}


// A path as the user knows it: inside the open workspace, relative to it.
// Why there is no app target, when the report knows a better reason than "none": the project
// is generated (XcodeGen, Tuist) and not here yet. Null otherwise.
export function noTargetReason() {
  const f = session.lastReport?.findings?.find((x) => x.id === "workspace.project.generated");
  return f ? `${f.message} ${f.help ?? ""}`.trim() : null;
}

export function shortPath(p) {
  return session.current && p.startsWith(`${session.current}/`) ? p.slice(session.current.length + 1) : p;
}

// A file:line the user can open: in Xcode at the line on a Mac (the desktop's application
// elsewhere). Only files of the open workspace are opened (the backend checks).
export function locationLink(file, line, label = line ? `${file}:${line}` : file) {
  const open = (e) => {
    e.preventDefault();
    call("open_location", { path: session.current, file, line: line || null }).catch(showError);
  };
  // A long path wraps after a folder, not in the middle of a name.
  return h("a", { href: "#", class: "location", title: `Open ${file}${line ? ` at line ${line}` : ""}`, "data-testid": "open-location", "data-file": file, onclick: open }, breakAfter(label, "/"));
}
