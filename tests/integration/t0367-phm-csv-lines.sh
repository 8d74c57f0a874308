#!/bin/sh
# Population health at scale (issue 18): the events and medicines CSV
# files are read a plain line at a time by a fast path, every other line
# by the generic reader. Whatever the mix (quoted fields, a line break
# inside quotes across the reader's 1 MB buffer, CRLF, blank lines,
# spaces to trim, dates and numbers in other styles), the events stored
# are exactly those python's csv module reads from the file (patient,
# day, code, value as a 32-bit float, in file order), and a bad line
# late in a large file is refused at its own line and column with the
# store unchanged; so is a patient loaded twice.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
need_codelists
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/gp-reg-pat-prac-all_2026-04.csv
check_eq "NHS file loads" "$status" 0

python3 - "$T" <<'PY'
import random, sys
t = sys.argv[1]
rnd = random.Random(7)
with open(f"{t}/patients.csv", "w") as f:
    f.write("patient_id,date_of_birth,sex\n")
    for i in range(1, 41):
        f.write(f"p{i},19{40 + i}-0{1 + i % 9}-1{i % 10},{'MF'[i % 2]}\n")
codes = ["49436004", "195967001", "13645005"]
vals = ["", "", "7", "0.1", "-2.5", "123456789012345", "1234567890123456",
        "1e3", " 7 ", ".5", "-0", "36.6", "0.000001234"]
days = ["2020-01-01", "2019-12-31", "20200229", "01/02/2020", "01JAN2021",
        " 2018-06-30"]
def line(i):
    p = f"p{rnd.randint(1, 40)}"
    d = rnd.choice(days) if i % 13 == 0 else f"20{10 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d}"
    v = rnd.choice(vals)
    note = ""
    if i % 5000 == 0:
        note = '"a note, with a comma"'
    if i % 7919 == 0:
        note = '"two\nlines"'
    if i % 31 == 0:
        p = f" {p}"
    return f"{p},{d},{rnd.choice(codes)},{v},{note}"
rows = [line(i) for i in range(1, 120001)]
# a blank line (skipped) and a quoted line break astride the reader's first 1 MB refill
at = next(i for i in range(len(rows)) if sum(len(r) + 1 for r in rows[:i]) > (1 << 20) - 30)
rows[at] = 'p1,2020-01-01,49436004,1,"first half\nsecond half"'
rows[at + 1] = ""
rows[at + 2] = rows[at + 2] + "\r"
# days 1850 to 2030 in the last chunk: too wide for 16-bit offsets, packed
rows[-2] = "p3,1850-01-01,49436004,1.5,"
rows[-1] = "p3,2030-01-01,49436004,,"
with open(f"{t}/events.csv", "w", newline="") as f:
    f.write("patient_id,date,snomedct_code,numeric_value,note\n")
    f.write("\n".join(rows) + "\n")
bad = rows[:]
bad[-40] = "p2,2020-02-30,49436004,,"
with open(f"{t}/bad.csv", "w", newline="") as f:
    f.write("patient_id,date,snomedct_code,numeric_value,note\n")
    f.write("\n".join(bad) + "\n")
# the line of the bad row: 1 header + lines of the rows before it
print(1 + sum(r.count("\n") + 1 for r in bad[:-40]) + 1, file=open(f"{t}/bad.line", "w"))
with open(f"{t}/meds.csv", "w", newline="") as f:
    f.write("patient_id,date,dmd_code\n")
    for i in range(1, 50001):
        f.write(f"p{1 + i % 40},2025-{1 + i % 12:02d}-01,{3000000 + i % 97}{chr(13) if i % 3 else ''}\n")
PY
run_pccs --store "$S" load --quiet "$T/patients.csv"
check_eq "patients load" "$status" 0
before=$(store_dump "$S" | cksum)
printf 'patient_id,date_of_birth,sex\nq1,1950-01-01,F\nq2,1951-01-01,M\nq1,1952-01-01,F\n' >"$T/dup1.csv"
run_pccs --store "$S" load --quiet "$T/dup1.csv"
check_eq "a patient twice in a file: refused" "$status" 1
check_match "... at the second" "$errout" \
    'dup1.csv:4:1: patient_id: expected a patient not loaded before, found "q1"'
printf 'patient_id,date_of_birth,sex\nq3,1950-01-01,F\n p7 ,1951-01-01,M\n' >"$T/dup2.csv"
run_pccs --store "$S" load --quiet "$T/dup2.csv"
check_eq "a patient loaded before: refused" "$status" 1
check_match "... at its line" "$errout" \
    'dup2.csv:3:1: patient_id: expected a patient not loaded before, found " p7 "'
