#!/bin/sh
# pccs serve: the API answers with exactly the numbers the CLI prints (every
# table of pccs table --list, CSV and JSON, for an area, none of them empty
# unless listed; issue 12), the committee report shows the CLI's
# populations and entitlements, finds organisations, gives 404 and 400
# as JSON, refuses bodies and other methods, survives a few hundred
# malformed requests and still answers, and stops cleanly on SIGTERM.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/*.csv "$DATA"/*.xlsx data/templates/*.csv
check_eq "load" "$status" 0
run_pccs --store "$S" synth appointments --in 16C --months 13 --out "$T/a.csv"
run_pccs --store "$S" load --quiet "$T/a.csv"
# Registrations by age and sex are not among the bundled files: generated
# ones (real list sizes) for 16C's practices, so the weighting and
# age-bands tables have rows too.
{ head -1 "$DATA/gp-reg-pat-prac-all_2021-01.csv"
  grep ',16C,' "$DATA/gp-reg-pat-prac-all_2021-01.csv"; } >"$T/all-16c.csv"
scripts/gen-reg-age --from "$T/all-16c.csv" --out "$T/gen" --only quin
run_pccs --store "$S" load --quiet "$T/gen/gp-reg-pat-prac-quin-age.csv"
# Booking sessions of a PCN hub (synthetic; issue 19), for enhanced-access.
printf '%s\n' "session_org_code,site,service,session_date,start_time,end_time,staff_role,slot_minutes,bookable_by" \
    "U89141,Stockton hub,Enhanced access,2026-12-07,18:30,20:00,GP,15,111" \
    "U89141,Stockton hub,Enhanced access,2026-12-12,09:00,17:00,nurse,20,pcn" >"$T/sessions.csv"
