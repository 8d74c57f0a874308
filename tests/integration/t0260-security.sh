#!/bin/sh
# Security regressions of issue 14, each against the rule it breaks:
# the register table keeps to the scope and in= (every register, role and
# format; the rows checked against the published practice -> PCN -> sub-ICB
# map), registers naming no organisation belong to who loaded them, no
# redirect off the site after login, no formulas in CSV downloads, and no
# static file outside the web directory.
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
mkdir "$T/web" "$T/web-private"
echo '<p>dashboard</p>' >"$T/web/index.html"
echo 'not for the web' >"$T/web-private/secret.txt"
"$PCCS" --store "$S" serve --listen 127.0.0.1:0 --web "$T/web" >"$T/out" 2>"$T/log" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q listening "$T/out"; do sleep 0.1; i=$((i + 1)); done
URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$T/out")
C="/usr/bin/python3 $ROOT/tests/integration/client.py $URL"
for u in root cara olly pete prue; do $C --login $u "$pw" --jar "$T/$u" >/dev/null 2>&1; done

# --- 1. the register table: 5 users x 10 registers x (no in, in=U89141)
# x (json, csv, xlsx)
/usr/bin/python3 tests/integration/register_matrix.py "$URL" "$T" "$DATA" data/templates >"$T/matrix"
grep '^#' "$T/matrix"
check_eq "register table: every register x role x format x in, rows within the scope only" \
    "$(tail -1 "$T/matrix")" "300 0"

# --- 2. registers naming no organisation (budget, milestones), loaded on
# the command line: only admins read or change them; a commissioner of 00L
# can neither change nor delete them, nor read their tables
for u in olly cara pete; do
    $C /api/registers/budget/00000002 --method PUT --jar "$T/$u" --csrf jar \
        --json '{"values": {"plan": 1}}' >/dev/null 2>"$T/code"
    c1=$(tail -1 "$T/code")
    $C /api/registers/milestones/00000002 --method DELETE --jar "$T/$u" --csrf jar >/dev/null 2>"$T/code"
    c2=$(tail -1 "$T/code")
    $C /api/registers/budget --jar "$T/$u" --csrf jar \
        --json '{"values": {"line": "X", "month": "2022-06-01", "plan": 1, "actual": 1, "forecast": 1}}' >/dev/null 2>"$T/code"
    c3=$(tail -1 "$T/code")
    $C /api/registers/milestones --jar "$T/$u" >/dev/null 2>"$T/code"
    c4=$(tail -1 "$T/code")
    $C "/api/tables/budget" --jar "$T/$u" >/dev/null 2>"$T/code"
    c5=$(tail -1 "$T/code")
    $C "/api/tables/milestones?format=csv" --jar "$T/$u" >/dev/null 2>"$T/code"
    c6=$(tail -1 "$T/code")
    check_eq "$u: PUT budget, DELETE milestones, POST budget, GET milestones, budget and milestones tables: 403" \
        "$c1 $c2 $c3 $c4 $c5 $c6" "403 403 403 403 403 403"
done
check_eq "... the budget unchanged" "$(sql "$S" "select count(*) from sources where kind = 'register_budget'")" 1
$C /api/registers/budget --jar "$T/root" >"$T/b.json" 2>"$T/code"
check_eq "an admin reads the budget: 200, the template's 5 rows" \
    "$(tail -1 "$T/code") $(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["rows"]))' "$T/b.json")" \
    "200 $(tail -n +2 data/templates/budget.csv | wc -l | tr -d ' ')"

