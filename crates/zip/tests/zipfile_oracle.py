"""Oracle for tests/corpus.rs: Python's zipfile reads each archive named on
stdin (one path per line) and prints one JSON object per archive:
{"path", "error" (open failure or null), "entries": [[name_hex, size, crc32 of
the data read or null, read error or null], ...]}."""
import json, sys, zipfile, zlib

for line in sys.stdin:
    path = line.rstrip("\n")
    out = {"path": path, "error": None, "entries": []}
    try:
        with zipfile.ZipFile(path) as z:
            for zi in z.infolist():
                raw = zi.filename.encode("utf-8") if zi.flag_bits & 0x800 else zi.orig_filename.encode("cp437", "replace")
                try:
                    # Read without zipfile's own CRC check so mismatches are
                    # visible as values, not exceptions.
                    with z.open(zi) as f:
                        f._expected_crc = None
                        data = f.read()
                    out["entries"].append([raw.hex(), len(data), zlib.crc32(data), None])
                except Exception as e:  # noqa: BLE001
                    out["entries"].append([raw.hex(), zi.file_size, None, f"{type(e).__name__}: {e}"])
    except Exception as e:  # noqa: BLE001
        out["error"] = f"{type(e).__name__}: {e}"
    print(json.dumps(out), flush=True)
