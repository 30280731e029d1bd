requestAnimationFrame(() => {
  window.__TAURI__.core.invoke("first_paint", { pageMs: performance.now() });
  // --repaint: one more frame after the first, with other text.
  if (document.body.dataset.repaint !== undefined) setTimeout(() => (document.querySelector("h1").textContent = "Hello again"), 100);
});
