#!/bin/sh
# Population health at scale (issue 18): the plain lines of an events
# file are read on a second thread, a block of the reader's buffer at a
# time, while the first writes the block before. Lines the generic
# reader must take (a quoted field) anywhere in a block, the last line
# without its line feed: the events stored are exactly python's reading
# of the file, in file order; two loads of the same file store the same
# bytes; a code outside the lists on a line the second thread meets is
# refused at its own line, the store unchanged.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
need_codelists
on_pg && skip_all "reads SQLite's event chunks"
for s in a b; do
    run_pccs --store "$T/$s.db" load --quiet "$DATA"/gp-reg-pat-prac-all_2026-04.csv
    check_eq "NHS file loads ($s)" "$status" 0
done

python3 - "$T" <<'PY'
import random, sys
t = sys.argv[1]
rnd = random.Random(430)
with open(f"{t}/patients.csv", "w") as f:
    f.write("patient_id,date_of_birth,sex\n")
    for i in range(1, 301):
        f.write(f"p{i:04d},19{30 + i % 60}-0{1 + i % 9}-1{i % 10},{'MF'[i % 2]}\n")
codes = ["49436004", "195967001", "13645005"]
rows = []
for i in range(90000):
    p = f"p{1 + (i // 300) % 300:04d}"
    v = "" if i % 3 == 0 else f"{rnd.randint(0, 999)}.{rnd.randint(0, 9)}"
    d = f"20{10 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d}"
    note = '"a note, quoted"' if rnd.random() < 0.002 else ""
    rows.append(f"{p},{d},{rnd.choice(codes)},{v},{note}")
with open(f"{t}/events.csv", "w", newline="") as f:
    f.write("patient_id,date,snomedct_code,numeric_value,note\n")
    f.write("\n".join(rows))  # the last line without its line feed
bad = rows[:]
bad[70001] = bad[70001].replace(bad[70001].split(",")[2], "123456789", 1)
with open(f"{t}/bad.csv", "w", newline="") as f:
    f.write("patient_id,date,snomedct_code,numeric_value,note\n")
    f.write("\n".join(bad) + "\n")
PY
for s in a b; do
    run_pccs --store "$T/$s.db" load --quiet "$T/patients.csv"
    check_eq "patients load ($s)" "$status" 0
done
before=$(store_dump "$T/a.db" | cksum)
run_pccs --store "$T/a.db" load --quiet "$T/bad.csv"
check_eq "a code outside the lists, line 70003 of 90001: refused" "$status" 1
check_match "... at its own line and column" "$errout" "bad.csv:70003:3: snomedct_code"
check_eq "... the store is unchanged" "$(store_dump "$T/a.db" | cksum)" "$before"
for s in a b; do
    run_pccs --store "$T/$s.db" load --quiet "$T/events.csv"
    check_eq "events load ($s)" "$status" 0
done

out=$(python3 - "$T" <<'PY'
import csv, datetime, sqlite3, struct, sys
sys.path.insert(0, "tests/integration")
from phmchunks import events
t = sys.argv[1]
db = sqlite3.connect(f"{t}/a.db")
pid = dict(db.execute("SELECT ext, id FROM patients"))
epoch = datetime.date(1970, 1, 1)
def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]
want = [(pid[r["patient_id"]],
         (datetime.date.fromisoformat(r["date"]) - epoch).days,
         int(r["snomedct_code"]),
         f32(float(r["numeric_value"])) if r["numeric_value"] else None)
        for r in csv.DictReader(open(f"{t}/events.csv", newline=""))]
got = events(db, 0)
diff = next((i for i in range(min(len(want), len(got))) if want[i] != got[i]), None)
print(f"events {len(want)} {len(got)} {'same' if want == got else f'first difference at {diff}'}")
blobs = [list(sqlite3.connect(f"{t}/{s}.db").execute(
    "SELECT kind, n, data FROM event_chunks ORDER BY id")) for s in "ab"]
print("stores", "same" if blobs[0] == blobs[1] and blobs[0] else "differ")
PY
)
check_match "every event as python reads it, in file order" "$out" "events 90000 90000 same"
check_match "two loads store the same bytes" "$out" "stores same"
done_testing
