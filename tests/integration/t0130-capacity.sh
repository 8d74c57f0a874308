#!/bin/sh
# Synthetic appointments (pccs synth) in the published GPAD layout, loaded
# like real files, and the capacity table against python over the generated
# file and the real January 2021 registrations: appointments per 1,000,
# attended per 1,000, DNA %, and growth over 12 months.
. "$(dirname "$0")/lib.sh"

S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-all_2021-01.csv" \
    "$DATA/gp-reg-pat-prac-map_2020-09.csv"
run_pccs --store "$S" synth appointments --in 16C --months 14 --seed 7 \
    --out "$T/a.csv"
check_eq "synth: exit 0" "$status" 0
"$PCCS" --store "$S" synth appointments --in 16C --months 14 --seed 7 \
    --out "$T/b.csv" 2>/dev/null
"$PCCS" --store "$S" synth appointments --in 16C --months 14 --seed 8 \
    --out "$T/c.csv" 2>/dev/null
check_eq "same seed, same file" "$(sha256sum <"$T/a.csv")" "$(sha256sum <"$T/b.csv")"
check_eq "another seed, another file" \
    "$(test "$(sha256sum <"$T/a.csv")" != "$(sha256sum <"$T/c.csv")" && echo differ)" differ
check_match "published header" "$(head -n 1 "$T/a.csv")" \
    "^APPOINTMENT_MONTH_START_DATE,GP_CODE,GP_NAME,SUPPLIER,PCN_CODE,.*COUNT_OF_APPOINTMENTS,APPT_STATUS"
run_pccs --store "$S" load --quiet "$T/a.csv"
check_eq "loaded as GPAD" "$(sql "$S" "select kind from sources order by id desc limit 1")" gpad

python3 - "$T/a.csv" "$DATA/gp-reg-pat-prac-all_2021-01.csv" >"$T/want" <<'PY'
import csv, datetime, sys
reg = {r['CODE']: int(r['NUMBER_OF_PATIENTS']) for r in csv.DictReader(open(sys.argv[2]))
       if r['CCG_CODE'] == '16C'}
tot, att, dna, pracs = {}, {}, {}, {}
for r in csv.DictReader(open(sys.argv[1])):
    m = datetime.datetime.strptime(r['APPOINTMENT_MONTH_START_DATE'], '%d%b%Y').date()
    n = int(r['COUNT_OF_APPOINTMENTS'])
    tot[m] = tot.get(m, 0) + n
    if r['APPT_STATUS'] == 'Attended': att[m] = att.get(m, 0) + n
    if r['APPT_STATUS'] == 'DNA': dna[m] = dna.get(m, 0) + n
    pracs.setdefault(m, set()).add(r['GP_CODE'])
for m in sorted(tot):
    rg = sum(reg[p] for p in pracs[m])
    prev = m.replace(year=m.year - 1)
    g = f"{(tot[m] / tot[prev] - 1) * 100:.4f}" if prev in tot else ''
    print(f"{m},{rg},{tot[m]},{tot[m] / rg * 1000:.4f},{att[m] / rg * 1000:.4f},"
          f"{dna[m] / tot[m] * 100:.4f},{g}")
PY
run_pccs --store "$S" table capacity --level sub_icb --in 16C --format csv
printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 {
    g = $13 == "" ? "" : sprintf("%.4f", $13)
    printf "%s,%d,%d,%.4f,%.4f,%.4f,%s\n", $4, $6, $7, $8, $9, $10, g }' >"$T/got"
check_eq "16C by month: registered, appointments, per 1,000, DNA, growth" \
    "$(cat "$T/got")" "$(cat "$T/want")"
check_match "one snapshot: no list growth, and it says why" \
    "$("$PCCS" --store "$S" table capacity --in 16C --format json)" \
    "list growth needs two snapshots"

# The monthly series feeds the SPC chart.
printf '%s\n' "$out" | tsv | awk -F'\t' 'BEGIN { print "date,value" }
    NR > 1 { print $4 "," $8 }' >"$T/series.csv"
run_pccs spc --input "$T/series.csv" --format csv
check_eq "capacity series through spc: 14 points" \
    "$(printf '%s\n' "$out" | tail -n +2 | wc -l | tr -d ' ')" 14

# The same series as a metric pccs holds: its values are python's per
# 1,000 above (4 decimals), and its limits (to 0.01, as python rounded
# the values) and point types those of --input on them.
awk -F, 'BEGIN { print "date,value" } { print $1 "," $4 }' "$T/want" >"$T/py.csv"
run_pccs spc --input "$T/py.csv" --improvement neutral --format csv
printf '%s\n' "$out" | awk -F, 'NR > 1 { printf "%s,%.4f,%.2f,%.2f,%.2f,%s\n", $1, $2, $3, $4, $5, $6 }' >"$T/spc-in"
run_pccs --store "$S" spc --metric appointments_per_1000 --org 16C --format csv
check_eq "spc --metric: exit 0" "$status" 0
printf '%s\n' "$out" | awk -F, 'NR > 1 { printf "%s,%.4f,%.2f,%.2f,%.2f,%s\n", $1, $2, $3, $4, $5, $6 }' >"$T/spc-m"
check_eq "spc --metric appointments_per_1000 --org 16C = python's series through --input" \
    "$(cat "$T/spc-m")" "$(cat "$T/spc-in")"
run_pccs --store "$S" spc --metric appointments_per_1000 --org 16C --format svg
check_match "... as an SVG chart" "$out" "<svg"
check_match "... titled with the metric and the organisation" "$out" "appointments_per_1000, 16C"
run_pccs --store "$S" spc --metric dna_pct --org 16C
check_match "the metric's sources under the chart" "$out" "appointments: Appointments in General Practice"
run_pccs --store "$S" spc --metric no_such --org 16C
check_eq "unknown metric: exit 1" "$status" 1
check_match "... lists the metrics" "$errout" "metrics: appointments_per_1000, attended_per_1000"
run_pccs --store "$S" spc --metric dna_pct
check_eq "--metric without --org: exit 2" "$status" 2

done_testing
