#!/bin/sh
# Register edits from many users at once on PostgreSQL (issue 20, item
# 4): pccs serve with 8 threads (a connection each) on a PostgreSQL
# store. 16 users' clients, each with its own session, send a change on
# the same version at once: exactly one is made (201), the other 15 get
# 409 (the version-conflict rule). Then each client retries until its
# change is made (reading the version again after each 409): every one
# of the 16 rows is there at the end, nothing lost, each change its own
# version, and the rows read with psql from the store are the API's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg.sh"

cd "$ROOT" || exit 1
pg_start
S=$(pg_db registers)
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-map_2025-10.csv" \
    data/templates/risks.csv
check_eq "the map and the risks register load into PostgreSQL" "$status $errout" "0 "
for i in $(seq 1 16); do
    printf 'a long enough passphrase\n' |
        "$PCCS" --store "$S" user add "c$i" --role commissioner --scope 16C 2>/dev/null
done
check_eq "16 commissioners (psql)" \
    "$(psql_at "$S" "select count(*) from users where role = 'commissioner'")" 16

PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 - "$PCCS" "$S" "$T" >"$T/res" <<'PY'
import subprocess, sys
import race
pccs, store, t = sys.argv[1:4]
check = race.Checks()
server = race.serve(pccs, store, f"{t}/log")
sess = race.sessions([server[1]])
v0, before = race.register(sess[0])
res = race.at_once(sess, v0)
check("16 changes on one version at once: exactly one is made (201)",
      res.count(201) == 1, res)
check("... the other 15 get 409", res.count(409) == 15, res)
made, tries = race.until_made(sess)
race.stop([server])
race.check_retried(check, made, tries)
q = subprocess.run(["psql", "-X", "-q", "-At", "-d", store, "-c",
                    "SELECT count(*) FROM sources WHERE path LIKE '%risks (edit)%'"],
                   capture_output=True, text=True)
check("psql: 17 versions made by edits", q.stdout.strip() == "17", q.stdout + q.stderr)
open(f"{t}/before", "w").write("\n".join(sorted(r["risk_id"] for r in before)))
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

# Nothing lost: the register now holds the rows before, the one first
# change and the 16 retried ones, read from the store by the CLI.
"$PCCS" --store "$S" table register --group risks --format csv >"$T/reg.csv"
got=$(python3 - "$T/reg.csv" "$T/before" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
before = set(open(sys.argv[2]).read().split())
ids = {r["risk_id"] for r in rows}
new = sorted(ids - before)
first = [i for i in new if i.startswith("R1")]
print(len(first), len([i for i in new if i.startswith("R2")]), before <= ids)
PY
)
check_eq "the register holds every row: 1 of the first race, 16 retried, all from before" \
    "$got" "1 16 True"
done_testing
