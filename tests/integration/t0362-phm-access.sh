#!/bin/sh
# Population health access (issue 18): through pccs serve a PCN user gets
# the cohort counts of its practices with disclosure control (1 to 7 as *,
# others rounded to the nearest 5, checked against the unsuppressed CLI
# table with the rule of data/rules/disclosure.csv applied in python), a
# practice user its own counts unsuppressed and its own patient list (the
# same patients as the CLI's count), and every other user (another
# practice, the PCN, a commissioner, an admin) 403 for a patient list;
# every list read, and every refusal, is in the audit log.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
need_codelists
PCN=U01989
AT=2026-04-01
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/gp-reg-pat-prac-all_2026-04.csv \
    "$DATA"/gp-reg-pat-prac-map_2025-10.csv "$DATA"/qof2021_PREVALENCE_2021_v2.csv
check_eq "NHS files load" "$status" 0
run_pccs --store "$S" synth patients --in $PCN --out "$T/syn" --seed 9 --at $AT --layout csv
run_pccs --store "$S" load --quiet "$T"/syn/*.csv
check_eq "synthetic patients load" "$status" 0
"$PCCS" --store "$S" table cohorts --in $PCN --level practice --format csv >"$T/cli.csv"
P1=$(sed -n 2p "$T/cli.csv" | cut -d, -f1)
P2=$(sed -n 3p "$T/cli.csv" | cut -d, -f1)
check_match "two practices in $PCN" "$P1 $P2" "^[A-Z][0-9]{5} [A-Z][0-9]{5}$"
audit0=$(sql "$S" "select count(*) from audit where action = 'patients'")
pw='a long enough passphrase'
for u in "root admin ENG" "cara commissioner QHM" "pete pcn $PCN" "prue practice $P1" "olly practice $P2"; do
    set -- $u
    printf '%s\n' "$pw" | "$PCCS" --store "$S" user add "$1" --role "$2" --scope "$3" 2>/dev/null
done

"$PCCS" --store "$S" serve --listen 127.0.0.1:0 >"$T/out" 2>"$T/log" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q listening "$T/out"; do sleep 0.1; i=$((i + 1)); done
URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$T/out")

/usr/bin/python3 - "$URL" "$pw" "$T/cli.csv" "$PCN" "$P1" "$P2" data/rules/disclosure.csv >"$T/res" <<'PY'
import csv, io, json, sys, urllib.error, urllib.request
url, pw, cli, pcn, p1, p2, rules = sys.argv[1:8]
par = {r["parameter"]: float(r["value"]) for r in csv.DictReader(open(rules))}
want = {r["code"]: r for r in csv.DictReader(open(cli))}
counts = [c for c in next(csv.reader(open(cli))) if c not in ("code", "name", "parent_code", "at")]

def login(u):
    r = urllib.request.Request(url + "/api/login", headers={"Content-Type": "application/json"},
                               data=json.dumps({"user": u, "password": pw}).encode())
    with urllib.request.urlopen(r) as x:
        return x.headers["Set-Cookie"].split(";")[0]

cookies = {u: login(u) for u in ("root", "cara", "pete", "prue", "olly")}
def get(u, path):
    r = urllib.request.Request(url + path, headers={"Cookie": cookies[u]})
    try:
        with urllib.request.urlopen(r, timeout=120) as x:
            return x.status, x.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()

def sdc(n):
    n = int(n)
    if n <= 0:
        return str(n)
    if n <= par["suppress_max"]:
        return "*"
    return str(int(n / par["round_to"] + 0.5) * int(par["round_to"]))

def check(name, got, exp):
    print(("ok" if got == exp else "not ok") + " " + name + ("" if got == exp else f" | got {got!r} want {exp!r}"))

code, body = get("pete", f"/api/tables/cohorts?in={pcn}&level=practice&format=csv")
check("PCN user: cohorts of its practices", code, 200)
rows = list(csv.DictReader(io.StringIO(body)))
check("... every practice", sorted(r["code"] for r in rows), sorted(want))
# 1 to 7 always hidden; others rounded, or hidden too where a hidden
# cell could otherwise be had by subtraction (complementary suppression)
check("... every count with disclosure control",
      [[r[c] if r[c] != "*" or sdc(want[r["code"]][c]) == "*" else "rounded-or-*"
        for c in counts] for r in rows],
      [[sdc(want[r["code"]][c]) if r[c] != "*" or sdc(want[r["code"]][c]) == "*"
        else "rounded-or-*" for c in counts] for r in rows])
check("... 1 to 7 never shown", any(r[c] != "*" and 0 < int(want[r["code"]][c]) <= par["suppress_max"]
                                    for r in rows for c in counts), False)
check("... some counts suppressed or rounded",
      any(r[c] != want[r["code"]][c] for r in rows for c in counts), True)
code, body = get("prue", f"/api/tables/cohorts?in={p1}&level=practice&format=csv")
rows = list(csv.DictReader(io.StringIO(body)))
check("practice user: its own counts, unsuppressed", (code, [[r[c] for c in counts] for r in rows]),
      (200, [[want[p1][c] for c in counts]]))
code, body = get("prue", f"/api/patients/{p1}?cohort=smr_priority&format=csv")
rows = list(csv.DictReader(io.StringIO(body)))
check("practice user: its own patient list", code, 200)
check("... as many as the CLI's count", len(rows), int(want[p1]["smr_priority"]))
check("... all its own patients in the cohort",
      all(r["practice"] == p1 and "smr_priority" in r["cohorts"].split(";") for r in rows), True)
code, body = get("prue", f"/api/patients/{p1}?format=csv")
check("... and every patient without a cohort", (code, len(list(csv.DictReader(io.StringIO(body))))),
      (200, int(want[p1]["registered"])))
ok_reads = 2
for u, org in (("prue", p2), ("olly", p1), ("pete", p1), ("cara", p1), ("root", p1), ("pete", pcn)):
    code, body = get(u, f"/api/patients/{org}?cohort=smr_priority")
    check(f"{u}: patient list of {org} refused", (code, p1 + "-0" in body), (403, False))
print(f"reads {ok_reads}")
PY
grep -v '^reads' "$T/res" >"$T/checks"
while read -r r name; do
    if [ "$r" = ok ]; then ok "$name"; else not_ok "$name"; fi
done <"$T/checks"
grep '^not ok' "$T/res" | sed 's/^/# /'
check_eq "no check failed" "$(grep -c '^not ok' "$T/res")" 0
reads=$(sed -n 's/^reads //p' "$T/res")
check_eq "every list read is in the audit log" \
    "$(sql "$S" "select count(*) from audit where action = 'patients' and user = 'prue' and detail like 'practice $P1 %'")" \
    "$reads"
check_eq "... with what was read" \
    "$(sql "$S" "select count(*) from audit where action = 'patients' and detail like '%cohort smr_priority: % patients%'")" \
    "$((audit0 + 1))"
check_eq "every refusal too" \
    "$(sql "$S" "select count(*) from audit where action = 'denied' and detail like '%/api/patients/%'")" 6
kill -TERM $pid
wait $pid
done_testing
