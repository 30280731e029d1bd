// Writes a copy of the app's window as drawn on the sample workspace (its markup after the
// report is shown, scripts removed) for benches/app/startup.sh, which shows it in the peer
// (`shipdeck-hello --page-file`) to measure what drawing the same content costs without the
// app's code. Run through tauri-driver (scripts/driver-env.sh):
//   node benches/app/window-copy.mjs WORKSPACE OUT.html
import fs from "node:fs";
import { Session } from "../../tests/e2e/webdriver.mjs";

const [workspace, out] = process.argv.slice(2);
const s = await Session.start(process.env.SHIPDECK_WEBDRIVER, process.env.SHIPDECK_APP_BIN, [workspace]);
try {
  await s.until("the report", () => s.script("return document.querySelectorAll('#dashboard details').length > 0"));
  // The other screens mount after the first frame; let them, as they are in the app at rest.
  await new Promise((r) => setTimeout(r, 3000));
  const html = await s.script(`const d = document.documentElement.cloneNode(true);
    d.querySelectorAll('script, link[rel=modulepreload]').forEach((e) => e.remove());
    return '<!doctype html>\\n' + d.outerHTML;`);
  fs.writeFileSync(out, html);
} finally {
  await s.end();
}
