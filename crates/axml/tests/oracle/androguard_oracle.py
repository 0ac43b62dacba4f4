"""Live androguard 4.1.4 oracle for leakscope-axml tests.

Reads file paths (one per line) on stdin and prints one JSON object per line:
for an APK, what androguard's APK() reports (package, versions, SDKs, app
name resolved through resources.arsc, components); for a bare binary XML file
(argument --axml), what AXMLPrinter decodes (package, versions, SDKs,
permission and component names). Errors are reported per file, never raised.
"""
import json
import logging
import sys

logging.disable(logging.CRITICAL)
try:
    from loguru import logger

    logger.remove()
except Exception:  # pragma: no cover - loguru optional
    pass

from androguard.core.apk import APK  # noqa: E402
from androguard.core.axml import AXMLPrinter  # noqa: E402

NS = "{http://schemas.android.com/apk/res/android}"


def apk_info(path):
    a = APK(path)
    return {
        "package": a.get_package(),
        "version_code": a.get_androidversion_code(),
        "version_name": a.get_androidversion_name(),
        "min_sdk": a.get_min_sdk_version(),
        "target_sdk": a.get_target_sdk_version(),
        "app_name": a.get_app_name(),
        "permissions": sorted(set(a.get_permissions())),
        "activities": a.get_activities(),
        "services": a.get_services(),
        "receivers": a.get_receivers(),
        "providers": a.get_providers(),
    }


def attr(el, name):
    if el is None:
        return None
    v = el.get(NS + name)
    return v if v is not None else el.get(name)


def axml_info(path):
    with open(path, "rb") as f:
        p = AXMLPrinter(f.read())
    root = p.get_xml_obj()
    if root is None:
        return {"error": "androguard could not parse"}
    sdk = root.find("uses-sdk")
    return {
        "root": root.tag,
        "package": root.get("package"),
        "version_code": attr(root, "versionCode"),
        "version_name": attr(root, "versionName"),
        "min_sdk": attr(sdk, "minSdkVersion"),
        "target_sdk": attr(sdk, "targetSdkVersion"),
        # Like the corpus oracle files: <uses-permission-sdk-23> merged in.
        "permissions": sorted(
            {attr(e, "name") for t in ("uses-permission", "uses-permission-sdk-23") for e in root.iter(t)} - {None}
        ),
        "activities": [attr(e, "name") for e in root.iter("activity")],
        "is_valid": p.is_valid(),
        "packerwarning": p.is_packed(),
    }


def arsc_info(path):
    from androguard.core.axml import ARSCParser, ARSCResTableConfig

    import zipfile

    with zipfile.ZipFile(path) as z:
        res = ARSCParser(z.read("resources.arsc"))
    res._analyse()
    out = {}
    default = ARSCResTableConfig.default_config()
    rids = sorted(res.resource_values)
    # androguard resolves slowly; a spread of at most ~1500 ids per table.
    for rid in rids[:: max(1, len(rids) // 1500)]:
        name = res.get_resource_xml_name(rid)
        try:
            vals = res.get_resolved_res_configs(rid, default)
        except Exception:  # noqa: BLE001
            vals = []
        value = vals[0][1] if vals else None
        out["%d" % rid] = {"name": name, "value": value}
    return {"resources": out}


def xml_text(path):
    import zipfile

    with zipfile.ZipFile(path) as z:
        p = AXMLPrinter(z.read("AndroidManifest.xml"))
    return {"xml": p.get_xml(pretty=False).decode("utf-8")}


def main():
    mode_axml = "--axml" in sys.argv
    mode_arsc = "--arsc" in sys.argv
    mode_xml = "--xml" in sys.argv
    for line in sys.stdin:
        path = line.rstrip("\n")
        if not path:
            continue
        try:
            if mode_xml:
                out = xml_text(path)
            elif mode_arsc:
                out = arsc_info(path)
            elif mode_axml:
                out = axml_info(path)
            else:
                out = apk_info(path)
        except Exception as e:  # noqa: BLE001 - report, do not crash
            out = {"error": "%s: %s" % (type(e).__name__, e)}
        out["path"] = path
        print(json.dumps(out, default=str), flush=True)


if __name__ == "__main__":
    main()
