// Shipdeck's dashboard: "Ready to ship?" for the open workspace.
import { call, channel, listen } from "./api.js";

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
let lastReport = null;
let screen = "dashboard";
// Fixes the engine can preview and apply; others are shown as advice.
const APPLICABLE = new Set(["project.add-configuration", "cloudkit.align-container"]);

// Builds an element; children are nodes or text (never parsed as HTML).
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
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

// After a change is written: what was done, and Undo (every file of it, or none when one was
// edited since). The toast stays until the next change or a dismissal.
function showAppliedToast(what, files) {
  $("toast-text").textContent = `${what}: ${files.length === 1 ? files[0] : plural(files.length, "file")} written.`;
  $("toast-undo").hidden = false;
  $("toast").hidden = false;
  $("toast-undo").onclick = async () => {
    try {
      renderReport(await call("undo_changes", { path: current }));
      $("toast-text").textContent = `Undone: ${what}.`;
      $("toast-undo").hidden = true;
    } catch (e) {
      showError(e);
    }
  };
}

// A path as the user knows it: inside the open workspace, relative to it.
function shortPath(p) {
  return current && p.startsWith(`${current}/`) ? p.slice(current.length + 1) : p;
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
      f.fix && f.severity !== "ok" && !f.acknowledged && fixControl(f.fix),
      f.acknowledged && h("p", { class: "ack" }, `Acknowledged: ${f.acknowledged}`),
    ),
  );
}

function fixControl(fix) {
  if (!APPLICABLE.has(fix.action)) return h("p", { class: "fix" }, "Fix: ", h("strong", {}, fix.title));
  return h("button", { class: "fix-button primary", "data-testid": "fix-button", "data-action": fix.action, onclick: () => previewFix(fix) }, `${fix.title}…`);
}

function renderReport(report) {
  current = report.workspace.root;
  lastReport = report;
  for (const t of document.querySelectorAll(".tab")) t.disabled = false;
  $("workspace-name").textContent = report.workspace.name;
  $("workspace-path").textContent = report.workspace.root;
  $("welcome").hidden = true;
  $("dashboard").hidden = screen !== "dashboard";
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
      // What needs attention first; the checks that passed folded away beneath it (open when
      // nothing else is there).
      h("ul", { class: "findings" }, findings.filter((f) => f.severity !== "ok" || f.acknowledged).map(findingItem)),
      count("ok") > 0 &&
        (problems + acked > 0
          ? h(
              "details",
              { class: "passed", "data-testid": "passed" },
              h("summary", {}, `${count("ok")} passed`),
              h("ul", { class: "findings" }, findings.filter((f) => f.severity === "ok" && !f.acknowledged).map(findingItem)),
            )
          : h("ul", { class: "findings" }, findings.filter((f) => f.severity === "ok" && !f.acknowledged).map(findingItem))),
    );
  });
  $("areas").replaceChildren(...sections);
  if (screen !== "dashboard") showScreen(screen);
}

// ---- screens

function showScreen(name) {
  screen = name;
  for (const t of document.querySelectorAll(".tab")) {
    const on = t.dataset.screen === name;
    t.classList.toggle("active", on);
    if (on) t.setAttribute("aria-current", "page");
    else t.removeAttribute("aria-current");
  }
  $("dashboard").hidden = name !== "dashboard" || !current;
  $("welcome").hidden = !!current;
  $("project").hidden = name !== "project" || !current;
  $("settings").hidden = name !== "settings" || !current;
  $("cloudkit").hidden = name !== "cloudkit" || !current;
  $("signing").hidden = name !== "signing" || !current;
  $("release").hidden = name !== "release" || !current;
  if (!current) return;
  if (name === "project") loadProject();
  if (name === "settings") loadSettings();
  if (name === "cloudkit") loadCloudKit();
  if (name === "signing") loadSigning();
  if (name === "release") {
    loadRuns();
    loadCredentials();
  }
}

// ---- diff preview

function diffView(diff) {
  const lines = diff.split("\n").filter((l, i, all) => l !== "" || i < all.length - 1);
  return h(
    "div",
    { class: "diff" },
    lines.map((l) => h("div", { class: l.startsWith("+++") || l.startsWith("---") ? "" : l.startsWith("+") ? "add" : l.startsWith("-") ? "del" : l.startsWith("@@") ? "hunk" : "" }, l || " ")),
  );
}

