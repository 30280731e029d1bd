// The keychain panels (Release and Signing): only whether each item is stored ever reaches
// the window, never a value.
import { call } from "./api.js";
import { $, ask, h } from "./dom.js";
import { clearError, session, showError } from "./session.js";

function stateBadge(i) {
  const cls = i.state === "stored" ? "done" : i.state === "unreadable" ? "failed" : "skipped";
  return h("span", { class: `badge ${cls}`, title: i.message || "" }, i.state);
}

export function renderCredentials(v) {
  $("cred-source").textContent = v.source;
  $("cred-items").replaceChildren(...v.api_key.map((i) => h("li", { "data-testid": `cred-${i.item}`, "data-state": i.state }, stateBadge(i), h("span", {}, i.what), h("code", { class: "cred-item" }, i.item))));
  $("cred-forget").disabled = !v.api_key.some((i) => i.state === "stored");
  // The section shows when the workspace has .p12 files: one row each, and the default
  // password tried for any file without its own.
  $("p12-section").hidden = !v.p12.some((i) => i.file);
  $("p12-items").replaceChildren(
    ...v.p12.map((i) => {
      if (!i.file) return h("li", { "data-testid": "p12-default", "data-state": i.state }, stateBadge(i), h("span", {}, i.what), h("code", { class: "cred-item" }, `shipdeck secrets set ${i.item}`));
      const file = i.file;
      const input = h("input", { type: "password", placeholder: "password", "aria-label": `Password of ${file}`, "data-testid": `p12-password-${file}` });
      const store = async () => {
        clearError();
        try {
          renderCredentials(await call("credentials_store_p12", { path: session.current, file, password: input.value }));
          document.dispatchEvent(new CustomEvent("credentials-changed"));
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

export async function loadCredentials() {
  try {
    renderCredentials(await call("credentials_view", { path: session.current }));
  } catch (e) {
    showError(e);
  }
}

async function storeApiKey(ev) {
  ev.preventDefault();
  clearError();
  try {
    const v = await call("credentials_store_api_key", { keyId: $("cred-key-id").value, issuerId: $("cred-issuer-id").value, privateKeyPath: $("cred-p8").value, path: session.current });
    $("cred-form").reset();
    renderCredentials(v);
  } catch (e) {
    showError(e);
  }
}

async function forgetApiKey() {
  clearError();
  // The keychain holds the only copy Shipdeck has; Apple lets a .p8 key be downloaded once.
  const sure = await ask(
    "Remove the App Store Connect API key from the keychain?",
    "Shipdeck deletes the key id, the issuer id and the private key it stored. Apple lets you download a .p8 key only once: keep your copy of the AuthKey file to store it again.",
    "Remove",
    "forget-confirm",
  );
  if (!sure) return;
  try {
    renderCredentials(await call("credentials_forget", { item: "asc", path: session.current }));
  } catch (e) {
    showError(e);
  }
}

export function wire() {
  $("cred-form").addEventListener("submit", storeApiKey);
  $("cred-forget").addEventListener("click", forgetApiKey);
}
