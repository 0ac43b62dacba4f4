# Hand-written fixture for leakscope-dex tests. Assemble with:
#   smali assemble --api 28 -o fixture.dex Fixture.smali
# (API 28 produces DEX 039: invoke-custom, const-method-handle, const-method-type.)
.class public abstract Lleak/Fixture;
.super Ljava/lang/Object;
.implements Ljava/lang/Runnable;
.implements Ljava/io/Serializable;
.source "Fixture.java"

.field public static final B:B = 0x7ft
.field public static final S:S = -0x2s
.field public static final C:C = 'é'
.field public static final I:I = -0x80000000
.field public static final J:J = 0x123456789abcdefL
.field public static final F:F = 1.5f
.field public static final D:D = -2.25
.field public static final STR:Ljava/lang/String; = "nul\u0000 and \ud83d\ude00"
.field public static final T:Ljava/lang/Class; = Ljava/lang/String;
.field public static final Z:Z = true
.field public static final N:Ljava/lang/Object; = null

.field private count:I

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static bootstrap(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;I)Ljava/lang/invoke/CallSite;
    .registers 5
    const/4 v0, 0x0
    return-object v0
.end method

.method public static custom(II)I
    .registers 4
    invoke-custom {p0, p1}, call_site_0("add", (II)I, 7)@Lleak/Fixture;->bootstrap(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;I)Ljava/lang/invoke/CallSite;
    move-result v0
    const-method-handle v1, invoke-static@Ljava/lang/Integer;->toString(I)Ljava/lang/String;
    const-method-handle v1, static-get@Lleak/Fixture;->I:I
    const-method-type v1, (Ljava/lang/String;)V
    return v0
.end method

.method public run()V
    .registers 4
    :try_start
    iget v0, p0, Lleak/Fixture;->count:I
    div-int/lit8 v0, v0, 0x2
    iput v0, p0, Lleak/Fixture;->count:I
    :try_end
    .catch Ljava/lang/ArithmeticException; {:try_start .. :try_end} :arith
    .catch Ljava/lang/RuntimeException; {:try_start .. :try_end} :runtime
    .catchall {:try_start .. :try_end} :any
    :inner_start
    invoke-static {}, Ljava/lang/Thread;->yield()V
    :inner_end
    .catchall {:inner_start .. :inner_end} :any
    return-void
    :arith
    move-exception v1
    return-void
    :runtime
    move-exception v1
    return-void
    :any
    move-exception v1
    throw v1
.end method

.method public native nat()V
.end method

.method public abstract abs()V
.end method