# --- 4. CSV formula injection: text cells beginning with = + - @ get a
# quote in front in CSV; numbers (-3.5) stay numbers; xlsx cells are
# strings, never formulas
row='{"values": {"risk_id": "R900", "title": "=HYPERLINK(\"http://evil.example/\",\"click\")", "owner": "-1+1", "org_code": "A81001", "likelihood": 4, "impact": 2, "controls": "@SUM(A1:A2)", "review_date": "2023-01-31"}}'
$C /api/registers/risks --jar "$T/root" --csrf jar --json "$row" >/dev/null 2>"$T/code"
check_eq "a risk titled =HYPERLINK(...) is accepted" "$(tail -1 "$T/code")" 201
$C /api/registers/budget --jar "$T/root" --csrf jar \
    --json '{"values": {"line": "+Refund", "month": "2022-06-01", "plan": -3.5, "actual": -3.5, "forecast": 0}}' >/dev/null 2>"$T/code"
check_eq "a budget line +Refund with plan -3.5 is accepted" "$(tail -1 "$T/code")" 201
fields() { # CSV on stdin; print the fields named of the row whose column $1 is $2
    /usr/bin/python3 -c 'import csv, sys
for r in csv.DictReader(sys.stdin):
    if r[sys.argv[1]] == sys.argv[2]: print("|".join(r[c] for c in sys.argv[3:]))' "$@"
}
for q in "register?group=risks" "risks?at=2022-06-01"; do
    got=$($C "/api/tables/$q&format=csv" --jar "$T/root" 2>/dev/null | fields risk_id R900 title owner controls likelihood)
    check_eq "CSV of $q: = - @ cells quoted, the number not" "$got" \
        "'=HYPERLINK(\"http://evil.example/\",\"click\")|'-1+1|'@SUM(A1:A2)|4"
done
got=$("$PCCS" --store "$S" table register --group risks --format csv | fields risk_id R900 title)
check_eq "... and the CLI's CSV the same" "$got" "'=HYPERLINK(\"http://evil.example/\",\"click\")"
got=$($C "/api/tables/register?group=budget&format=csv" --jar "$T/root" 2>/dev/null | fields month 2022-06-01 line plan actual)
check_eq "CSV: the text +Refund quoted, -3.5 a number" "$got" "'+Refund|-3.5|-3.5"
$C "/api/tables/register?group=risks&format=xlsx" --jar "$T/root" >"$T/r.xlsx" 2>/dev/null
got=$(/usr/bin/python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1]); s = z.read("xl/worksheets/sheet1.xml").decode()
ss = z.read("xl/sharedStrings.xml").decode()
print("formulas" if "<f>" in s or "<f " in s else "no formulas", "HYPERLINK" in ss)' "$T/r.xlsx")
check_eq "xlsx: =HYPERLINK(...) is a string cell, no formula in the sheet" "$got" "no formulas True"

# --- 5. static files: a target without a leading '/' must not reach a
# name beside the web directory; an empty path must not read before it
raw() {
    /usr/bin/python3 - "$URL" "$1" <<'PY'
import socket, sys
host, port = sys.argv[1].rsplit("/", 1)[1].split(":")
s = socket.create_connection((host, int(port)), timeout=30)
s.sendall(b"GET " + sys.argv[2].encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
d = b""
while True:
    b = s.recv(65536)
    if not b: break
    d += b
print(d.split(b"\r\n")[0].decode().split(" ")[1] if d else "none", "secret" if b"not for the web" in d else "-")
PY
}
check_eq "GET / is the dashboard (the raw client works)" "$(raw / | cut -d' ' -f1)" 200
check_eq "GET -private/secret.txt: 404, nothing of web-private" "$(raw -private/secret.txt)" "404 -"
check_eq "GET /../web-private/secret.txt: not the file" "$(raw /../web-private/secret.txt | cut -d' ' -f2)" "-"
check_eq "GET ?a: 404" "$(raw '?a')" "404 -"
check_eq "GET //etc/passwd: 404" "$(raw //etc/passwd)" "404 -"
check_eq "... and the server still answers" "$(raw /healthz)" "200 -"

kill -TERM $pid
wait $pid
check_eq "SIGTERM: exit 0" "$?" 0
done_testing
