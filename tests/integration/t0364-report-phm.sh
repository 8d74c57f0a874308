#!/bin/sh
# The committee report's population health section (issue 18): absent
# without patient-level records; with a synthetic PCN's records loaded,
# a section marked SYNTHETIC whose counts per PCN equal python's
# (tests/integration/phm/cohorts.py over the NDJSON, summed over the
# PCN's practices) after disclosure control (1 to 7 shown as *, others
# rounded to the nearest 5), with the as-at day.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
need_codelists
PCN=U01989
AT=2026-04-01
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/gp-reg-pat-prac-all_2026-04.csv \
    "$DATA"/gp-reg-pat-prac-map_2025-10.csv "$DATA"/qof2021_PREVALENCE_2021_v2.csv
check_eq "NHS files load" "$status" 0
run_pccs --store "$S" report committee --in $PCN --out "$T/before.html"
check_eq "report without patient records" "$status" 0
check_eq "... has no population health section" \
    "$(grep -c 'Population health' "$T/before.html")" 0

run_pccs --store "$S" synth patients --in $PCN --out "$T/syn" --seed 5 --at $AT
check_eq "synth patients" "$status" 0
run_pccs --store "$S" load --quiet "$T"/syn/*.ndjson
check_eq "NDJSON loads" "$status" 0
run_pccs --store "$S" report committee --in $PCN --out "$T/r.html"
check_eq "report with patient records" "$status" 0
check_eq "... has the section once, numbered after the local registers (9)" \
    "$(grep -c '<h2>10\. Population health: Network Contract DES cohorts' "$T/r.html")" 1
sec=$(sed -n '/<h2>[0-9]*\. Population health: Network/,/<\/section>/p' "$T/r.html")
check_match "... marked SYNTHETIC" "$sec" 'data-provenance="synthetic"><strong>SYNTHETIC'
check_match "... with the as-at day" "$sec" "as at <span[^>]*>$AT</span>"

python3 tests/integration/phm/cohorts.py "$T/syn" "$CL" data/rules $AT >"$T/py.csv"
want=$(python3 - "$T/py.csv" <<'PY'
import csv, sys
cols = ["registered", "efi_moderate", "efi_severe", "care_home",
        "smr_priority", "anticipatory_care", "ld_health_check_due",
        "dementia_review_due"]
tot = {c: 0 for c in cols}
for r in csv.DictReader(open(sys.argv[1])):
    for c in cols:
        tot[c] += int(r[c])
def sdc(n):
    if n == 0:
        return "0"
    if n < 8:
        return "*"
    return "{:,}".format(int(5 * round(n / 5.0)))
print(" ".join(sdc(tot[c]) for c in cols))
PY
)
got=$(printf '%s\n' "$sec" | python3 -c '
import re, sys
html = sys.stdin.read()
row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", html, re.S).group(1)
cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
print(cells[0] + " " + " ".join(cells[2:]))
')
check_eq "the PCN's counts equal python's after disclosure control" \
    "$got" "$PCN $want"
done_testing
