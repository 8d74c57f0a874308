#!/bin/sh
# Register edits from many users at once with two servers on one store
# (issue 20, item 4): two `pccs serve` processes share the store (SQLite;
# PostgreSQL under make check-pg), 16 users' clients, half on each, send
# a change on the same version at once: exactly one is made (201), the
# other 15 get 409, because the version is checked inside the write
# transaction, not before it. Then each client retries (reading the
# version again after each 409) until its change is made: all 16 rows are
# there at the end, nothing lost, each change its own version.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/store.db
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-map_2025-10.csv" \
    data/templates/risks.csv
check_eq "the map and the risks register load" "$status $errout" "0 "
for i in $(seq 1 16); do
    printf 'a long enough passphrase\n' |
        "$PCCS" --store "$S" user add "c$i" --role commissioner --scope 16C 2>/dev/null
done
run_pccs --store "$S" table register --group risks --format csv
printf '%s\n' "$out" >"$T/before.csv"

PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 - "$PCCS" "$S" "$T" >"$T/res" <<'PY'
import sys
import race
pccs, store, t = sys.argv[1:4]
check = race.Checks()
servers = [race.serve(pccs, store, f"{t}/log") for _ in range(2)]
check("two servers on one store", servers[0][1] != servers[1][1],
      [u for _, u in servers])
sess = race.sessions([u for _, u in servers])
v0 = race.register(sess[0])[0]
check("both servers read one version", race.register(sess[1])[0] == v0)
res = race.at_once(sess, v0)
check("16 changes on one version at once, two servers: exactly one 201",
      res.count(201) == 1, res)
check("... the other 15 get 409", res.count(409) == 15, res)
made, tries = race.until_made(sess)
race.stop(servers)
race.check_retried(check, made, tries)
check.print()
PY
while IFS='	' read -r res name detail; do
    case $res in
    ok) ok "$name" ;;
    FAIL) not_ok "$name" "$detail" ;;
    *) printf '%s %s %s\n' "$res" "$name" "$detail" ;;
    esac
done <"$T/res"
[ -s "$T/res" ] || not_ok "the python checks ran" "$(tail -5 "$T/log" 2>/dev/null)"

# Nothing lost: the register holds the rows before, the first race's one
# change and the 16 retried ones; the sources list 17 edit versions.
"$PCCS" --store "$S" table register --group risks --format csv >"$T/reg.csv"
got=$(python3 - "$T/reg.csv" "$T/before.csv" <<'PY'
import csv, sys
ids = {r["risk_id"] for r in csv.DictReader(open(sys.argv[1]))}
before = {r["risk_id"] for r in csv.DictReader(open(sys.argv[2]))}
new = sorted(ids - before)
print(len(before) > 0, len([i for i in new if i.startswith("R1")]),
      len([i for i in new if i.startswith("R2")]), before <= ids)
PY
)
check_eq "the register holds every row: 1 of the first race, 16 retried, all from before" \
    "$got" "True 1 16 True"
run_pccs --store "$S" sources --format csv
check_eq "17 versions made by edits (pccs sources)" \
    "$(printf '%s\n' "$out" | grep -c 'risks (edit)')" 17
done_testing
