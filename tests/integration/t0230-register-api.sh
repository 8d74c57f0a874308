#!/bin/sh
# Local registers over the API: every role reads the rows within its scope
# (checked against the published practice -> PCN -> sub-ICB map); a
# commissioner or admin creates, updates and deletes rows with the CSRF
# token, each change a new version validated like a loaded file, refused
# outside the scope, on a stale version or with a bad field, and written
# to the audit log; tables computed from registers change with them.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/*.csv "$DATA"/*.xlsx data/templates/*.csv
check_eq "load" "$status" 0
pw='a long enough passphrase'
for u in "root admin ENG" "cara commissioner 16C" "olly commissioner 00L" "pete pcn U89141" "prue practice A81001"; do
    set -- $u
    printf '%s\n' "$pw" | "$PCCS" --store "$S" user add "$1" --role "$2" --scope "$3" 2>/dev/null
done
"$PCCS" --store "$S" serve --listen 127.0.0.1:0 >"$T/out" 2>"$T/log" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q listening "$T/out"; do sleep 0.1; i=$((i + 1)); done
URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$T/out")
C="/usr/bin/python3 $ROOT/tests/integration/client.py $URL"
for u in root cara olly pete prue; do $C --login $u "$pw" --jar "$T/$u" >/dev/null 2>&1; done
code() { tail -1 "$T/code"; }

out=$($C /api/registers --jar "$T/pete" 2>/dev/null)
check_eq "11 registers listed (access_sessions since issue 19); a pcn user may not edit" \
    "$(printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["registers"]), d["can_edit"])')" "11 False"

# Who reads which risks: the rows whose organisation is the user's scope or
# under it in the published map (independent of pccs's tree).
/usr/bin/python3 - "$DATA/gp-reg-pat-prac-map_2025-10.csv" data/templates/risks.csv >"$T/want" <<'PY'
import csv, sys
up = {}
for r in csv.DictReader(open(sys.argv[1])):
    up[r["PRACTICE_CODE"]] = [r["PCN_CODE"], r["SUB_ICB_LOCATION_CODE"], r["ICB_CODE"]]
    up[r["PCN_CODE"]] = [r["SUB_ICB_LOCATION_CODE"], r["ICB_CODE"]]
    up[r["SUB_ICB_LOCATION_CODE"]] = [r["ICB_CODE"]]
risks = list(csv.DictReader(open(sys.argv[2])))
for user, scope in [("root", None), ("cara", "16C"), ("olly", "00L"), ("pete", "U89141"), ("prue", "A81001")]:
    ids = [r["risk_id"] for r in risks if scope is None or r["org_code"] == scope or scope in up.get(r["org_code"], [])]
    print(user, ",".join(ids))
PY
got=""
for u in root cara olly pete prue; do
    ids=$($C /api/registers/risks --jar "$T/$u" 2>/dev/null | /usr/bin/python3 -c 'import json,sys; print(",".join(r["values"]["risk_id"] for r in json.load(sys.stdin)["rows"]))')
    got="$got$u $ids
"
done
check_eq "each role reads the risks within its scope (as the published map says)" "$got" "$(cat "$T/want")
"
$C /api/registers/budget --jar "$T/pete" >/dev/null 2>"$T/code"
check_eq "a register naming no organisation (budget), loaded on the command line: 403 for a pcn user" "$(code)" 403
$C /api/registers/budget --jar "$T/cara" >/dev/null 2>"$T/code"
check_eq "... and for a commissioner (issue 14: it was shared by every commissioner in England)" "$(code)" 403
$C /api/registers/budget --jar "$T/root" >/dev/null 2>"$T/code"
check_eq "... 200 for an admin" "$(code)" 200