run_pccs --store "$S" load --quiet "$T/sessions.csv"
# Patient-level records (synthetic) for one PCN, when the code lists are
# here, so the cohorts table has rows too.
CL=${PCCS_CODELISTS:-/work/shared/data/codelists}
PHM=no
if [ -d "$CL/efi" ]; then
    export PCCS_CODELISTS="$CL"
    run_pccs --store "$S" synth patients --in U89141 --out "$T/phm" --layout csv
    run_pccs --store "$S" load --quiet "$T"/phm/*.csv
    [ "$status" = 0 ] && PHM=yes
fi
printf 'an admin passphrase\n' | "$PCCS" --store "$S" user add root --role admin --scope ENG 2>/dev/null

mkdir "$T/tmp"
TMPDIR=$T/tmp "$PCCS" --store "$S" serve --listen 127.0.0.1:0 >"$T/out" 2>"$T/log" &
pid=$!
i=0
while [ $i -lt 50 ] && ! grep -q listening "$T/out"; do sleep 0.1; i=$((i + 1)); done
check_match "listening on loopback" "$(cat "$T/out")" "^pccs serve: listening on http://127.0.0.1:[0-9]+/"
URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$T/out")

HTTP=$ROOT/tests/integration/client.py
/usr/bin/python3 "$HTTP" "$URL" --login root 'an admin passphrase' --jar "$T/jar" 2>/dev/null >/dev/null
get() { /usr/bin/python3 "$HTTP" "$URL" "$1" --jar "$T/jar"; }

# The same question to the API and the CLI, for every table `pccs table
# --list` names: byte-identical CSV and JSON (the API applies disclosure
# control for everyone but the owning practice: the CLI's --suppress), and
# rows on both sides. A table with no question below, or with no rows on
# either side, fails.
cat >"$T/questions" <<EOF2
populations|level=pcn&in=16C|--level pcn --in 16C
payments|level=practice&in=U89141&year=2022-23&contract=GMS|--level practice --in U89141 --year 2022-23 --contract GMS
entitlements|in=16C&year=2022-23|--in 16C --year 2022-23
workforce|in=16C|--in 16C
qof-prevalence|level=practice&in=U89141&group=AF|--level practice --in U89141 --group AF
weighting|level=practice&in=U89141|--level practice --in U89141
arrs|in=16C&year=2022-23|--in 16C --year 2022-23
capacity|level=sub_icb&in=16C|--level sub_icb --in 16C
resilience|in=U89141&at=2022-06-01|--in U89141 --at 2022-06-01
age-bands|in=16C|--in 16C
programme-status|at=2022-06-01|--at 2022-06-01
milestones|at=2022-06-01|--at 2022-06-01
risks|at=2022-06-01|--at 2022-06-01
estates|in=16C|--in 16C
budget|in=16C|--in 16C
list-closures|in=16C|--in 16C
support-payments|in=16C|--in 16C
visits|in=16C|--in 16C
register|group=risks|--group risks
list-growth|level=pcn&in=16C&from=2021-01-01&to=2026-04-01|--level pcn --in 16C --from 2021-01-01 --to 2026-04-01
enhanced-access|in=U89141&from=2026-12-01&to=2026-12-31|--in U89141 --from 2026-12-01 --to 2026-12-31
cohorts|level=practice&in=U89141|--level practice --in U89141
EOF2
rows() { python3 -c 'import json,sys
try: print(len(json.load(sys.stdin)["rows"]))
except Exception: print(0)'; }
bad=0
ntables=0
for name in $("$PCCS" --store "$S" table --list | awk '{ print $1 }'); do
    ntables=$((ntables + 1))
    [ "$name" = cohorts ] && [ $PHM = no ] && continue # no code lists here
    line=$(grep "^$name|" "$T/questions")
    if [ -z "$line" ]; then
        bad=$((bad + 1)); echo "# no API = CLI question for table $name"; continue
    fi
    q=$(printf '%s' "$line" | cut -d'|' -f2)
    args=$(printf '%s' "$line" | cut -d'|' -f3)
    for fmt in csv json; do
        a=$(get "/api/tables/$name?$q&format=$fmt" 2>"$T/code")
        # shellcheck disable=SC2086
        b=$("$PCCS" --store "$S" table "$name" $args --format $fmt --suppress 2>"$T/err")
        [ "$a" = "$b" ] || { bad=$((bad + 1)); echo "# differs: $name $fmt"
            printf '%s\n' "$a" >"$T/api-$name.$fmt"; printf '%s\n' "$b" >"$T/cli-$name.$fmt"
            diff "$T/api-$name.$fmt" "$T/cli-$name.$fmt" | head -5 | sed 's/^/#   /'; }
        if [ $fmt = json ]; then
            na=$(printf '%s' "$a" | rows)
            nb=$(printf '%s' "$b" | rows)
            [ "$na" -gt 0 ] && [ "$nb" -gt 0 ] ||
                { bad=$((bad + 1)); echo "# no rows: $name (API $na, CLI $nb)"; }
        fi
    done
done
check_num "every table of pccs table --list asked (at least 19)" "$( [ $ntables -ge 19 ] && echo 1 || echo 0)" 1
check_eq "API = CLI for all $ntables tables in CSV and JSON, with rows" "$bad" 0

# The committee report's figures are the CLI's: the populations of 16C and
# its PCNs, and every PCN's entitlements, cell by cell as displayed.
"$PCCS" --store "$S" report committee --in 16C --period 2022-23 --out "$T/r.html" 2>/dev/null
"$PCCS" --store "$S" table populations --level sub_icb --in 16C --format json >"$T/p0.json"
"$PCCS" --store "$S" table populations --level pcn --in 16C --format json >"$T/p1.json"
"$PCCS" --store "$S" table entitlements --level pcn --in 16C --year 2022-23 --format json >"$T/e.json"
got=$(python3 - "$T" <<'PY'
import html, json, re, sys
t = sys.argv[1]
doc = open(f"{t}/r.html").read()
def table_after(heading):
    i = re.search(heading, doc).start()
    j = doc.index("<table", i)
    k = doc.index("</table>", j)
    part = doc[j:k]
    cells = lambda tag, s: [html.unescape(re.sub("<[^>]+>", "", c)).strip()
                            for c in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", s, re.S)]
    head = cells("th", part)
    body = [cells("td", r) for r in re.findall(r"<tr[^>]*>(.*?)</tr>", part, re.S)]
    return head, [r for r in body if r]
def shown(v, text):
    # the CLI's value rounded as the report shows it
    d = len(text.split(".")[1]) if "." in text else 0
    return v is not None and f"{v:,.{d}f}" == text
checked = bad = 0
cli = {r["code"]: r for f in ("p0", "p1") for r in json.load(open(f"{t}/{f}.json"))["rows"]}
for heading in ("<h3>Registered and weighted population</h3>", "Appendix A\\. Population by PCN and practice</h2>"):
    head, body = table_after(heading)
    for row in body:
        if row[0] not in cli:
            continue
        for col, label in (("registered", "Registered"), ("weighted", "Weighted")):
            checked += 1
            if not shown(cli[row[0]][col], row[head.index(label)]):
                bad += 1; print("populations", row[0], col, row[head.index(label)], cli[row[0]][col], file=sys.stderr)
ent = {r["code"]: r for r in json.load(open(f"{t}/e.json"))["rows"]}
head, body = table_after("<h3>PCN entitlements by PCN</h3>")
npcn = 0
for row in body:
    if row[0] not in ent:
        continue
    npcn += 1
    values = [v for v in ent[row[0]].values() if isinstance(v, (int, float))]
    for text in row[1:]:
        if not re.fullmatch(r"-?[0-9,]+(\.[0-9]+)?", text):
            continue
        checked += 1
        if not any(shown(v, text) for v in values):
            bad += 1; print("entitlements", row[0], text, file=sys.stderr)
print(checked, bad, npcn, len(ent))
PY
)
echo "# report = CLI: compared, differing, PCNs in the report, PCNs of the CLI: $got"
# shellcheck disable=SC2086
set -- ${got:-none none none none}
check_eq "report = CLI: populations and entitlements cells ($1 compared)" "$2" 0
check_num "... figures compared (at least 20)" "$( [ "$1" -ge 20 ] 2>/dev/null && echo 1 || echo 0)" 1
check_eq "... every PCN of the CLI's entitlements in the report" "$3" "$4"

get "/api/tables/populations?level=region&format=xlsx" >"$T/p.xlsx" 2>/dev/null
check_eq "xlsx download is a workbook" "$(head -c 2 "$T/p.xlsx")" "PK"
check_eq "... written through \$TMPDIR and removed" "$(ls -A "$T/tmp")" ""
rmdir "$T/tmp"
body=$(get "/api/tables/populations?level=icb&format=xlsx" 2>"$T/code")
check_eq "no temporary directory: 500" "$(cat "$T/code")" 500
check_match "... as JSON saying so" "$body" '"error": "cannot write the workbook'
mkdir "$T/tmp"
out=$(get "/api/orgs?q=stockton" 2>/dev/null)
check_match "search by name" "$out" '"code": "U89141"'
out=$(get "/api/orgs/U89141" 2>/dev/null)
check_match "an organisation with its parents" "$out" '"code": "16C"'
check_match "... its children" "$out" '"code": "A81001"'
out=$(get "/api/spc/dna_pct/16C" 2>/dev/null)
b=$("$PCCS" --store "$S" spc --metric dna_pct --org 16C --format json)
check_eq "SPC series = pccs spc --metric" "$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rows"])')" \
    "$(printf '%s' "$b" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rows"])')"

check_eq "SPC as CSV (the dashboard's download) = pccs spc --format csv" \
    "$(get "/api/spc/dna_pct/16C?format=csv" 2>/dev/null)" \
    "$("$PCCS" --store "$S" spc --metric dna_pct --org 16C --format csv 2>/dev/null)"
get "/api/spc/dna_pct/16C?format=xlsx" >"$T/spc.xlsx" 2>/dev/null
check_eq "... and as a workbook" "$(head -c 2 "$T/spc.xlsx")" "PK"
for u in "/api/spc/dna_pct/16C?format=pdf 400" "/api/orgs/NOPE 404" "/api/tables/nope 404" "/api/tables/populations?level=galaxy 400" \
         "/api/tables/payments?year=20-21 400" "/api/orgs?q=x 400" "/api/elsewhere 404"; do
    set -- $u
    body=$(get "$1" 2>"$T/code")
    check_eq "$1: $2" "$(cat "$T/code")" "$2"
    check_match "... as JSON" "$body" '"error": '
done

# Malformed and hostile requests, then a correct one still answers.
# Half of them carry a live session cookie, so they reach the routes.
python3 - "$URL" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$T/jar")" <<'PY' >"$T/codes"
import random, socket, sys
host, port = sys.argv[1][7:].split(':')
ck = b"Cookie: pccs_session=" + sys.argv[2].encode() + b"\r\n"
rng = random.Random(5)
reqs = [b"GET /nope HTTP/1.1\r\n\r\n", b"BLAH\r\n\r\n", b"GET /api/orgs/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /api/orgs/%zz HTTP/1.1\r\nHost: x\r\n" + ck + b"\r\n",
        b"GET /api/tables/populations?level=%ff%00&in=%%% HTTP/1.1\r\nHost: x\r\n" + ck + b"\r\n",
        b"POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"user\":[",
        b"POST /api/logout HTTP/1.1\r\nHost: x\r\n" + ck + b"Content-Length: 2\r\n\r\n{}",
        b"POST /api/tables HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
        b"GET /api/tables/populations?level=" + b"x" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /nope HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n",
        b"\x00\x01\x02\x03", b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"]
def one(i):
    r = rng_reqs[i]
    s = socket.create_connection((host, int(port)), timeout=2)
    try:
        s.sendall(r)
        s.shutdown(socket.SHUT_WR)
        data = s.recv(200)
        c = data.split(b" ")[1].decode() if data.startswith(b"HTTP/") else "closed"
    except OSError:
        c = "pending"  # an incomplete request: the server waits, then times out
    s.close()
    return c
rng_reqs = [rng.choice(reqs) if i % 3 else bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
            for i in range(300)]
from concurrent.futures import ThreadPoolExecutor
codes = {}
with ThreadPoolExecutor(max_workers=50) as ex:
    for c in ex.map(one, range(300)):
        codes[c] = codes.get(c, 0) + 1
print(" ".join(f"{k}:{v}" for k, v in sorted(codes.items())))
PY
cat "$T/codes" | sed "s/^/# /"
check_eq "300 malformed requests: none answered 200 or 500" \
    "$(tr ' ' '\n' <"$T/codes" | grep -Ec '^(200|500):')" 0
out=$(get "/api/tables/populations?level=region&format=csv" 2>/dev/null)
check_eq "... and the server still answers correctly" "$out" \
    "$("$PCCS" --store "$S" table populations --level region --format csv --suppress)"
# A slow client: half a request, then nothing; the server hangs up.
slow=$(python3 - "$URL" <<'PY'
import socket, sys, time
host, port = sys.argv[1][7:].split(':')
s = socket.create_connection((host, int(port)), timeout=30)
s.sendall(b"GET /api/tables HTTP/1.1\r\nHost: x\r\n")
t = time.time()
d = s.recv(100)
print("closed" if d == b"" and time.time() - t < 20 else "open")
PY
)
check_eq "a slow client is timed out (10 s)" "$slow" closed
check_match "one log line per request, with the user" "$(cat "$T/log")" "root GET /api/orgs/U89141 200 "

kill -TERM $pid
wait $pid
check_eq "SIGTERM: clean exit 0" "$?" 0
check_match "... says it stopped" "$(cat "$T/log")" "stopped \\(SIGTERM\\)"
run_pccs --store "$S" serve --listen nowhere
check_eq "bad --listen: exit 2" "$status" 2

done_testing
