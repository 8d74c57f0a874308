#!/bin/sh
# One register version per (register, organisation that loaded it): 16C's
# and 00L's budgets (a register naming no organisation) and programmes (one
# naming organisations) coexist in one store; each organisation's reload
# replaces its own rows only (and the budget's movement is against its own
# previous load); the tables and the API read each organisation's own.
# Figures checked against python's sums of the files loaded.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
MAP=$DATA/gp-reg-pat-prac-map_2025-10.csv
run_pccs --store "$S" load --quiet "$MAP"
check_eq "load the map" "$status" 0
PCN00L=$(/usr/bin/python3 -c 'import csv,sys
print(sorted(r["PCN_CODE"] for r in csv.DictReader(open(sys.argv[1])) if r["SUB_ICB_LOCATION_CODE"] == "00L" and r["PCN_CODE"] != "U")[0])' "$MAP")

# Budgets and programmes, two of each organisation's loads.
/usr/bin/python3 - "$T" "$PCN00L" <<'PY'
import csv, sys
t, pcn = sys.argv[1:3]
def budget(path, scale, lines):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["line", "month", "plan", "actual", "forecast"])
        for i, line in enumerate(lines):
            for m in ("2022-04-01", "2022-05-01"):
                w.writerow([line, m, 1000 * scale * (i + 1), 900 * scale * (i + 1), 1100 * scale * (i + 1)])
def programmes(path, org, n):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["workstream", "project", "owner", "org_code", "start_date", "due_date", "status", "rag"])
        for i in range(n):
            w.writerow(["Access", f"{org} project {i}", "Lead", org, "2021-04-01", "2022-12-31", "in progress", "green"])
budget(f"{t}/b16C-1.csv", 1, ["GMS global sum", "Enhanced services"])
budget(f"{t}/b00L-1.csv", 3, ["GMS global sum", "Premises", "Locums"])
budget(f"{t}/b16C-2.csv", 2, ["GMS global sum", "Enhanced services"])
programmes(f"{t}/p16C-1.csv", "U89141", 9)
programmes(f"{t}/p00L-1.csv", pcn, 12)
programmes(f"{t}/p00L-2.csv", pcn, 4)
PY
sums() { # FILE: "plan actual forecast" summed over every row
    /usr/bin/python3 -c 'import csv,sys
r = list(csv.DictReader(open(sys.argv[1])))
print(" ".join("%.2f" % sum(float(x[c]) for x in r) for c in ("plan", "actual", "forecast")))' "$1"
}
total() { # the budget table's Total row: "plan actual forecast"
    "$PCCS" --store "$S" table budget "$@" --format json | /usr/bin/python3 -c 'import json,sys
r = [x for x in json.load(sys.stdin)["rows"] if x["line"] == "Total"][0]
print(" ".join("%.2f" % r[c] for c in ("plan", "actual", "forecast")), r["movement_since_last"])'
}
progs() { # programme-status's Total in progress
    "$PCCS" --store "$S" table programme-status --at 2022-06-01 "$@" --format json | /usr/bin/python3 -c 'import json,sys
print([x for x in json.load(sys.stdin)["rows"] if x["workstream"] == "Total"][0]["in_progress"])'
}

run_pccs --store "$S" load --quiet --org 16C "$T/b16C-1.csv" "$T/p16C-1.csv"
check_eq "16C's budget and programmes" "$status" 0
run_pccs --store "$S" load --quiet --org 00L "$T/b00L-1.csv" "$T/p00L-1.csv"
check_eq "00L's budget and programmes" "$status" 0
check_eq "budget --in 16C: 16C's load, after 00L's (no movement yet)" "$(total --in 16C)" "$(sums "$T/b16C-1.csv") None"
check_eq "budget --in 00L: 00L's" "$(total --in 00L)" "$(sums "$T/b00L-1.csv") None"
check_eq "programme-status --in 16C: 16C's 9 items, 00L's load after it" "$(progs --in 16C)" 9
check_eq "programme-status --in 00L: 00L's 12" "$(progs --in 00L)" 12
check_eq "programme-status of England: both (21)" "$(progs)" 21