v=$($C /api/registers/risks --jar "$T/cara" 2>/dev/null | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
row='"values": {"risk_id": "R010", "title": "Estates: lease, renewal", "owner": "Estates", "org_code": "A81001", "likelihood": 4, "impact": 2, "review_date": "2023-01-31"}'
new="{$row, \"version\": $v}"
$C /api/registers/risks --jar "$T/cara" --json "$new" >/dev/null 2>"$T/code"
check_eq "create without the CSRF token: 403" "$(code)" 403
$C /api/registers/risks --jar "$T/pete" --csrf jar --json "$new" >/dev/null 2>"$T/code"
check_eq "create as a pcn user: 403" "$(code)" 403
$C /api/registers/risks --jar "$T/olly" --csrf jar --json "$new" >/dev/null 2>"$T/code"
check_eq "create by a commissioner of another area (00L) for A81001: 403" "$(code)" 403
before=$($C "/api/tables/risks?at=2022-06-01&format=csv" --jar "$T/cara" 2>/dev/null)
out=$($C /api/registers/risks --jar "$T/cara" --csrf jar --json "$new" 2>"$T/code")
check_eq "create as the commissioner of 16C: 201" "$(code)" 201
key=$(printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
v2=$(printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
after=$($C "/api/tables/risks?at=2022-06-01&format=csv" --jar "$T/cara" 2>/dev/null)
check_eq "the risks table (asked before: not a stale answer) = the CLI's on the changed store" "$after" \
    "$("$PCCS" --store "$S" table risks --in 16C --at 2022-06-01 --format csv --suppress)"
check_match "... with the new row scored 4 x 2 = 8, amber" "$after" '^R010,"Estates: lease, renewal",Estates,A81001,4,2,,2023-01-31,8,amber,no'
check_eq "... which the table before did not have" "$(printf '%s' "$before" | grep -c R010)" 0

$C "/api/registers/risks/$key" --method PUT --jar "$T/cara" --csrf jar --json '{"values": {"impact": 5}, "version": '$v'}' >/dev/null 2>"$T/code"
check_eq "update on a stale version: 409" "$(code)" 409
body=$($C "/api/registers/risks/$key" --method PUT --jar "$T/cara" --csrf jar --json '{"values": {"review_date": "2023-02-30"}}' 2>"$T/code")
check_eq "an impossible date: 400" "$(code)" 400
check_match "... naming the column and what was expected" "$body" 'review_date: expected a real date'
$C "/api/registers/risks/$key" --method PUT --jar "$T/cara" --csrf jar --json '{"values": {"org_code": "00L"}}' >/dev/null 2>"$T/code"
check_eq "moving a row out of the scope: 403" "$(code)" 403
$C "/api/registers/risks/$key" --method PUT --jar "$T/cara" --csrf jar --json '{"values": {"impact": 5}, "version": '$v2'}' >/dev/null 2>"$T/code"
check_eq "update: 200" "$(code)" 200
score=$($C /api/registers/risks --jar "$T/cara" 2>/dev/null | /usr/bin/python3 -c '
import json, sys
r = [x["values"] for x in json.load(sys.stdin)["rows"] if x["values"]["risk_id"] == "R010"][0]
print(int(r["likelihood"]) * int(r["impact"]))')
check_eq "... the row now scores 4 x 5 = 20 in the table" \
    "$("$PCCS" --store "$S" table risks --at 2022-06-01 --format csv | awk -F, '$1 == "R010" { print $(NF-2) }')" "$score"
$C "/api/registers/risks/$key" --method DELETE --jar "$T/cara" --csrf jar >/dev/null 2>"$T/code"
check_eq "delete: 200" "$(code)" 200
check_eq "... the register is back as loaded (round trip)" \
    "$("$PCCS" --store "$S" table register --group risks --format csv | tr -d '\r')" "$(cat data/templates/risks.csv)"
# The same change twice gives the same bytes as an earlier version (the
# delete below leaves the rows, with their identifiers, as the delete
# above did): it must still take effect. A new row's key is new (keys are
# stable identifiers, never a deleted row's), so it is read from the answer.
k2=$($C /api/registers/risks --jar "$T/cara" --csrf jar --json "{$row}" 2>/dev/null |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
$C "/api/registers/risks/$k2" --method DELETE --jar "$T/cara" --csrf jar >/dev/null 2>"$T/code"
check_eq "a delete back to an earlier version's bytes takes effect" \
    "$(code) $k2 $("$PCCS" --store "$S" table register --group risks --format csv | grep -c R010)" "200 $(printf '%08d' "$(expr "$key" + 1)") 0"
$C /api/registers/risks --jar "$T/cara" --csrf jar --json "{$row}" >/dev/null 2>"$T/code"
check_eq "a change back to an earlier version's bytes takes effect" \
    "$(code) $("$PCCS" --store "$S" table register --group risks --format csv | grep -c R010)" "201 1"
$C /api/registers/places --jar "$T/root" --csrf jar --json '{"values": {"place_code": "X"}}' >/dev/null 2>"$T/code"
check_eq "places (they change the tree) are not edited over the API: 400" "$(code)" 400

# A register that feeds a calculation: care home beds -> the premium.
prem() { $C "/api/tables/entitlements?in=U89141&level=pcn&year=2021-22" --jar "$T/cara" 2>/dev/null |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["rows"][0]["care_home_premium"])'; }
p0=$(prem)
$C /api/registers/care_home_beds/00000002 --method PUT --jar "$T/cara" --csrf jar --json '{"values": {"beds": 45}}' >/dev/null 2>"$T/code"
check_eq "care home beds 40 -> 45 at home A: 200" "$(code)" 200
check_eq "the care home premium follows: (45 + 25) x 120 (was $p0)" "$(prem)" 8400

kill -TERM $pid
wait $pid
check_eq "audit: one line per change" \
    "$(sql "$S" "select group_concat(action, ' ') from (select action from audit where action like 'register-%' order by id)")" \
    "register-create register-update register-delete register-create register-delete register-create register-update"
check_match "... naming who, what and the new version" \
    "$(sql "$S" "select user || ' ' || detail from audit where action = 'register-update' order by id limit 1")" \
    "^cara risks $key -> version [0-9]+ key $key /api/registers/risks/$key from 127.0.0.1$"
check_match "refusals audited too" "$(sql "$S" "select count(*) from audit where action = 'denied'")" '^[4-9]$'
done_testing
