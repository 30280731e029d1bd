// Release: the plan's steps live (progress, elapsed time, the running step's tail, causes),
// the log (only the lines in sight are drawn), the confirmation before a real release, past runs.
import { call, listen } from "../api.js";
import { diffView } from "../changes.js";
import { $, answer, h, oncePerFrame, withCode } from "../dom.js";
import { clearError, noTargetReason, session, showError, showScreen } from "../session.js";

// The screen's markup, put into its <section> by mount() when the module loads.
const MARKUP = `
  <div class="settings-head">
    <div>
      <h2>Release</h2>
      <p class="lede">Archive, export and upload to App Store Connect. The dry-run runs every check and read-only command, shows every other command exactly, and changes nothing.</p>
    </div>
    <div class="settings-tools">
      <!-- The workspace's platforms (release.js fills it from the report). -->
      <select id="release-platform" aria-label="Platforms" data-testid="release-platform">
        <option value="all">All platforms</option>
      </select>
      <label class="check" title="Raise CURRENT_PROJECT_VERSION by one first (the dry-run shows the change)"><input type="checkbox" id="release-bump" data-testid="release-bump"> Raise build number</label>
      <label class="check" title="The dry-run archives too, into a temporary folder, and stops there"><input type="checkbox" id="release-archive" data-testid="release-archive"> Archive in dry-run</label>
      <button id="release-dry-run" class="primary" data-testid="release-dry-run">Dry-run</button>
      <button id="release-real" data-testid="release-real">Release…</button>
      <button id="release-cancel" data-testid="release-cancel" disabled>Cancel</button>
    </div>
  </div>
  <div class="progress" aria-hidden="true"><div id="release-progress" data-testid="release-progress"></div></div>
  <p class="progress-label" id="release-progress-label" data-testid="release-progress-label"></p>
  <p class="banner warning" id="release-nothing" data-testid="release-nothing" hidden>Nothing to release here: Shipdeck found no app target to archive. The dashboard says why.</p>
  <p class="lede" id="release-status" data-testid="release-status">No run yet.</p>
  <div class="needs-box" id="release-needs" data-testid="release-needs" hidden></div>
  <ol class="steps" id="release-steps" data-testid="release-steps"></ol>
  <div class="log-head">
    <h2>Log</h2>
    <input id="log-filter" type="search" placeholder="Filter the log" aria-label="Filter the log" data-testid="log-filter">
  </div>
  <p class="lede" id="log-note" data-testid="log-note" hidden></p>
  <div class="log" id="release-log" data-testid="release-log" tabindex="0"><div class="log-spacer" id="release-log-spacer"></div><pre class="log-lines" id="release-log-lines"></pre></div>
  <h2 class="spaced">Past runs</h2>
  <ul class="runs" id="release-runs" data-testid="release-runs"></ul>
  <h2 class="spaced">App Store Connect API key</h2>
  <p class="lede"><span id="cred-source" data-testid="cred-source"></span> A stored value is never shown again and never put on a command line.</p>
  <ul class="cred-items" id="cred-items" data-testid="cred-items"></ul>
  <form class="cred-form" id="cred-form" data-testid="cred-form" autocomplete="off">
    <label>Key ID <input id="cred-key-id" data-testid="cred-key-id" placeholder="e.g. ABC123DEFG" spellcheck="false"></label>
    <label>Issuer ID <input id="cred-issuer-id" data-testid="cred-issuer-id" placeholder="e.g. 69a6de70-03db-47e3-e053-5b8c7c11a4d1" spellcheck="false"></label>
    <label>.p8 file <input id="cred-p8" data-testid="cred-p8" placeholder="e.g. ~/Downloads/AuthKey_ABC123DEFG.p8" spellcheck="false"></label>
    <div class="cred-buttons">
      <button type="submit" class="primary" data-testid="cred-store">Store in keychain</button>
      <button type="button" id="cred-forget" data-testid="cred-forget">Forget</button>
    </div>
  </form>
`;

