#!/bin/sh
# Issue 14 findings 2, 13 and 16 for the local registers:
# - a register that names no organisation (budget, milestones) belongs to
#   the organisation that loaded it (pccs load --org): its commissioners
#   read and change it, a commissioner of another organisation and pcn
#   users neither read nor change it;
# - rows are keyed by a stable identifier: a change made without a version
#   after someone else's delete changes the row it named, not a neighbour;
# - a load and an edit wait for each other's write lock (a lock held
#   longer than the old 5 s), and two loads at once both succeed;
# - a server killed in the middle of an edit leaves no copy of the
#   register in TMPDIR or beside the store.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
MAP=$DATA/gp-reg-pat-prac-map_2025-10.csv
TPL=data/templates
run_pccs --store "$S" load --quiet "$MAP"
check_eq "load the map" "$status" 0
run_pccs --store "$S" load --quiet --org ZZZ99 "$TPL/budget.csv"
check_match "--org of an organisation the store does not have: refused" \
    "$status $errout" "^1 .*--org ZZZ99: no such organisation"
run_pccs --store "$S" load --quiet --org 16C "$TPL/budget.csv" "$TPL/milestones.csv"
check_eq "budget and milestones loaded for 16C" "$status" 0
run_pccs --store "$S" load --quiet "$TPL/risks.csv"
check_eq "sources.owner: 16C for both, none for risks" \
    "$(sql "$S" "select kind || '=' || ifnull(owner, '-') from sources where kind like 'register_%' order by id" | tr '\n' ' ')" \
    "register_budget=16C register_milestones=16C register_risks=- "

