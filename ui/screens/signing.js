// Signing: what signs each shipping target, the identities and profiles as cards (coloured as
// the checks judge them), the expiry timeline, and the profile clean-up.
import { call, newestOnly } from "../api.js";
import { $, h, withCode } from "../dom.js";
import { clearError, session, showError } from "../session.js";
import { renderCredentials } from "../credentials.js";

const signingView = newestOnly("signing_view");

// The screen's markup, put into its <section> by mount() when the module loads.
const MARKUP = `
  <h2>What signs each target</h2>
  <p class="lede">The identity and the App Store profile a release signs each shipping target with, and the iCloud containers the profile must allow.</p>
  <ul class="signing-map" id="signing-map" data-testid="signing-map"></ul>
  <h2 class="spaced">Identities</h2>
  <p class="lede">Distribution certificates with their private keys, and the intermediate that issued them.</p>
  <ul class="problems" id="signing-problems"></ul>
  <div class="cards" id="signing-identities" data-testid="signing-identities"></div>
  <div class="settings-head spaced">
    <h2>Provisioning profiles</h2>
    <div class="settings-tools">
      <button type="button" id="cleanup-open" data-testid="cleanup-open">Clean up…</button>
    </div>
  </div>
  <p class="lede" id="cleanup-result" hidden data-testid="cleanup-result"></p>
  <div class="cards" id="signing-profiles" data-testid="signing-profiles"></div>
  <div id="p12-section" hidden data-testid="p12-section">
    <h2 class="spaced">.p12 passwords</h2>
    <p class="lede">Each password is checked against its file, then kept in the keychain.</p>
    <ul class="cred-items" id="p12-items" data-testid="p12-items"></ul>
  </div>
  <h2 class="spaced">Expiry timeline</h2>
  <p class="lede">What expires in the next twelve months, soonest first; what already expired on top.</p>
  <div class="timeline" id="signing-timeline" data-testid="signing-timeline"></div>
`;

// The clean-up of provisioning profiles, added to the page by mount().
const DIALOG = `
  <dialog id="cleanup" data-testid="cleanup">
    <h2>Clean up provisioning profiles</h2>
    <p class="lede" id="cleanup-lede">Expired profiles, and older ones a newer profile of the same name replaces, move to a folder they can be restored from. Nothing is deleted.</p>
    <ul class="stale" id="cleanup-list" data-testid="cleanup-list"></ul>
    <div class="dialog-actions">
      <button type="button" id="cleanup-restore" data-testid="cleanup-restore" hidden>Restore the last clean-up</button>
      <button type="button" id="cleanup-cancel" data-testid="cleanup-cancel">Cancel</button>
      <button type="button" id="cleanup-apply" class="primary" data-testid="cleanup-apply">Move aside</button>
    </div>
  </dialog>
`;

export function mount() {
  $("signing").innerHTML = MARKUP;
  document.body.insertAdjacentHTML("beforeend", DIALOG);
}

function days(n) {
  return n < 0 ? `expired ${-n} d ago` : `${n} d`;
}

function card(c) {
  return h(
    "div",
    { class: `card ${c.state}`, "data-testid": "signing-card", "data-state": c.state, "data-label": c.label },
    h(
      "div",
      {},
      h("div", { class: "card-name" }, h("span", { class: `badge ${c.state}` }, c.label), " ", c.name),
      h("div", { class: "card-detail", title: c.sha1 ? `SHA-1 ${c.sha1}` : c.source }, c.detail),
      c.note && h("div", { class: "card-note" }, c.note),
    ),
    h("div", { class: `days${c.days_left < 0 ? " expired" : c.label === "expiring" ? " expiring" : ""}` }, h("strong", {}, `${Math.abs(c.days_left)}`), h("span", {}, c.days_left < 0 ? "days ago" : "days left")),
  );
}