// The confirmation a real release asks for, added to the page by mount().
const DIALOG = `
  <dialog id="release-confirm" data-testid="release-confirm" aria-labelledby="release-confirm-title">
    <h2 id="release-confirm-title" data-testid="release-confirm-question">Release?</h2>
    <p class="lede">This is a real release: nothing has run yet, and nothing will until you confirm.</p>
    <table class="confirm-builds"><thead><tr><th>Platform</th><th>Scheme</th><th>Version</th><th>Build</th><th>Bundle id</th></tr></thead><tbody id="release-confirm-builds" data-testid="release-confirm-builds"></tbody></table>
    <p id="release-confirm-destination" data-testid="release-confirm-destination"></p>
    <ul class="confirm-caution" id="release-confirm-caution" data-testid="release-confirm-caution"></ul>
    <ul class="confirm-missing" id="release-confirm-missing" data-testid="release-confirm-missing"></ul>
    <p class="confirm-blocked" id="release-confirm-blocked" data-testid="release-confirm-blocked" hidden>A real release cannot start here: it would stop before the archive for want of what is missing above. Add it (the API key form is on this screen), or run a dry-run, which needs none of it.</p>
    <details class="written"><summary id="release-confirm-commands-title">Commands it will run</summary><pre id="release-confirm-commands" data-testid="release-confirm-commands"></pre></details>
    <div class="dialog-actions">
      <button type="button" id="release-confirm-cancel" data-testid="release-confirm-cancel" autofocus>Cancel</button>
      <button type="button" id="release-confirm-go" class="danger" data-testid="release-confirm-go">Release</button>
    </div>
  </dialog>
`;

export function mount() {
  $("release").innerHTML = MARKUP;
  document.body.insertAdjacentHTML("beforeend", DIALOG);
}

const MAX_LOG_LINES = 5000;
let logLines = [];
// The past run whose log is shown (its filter searches the whole log file), or null for the live log.
let viewingRun = null;
let releaseSteps = new Map();
let releaseTotal = 0;


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
    r.note && noteView(r),
    // What is missing is said once, above the steps (renderNeeds): here only that it is.
    (r.needs || []).length > 0 && h("p", { class: "needs", "data-testid": "step-needs" }, "A real run needs what is listed above."),
    r.file &&
      h(
        "details",
        { class: "written", "data-testid": "step-file" },
        h("summary", {}, `${["done", "failed"].includes(r.state) ? "Wrote" : "Would write"} ${r.file.path.split("/").pop()}`),
        h("pre", {}, r.file.text),
      ),
  );
}

// A step's note; the build-number bump's is its diff, after any sentence about it.
function noteView(r) {
  const at = r.id === "bump" ? (r.note.startsWith("---") ? 0 : r.note.indexOf("\n---")) : -1;
  if (at < 0) return h("p", { class: "lede note" }, withCode(r.note));
  const said = r.note.slice(0, at).trim();
  return [said && h("p", { class: "lede note" }, withCode(said)), diffView(r.note.slice(at).trimStart())];
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
            withCode(`→ ${c.hint}`),
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
  renderNeeds();
  paintProgress();
  tickElapsed();
}

// Everything the run's steps need and this machine lacks, each once (the same key was said on
// every upload and processing step), with the way to the key form further down.
// Everything the shown run's steps need and this machine lacks, each once.
function runNeeds() {
  return [...new Set([...releaseSteps.values()].flatMap((r) => r.needs || []))];
}

function renderNeeds() {
  const needs = runNeeds();
  const box = $("release-needs");
  box.hidden = needs.length === 0;
  if (!needs.length) return box.replaceChildren();
  const key = needs.some((n) => /APP_STORE_CONNECT|asc-/.test(n));
  box.replaceChildren(
    h("p", { class: "needs-title" }, "A real run needs"),
    h("ul", {}, needs.map((n) => h("li", { "data-testid": "release-need" }, withCode(n)))),
    key &&
      h(
        "button",
        {
          type: "button",
          "data-testid": "release-needs-key",
          onclick: () => {
            $("cred-form").scrollIntoView({ block: "center" });
            $("cred-key-id").focus({ preventScroll: true });
          },
        },
        "Add the App Store Connect key…",
      ),
  );
}

