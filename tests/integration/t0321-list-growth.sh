#!/bin/sh
# pccs table list-growth (issue 15, item 3): registered and weighted
# patients per PCN of QHM between the January 2021 and April 2026
# registrations snapshots, and between the payments years 2020-21 and
# 2022-23, with the change and percent, against python over the raw
# files (registrations, practice maps, payments); the practices that
# opened and closed named against python; bad --from/--to refused.
. "$(dirname "$0")/lib.sh"

S=$T/s.db
R1=$DATA/gp-reg-pat-prac-all_2021-01.csv
R2=$DATA/gp-reg-pat-prac-all_2026-04.csv
M1=$DATA/gp-reg-pat-prac-map_2020-09.csv
M2=$DATA/gp-reg-pat-prac-map_2025-10.csv
P1=$DATA/nhs-payments-to-general-practice_2020-21.csv
P2=$DATA/nhs-payments-to-general-practice_2022-23.csv
run_pccs --store "$S" load --quiet "$R1" "$M1" "$P1" "$R2" "$M2" "$P2"
check_eq "loaded" "$status" 0

# python: each side's practices placed by the practice map of its time
# (else by their CCG / sub-ICB's ICB in either map); weighted from the
# payments year of the snapshot (2026-04: the latest loaded, 2022-23).
cat >"$T/want.py" <<'PY'
import csv, sys
mode, within, level = sys.argv[1:4]
R1, M1, P1, R2, M2, P2 = sys.argv[4:10]
def rows(p):
    return list(csv.DictReader(open(p, newline='', encoding='utf-8-sig')))
maps = [rows(M1), rows(M2)]
area = {}
for m in maps:
    for r in m:
        area[r.get('SUB_ICB_LOCATION_CODE') or r.get('CCG_CODE')] = \
            r.get('ICB_CODE') or r.get('STP_CODE')
def placed(m):
    return {r['PRACTICE_CODE']: (r['PCN_CODE'], r.get('ICB_CODE') or r.get('STP_CODE'))
            for r in m}
def pay(p):
    return {r['Practice Code']: r for r in rows(p)}
pays = [pay(P1), pay(P2)]
sides = []
for k, (reg, m) in enumerate(((R1, maps[0]), (R2, maps[1]))):
    pl, side = placed(m), {}
    if mode == 'date':
        for r in rows(reg):
            p = r['CODE']
            area_icb = area.get(r.get('SUB_ICB_LOCATION_CODE') or r.get('CCG_CODE'))
            pcn, icb = pl.get(p, ('', area_icb))
            w = pays[k].get(p)
            side[p] = (pcn, icb, int(r['NUMBER_OF_PATIENTS']),
                       float(w['Number of Weighted Patients (Last Known Figure)']) if w else 0.0)
    else:
        old, new = placed(maps[0]), placed(maps[1])
        for p, r in pays[k].items():
            icb = old.get(p, new.get(p, ('', area.get(r['CCG Code']))))[1]
            pcn = r.get('PCN Code') or r.get('Code')
            side[p] = (pcn, icb,
                       float(r['Number of Registered Patients (Last Known Figure)']),
                       float(r['Number of Weighted Patients (Last Known Figure)']))
    sides.append(side)
if level == 'names':
    a, b = sides
    print('closed', ' '.join(sorted(p for p in a if p not in b and a[p][1] == within)))
    print('opened', ' '.join(sorted(p for p in b if p not in a and b[p][1] == within)))
    sys.exit()
agg = []
for side in sides:
    g = {}
    for p, (pcn, icb, n, w) in side.items():
        if icb != within or pcn in ('', 'U', 'Unknown or no PCN'):
            continue
        s = g.setdefault(pcn, [0, 0.0, 0.0])
        s[0] += 1; s[1] += n; s[2] += w
    agg.append(g)
f = lambda x: f'{x:.2f}'
for code in sorted(set(agg[0]) | set(agg[1])):
    a, b = agg[0].get(code), agg[1].get(code)
    out = [code, str(a[0] if a else 0), str(b[0] if b else 0),
           f(a[1]) if a else '', f(b[1]) if b else '']
    out += [f(b[1] - a[1]), f'{(b[1] - a[1]) / a[1] * 100:.4f}'] if a and b else ['', '']
    out += [f(a[2]) if a else '', f(b[2]) if b else '']
    out += [f'{(b[2] - a[2]) / a[2] * 100:.4f}'] if a and b else ['']
    print(','.join(out))
