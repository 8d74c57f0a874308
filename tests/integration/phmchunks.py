"""The clinical events and medicines a SQLite store holds, decoded from
its event_chunks rows (src/store/sqlite_phm.c, docs/internals/phm.md):
a chunk is dense (header int32 -0x44454e31, first patient, first day,
number of values; then n uint16 code ids, n day offsets, n patient
offsets, a bit per event with a value, the float values) or packed
(16-byte records: patient, day, code id, float value or NaN)."""
import math
import struct

MAGIC = -0x44454e31


def dense(n, data, code):
    magic, p0, d0, nv = struct.unpack_from("<iiiI", data)
    assert magic == MAGIC and len(data) == 16 + 6 * n + (n + 7) // 8 + 4 * nv
    c = struct.unpack_from(f"<{n}H", data, 16)
    d = struct.unpack_from(f"<{n}H", data, 16 + 2 * n)
    p = struct.unpack_from(f"<{n}H", data, 16 + 4 * n)
    bits = data[16 + 6 * n:16 + 6 * n + (n + 7) // 8]
    vals = iter(struct.unpack_from(f"<{nv}f", data, 16 + 6 * n + (n + 7) // 8))
    return [(p0 + p[i], d0 + d[i], code[c[i]],
             next(vals) if bits[i // 8] >> (i % 8) & 1 else None) for i in range(n)]


def events(db, kind):
    """(patient id, day, code, value or None) of kind (0 clinical, 1
    medication), in the order stored."""
    code = dict(db.execute("SELECT id, code FROM phm_codes"))
    rows = []
    for n, data in db.execute("SELECT n, data FROM event_chunks WHERE kind = ? ORDER BY id", (kind,)):
        if struct.unpack_from("<i", data)[0] == MAGIC:
            rows += dense(n, data, code)
            continue
        for p, d, c, v in struct.iter_unpack("<iiif", data):
            rows.append((p, d, code[c], None if math.isnan(v) else v))
    return rows
