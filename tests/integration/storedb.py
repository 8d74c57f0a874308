"""Read a test's store directly, whichever backend it is on.

    import storedb
    db = storedb.connect(path)          # sqlite3, or PostgreSQL under
    db.execute(sql, params).fetchone()  # make check-pg (tests/pg-wrap)

Under `make check-pg` ($PCCS_PG_SCRATCH set) the path names a database
of the scratch cluster (tests/pg-wrap --pg-url); queries run through
psql, each in its own transaction, with `?` parameters (integers and
strings) written in as literals. Enough for the tests' checks, not a
driver: `PRAGMA integrity_check` answers "ok" (PostgreSQL has no such
file-level check to make), values come back as int when they look like
one, else str, None for NULL.
"""
import os
import sqlite3
import subprocess


def connect(path, **kw):
    if not os.environ.get("PCCS_PG_SCRATCH"):
        return sqlite3.connect(path, **kw)
    url = subprocess.run([os.environ["PCCS"], "--pg-url", path], check=True,
                         capture_output=True, text=True).stdout.strip()
    return _Pg(url)


def _lit(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    return "'" + str(v).replace("'", "''") + "'"


def _val(s):
    if s == "\\N":
        return None
    if s in ("t", "f"):
        return s == "t"
    try:
        return int(s)
    except ValueError:
        return s


class _Rows:
    def __init__(self, rows):
        self.rows = rows

    def fetchone(self):
        return self.rows[0] if self.rows else None

    def fetchall(self):
        return self.rows

    def __iter__(self):
        return iter(self.rows)


class _Pg:
    def __init__(self, url):
        self.url = url

    def execute(self, sql, params=()):
        if sql.strip().upper().startswith("PRAGMA INTEGRITY_CHECK"):
            return _Rows([("ok",)])
        parts = sql.split("?")
        if len(parts) - 1 != len(params):
            raise ValueError(f"{len(params)} parameters for {len(parts) - 1} ?")
        q = parts[0] + "".join(_lit(p) + s for p, s in zip(params, parts[1:]))
        out = subprocess.run(
            ["psql", "-X", "-q", "-At", "-F", "\x1f", "-P", "null=\\N",
             "-v", "ON_ERROR_STOP=1", "-d", self.url, "-c", q],
            check=True, capture_output=True, text=True).stdout
        return _Rows([tuple(_val(f) for f in ln.split("\x1f"))
                      for ln in out.splitlines()])

    def close(self):
        pass
