#!/bin/sh
# pccs serve: the API answers with exactly the numbers the CLI prints (every
# table, CSV and JSON, for an area), finds organisations, gives 404 and 400
# as JSON, refuses bodies and other methods, survives a few hundred
# malformed requests and still answers, and stops cleanly on SIGTERM.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/*.csv "$DATA"/*.xlsx data/templates/*.csv
check_eq "load" "$status" 0
run_pccs --store "$S" synth appointments --in 16C --months 13 --out "$T/a.csv"
run_pccs --store "$S" load --quiet "$T/a.csv"
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

# The same question to the API and the CLI: byte-identical CSV and JSON
# (the API applies disclosure control for everyone but the owning practice:
# the CLI's --suppress).
bad=0
while IFS='|' read -r name q args; do
    for fmt in csv json; do
        a=$(get "/api/tables/$name?$q&format=$fmt" 2>/dev/null)
        # shellcheck disable=SC2086
        b=$("$PCCS" --store "$S" table "$name" $args --format $fmt --suppress)
        [ "$a" = "$b" ] || { bad=$((bad + 1)); echo "# differs: $name $fmt"; }
    done
done <<EOF2
populations|level=pcn&in=16C|--level pcn --in 16C
payments|level=practice&in=U89141&year=2022-23|--level practice --in U89141 --year 2022-23
entitlements|in=16C&year=2022-23|--in 16C --year 2022-23
workforce|in=16C|--in 16C
qof-prevalence|level=practice&in=U89141&group=AF|--level practice --in U89141 --group AF
capacity|level=sub_icb&in=16C|--level sub_icb --in 16C
resilience|in=U89141&at=2022-06-01|--in U89141 --at 2022-06-01
risks|at=2022-06-01|--at 2022-06-01
programme-status|at=2022-06-01|--at 2022-06-01
EOF2
check_eq "API = CLI for 9 tables in CSV and JSON" "$bad" 0

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
