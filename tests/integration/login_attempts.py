#!/usr/bin/python3
"""Login attempts against pccs serve, for the throttle tests.

  login_attempts.py URL USER PASSWORD [--from ADDR] [--forwarded ADDR]
                    [--times N] [--threads N]

Makes N attempts (at once from N threads with --threads, else one after
another on one kept-alive connection), from the local address ADDR
(127.0.0.x) and with an X-Forwarded-For header if asked. USER and ADDR
may hold {i}, replaced by the attempt's number (with {i} in ADDR, each
attempt has its own connection). Prints the status of each attempt,
space-separated, in the order made (--threads: in thread order).
"""
import http.client
import json
import sys
import threading
import urllib.parse


def attempt(conn, user, password, forwarded):
    headers = {"Content-Type": "application/json"}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    body = json.dumps({"user": user, "password": password})
    conn.request("POST", "/api/login", body=body, headers=headers)
    r = conn.getresponse()
    r.read()
    return r.status


def main(argv):
    url, user, password = argv[1], argv[2], argv[3]
    opts = {"--from": "127.0.0.1", "--forwarded": None, "--times": "1",
            "--threads": "0"}
    rest = argv[4:]
    for i in range(0, len(rest), 2):
        opts[rest[i]] = rest[i + 1]
    u = urllib.parse.urlsplit(url)

    def connect(i=0):
        src = opts["--from"].replace("{i}", str(i))
        return http.client.HTTPConnection(u.hostname, u.port, timeout=120,
                                          source_address=(src, 0))

    times, threads = int(opts["--times"]), int(opts["--threads"])
    codes = [0] * max(times, threads)
    if threads:
        go = threading.Barrier(threads)

        def one(i):
            conn = connect()
            conn.connect()
            go.wait()
            codes[i] = attempt(conn, user.replace("{i}", str(i)), password,
                               opts["--forwarded"])
            conn.close()

        ts = [threading.Thread(target=one, args=(i,)) for i in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    else:
        conn = connect()
        for i in range(times):
            if "{i}" in opts["--from"]:
                conn.close()
                conn = connect(i)
            codes[i] = attempt(conn, user.replace("{i}", str(i)), password,
                               opts["--forwarded"])
        conn.close()
    print(" ".join(str(c) for c in codes))


main(sys.argv)
