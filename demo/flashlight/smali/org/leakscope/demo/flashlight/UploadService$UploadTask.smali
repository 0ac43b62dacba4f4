.class final Lorg/leakscope/demo/flashlight/UploadService$UploadTask;
.super Ljava/lang/Object;
.source "UploadService.java"

# implemented interfaces
.implements Ljava/lang/Runnable;

# POSTs the payload to the collection endpoint with HttpURLConnection.
# collect.superflash-analytics.test is fictitious (.test is reserved, RFC 2606).

.annotation system Ldalvik/annotation/EnclosingClass;
    value = Lorg/leakscope/demo/flashlight/UploadService;
.end annotation

.annotation system Ldalvik/annotation/InnerClass;
    accessFlags = 0x18
    name = "UploadTask"
.end annotation


.field private final payload:Ljava/lang/String;


.method constructor <init>(Ljava/lang/String;)V
    .registers 2

    invoke-direct {p0}, Ljava/lang/Object;-><init>()V

    iput-object p1, p0, Lorg/leakscope/demo/flashlight/UploadService$UploadTask;->payload:Ljava/lang/String;

    return-void
.end method


.method public run()V
    .registers 5

    :try_start_upload
    new-instance v0, Ljava/net/URL;

    const-string v1, "https://collect.superflash-analytics.test/v1/upload"

    invoke-direct {v0, v1}, Ljava/net/URL;-><init>(Ljava/lang/String;)V

    invoke-virtual {v0}, Ljava/net/URL;->openConnection()Ljava/net/URLConnection;

    move-result-object v0

    check-cast v0, Ljava/net/HttpURLConnection;

    const-string v1, "POST"

    invoke-virtual {v0, v1}, Ljava/net/HttpURLConnection;->setRequestMethod(Ljava/lang/String;)V

    const/4 v1, 0x1

    invoke-virtual {v0, v1}, Ljava/net/HttpURLConnection;->setDoOutput(Z)V

    const-string v1, "Content-Type"

    const-string v2, "application/json"

    invoke-virtual {v0, v1, v2}, Ljava/net/HttpURLConnection;->setRequestProperty(Ljava/lang/String;Ljava/lang/String;)V

    invoke-virtual {v0}, Ljava/net/HttpURLConnection;->getOutputStream()Ljava/io/OutputStream;

    move-result-object v1

    iget-object v2, p0, Lorg/leakscope/demo/flashlight/UploadService$UploadTask;->payload:Ljava/lang/String;

    const-string v3, "UTF-8"

    invoke-virtual {v2, v3}, Ljava/lang/String;->getBytes(Ljava/lang/String;)[B

    move-result-object v2

    invoke-virtual {v1, v2}, Ljava/io/OutputStream;->write([B)V

    invoke-virtual {v1}, Ljava/io/OutputStream;->close()V

    invoke-virtual {v0}, Ljava/net/HttpURLConnection;->getResponseCode()I

    invoke-virtual {v0}, Ljava/net/HttpURLConnection;->disconnect()V
    :try_end_upload
    .catch Ljava/io/IOException; {:try_start_upload .. :try_end_upload} :catch_upload

    return-void

    :catch_upload
    move-exception v0

    return-void
.end method
