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

export function listen(event, handler) {
  if (tauri && tauri.event) {
    tauri.event.listen(event, (e) => handler(e.payload));
  }
}

// A channel the app streams to (release log lines); `null` without the app.
export function channel(handler) {
  if (!tauri || !tauri.core || !tauri.core.Channel) return null;
  const ch = new tauri.core.Channel();
  ch.onmessage = handler;
  return ch;
}