// Shows the changes and resolves with true when the user applies them.
function confirmChanges(title, changes) {
  return new Promise((resolve) => {
    $("preview-title").textContent = title;
    const shown = (p) => (current && p.startsWith(`${current}/`) ? p.slice(current.length + 1) : p);
    $("preview-files").replaceChildren(...changes.map((c) => h("div", {}, h("div", { class: "diff-file" }, shown(c.path)), diffView(c.diff))));
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

async function previewFix(fix) {
  clearError();
  try {
    // The backend keeps what it showed; the window applies it by its token, never by content.
    const preview = await call("preview_fix", { path: current, fix });
    if (!(await confirmChanges(fix.title, preview.changes))) return;
    renderReport(await call("apply_changes", { path: current, token: preview.token }));
    showAppliedToast(fix.title, preview.changes.map((c) => shortPath(c.path)));
  } catch (e) {
    showError(e);
  }
}

// ---- project screen

async function loadProject() {
  try {
    const projects = await call("project_view", { path: current });
    const fixes = (lastReport ? lastReport.findings : []).filter((f) => f.fix && APPLICABLE.has(f.fix.action) && !f.acknowledged);
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

// ---- release screen

const MAX_LOG_LINES = 5000;
let logLines = [];
// The past run whose log is shown (its filter searches the whole log file), or null for the live log.
let viewingRun = null;
let releaseSteps = new Map();
let releaseTotal = 0;

// `fn` run at most once per frame, however often the returned function is called.
function oncePerFrame(fn) {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      fn();
    });
  };
}

// At most one render per frame, however many batches arrive.
const scheduleLogRender = oncePerFrame(() => renderLog());

// The lines the view can scroll through (the filter applied); only those in sight are drawn.
const LOG_LINE_PX = 16;
const LOG_PAD_PX = 10;
let logShown = [];

function renderLog(filtered = false) {
  const f = filtered ? "" : $("log-filter").value.trim().toLowerCase();
  logShown = f ? logLines.filter((l) => l.toLowerCase().includes(f)) : logLines;
  const box = $("release-log");
  const atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
  box.dataset.lines = String(logShown.length);
  $("release-log-spacer").style.height = `${logShown.length * LOG_LINE_PX + 2 * LOG_PAD_PX}px`;
  if (atEnd) box.scrollTop = box.scrollHeight;
  paintLogWindow();
}

// Draws the lines in sight, and a screenful above and below for smooth scrolling.
function paintLogWindow() {
  const box = $("release-log");
  const inSight = Math.ceil(box.clientHeight / LOG_LINE_PX);
  const first = Math.max(0, Math.floor((box.scrollTop - LOG_PAD_PX) / LOG_LINE_PX) - inSight);
  const pre = $("release-log-lines");
  pre.style.transform = `translateY(${LOG_PAD_PX + first * LOG_LINE_PX}px)`;
  pre.textContent = logShown.slice(first, first + 3 * inSight).join("\n");
}

const onLogScroll = oncePerFrame(paintLogWindow);

function stepItem(r) {
  return h(
    "li",
    { class: "step", "data-testid": "release-step", "data-step": r.id, "data-state": r.state },
    h(
      "div",
      { class: "step-head" },
      h("span", { class: `badge ${r.state}` }, r.state.replace("-", " ")),
      r.title,
      r.duration_ms !== undefined
        ? h("span", { class: "duration" }, `${(r.duration_ms / 1000).toFixed(1)} s`)
        : r.state === "running"
          ? h("span", { class: "duration", "data-testid": "step-elapsed", "data-since": String(r.since || Date.now()) }, `${Math.floor((Date.now() - (r.since || Date.now())) / 1000)} s…`)
          : h("span", { class: "duration" }, ""),
    ),
    r.command && h("pre", {}, `$ ${r.command}`),
    // The running step's newest lines, in view (the whole log is further down).
    r.state === "running" && h("pre", { class: "tail live", "data-testid": "step-live-tail" }, liveTail(r.id)),
    causeList(r),
    r.note && (r.id === "bump" && r.note.startsWith("---") ? diffView(r.note) : h("p", { class: "lede note" }, r.note)),
    (r.needs || []).length > 0 && h("p", { class: "needs" }, `A real run needs: ${r.needs.join("; ")}`),
    r.file &&
      h(
        "details",
        { class: "written", "data-testid": "step-file" },
        h("summary", {}, `${["done", "failed"].includes(r.state) ? "Wrote" : "Would write"} ${r.file.path.split("/").pop()}`),
        h("pre", {}, r.file.text),
      ),
  );
}

// A failed step's causes as the CLI prints them: the tool's line (and the lines that complete
// it), the hint, the finding that explains it (a link to it on the dashboard); the log's tail
// when no line says why.
function causeList(r) {
  const causes = r.causes || [];
  // No cause, or only headers that say something failed: the log's own last lines too.
  const tail = (r.tail || []).slice(-15);
  const tailBlock = r.state === "failed" && tail.length > 0 && causes.every((c) => c.generic) && h("pre", { class: "tail", "data-testid": "step-tail" }, tail.join("\n"));
  if (!causes.length) return tailBlock;
  return [h(
    "ul",
    { class: "causes", "data-testid": "step-causes" },
    causes.map((c) =>
      h(
        "li",
        { class: "cause-item", "data-testid": "step-cause", "data-finding": c.finding || undefined },
        h("p", { class: "cause" }, c.line),
        (c.detail || []).map((m) => h("p", { class: "cause more", "data-testid": "cause-detail" }, m)),
        c.hint &&
          h(
            "p",
            { class: "hint" },
            `→ ${c.hint}`,
            c.finding && h("a", { href: "#", class: "finding-link", "data-testid": "cause-finding", onclick: (e) => (e.preventDefault(), showFinding(c.finding)) }, c.finding),
          ),
      ),
    ),
  ), tailBlock];
}

// The dashboard, opened at a finding (its area unfolded, the finding in view).
function showFinding(id) {
  showScreen("dashboard");
  const el = document.querySelector(`[data-testid="finding"][data-id="${CSS.escape(id)}"]`);
  if (!el) return;
  const area = el.closest("details");
  if (area) area.open = true;
  el.scrollIntoView({ block: "center" });
  el.classList.add("flash");
  setTimeout(() => el.classList.remove("flash"), 1600);
}

function renderSteps() {
  $("release-steps").replaceChildren(...[...releaseSteps.values()].map(stepItem));
  paintProgress();
}

// The bar: the share of the plan's steps that finished, coloured by how they went (blue while
// running, red once a step failed or was blocked, grey when cancelled, green when it passed).
function paintProgress(outcome) {
  const steps = [...releaseSteps.values()];
  const finished = steps.filter((r) => r.duration_ms !== undefined).length;
  const total = releaseTotal || steps.length;
  const bar = $("release-progress");
  bar.style.width = total ? `${Math.round((finished / total) * 100)}%` : "0";
  const failed = steps.some((r) => r.state === "failed" || r.state === "blocked");
  const state = outcome ? { succeeded: "passed", "dry-run-passed": "passed", cancelled: "cancelled" }[outcome] || "failed" : failed ? "failed" : "running";
  bar.dataset.state = state;
  $("release-progress-label").textContent = total ? `${finished} of ${total} steps${outcome ? "" : " done"}` : "";
}

// The running step's elapsed time, every second.
setInterval(() => {
  for (const el of document.querySelectorAll('[data-testid="step-elapsed"]')) {
    const since = Number(el.dataset.since);
    if (since) el.textContent = `${Math.floor((Date.now() - since) / 1000)} s…`;
  }
}, 1000);

// The last lines a step printed, from the live log.
function liveTail(id) {
  const prefix = `${id} | `;
  const mine = [];
  for (let i = logLines.length - 1; i >= 0 && mine.length < 4; i--) if (logLines[i].startsWith(prefix)) mine.unshift(logLines[i].slice(prefix.length));
  return mine.join("\n") || "…";
}

function onReleaseEvent(e) {
  if (viewingRun) {
    // A run started (from the tray, say) while a past one was shown: show the live one.
    viewingRun = null;
    logLines = [];
    $("log-note").hidden = true;
  }
  if (e.event === "lines") {
    if (e.skipped > 0) logLines.push(`${e.id} | … ${e.skipped.toLocaleString()} lines not shown here (all of them are in the run's log file)`);
    for (const l of e.lines) logLines.push(`${e.id} | ${l}`);
    if (logLines.length > MAX_LOG_LINES + 1000) logLines = logLines.slice(-MAX_LOG_LINES);
    scheduleLogRender();
    const live = document.querySelector(`[data-step="${CSS.escape(e.id)}"] [data-testid="step-live-tail"]`);
    if (live) live.textContent = liveTail(e.id);
    return;
  }
  if (e.event === "plan") {
    // Every step of the run, pending, before the first starts.
    releaseSteps = new Map(e.steps.map((p) => [p.id, { id: p.id, title: p.title, state: "pending" }]));
    releaseTotal = e.steps.length;
    renderSteps();
    return;
  }
  const inner = e.inner;
  if (inner.event === "progress") {
    const step = releaseSteps.get(inner.id);
    if (step) $("release-status").textContent = `Running: ${step.title} — ${inner.phase} (${inner.lines.toLocaleString()} lines)`;
    return;
  }
  if (inner.event === "step-started") {
    releaseSteps.set(inner.id, { id: inner.id, title: inner.title, command: inner.command, state: "running", since: Date.now() });
    $("release-status").textContent = `Running: ${inner.title}`;
  } else if (inner.event === "step-finished") {
    releaseSteps.set(inner.result.id, inner.result);
  }
  renderSteps();
}

function onReleaseDone(record) {
  for (const r of record.steps) releaseSteps.set(r.id, r);
  releaseTotal = record.steps.length;
  renderSteps();
  paintProgress(record.outcome);
  const words = { succeeded: "Released", "dry-run-passed": "Dry-run passed", failed: "Failed", blocked: "Blocked", cancelled: "Cancelled" };
  $("release-status").textContent = `${words[record.outcome] || record.outcome}${record.dry_run ? " (dry-run)" : ""} in ${(record.duration_ms / 1000).toFixed(1)} s. Log: ${record.log}`;
  $("release-status").dataset.outcome = record.outcome;
  setRunning(false);
  loadRuns();
}

function setRunning(on) {
  $("release-dry-run").disabled = on;
  $("release-real").disabled = on;
  $("release-cancel").disabled = !on;
}

// Asks before a real release: what it will build (version, build, platforms), where it
// uploads, what is missing, every command. Resolves with the run's token, or null (Cancel,
// Escape). Cancel has the focus, so Enter alone never starts a release.
async function confirmRelease(opts) {
  const v = await call("release_confirm", { path: current, platform: opts.platform, bumpBuild: opts.bumpBuild });
  $("release-confirm-title").textContent = v.question;
  $("release-confirm-builds").replaceChildren(
    ...v.builds.map((b) =>
      h(
        "tr",
        { "data-testid": "release-confirm-build", "data-platform": b.platform },
        h("td", {}, { ios: "iOS", macos: "macOS" }[b.platform] || b.platform),
        h("td", {}, `${b.scheme} (${b.configuration})`),
        h("td", {}, b.version || "not set"),
        h("td", {}, b.build || "not set", b.raised_from && ` (raised from ${b.raised_from})`),
        h("td", {}, b.bundle_id || "not set"),
      ),
    ),
  );
  $("release-confirm-destination").textContent = `Uploads to ${v.destination}.${v.edits.length ? ` Edits ${v.edits.join(", ")} first.` : ""}`;
  $("release-confirm-missing").replaceChildren(...v.missing.map((m) => h("li", {}, `Missing: ${m}`)));
  $("release-confirm-commands-title").textContent = `The ${v.commands.length} commands it will run`;
  $("release-confirm-commands").textContent = v.commands.map((c) => `$ ${c}`).join("\n\n");
  $("release-confirm-go").textContent = v.builds.length ? "Release" : "Close";
  $("release-confirm-go").disabled = !v.builds.length;
  const dialog = $("release-confirm");
  return new Promise((resolve) => {
    const done = (yes) => {
      $("release-confirm-go").onclick = null;
      $("release-confirm-cancel").onclick = null;
      dialog.oncancel = null;
      dialog.close();
      if (!yes) call("release_decline").catch(() => {});
      resolve(yes ? v.token : null);
    };
    $("release-confirm-go").onclick = () => done(true);
    $("release-confirm-cancel").onclick = () => done(false);
    dialog.oncancel = (e) => {
      e.preventDefault();
      done(false);
    };
    dialog.showModal();
    $("release-confirm-cancel").focus();
  });
}

async function startRelease(dryRun) {
  clearError();
  const platform = $("release-platform").value;
  const bumpBuild = $("release-bump").checked;
  let token = null;
  if (!dryRun) {
    try {
      token = await confirmRelease({ platform, bumpBuild });
    } catch (e) {
      showError(e);
      return;
    }
    if (!token) return;
  }
  releaseSteps = new Map();
  releaseTotal = 0;
  logLines = [];
  viewingRun = null;
  $("log-note").hidden = true;
  renderLog();
  renderSteps();
  delete $("release-status").dataset.outcome;
  $("release-status").textContent = "Starting…";
  setRunning(true);
  try {
    await call("release_start", { path: current, dryRun, platform, archive: dryRun && $("release-archive").checked, bumpBuild, token });
  } catch (e) {
    setRunning(false);
    showError(e);
  }
}

async function loadRuns() {
  try {
    const runs = await call("release_runs", { path: current });
    $("release-runs").replaceChildren(
      ...runs.map((r) =>
        h(
          "li",
          { "data-testid": "release-run" },
          h("span", { class: `badge ${r.outcome === "succeeded" || r.outcome === "dry-run-passed" ? "done" : r.outcome === "running" ? "running" : "failed"}` }, r.outcome.replace(/-/g, " ")),
          h("span", {}, new Date(r.started_at * 1000).toLocaleString()),
          h("span", { class: "lede" }, r.dry_run ? "dry-run" : "release"),
          h("button", { onclick: () => showRun(r) }, "Open"),
        ),
      ),
    );
  } catch (e) {
    showError(e);
  }
}

// A past run's log: its end, or the last lines that contain the filter, searched in the whole file.
async function loadRunLog() {
  const filter = $("log-filter").value.trim();
  const v = await call("release_log", { id: viewingRun, filter: filter || null });
  logLines = v.lines;
  const n = v.lines.length;
  const what = `${n === 1 ? "line" : "lines"}${filter ? ` containing “${filter}”` : ""}`;
  const note = $("log-note");
  note.textContent = `The last ${n.toLocaleString()} ${what} of ${v.total.toLocaleString()}; the whole log is ${v.path}`;
  note.hidden = !(v.total > n || filter);
  renderLog(true);
}

let filterTimer = null;
function onLogFilter() {
  if (!viewingRun) return renderLog();
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => loadRunLog().catch(showError), 200);
}

async function showRun(r) {
  releaseSteps = new Map(r.steps.map((s) => [s.id, s]));
  releaseTotal = r.steps.length;
  renderSteps();
  paintProgress(r.outcome);
  // The status line speaks of the run shown, not of "no run yet".
  const words = { succeeded: "Released", "dry-run-passed": "Dry-run passed", failed: "Failed", blocked: "Blocked", cancelled: "Cancelled", interrupted: "Interrupted", running: "Running" };
  $("release-status").textContent = `Past run: ${words[r.outcome] || r.outcome}${r.dry_run ? " (dry-run)" : ""}, ${new Date(r.started_at * 1000).toLocaleString()}`;
  $("release-status").dataset.outcome = r.outcome;
  try {
    viewingRun = r.id;
    $("log-filter").value = "";
    await loadRunLog();
  } catch (e) {
    showError(e);
  }
}

// ---- signing screen

function card(c) {
  const days = c.days_left < 0 ? `${-c.days_left}` : `${c.days_left}`;
  return h(
    "div",
    { class: `card ${c.state}`, "data-testid": "signing-card", "data-state": c.state },
    h("div", {}, h("div", { class: "card-name" }, c.name), h("div", { class: "card-detail" }, c.detail), c.note && h("div", { class: "card-note" }, c.note)),
    h("div", { class: "days" }, h("strong", {}, days), h("span", {}, c.days_left < 0 ? "days ago" : "days left")),
  );
}

async function loadSigning() {
  let v;
  try {
    v = await call("signing_view", { path: current });
  } catch (e) {
    showError(e);
    return;
  }
  $("signing-problems").replaceChildren(...v.problems.map((p) => h("li", {}, p)));
  call("credentials_view", { path: current }).then(renderCredentials, showError);
  $("signing-identities").replaceChildren(...(v.identities.length ? v.identities.map(card) : [h("p", { class: "lede" }, "No identities found in the configured sources.")]));
  $("signing-profiles").replaceChildren(...(v.profiles.length ? v.profiles.map(card) : [h("p", { class: "lede" }, "No provisioning profiles found.")]));
  const items = [...v.identities, ...v.profiles].filter((c) => c.days_left >= 0).sort((a, b) => a.days_left - b.days_left);
  $("signing-timeline").replaceChildren(
    ...items.map((c) => {
      const bar = h("div", { class: `tl-bar ${c.state}` });
      bar.style.width = `${Math.min(100, (c.days_left / 365) * 100)}%`;
      return h("div", { class: "tl-row" }, h("span", { class: "tl-name", title: c.name }, c.name), h("div", { class: "tl-track" }, bar), h("span", { class: "tl-days" }, `${c.days_left} d`));
    }),
  );
}

// ---- profile clean-up: preview in a dialog, then move aside (restorable)

async function openCleanup() {
  clearError();
  let v;
  try {
    v = await call("profiles_cleanup_preview", { path: current });
  } catch (e) {
    showError(e);
    return;
  }
  const dialog = $("cleanup");
  const none = v.stale.length === 0;
  $("cleanup-list").replaceChildren(
    ...(none
      ? [h("li", { "data-testid": "cleanup-none" }, "Nothing to clean up: no profile is expired or replaced by a newer one.")]
      : v.stale.map((p) => h("li", { "data-testid": "cleanup-item", "data-path": p.path }, h("div", { class: "card-name" }, p.name), h("div", { class: "why" }, p.why), h("div", { class: "where" }, p.path)))),
  );
  const apply = $("cleanup-apply");
  apply.hidden = none;
  apply.textContent = `Move ${v.stale.length} profile${v.stale.length === 1 ? "" : "s"} aside`;
  $("cleanup-cancel").textContent = none ? "Close" : "Cancel";
  const restore = $("cleanup-restore");
  restore.hidden = !v.last;
  restore.title = v.last || "";
  const close = () => dialog.close();
  $("cleanup-cancel").onclick = close;
  apply.onclick = async () => {
    apply.disabled = true;
    try {
      const done = await call("profiles_cleanup", { path: current, files: v.stale.map((p) => p.path) });
      const left = done.left.length ? ` ${done.left.length} left in place (no longer stale).` : "";
      showCleanupResult(`Moved ${done.moved} profile${done.moved === 1 ? "" : "s"} to ${done.folder}.${left}`);
      close();
      loadSigning();
    } catch (e) {
      close();
      showError(e);
    } finally {
      apply.disabled = false;
    }
  };
  restore.onclick = async () => {
    try {
      const back = await call("profiles_restore", {});
      showCleanupResult(`Restored ${back.length} profile${back.length === 1 ? "" : "s"} to where they were.`);
      close();
      loadSigning();
    } catch (e) {
      close();
      showError(e);
    }
  };
  dialog.showModal();
}

function showCleanupResult(text) {
  const p = $("cleanup-result");
  p.textContent = text;
  p.hidden = false;
}

// ---- credentials (keychain): only whether each item is stored ever reaches the window

function stateBadge(i) {
  const cls = i.state === "stored" ? "done" : i.state === "unreadable" ? "failed" : "skipped";
  return h("span", { class: `badge ${cls}`, title: i.message || "" }, i.state);
}

function renderCredentials(v) {
  $("cred-source").textContent = v.source;
  $("cred-items").replaceChildren(...v.api_key.map((i) => h("li", { "data-testid": `cred-${i.item}`, "data-state": i.state }, stateBadge(i), h("span", {}, i.what), h("code", { class: "cred-item" }, i.item))));
  $("cred-forget").disabled = !v.api_key.some((i) => i.state === "stored");
  $("p12-section").hidden = v.p12.length === 0;
  $("p12-items").replaceChildren(
    ...v.p12.map((i) => {
      const file = i.item.slice(4);
      const input = h("input", { type: "password", placeholder: "password", "aria-label": `Password of ${file}`, "data-testid": `p12-password-${file}` });
      const store = async () => {
        clearError();
        try {
          renderCredentials(await call("credentials_store_p12", { path: current, file, password: input.value }));
          loadSigning();
        } catch (e) {
          showError(e);
        }
        input.value = "";
      };
      input.addEventListener("keydown", (ev) => ev.key === "Enter" && store());
      return h("li", { "data-testid": `p12-${file}`, "data-state": i.state }, stateBadge(i), h("span", { title: i.what }, file), input, h("button", { onclick: store }, "Store"));
    }),
  );
}

async function loadCredentials() {
  try {
    renderCredentials(await call("credentials_view", { path: current }));
  } catch (e) {
    showError(e);
  }
}

async function storeApiKey(ev) {
  ev.preventDefault();
  clearError();
  try {
    const v = await call("credentials_store_api_key", { keyId: $("cred-key-id").value, issuerId: $("cred-issuer-id").value, privateKeyPath: $("cred-p8").value, path: current });
    $("cred-form").reset();
    renderCredentials(v);
  } catch (e) {
    showError(e);
  }
}

async function forgetApiKey() {
  clearError();
  try {
    renderCredentials(await call("credentials_forget", { item: "asc", path: current }));
  } catch (e) {
    showError(e);
  }
}

// ---- CloudKit screen

async function loadCloudKit() {
  let v;
  try {
    v = await call("cloudkit_view", { path: current });
  } catch (e) {
    showError(e);
    return;
  }
  const mismatch = v.distinct.length > 1;
  $("ck-lede").textContent = v.container
    ? `${v.places.length} places name the container; shipdeck.toml says ${v.container}.`
    : "This workspace has no [cloudkit] section in shipdeck.toml.";
  const fix = (lastReport ? lastReport.findings : []).find((f) => f.id === "cloudkit.container.mismatch" && f.fix);
  $("ck-fix").replaceChildren(...(fix ? [h("div", { class: "banner", "data-testid": "ck-mismatch" }, h("span", {}, h("strong", {}, `${v.distinct.length} different ids`), " name the container."), fixControl(fix.fix))] : []));
  $("ck-places").replaceChildren(
    ...v.places.map((p) =>
      h(
        "tr",
        { "data-testid": "ck-place" },
        h("td", { class: `value${mismatch && p.value !== v.container ? " mismatch" : ""}` }, p.value),
        h("td", {}, p.source, !p.edit && h("span", { class: "raw" }, "follows a build setting")),
        h("td", { class: "origin" }, p.line ? `${p.file}:${p.line}` : p.file),
      ),
    ),
  );
  $("ck-schema-lede").textContent = !v.schema
    ? "No schema file is configured ([cloudkit] schema)."
    : v.production_snapshot
      ? `${v.schema} compared with the last production export (.shipdeck/cloudkit/production.ckdb):`
      : `${v.schema}. Run a dry-run to compare it with production.`;
  $("ck-changes").replaceChildren(...changeItems(v.changes));
  // A workspace without CloudKit has nothing to deploy: no deploy buttons, a sentence instead.
  const hasCloudKit = Boolean(v.container || v.places.length || v.schema);
  $("ck-deploy-controls").hidden = !hasCloudKit;
  $("ck-none").hidden = hasCloudKit;
}

function changeItems(changes) {
  return changes.map((c) => h("li", { class: c.destructive ? "destructive" : c.kind.endsWith("added") ? "add" : "other" }, `${c.destructive ? "cannot deploy: " : ""}${c.detail}`));
}

async function runDeploy(dryRun, confirm) {
  clearError();
  for (const b of ["ck-dry-run", "ck-deploy", "ck-confirm"]) $(b).disabled = true;
  $("ck-steps").replaceChildren(h("li", { class: "step" }, "Running…"));
  try {
    const d = await call("cloudkit_deploy", { path: current, dryRun, confirm });
    $("ck-steps").replaceChildren(
      ...d.steps.map((s) =>
        h(
          "li",
          { class: "step", "data-testid": "ck-step", "data-step": s.id, "data-state": s.state },
          h("div", { class: "step-head" }, h("span", { class: `badge ${s.state}` }, s.state.replace("-", " ")), s.title),
          s.command && h("pre", {}, `$ ${s.command}`),
          s.output && h("pre", {}, s.output),
          s.changes && s.changes.length > 0 && h("ul", { class: "changes" }, changeItems(s.changes)),
          s.needs && h("p", { class: "needs" }, `A real run needs: ${s.needs}`),
        ),
      ),
    );
  } catch (e) {
    showError(e);
  } finally {
    for (const b of ["ck-dry-run", "ck-deploy", "ck-confirm"]) $(b).disabled = false;
  }
}

// ---- build settings screen

let settingsView = null;

async function loadSettings() {
  const select = $("settings-platform");
  if (!select.options.length) {
    for (const [value, label] of [["ios", "iOS"], ["macos", "macOS"]]) select.append(h("option", { value }, label));
  }
  try {
    settingsView = await call("xcconfig_view", { path: current, platform: select.value });
  } catch (e) {
    if (select.value === "ios" && e.code === "usage") {
      select.value = "macos";
      return loadSettings();
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
      const preview = await call("xcconfig_preview", { path: current, key: s.name, value: input.value, file: s.file, line: s.line });
      if (!preview) return renderSettings();
      if (!(await confirmChanges(`Set ${s.name}`, preview.changes))) return renderSettings();
      // Re-renders the screen shown, this one included.
      renderReport(await call("apply_changes", { path: current, token: preview.token }));
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
  for (const t of document.querySelectorAll(".tab")) t.addEventListener("click", () => showScreen(t.dataset.screen));
  $("settings-platform").addEventListener("change", loadSettings);
  $("cred-form").addEventListener("submit", storeApiKey);
  $("cred-forget").addEventListener("click", forgetApiKey);
  $("cleanup-open").addEventListener("click", openCleanup);
  $("ck-dry-run").addEventListener("click", () => runDeploy(true, false));
  $("release-dry-run").addEventListener("click", () => startRelease(true));
  $("release-real").addEventListener("click", () => startRelease(false));
  $("release-cancel").addEventListener("click", () => call("release_cancel").catch(showError));
  $("log-filter").addEventListener("input", onLogFilter);
  $("release-log").addEventListener("scroll", onLogScroll, { passive: true });
  listen("release-event", onReleaseEvent);
  // Log lines come through a channel: big batches are fetched rather than run as script.
  const logChannel = channel(onReleaseEvent);
  if (logChannel) call("release_log_channel", { channel: logChannel }).catch(showError);
  listen("release-done", onReleaseDone);
  listen("release-error", (e) => {
    setRunning(false);
    showError(e);
  });
  listen("show-screen", (name) => showScreen(name));
  $("ck-deploy").addEventListener("click", () => runDeploy(false, false));
  $("ck-confirm").addEventListener("click", () => runDeploy(false, true));
  $("settings-filter").addEventListener("input", () => settingsView && renderSettings());
  $("settings-undo").addEventListener("click", async () => {
    try {
      await call("xcconfig_undo", { path: current });
      renderReport(await call("check_workspace", { path: current }));
    } catch (e) {
      showError(e);
    }
  });
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
  $("toast-close").addEventListener("click", () => ($("toast").hidden = true));
  // A Mac app's shortcuts (Ctrl elsewhere): ⌘R checks again, ⌘O opens a workspace folder.
  document.addEventListener("keydown", (e) => {
    if (!(e.metaKey || e.ctrlKey) || e.altKey || e.shiftKey) return;
    const key = e.key.toLowerCase();
    if (key === "r" && !$("check-again").disabled) {
      e.preventDefault();
      $("check-again").click();
    } else if (key === "o") {
      e.preventDefault();
      $("open-folder").click();
    }
  });
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
