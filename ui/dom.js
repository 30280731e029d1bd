// Small DOM helpers every screen uses.

export const $ = (id) => document.getElementById(id);

// Builds an element; children are nodes or text (never parsed as HTML).
export function h(tag, attrs = {}, ...children) {
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

// Text that may wrap after each `sep` (a path after "/", a setting name after "_") rather than
// in the middle of a word: the pieces with a <wbr> between them.
export function breakAfter(text, sep) {
  return String(text)
    .split(sep)
    .flatMap((piece, i, all) => (i < all.length - 1 ? [piece + sep, h("wbr")] : [piece]));
}

// Text whose `backquoted` words (a command, a file, a setting's value, as the engine writes
// them) are shown as code, without the quotes; text with an unpaired quote is left as it is.
export function withCode(text) {
  const parts = String(text).split("`");
  if (parts.length < 3 || parts.length % 2 === 0) return String(text);
  return parts.map((p, i) => (i % 2 === 1 ? h("code", { class: "inline" }, p) : p));
}

export function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

// `fn` run at most once per frame, however often the returned function is called.
export function oncePerFrame(fn) {
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

// Shows `dialog` modally until `go` or `cancel` is pressed, as a Mac sheet before something that
// cannot be taken back: Cancel has the focus (Enter alone never says yes), Escape cancels.
// Resolves true only for `go`.
export function answer(dialog, go, cancel) {
  return new Promise((resolve) => {
    const done = (yes) => {
      go.onclick = cancel.onclick = dialog.oncancel = null;
      dialog.close();
      resolve(yes);
    };
    go.onclick = () => done(true);
    cancel.onclick = () => done(false);
    dialog.oncancel = (e) => {
      e.preventDefault();
      done(false);
    };
    dialog.showModal();
    cancel.focus();
  });
}

// Asks a yes/no question in a dialog made for it (see `answer`), removed once answered.
export async function ask(question, detail, go, testid = "ask") {
  const cancel = h("button", { type: "button", "data-testid": `${testid}-cancel` }, "Cancel");
  const yes = h("button", { type: "button", class: "danger", "data-testid": `${testid}-go` }, go);
  const dialog = h("dialog", { "data-testid": testid, "aria-label": question }, h("h2", {}, question), h("p", { class: "lede" }, detail), h("div", { class: "dialog-actions" }, cancel, yes));
  document.body.append(dialog);
  const said = await answer(dialog, yes, cancel);
  dialog.remove();
  return said;
}
