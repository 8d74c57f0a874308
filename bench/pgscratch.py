"""A throwaway PostgreSQL cluster for the benches (scripts/pg-scratch).

    with PgScratch("bench/load") as pg:
        if pg:                      # false when PostgreSQL is not installed
            url = pg.db("load1")    # a new database's postgresql:// URL

The cluster is started --durable (fsync and synchronous commits on, as a
real server runs: the benches time real commits) in a temporary directory
and stopped and removed on exit. When PostgreSQL is not installed, or this
pccs has no PostgreSQL backend, it says so once and is false.
"""
import os
import shutil
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PGS = os.path.join(ROOT, "scripts", "pg-scratch")


class PgScratch:
    def __init__(self, who, pccs=os.path.join(ROOT, "pccs")):
        self.who, self.pccs, self.dir, self.ok = who, pccs, None, False

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="pccs-pg-")
        c = os.path.join(self.dir, "c")
        p = subprocess.run([PGS, "start", c, "--durable"], capture_output=True,
                           text=True)
        if p.returncode:
            why = (p.stderr.strip().splitlines() or ["?"])[0]
            print(f"   (PostgreSQL skipped: {why})")
            return self
        self.ok = True
        probe = self.db("probe")
        q = subprocess.run([self.pccs, "--store", probe, "sources"],
                           capture_output=True, text=True)
        if q.returncode and "not built" in q.stderr:
            print(f"   (PostgreSQL skipped: {q.stderr.strip()})")
            self.ok = False
        return self

    def __exit__(self, *exc):
        if self.dir:
            subprocess.run([PGS, "stop", os.path.join(self.dir, "c")],
                           capture_output=True)
            shutil.rmtree(self.dir, ignore_errors=True)
        return False

    def __bool__(self):
        return self.ok

    def db(self, name):
        """A new, empty database NAME; its URL."""
        c = os.path.join(self.dir, "c")
        subprocess.run([PGS, "createdb", c, name], check=True)
        return subprocess.run([PGS, "url", c, name], check=True,
                              capture_output=True, text=True).stdout.strip()

    def size(self, name):
        """The size of database NAME in bytes."""
        c = os.path.join(self.dir, "c")
        out = subprocess.run([PGS, "psql", c, "-d", "postgres", "-At", "-c",
                              f"SELECT pg_database_size('{name}')"],
                             check=True, capture_output=True, text=True)
        return int(out.stdout.strip())

    def server_rss_mib(self):
        """The resident memory of the server's processes now, MiB (a
        snapshot: backends of closed connections are gone)."""
        total = 0
        pid_file = os.path.join(self.dir, "c", "data", "postmaster.pid")
        try:
            top = int(open(pid_file).readline())
        except OSError:
            return 0.0
        for pid in [top] + _children(top):
            try:
                for ln in open(f"/proc/{pid}/status"):
                    if ln.startswith("VmRSS:"):
                        total += int(ln.split()[1])
            except OSError:
                pass
        return total / 1024.0

    def server_cpu_s(self):
        """User+sys CPU seconds of the server so far: the postmaster's own
        and its reaped children's (closed backends, from /proc/PID/stat),
        plus the live children's own."""
        pid_file = os.path.join(self.dir, "c", "data", "postmaster.pid")
        try:
            top = int(open(pid_file).readline())
        except OSError:
            return 0.0
        tick = os.sysconf("SC_CLK_TCK")

        def fields(pid):
            try:
                return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                return None
        f = fields(top)
        if not f:
            return 0.0
        total = sum(int(x) for x in f[11:15])  # utime stime cutime cstime
        for pid in _children(top):
            g = fields(pid)
            if g:
                total += int(g[11]) + int(g[12])
        return total / tick


def _children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []
