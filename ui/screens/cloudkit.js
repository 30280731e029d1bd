// CloudKit: the container everywhere it is named, the schema against production, the deploy.
import { call, newestOnly } from "../api.js";
import { fixControl } from "../changes.js";
import { $, answer, h, plural, withCode } from "../dom.js";
import { clearError, locationLink, session, showError } from "../session.js";

const cloudkitView = newestOnly("cloudkit_view");

// The screen's markup, put into its <section> by mount() when the module loads.
const MARKUP = `
  <h2>Container</h2>
  <p class="lede" id="ck-lede">Every place that names the CloudKit container of the release build.</p>
  <div id="ck-fix"></div>
  <table class="settings places" id="ck-places-table" data-testid="ck-places">
    <thead><tr><th>Container id</th><th>Where</th><th>File</th></tr></thead>
    <tbody id="ck-places"></tbody>
  </table>
  <h2 class="spaced" id="ck-schema-head">Schema</h2>
  <p class="lede" id="ck-schema-lede"></p>
  <ul class="changes" id="ck-changes" data-testid="ck-changes"></ul>
  <h2 class="spaced" id="ck-deploy-head">Deploy</h2>
  <p class="lede" id="ck-none" hidden data-testid="ck-none">This workspace uses no CloudKit (no container in its entitlements or shipdeck.toml): there is nothing to deploy.</p>
  <div id="ck-deploy-controls" data-testid="ck-deploy-controls">
    <p class="lede">Validate the schema, import it into development, see what production is missing, then deploy it in CloudKit Console. A dry-run runs only what reads.</p>
    <div class="deploy-actions">
      <button id="ck-dry-run" data-testid="ck-dry-run">Dry-run</button>
      <button id="ck-deploy" class="primary" data-testid="ck-deploy">Deploy to development…</button>
      <button id="ck-confirm" data-testid="ck-confirm">Confirm production</button>
      <button id="ck-cancel" data-testid="ck-cancel" disabled>Cancel</button>
    </div>
    <ol class="steps" id="ck-steps" data-testid="ck-steps"></ol>
  </div>
`;

// The real deploy's confirmation: in the body, so it shows whatever screen is hidden.
const DIALOG = `
  <dialog id="ck-confirm-dialog" data-testid="ck-confirm-dialog" aria-labelledby="ck-confirm-title">
    <h2 id="ck-confirm-title" data-testid="ck-confirm-question">Import the schema into development?</h2>
    <p class="lede" id="ck-confirm-what" data-testid="ck-confirm-what"></p>
    <ul class="confirm-missing" id="ck-confirm-missing" data-testid="ck-confirm-missing"></ul>
    <p class="confirm-blocked" id="ck-confirm-blocked" data-testid="ck-confirm-blocked" hidden>A real deploy cannot start here: it would stop at its first step for want of what is missing above, before it imports anything. The dry-run needs none of it.</p>
    <details class="written" open><summary>The command it will run</summary><pre id="ck-confirm-command" data-testid="ck-confirm-command"></pre></details>
    <div class="dialog-actions">
      <button type="button" id="ck-confirm-no" data-testid="ck-confirm-no" autofocus>Cancel</button>
      <button type="button" id="ck-confirm-go" class="danger" data-testid="ck-confirm-go">Import into development</button>
    </div>
  </dialog>
`;

const CONSOLE = "CloudKit Console (icloud.developer.apple.com/dashboard)";

export function mount() {
  $("cloudkit").innerHTML = MARKUP;
  document.body.insertAdjacentHTML("beforeend", DIALOG);
}

