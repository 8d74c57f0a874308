#!/bin/sh
# No double booking (issue 19): 200 concurrent clients race for the same
# 50 slots: exactly 50 are booked, every other request gets a 409, and
# the store (read with sqlite3, not pccs) holds no slot with two
# appointments. Then again with kill -9 of the server at random moments
# and a restart each time: clients retry with their Idempotency-Key until
# they get an answer, record every acknowledgement, and each one
# acknowledged is in the store, once.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-map_2025-10.csv"
check_eq "load the map" "$status" 0
# Two synthetic hub sessions of 50 slots each (08:00 to 20:30, 15 minutes).
cat >"$T/sessions.csv" <<'EOF'
session_org_code,site,service,session_date,start_time,end_time,staff_role,slot_minutes,bookable_by
U89141,Stockton hub,Enhanced access,2026-12-14,08:00,20:30,GP,15,111
U89141,Stockton hub,Enhanced access,2026-12-15,08:00,20:30,GP,15,111
EOF
run_pccs --store "$S" load "$T/sessions.csv"
check_eq "load the sessions" "$status" 0
printf 'a long enough passphrase\n' |
    "$PCCS" --store "$S" user add one --role nhs111 --scope QHM 2>/dev/null

PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 - "$PCCS" "$S" "$T" >"$T/res" <<'PY'
import json, os, random, signal, sqlite3, subprocess, sys, threading, time
import storedb
import booking as B
pccs, store, t = sys.argv[1:4]
out = []
def check(name, ok, detail=""):
    detail = str(detail).replace("\n", " ")[:300]
    out.append(f"{'ok' if ok else 'FAIL'}\t{name}\t{detail}")

class Server:
    """pccs serve, restarted after each kill; clients read .url/.sess."""
    def __init__(self):
        self.lock = threading.Lock()
        self.gen = 0
        self.start()
    def start(self):
        self.p = subprocess.Popen([pccs, "--store", store, "serve", "--listen",
                                   "127.0.0.1:0", "--threads", "8",
                                   "--per-address", "400"],
                                  stdout=subprocess.PIPE, stderr=open(f"{t}/log", "a"),
                                  text=True)
        line = self.p.stdout.readline()
        while line and "listening on " not in line:
            line = self.p.stdout.readline()
        url = line.split("listening on ")[1].split()[0].rstrip("/")
        s = B.Session(url, "one")
        with self.lock:
            self.url, self.sess, self.gen = url, s, self.gen + 1
    def kill9(self):
        self.p.send_signal(signal.SIGKILL)
        self.p.wait()
    def stop(self):
        self.p.terminate()
        self.p.wait()

def slots_of(day):
    db = storedb.connect(store)
    return [r[0] for r in db.execute(
        "SELECT id FROM slots WHERE start LIKE ? ORDER BY start", (day + "%",))]

retried = []

def client(sv, i, slot, key, results, go, jitter):
    go.wait()
    time.sleep(jitter)
    while True:
        with sv.lock:
            url, proto = sv.url, sv.sess
        s = B.Session.__new__(B.Session)
        s.__dict__.update(host=proto.host, port=proto.port, conn=None,
                          token=proto.token, csrf=proto.csrf, url=url)
        try:
            st, body = B.book(s, slot, B.nhs_number(i), "A81001", key)
        except Exception:
            retried.append(i)
            time.sleep(0.01)  # the server is down: retry, same key
            continue
        if st in (201, 409):
            j = json.loads(body)
            results[i] = (st, j["id"] if st == 201 else j["issue"][0]["code"], slot)
            return
        if st == 401:  # a restart signed everyone out
            time.sleep(0.01)
            continue
        results[i] = (st, body[:200], slot)
        return

def race(sv, day, tag, killer=None, spread=0.0):
    slots = slots_of(day)
    results = [None] * 200
    go = threading.Event()
    th = [threading.Thread(target=client, args=(sv, i, slots[i % 50], f"{tag}-{i}", results, go,
                                 random.uniform(0, spread)))
          for i in range(200)]
    for x in th:
        x.start()
    go.set()
    if killer:
        killer()
    for x in th:
        x.join()
    return slots, results

def store_checks(slots, results, what):
    db = storedb.connect(store)
    q = ",".join(str(s) for s in slots)
    two = db.execute(f"SELECT slot_id, count(*) FROM appointments WHERE slot_id IN ({q}) "
                     "AND status <> 'cancelled' GROUP BY slot_id HAVING count(*) > 1").fetchall()
    check(f"{what}: store: no slot with two appointments", not two, two)
    n = db.execute(f"SELECT count(*) FROM appointments WHERE slot_id IN ({q})").fetchone()[0]
    check(f"{what}: store: 50 appointments in the 50 slots, no more", n == 50, n)
    busy = db.execute(f"SELECT count(*) FROM slots WHERE id IN ({q}) AND status = 'busy'").fetchone()[0]
    check(f"{what}: store: the 50 slots are busy", busy == 50, busy)
    acked = [(r[1], r[2]) for r in results if r and r[0] == 201]
    lost = [a for a in acked if db.execute(
        "SELECT count(*) FROM appointments WHERE id = ? AND slot_id = ?", a).fetchone()[0] != 1]
    check(f"{what}: every acknowledged booking is in the store, in its slot", not lost, lost[:5])
    check(f"{what}: the acknowledged bookings are 50 different slots",
          len({a[1] for a in acked}) == len(acked) == 50, len(acked))
    ok = db.execute("PRAGMA integrity_check").fetchone()[0]
    check(f"{what}: store integrity_check", ok == "ok", ok)

sv = Server()
slots, res = race(sv, "2026-12-14", "a")
codes = [r[0] for r in res]
check("200 clients, 50 slots: exactly 50 get 201", codes.count(201) == 50, codes.count(201))
check("... and the other 150 a 409", codes.count(409) == 150,
      {c: codes.count(c) for c in set(codes)})
check("... each 409 an OperationOutcome 'conflict'",
      all(r[1] == "conflict" for r in res if r[0] == 409))
store_checks(slots, res, "race")

# Again, killing the server with SIGKILL at random moments.
random.seed(int.from_bytes(os.urandom(4), "little"))
kills = []
def killer():
    for _ in range(5):
        time.sleep(random.uniform(0.02, 0.3))
        sv.kill9()
        kills.append(sv.gen)
        sv.start()
# The clients start over a second, so that the kills land among them.
slots, res = race(sv, "2026-12-15", "b", killer, 1.0)
codes = [r[0] for r in res]
out.append(f"# {len(retried)} requests cut off by a kill and retried with their key")
check(f"kill -9 x{len(kills)}: every client got an answer, 201 or 409",
      set(codes) <= {201, 409}, [r for r in res if r[0] not in (201, 409)][:3])
check("kill -9: exactly 50 bookings acknowledged", codes.count(201) == 50, codes.count(201))
store_checks(slots, res, "kill -9")
sv.stop()
print("\n".join(out))
PY
while IFS='	' read -r res name detail; do
    case $res in
    ok) ok "$name" ;;
    FAIL) not_ok "$name" "$detail" ;;
    *) printf '%s %s %s\n' "$res" "$name" "$detail" ;;
    esac
done <"$T/res"
[ -s "$T/res" ] || not_ok "the python checks ran"
done_testing
