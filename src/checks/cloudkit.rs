//! CloudKit: one container id everywhere, the production environment, the CloudKit
//! entitlement, and a schema production can take.

use crate::cloudkit::alignment::{places, suggested};
use crate::cloudkit::{diff, Schema};
use crate::finding::Finding;
use crate::plist_file::PlistFile;
use crate::workspace::Workspace;

/// Where a deploy or export keeps the last production schema it saw.
pub const PRODUCTION_SNAPSHOT: &str = ".shipdeck/cloudkit/production.ckdb";

pub fn check(ws: &Workspace, out: &mut Vec<Finding>) {
    let Some(ck) = &ws.config.cloudkit else { return };

    // One container id everywhere; what the code names is held to what the build grants, below.
    let places = places(ws);
    let judged = crate::cloudkit::alignment::judge(ws, &places);
    let all = &judged.release;
    let ids = &judged.release_ids;
    let code_count = places.iter().filter(|p| p.in_code()).count();
    if ids.len() > 1 {
        let listing: Vec<String> = all.iter().map(|p| format!("{}: {} ({}{})", p.source, p.value, ws.display_path(&p.file), p.line.map(|l| format!(":{l}")).unwrap_or_default())).collect();
        let pick = suggested(&ck.container, all);
        let target = pick.to.clone();
        let help = if pick.against_config {
            format!(
                "Align every file on {target}: {} of {} places name it, shipdeck.toml's `{}` only {} (likely the typo). Or pick another id.",
                pick.named_by,
                pick.of,
                ck.container,
                all.iter().filter(|p| p.value == ck.container).count()
            )
        } else {
            format!("Align every file on {target} (shipdeck.toml's container), or pick another id.")
        };
        // Point at the first place that disagrees with the id to align on.
        let odd = all.iter().find(|p| p.value != target).or(all.first());
        let mut f = Finding::blocker("cloudkit.container.mismatch", format!("{} container ids", ids.len()), format!("The container is named {} ways: {}.", ids.len(), listing.join("; ")))
            .help(help)
            .fix(crate::cloudkit::alignment::align_fix(&target));
        if let Some(p) = odd {
            f = f.at(&p.file, p.line);
        }
        out.push(f);
    }
    // The code asks for a container by name: CloudKit grants only what the entitlements list,
    // so any other id fails when the app runs (a build and an upload go through).
    let stray = &judged.stray;
    if let (Some(first), false) = (stray.first(), ids.is_empty()) {
        let listing: Vec<String> = stray.iter().map(|p| format!("{} ({}:{})", p.value, ws.display_path(&p.file), p.line.unwrap_or(1))).collect();
        let mut f = Finding::warning(
            "cloudkit.container.code",
            first.value.as_str(),
            format!(
                "The code asks for {}, but the release is set up for {} (its entitlements and settings): CloudKit refuses a container the app is not entitled to, when the app runs.",
                listing.join(", "),
                crate::text::and_list(&ids.iter().map(String::as_str).collect::<Vec<_>>())
            ),
        )
        .at(&first.file, first.line);
        if let [only] = ids.as_slice() {
            f = f
                .help(format!("Name {only} in the code, or add the other container to the entitlements (Signing & Capabilities > iCloud in Xcode) if the app uses two."))
                .fix(crate::cloudkit::alignment::align_fix(only));
        } else {
            f = f.help("Name the release's container in the code, or add the other container to the entitlements (Signing & Capabilities > iCloud in Xcode) if the app uses two.");
        }
        out.push(f);
    }
    if let ([id], true) = (ids.as_slice(), stray.is_empty()) {
        let in_code = code_count;
        let n = all.len() + in_code;
        let mut message = match n {
            1 => "1 place names the container".to_string(),
            n => format!("{n} places name the same container"),
        };
        if in_code > 0 {
            message.push_str(&format!(" ({in_code} in the code)"));
        }
        out.push(Finding::ok("cloudkit.container.aligned", id.as_str(), message));
    }

    // Entitlements: CloudKit in icloud-services, the Production environment.
    for t in &ws.config.targets {
        let subject = format!("{} target {}", t.platform.display(), t.target_name());
        let Some(path) = t.entitlements.as_ref().map(|e| ws.path(e)) else { continue };
        let Some(file) = PlistFile::read(&path) else { continue };
        let dict = &file.dict;
        let line = |key: &str| file.key_line(key);
        let services: Vec<String> = match dict.get("com.apple.developer.icloud-services") {
            Some(plist::Value::Array(a)) => a.iter().filter_map(|v| v.as_string().map(String::from)).collect(),
            Some(plist::Value::String(s)) => vec![s.clone()],
            _ => vec![],
        };
        // No iCloud key at all: this target does not use iCloud (Aidoku's Mac app, while its iOS
        // app syncs), a choice more than a mistake; one that names a container but not CloudKit
        // cannot reach it.
        let any_icloud = dict.keys().any(|k| k.starts_with("com.apple.developer.icloud") || k.starts_with("com.apple.developer.ubiquity"));
        if services.iter().any(|s| s == "CloudKit" || s == "CloudKit-Anonymous") {
            out.push(Finding::ok("cloudkit.entitlement", &subject, "CloudKit is in com.apple.developer.icloud-services").at(&path, line("com.apple.developer.icloud-services")));
        } else if !any_icloud {
            out.push(
                Finding::warning(
                    "cloudkit.entitlement.none",
                    &subject,
                    "The entitlements name no iCloud service: this target does not use CloudKit, while the workspace's container is used elsewhere.",
                )
                .at(&path, Some(1))
                .help("If this app should sync too, add CloudKit under Signing & Capabilities > iCloud in Xcode; otherwise nothing is needed."),
            );
            continue;
        } else {
            out.push(
                Finding::blocker("cloudkit.entitlement.missing", &subject, "CloudKit is not in com.apple.developer.icloud-services: the app cannot reach its container.")
                    .at(&path, line("com.apple.developer.icloud-services").or(Some(1)))
                    .help("Add CloudKit under Signing & Capabilities > iCloud in Xcode."),
            );
        }
        let settings = crate::settings::target_settings(ws, t).unwrap_or_default();
        let env_key = "com.apple.developer.icloud-container-environment";
        if let Some(raw) = dict.get(env_key).and_then(|v| v.as_string()) {
            let env = settings.expand(raw);
            if env != "Production" {
                out.push(
                    Finding::blocker(
                        "cloudkit.environment",
                        &subject,
                        format!(
                            "{env_key} is `{env}`{} in the {} build: the app would use the {} CloudKit environment.",
                            if raw != env { format!(" (from {raw})") } else { String::new() },
                            ws.configuration(),
                            env
                        ),
                    )
                    .at(&path, line(env_key))
                    .help("Use Production for App Store builds (CLOUDKIT_ENVIRONMENT = Production in the Production xcconfig)."),
                );
            }
        }
    }
    for x in ws.config.targets.iter().filter_map(|t| t.export_options.as_ref()).collect::<std::collections::BTreeSet<_>>() {
        let path = ws.path(x);
        let Some(file) = PlistFile::read(&path) else { continue };
        if let Some(env) = file.dict.get("iCloudContainerEnvironment").and_then(|v| v.as_string()) {
            if env != "Production" {
                out.push(
                    Finding::blocker("cloudkit.environment", "ExportOptions", format!("iCloudContainerEnvironment is `{env}`: the exported build would use the {env} CloudKit environment."))
                        .at(&path, file.key_line("iCloudContainerEnvironment")),
                );
            }
        }
    }

    // The schema: it parses, and production (as last exported) can take it.
    let Some(schema) = ck.schema.as_ref().map(|s| ws.path(s)) else { return };
    if !schema.is_file() {
        return; // reported by the workspace check
    }
    let local = match Schema::read(&schema) {
        Ok(s) => s,
        Err(crate::Error::Parse { line, column, message, .. }) => {
            out.push(Finding::blocker("cloudkit.schema.parse", ws.display_path(&schema), format!("Column {column}: {message}")).at(&schema, Some(line)));
            return;
        }
        Err(e) => {
            out.push(Finding::blocker("cloudkit.schema.parse", ws.display_path(&schema), e.to_string()).at(&schema, None));
            return;
        }
    };
    out.push(
        Finding::ok(
            "cloudkit.schema.valid",
            ws.display_path(&schema),
            format!("{} record types, {} fields", local.record_types.len(), local.record_types.iter().map(|r| r.fields.len()).sum::<usize>()),
        )
        .at(&schema, None),
    );
    let snapshot = ws.root.join(PRODUCTION_SNAPSHOT);
    if let Ok(prod) = Schema::read(&snapshot) {
        let destructive: Vec<_> = diff(&prod, &local).into_iter().filter(|c| c.destructive).collect();
        if !destructive.is_empty() {
            let details: Vec<&str> = destructive.iter().map(|c| c.detail.as_str()).collect();
            out.push(
                Finding::blocker("cloudkit.schema.destructive", ws.display_path(&schema), format!("Production cannot take this schema: {}.", details.join("; ")))
                    .at(&schema, Some(destructive[0].line))
                    .help(format!("Production only grows: keep record types and fields, and their types (compared with {PRODUCTION_SNAPSHOT}, the last production export).")),
            );
        }
    }
}
