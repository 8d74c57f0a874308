#!/bin/sh
# Population health (issue 18): pccs synth patients writes a synthetic
# PCN's patient-level records in both layouts for its real practices
# (lists adding up to the published registrations); loaded from FHIR
# NDJSON and from the ehrQL-like CSV files they give identical cohort
# tables, and every count (registered, eFI categories of the 65 and over,
# each cohort of data/rules/cohorts.csv) equals python computing it from
# the NDJSON files and the code lists alone (tests/integration/phm/
# cohorts.py). The code lists are the shared copies.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
need_codelists
PCN=U01989
AT=2026-04-01
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/gp-reg-pat-prac-all_2026-04.csv \
    "$DATA"/gp-reg-pat-prac-map_2025-10.csv "$DATA"/qof2021_PREVALENCE_2021_v2.csv
check_eq "NHS files load" "$status" 0
cp "$S" "$T/n.db"
cp "$S" "$T/c.db"
run_pccs --store "$S" synth patients --in $PCN --out "$T/syn" --seed 5 --at $AT
check_eq "synth patients" "$status" 0
check_match "... says what it wrote" "$errout" "practices of $PCN, [0-9]+ patients"

# Lists add up to the practices' published registrations.
want=$(python3 - "$DATA/gp-reg-pat-prac-all_2026-04.csv" "$DATA/gp-reg-pat-prac-map_2025-10.csv" $PCN <<'PY'
import csv, sys
pracs = {r["PRACTICE_CODE"] for r in csv.DictReader(open(sys.argv[2])) if r["PCN_CODE"] == sys.argv[3]}
print(sum(int(r["NUMBER_OF_PATIENTS"]) for r in csv.DictReader(open(sys.argv[1])) if r["CODE"] in pracs))
PY
)
check_eq "... patients add up to the PCN's registered lists" \
    "$(tail -n +2 "$T/syn/patients.csv" | wc -l | tr -d ' ')" "$want"
check_eq "... one Patient resource each" \
    "$(wc -l <"$T/syn/Patient.ndjson" | tr -d ' ')" "$want"

run_pccs --store "$T/n.db" load --quiet "$T"/syn/*.ndjson
check_eq "NDJSON loads" "$status" 0
run_pccs --store "$T/c.db" load --quiet "$T"/syn/*.csv
check_eq "CSV loads" "$status" 0
check_eq "... marked synthetic" \
    "$(sql "$T/c.db" "select count(*) from sources where kind like 'phm_%' and provenance = 'synthetic'")" 4
check_eq "... in tables of their own" \
    "$(sql "$T/c.db" "select count(*) from patients")" "$want"

"$PCCS" --store "$T/n.db" table cohorts --at $AT --format csv >"$T/n.csv"
"$PCCS" --store "$T/c.db" table cohorts --at $AT --format csv >"$T/c.csv"
check_eq "NDJSON and CSV give identical cohort tables" \
    "$(cmp "$T/n.csv" "$T/c.csv" && echo same)" same

python3 tests/integration/phm/cohorts.py "$T/syn" "$CL" data/rules $AT >"$T/py.csv"
check_eq "python ran" "$?" 0
# pccs's columns in python's order, the practice code first.
got=$(python3 - "$T/n.csv" "$T/py.csv" <<'PY'
import csv, sys
want = list(csv.reader(open(sys.argv[2])))
cols = want[0]
rows = list(csv.DictReader(open(sys.argv[1])))
print("\n".join(",".join(r[c] for c in cols) for r in rows))
PY
)
check_eq "every count per practice equals python's" "$got" \
    "$(tail -n +2 "$T/py.csv")"
check_match "... cohorts counted" "$(cut -d, -f2- "$T/py.csv" | tail -n +2 | tr ',' '\n' | sort -n | tail -1)" "^[1-9]"
for c in efi_fit efi_mild efi_moderate efi_severe care_home smr_priority anticipatory_care dementia_review_due; do
    check_match "... $c is not zero everywhere" \
        "$(python3 -c "import csv,sys; print(sum(int(r['$c']) for r in csv.DictReader(open('$T/py.csv'))))")" "^[1-9]"
done

# Roll-up: the PCN row is the sum of its practices.
"$PCCS" --store "$T/c.db" table cohorts --at $AT --level pcn --format csv >"$T/pcn.csv"
check_eq "PCN row sums its practices" \
    "$(python3 -c "import csv; print(sum(int(r['smr_priority']) for r in csv.DictReader(open('$T/py.csv'))))")" \
    "$(python3 -c "import csv; print([r['smr_priority'] for r in csv.DictReader(open('$T/pcn.csv')) if r['code']=='$PCN'][0])")"

# Deterministic: the same seed gives the same files.
run_pccs --store "$S" synth patients --in $PCN --out "$T/syn2" --seed 5 --at $AT
check_eq "same seed, same files" \
    "$(cd "$T/syn" && cat * | cksum)" "$(cd "$T/syn2" && cat * | cksum)"
done_testing