PY
got() {
    printf '%s\n' "$out" | python3 -c 'import csv, sys
f = lambda x, d: "" if x == "" else ("%." + str(d) + "f") % float(x)
for x in csv.DictReader(sys.stdin):
    print(",".join([x["code"], x["practices_from"], x["practices_to"],
        f(x["registered_from"], 2), f(x["registered_to"], 2),
        f(x["registered_change"], 2), f(x["registered_change_pct"], 4),
        f(x["weighted_from"], 2), f(x["weighted_to"], 2),
        f(x["weighted_change_pct"], 4)]))'
}
names() {
    printf '%s\n' "$out" | python3 -c 'import csv, sys
c, o = [], []
for x in csv.DictReader(sys.stdin):
    c += [s.split(" ")[0] for s in x["closed"].split("; ") if s]
    o += [s.split(" ")[0] for s in x["opened"].split("; ") if s]
print("closed", " ".join(sorted(c)))
print("opened", " ".join(sorted(o)))'
}

run_pccs --store "$S" table list-growth --level pcn --in QHM \
    --from 2021-01-01 --to 2026-04-01 --format csv
check_eq "snapshots: exit 0" "$status" 0
want=$(python3 "$T/want.py" date QHM pcn "$R1" "$M1" "$P1" "$R2" "$M2" "$P2")
check_eq "QHM's PCNs 2021-01-01 to 2026-04-01: practices, registered, change, %, weighted, %" \
    "$(got)" "$want"
check_eq "... 68 PCNs on either side" "$(printf '%s\n' "$want" | wc -l | tr -d ' ')" 68
check_eq "closed and opened practices named, as python finds them" "$(names)" \
    "$(python3 "$T/want.py" date QHM names "$R1" "$M1" "$P1" "$R2" "$M2" "$P2")"
check_match "... A87023 named in WHITLEY BAY PCN as closed" \
    "$(printf '%s\n' "$out" | grep '^U02739,')" "A87023 BRIDGE MEDICAL"
check_match "... and as merged into the practice at its postcode" \
    "$(printf '%s\n' "$out" | grep '^U02739,')" \
    "A87023 into A87022 NORTHUMBERLAND PARK MEDICAL GROUP \(same postcode NE27 0HJ\)"
check_match "a PCN gone by 2026: no change, not -100%" \
    "$(printf '%s\n' "$out" | grep '^U78610,')" "^U78610,.*,3,0,51253,,,,"

run_pccs --store "$S" table list-growth --level pcn --in QHM \
    --from 2020-21 --to 2022-23 --format csv
check_eq "financial years: exit 0" "$status" 0
check_eq "QHM's PCNs 2020-21 to 2022-23 from the payments files" "$(got)" \
    "$(python3 "$T/want.py" fy QHM pcn "$R1" "$M1" "$P1" "$R2" "$M2" "$P2")"

run_pccs --store "$S" table list-growth --level icb --format csv
check_eq "default: the earliest and the latest snapshot" \
    "$(printf '%s\n' "$out" | sed -n 2p | cut -d, -f4,5)" "2021-01-01,2026-04-01"
out=$(printf '%s\n' "$out" | awk -F, 'NR == 1 || $1 == "QUE"')
check_eq "opened practices named in their ICB (QUE)" "$(names | sed -n 2p)" \
    "$(python3 "$T/want.py" date QUE names "$R1" "$M1" "$P1" "$R2" "$M2" "$P2" | sed -n 2p)"
check_eq "... four of them" "$(names | sed -n 2p | wc -w | tr -d ' ')" 5

# The April 2026 list names a sub-ICB no loaded map places in an ICB
# (U2G6B): the England total counts it, the ICB rows do not, and both say so.
u2g6b=$(python3 -c 'import csv, sys
rs = [r for r in csv.DictReader(open(sys.argv[1])) if r["SUB_ICB_LOCATION_CODE"] == "U2G6B"]
print(len(rs), sum(int(r["NUMBER_OF_PATIENTS"]) for r in rs))' "$R2")
check_eq "python: U2G6B has 41 practices, 499,848 patients" "$u2g6b" "41 499848"
run_pccs --store "$S" table populations --level england
check_match "England's total names the sub-ICB in no ICB, with its patients" "$out" \
    "sub-ICB U2G6B \(${u2g6b% *} practices, ${u2g6b#* } registered\) is in no ICB as at 2026-04-01 \(no loaded map places it\): counted here, but in no ICB row"
run_pccs --store "$S" table populations --level icb --format csv
check_eq "... the ICB rows sum to England less U2G6B" \
    "$(printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 { s += $5 } END { print s }')" \
    $((63673685 - ${u2g6b#* }))

run_pccs --store "$S" table list-growth --from banana
check_eq "--from banana: exit 2" "$status" 2
check_match "... naming the forms" "$errout" "--from must be a snapshot date YYYY-MM-DD"
run_pccs --store "$S" table populations --from 2021-01-01
check_eq "--from on another table: exit 2" "$status" 2
run_pccs --store "$S" table list-growth --from 2019-01-01
check_eq "--from before every snapshot: exit 1" "$status" 1
check_match "... saying so" "$errout" "no registrations snapshot on or before"

done_testing
