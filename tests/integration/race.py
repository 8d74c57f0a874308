#!/usr/bin/python3
"""The register race the race tests drive (t0392 on PostgreSQL, t0395
with two servers on one store): pccs serve with 8 threads, 16 clients
sending a change to the risks register on the same version at once, then
each retrying on 409 (reading the version again) until its change is
made. The tests check what comes back against the version-conflict rule.
"""
import json
import subprocess
import threading

import booking as B


class Checks:
    """Results as "ok|FAIL<tab>name<tab>detail" lines for the shell loop."""

    def __init__(self):
        self.out = []

    def __call__(self, name, ok, detail=""):
        detail = str(detail).replace("\n", " ")[:300]
        self.out.append(f"{'ok' if ok else 'FAIL'}\t{name}\t{detail}")

    def print(self):
        print("\n".join(self.out))


def serve(pccs, store, log):
    """pccs serve on store, 8 threads, at a free port: (process, URL)."""
    p = subprocess.Popen([pccs, "--store", store, "serve", "--listen",
                          "127.0.0.1:0", "--threads", "8", "--per-address",
                          "100"], stdout=subprocess.PIPE,
                         stderr=open(log, "a"), text=True)
    line = p.stdout.readline()
    while line and "listening on " not in line:
        line = p.stdout.readline()
    return p, line.split("listening on ")[1].split()[0].rstrip("/")


def stop(servers):
    for p, _ in servers:
        p.terminate()
        p.wait()


def sessions(urls, n=16):
    """n commissioners' sessions (c1 .. cn), spread over the servers."""
    return [B.Session(urls[i % len(urls)], f"c{i + 1}") for i in range(n)]


def register(s):
    """(version, rows) of the risks register as s reads it."""
    st, body, _ = s.call("GET", "/api/registers/risks")
    j = json.loads(body)
    return j["version"], [r["values"] for r in j["rows"]]


def create(s, n, version):
    """Add risk R<n> on version: (status, body)."""
    row = {"risk_id": f"R{n:03d}", "title": f"Race {n}", "owner": f"c{n}",
           "org_code": "A81001", "likelihood": 3, "impact": 2,
           "review_date": "2023-01-31"}
    st, body, _ = s.call("POST", "/api/registers/risks",
                         {"values": row, "version": version})
    return st, body


def _all_at_once(sess, fn):
    go = threading.Event()

    def run(i):
        go.wait()
        fn(i)
    th = [threading.Thread(target=run, args=(i,)) for i in range(len(sess))]
    for x in th:
        x.start()
    go.set()
    for x in th:
        x.join()


def at_once(sess, version):
    """Every client adds its row (R100 + i) on version at once: the
    statuses, one a client."""
    res = [None] * len(sess)

    def once(i):
        res[i] = create(sess[i], 100 + i, version)[0]
    _all_at_once(sess, once)
    return res


def until_made(sess):
    """Every client adds its row (R200 + i), reading the version again
    after each 409, at once: (the version each change made, or what went
    wrong; the tries of each)."""
    made = [None] * len(sess)
    tries = [0] * len(sess)

    def retry(i):
        while tries[i] < 200:
            tries[i] += 1
            st, body = create(sess[i], 200 + i, register(sess[i])[0])
            if st == 201:
                made[i] = json.loads(body)["version"]
                return
            if st != 409:
                made[i] = ("unexpected", st, body[:100])
                return
    _all_at_once(sess, retry)
    return made, tries


def check_retried(check, made, tries):
    """The checks of until_made's results both tests make."""
    check("16 clients retrying on 409: every change made",
          all(isinstance(m, int) for m in made), made)
    check("... each its own version", len(set(made)) == 16, made)
    check("... and some had to retry (they raced)", sum(tries) > 16, tries)
