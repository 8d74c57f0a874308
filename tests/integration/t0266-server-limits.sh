#!/bin/sh
# The server holds under abuse (issue 14, findings 4, 12 and 15):
#  - --threads is bounded: an unreasonable value is refused (exit 2) and
#    SIGTERM stops a server at once;
#  - too many query arguments or too large headers get 431 (not silence
#    until the connection times out);
#  - the answer cache is keyed on the canonical question (order, defaults
#    and repeats do not make new entries), refuses parameters a route
#    does not take (400), evicts least recently used answers, and a flood
#    of one-off questions does not push out the answers asked again;
#  - slowloris: 1,000 slow connections from 127.0.0.2 while /healthz from
#    127.0.0.1 answers within 100 ms throughout (the one timing assertion
#    the issue asks for; "throughout" is read as: every probe answered,
#    and in every second of the attack at least one probe within 100 ms,
#    so that one slow time slice of a busy machine does not fail it).
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/gp-reg-pat-prac-map_2025-10.csv "$DATA"/gp-reg-pat-prac-all_2021-01.csv
check_eq "load" "$status" 0
pw='a long enough passphrase'
printf '%s\n' "$pw" | "$PCCS" --store "$S" user add root --role admin --scope ENG 2>/dev/null

# --- 15. --threads
for n in 100000 0 -3 2x; do
    run_pccs --store "$S" serve --listen 127.0.0.1:0 --threads "$n"
    check_eq "--threads $n: refused, exit 2" "$status" 2
done
check_match "... saying what is allowed" "$(cat "$T/stderr")" "--threads must be a whole number from 1 to 256, not 2x"
run_pccs --store "$S" serve --listen 127.0.0.1:0 --per-address 5000
check_eq "--per-address 5000: refused, exit 2" "$status" 2

start() {
    : >"$T/out" # truncated here: the loop below must not see the last server's line
    "$PCCS" --store "$S" serve --listen 127.0.0.1:0 "$@" >"$T/out" 2>"$T/log" &
    pid=$!
    i=0
    # up to 30 s: on a loaded machine (CI runs two tests at once) a start
    # once took longer than the 10 s this waited before
    while [ $i -lt 300 ] && ! grep -q listening "$T/out"; do sleep 0.1; i=$((i + 1)); done
    URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$T/out")
    [ -n "$URL" ] || { echo "# pccs serve did not start in 30 s:"; sed 's/^/#   /' "$T/log"; }
}
start --threads 256
kill -TERM $pid
wait $pid
check_eq "--threads 256: listening, and SIGTERM stops it (exit 0)" "$?" 0

# --- 15. 431 for too many query arguments or too large headers
start --cache-mb 1
/usr/bin/python3 - "$URL" >"$T/431" <<'PY'
import socket, sys
host, port = sys.argv[1].split("//")[1].split(":")
def status(target, headers=""):
    s = socket.create_connection((host, int(port)))
    s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\n{headers}\r\n".encode())
    data = b""
    while b"\r\n" not in data:
        d = s.recv(4096)
        if not d:
            break
        data += d
    s.close()
    return data.split(b" ")[1].decode() if data else "none"
q450 = "&".join(f"a{i}=x" for i in range(450))
print(status("/api/tables?" + q450, f"Cookie: pccs_session={'0' * 64}\r\n"))
print(status("/api/tables?" + "&".join(["a"] * 3000)))
print(status("/healthz", "".join(f"X-H{i}: {'v' * 50}\r\n" for i in range(1000))))
print(status("/api/tables?" + "&".join(["a"] * 32)))
PY
check_eq "450 query arguments, 3,000 empty ones, 1,000 headers: 431; 32 arguments: not 431 (401)" \
    "$(tr '\n' ' ' <"$T/431")" "431 431 431 401 "

# --- 12. the answer cache
/usr/bin/python3 - "$URL" "$pw" "$DATA" >"$T/cache" <<'PY'
import csv, http.client, json, sys
url, pw, data = sys.argv[1:4]
host, port = url.split("//")[1].split(":")
c = http.client.HTTPConnection(host, int(port), timeout=60)
c.request("POST", "/api/login", json.dumps({"user": "root", "password": pw}),
          {"Content-Type": "application/json"})
r = c.getresponse()
cookie = r.getheader("Set-Cookie").split(";")[0]
r.read()
def ask(path):
    c.request("GET", path, headers={"Cookie": cookie})
    r = c.getresponse()
    r.read()
    return r.status, r.getheader("X-Pccs-Cache")
