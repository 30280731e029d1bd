// The bridge to the app's Rust commands. Errors always come back as {code, message}.

const tauri = window.__TAURI__;

function asError(e) {
  if (e && typeof e === "object" && typeof e.message === "string") {
    return { code: e.code || "error", message: e.message };
  }
  return { code: "error", message: String(e) };
}

export async function call(command, args = {}) {
  if (!tauri || !tauri.core) {
    throw { code: "no-backend", message: "Shipdeck's window is not connected to the app." };
  }
  try {
    return await tauri.core.invoke(command, args);
  } catch (e) {
    throw asError(e);
  }
}

// A screen's loads can overlap (its tab clicked while the reload after a clean-up is still on its
// way, or a second workspace opened): only the newest call's answer is used, so an older one never
// paints over it. The older calls answer null and their errors are dropped.
export function newestOnly(command) {
  let latest = 0;
  return async (args) => {
    const mine = ++latest;
    try {
      const v = await call(command, args);
      return mine === latest ? v : null;
    } catch (e) {
      if (mine === latest) throw e;
      return null;
    }
  };
}

// What the app tells the window unasked (a tray re-check's report, a release's progress)
// comes through one channel the page opens on its first `listen`, as {event, payload}, in the
// order it happened. (Not Tauri's event listeners: each one cost the app's process 6 MB.)
const handlers = new Map();
let subscribed = false;

export function listen(event, handler) {
  handlers.set(event, [...(handlers.get(event) || []), handler]);
  if (subscribed || !tauri || !tauri.core || !tauri.core.Channel) return;
  subscribed = true;
  const ch = new tauri.core.Channel();
  ch.onmessage = (m) => {
    for (const handle of handlers.get(m.event) || []) handle(m.payload);
  };
  call("subscribe", { channel: ch }).catch((e) => {
    subscribed = false;
    console.error("shipdeck: the window is not told of the app's events:", e.message);
  });
}
