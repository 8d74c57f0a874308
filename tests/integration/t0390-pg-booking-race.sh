#!/bin/sh
# No double booking on PostgreSQL (issue 20): the booking race of t0371
# against a PostgreSQL store, pccs serve with 8 threads (a connection
# each): 200 concurrent clients race for the same 50 slots, exactly 50
# are booked, every other request gets a 409 'conflict', and the store,
# read with psql (not pccs), holds no slot with two appointments and
# every acknowledged booking in its slot. Then again with two servers
# (two processes, 8 connections each) on the same store.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg.sh"

cd "$ROOT" || exit 1
pg_start
S=$(pg_db race)
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-map_2025-10.csv"
check_eq "load the map into PostgreSQL" "$status $errout" "0 "
cat >"$T/sessions.csv" <<'CSV'
session_org_code,site,service,session_date,start_time,end_time,staff_role,slot_minutes,bookable_by
U89141,Stockton hub,Enhanced access,2026-12-14,08:00,20:30,GP,15,111
U89141,Stockton hub,Enhanced access,2026-12-15,08:00,20:30,GP,15,111
CSV
run_pccs --store "$S" load "$T/sessions.csv"
check_eq "load the sessions" "$status" 0
check_eq "... 100 slots (psql)" \
    "$(psql_at "$S" "select count(*) from slots where status = 'free'")" 100
printf 'a long enough passphrase\n' |
    "$PCCS" --store "$S" user add one --role nhs111 --scope QHM 2>/dev/null
check_eq "a user (psql)" "$(psql_at "$S" "select role from users where name = 'one'")" nhs111

PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 - "$PCCS" "$S" "$T" >"$T/res" <<'PY'
import json, subprocess, sys, threading
import booking as B
pccs, store, t = sys.argv[1:4]
out = []
def check(name, ok, detail=""):
    detail = str(detail).replace("\n", " ")[:300]
    out.append(f"{'ok' if ok else 'FAIL'}\t{name}\t{detail}")

def psql(q):
    r = subprocess.run(["psql", "-X", "-q", "-At", "-F", ",", "-d", store, "-c", q],
                       capture_output=True, text=True, check=True)
    return [l.split(",") for l in r.stdout.splitlines() if l]

def serve():
    p = subprocess.Popen([pccs, "--store", store, "serve", "--listen", "127.0.0.1:0",
                          "--threads", "8", "--per-address", "400"],
                         stdout=subprocess.PIPE, stderr=open(f"{t}/log", "a"), text=True)
    line = p.stdout.readline()
    while line and "listening on " not in line:
        line = p.stdout.readline()
    url = line.split("listening on ")[1].split()[0].rstrip("/")
    return p, url, B.Session(url, "one")

def race(servers, day, tag):
    """200 clients (spread over the servers) book the 50 slots of day."""
    slots = [int(r[0]) for r in psql(
        f"SELECT id FROM slots WHERE start LIKE '{day}%' ORDER BY start, id")]
    check(f"{tag}: 50 slots to race for", len(slots) == 50, len(slots))
    results = [None] * 200
    go = threading.Event()
    def client(i):
        _, url, proto = servers[i % len(servers)]
        s = B.Session.__new__(B.Session)
        s.__dict__.update(host=proto.host, port=proto.port, conn=None,
                          token=proto.token, csrf=proto.csrf, url=url)
        go.wait()
        st, body = B.book(s, slots[i % 50], B.nhs_number(i), "A81001", f"{tag}-{i}")
        j = json.loads(body) if body.startswith("{") else {}
        results[i] = (st, j.get("id") if st == 201 else
                      (j.get("issue") or [{}])[0].get("code", body[:100]), slots[i % 50])
    th = [threading.Thread(target=client, args=(i,)) for i in range(200)]
    for x in th:
        x.start()
    go.set()
    for x in th:
        x.join()
    codes = [r[0] for r in results]
    check(f"{tag}: 200 clients, 50 slots: exactly 50 get 201", codes.count(201) == 50,
          codes.count(201))
    check(f"{tag}: ... and the other 150 a 409", codes.count(409) == 150,
          {c: codes.count(c) for c in set(codes)})
    check(f"{tag}: ... each 409 an OperationOutcome 'conflict'",
          all(r[1] == "conflict" for r in results if r[0] == 409),
          [r for r in results if r[0] == 409 and r[1] != "conflict"][:3])
    q = ",".join(str(x) for x in slots)
    two = psql(f"SELECT slot_id, count(*) FROM appointments WHERE slot_id IN ({q}) "
               "AND status <> 'cancelled' GROUP BY slot_id HAVING count(*) > 1")
    check(f"{tag}: psql: no slot with two appointments", not two, two)
    n = psql(f"SELECT count(*) FROM appointments WHERE slot_id IN ({q})")[0][0]
    check(f"{tag}: psql: 50 appointments in the 50 slots, no more", n == "50", n)
    busy = psql(f"SELECT count(*) FROM slots WHERE id IN ({q}) AND status = 'busy'")[0][0]
    check(f"{tag}: psql: the 50 slots are busy", busy == "50", busy)
    acked = {(str(r[1]), str(r[2])) for r in results if r[0] == 201}
    stored = {(a, s) for a, s in psql(
        f"SELECT id, slot_id FROM appointments WHERE slot_id IN ({q})")}
    check(f"{tag}: psql: every acknowledged booking is in the store, in its slot",
          acked == stored and len({a[1] for a in acked}) == 50,
          sorted(acked ^ stored)[:3])
    keys = psql(f"SELECT status, count(*) FROM idempotency WHERE key LIKE '{tag}-%' "
                "GROUP BY status ORDER BY status")
    check(f"{tag}: psql: every answer kept with its key (50 201s, 150 409s)",
          keys == [["201", "50"], ["409", "150"]], keys)

one = serve()
race([one], "2026-12-14", "one server")
two = serve()
race([one, two], "2026-12-15", "two servers")
for p, _, _ in (one, two):
    p.terminate()
    p.wait()
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
done_testing
