#!/bin/sh
# No double booking on PostgreSQL (issue 20): the booking race of t0371
# against a PostgreSQL store, pccs serve with 8 threads (a connection
# each): 200 concurrent clients race for the same 50 slots, exactly 50
# are booked, every other request gets a 409 'conflict', and the store,
# read with psql (not pccs), holds no slot with two appointments and
# every acknowledged booking in its slot.
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
CSV
run_pccs --store "$S" load "$T/sessions.csv"
check_eq "load the sessions" "$status" 0
check_eq "... 50 slots (psql)" \
    "$(psql_at "$S" "select count(*) from slots where status = 'free'")" 50
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

p = subprocess.Popen([pccs, "--store", store, "serve", "--listen", "127.0.0.1:0",
                      "--threads", "8", "--per-address", "400"],
                     stdout=subprocess.PIPE, stderr=open(f"{t}/log", "a"), text=True)
line = p.stdout.readline()
while line and "listening on " not in line:
    line = p.stdout.readline()
url = line.split("listening on ")[1].split()[0].rstrip("/")
proto = B.Session(url, "one")
slots = [int(r[0]) for r in psql("SELECT id FROM slots ORDER BY start, id")]
check("50 slots to race for", len(slots) == 50, len(slots))

results = [None] * 200
go = threading.Event()
def client(i):
    s = B.Session.__new__(B.Session)
    s.__dict__.update(host=proto.host, port=proto.port, conn=None,
                      token=proto.token, csrf=proto.csrf, url=url)
    go.wait()
    st, body = B.book(s, slots[i % 50], B.nhs_number(i), "A81001", f"k-{i}")
    j = json.loads(body) if body.startswith("{") else {}
    results[i] = (st, j.get("id") if st == 201 else
                  (j.get("issue") or [{}])[0].get("code", body[:100]), slots[i % 50])
th = [threading.Thread(target=client, args=(i,)) for i in range(200)]
for x in th:
    x.start()
go.set()
for x in th:
    x.join()
p.terminate()
p.wait()

codes = [r[0] for r in results]
check("200 clients, 50 slots: exactly 50 get 201", codes.count(201) == 50, codes.count(201))
check("... and the other 150 a 409", codes.count(409) == 150,
      {c: codes.count(c) for c in set(codes)})
check("... each 409 an OperationOutcome 'conflict'",
      all(r[1] == "conflict" for r in results if r[0] == 409),
      [r for r in results if r[0] == 409 and r[1] != "conflict"][:3])
two = psql("SELECT slot_id, count(*) FROM appointments WHERE status <> 'cancelled' "
           "GROUP BY slot_id HAVING count(*) > 1")
check("psql: no slot with two appointments", not two, two)
n = psql("SELECT count(*) FROM appointments")[0][0]
check("psql: 50 appointments, no more", n == "50", n)
busy = psql("SELECT count(*) FROM slots WHERE status = 'busy'")[0][0]
check("psql: the 50 slots are busy", busy == "50", busy)
acked = [(r[1], r[2]) for r in results if r[0] == 201]
stored = {(a, int(s)) for a, s in psql("SELECT id, slot_id FROM appointments")}
check("psql: every acknowledged booking is in the store, in its slot",
      all((str(a), s) in {(x, y) for x, y in stored} for a, s in acked), acked[:3])
check("the acknowledged bookings are 50 different slots",
      len({a[1] for a in acked}) == len(acked) == 50, len(acked))
keys = psql("SELECT status, count(*) FROM idempotency GROUP BY status ORDER BY status")
check("psql: every answer kept with its key (150 409s, 50 201s)",
      keys == [["201", "50"], ["409", "150"]], keys)
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