// The bar: the share of the plan's steps that went through (ran, or were shown in a dry-run),
// coloured by how they went (blue while running, red once a step failed or was blocked, grey
// when cancelled, green when it passed); a cancel or a failure says where the run stopped
// (the steps after it did not run, so they do not fill the bar).
function paintProgress(outcome) {
  const steps = [...releaseSteps.values()];
  const ended = (r) => r.duration_ms !== undefined && !["cancelled", "blocked"].includes(r.state);
  const failures = steps.filter((r) => r.state === "failed" || r.state === "blocked");
  const failed = failures.find((r) => r.state === "failed") || failures[0];
  // A real run stops at its failure; a dry-run goes on through every step (it checks the whole
  // release), and then the failure is not where it stopped.
  const at = steps.indexOf(failed);
  const wentOn = at >= 0 && steps.slice(at + 1).some(ended);
  const through = steps.filter((r) => ended(r) && (wentOn || r.state !== "failed")).length;
  const total = releaseTotal || steps.length;
  const bar = $("release-progress");
  bar.style.width = total ? `${Math.round((through / total) * 100)}%` : "0";
  const state = outcome ? { succeeded: "passed", "dry-run-passed": "passed", cancelled: "cancelled" }[outcome] || "failed" : failed ? "failed" : "running";
  bar.dataset.state = state;
  const stoppedAt = steps.find((r) => r.state === "cancelled" && r.duration_ms > 0);
  let label = `${through} of ${total} steps${outcome ? "" : " done"}`;
  if (outcome === "cancelled") label = `Cancelled after ${through} of ${total} steps${stoppedAt ? `, during “${stoppedAt.title}”` : ""}`;
  else if (state === "failed" && failed && wentOn && outcome) {
    // Steps blocked by a failure are the ones not gone through; the failures are counted.
    const n = steps.filter((r) => r.state === failed.state).length;
    label = `${through === total ? `All ${total}` : `${through} of ${total}`} steps gone through; ${n === 1 ? `one ${failed.state}: “${failed.title}”` : `${n} ${failed.state}, the first “${failed.title}”`}`;
  } else if (state === "failed" && failed) label = `${through} of ${total} steps; stopped at “${failed.title}” (${failed.state})`;
  $("release-progress-label").textContent = total ? label : "";
}

// The running step's elapsed time, every second while a step runs; at rest the window sets no
// timer (a menu-bar app woken every second for nothing costs the Mac's battery).
let ticker = 0;
function tickElapsed() {
  if (ticker || !document.querySelector('[data-testid="step-elapsed"]')) return;
  ticker = setTimeout(() => {
    ticker = 0;
    for (const el of document.querySelectorAll('[data-testid="step-elapsed"]')) {
      const since = Number(el.dataset.since);
      if (since) el.textContent = `${Math.floor((Date.now() - since) / 1000)} s…`;
    }
    tickElapsed();
  }, 1000);
}

// The last lines a step printed, from the live log.
function liveTail(id) {
  const prefix = `${id} | `;
  const mine = [];
  for (let i = logLines.length - 1; i >= 0 && mine.length < 4; i--) if (logLines[i].startsWith(prefix)) mine.unshift(logLines[i].slice(prefix.length));
  return mine.join("\n") || "…";
}

// The status line of the running step: its title, the tool's phase (told when it changes) and
// the lines so far (counted as they arrive: a phase can last thousands of lines).
let stepLines = new Map();
let stepPhase = new Map();
function paintRunning(id) {
  const step = releaseSteps.get(id);
  if (!step || step.state !== "running") return;
  const phase = stepPhase.get(id);
  const n = stepLines.get(id) || 0;
  $("release-status").textContent = `Running: ${step.title}${phase ? ` — ${phase}` : ""}${n ? ` (${n.toLocaleString()} lines)` : ""}`;
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
    stepLines.set(e.id, (stepLines.get(e.id) || 0) + e.lines.length + (e.skipped || 0));
    paintRunning(e.id);
    const live = document.querySelector(`[data-step="${CSS.escape(e.id)}"] [data-testid="step-live-tail"]`);
    if (live) live.textContent = liveTail(e.id);
    return;
  }
  if (e.event === "plan") {
    // Every step of the run, pending, before the first starts.
    releaseSteps = new Map(e.steps.map((p) => [p.id, { id: p.id, title: p.title, state: "pending" }]));
    releaseTotal = e.steps.length;
    stepLines = new Map();
    stepPhase = new Map();
    renderSteps();
    return;
  }
  const inner = e.inner;
  if (inner.event === "progress") {
    stepPhase.set(inner.id, inner.phase);
    paintRunning(inner.id);
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
  // A dry-run passes without the tools or the key of a real run here: it says so beside "passed".
  const needs = runNeeds().length;
  const lacking = record.outcome === "dry-run-passed" && needs ? ` A real run needs ${needs === 1 ? "one thing" : `${needs} things`} this machine lacks (listed below).` : "";
  $("release-status").textContent = `${words[record.outcome] || record.outcome}${record.dry_run && record.outcome !== "dry-run-passed" ? " (dry-run)" : ""} in ${(record.duration_ms / 1000).toFixed(1)} s.${lacking} Log: ${record.log}`;
  $("release-status").dataset.outcome = record.outcome;
  setRunning(false);
  loadRuns();
}