# The ICB above 16C, and the template's figures, from the files.
ICB=$(/usr/bin/python3 -c 'import csv,sys
print(next(r["ICB_CODE"] for r in csv.DictReader(open(sys.argv[1])) if r["SUB_ICB_LOCATION_CODE"] == "16C"))' "$MAP")
nbudget=$(/usr/bin/python3 -c 'import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1])))))' "$TPL/budget.csv")
plan_after=$(/usr/bin/python3 -c 'import csv,sys
rows = list(csv.DictReader(open(sys.argv[1])))
rows[0]["plan"] = "1"
print(sum(float(r["plan"]) for r in rows))' "$TPL/budget.csv")

pw='a long enough passphrase'
for u in "root admin ENG" "cara commissioner 16C" "ivan commissioner $ICB" "olly commissioner 00L" "pete pcn U89141"; do
    set -- $u
    printf '%s\n' "$pw" | "$PCCS" --store "$S" user add "$1" --role "$2" --scope "$3" 2>/dev/null
done
mkdir "$T/tmp"
start_server() {
    : >"$T/out" # truncated here: the loop below must not see the last server's line
    TMPDIR=$T/tmp "$PCCS" --store "$S" serve --listen 127.0.0.1:0 >"$T/out" 2>"$T/log" &
    pid=$!
    i=0
    while [ $i -lt 100 ] && ! grep -q listening "$T/out"; do sleep 0.1; i=$((i + 1)); done
    URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$T/out")
    C="/usr/bin/python3 $ROOT/tests/integration/client.py $URL"
    for u in root cara ivan olly pete; do $C --login $u "$pw" --jar "$T/$u" >/dev/null 2>&1; done
}
start_server
code() { tail -1 "$T/code"; }
nrows() { /usr/bin/python3 -c 'import json,sys
try: print(len(json.load(sys.stdin)["rows"]))
except Exception: print("-")'; }

# --- finding 2: the owner's commissioners, no one else
for u in cara ivan root; do
    n=$($C /api/registers/budget --jar "$T/$u" 2>"$T/code" | nrows)
    check_eq "$u reads the budget of 16C: 200, $nbudget rows" "$(code) $n" "200 $nbudget"
done
for u in olly pete; do
    $C /api/registers/budget --jar "$T/$u" >/dev/null 2>"$T/code"
    c1=$(code)
    $C /api/registers/milestones --jar "$T/$u" >/dev/null 2>"$T/code"
    c2=$(code)
    $C /api/registers/budget/00000002 --method PUT --jar "$T/$u" --csrf jar --json '{"values": {"plan": 7}}' >/dev/null 2>"$T/code"
    c3=$(code)
    $C /api/registers/milestones/00000002 --method DELETE --jar "$T/$u" --csrf jar >/dev/null 2>"$T/code"
    c4=$(code)
    $C /api/tables/budget --jar "$T/$u" >/dev/null 2>"$T/code"
    c5=$(code)
    $C "/api/tables/milestones?format=csv" --jar "$T/$u" >/dev/null 2>"$T/code"
    c6=$(code)
    n=$($C "/api/tables/register?group=budget" --jar "$T/$u" 2>/dev/null | nrows)
    check_eq "$u (not of 16C): GET budget, GET milestones, PUT, DELETE, both tables: 403; register table: no rows" \
        "$c1 $c2 $c3 $c4 $c5 $c6 ${n:-0}" "403 403 403 403 403 403 0"
done
n=$($C "/api/tables/register?group=budget" --jar "$T/cara" 2>/dev/null | nrows)
check_eq "cara: the register table of the budget has its $nbudget rows" "$n" "$nbudget"
$C /api/registers/budget/00000002 --method PUT --jar "$T/cara" --csrf jar --json '{"values": {"plan": 1}}' >/dev/null 2>"$T/code"
check_eq "cara changes 16C's budget: 200" "$(code)" 200
check_eq "... the new version is 16C's still" \
    "$(sql "$S" "select owner from sources where kind = 'register_budget' order by id desc limit 1")" 16C
total=$($C "/api/tables/budget?format=csv" --jar "$T/cara" 2>"$T/code" | awk -F, '$1 == "Total" { print $2 }')
check_num "... and the budget table (200) follows: total plan with the first row's plan 1" "$total" "$plan_after" 0.01
$C /api/registers/milestones/00000002 --method DELETE --jar "$T/ivan" --csrf jar >/dev/null 2>"$T/code"
check_eq "a commissioner of the ICB above 16C deletes a milestone: 200" "$(code)" 200

# --- finding 13: a change without a version after someone else's delete
# Rows 2 and 3 of the template are the first two risks; delete the first,
# then change the key read for the second, as someone who read before.
/usr/bin/python3 -c 'import csv,sys
r = list(csv.DictReader(open(sys.argv[1])))
print(r[0]["risk_id"], r[1]["risk_id"], r[2]["risk_id"])' "$TPL/risks.csv" >"$T/ids"
read -r first second third <"$T/ids"
keys=$($C /api/registers/risks --jar "$T/root" 2>/dev/null | /usr/bin/python3 -c 'import json,sys
d = json.load(sys.stdin)
print(" ".join(r["key"] for r in d["rows"][:2]))')
set -- $keys
$C "/api/registers/risks/$1" --method DELETE --jar "$T/root" --csrf jar >/dev/null 2>"$T/code"
check_eq "delete the first risk: 200" "$(code)" 200
$C "/api/registers/risks/$2" --method PUT --jar "$T/root" --csrf jar --json '{"values": {"title": "changed"}}' >/dev/null 2>"$T/code"
check_eq "change the second by the key read before the delete, without a version: 200" "$(code)" 200
got=$("$PCCS" --store "$S" table register --group risks --format csv | /usr/bin/python3 -c 'import csv,sys
print(" ".join(r["risk_id"] + "=" + ("changed" if r["title"] == "changed" else "-") for r in csv.DictReader(sys.stdin)))' | cut -d' ' -f1-2)
check_eq "... the second risk changed, not the third; the first is gone" "$got" "$second=changed $third=-"
$C "/api/registers/risks/$1" --method PUT --jar "$T/root" --csrf jar --json '{"values": {"title": "x"}}' >/dev/null 2>"$T/code"
check_eq "the deleted row's key names no row: 404" "$(code)" 404

# --- finding 13: wait for another writer's lock instead of failing.
# A writer holds the store's write lock for 7 s (more than the old 5 s
# timeout) while an edit and two loads start.
hold() {
    rm -f "$T/held" "$T/release"
    if on_pg; then
        # The lock held here is SQLite's (python's sqlite3 on the file).
        sleep 0 &
        holder=$!
        return
    fi
    /usr/bin/python3 - "$S" "$T/held" "$T/release" "$1" <<'PY' &
import os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=60)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
end = time.time() + float(sys.argv[4])
while time.time() < end and not os.path.exists(sys.argv[3]):
    time.sleep(0.05)
db.execute("ROLLBACK")
PY
    holder=$!
    i=0
    while [ $i -lt 600 ] && [ ! -e "$T/held" ]; do sleep 0.05; i=$((i + 1)); done
}
hold 7
$C /api/registers/risks --jar "$T/cara" --csrf jar \
    --json '{"values": {"risk_id": "R020", "title": "Lock", "owner": "Me", "org_code": "16C", "likelihood": 2, "impact": 2, "review_date": "2023-01-31"}}' \
    >/dev/null 2>"$T/code.edit" &
edit=$!
"$PCCS" --store "$S" load --quiet "$TPL/visits.csv" >/dev/null 2>"$T/l1" &
l1=$!
"$PCCS" --store "$S" load --quiet "$TPL/list_closures.csv" >/dev/null 2>"$T/l2" &
l2=$!
wait $edit
wait $l1
s1=$?
wait $l2
s2=$?
wait $holder
check_eq "an edit while a writer holds the lock 7 s: waits, 201" "$(tail -1 "$T/code.edit")" 201
check_eq "two loads at once under that lock: both succeed" "$s1 $s2" "0 0"
check_eq "... both recorded" \
    "$(sql "$S" "select count(*) from sources where kind in ('register_visits', 'register_list_closures')")" 2

# --- finding 16: a server killed in the middle of an edit. The edit
# waits for a held lock with the new version written; the server is then
# killed with SIGKILL.
versions=$(sql "$S" "select count(*) from sources where kind = 'register_risks'")
hold 120
$C /api/registers/risks --jar "$T/cara" --csrf jar \
    --json '{"values": {"risk_id": "R021", "title": "Killed", "owner": "Me", "org_code": "16C", "likelihood": 2, "impact": 2, "review_date": "2023-01-31"}}' \
    >/dev/null 2>&1 &
edit=$!
i=0
held=no
while [ $i -lt 600 ]; do
    if ls -l "/proc/$pid/fd" 2>/dev/null | grep -q 'memfd:pccs-edit'; then
        held=yes
        break
    fi
    sleep 0.05
    i=$((i + 1))
done
pg_skip_next "no SQLite write lock to wait for: the edit does not wait"
check_eq "mid-edit: the new version is held in memory by the server (memfd), not in a file" "$held" yes
kill -KILL $pid
wait $pid 2>/dev/null
touch "$T/release"
wait $holder
wait $edit 2>/dev/null
check_eq "killed mid-edit: nothing left in TMPDIR" "$(ls -A "$T/tmp")" ""
check_eq "... nor beside the store" "$(ls -A "$T" | grep -c 'pccs-edit\|(edit)')" 0
check_eq "... and the register is as it was" \
    "$(sql "$S" "select count(*) from sources where kind = 'register_risks'")" "$versions"

done_testing
