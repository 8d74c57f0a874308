#!/bin/sh
# Capacity per 1,000 with two registrations snapshots (January 2021 and
# April 2026; issue 15, item 5): each month's list is the month's own
# snapshot, else the nearest earlier one, named in list_at and in the
# notes; 12-month list growth is left out when the two months' lists are
# five years apart. Checked against python over the raw registration files
# and the (synthetic) appointments file.
. "$(dirname "$0")/lib.sh"

S=$T/s.db
R1=$DATA/gp-reg-pat-prac-all_2021-01.csv
R2=$DATA/gp-reg-pat-prac-all_2026-04.csv
run_pccs --store "$S" load --quiet "$R1" "$R2" \
    "$DATA/gp-reg-pat-prac-map_2020-09.csv" \
    "$DATA/gp-reg-pat-prac-map_2025-10.csv"
run_pccs --store "$S" synth appointments --in 16C --months 14 --seed 3 \
    --start 2025-09-01 --out "$T/a.csv"
check_eq "synth: exit 0" "$status" 0
run_pccs --store "$S" load --quiet "$T/a.csv"
check_eq "appointments loaded" "$status" 0

python3 - "$T/a.csv" "$R1" "$R2" >"$T/want" <<'PY'
import csv, datetime, sys
snaps = {}
for path, key in ((sys.argv[2], 'CCG_CODE'), (sys.argv[3], 'SUB_ICB_LOCATION_CODE')):
    rows = list(csv.DictReader(open(path, newline='')))
    d = rows[0]['EXTRACT_DATE']
    d = (datetime.date.fromisoformat(d) if '-' in d
         else datetime.datetime.strptime(d, '%d%b%Y').date())
    snaps[d] = {r['CODE']: int(r['NUMBER_OF_PATIENTS']) for r in rows}
tot, pracs = {}, {}
for r in csv.DictReader(open(sys.argv[1], newline='')):
    m = datetime.datetime.strptime(r['APPOINTMENT_MONTH_START_DATE'], '%d%b%Y').date()
    tot[m] = tot.get(m, 0) + int(r['COUNT_OF_APPOINTMENTS'])
    pracs.setdefault(m, set()).add(r['GP_CODE'])
def snap_of(m):
    earlier = [d for d in snaps if d <= m]
    return max(earlier) if earlier else min(snaps)
for m in sorted(tot):
    s = snap_of(m)
    rg = sum(snaps[s].get(p, 0) for p in pracs[m])
    prev = m.replace(year=m.year - 1)
    lg = ''
    if prev in tot:
        sp = snap_of(prev)
        if sp != s and 330 <= (s - sp).days <= 400:
            rp = sum(snaps[sp].get(p, 0) for p in pracs[prev])
            lg = f'{(rg / rp - 1) * 100:.4f}'
    print(f'{m},{s},{len(pracs[m])},{rg},{tot[m]},{tot[m] / rg * 1000:.4f},{lg}')
PY
run_pccs --store "$S" table capacity --level sub_icb --in 16C --format csv
check_eq "capacity: exit 0" "$status" 0
printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 {
    g = $14 == "" ? "" : sprintf("%.4f", $14)
    printf "%s,%s,%d,%d,%d,%.4f,%s\n", $4, $15, $5, $6, $7, $8, g }' >"$T/got"
check_eq "16C by month: list_at, practices, registered, appointments, per 1,000, list growth" \
    "$(cat "$T/got")" "$(cat "$T/want")"
check_eq "months before April 2026 use January 2021, from April 2026 its own" \
    "$(cut -d, -f2 "$T/got" | uniq -c | awk '{ print $1 "x" $2 }' | tr '\n' ' ')" \
    "7x2021-01-01 7x2026-04-01 "
check_eq "the lists differ: not one list for every month" \
    "$(cut -d, -f4 "$T/got" | sort -u | wc -l | tr -d ' ')" 2
check_eq "no 12-month list growth across snapshots five years apart" \
    "$(cut -d, -f7 "$T/got" | sort -u | tr '\n' ' ')" " "

run_pccs --store "$S" table capacity --level sub_icb --in 16C --format json
check_match "the note names the nearest earlier snapshot" "$out" \
    "registered, 2025-09-01 to 2026-03-01: the list at 2021-01-01, the nearest earlier snapshot"
check_match "the note names the month's own snapshot" "$out" \
    "registered, 2026-04-01 to 2026-10-01: the list at 2026-04-01, the first month's own snapshot"

# A month before the first snapshot uses the earliest, and says it is later.
S2=$T/s2.db
run_pccs --store "$S2" load --quiet "$R2" "$DATA/gp-reg-pat-prac-map_2025-10.csv"
run_pccs --store "$S2" synth appointments --in 16C --months 3 --seed 3 \
    --start 2026-02-01 --out "$T/b.csv"
run_pccs --store "$S2" load --quiet "$T/b.csv"
run_pccs --store "$S2" table capacity --level sub_icb --in 16C --format json
check_match "before any snapshot: the earliest, said to be later" "$out" \
    "registered, 2026-02-01 to 2026-03-01: the list at 2026-04-01, the earliest snapshot loaded, later than these months"
check_match "... and April its own" "$out" \
    "registered, 2026-04-01: the list at 2026-04-01, the month's own snapshot"

done_testing
