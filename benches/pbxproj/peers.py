#!/usr/bin/env python3
"""The Python peers on the same work: parse, or parse and list every build configuration."""
import sys

which, path, mode = sys.argv[1], sys.argv[2], sys.argv[3]
if which == "openstep_plist":
    import openstep_plist
    with open(path, encoding="utf-8") as f:
        d = openstep_plist.load(f)
    if mode == "query":
        objs = d["objects"]
        lists = [o for o in objs.values() if o.get("isa") == "XCConfigurationList"]
        configs = sum(len(l["buildConfigurations"]) for l in lists)
        print(f"{len(lists)} lists, {configs} configurations")
elif which == "pbxproj":
    from pbxproj import XcodeProject
    p = XcodeProject.load(path)
    if mode == "query":
        lists = p.objects.get_objects_in_section("XCConfigurationList")
        configs = sum(len(l.buildConfigurations) for l in lists)
        print(f"{len(lists)} lists, {configs} configurations")