out = []
useful = "/api/tables/populations?in=16C&level=practice"
out.append(ask(useful))        # miss
out.append(ask(useful))        # hit
out.append(ask("/api/tables/populations?level=practice&format=json&explain=0&in=16C&in=00L"))  # hit: the same question
out.append(ask(useful + "&junk=1"))  # 400: not a parameter of tables
print(" ".join(f"{s}:{h}" for s, h in out))
# a flood of one-off questions, each asked once: the practices of every
# ICB and of every sub-ICB location, as JSON and as CSV (about 3 MB in
# all, well over the 1 MiB cache; far fewer requests than a page per
# practice, which took minutes on a busy machine)
rows = list(csv.DictReader(open(f"{data}/gp-reg-pat-prac-map_2025-10.csv")))
areas = sorted(({r["ICB_CODE"] for r in rows} | {r["SUB_ICB_LOCATION_CODE"] for r in rows})
               - {"16C"})   # 16C's is the useful answer above
flood = []
for a in areas:
    for fmt in ("json", "csv"):
        c.request("GET", f"/api/tables/populations?level=practice&in={a}&format={fmt}",
                  headers={"Cookie": cookie})
        r = c.getresponse()
        flood.append((r.status, r.getheader("X-Pccs-Cache"), len(r.read())))
print(all(s == 200 and h == "miss" for s, h, n in flood) and len(flood) > 250
      and sum(n for s, h, n in flood) > 2 * 1024 * 1024)
# the useful answer survived the flood; a new question is still kept
print(ask(useful)[1], ask("/api/orgs/16C")[1], ask("/api/orgs/16C")[1])
PY
check_eq "cache: miss, hit, the same question reordered with defaults and a repeat: hit; a junk parameter: 400" \
    "$(sed -n 1p "$T/cache")" "200:miss 200:hit 200:hit 400:None"
check_eq "... over 250 one-off tables (over 2 MiB in all), each computed" "$(sed -n 2p "$T/cache")" True
check_eq "... after the flood the answer asked again is still kept, and new answers are kept (hit)" \
    "$(sed -n 3p "$T/cache")" "hit miss hit"
kill -TERM $pid
wait $pid
check_match "... answers were evicted (the cache holds 1 MiB)" "$(cat "$T/log")" \
    "pccs serve: [0-9]+ answers from the cache, [0-9]+ computed, [1-9][0-9]* evicted"

# --- 4. slowloris
start
/usr/bin/python3 - "$URL" >"$T/slow" <<'PY'
import resource, socket, sys, time
host, port = sys.argv[1].split("//")[1].split(":")
port = int(port)
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
slow = []
for i in range(1000):
    s = socket.socket()
    s.bind(("127.0.0.2", 0))
    s.setblocking(False)
    try:
        s.connect((host, port))
    except BlockingIOError:
        pass
    slow.append(s)
time.sleep(0.5)
def drip(first=False):
    for s in slow:
        try:
            s.send(b"GET / HTTP/1.1\r\nHost: x\r\n" if first else b"X-a: b\r\n")
        except OSError:
            pass
def probe():
    t = time.monotonic()
    try:
        c = socket.create_connection(("127.0.0.1", port), timeout=5)
        c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        d = c.recv(100)
        c.close()
        ok = d.startswith(b"HTTP/1.1 200")
    except OSError:
        ok = False
    return ok, time.monotonic() - t
drip(first=True)
start = time.monotonic()
windows = {}
failed = 0
last_drip = start
while time.monotonic() - start < 15:   # longer than the 10 s connection timeout
    if time.monotonic() - last_drip > 2:
        drip()
        last_drip = time.monotonic()
    ok, dt = probe()
    w = int(time.monotonic() - start)
    failed += not ok
    windows[w] = min(windows.get(w, 99), dt if ok else 99)
    time.sleep(0.05)
slow_windows = sum(1 for w in range(15) if windows.get(w, 99) > 0.1)
print(failed, slow_windows, len(windows))
PY
set -- $(cat "$T/slow")
check_eq "slowloris from 127.0.0.2: every /healthz probe from 127.0.0.1 answered 200" "${1:-x}" 0
check_eq "... and within 100 ms in every second of the 15 s" "${2:-x}" 0
kill -TERM $pid
wait $pid
check_eq "SIGTERM: exit 0" "$?" 0
done_testing
