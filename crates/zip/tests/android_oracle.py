"""Oracle for tests/android.rs: opens each archive named on stdin (one path
per line) with Android's own libziparchive (Debian's android-libziparchive,
the Android 10 / platform-tools 29 library) through ctypes, and prints one
JSON object per archive: {"path", "open": error code (0 = success),
"entries": {name_hex: [ExtractToMemory result (0 = success), CRC-32 of
the extracted bytes or null]}}.
Exits with status 3 when the library cannot be loaded."""
import ctypes, json, struct, sys, zlib

LIB = "/usr/lib/x86_64-linux-gnu/android/libziparchive.so.0"
try:
    lib = ctypes.CDLL(LIB)
except OSError as e:
    print(f"cannot load {LIB}: {e}", file=sys.stderr)
    sys.exit(3)

def fn(sym, args, res=ctypes.c_int32):
    f = getattr(lib, sym)
    f.argtypes = args
    f.restype = res
    return f

P = ctypes.c_void_p
# C++ symbols; std::string_view is passed as (size_t, const char*) in two registers.
Open = fn("_Z21OpenArchiveFromMemoryPKvmPKcPP10ZipArchive", [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.POINTER(P)])
Close = fn("_Z12CloseArchiveP10ZipArchive", [P], None)
Start = fn("_Z14StartIterationP10ZipArchivePPvSt17basic_string_viewIcSt11char_traitsIcEES6_",
           [P, ctypes.POINTER(P), ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p])
Next = fn("_Z4NextPvP8ZipEntryPSt17basic_string_viewIcSt11char_traitsIcEE", [P, ctypes.c_char_p, ctypes.c_char_p])
End = fn("_Z12EndIterationPv", [P], None)
Find = fn("_Z9FindEntryP10ZipArchiveSt17basic_string_viewIcSt11char_traitsIcEEP8ZipEntry",
          [P, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_char_p])
Extract = fn("_Z15ExtractToMemoryP10ZipArchiveP8ZipEntryPhj", [P, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint32])

def probe(data):
    buf = ctypes.create_string_buffer(data, len(data))
    h = P()
    rc = Open(buf, len(data), b"oracle", ctypes.byref(h))
    out = {"open": rc, "entries": {}}
    if rc != 0:
        Close(h)
        return out
    it = P()
    names = []
    if Start(h, ctypes.byref(it), 0, None, 0, None) == 0:
        while True:
            ent = ctypes.create_string_buffer(256)
            sv = ctypes.create_string_buffer(16)
            if Next(it, ent, sv) != 0:
                break
            ln, ptr = struct.unpack("<QQ", sv.raw)
            names.append(ctypes.string_at(ptr, ln))
        End(it)
    for n in names:
        ent = ctypes.create_string_buffer(256)
        r = Find(h, len(n), n, ent)
        data_crc = None
        if r == 0:
            # ZipEntry (Android 10): uncompressed_length at offset 24.
            usz, = struct.unpack_from("<I", ent.raw, 24)
            if usz > 512 << 20:
                continue
            ob = ctypes.create_string_buffer(max(usz, 1))
            r = Extract(h, ent, ob, usz)
            if r == 0:
                data_crc = zlib.crc32(ob.raw[:usz])
        out["entries"][n.hex()] = [r, data_crc]
    Close(h)
    return out

for line in sys.stdin:
    path = line.rstrip("\n")
    with open(path, "rb") as f:
        res = probe(f.read())
    res["path"] = path
    print(json.dumps(res), flush=True)
