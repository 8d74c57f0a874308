#!/bin/sh
# Populations on the real files, checked against independent computations
# made here with awk and python3 over the raw CSVs (never against pccs's
# own earlier output).
. "$(dirname "$0")/lib.sh"

S=$T/s.db
REG=$DATA/gp-reg-pat-prac-all_2021-01.csv
MAP=$DATA/gp-reg-pat-prac-map_2020-09.csv
PAY=$DATA/nhs-payments-to-general-practice_2020-21.csv
PAY23=$DATA/nhs-payments-to-general-practice_2022-23.csv
run_pccs --store "$S" load --quiet "$REG" "$MAP" "$PAY" "$PAY23"
check_eq "load registrations, map and payments" "$status" 0

# England registered in January 2021.
want=$(awk -F, 'NR > 1 && $8 == "ALL" && $9 == "ALL" { s += $10 }
    END { printf "%d", s }' "$REG")
check_eq "England registered Jan 2021 (awk) is 60,606,345" "$want" 60606345
run_pccs --store "$S" table populations --level england --format csv
got=$(printf '%s\n' "$out" | awk -F, 'NR == 2 { print $5 }')
check_eq "pccs England registered Jan 2021" "$got" "$want"
got=$(printf '%s\n' "$out" | awk -F, 'NR == 2 { print $4 }')
want=$(awk -F, 'NR > 1 && $8 == "ALL" { n++ } END { print n }' "$REG")
check_eq "pccs England practices Jan 2021" "$got" "$want"

# Region totals: each practice's CCG (registrations file) -> region (map).
python3 - "$REG" "$MAP" >"$T/region.want" <<'PY'
import csv, sys
ccg_region = {}
for r in csv.DictReader(open(sys.argv[2], newline='')):
    ccg_region[r['CCG_CODE']] = r['COMM_REGION_CODE']
tot = {}
for r in csv.DictReader(open(sys.argv[1], newline='')):
    reg = ccg_region.get(r['CCG_CODE'], '?')
    tot[reg] = tot.get(reg, 0) + int(r['NUMBER_OF_PATIENTS'])
for k in sorted(tot):
    print(f"{k},{tot[k]}")
PY
run_pccs --store "$S" table populations --level region --format csv
printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 { print $1 "," $5 }' \
    >"$T/region.got"
check_eq "registered by region Jan 2021 (python join)" \
    "$(cat "$T/region.got")" "$(cat "$T/region.want")"

# PCNs for the payments year 2020-21: every PCN's registered and weighted
# equal the sums of its member practices in the payments file, and the
# number of PCNs is the number of PCN codes in that file.
python3 - "$PAY" >"$T/pcn.want" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
h = rows[0]
pcn, reg, w = h.index('PCN Code'), 17, 18
tot = {}
import re
for r in rows[1:]:
    # Practices in no PCN say "Unknown or no PCN"; PCN codes are U + 5 digits.
    if not re.fullmatch(r'U\d{5}', r[pcn].strip()):
        continue
    t = tot.setdefault(r[pcn].strip(), [0, 0.0, 0.0])
    t[0] += 1
    t[1] += float(r[reg] or 0)
    t[2] += float(r[w] or 0)
for k in sorted(tot):
    print(f"{k},{tot[k][0]},{tot[k][1]:.2f},{tot[k][2]:.2f}")
PY
run_pccs --store "$S" table populations --level pcn --period 2020-21 \
    --format csv
printf '%s\n' "$out" | tsv |
    awk -F'\t' 'NR > 1 { printf "%s,%d,%.2f,%.2f\n", $1, $4, $5, $6 }' \
        >"$T/pcn.got"
check_eq "PCNs 2020-21: count matches the payments file" \
    "$(wc -l <"$T/pcn.got")" "$(wc -l <"$T/pcn.want")"
if cmp -s "$T/pcn.got" "$T/pcn.want"; then
    ok "PCNs 2020-21: practices, registered, weighted = sums of members"
else
    not_ok "PCNs 2020-21: practices, registered, weighted = sums of members" \
        "$(diff "$T/pcn.got" "$T/pcn.want" | head -5)"
fi

# The same within pccs: practice rows summed by their parent PCN equal the
# PCN rows (for the 2022-23 year, whose file mislabels its PCN columns).
run_pccs --store "$S" table populations --level practice --period 2022-23 \
    --format csv
printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 && $3 ~ /^U/ {
    n[$3]++; r[$3] += $5; w[$3] += $6 }
    END { for (k in n) printf "%s,%d,%.2f,%.2f\n", k, n[k], r[k], w[k] }' |
    sort >"$T/pcn23.sum"
run_pccs --store "$S" table populations --level pcn --period 2022-23 \
    --format csv
printf '%s\n' "$out" | tsv |
    awk -F'\t' 'NR > 1 { printf "%s,%d,%.2f,%.2f\n", $1, $4, $5, $6 }' |
    sort >"$T/pcn23.got"
check_eq "PCNs 2022-23 = sums of their practice rows" \
    "$(cat "$T/pcn23.got")" "$(cat "$T/pcn23.sum")"
want=$(python3 - "$PAY23" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
import re
print(len({r[4].strip() for r in rows[1:] if re.fullmatch(r'U\d{5}', r[4].strip())}))
PY
)
check_eq "PCNs 2022-23: count matches the payments file's PCN codes" \
    "$(wc -l <"$T/pcn23.got")" "$want"

# England weighted 2022-23 equals the file's column total.
want=$(python3 - "$PAY23" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
print(f"{sum(float(r[18] or 0) for r in rows[1:]):.2f}")
PY
)
run_pccs --store "$S" table populations --level england --period 2022-23 \
    --format csv
got=$(printf '%s\n' "$out" | tsv | awk -F'\t' 'NR == 2 { printf "%.2f", $6 }')
check_num "England weighted 2022-23" "$got" "$want" 0.01

# JSON carries the same numbers and names its sources.
run_pccs --store "$S" table populations --level england --format json
got=$(printf '%s' "$out" | python3 -c 'import json,sys
d = json.load(sys.stdin); print(d["rows"][0]["registered"])')
check_eq "JSON England registered" "$got" 60606345
check_match "JSON names the registrations file" "$out" \
    "Patients Registered at a GP Practice"
check_match "OGL attribution under the table" "$out" \
    "Open Government Licence v3.0"

# --in restricts rows; an unknown code is refused with exit 1.
run_pccs --store "$S" table populations --level pcn --in QHM --period 2022-23 \
    --format csv
check_eq "--in QHM: exit 0" "$status" 0
run_pccs --store "$S" table populations --in NOPE
check_eq "unknown --in: exit 1" "$status" 1
check_match "unknown --in: message" "$errout" "unknown organisation NOPE"
run_pccs --store "$S" table populations --level galaxy
check_eq "bad --level: exit 2" "$status" 2

done_testing