// No app target found (no project yet, or not an Xcode app): nothing to run or confirm.
let nothingToRelease = false;
let running = false;

function setRunning(on) {
  running = on;
  $("release-dry-run").disabled = on || nothingToRelease;
  $("release-real").disabled = on || nothingToRelease;
  $("release-bump").disabled = nothingToRelease;
  $("release-archive").disabled = nothingToRelease;
  $("release-cancel").disabled = !on;
}

// A platform as the workspace names it ("Mac Catalyst", not "catalyst").
function platformLabel(id) {
  const known = (session.lastReport?.workspace?.platforms || []).find((p) => p.id === id);
  return known ? known.label : id;
}

// Asks before a real release: what it will build (version, build, platforms), where it
// uploads, what is missing, every command. Resolves with the run's token, or null (Cancel,
// Escape). Cancel has the focus, so Enter alone never starts a release.
async function confirmRelease(opts) {
  const v = await call("release_confirm", { path: session.current, platform: opts.platform, bumpBuild: opts.bumpBuild });
  $("release-confirm-title").textContent = v.question;
  $("release-confirm-builds").replaceChildren(
    ...v.builds.map((b) =>
      h(
        "tr",
        { "data-testid": "release-confirm-build", "data-platform": b.platform },
        h("td", {}, platformLabel(b.platform)),
        h("td", {}, `${b.scheme} (${b.configuration})`),
        h("td", {}, b.version || "not set"),
        h("td", {}, b.build || (b.build_set_by ? `set when it builds (“${b.build_set_by}”)` : "not set"), b.raised_from && ` (raised from ${b.raised_from})`),
        h("td", {}, b.bundle_id || "not set"),
      ),
    ),
  );
  $("release-confirm-destination").textContent = `Uploads to ${v.destination}.${v.edits.length ? ` Edits ${v.edits.join(", ")} first.` : ""}`;
  // A target the dashboard says may ship only outside the App Store (notarized, updated by
  // Sparkle) is named before it is uploaded there.
  const labels = v.builds.map((b) => `${platformLabel(b.platform)} target `);
  const open = (f) => f.severity === "warning" && !f.acknowledged && labels.some((l) => f.subject.includes(l));
  const outside = (session.lastReport?.findings || []).filter((f) => f.id.startsWith("release.distribution.") && open(f));
  // No team: the archive stops after its first minutes of build ("requires a development team").
  const noTeam = (session.lastReport?.findings || []).filter((f) => f.id === "signing.team.missing" && open(f));
  $("release-confirm-caution").replaceChildren(
    ...outside.map((f) => h("li", { "data-id": f.id }, `${f.subject}: ${f.title.charAt(0).toLowerCase()}${f.title.slice(1)}. It may ship only outside the App Store; see the dashboard before you upload it.`)),
    ...noTeam.map((f) => h("li", { "data-id": f.id }, `${f.subject}: no team to sign for. The archive would stop (“requires a development team”); see the dashboard.`)),
  );
  // What stops the run at its first step, before the archive, is said so; what only following
  // the build's processing needs (an Apple ID upload) is not.
  const blocking = new Set(v.blocking || []);
  $("release-confirm-missing").replaceChildren(
    ...v.missing.map((m) =>
      blocking.has(m)
        ? h("li", { "data-blocking": "true" }, "Missing: ", withCode(m))
        : h("li", { "data-blocking": "false", class: "optional" }, "Missing, only to follow the build's processing: ", withCode(m)),
    ),
  );
  $("release-confirm-blocked").hidden = blocking.size === 0;
  $("release-confirm-commands-title").textContent = `The ${v.commands.length} commands it will run`;
  $("release-confirm-commands").textContent = v.commands.map((c) => `$ ${c}`).join("\n\n");
  // Nothing to release, or a run that would stop at once: nothing to confirm.
  $("release-confirm-go").disabled = !v.builds.length || blocking.size > 0;
  const yes = await answer($("release-confirm"), $("release-confirm-go"), $("release-confirm-cancel"));
  if (!yes) call("release_decline").catch(() => {});
  return yes ? v.token : null;
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
    await call("release_start", { path: session.current, dryRun, platform, archive: dryRun && $("release-archive").checked, bumpBuild, token });
  } catch (e) {
    setRunning(false);
    showError(e);
  }
}

