//! Small Xcode projects written by tests: a project.pbxproj in Xcode's layout and shared
//! schemes, enough for discovery, settings and the release plan to read.
use std::path::{Path, PathBuf};

pub const APP: &str = "com.apple.product-type.application";
pub const EXT: &str = "com.apple.product-type.app-extension";
pub const TESTS: &str = "com.apple.product-type.bundle.unit-test";
pub const WATCH: &str = "com.apple.product-type.application.watchapp2";
pub const WATCH_EXT: &str = "com.apple.product-type.watchkit2-extension";
pub const FRAMEWORK: &str = "com.apple.product-type.framework";

/// A target of a fixture project: name, product type, Release settings.
pub struct T<'a>(pub &'a str, pub &'a str, pub &'a [(&'a str, &'a str)]);

/// Writes a minimal project.pbxproj (project list + one list per target, Debug, Release
/// and AppStore) in Xcode's layout, with `settings` in the project's Release configuration.
pub fn project(dir: &Path, name: &str, project_settings: &[(&str, &str)], targets: &[T]) -> PathBuf {
    project_with(dir, name, project_settings, targets, &[])
}

/// [`project`] with target dependencies: `(target, the target it depends on)` by name, written
/// as Xcode writes them (a PBXTargetDependency naming the target).
pub fn project_with(dir: &Path, name: &str, project_settings: &[(&str, &str)], targets: &[T], deps: &[(&str, &str)]) -> PathBuf {
    let xcodeproj = dir.join(format!("{name}.xcodeproj"));
    std::fs::create_dir_all(&xcodeproj).unwrap();
    let mut objects = String::new();
    let mut n = 0u32;
    let mut id = || {
        n += 1;
        format!("AB{n:022}")
    };
    let list = |objects: &mut String, settings: &[(&str, &str)], id: &mut dyn FnMut() -> String| -> String {
        let (debug, release, store, list) = (id(), id(), id(), id());
        let body: String = settings.iter().map(|(k, v)| format!("\t\t\t\t{k} = \"{v}\";\n")).collect();
        objects.push_str(&format!("\t\t{debug} = {{\n\t\t\tisa = XCBuildConfiguration;\n\t\t\tbuildSettings = {{\n{body}\t\t\t}};\n\t\t\tname = Debug;\n\t\t}};\n"));
        objects.push_str(&format!("\t\t{release} = {{\n\t\t\tisa = XCBuildConfiguration;\n\t\t\tbuildSettings = {{\n{body}\t\t\t}};\n\t\t\tname = Release;\n\t\t}};\n"));
        objects.push_str(&format!("\t\t{store} = {{\n\t\t\tisa = XCBuildConfiguration;\n\t\t\tbuildSettings = {{\n{body}\t\t\t}};\n\t\t\tname = AppStore;\n\t\t}};\n"));
        objects.push_str(&format!("\t\t{list} = {{\n\t\t\tisa = XCConfigurationList;\n\t\t\tbuildConfigurations = (\n\t\t\t\t{debug},\n\t\t\t\t{release},\n\t\t\t\t{store},\n\t\t\t);\n\t\t\tdefaultConfigurationName = Release;\n\t\t}};\n"));
        list
    };
    let target_ids: Vec<String> = targets.iter().map(|_| id()).collect();
    let id_of = |n: &str| targets.iter().position(|t| t.0 == n).map(|i| target_ids[i].clone()).expect("a fixture dependency names a target");
    for (T(tname, ptype, settings), tid) in targets.iter().zip(&target_ids) {
        let l = list(&mut objects, settings, &mut id);
        let mut dep_ids = String::new();
        for (_, on) in deps.iter().filter(|(from, _)| from == tname) {
            let dep = id();
            objects.push_str(&format!("\t\t{dep} = {{\n\t\t\tisa = PBXTargetDependency;\n\t\t\ttarget = {};\n\t\t}};\n", id_of(on)));
            dep_ids.push_str(&format!("\t\t\t\t{dep},\n"));
        }
        objects.push_str(&format!("\t\t{tid} = {{\n\t\t\tisa = PBXNativeTarget;\n\t\t\tbuildConfigurationList = {l};\n\t\t\tdependencies = (\n{dep_ids}\t\t\t);\n\t\t\tname = \"{tname}\";\n\t\t\tproductName = \"{tname}\";\n\t\t\tproductType = \"{ptype}\";\n\t\t}};\n"));
    }
    let pl = list(&mut objects, project_settings, &mut id);
    let root = id();
    let group = id();
    let tlist: String = target_ids.iter().map(|t| format!("\t\t\t\t{t},\n")).collect();
    objects.push_str(&format!("\t\t{group} = {{\n\t\t\tisa = PBXGroup;\n\t\t\tchildren = (\n\t\t\t);\n\t\t\tsourceTree = \"<group>\";\n\t\t}};\n"));
    objects.push_str(&format!("\t\t{root} = {{\n\t\t\tisa = PBXProject;\n\t\t\tbuildConfigurationList = {pl};\n\t\t\tmainGroup = {group};\n\t\t\ttargets = (\n{tlist}\t\t\t);\n\t\t}};\n"));
    let text = format!("// !$*UTF8*$!\n{{\n\tarchiveVersion = 1;\n\tclasses = {{\n\t}};\n\tobjectVersion = 56;\n\tobjects = {{\n{objects}\t}};\n\trootObject = {root};\n}}\n");
    std::fs::write(xcodeproj.join("project.pbxproj"), text).unwrap();
    xcodeproj
}

