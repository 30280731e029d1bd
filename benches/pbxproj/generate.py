#!/usr/bin/env python3
"""Writes a synthetic project.pbxproj of about SIZE megabytes in Xcode's layout: many
targets, each with sources, build files, groups and Debug/Release configurations."""
import sys

def gen(target_mb):
    out = ["// !$*UTF8*$!\n{\n\tarchiveVersion = 1;\n\tclasses = {\n\t};\n\tobjectVersion = 60;\n\tobjects = {\n\n"]
    sections = {k: [] for k in ["PBXBuildFile", "PBXFileReference", "PBXGroup", "PBXNativeTarget", "PBXSourcesBuildPhase", "XCBuildConfiguration", "XCConfigurationList"]}
    n = 0
    def nid():
        nonlocal n
        n += 1
        return "%024X" % (0xA0000000000000000000 + n)
    size = 0
    targets, groups = [], []
    t = 0
    while size < target_mb * 1_000_000:
        t += 1
        name = f"Module{t}"
        files, builds = [], []
        for f in range(40):
            fr, bf = nid(), nid()
            fname = f"Source{f}.swift"
            sections["PBXFileReference"].append(f"\t\t{fr} /* {fname} */ = {{isa = PBXFileReference; lastKnownFileType = sourcecode.swift; path = {fname}; sourceTree = \"<group>\"; }};\n")
            sections["PBXBuildFile"].append(f"\t\t{bf} /* {fname} in Sources */ = {{isa = PBXBuildFile; fileRef = {fr} /* {fname} */; }};\n")
            files.append((fr, fname)); builds.append((bf, fname))
        g = nid(); groups.append((g, name))
        kids = "".join(f"\t\t\t\t{fr} /* {fn} */,\n" for fr, fn in files)
        sections["PBXGroup"].append(f"\t\t{g} /* {name} */ = {{\n\t\t\tisa = PBXGroup;\n\t\t\tchildren = (\n{kids}\t\t\t);\n\t\t\tpath = {name};\n\t\t\tsourceTree = \"<group>\";\n\t\t}};\n")
        ph = nid()
        bl = "".join(f"\t\t\t\t{bf} /* {fn} in Sources */,\n" for bf, fn in builds)
        sections["PBXSourcesBuildPhase"].append(f"\t\t{ph} /* Sources */ = {{\n\t\t\tisa = PBXSourcesBuildPhase;\n\t\t\tbuildActionMask = 2147483647;\n\t\t\tfiles = (\n{bl}\t\t\t);\n\t\t\trunOnlyForDeploymentPostprocessing = 0;\n\t\t}};\n")
        cfgs = []
        for cname in ["Debug", "Release"]:
            c = nid(); cfgs.append((c, cname))
            sections["XCBuildConfiguration"].append(f"\t\t{c} /* {cname} */ = {{\n\t\t\tisa = XCBuildConfiguration;\n\t\t\tbuildSettings = {{\n\t\t\t\tCODE_SIGN_STYLE = Automatic;\n\t\t\t\tINFOPLIST_FILE = {name}/Info.plist;\n\t\t\t\tLD_RUNPATH_SEARCH_PATHS = (\n\t\t\t\t\t\"$(inherited)\",\n\t\t\t\t\t\"@executable_path/Frameworks\",\n\t\t\t\t);\n\t\t\t\tPRODUCT_BUNDLE_IDENTIFIER = com.example.{name.lower()};\n\t\t\t\tPRODUCT_NAME = \"$(TARGET_NAME)\";\n\t\t\t\tSWIFT_VERSION = 5.0;\n\t\t\t}};\n\t\t\tname = {cname};\n\t\t}};\n")
        lst = nid()
        items = "".join(f"\t\t\t\t{c} /* {cn} */,\n" for c, cn in cfgs)
        sections["XCConfigurationList"].append(f"\t\t{lst} /* Build configuration list for PBXNativeTarget \"{name}\" */ = {{\n\t\t\tisa = XCConfigurationList;\n\t\t\tbuildConfigurations = (\n{items}\t\t\t);\n\t\t\tdefaultConfigurationIsVisible = 0;\n\t\t\tdefaultConfigurationName = Release;\n\t\t}};\n")
        tg = nid(); targets.append((tg, name))
        sections["PBXNativeTarget"].append(f"\t\t{tg} /* {name} */ = {{\n\t\t\tisa = PBXNativeTarget;\n\t\t\tbuildConfigurationList = {lst} /* Build configuration list for PBXNativeTarget \"{name}\" */;\n\t\t\tbuildPhases = (\n\t\t\t\t{ph} /* Sources */,\n\t\t\t);\n\t\t\tname = {name};\n\t\t\tproductType = \"com.apple.product-type.framework\";\n\t\t}};\n")
        size = sum(len(x) for v in sections.values() for x in v)
    main, pl, proj = nid(), nid(), nid()
    pc = [nid(), nid()]
    for c, cname in zip(pc, ["Debug", "Release"]):
        sections["XCBuildConfiguration"].append(f"\t\t{c} /* {cname} */ = {{\n\t\t\tisa = XCBuildConfiguration;\n\t\t\tbuildSettings = {{\n\t\t\t\tSDKROOT = iphoneos;\n\t\t\t}};\n\t\t\tname = {cname};\n\t\t}};\n")
    sections["XCConfigurationList"].append(f"\t\t{pl} /* Build configuration list for PBXProject \"Big\" */ = {{\n\t\t\tisa = XCConfigurationList;\n\t\t\tbuildConfigurations = (\n\t\t\t\t{pc[0]} /* Debug */,\n\t\t\t\t{pc[1]} /* Release */,\n\t\t\t);\n\t\t\tdefaultConfigurationIsVisible = 0;\n\t\t\tdefaultConfigurationName = Release;\n\t\t}};\n")
    kids = "".join(f"\t\t\t\t{g} /* {gn} */,\n" for g, gn in groups)
    sections["PBXGroup"].append(f"\t\t{main} = {{\n\t\t\tisa = PBXGroup;\n\t\t\tchildren = (\n{kids}\t\t\t);\n\t\t\tsourceTree = \"<group>\";\n\t\t}};\n")
    tl = "".join(f"\t\t\t\t{tg} /* {tn} */,\n" for tg, tn in targets)
    sections["PBXProject"] = [f"\t\t{proj} /* Project object */ = {{\n\t\t\tisa = PBXProject;\n\t\t\tbuildConfigurationList = {pl};\n\t\t\tcompatibilityVersion = \"Xcode 14.0\";\n\t\t\tmainGroup = {main};\n\t\t\tprojectDirPath = \"\";\n\t\t\tprojectRoot = \"\";\n\t\t\ttargets = (\n{tl}\t\t\t);\n\t\t}};\n"]
    for k in sorted(sections):
        out.append(f"/* Begin {k} section */\n")
        out.extend(sections[k])
        out.append(f"/* End {k} section */\n\n")
    out.append(f"\t}};\n\trootObject = {proj} /* Project object */;\n}}\n")
    return "".join(out)

if __name__ == "__main__":
    sys.stdout.write(gen(float(sys.argv[1])))