export async function load() {
  let v;
  try {
    v = await cloudkitView({ path: session.current });
  } catch (e) {
    showError(e);
    return;
  }
  if (!v) return;
  const mismatch = v.distinct.length > 1;
  // Without a shipdeck.toml the container is what Shipdeck found in the project.
  const configured = Boolean(session.lastReport?.workspace?.config);
  const n = v.places.length;
  const named = `${plural(n, "place")} ${n === 1 ? "names" : "name"} the container`;
  $("ck-lede").textContent = v.container
    ? configured
      ? `${named}; shipdeck.toml says ${v.container}.`
      : `${named}: ${v.container}, found in the project (there is no shipdeck.toml).`
    : configured
      ? "This workspace has no [cloudkit] section in shipdeck.toml."
      : "No CloudKit container was found in the project's entitlements.";
  // The engine sends the fix with the view when the places disagree.
  // Only the code differing is a warning: the build names one container, the code asks for another.
  const banner = () =>
    v.only_code_differs
      ? h("div", { class: "banner warning", "data-testid": "ck-mismatch" }, h("span", {}, h("strong", {}, "The code asks for another id"), ` than the entitlements and settings name (${v.align_to}).`), fixControl(v.fix))
      : h("div", { class: "banner", "data-testid": "ck-mismatch" }, h("span", {}, h("strong", {}, `${v.distinct.length} different ids`), " name the container."), fixControl(v.fix));
  $("ck-fix").replaceChildren(...(v.fix ? [banner()] : []));
  $("ck-places").replaceChildren(
    ...v.places.map((p) =>
      h(
        "tr",
        { "data-testid": "ck-place" },
        h("td", { class: `value${mismatch && !p.also && p.value !== v.align_to ? " mismatch" : ""}` }, p.value),
        h(
          "td",
          {},
          withCode(p.source),
          p.also ? h("span", { class: "raw" }, "another container the app uses") : !p.edit && h("span", { class: "raw" }, p.line ? "follows a build setting" : "what the profile allows"),
        ),
        h("td", { class: "origin" }, locationLink(p.file, p.line)),
      ),
    ),
  );
  const schemaLede = !v.schema
    ? `${configured ? "No schema file is named ([cloudkit] schema in shipdeck.toml)." : "No CloudKit schema file (.ckdb) was found in the project."} A deploy needs one: ${
        v.export_command ? `\`${v.export_command}\` (on a Mac, in the workspace folder; it only reads the container) writes its development schema to a file; then name it in shipdeck.toml (\`[cloudkit] schema = "CloudKit/schema.ckdb"\`).` : "\`xcrun cktool export-schema\` writes the container's current schema to a file."
      }`
    : v.production_snapshot
      ? `${v.schema} compared with the last production export (.shipdeck/cloudkit/production.ckdb):`
      : `${v.schema}. Run a dry-run to compare it with production.`;
  $("ck-schema-lede").replaceChildren(...[withCode(schemaLede)].flat());
  $("ck-changes").replaceChildren(...changeItems(v.changes));
  // A workspace without CloudKit has nothing to deploy: no deploy buttons, a sentence instead.
  const hasCloudKit = Boolean(v.container || v.places.length || v.schema);
  $("ck-deploy-controls").hidden = !hasCloudKit;
  $("ck-none").hidden = hasCloudKit;
  // Nor an empty table of places, a schema to export or a Deploy heading over one sentence.
  $("ck-places-table").hidden = v.places.length === 0;
  for (const id of ["ck-lede", "ck-schema-head", "ck-schema-lede", "ck-changes", "ck-deploy-head"]) $(id).hidden = !hasCloudKit;
  // Without a schema file there is nothing to import or deploy; the dry-run still says what a
  // deploy would need.
  canDeploy = Boolean(v.schema);
  for (const b of ["ck-deploy", "ck-confirm"]) {
    $(b).disabled = !canDeploy;
    $(b).title = canDeploy ? "" : "No schema file to deploy";
  }
}

let canDeploy = false;

function changeItems(changes) {
  return changes.map((c) => h("li", { class: c.destructive ? "destructive" : c.kind.endsWith("added") ? "add" : "other" }, `${c.destructive ? "cannot deploy: " : ""}${c.detail}`));
}

// Asks before a real deploy: the container, team and file, and the command that writes.
// Resolves with the deploy's token, or null (Cancel, Escape); Cancel has the focus.
async function confirmDeploy() {
  const v = await call("cloudkit_confirm", { path: session.current });
  $("ck-confirm-what").textContent = `This imports ${v.schema} into the development schema of ${v.container}${v.team_id ? ` (team ${v.team_id})` : ""}. Nothing has run yet. Production changes only when you deploy the changes in CloudKit Console.`;
  $("ck-confirm-command").textContent = `$ ${v.command}`;
  // What would stop the deploy at its first step (off a Mac: cktool) is said, and nothing is
  // offered to confirm.
  const blocking = v.blocking || [];
  $("ck-confirm-missing").replaceChildren(...blocking.map((m) => h("li", { "data-blocking": "true" }, "Missing: ", withCode(m))));
  $("ck-confirm-blocked").hidden = blocking.length === 0;
  $("ck-confirm-go").disabled = blocking.length > 0;
  const yes = await answer($("ck-confirm-dialog"), $("ck-confirm-go"), $("ck-confirm-no"));
  if (!yes) call("cloudkit_decline").catch(() => {});
  return yes ? v.token : null;
}

async function runDeploy(dryRun, confirm) {
  clearError();
  // A real deploy writes to CloudKit: it runs only once the user has confirmed it.
  let token = null;
  if (!dryRun && !confirm) {
    try {
      token = await confirmDeploy();
    } catch (e) {
      showError(e);
      return;
    }
    if (!token) return;
  }
  for (const b of ["ck-dry-run", "ck-deploy", "ck-confirm"]) $(b).disabled = true;
  $("ck-cancel").disabled = false;
  $("ck-steps").replaceChildren(h("li", { class: "step" }, "Running…"));
  try {
    const d = await call("cloudkit_deploy", { path: session.current, dryRun, confirm, token });
    $("ck-steps").replaceChildren(
      ...d.steps.map((s) =>
        h(
          "li",
          { class: "step", "data-testid": "ck-step", "data-step": s.id, "data-state": s.state },
          h("div", { class: "step-head" }, h("span", { class: `badge ${s.state}` }, s.state.replace("-", " ")), s.title),
          s.command && h("pre", {}, `$ ${s.command}`),
          // The console step is what the user does, said as a sentence for this window.
          s.output && s.id === "console"
            ? h("p", { class: "note", "data-testid": "ck-console" }, `Open ${CONSOLE}, choose ${d.container}, then Schema > Deploy Schema Changes. Afterwards press “Confirm production” here.`)
            : s.output && h("pre", {}, s.output),
          s.changes && s.changes.length > 0 && h("ul", { class: "changes" }, changeItems(s.changes)),
          s.needs && h("p", { class: "needs" }, withCode(`A real run needs: ${s.needs}`)),
        ),
      ),
      // Every line cktool printed is in the run's log (listed with the past runs too).
      h("li", { class: "lede ck-log", "data-testid": "ck-log" }, `Log: ${d.log}`),
    );
    // The outcome is below the controls: brought into view.
    $("ck-steps").scrollIntoView({ block: "start" });
  } catch (e) {
    showError(e);
  } finally {
    $("ck-dry-run").disabled = false;
    for (const b of ["ck-deploy", "ck-confirm"]) $(b).disabled = !canDeploy;
    $("ck-cancel").disabled = true;
  }
}

export function wire() {
  $("ck-dry-run").addEventListener("click", () => runDeploy(true, false));
  $("ck-deploy").addEventListener("click", () => runDeploy(false, false));
  $("ck-confirm").addEventListener("click", () => runDeploy(false, true));
  $("ck-cancel").addEventListener("click", () => call("cloudkit_cancel").catch(showError));
}
