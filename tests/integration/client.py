#!/usr/bin/python3
"""A small HTTP client for the pccs serve tests.

  client.py URL PATH [--method M] [--jar FILE] [--json BODY] [--csrf TOKEN|jar]
  client.py URL --login USER PASSWORD --jar FILE

Writes the body to stdout and the status code on the last line of stderr.
--login keeps the session cookie and the CSRF token in the jar file; later
calls with --jar send the cookie (and with --csrf jar, the token).
"""
import json
import sys
import urllib.error
import urllib.request


def main(argv):
    url, rest = argv[1], argv[2:]
    opts = {"--method": None, "--jar": None, "--json": None, "--csrf": None}
    login = None
    path = None
    i = 0
    while i < len(rest):
        a = rest[i]
        if a == "--login":
            login = (rest[i + 1], rest[i + 2])
            i += 3
        elif a in opts:
            opts[a] = rest[i + 1]
            i += 2
        else:
            path = a
            i += 1
    headers = {}
    jar = {}
    if opts["--jar"] and not login:
        try:
            with open(opts["--jar"]) as f:
                jar = json.load(f)
            headers["Cookie"] = "pccs_session=" + jar["token"]
        except FileNotFoundError:
            pass
    body = None
    if login:
        path = "/api/login"
        body = json.dumps({"user": login[0], "password": login[1]}).encode()
    elif opts["--json"] is not None:
        body = opts["--json"].encode()
    if body is not None:
        headers["Content-Type"] = "application/json"
    if opts["--csrf"]:
        headers["X-CSRF-Token"] = jar.get("csrf", "") if opts["--csrf"] == "jar" else opts["--csrf"]
    method = opts["--method"] or ("POST" if body is not None else "GET")
    req = urllib.request.Request(url + path, data=body, headers=headers, method=method)
    try:
        r = urllib.request.urlopen(req, timeout=60)
        data, code, hdrs = r.read(), r.status, r.headers
    except urllib.error.HTTPError as e:
        data, code, hdrs = e.read(), e.code, e.headers
    if login and code == 200:
        cookie = hdrs.get("Set-Cookie", "")
        token = cookie.split(";")[0].split("=", 1)[1]
        with open(opts["--jar"], "w") as f:
            json.dump({"token": token, "csrf": json.loads(data)["csrf"], "cookie": cookie}, f)
    sys.stdout.buffer.write(data)
    sys.stderr.write(f"{code}\n")


main(sys.argv)
