#!/bin/sh
# Every table, for one organisation, in text, csv and json, with --explain:
# each prints its formulas with the row's values; the values and results of
# the payments explanation against python over the raw file; --suppress
# says what it did.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
scripts/gen-reg-age --out "$T/gen" --practices 60 --only quin
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-all_2021-01.csv" \
    "$DATA/gp-reg-pat-prac-map_2020-09.csv" "$DATA/ePCN_2022.xlsx" \
    "$DATA/nhs-payments-to-general-practice_2020-21.csv" \
    "$DATA/nhs-payments-to-general-practice_2022-23.csv" \
    "$DATA/pcn-workforce-individual-level_2022-09.csv" \
    "$DATA"/qof2021_*.csv "$T/gen/gp-reg-pat-prac-quin-age.csv"
check_eq "load" "$status" 0
run_pccs --store "$S" synth appointments --in 16C --months 13 --seed 3 \
    --out "$T/a.csv"
run_pccs --store "$S" load --quiet "$T/a.csv"
check_eq "appointments load" "$status" 0
P=$(awk -F, 'NR == 2 { print $2 }' "$T/a.csv")
W=$(awk -F, 'NR == 2 { print $6 }' "$T/gen/gp-reg-pat-prac-quin-age.csv")

# table | its arguments for one organisation | a formula's left-hand side
while IFS='|' read -r name args lhs; do
    for f in text csv json; do
        # shellcheck disable=SC2086
        run_pccs --store "$S" table "$name" $args --format "$f" --explain
        check_eq "$name --format $f --explain: exit 0" "$status" 0
    done
    # shellcheck disable=SC2086
    run_pccs --store "$S" table "$name" $args --explain
    check_match "$name explains $lhs" "$out" "^explain .*: $lhs = "
done <<EOF2
populations|--level pcn --in U89141 --period 2022-23|weighted
payments|--level pcn --in U89141 --year 2022-23|total_per_weighted
entitlements|--in U89141 --year 2022-23|enhanced access minutes per week
workforce|--in U89141|fte_per_10000_weighted
qof-prevalence|--level practice --in A81001|point_value
weighting|--level practice --in $W|difference
arrs|--in U89141 --year 2023-24|share_pct
capacity|--level practice --in $P|per_1000
resilience|--in $P|list_change_12m_pct
age-bands|--level practice --in $W|male_pct
EOF2

# The payments explanation against python over the raw file.
want=$(python3 - "$DATA/nhs-payments-to-general-practice_2022-23.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
h = rows[0]
tot = h.index('Total NHS Payments to General Practice')
t = sum(float(r[tot]) for r in rows[1:] if r[4].strip() == 'U89141')
w = sum(float(r[18]) for r in rows[1:] if r[4].strip() == 'U89141')
print(f"{t:.2f} {w:.2f} {t / w:.4f}")
PY
)
run_pccs --store "$S" table payments --level pcn --in U89141 --year 2022-23 --explain
got=$(printf '%s\n' "$out" | sed -n 's/^explain U89141 2022-23: total_per_weighted = total (\([0-9.]*\)) \/ weighted (\([0-9.]*\)) = \([0-9.]*\)$/\1 \2 \3/p' |
    awk '{ printf "%.2f %.2f %.4f", $1, $2, $3 }')
check_eq "total_per_weighted explained with python's inputs and result" "$got" "$want"

run_pccs --store "$S" table payments --level pcn --in U89141 --year 2022-23 --suppress
check_match "--suppress: published figures left as published" "$out" \
    "disclosure control: no column of this table is a count of individuals"
# Rates, rules and weights are found from any working directory (beside
# the binary), so the same table comes out of /.
run_pccs --store "$S" table entitlements --in U89141 --year 2022-23 --format csv
here=$out
got=$(cd / && "$PCCS" --store "$S" table entitlements --in U89141 --year 2022-23 --format csv)
check_eq "entitlements from / = from the repository" "$got" "$here"
got=$(cd / && "$PCCS" --store "$S" table payments --level pcn --in U89141 --year 2022-23 --suppress)
check_match "rules found from /" "$got" "disclosure control"

run_pccs --store "$S" table workforce --level pcn --in U89141 --explain
check_match "--in a parent at a lower level: explain says so" "$out" "^explain U89141 "

done_testing
