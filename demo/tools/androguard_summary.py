#!/usr/bin/env python3
"""Summarise an APK with androguard (an independent oracle for the demo app).

Usage: .venv/bin/python demo/tools/androguard_summary.py demo/flashlight.apk
Prints the manifest facts, the signature schemes, the classes, where the
demo's URLs and identifiers are used, and the callers of the sensitive APIs.
"""
import re
import sys
from loguru import logger
logger.remove()
from androguard.misc import AnalyzeAPK
a, d, dx = AnalyzeAPK(sys.argv[1])
print("package", a.get_package(), "versionCode", a.get_androidversion_code(), "versionName", a.get_androidversion_name())
print("app_name", a.get_app_name(), "min", a.get_min_sdk_version(), "target", a.get_target_sdk_version())
print("permissions", sorted(a.get_permissions()))
print("activities", a.get_activities(), "services", a.get_services(), "receivers", a.get_receivers(), "providers", a.get_providers())
print("main", a.get_main_activity())
print("signed v1/v2/v3", a.is_signed_v1(), a.is_signed_v2(), a.is_signed_v3())
print("classes", sorted(c.name for c in dx.get_classes() if not c.is_external()))
for s in ["https://collect.superflash-analytics.test/v1/upload", "https://api.fakeads-sdk.test/track", "http://203.0.113.7/beacon", "android_id", "content://com.android.contacts/data/phones"]:
    for sa in dx.find_strings("^" + re.escape(s) + "$"):
        print("string", repr(s), "used in", sorted({m.full_name for _, m in sa.get_xref_from()}))
for cls, meth in [("Landroid/hardware/camera2/CameraManager;","setTorchMode"),("Landroid/location/LocationManager;","getLastKnownLocation"),("Landroid/location/LocationManager;","requestLocationUpdates"),("Landroid/provider/Settings$Secure;","getString"),("Landroid/content/ContentResolver;","query"),("Ljava/net/URL;","openConnection"),("Lio/fakeads/sdk/FakeAds;","track")]:
    for m in dx.find_methods(re.escape(cls), "^" + re.escape(meth) + "$"):
        print("call", cls+meth, "from", sorted({x.full_name for _, x, _ in m.get_xref_from()}))
