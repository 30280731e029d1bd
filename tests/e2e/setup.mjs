// What the window tests share: where things are, a copy of the sample workspace to work on,
// and a launcher that starts the app with the recording fakes (tests/fakes) first on PATH.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const repo = path.resolve(import.meta.dirname, "../..");
export const artifacts = path.join(repo, "tests/e2e/artifacts");
export const driver = process.env.SHIPDECK_WEBDRIVER || "http://127.0.0.1:4444";

// A fresh copy of examples/isometry in a folder of its own (`prefix-XXXX`), without its
// .shipdeck folder; with the demo signing set when `demo` is set.
export function sample(prefix, { demo = false } = {}) {
  const tmp = fs.mkdtempSync(path.join(process.env.SHIPDECK_E2E_TMP || "/tmp", `${prefix}-`));
  const ws = path.join(tmp, "isometry");
  fs.cpSync(path.join(repo, "examples/isometry"), ws, { recursive: true });
  fs.rmSync(path.join(ws, ".shipdeck"), { recursive: true, force: true });
  if (demo) execFileSync(process.env.SHIPDECK_BIN, ["signing", "demo", "--workspace", ws], { stdio: "ignore" });
  return { tmp, ws };
}

// The workspace's identity sources, replaced ([signing] sources in shipdeck.toml).
export function useSources(ws, sources) {
  const toml = path.join(ws, "shipdeck.toml");
  fs.writeFileSync(toml, fs.readFileSync(toml, "utf8").replace(/^sources = .*$/m, `sources = ${JSON.stringify(sources)}`));
}

// A script that starts the built app with the fakes first on PATH and these variables set
// (SHIPDECK_FAKE_LOG to record the tools' calls, FAKE_* to make them fail or wait).
export function withFakes(tmp, env = {}) {
  const launcher = path.join(tmp, "shipdeck-app-with-fakes");
  const exports = Object.entries(env).map(([k, v]) => `export ${k}=${JSON.stringify(String(v))}`);
  fs.writeFileSync(launcher, ["#!/bin/sh", `export PATH=${JSON.stringify(path.join(repo, "tests/fakes"))}:"$PATH"`, ...exports, `exec ${JSON.stringify(process.env.SHIPDECK_APP_BIN)} "$@"`, ""].join("\n"), { mode: 0o755 });
  return launcher;
}
