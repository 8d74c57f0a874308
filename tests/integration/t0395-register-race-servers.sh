#!/bin/sh
# Register edits from many users at once with two servers on one store
# (issue 20, item 4): two `pccs serve` processes share the store (SQLite;
# PostgreSQL under make check-pg), 16 users' clients, half on each, send
# a change on the same version at once: exactly one is made (201), the
# other 15 get 409, because the version is checked inside the write
# transaction, not before it. Then each client retries (reading the
# version again after each 409) until its change is made: all 16 rows are
# there at the end, nothing lost, each change its own version.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/store.db
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-map_2025-10.csv" \
    data/templates/risks.csv
check_eq "the map and the risks register load" "$status $errout" "0 "
for i in $(seq 1 16); do
    printf 'a long enough passphrase\n' |
        "$PCCS" --store "$S" user add "c$i" --role commissioner --scope 16C 2>/dev/null
done
run_pccs --store "$S" table register --group risks --format csv
printf '%s\n' "$out" >"$T/before.csv"

PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 - "$PCCS" "$S" "$T" >"$T/res" <<'PY'
import json, subprocess, sys, threading
import booking as B
pccs, store, t = sys.argv[1:4]
out = []
def check(name, ok, detail=""):
    detail = str(detail).replace("\n", " ")[:300]
    out.append(f"{'ok' if ok else 'FAIL'}\t{name}\t{detail}")

def serve():
    p = subprocess.Popen([pccs, "--store", store, "serve", "--listen",
                          "127.0.0.1:0", "--threads", "8", "--per-address", "100"],
                         stdout=subprocess.PIPE, stderr=open(f"{t}/log", "a"),
                         text=True)
    line = p.stdout.readline()
    while line and "listening on " not in line:
        line = p.stdout.readline()
    return p, line.split("listening on ")[1].split()[0].rstrip("/")

servers = [serve(), serve()]
check("two servers on one store", servers[0][1] != servers[1][1],
      [u for _, u in servers])
sess = [B.Session(servers[i % 2][1], f"c{i + 1}") for i in range(16)]

def version(s):
    st, body, _ = s.call("GET", "/api/registers/risks")
    return json.loads(body)["version"]

def create(s, n, v):
    row = {"risk_id": f"R{n:03d}", "title": f"Race {n}", "owner": f"c{n}",
           "org_code": "A81001", "likelihood": 3, "impact": 2,
           "review_date": "2023-01-31"}
    st, body, _ = s.call("POST", "/api/registers/risks",
                         {"values": row, "version": v})
    return st, body

v0 = version(sess[0])
check("both servers read one version", version(sess[1]) == v0)
go = threading.Event()
res = [None] * 16
def once(i):
    go.wait()
    res[i] = create(sess[i], 100 + i, v0)[0]
th = [threading.Thread(target=once, args=(i,)) for i in range(16)]
for x in th:
    x.start()
go.set()
for x in th:
    x.join()
check("16 changes on one version at once, two servers: exactly one 201",
      res.count(201) == 1, res)
check("... the other 15 get 409", res.count(409) == 15, res)

made = [None] * 16
tries = [0] * 16
def until_made(i):
    go.wait()
    while tries[i] < 200:
        tries[i] += 1
        st, body = create(sess[i], 200 + i, version(sess[i]))
        if st == 201:
            made[i] = json.loads(body)["version"]
            return
        if st != 409:
            made[i] = ("unexpected", st, body[:100])
            return
go.clear()
th = [threading.Thread(target=until_made, args=(i,)) for i in range(16)]
for x in th:
    x.start()
go.set()
for x in th:
    x.join()
for p, _ in servers:
    p.terminate()
    p.wait()
check("16 clients retrying on 409: every change made",
      all(isinstance(m, int) for m in made), made)
check("... each its own version", len(set(made)) == 16, made)
check("... and some had to retry (they raced)", sum(tries) > 16, tries)
print("\n".join(out))
PY
while IFS='	' read -r res name detail; do
    case $res in
    ok) ok "$name" ;;
    FAIL) not_ok "$name" "$detail" ;;
    *) printf '%s %s %s\n' "$res" "$name" "$detail" ;;
    esac
done <"$T/res"
[ -s "$T/res" ] || not_ok "the python checks ran" "$(tail -5 "$T/log" 2>/dev/null)"

# Nothing lost: the register holds the rows before, the first race's one
# change and the 16 retried ones; the sources list 17 edit versions.
"$PCCS" --store "$S" table register --group risks --format csv >"$T/reg.csv"
got=$(python3 - "$T/reg.csv" "$T/before.csv" <<'PY'
import csv, sys
ids = {r["risk_id"] for r in csv.DictReader(open(sys.argv[1]))}
before = {r["risk_id"] for r in csv.DictReader(open(sys.argv[2]))}
new = sorted(ids - before)
print(len(before) > 0, len([i for i in new if i.startswith("R1")]),
      len([i for i in new if i.startswith("R2")]), before <= ids)
PY
)
check_eq "the register holds every row: 1 of the first race, 16 retried, all from before" \
    "$got" "True 1 16 True"
run_pccs --store "$S" sources --format csv
check_eq "17 versions made by edits (pccs sources)" \
    "$(printf '%s\n' "$out" | grep -c 'risks (edit)')" 17
done_testing
