#!/usr/bin/python3
"""facts.py STORE QUERY: run QUERY on a SQLite store with `facts` decoded.

Loads write their figures as packs in fact_chunks (see pack_chunk in
src/store/sqlite.c), not as fact_values rows, so the store's `facts` view
shows only figures of stores loaded before that. This decodes the packs
independently of pccs (the format: tag "pck2", count n and string count
as uint32, n doubles, n org and n dim indexes as uint16, the strings
NUL-terminated) into a table `facts` (source_id, measure, period, org,
dim, value) beside the rows fact_values still holds, attaches the store
and runs each ;-separated statement of QUERY, printing rows as the
sqlite3 shell does in list mode. Only the measures QUERY names in quotes
are decoded when it names any.
"""
import sqlite3
import struct
import sys

TAG = 0x70636B32


def decode(con, query):
    names = [r[0] for r in con.execute("SELECT name FROM pccs.measures")]
    want = [n for n in names if f"'{n}'" in query] or names
    marks = ",".join("?" * len(want))
    rows, packed = [], []
    for src, meas, period, first, last, data in con.execute(
            "SELECT c.source_id, m.name, c.period, c.first_row, c.last_row, "
            "c.data FROM pccs.fact_chunks c JOIN pccs.measures m ON "
            f"m.id = c.measure_id WHERE m.name IN ({marks})", want):
        if data is None or len(data) < 12:
            continue
        tag, n, nstr = struct.unpack_from("<3I", data, 0)
        if tag != TAG or n != last - first + 1:
            continue
        packed.append((first, last))
        vals = struct.unpack_from(f"<{n}d", data, 12)
        ix = struct.unpack_from(f"<{2 * n}H", data, 12 + 8 * n)
        strs = data[12 + 12 * n:].split(b"\0")[:nstr]
        strs = [s.decode("utf-8") for s in strs]
        for i in range(n):
            rows.append((src, meas, period, strs[ix[i]], strs[ix[n + i]],
                         vals[i]))
    packed.sort()
    for rowid, src, meas, period, org, dim, value in con.execute(
            "SELECT f.rowid, f.source_id, m.name, f.period, f.org, f.dim, "
            "f.value FROM pccs.fact_values f JOIN pccs.measures m ON "
            f"m.id = f.measure_id WHERE m.name IN ({marks})", want):
        if not any(a <= rowid <= b for a, b in packed):
            rows.append((src, meas, period, org, dim, value))
    con.execute("CREATE TABLE main.facts (source_id, measure, period, org, "
                "dim, value)")
    con.executemany("INSERT INTO main.facts VALUES (?, ?, ?, ?, ?, ?)", rows)


def main():
    store, query = sys.argv[1], sys.argv[2]
    con = sqlite3.connect(":memory:")
    con.execute("ATTACH ? AS pccs", (store,))
    decode(con, query)
    for stmt in query.split(";"):
        if not stmt.strip():
            continue
        for r in con.execute(stmt):
            print("|".join("" if v is None else str(v) for v in r))


if __name__ == "__main__":
    main()