// One shipping target: the identity and the profile a release signs it with.
// `read`: whether the identities could be read here; without them the row says what the
// project signs with (team, style, bundle id) and that the identity is not known.
function mapRow(r, read) {
  const signer = (s, what) => (s ? h("span", { class: "signer" }, h("strong", {}, s.name), ` · ${days(s.days_left)}`) : h("span", { class: "signer none" }, `no ${what}`));
  // A target its own ExportOptions ship outside the App Store: no identity or profile is
  // looked for, and the row says why instead of "no identity".
  if (r.outside) {
    return h(
      "li",
      { class: "map-row outside", "data-testid": "signing-map-row", "data-target": r.target, "data-state": "outside" },
      h("div", { class: "map-target" }, h("span", { class: "badge outside" }, "outside"), h("strong", {}, r.target), ` ${r.platform_label}`),
      h("p", { class: "map-project", "data-testid": "signing-map-project" }, r.team ? `team ${r.team}` : "no team", r.bundle_id ? [" · ", h("code", { class: "inline" }, r.bundle_id)] : ""),
      h("p", { class: "map-note", "data-testid": "signing-map-outside" }, r.outside),
    );
  }
  const state = read ? r.state : "unread";
  const badge = !read ? "not read" : r.label;
  return h(
    "li",
    { class: `map-row ${state}`, "data-testid": "signing-map-row", "data-target": r.target, "data-state": state },
    h("div", { class: "map-target" }, h("span", { class: `badge ${state}` }, badge), h("strong", {}, r.target), ` ${r.platform_label}`),
    h(
      "p",
      { class: "map-project", "data-testid": "signing-map-project" },
      r.team ? `team ${r.team}` : h("span", { class: "none" }, "no team"),
      ` · ${r.style} signing · `,
      r.bundle_id ? h("code", { class: "inline" }, r.bundle_id) : h("span", { class: "none" }, "no bundle id"),
    ),
    h(
      "div",
      { class: "map-chain" },
      read ? signer(r.identity, "identity") : h("span", { class: "signer unread" }, "identity not read here"),
      h("span", { class: "arrow", "aria-hidden": "true" }, "→"),
      "profile ",
      // Automatic signing with no profile here: Xcode makes or downloads it at the export.
      // A profile the project names that is not installed here: its name, so the user knows
      // what to install (fastlane match's `match AppStore <bundle id>`).
      r.profile_by_xcode
        ? h("span", { class: "signer auto", "data-testid": "profile-by-xcode" }, "made by Xcode at the export")
        : !r.profile && r.profile_named
          ? h("span", { class: "signer none", "data-testid": "profile-named" }, h("strong", {}, r.profile_named), " · not installed here")
          : signer(r.profile, "profile"),
      r.containers.length > 0 && [h("span", { class: "arrow", "aria-hidden": "true" }, "→"), r.containers.map(([c, ok]) => h("span", { class: ok ? "container" : "container missing" }, ok ? c : `${c} not allowed`))],
    ),
    r.note && h("p", { class: "map-note" }, r.note),
  );
}

