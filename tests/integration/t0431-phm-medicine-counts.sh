#!/bin/sh
# Population health (issue 18): the cohort pass counts a patient's
# distinct medicines in a window from 8-byte issue keys on a second
# thread. Issues in any order, a medicine issued many times (over 32
# issues a patient), on the window's first excluded day and its first
# included one, after the day counted, only in the wider window: the
# meds_10 cohort (10 or more distinct medicines in 6 months,
# data/rules/cohorts.csv) equals python counting the file, on three days
# (one a month's end, its window starting on the 31st of a shorter
# month's clamp).
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
need_codelists
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/gp-reg-pat-prac-all_2026-04.csv
check_eq "NHS file loads" "$status" 0

python3 - "$T" <<'PY'
import random, sys
t = sys.argv[1]
rnd = random.Random(431)
pats = {}
C = [str(3000000 + 17 * k) for k in range(12)]
pats["m1"] = [(C[k], "2026-03-01") for k in range(10)]
pats["m2"] = [(C[k], "2026-03-01") for k in range(9)] + [(C[9], "2025-10-01")]
pats["m3"] = [(C[k], "2026-03-01") for k in range(9)] + [(C[9], "2025-10-02")]
pats["m4"] = [(C[k], f"2026-0{1 + j % 3}-1{j}") for k in range(9) for j in range(5)]
pats["m5"] = ([(C[k], f"2025-1{j % 3}-2{j}") for k in range(10) for j in range(4)]
              + [(C[0], "2026-04-02")])
pats["m6"] = [(C[k], "2026-01-15") for k in range(9)] + [(C[9], "2026-04-05")] * 3
pats["m7"] = ([(C[k], "2026-04-01") for k in range(9)]
              + [(C[9], "2025-08-01"), (C[10], "2024-01-01")])
pats["m8"] = [(C[k], "2025-12-31") for k in range(12)] * 3
for i in range(40):
    pats[f"r{i:02d}"] = [(rnd.choice(C), f"2025-{rnd.randint(4, 12):02d}-{rnd.randint(1, 28):02d}")
                         for _ in range(rnd.randint(0, 60))]
names = sorted(pats)
rows = [(n, c, d) for n in names for c, d in pats[n]]
rnd.shuffle(rows)
with open(f"{t}/patients.csv", "w") as f:
    f.write("patient_id,date_of_birth,sex\n")
    for n in names:
        f.write(f"{n},1950-05-0{1 + len(n) % 9},{'MF'[len(pats[n]) % 2]}\n")
with open(f"{t}/practice_registrations.csv", "w") as f:
    f.write("patient_id,practice_code,start_date,end_date\n")
    for n in names:
        f.write(f"{n},C85001,2010-01-01,\n")
with open(f"{t}/medications.csv", "w") as f:
    f.write("patient_id,date,dmd_code\n")
    for n, c, d in rows:
        f.write(f"{n},{d},{c}\n")
PY
run_pccs --store "$S" load --quiet "$T/patients.csv" \
    "$T/practice_registrations.csv" "$T/medications.csv"
check_eq "patients, registrations and medicines load" "$status" 0

for at in 2026-04-01 2025-12-01 2026-01-31; do
    want=$(python3 - "$T" $at <<'PY'
import calendar, csv, datetime, sys
t, at = sys.argv[1], datetime.date.fromisoformat(sys.argv[2])
k = at.year * 12 + at.month - 1 - 6
y, m = k // 12, k % 12 + 1
start = datetime.date(y, m, min(at.day, calendar.monthrange(y, m)[1]))
seen = {}
for r in csv.DictReader(open(f"{t}/medications.csv")):
    d = datetime.date.fromisoformat(r["date"])
    if start < d <= at:
        seen.setdefault(r["patient_id"], set()).add(r["dmd_code"])
print(f"48 {sum(len(s) >= 10 for s in seen.values())}")
PY
)
    run_pccs --store "$S" table cohorts --at $at --level practice --format csv
    check_eq "table cohorts at $at" "$status" 0
    got=$(printf '%s\n' "$out" | python3 -c '
import csv, sys
r = [x for x in csv.DictReader(sys.stdin) if x["code"] == "C85001"][0]
print(r["registered"], r["meds_10"])')
    check_eq "... registered and meds_10 as python counts them" "$got" "$want"
done
done_testing
