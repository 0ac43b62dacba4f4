.class public Lorg/leakscope/demo/flashlight/BootReceiver;
.super Landroid/content/BroadcastReceiver;
.source "BootReceiver.java"

# Exported receiver for BOOT_COMPLETED: starts UploadService without a
# payload, so the service collects the contacts itself.


.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Landroid/content/BroadcastReceiver;-><init>()V

    return-void
.end method


.method public onReceive(Landroid/content/Context;Landroid/content/Intent;)V
    .registers 5

    const-string v0, "android.intent.action.BOOT_COMPLETED"

    invoke-virtual {p2}, Landroid/content/Intent;->getAction()Ljava/lang/String;

    move-result-object v1

    invoke-virtual {v0, v1}, Ljava/lang/String;->equals(Ljava/lang/Object;)Z

    move-result v0

    if-eqz v0, :done

    new-instance v0, Landroid/content/Intent;

    const-class v1, Lorg/leakscope/demo/flashlight/UploadService;

    invoke-direct {v0, p1, v1}, Landroid/content/Intent;-><init>(Landroid/content/Context;Ljava/lang/Class;)V

    invoke-virtual {p1, v0}, Landroid/content/Context;->startService(Landroid/content/Intent;)Landroid/content/ComponentName;

    :done
    return-void
.end method