async function loadRuns() {
  try {
    const runs = await call("release_runs", { path: session.current });
    if (!runs.length) {
      $("release-runs").replaceChildren(h("li", { class: "lede empty", "data-testid": "release-runs-empty" }, "No runs of this workspace yet: a dry-run or release is listed here when it starts."));
      return;
    }
    $("release-runs").replaceChildren(
      ...runs.map((r) =>
        h(
          "li",
          { "data-testid": "release-run" },
          h("span", { class: `badge ${r.outcome === "succeeded" || r.outcome === "dry-run-passed" ? "done" : r.outcome === "running" ? "running" : "failed"}` }, r.outcome.replace(/-/g, " ")),
          h("span", {}, new Date(r.started_at * 1000).toLocaleString()),
          h("span", { class: "lede" }, r.dry_run ? "dry-run" : "release"),
          h("span", { class: "run-builds", "data-testid": "run-builds" }, (r.builds || []).join(", ")),
          h("button", { onclick: () => showRun(r) }, "Open"),
          r.why && h("p", { class: "run-why", "data-testid": "run-why" }, withCode(r.why)),
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
  $("release-status").textContent = `Past run: ${words[r.outcome] || r.outcome}${r.dry_run && r.outcome !== "dry-run-passed" ? " (dry-run)" : ""}, ${new Date(r.started_at * 1000).toLocaleString()}`;
  $("release-status").dataset.outcome = r.outcome;
  try {
    viewingRun = r.id;
    $("log-filter").value = "";
    await loadRunLog();
  } catch (e) {
    showError(e);
  }
}

export function wire() {
  $("release-dry-run").addEventListener("click", () => startRelease(true));
  $("release-real").addEventListener("click", () => startRelease(false));
  $("release-cancel").addEventListener("click", () => call("release_cancel").catch(showError));
  $("log-filter").addEventListener("input", onLogFilter);
  $("release-log").addEventListener("scroll", onLogScroll, { passive: true });
  listen("release-event", onReleaseEvent);
  listen("release-done", onReleaseDone);
  listen("release-error", (e) => {
    setRunning(false);
    showError(e);
  });
}

// The platforms a release can be limited to: those the workspace ships, all of them first.
function platformChoices() {
  const list = session.lastReport?.workspace?.platforms ?? [];
  const select = $("release-platform");
  const was = select.value;
  // "All" builds every platform but those exported outside the App Store (a Developer ID Mac
  // app), which are listed on their own and say so.
  const labels = list.filter((p) => p.in_all !== false).map((p) => p.label);
  const all = labels.length > 1 ? `${labels.slice(0, -1).join(", ")} and ${labels.at(-1)}` : labels[0] || "All platforms";
  const own = (p) => (p.in_all === false ? `${p.label} (outside the App Store)` : p.label);
  const options = [h("option", { value: "all" }, all), ...(list.length > 1 ? list.map((p) => h("option", { value: p.id }, own(p))) : [])];
  select.replaceChildren(...options);
  select.value = options.some((o) => o.value === was) ? was : "all";
  select.disabled = options.length < 2;
  nothingToRelease = !!session.lastReport && labels.length === 0;
  $("release-nothing").hidden = !nothingToRelease;
  if (nothingToRelease && list.length > 0) {
    // Every app here is exported outside the App Store: the check's blocker says each.
    $("release-nothing").replaceChildren(
      h("span", {}, `Nothing to release through App Store Connect: ${list.map((p) => p.label).join(" and ")} ${list.length > 1 ? "are" : "is"} exported outside the App Store (the app's own ExportOptions). The dashboard says which file.`),
    );
  } else if (nothingToRelease) {
    const why = noTargetReason();
    // One span: the banner is a flex row, whose items would be each text and code piece.
    $("release-nothing").replaceChildren(h("span", {}, ...[withCode(why ? `Nothing to release yet. ${why}` : "Nothing to release here: Shipdeck found no app target to archive. The dashboard says why.")].flat()));
  }
  setRunning(running);
}

export function load() {
  platformChoices();
  loadRuns();
}