export async function load() {
  let v;
  try {
    v = await signingView({ path: session.current });
  } catch (e) {
    showError(e);
    return;
  }
  if (!v) return;
  $("signing-problems").replaceChildren(...v.problems.map((p) => h("li", {}, withCode(p))));
  call("credentials_view", { path: session.current }).then(renderCredentials, showError);
  $("signing-map").replaceChildren(...(v.map.length ? v.map.map((r) => mapRow(r, v.readable)) : [h("li", { class: "lede" }, "No shipping targets.")]));
  $("signing-identities").replaceChildren(...(v.identities.length ? v.identities.map(card) : [h("p", { class: "lede" }, "No identities found in the configured sources.")]));
  // No profiles: where Shipdeck looked, so the user knows where Xcode should have put them.
  const looked = v.profile_folders.flatMap((f, i) => [i ? (i === v.profile_folders.length - 1 ? " or " : ", ") : "", h("code", { class: "inline" }, f)]);
  $("signing-profiles").replaceChildren(...(v.profiles.length ? v.profiles.map(card) : [h("p", { class: "lede", "data-testid": "no-profiles" }, "No provisioning profiles in ", ...looked, ".")]));
  // Nothing to clean up without profiles, unless the last clean-up can be put back (it may have
  // moved them all): the dialog holds "Put back".
  $("cleanup-open").disabled = !v.profiles.length;
  if (!v.profiles.length) {
    call("profiles_cleanup_preview", { path: session.current }).then((c) => c.last && ($("cleanup-open").disabled = false), () => {});
  }
  // The next twelve months, soonest first, what already expired at the top.
  const items = [...v.identities, ...v.profiles].filter((c) => c.days_left <= 365).sort((a, b) => a.days_left - b.days_left);
  $("signing-timeline").replaceChildren(
    ...(items.length
      ? items.map((c) => {
          const bar = h("div", { class: `tl-bar ${c.state}` });
          bar.style.width = `${Math.max(0, Math.min(100, (c.days_left / 365) * 100))}%`;
          return h(
            "div",
            { class: `tl-row${c.days_left < 0 ? " expired" : ""}`, "data-testid": "timeline-row" },
            h("span", { class: "tl-name", title: c.sha1 ? `${c.name} (SHA-1 ${c.sha1})` : c.name }, c.name),
            h("div", { class: "tl-track" }, bar),
            h("span", { class: "tl-days" }, days(c.days_left)),
          );
        })
      : [h("p", { class: "lede" }, v.readable || v.profiles.length ? "Nothing expires in the next twelve months." : "Identities could not be read here, so nothing says when they expire.")]),
  );
}

// ---- profile clean-up: preview in a dialog, then move aside (restorable)

async function openCleanup() {
  clearError();
  let v;
  try {
    v = await call("profiles_cleanup_preview", { path: session.current });
  } catch (e) {
    showError(e);
    return;
  }
  const dialog = $("cleanup");
  const none = v.stale.length === 0;
  $("cleanup-list").replaceChildren(
    ...(none
      ? [h("li", { "data-testid": "cleanup-none" }, "Nothing to clean up: no profile is expired or replaced by a newer one.")]
      : v.stale.map((p) => h("li", { "data-testid": "cleanup-item", "data-path": p.path }, h("div", { class: "card-name" }, p.name), h("div", { class: "why" }, p.why), h("div", { class: "where" }, p.path)))),
  );
  const apply = $("cleanup-apply");
  apply.hidden = none;
  apply.textContent = `Move ${v.stale.length} profile${v.stale.length === 1 ? "" : "s"} aside`;
  $("cleanup-cancel").textContent = none ? "Close" : "Cancel";
  const restore = $("cleanup-restore");
  restore.hidden = !v.last;
  restore.title = v.last || "";
  const close = () => dialog.close();
  $("cleanup-cancel").onclick = close;
  apply.onclick = async () => {
    apply.disabled = true;
    try {
      const done = await call("profiles_cleanup", { path: session.current, files: v.stale.map((p) => p.path) });
      const left = done.left.length ? ` ${done.left.length} left in place (no longer stale).` : "";
      showCleanupResult(`Moved ${done.moved} profile${done.moved === 1 ? "" : "s"} to ${done.folder}.${left}`);
      close();
      load();
    } catch (e) {
      close();
      showError(e);
    } finally {
      apply.disabled = false;
    }
  };
  restore.onclick = async () => {
    try {
      const back = await call("profiles_restore", {});
      showCleanupResult(back.length === 1 ? "Restored 1 profile to where it was." : `Restored ${back.length} profiles to where they were.`);
      close();
      load();
    } catch (e) {
      close();
      showError(e);
    }
  };
  dialog.showModal();
}

function showCleanupResult(text) {
  const p = $("cleanup-result");
  p.textContent = text;
  p.hidden = false;
}

export function wire() {
  $("cleanup-open").addEventListener("click", openCleanup);
  // A stored .p12 password may unlock identities: read them again.
  document.addEventListener("credentials-changed", () => session.current && !$("signing").hidden && load());
}
