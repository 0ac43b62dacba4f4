.class final Lorg/leakscope/demo/flashlight/MainActivity$TrackingListener;
.super Ljava/lang/Object;
.source "MainActivity.java"

# implemented interfaces
.implements Landroid/location/LocationListener;

# A LocationListener registered in code (MainActivity.onCreate). Its
# onLocationChanged callback reads latitude/longitude, sends them to the
# hard-coded IP beacon on a Thread, and hands the Location to the FakeAds SDK.

.annotation system Ldalvik/annotation/EnclosingClass;
    value = Lorg/leakscope/demo/flashlight/MainActivity;
.end annotation

.annotation system Ldalvik/annotation/InnerClass;
    accessFlags = 0x18
    name = "TrackingListener"
.end annotation


.field private final context:Landroid/content/Context;


.method constructor <init>(Landroid/content/Context;)V
    .registers 2

    invoke-direct {p0}, Ljava/lang/Object;-><init>()V

    iput-object p1, p0, Lorg/leakscope/demo/flashlight/MainActivity$TrackingListener;->context:Landroid/content/Context;

    return-void
.end method


.method public onLocationChanged(Landroid/location/Location;)V
    .registers 8

    invoke-virtual {p1}, Landroid/location/Location;->getLatitude()D

    move-result-wide v0

    invoke-virtual {p1}, Landroid/location/Location;->getLongitude()D

    move-result-wide v2

    new-instance v4, Ljava/lang/StringBuilder;

    invoke-direct {v4}, Ljava/lang/StringBuilder;-><init>()V

    const-string v5, "lat="

    invoke-virtual {v4, v5}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;

    invoke-virtual {v4, v0, v1}, Ljava/lang/StringBuilder;->append(D)Ljava/lang/StringBuilder;

    const-string v5, "&lon="

    invoke-virtual {v4, v5}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;

    invoke-virtual {v4, v2, v3}, Ljava/lang/StringBuilder;->append(D)Ljava/lang/StringBuilder;

    invoke-virtual {v4}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;

    move-result-object v5

    # new Thread(new BeaconTask(payload)).start()
    new-instance v0, Ljava/lang/Thread;

    new-instance v1, Lorg/leakscope/demo/flashlight/BeaconTask;

    invoke-direct {v1, v5}, Lorg/leakscope/demo/flashlight/BeaconTask;-><init>(Ljava/lang/String;)V

    invoke-direct {v0, v1}, Ljava/lang/Thread;-><init>(Ljava/lang/Runnable;)V

    invoke-virtual {v0}, Ljava/lang/Thread;->start()V

    # The third-party SDK receives the Location itself.
    iget-object v0, p0, Lorg/leakscope/demo/flashlight/MainActivity$TrackingListener;->context:Landroid/content/Context;

    invoke-static {v0, p1}, Lio/fakeads/sdk/FakeAds;->track(Landroid/content/Context;Landroid/location/Location;)V

    return-void
.end method


.method public onProviderDisabled(Ljava/lang/String;)V
    .registers 2

    return-void
.end method


.method public onProviderEnabled(Ljava/lang/String;)V
    .registers 2

    return-void
.end method


.method public onStatusChanged(Ljava/lang/String;ILandroid/os/Bundle;)V
    .registers 4

    return-void
.end method
