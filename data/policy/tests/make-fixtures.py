#!/usr/bin/env python3
"""Writes the minimal report fixtures of policy-tests.toml.

Each fixture is a small, schema-valid leakscope report (schema/report.schema.json)
built to trigger (or not) one rule of a policy pack. Run from this directory:
    python3 make-fixtures.py
The JSON files are committed; this script documents how they were made.
"""
import copy
import json

CATEGORIES = [
    "geolocation", "identity", "messages", "photos_videos", "audio", "contacts",
    "browsing_history", "device_ids", "calendar", "installed_apps", "clipboard",
    "health_fitness", "sensors", "files",
]

LOC = {"dex": "classes.dex", "class": "Lcom/example/app/Main;", "method": "run()V", "offset": 4}


def base(package):
    return {
        "schema_version": "1.1",
        "tool": {"name": "leakscope", "version": "0.1.0", "kb_version": "fixture"},
        "app": {
            "platform": "android", "input_kind": "apk", "path": f"{package}.apk",
            "package": package, "version_name": "1.0", "version_code": 1, "label": package,
            "min_sdk": 24, "target_sdk": 34, "sha256": "0" * 64, "size": 1000, "signers": [],
        },
        "categories": {c: {
            "requested": False, "accessed": False, "permissions": [], "unused_permissions": [],
            "evidence": [], "sdks": [], "first_party": False, "components": [],
            "transmitted": False, "sinks": [],
        } for c in CATEGORIES},
        "permissions": [], "trackers": [], "endpoints": [], "dynamic_code": [], "flows": [],
        "taint": None, "assessment": None, "policy": None, "warnings": [], "timings": {},
    }


def raw(r, cat, transmitted=False, sinks=(), sdks=(), unused=()):
    c = r["categories"][cat]
    c.update(accessed=True, transmitted=transmitted, sinks=list(sinks), sdks=list(sdks),
             first_party=not sdks, unused_permissions=list(unused))
    if unused:
        c.update(requested=True, permissions=list(unused))


def assess(r, verdict="needs_review", score=40, kind="flashlight"):
    r["assessment"] = {
        "verdict": verdict, "score": score,
        "app_kind": {"kind": kind, "source": "given", "reason": None},
        "declarations": "declared.toml", "reasons": [], "categories": {},
    }


def cat(r, name, transmitted=True, sinks=("network",), trackers=(), destinations=(),
        declared=True, necessary=True):
    raw(r, name, transmitted, sinks if transmitted else (), trackers)
    r["assessment"]["categories"][name] = {
        "accessed": True, "transmitted": transmitted,
        "sinks": list(sinks) if transmitted else [], "trackers": list(trackers),
        "destinations": [dict({"owner": None, "owner_country": None, "ip_country": None,
                               "tracker": None}, **d) for d in destinations],
        "declared": declared, "necessary": necessary,
    }


def tracker(r, id, name, owner, country, cats=("Analytics",)):
    r["trackers"].append({
        "id": id, "name": name, "owner": owner, "owner_country": country, "website": None,
        "categories": list(cats), "code_matches": [f"Lcom/{id}/Sdk;"], "code_match_count": 1,
        "network_matches": [], "detected_by": ["code"],
    })


def flow(r, api, category, sink_api, kind):
    r["flows"].append({
        "source": {"api": api, "category": category, "location": LOC},
        "sink": {"api": sink_api, "kind": kind, "location": LOC},
        "path": ["Lcom/example/app/Main;->run()V"], "confidence": "high",
    })


DE = {"host": "api.example.de", "owner": "Example GmbH", "owner_country": "DE", "ip_country": "DE"}
US = {"host": "api.example.com", "owner": "Example Inc", "owner_country": "US", "ip_country": "US"}
FIREBASE = {"host": "app-measurement.com", "owner": "Google LLC", "owner_country": "US",
            "tracker": "google_firebase_analytics"}

out = {}

r = base("com.example.clean"); raw(r, "geolocation")
out["clean"] = r

