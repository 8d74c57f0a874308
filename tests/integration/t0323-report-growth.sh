#!/bin/sh
# The committee paper with every year loaded (issue 15, item 4): the
# capacity section sets appointment growth against list growth, each
# month's list from its own registrations snapshot or the nearest earlier,
# and shows the list between the first and the latest snapshot; the
# workforce section shows the PCN workforce at every census since March
# 2020 with the growth of direct patient care staff (the ARRS roles and
# others) and by role: figures against python over the raw files.
. "$(dirname "$0")/lib.sh"

S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/gp-reg-pat-prac-all_2021-01.csv \
    "$DATA"/gp-reg-pat-prac-all_2026-04.csv \
    "$DATA"/gp-reg-pat-prac-map_2020-09.csv "$DATA"/gp-reg-pat-prac-map_2025-10.csv \
    "$DATA"/nhs-payments-to-general-practice_2020-21.csv \
    "$DATA"/nhs-payments-to-general-practice_2022-23.csv \
    "$DATA"/pcn-workforce-individual-level_*.csv
check_eq "loaded" "$status" 0
"$PCCS" --store "$S" synth appointments --in 16C --months 14 --seed 5 \
    --start 2025-09-01 --out "$T/a.csv" 2>/dev/null
run_pccs --store "$S" load --quiet "$T/a.csv"
run_pccs --store "$S" report committee --in 16C --year 2022-23 --out "$T/r.html"
check_eq "report: exit 0" "$status" 0
text=$(python3 -c 'import html, re, sys
s = open(sys.argv[1]).read()
s = re.sub(r"<svg.*?</svg>", " ", s, flags=re.S)
print(re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", s))))' "$T/r.html")

# python: appointments of the first and the latest month, and the list of
# the practices with appointments each month from its snapshot.
want=$(python3 - "$T/a.csv" "$DATA" <<'PY'
import csv, datetime, sys
a, data = sys.argv[1:3]
snaps = {datetime.date(2021, 1, 1): f'{data}/gp-reg-pat-prac-all_2021-01.csv',
         datetime.date(2026, 4, 1): f'{data}/gp-reg-pat-prac-all_2026-04.csv'}
lists = {d: {r['CODE']: int(r['NUMBER_OF_PATIENTS']) for r in csv.DictReader(open(p))}
         for d, p in snaps.items()}
tot, pr = {}, {}
for r in csv.DictReader(open(a)):
    m = datetime.datetime.strptime(r['APPOINTMENT_MONTH_START_DATE'], '%d%b%Y').date()
    tot[m] = tot.get(m, 0) + int(r['COUNT_OF_APPOINTMENTS'])
    pr.setdefault(m, set()).add(r['GP_CODE'])
m0, m1 = min(tot), max(tot)
def reg(m):
    s = max(d for d in snaps if d <= m)
    return s, sum(lists[s].get(p, 0) for p in pr[m])
(s0, r0), (s1, r1) = reg(m0), reg(m1)
print(f'Appointments went from {tot[m0]:,}.00 in {m0} to {tot[m1]:,}.00 in {m1} '
      f'( {(tot[m1] - tot[m0]) / tot[m0] * 100:.2f}% ). The registered list of those '
      f'months, from the snapshots of {s0} and {s1} (63 months apart: not the same '
      f'span), changed by {(r1 - r0) / r0 * 100:.2f}% .')
PY
)
check_match "capacity: appointment growth against list growth, as python" "$text" \
    "$(printf '%s' "$want" | sed 's/[().%]/\\&/g')"
check_match "... the list between the first and the latest snapshot" "$text" \
    "The list between the first and the latest registrations snapshot From To .* 2021-01-01 2026-04-01"

# python: 16C's PCN workforce, direct patient care, first and latest census.
wf=$(python3 - "$DATA" <<'PY'
import calendar, csv, glob, sys
pts, nany = [], 0
for p in sorted(glob.glob(f'{sys.argv[1]}/pcn-workforce-individual-level_*.csv')):
    rs = list(csv.DictReader(open(p, encoding='cp1252')))
    dpc = [float(r['FTE'] or 0) for r in rs if r['SUB_ICB_CODE'] == '16C'
           and r['STAFF_GROUP'] == 'Other Direct Patient Care staff']
    last = calendar.monthrange(int(rs[0]['CENSUS_YEAR']), int(rs[0]['CENSUS_MONTH']))[1]
    nany += any(r['SUB_ICB_CODE'] == '16C' for r in rs)
    if dpc:  # a census with none for 16C is no point of the series
        pts.append((f"{rs[0]['CENSUS_YEAR']}-{int(rs[0]['CENSUS_MONTH']):02d}-{last}", sum(dpc)))
(d0, v0), (d1, v1) = pts[0], pts[-1]
print(f'{v0:.2f} {v1:.2f} {(v1 - v0) / v0 * 100:+.1f} {nany} {d0} {d1}')
PY
)
set -- $wf
check_match "workforce: direct patient care FTE at the first and latest census, growth, as python" \
    "$text" "PCN workforce since 2020 Direct patient care staff in PCNs .*: $1 FTE at the census of $5, $2 FTE at that of $6 \\( \\$3% "
check_eq "... every census with 16C staff in the table ($4)" \
    "$(printf '%s\n' "$text" | sed 's/.*Census All PCN staff FTE Direct patient care FTE//; s/PCN workforce FTE, direct.*//' |
        grep -o '20[0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9.]* [0-9.-]*' | wc -l | tr -d ' ')" "$4"
check_match "... by role, first census against latest" "$text" \
    "By role: $5 against $6 Role FTE first FTE latest"

done_testing