/// Makes target `target` link a framework at `path` (relative to the project's folder,
/// `sourceTree = "<group>"` under the main group), as Xcode writes it: a file reference, a build
/// file, and a Frameworks phase in the target's `buildPhases`.
pub fn link_framework(xcodeproj: &Path, target: &str, path: &str) {
    let pbx = xcodeproj.join("project.pbxproj");
    let text = std::fs::read_to_string(&pbx).unwrap();
    let (file_ref, build_file, phase) = ("FF0000000000000000000001", "FF0000000000000000000002", "FF0000000000000000000003");
    let objects = format!(
        "\tobjects = {{\n\t\t{file_ref} = {{\n\t\t\tisa = PBXFileReference;\n\t\t\tlastKnownFileType = wrapper.xcframework;\n\t\t\tpath = {path};\n\t\t\tsourceTree = \"<group>\";\n\t\t}};\n\t\t{build_file} = {{\n\t\t\tisa = PBXBuildFile;\n\t\t\tfileRef = {file_ref};\n\t\t}};\n\t\t{phase} = {{\n\t\t\tisa = PBXFrameworksBuildPhase;\n\t\t\tfiles = (\n\t\t\t\t{build_file},\n\t\t\t);\n\t\t}};\n"
    );
    let name_line = format!("\t\t\tname = \"{target}\";\n\t\t\tproductName");
    let at = text.find(&name_line).expect("a fixture target of that name");
    let start = text[..at].rfind("isa = PBXNativeTarget;\n").expect("the target's object");
    let insert = start + "isa = PBXNativeTarget;\n".len();
    let text = format!("{}\t\t\tbuildPhases = (\n\t\t\t\t{phase},\n\t\t\t);\n{}", &text[..insert], &text[insert..]).replacen("\tobjects = {\n", &objects, 1);
    std::fs::write(&pbx, text).unwrap();
}

/// Bases a fixture configuration on an xcconfig at `path` (relative to the project's folder),
/// as Xcode writes it: a file reference and the configuration's `baseConfigurationReference`.
/// `config` is the configuration's number in the fixture's ids: with one target, the target is
/// 1 and its Debug, Release and AppStore are 2, 3 and 4.
pub fn base_xcconfig(xcodeproj: &Path, config: usize, path: &str) {
    let pbx = xcodeproj.join("project.pbxproj");
    let text = std::fs::read_to_string(&pbx).unwrap();
    let head = format!("AB{config:022} = {{\n\t\t\tisa = XCBuildConfiguration;");
    assert!(text.contains(&head), "no configuration {config} in the fixture");
    let file_ref = format!("\t\tCD{config:022} = {{\n\t\t\tisa = PBXFileReference;\n\t\t\tpath = {path};\n\t\t\tsourceTree = \"<group>\";\n\t\t}};\n");
    let text = text.replace(&head, &format!("{head}\n\t\t\tbaseConfigurationReference = CD{config:022};")).replace("\tobjects = {\n", &format!("\tobjects = {{\n{file_ref}"));
    std::fs::write(&pbx, text).unwrap();
}

/// A shared scheme archiving `targets` (name, blueprint id looked up by name) with `config`.
pub fn scheme(container: &Path, name: &str, config: &str, project_rel: &str, targets: &[&str]) {
    let doc = crate::pbxproj::Document::read(&container.join("project.pbxproj")).ok();
    let dir = container.join("xcshareddata/xcschemes");
    std::fs::create_dir_all(&dir).unwrap();
    let mut entries = String::new();
    for t in targets {
        let id = doc.as_ref().and_then(|d| crate::pbxproj::Project::new(d, container).ok()).and_then(|p| p.target(t).map(|t| t.id)).unwrap_or_else(|| "UNKNOWN".into());
        entries.push_str(&format!("<BuildActionEntry buildForArchiving = \"YES\"><BuildableReference BuildableIdentifier = \"primary\" BlueprintIdentifier = \"{id}\" BuildableName = \"{t}.app\" BlueprintName = \"{t}\" ReferencedContainer = \"container:{project_rel}\"></BuildableReference></BuildActionEntry>\n"));
    }
    std::fs::write(dir.join(format!("{name}.xcscheme")), format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Scheme version = \"1.7\">\n<BuildAction><BuildActionEntries>\n{entries}</BuildActionEntries></BuildAction>\n<ArchiveAction buildConfiguration = \"{config}\"></ArchiveAction>\n</Scheme>\n")).unwrap();
}