check_eq "... the store is unchanged" "$(store_dump "$S" | cksum)" "$before"
run_pccs --store "$S" load --quiet "$T/bad.csv"
check_eq "a bad date late in a large file: refused" "$status" 1
check_match "... at its own line and column" "$errout" \
    "bad.csv:$(cat "$T/bad.line"):2: date"
check_eq "... the store is unchanged" "$(store_dump "$S" | cksum)" "$before"

run_pccs --store "$S" load --quiet "$T/events.csv" "$T/meds.csv"
check_eq "events and medicines load" "$status" 0

# Stored events against python's reading of the files. sqlite_phm.c
# stores a chunk dense when it fits (header: int32 -0x44454e31, first
# patient, first day, number of values; then n uint16 code ids, n day
# offsets, n patient offsets, a bit per event with a value, the float
# values) and otherwise as 16-byte records (patient, day, code id, float
# value or NaN); kinds counts each.
out=$(python3 - "$S" "$T" <<'PY'
import csv, datetime, math, sqlite3, struct, sys
db = sqlite3.connect(sys.argv[1])
t = sys.argv[2]
pid = dict(db.execute("SELECT ext, id FROM patients"))
code = dict(db.execute("SELECT id, code FROM phm_codes"))
epoch = datetime.date(1970, 1, 1)
def day(s):
    s = s.strip()
    for f in ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%d%b%Y"):
        try:
            return (datetime.datetime.strptime(s, f).date() - epoch).days
        except ValueError:
            pass
    raise ValueError(s)
def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]
def want(path, value):
    rows = []
    for r in csv.DictReader(open(path, newline="")):
        v = (r.get("numeric_value") or "").strip() if value else ""
        rows.append((pid[r["patient_id"].strip()], day(r["date"]),
                     int((r.get("snomedct_code") or r.get("dmd_code")).strip()),
                     f32(float(v)) if v else None))
    return rows
kinds = {"dense": 0, "packed": 0}
def dense(n, data):
    magic, p0, d0, nv = struct.unpack_from("<iiiI", data)
    assert magic == -0x44454e31 and len(data) == 16 + 6 * n + (n + 7) // 8 + 4 * nv
    c = struct.unpack_from(f"<{n}H", data, 16)
    d = struct.unpack_from(f"<{n}H", data, 16 + 2 * n)
    p = struct.unpack_from(f"<{n}H", data, 16 + 4 * n)
    bits = data[16 + 6 * n:16 + 6 * n + (n + 7) // 8]
    vals = iter(struct.unpack_from(f"<{nv}f", data, 16 + 6 * n + (n + 7) // 8))
    return [(p0 + p[i], d0 + d[i], code[c[i]],
             next(vals) if bits[i // 8] >> (i % 8) & 1 else None) for i in range(n)]
def got(kind):
    rows = []
    for n, data in db.execute("SELECT n, data FROM event_chunks WHERE kind = ? ORDER BY id", (kind,)):
        if struct.unpack_from("<i", data)[0] == -0x44454e31:
            kinds["dense"] += 1
            rows += dense(n, data)
            continue
        kinds["packed"] += 1
        for p, d, c, v in struct.iter_unpack("<iiif", data):
            rows.append((p, d, code[c], None if math.isnan(v) else v))
    return rows
for kind, path, value in ((0, "events.csv", True), (1, "meds.csv", False)):
    w, g = want(f"{t}/{path}", value), got(kind)
    diff = next((i for i in range(min(len(w), len(g))) if w[i] != g[i]), None)
    print(f"{path} {len(w)} {len(g)} {'same' if w == g else f'first difference at {diff}: {w[diff] if diff is not None else None} {g[diff] if diff is not None else None}'}")
print(f"dense chunks {kinds['dense']} packed chunks {kinds['packed']}")
PY
)
on_pg && pg_skip_next "reads SQLite's packed event records"
check_match "every event as python reads it" "$out" "events.csv 119999 119999 same"
on_pg && pg_skip_next "reads SQLite's packed event records"
check_match "every medicine as python reads it" "$out" "meds.csv 50000 50000 same"
on_pg && pg_skip_next "reads SQLite's packed event records"
check_match "... stored dense (6 bytes an event and its value) or, too wide, packed" "$out" "dense chunks [1-9][0-9]* packed chunks [1-9]"
done_testing
