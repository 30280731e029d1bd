// The app's log view on a long build log: starts the real app (through tauri-driver), runs a
// dry-run with --archive on the sample workspace while the fake xcodebuild prints LINES lines,
// and measures, in one run: the time to the end of the run as the window sees it, the lines
// per second that makes, the longest stall of the window's main thread while the lines come
// in (a 50 ms timer's worst lateness), the peak resident memory of the app and its WebKit
// processes, and how long the log filter takes on what the view keeps.
// Run by benches/app/log.sh, which sets up Xvfb, tauri-driver and the environment.
import fs from "node:fs";
import path from "node:path";
import { Session } from "../../tests/e2e/webdriver.mjs";

const repo = path.resolve(import.meta.dirname, "../..");
const lines = Number(process.env.FAKE_XCODEBUILD_LINES);
const tmp = fs.mkdtempSync(path.join(process.env.SHIPDECK_E2E_TMP || "/tmp", "log-"));
const ws = path.join(tmp, "isometry");
fs.cpSync(path.join(repo, "examples/isometry"), ws, { recursive: true });
fs.rmSync(path.join(ws, ".shipdeck"), { recursive: true, force: true });

// Resident memory (KB) of every process whose command line names the app binary, and their
// descendants (WebKit's web and network processes).
function treeRss(rootPids) {
  const children = (p) => {
    try {
      return fs.readdirSync(`/proc/${p}/task`).flatMap((t) => fs.readFileSync(`/proc/${p}/task/${t}/children`, "utf8").trim().split(/\s+/).filter(Boolean));
    } catch {
      return [];
    }
  };
  const seen = new Set();
  const walk = (p) => {
    if (seen.has(p)) return;
    seen.add(p);
    children(p).forEach(walk);
  };
  rootPids.forEach(walk);
  let kb = 0;
  const by = {};
  for (const p of seen) {
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, "utf8");
      const m = /VmRSS:\s+(\d+)/.exec(status);
      const name = /Name:\s+(\S+)/.exec(status)[1];
      if (m) {
        kb += Number(m[1]);
        by[name] = (by[name] || 0) + Number(m[1]);
      }
    } catch {}
  }
  return { kb, processes: seen.size, by };
}
function appPids() {
  const bin = process.env.SHIPDECK_APP_BIN;
  return fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return fs.readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0")[0] === bin;
    } catch {
      return false;
    }
  });
}

const s = await Session.start(process.env.SHIPDECK_WEBDRIVER, process.env.SHIPDECK_APP_BIN, [ws]);
try {
  await s.until("the dashboard", async () => (await s.findAll('[data-testid="finding"]')).length > 0, 60000);
  await s.click(await s.find('[data-testid="tab-release"]'));
  const pids = appPids();
  const before = treeRss(pids);
  // A timer that should fire every 50 ms: how late it gets is how long the page could not respond.
  await s.script(`
    window.__bench = { worst: 0, last: performance.now() };
    window.__bench.timer = setInterval(() => {
      const now = performance.now();
      window.__bench.worst = Math.max(window.__bench.worst, now - window.__bench.last - 50);
      window.__bench.last = now;
    }, 50);`);
  const t0 = Date.now();
  await s.script(`window.__TAURI__.core.invoke("release_start", { path: arguments[0], dryRun: true, platform: "ios", archive: true }); return true;`, [ws]);
  let peak = before;
  const status = await s.find('[data-testid="release-status"]');
  let outcome = null;
  while (!(outcome = await s.attribute(status, "data-outcome"))) {
    const now = treeRss(pids);
    if (now.kb > peak.kb) peak = now;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (Date.now() - t0) / 1000;
  // The view renders on the next frame: wait for the archive's last line to be on screen.
  const box = await s.find('[data-testid="release-log"]');
  let sawEnd = true;
  await s.until("the end of the log in the view", async () => (await s.text(box)).includes("ARCHIVE SUCCEEDED"), 5000).catch(() => (sawEnd = false));
  const endSeconds = (Date.now() - t0) / 1000;
  const after = treeRss(pids);
  const worst = await s.script("clearInterval(window.__bench.timer); return window.__bench.worst;");
  // The filter, timed in the page: one keystroke's work on what the view keeps.
  const filterMs = await s.script(`
    const input = document.querySelector('[data-testid="log-filter"]');
    input.value = arguments[0];
    const t = performance.now();
    input.dispatchEvent(new Event("input"));
    return performance.now() - t;`, [`Generated${lines - 7}.swift`]);
  await new Promise((r) => setTimeout(r, 10000));
  const idle = treeRss(pids);
  const filtered = (await s.text(await s.find('[data-testid="release-log"]'))).split("\n").length;
  // A past run's log: opening it reads only its end; the filter searches the whole file.
  await s.script(`document.querySelector('[data-testid="log-filter"]').value = "";`);
  const o0 = Date.now();
  await s.click((await s.findAll('[data-testid="release-run"] button'))[0]);
  const note = await s.find('[data-testid="log-note"]');
  const opened = await s.until("the past run's log", async () => {
    const t = await s.text(note);
    return /^The last .* lines of /.test(t) && (await s.text(box)).includes("ARCHIVE SUCCEEDED") ? t : null;
  }, 60000);
  const openMs = Date.now() - o0;
  const q0 = Date.now();
  await s.type(await s.find('[data-testid="log-filter"]'), "ARCHIVE SUCCEEDED");
  const searched = await s.until("the search of the whole log", async () => {
    const t = await s.text(note);
    return /containing “ARCHIVE SUCCEEDED”/.test(t) && (await s.text(box)).split("\n").length === 1 ? t : null;
  }, 60000);
  const searchMs = Date.now() - q0;
  fs.mkdirSync(path.join(repo, "tests/e2e/artifacts"), { recursive: true });
  fs.writeFileSync(path.join(repo, "tests/e2e/artifacts/log-bench.png"), await s.screenshot());
  console.log(JSON.stringify({ past_run_opened: opened, past_run_open_ms: openMs, whole_log_search: searched, whole_log_search_ms: searchMs }));
  console.log(JSON.stringify({ lines, outcome, seconds, end_in_view_seconds: endSeconds, lines_per_second: Math.round(lines / seconds), worst_stall_ms: Math.round(worst), rss_before_kb: before.kb, rss_peak_kb: peak.kb, rss_after_kb: after.kb, processes: peak.processes, rss_before_by_process: before.by, rss_peak_by_process: peak.by, rss_10s_later_by_process: idle.by, log_view_shows_the_end: sawEnd, filter_ms: Math.round(filterMs * 10) / 10, filter_matches: filtered }));
} finally {
  await s.end().catch(() => {});
}