r = base("com.example.counterfeit"); raw(r, "geolocation")
r["counterfeit"] = {"suspected": True, "reason": "signer differs from the one known for com.example.counterfeit"}
out["counterfeit"] = r
r = copy.deepcopy(r); r["counterfeit"] = {"suspected": False, "reason": "signer matches"}
out["counterfeit-not-suspected"] = r

r = base("com.example.contacts"); raw(r, "contacts", True, ["network"])
flow(r, "Landroid/content/ContentResolver;->query", "contacts",
     "Ljava/net/HttpURLConnection;->getOutputStream", "network")
out["raw-contacts-transmitted"] = r

r = base("com.example.messages"); assess(r, kind="messenger")
cat(r, "messages", sinks=["sms"])
out["messages-transmitted"] = r

r = base("com.example.audio"); assess(r, kind="voice_recorder")
cat(r, "audio", destinations=[DE])
out["audio-transmitted"] = r

r = base("com.example.tracked"); assess(r, "leakware", 80)
tracker(r, "google_firebase_analytics", "Google Firebase Analytics", "Google LLC", "US")
cat(r, "device_ids", trackers=["google_firebase_analytics"], destinations=[FIREBASE], necessary=False)
out["tracker-device-ids"] = r

r = base("com.example.rawtracked")
tracker(r, "facebook_analytics", "Facebook Analytics", "Meta Platforms, Inc.", "US")
raw(r, "device_ids", False, (), ["facebook_analytics"])
out["raw-tracker-device-ids"] = r

r = base("com.example.leaky"); assess(r, "leakware", 75)
cat(r, "geolocation", destinations=[DE])
out["leakware-verdict"] = r

r = base("com.example.geous"); assess(r)
cat(r, "geolocation", destinations=[US])
out["geolocation-to-us"] = r

r = base("com.example.geoip"); assess(r)
cat(r, "geolocation", destinations=[dict(DE, ip_country="CN")])
out["geolocation-ip-outside"] = r

r = base("com.example.geoeu"); assess(r)
cat(r, "geolocation", destinations=[DE])
out["geolocation-to-eu"] = r

r = base("com.example.unknown"); assess(r)
cat(r, "geolocation", destinations=[{"host": "203.0.113.7"}])
out["unknown-destination"] = r

r = base("com.example.rawgeo")
tracker(r, "acme_ads", "Acme Ads", "Acme Ads Inc", "US", ["Advertisement"])
raw(r, "geolocation", True, ["network"], ["acme_ads"])
out["raw-tracker-geolocation"] = r

r = base("com.example.tiktok")
tracker(r, "tiktok_sdk", "TikTok SDK", "ByteDance Ltd.", "CN")
out["denied-tracker-owner"] = r

r = base("com.example.undeclared"); assess(r)
cat(r, "geolocation", destinations=[DE], declared=False)
out["undeclared-collection"] = r

r = base("com.example.unneeded"); assess(r)
cat(r, "geolocation", destinations=[DE], necessary=False)
out["unnecessary-collection"] = r

r = base("com.example.unneededaccess"); assess(r)
cat(r, "geolocation", transmitted=False, necessary=False)
out["unnecessary-access"] = r

r = base("com.example.nodecl"); assess(r)
cat(r, "geolocation", destinations=[DE], declared=None)
r["assessment"]["declarations"] = None
out["declarations-missing"] = r

r = base("com.example.unusedperm")
r["categories"]["contacts"].update(requested=True, permissions=["android.permission.READ_CONTACTS"],
                                   unused_permissions=["android.permission.READ_CONTACTS"])
r["permissions"].append({"name": "android.permission.READ_CONTACTS", "protection_level": "dangerous",
                         "category": "contacts", "sdk23": False, "max_sdk": None, "used": False})
out["unused-permission"] = r

r = base("com.example.cleartext")
r["endpoints"].append({"host": "cdn.example.org", "registrable_domain": "example.org",
                       "urls": ["http://cdn.example.org/a"], "schemes": ["http"], "cleartext": True,
                       "is_ip": False, "owner": None, "owner_country": None, "ip_country": None,
                       "tracker": None, "locations": [{"kind": "file", "path": "classes.dex"}]})
out["cleartext-endpoint"] = r

for name, report in out.items():
    with open(f"reports/{name}.json", "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
