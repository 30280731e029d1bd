// The window's first frame. A classic script at the end of the page: it runs as soon as the
// markup is parsed, before the modules (app.js and the screens) have loaded, so the first frame
// already shows the workspace and "Checking <folder>…" for a workspace given at start. The
// backend puts that workspace in window.__SHIPDECK_INITIAL__ before the page loads
// (src-tauri/src/lib.rs, boot_script); app.js takes it from window.shipdeckInitial.
(() => {
  const invoke = (cmd, args) => window.__TAURI__.core.invoke(cmd, args);
  const byId = (id) => document.getElementById(id);

  function showChecking(path) {
    const name = path.split("/").filter(Boolean).pop() || path;
    byId("workspace-name").textContent = byId("workspace-name").title = name;
    byId("workspace-path").textContent = byId("workspace-path").title = path;
    byId("welcome").hidden = true;
    byId("dashboard").hidden = false;
    byId("verdict").className = "verdict checking";
    byId("verdict-title").textContent = `Checking ${name}…`;
    byId("summary").textContent = "Reading the project, the signing identities, the profiles and CloudKit.";
  }

  // Without the backend's value (a page opened some other way) the backend is asked.
  const given = window.__SHIPDECK_INITIAL__;
  window.shipdeckInitial = given !== undefined ? Promise.resolve(given) : invoke("initial_workspace");
  window.shipdeckInitial.then((path) => path && showChecking(path), () => {});

  requestAnimationFrame(() => invoke("first_paint", { pageMs: performance.now() }).catch(() => {}));
})();
