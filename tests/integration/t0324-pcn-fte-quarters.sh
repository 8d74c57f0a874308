#!/bin/sh
# PCN workforce FTE by PCN, staff group and quarter (issue 15's
# acceptance): every bundled quarterly census, each PCN's FTE and
# headcount by staff group at that census equal python over the raw file,
# alone and with the PCN map (ePCN) loaded beside it.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
cat >"$T/want.py" <<'PY'
import csv, sys
fte, people = {}, {}
for r in csv.DictReader(open(sys.argv[1], encoding='cp1252', newline='')):
    k = (r['PCN_CODE'], r['STAFF_GROUP'])
    fte[k] = fte.get(k, 0) + float(r['FTE'])
    people.setdefault(k, set())
    if r['UNIQUE_IDENTIFIER'] not in ('', 'NULL'):
        people[k].add(r['UNIQUE_IDENTIFIER'])
for k in sorted(fte):
    print(f"{k[0]},{k[1]},{fte[k]:.4f},{len(people[k])}")
PY
for with in alone epcn; do
    S=$T/$with.db
    extra=
    [ "$with" = epcn ] && extra=$DATA/ePCN_2022.xlsx
    run_pccs --store "$S" load --quiet "$DATA"/pcn-workforce-individual-level_*.csv $extra
    check_eq "load every census ($with)" "$status" 0
    n=0
    bad=
    for f in "$DATA"/pcn-workforce-individual-level_*.csv; do
        ym=${f##*_}
        ym=${ym%.csv}
        census=$(python3 -c "import calendar,sys; y,m=map(int,sys.argv[1].split('-')); print(f'{y:04d}-{m:02d}-{calendar.monthrange(y,m)[1]:02d}')" "$ym")
        want=$(python3 "$T/want.py" "$f")
        run_pccs --store "$S" table workforce --level pcn --period "$census" --format csv
        got=$(printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 {
            printf "%s,%s,%.4f,%d\n", $1, $5, $6, $7 }' | LC_ALL=C sort)
        want=$(printf '%s\n' "$want" | LC_ALL=C sort)
        if [ "$got" != "$want" ]; then
            bad="$bad $census"
            printf '%s\n' "$want" >"$T/want"
            printf '%s\n' "$got" | diff "$T/want" - | head -4 | sed "s/^/# $census: /"
        fi
        n=$((n + $(printf '%s\n' "$want" | wc -l)))
    done
    check_eq "FTE and headcount by PCN, group and census = python ($with; $n rows)" "${bad:-none}" none
done
done_testing
