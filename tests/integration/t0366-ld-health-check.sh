#!/bin/sh
# Learning disability health check due (issue 18): with a health check
# code list in the user's code lists (here a test fixture: one made-up
# concept id, not a real SNOMED CT code; pccs ships no such list, see
# docs/DATA.md), pccs synth patients writes health checks for its
# learning disability patients aged 14 and over, some in the last 12
# months and some earlier; ld_health_check_due per practice then equals
# python's count (tests/integration/phm/cohorts.py: on the
# learning-disability list, aged 14 and over, no check in the 12 months
# to the day), is below the number of such patients (the recent checks
# count) and above nought (the old ones do not). Without the list every
# such patient is due, and the table says the list is missing.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
SHARED=${PCCS_CODELISTS:-/work/shared/data/codelists}
[ -d "$SHARED/efi" ] || skip_all "no code lists at $SHARED (set PCCS_CODELISTS)"
CL=$T/cl
mkdir -p "$CL"
for d in "$SHARED"/*/; do ln -s "$d" "$CL/$(basename "$d")"; done
printf '999000000000000007\tLearning disability health check (made-up id: test fixture)\n' \
    >"$CL/ld-health-check.snomed.txt"
export PCCS_CODELISTS="$CL"
PCN=U01989
AT=2026-04-01
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/gp-reg-pat-prac-all_2026-04.csv \
    "$DATA"/gp-reg-pat-prac-map_2025-10.csv "$DATA"/qof2021_PREVALENCE_2021_v2.csv
check_eq "NHS files load" "$status" 0
cp "$S" "$T/nolist.db"

# The learning disability patients aged 14 and over, from the NDJSON.
cat >"$T/eligible.py" <<'PY'
import datetime, json, os, sys
syn, cl, at = sys.argv[1], sys.argv[2], datetime.date.fromisoformat(sys.argv[3])
ld = set()
for root, _, files in os.walk(cl, followlinks=True):
    for f in files:
        if f == "learning-disability.snomed.txt":
            ld |= {int(l.split("\t")[0]) for l in open(os.path.join(root, f)) if l.strip()}
born = {}
for l in open(os.path.join(syn, "Patient.ndjson")):
    r = json.loads(l)
    born[r["id"]] = datetime.date.fromisoformat(r["birthDate"])
who = set()
for l in open(os.path.join(syn, "Condition.ndjson")):
    r = json.loads(l)
    if int(r["code"]["coding"][0]["code"]) in ld:
        who.add(r["subject"]["reference"].split("/")[1])
def age(b):
    return at.year - b.year - ((at.month, at.day) < (b.month, b.day))
print(sum(1 for p in who if age(born[p]) >= 14))
PY
sumcol() {
    python3 -c "import csv,sys; print(sum(int(r[sys.argv[2]]) for r in csv.DictReader(open(sys.argv[1]))))" "$1" "$2"
}
col() {
    python3 -c "import csv,sys; print(' '.join(r['code'] + '=' + r[sys.argv[2]] for r in csv.DictReader(open(sys.argv[1]))))" "$1" "$2"
}

run_pccs --store "$S" synth patients --in $PCN --out "$T/syn" --seed 7 --at $AT
check_eq "synth patients" "$status" 0
check_match "... writes health checks" \
    "$(grep -c '"code":"999000000000000007"' "$T/syn/Condition.ndjson")" "^[1-9]"
run_pccs --store "$S" load --quiet "$T"/syn/*.ndjson
check_eq "NDJSON loads" "$status" 0
"$PCCS" --store "$S" table cohorts --at $AT --format csv >"$T/n.csv"
python3 tests/integration/phm/cohorts.py "$T/syn" "$CL" data/rules $AT >"$T/py.csv"
check_eq "ld_health_check_due per practice equals python's" \
    "$(col "$T/n.csv" ld_health_check_due)" "$(col "$T/py.csv" ld_health_check_due)"
eligible=$(python3 "$T/eligible.py" "$T/syn" "$SHARED" $AT)
due=$(sumcol "$T/n.csv" ld_health_check_due)
check_eq "... some due, fewer than the $eligible eligible" \
    "$([ "$due" -gt 0 ] && [ "$due" -lt "$eligible" ] && echo yes)" yes

# Without the list: every such patient is due, and a note says why.
rm "$CL/ld-health-check.snomed.txt"
run_pccs --store "$T/nolist.db" synth patients --in $PCN --out "$T/syn2" --seed 7 --at $AT
check_eq "without the list: no health checks written" \
    "$(grep -c '"code":"999000000000000007"' "$T/syn2/Condition.ndjson")" 0
run_pccs --store "$T/nolist.db" load --quiet "$T"/syn2/*.ndjson
check_eq "... loads" "$status" 0
"$PCCS" --store "$T/nolist.db" table cohorts --at $AT --format csv >"$T/m.csv"
check_eq "... every eligible patient is due" \
    "$(sumcol "$T/m.csv" ld_health_check_due)" \
    "$(python3 "$T/eligible.py" "$T/syn2" "$SHARED" $AT)"
check_match "... and the table says the list is missing" \
    "$("$PCCS" --store "$T/nolist.db" table cohorts --at $AT 2>&1)" \
    "code list ld-health-check not found"
done_testing