# Each reloads: its own rows replaced, the other's kept.
run_pccs --store "$S" load --quiet --org 16C "$T/b16C-2.csv"
run_pccs --store "$S" load --quiet --org 00L "$T/p00L-2.csv"
f1=$(sums "$T/b16C-1.csv" | cut -d' ' -f3)
f2=$(sums "$T/b16C-2.csv" | cut -d' ' -f3)
mv=$(/usr/bin/python3 -c "print('%.1f' % ($f2 - $f1))")
got=$(total --in 16C)
check_eq "16C reloads its budget: the new sums, movement against its own last load" \
    "$(printf '%s' "$got" | cut -d' ' -f1-3) $(/usr/bin/python3 -c "print('%.1f' % float('$(printf '%s' "$got" | cut -d' ' -f4)'))")" \
    "$(sums "$T/b16C-2.csv") $mv"
check_eq "... 00L's budget untouched" "$(total --in 00L)" "$(sums "$T/b00L-1.csv") None"
check_eq "00L reloads its programmes: 4 now" "$(progs --in 00L)" 4
check_eq "... 16C's 9 untouched" "$(progs --in 16C)" 9
check_eq "sources: two budget loads of 16C, one of 00L" \
    "$(sql "$S" "select owner || '=' || count(*) from sources where kind = 'register_budget' group by owner order by owner" | tr '\n' ' ')" \
    "00L=1 16C=2 "

# Over the API each commissioner reads and changes their own.
pw='a long enough passphrase'
for u in "cara commissioner 16C" "olly commissioner 00L"; do
    set -- $u
    printf '%s\n' "$pw" | "$PCCS" --store "$S" user add "$1" --role "$2" --scope "$3" 2>/dev/null
done
"$PCCS" --store "$S" serve --listen 127.0.0.1:0 >"$T/out" 2>"$T/log" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q listening "$T/out"; do sleep 0.1; i=$((i + 1)); done
URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$T/out")
C="/usr/bin/python3 $ROOT/tests/integration/client.py $URL"
for u in cara olly; do $C --login $u "$pw" --jar "$T/$u" >/dev/null 2>&1; done
lines() { /usr/bin/python3 -c 'import json,sys
print(" ".join(sorted({r["values"]["line"] for r in json.load(sys.stdin)["rows"]})))'; }
check_eq "cara reads 16C's budget rows" "$($C /api/registers/budget --jar "$T/cara" 2>/dev/null | lines)" "Enhanced services GMS global sum"
check_eq "olly reads 00L's" "$($C /api/registers/budget --jar "$T/olly" 2>/dev/null | lines)" "GMS global sum Locums Premises"
key=$($C /api/registers/budget --jar "$T/olly" 2>/dev/null | /usr/bin/python3 -c 'import json,sys
print([r["key"] for r in json.load(sys.stdin)["rows"] if r["values"]["line"] == "Locums" and r["values"]["month"] == "2022-04-01"][0])')
$C "/api/registers/budget/$key" --method PUT --jar "$T/olly" --csrf jar --json '{"values": {"plan": 1}}' >/dev/null 2>"$T/code"
check_eq "olly changes a row of 00L's budget: 200" "$(tail -1 "$T/code")" 200
ckey=$($C /api/registers/budget --jar "$T/cara" 2>/dev/null | /usr/bin/python3 -c 'import json,sys
print(json.load(sys.stdin)["rows"][0]["key"])')
$C "/api/registers/budget/$ckey" --method PUT --jar "$T/olly" --csrf jar --json '{"values": {"plan": 1}}' >/dev/null 2>"$T/code"
check_match "olly cannot change a row of 16C's: refused" "$(tail -1 "$T/code")" "^40[34]$"
kill -TERM $pid
wait $pid
want=$(/usr/bin/python3 -c 'import csv,sys
r = list(csv.DictReader(open(sys.argv[1])))
print("%.2f" % sum(1 if (x["line"] == "Locums" and x["month"] == "2022-04-01") else float(x["plan"]) for x in r))' "$T/b00L-1.csv")
check_eq "00L's plan after olly's change (one row's plan 1)" "$(total --in 00L | cut -d' ' -f1)" "$want"
check_eq "16C's budget untouched by it" "$(total --in 16C | cut -d' ' -f1-3)" "$(sums "$T/b16C-2.csv")"
done_testing
