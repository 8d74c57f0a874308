#!/bin/sh
# The access matrix (issue 14): every API route of `pccs serve
# --list-routes` x every role x an organisation inside, below, above and
# beside the user's scope, each answer checked against the rule written
# out below (not against pccs's own answers): tables (every table, json,
# csv and xlsx, at the organisation's own level and at practice level),
# the organisation page and search, SPC (every format), sources, the
# registers (every register's rows, checked row by row against the
# published practice -> PCN -> sub-ICB -> ICB -> region map, and create,
# change and delete). A route the test has no requests for fails it.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/*.csv "$DATA"/*.xlsx data/templates/*.csv
check_eq "load" "$status" 0
run_pccs --store "$S" synth appointments --in 16C --months 13 --out "$T/a.csv"
run_pccs --store "$S" load --quiet "$T/a.csv"
# patient-level records for one practice (issue 18), when the code lists are here
CL=${PCCS_CODELISTS:-/work/shared/data/codelists}
PHM=no
if [ -d "$CL/efi" ]; then
    export PCCS_CODELISTS="$CL"
    run_pccs --store "$S" synth patients --in A81001 --out "$T/phm" --layout csv
    run_pccs --store "$S" load --quiet "$T"/phm/*.csv
    [ "$status" = 0 ] && PHM=yes
fi
pw='a long enough passphrase'
for u in "root admin ENG" "cara commissioner 16C" "pete pcn U89141" "prue practice A81001"; do
    set -- $u
    printf '%s\n' "$pw" | "$PCCS" --store "$S" user add "$1" --role "$2" --scope "$3" 2>/dev/null
done
# Direct booking (issue 19): a hub session open to 111 and a practice's
# own session (synthetic), and the two booking roles.
cat >"$T/sessions.csv" <<'EOF'
session_org_code,site,service,session_date,start_time,end_time,staff_role,slot_minutes,bookable_by
U89141,Stockton hub,Enhanced access,2026-12-07,18:30,20:00,GP,15,111
A81002,Queens Park,General practice,2026-12-07,08:00,09:00,GP,10,practice
EOF
run_pccs --store "$S" load --quiet "$T/sessions.csv"
for u in "hubert hub U89141" "ona nhs111 QHM"; do
    set -- $u
    printf '%s\n' "$pw" | "$PCCS" --store "$S" user add "$1" --role "$2" --scope "$3" 2>/dev/null
done
"$PCCS" serve --list-routes >"$T/routes"
check_match "pccs serve --list-routes: a header and routes" "$(head -1 "$T/routes")" \
    '^method	path	match	auth	csrf	cache	roles	data	subject	params	summary$'

"$PCCS" --store "$S" serve --listen 127.0.0.1:0 >"$T/out" 2>"$T/log" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q listening "$T/out"; do sleep 0.1; i=$((i + 1)); done
URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$T/out")

/usr/bin/python3 - "$URL" "$T" "$DATA" data/templates "$pw" "$PHM" >"$T/matrix" <<'PY'
import csv, json, sys, urllib.error, urllib.request
url, t, data, templates, pw, phm = sys.argv[1:7]

# --- the tree, from the published map (not from pccs)
up = {}
level = {"ENG": "england"}
for r in csv.DictReader(open(f"{data}/gp-reg-pat-prac-map_2025-10.csv")):
    chain = [r["PCN_CODE"], r["SUB_ICB_LOCATION_CODE"], r["ICB_CODE"], r["COMM_REGION_CODE"], "ENG"]
    up[r["PRACTICE_CODE"]] = chain
    for i, c in enumerate(chain[:-1]):
        up[c] = chain[i + 1:]
    for c, lv in zip([r["PRACTICE_CODE"]] + chain, ["practice", "pcn", "sub_icb", "icb", "region", "england"]):
        level[c] = lv
up["ENG"] = []

def position(scope, org):
    if org == scope:
        return "inside"
    if scope in up.get(org, []):
        return "below"
    if org in up.get(scope, []):
        return "above"
    return "beside"

users = {"root": ("admin", "ENG"), "cara": ("commissioner", "16C"),
         "pete": ("pcn", "U89141"), "prue": ("practice", "A81001")}
candidates = ["A81001", "A81002", "U89141", "U07032", "16C", "00L", "QHM", "Y63", "ENG"]

def orgs_for(user):
    """One organisation at each position the user has: (position, code)."""
    role, scope = users[user]
    out = {}
    for c in candidates:
        p = "inside" if role == "admin" and c == "ENG" else \
            "below" if role == "admin" else position(scope, c)
        out.setdefault(p, c)
    return sorted(out.items())

# --- HTTP
def call(user, method, path, body=None, csrf=True):
    h = {}
    if user:
        jar = json.load(open(f"{t}/{user}"))
        h["Cookie"] = "pccs_session=" + jar["token"]
        if csrf:
            h["X-CSRF-Token"] = jar["csrf"]
    if body is not None:
        h["Content-Type"] = "application/json"
        body = json.dumps(body).encode()
    r = urllib.request.Request(url + path, data=body, headers=h, method=method)
    try:
        with urllib.request.urlopen(r, timeout=120) as x:
            return x.status, x.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()

for u in users:
    r = urllib.request.Request(url + "/api/login", headers={"Content-Type": "application/json"},
                               data=json.dumps({"user": u, "password": pw}).encode())
    with urllib.request.urlopen(r) as x:
        tok = x.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
        json.dump({"token": tok, "csrf": json.loads(x.read())["csrf"]}, open(f"{t}/{u}", "w"))

n = bad = 0
def check(what, got, want):
    global n, bad
    n += 1
    if got != want:
        bad += 1
        print(f"# {what}: got {got}, want {want}")

# --- the route table, as pccs prints it
routes = [dict(zip(["method", "path", "match", "auth", "csrf", "cache", "roles", "data", "subject"],
                   line.rstrip("\n").split("\t")[:9]))
          for line in open(f"{t}/routes").readlines()[1:]]
covered = set()

def admitted(rt, user):
    return users[user][0] in rt["roles"].split(",")

# --- the rule, as issues 14 and 16 and docs/API.md state it: within the scope
# everything of the user's; outside it (above or beside) every published
# figure of every organisation at every level, never a local register, and
# the tables partly on a register only for an aggregate above, at its level
LOCAL_TABLES = {"programme-status", "milestones", "risks", "estates", "budget",
                "list-closures", "support-payments", "visits", "register",
                "cohorts",
                "enhanced-access"}
UNOWNED = {"budget", "milestones"}  # registers naming no organisation: admins only
# published tables with a column from a local register: entitlements (care
# home beds), resilience (list closures, local rules)
PARTLY_LOCAL = {"entitlements", "resilience"}
# derived from patient-level records: the scope only
PATIENT_LEVEL = {"cohorts"}
def may_table(user, table, pos, own_level):
    role = users[user][0]
    if table in UNOWNED and role != "admin":
        return False
    if pos in ("inside", "below"):
        return True
    if table in LOCAL_TABLES or table in PATIENT_LEVEL:
        return False
    if table in PARTLY_LOCAL:
        return pos == "above" and own_level   # the aggregate itself, never its rows below
    return True            # published figures: every organisation in England, any level (issue 16)

def may_org(user, pos):
    return True            # published figures of every organisation (issue 16)

# tables that answer 400/404 when allowed, and why: the bundled files
# hold no registrations by age and sex
EMPTY = {"weighting", "age-bands"} | (set() if phm == "yes" else {"cohorts"})
PARAMS = {"payments": "&year=2022-23", "entitlements": "&year=2022-23", "arrs": "&year=2022-23",
          "qof-prevalence": "&group=AF", "register": "&group=risks", "resilience": "&at=2022-06-01",
          "programme-status": "&at=2022-06-01", "milestones": "&at=2022-06-01", "risks": "&at=2022-06-01"}

# the levels a table answers at: PCN tables from PCNs up, resilience per
# practice only, the rest from practices up
RANK = ["practice", "pcn", "sub_icb", "icb", "region", "england"]
FINEST = {"entitlements": "pcn", "workforce": "pcn", "arrs": "pcn"}
ONLY = {"resilience": "practice"}
def levels_for(table, org):
    """(level, is the organisation's own level): its own level and the
    table's finest below it, where the table answers at them."""
    own = level[org]
    def valid(lv):
        return lv == ONLY[table] if table in ONLY else RANK.index(lv) >= RANK.index(FINEST.get(table, "practice"))
    rows = ONLY.get(table, FINEST.get(table, "practice"))
    out = [(own, True)] if valid(own) else []
    if RANK.index(rows) < RANK.index(own) and own != "england":
        out.append((rows, False))
    return out

def walk_tables(rt):
    code, body = call("root", "GET", "/api/tables")
    tables = json.loads(body)
    for tb in tables:
        check(f"{tb['name']} is local", tb["local"], tb["name"] in LOCAL_TABLES)
    for user in users:
        for pos, org in orgs_for(user):
            for tb in tables:
                for lv, own in levels_for(tb["name"], org):
                    for fmt in (["json", "csv", "xlsx"] if own else ["json"]):
                        path = f"/api/tables/{tb['name']}?in={org}&level={lv}&format={fmt}{PARAMS.get(tb['name'], '')}"
                        code, body = call(user, "GET", path)
                        allow = may_table(user, tb["name"], pos, own)
                        if not allow:
                            check(f"{user} {pos} {path}", (code, b'"rows"' in body or b"registered" in body), (403, False))
                        elif tb["name"] in EMPTY:
                            check(f"{user} {pos} {path}", code in (400, 404), True)
                        else:
                            check(f"{user} {pos} {path}", code, 200)

def walk_orgs(rt):
    for user in users:
        for pos, org in orgs_for(user):
            code, body = call(user, "GET", f"/api/orgs/{org}")
            check(f"{user} {pos} /api/orgs/{org}", code, 200 if may_org(user, pos) else 403)
            if code == 200:
                check(f"{user} {pos} {org} access", json.loads(body)["access"],
                      {"above": "above scope", "beside": "outside scope"}.get(pos, "within scope"))

def walk_search(rt):
    for user in users:
        for pos, org in orgs_for(user):
            if org == "ENG":
                continue
            code, body = call(user, "GET", f"/api/orgs?q={org}")
            found = code == 200 and any(r["code"] == org for r in json.loads(body)["results"])
            check(f"{user} {pos} search {org}", found, may_org(user, pos))

def walk_spc(rt):
    for user in users:
        for pos, org in orgs_for(user):
            for fmt in ["json", "csv", "xlsx"]:
                path = f"/api/spc/dna_pct/{org}?format={fmt}"
                code, body = call(user, "GET", path)
                # appointments are generated for 16C only: elsewhere no series
                series = org == "16C" or org in up.get("16C", []) or "16C" in up.get(org, [])
                check(f"{user} {pos} {path}", code, (200 if series else 404) if may_org(user, pos) else 403)

def walk_plain(rt):
    for user in users:
        code, body = call(user, rt["method"], rt["path"])
        check(f"{user} {rt['method']} {rt['path']}", code, 200 if admitted(rt, user) else 403)

# register rows: every register; a row is seen when every organisation it
# names is within the scope; registers naming none: admins only
ORGCOLS = {"places": ["parent_code", "member_code"], "programmes": ["org_code"],
           "risks": ["org_code"], "estates": ["practice_code"],
           "list_closures": ["practice_code"], "support_payments": ["practice_code"],
           "visits": ["practice_code"], "care_home_beds": ["beds_org_code"],
           "milestones": [], "budget": []}
def within(code, scope):
    return scope == "ENG" or code == scope or scope in up.get(code, [])

def walk_register_rows(rt):
    for user in users:
        role, scope = users[user]
        for g, cols in ORGCOLS.items():
            rows = list(csv.DictReader(open(f"{templates}/{g}.csv")))
            first = next(iter(rows[0]))
            code, body = call(user, "GET", f"/api/registers/{g}")
            if not cols:
                check(f"{user} GET /api/registers/{g}", code, 200 if role == "admin" else 403)
                continue
            want = sorted(r[first] for r in rows if all(within(r[c], scope) for c in cols if r[c]))
            got = sorted(r["values"][first] for r in json.loads(body)["rows"]) if code == 200 else None
            check(f"{user} GET /api/registers/{g} rows", (code, got), (200, want))

RISK = {"title": "A test risk", "owner": "Tester", "likelihood": "2", "impact": "3",
        "controls": "none", "review_date": "2022-06-30"}
MILESTONE = {"project": "Test project", "milestone": "Half way", "measure": "%", "target": "50",
             "target_date": "2022-09-30"}
made = {}
def make(org, i):
    """A risk row for org, created by the admin; its key."""
    v = dict(RISK, risk_id=f"T{i:04d}", org_code=org)
    code, body = call("root", "POST", "/api/registers/risks", {"values": v})
    return json.loads(body)["key"] if code == 201 else None

def may_edit(rt, user, pos):
    return admitted(rt, user) and pos in ("inside", "below")

counter = [0]
def walk_edit(rt):
    for user in users:
        for pos, org in orgs_for(user):
            counter[0] += 1
            i = counter[0]
            if rt["method"] == "POST":
                v = dict(RISK, risk_id=f"U{i:04d}", org_code=org)
                code, body = call(user, "POST", "/api/registers/risks", {"values": v})
                check(f"{user} {pos} POST risks for {org}", code, 201 if may_edit(rt, user, pos) else 403)
                code, body = call(user, "POST", "/api/registers/milestones", {"values": MILESTONE})
                check(f"{user} POST milestones", code, 201 if users[user][0] == "admin" else 403)
                continue
            key = make(org, i)
            path = f"/api/registers/risks/{key}"
            body = {"values": {"title": "changed"}} if rt["method"] == "PUT" else None
            code, _ = call(user, rt["method"], path, body)
            check(f"{user} {pos} {rt['method']} risks row of {org}", code, 200 if may_edit(rt, user, pos) else 403)

# patient lists (issue 18): the users of that practice only, each read audited
def walk_patients(rt):
    for user in users:
        role, scope = users[user]
        for pos, org in orgs_for(user):
            path = f"/api/patients/{org}?cohort=smr_priority&format=csv"
            code, body = call(user, "GET", path)
            allow = role == "practice" and org == scope
            if not allow or phm == "yes":
                check(f"{user} {pos} {path}", code, 200 if allow else 403)

def walk_unknown(rt):
    for user in users:
        check(f"{user} GET /api/nothing", call(user, "GET", "/api/nothing")[0], 404)
        check(f"{user} PUT /api/nothing", call(user, "PUT", "/api/nothing", {})[0], 405)

def walk_login(rt):
    code, _ = call(None, "POST", "/api/login", {"user": "root"})
    check("POST /api/login without a password", code, 400)

def walk_logout(rt):
    for user in users:
        check(f"{user} logout without the CSRF token", call(user, "POST", "/api/logout", {}, csrf=False)[0], 403)
        check(f"{user} logout", call(user, "POST", "/api/logout", {})[0], 200)
        check(f"{user} after logout", call(user, "GET", "/api/session")[0], 401)

def walk_report(rt):
    # the committee paper holds the registers' tables: the scope only;
    # a practice has no paper (400)
    for user in users:
        for pos, org in orgs_for(user):
            code, body = call(user, "GET", f"/api/report/committee?in={org}&meeting=Test")
            want = 403 if pos not in ("inside", "below") else 400 if level[org] == "practice" else 200
            check(f"{user} {pos} /api/report/committee?in={org}", (code, b"<html" in body[:400].lower() if code == 200 else False),
                  (want, want == 200))

WALKS = {("GET", "/api/report/committee"): walk_report, ("GET", "/api/tables/"): walk_tables, ("GET", "/api/orgs/"): walk_orgs,
         ("GET", "/api/orgs"): walk_search, ("GET", "/api/spc/"): walk_spc,
         ("GET", "/api/session"): walk_plain, ("GET", "/api/sources"): walk_plain,
         ("GET", "/api/tables"): walk_plain, ("GET", "/api/registers"): walk_plain,
         ("GET", "/api/spc"): walk_plain,
         ("GET", "/api/registers/"): walk_register_rows,
         ("POST", "/api/registers/"): walk_edit, ("PUT", "/api/registers/"): walk_edit,
         ("DELETE", "/api/registers/"): walk_edit, ("*", "/api/"): walk_unknown,
         ("GET", "/api/patients/"): walk_patients,
         ("POST", "/api/login"): walk_login, ("POST", "/api/logout"): walk_logout}
# every route needing a session refuses a request without one, first
for rt in routes:
    if rt["auth"] == "yes":
        m = "GET" if rt["method"] == "*" else rt["method"]
        check(f"no session: {m} {rt['path']}", call(None, m, rt["path"] + ("x" if rt["match"] == "prefix" else ""))[0], 401)
# logout last: it ends the sessions
for rt in sorted(routes, key=lambda r: r["path"] == "/api/logout"):
    if not rt["path"].startswith("/api/"):
        continue
    walk = WALKS.get((rt["method"], rt["path"]))
    if not walk:
        bad += 1
        print(f"# route not covered by this test: {rt['method']} {rt['path']}")
        continue
    walk(rt)
    covered.add((rt["method"], rt["path"]))
print(f"{n} {bad} {len(covered)}")
PY
grep '^#' "$T/matrix" | head -40
set -- $(tail -1 "$T/matrix")
check_eq "every API route x role x inside/below/above/beside: answers as the rule says" "${2:-x}" 0
check_eq "... routes walked (every /api/ route of --list-routes)" "${3:-x}" \
    "$(grep -c '	/api/' "$T/routes")"
check_eq "... at least 1,000 answers checked" "$([ "${1:-0}" -ge 1000 ] && echo yes || echo "no: ${1:-0}")" yes

# The FHIR routes of direct booking (issue 19) x every role: who is
# admitted, and who may book a patient of A81001 into the hub's 111 slot
# or A81002's own slot (the rule of issue 19, written out here).
/usr/bin/python3 - "$URL" "$T" "$pw" >"$T/fhir" <<'PY'
import json, sys, urllib.error, urllib.request
url, t, pw = sys.argv[1:4]
users = {"root": "admin", "cara": "commissioner", "pete": "pcn",
         "prue": "practice", "hubert": "hub", "ona": "nhs111"}
def call(tok, method, path, body=None, hdrs=None, csrf=True):
    h = dict(hdrs or {})
    if tok:
        h["Cookie"] = "pccs_session=" + tok["token"]
        if method != "GET" and csrf:
            h["X-CSRF-Token"] = tok["csrf"]
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    r = urllib.request.Request(url + path, data=data, headers=h, method=method)
    try:
        with urllib.request.urlopen(r, timeout=120) as x:
            return x.status, x.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
toks = {}
for u in users:
    r = urllib.request.Request(url + "/api/login", headers={"Content-Type": "application/json"},
                               data=json.dumps({"user": u, "password": pw}).encode())
    with urllib.request.urlopen(r) as x:
        toks[u] = {"token": x.headers["Set-Cookie"].split(";")[0].split("=", 1)[1],
                   "csrf": json.loads(x.read())["csrf"]}
routes = [l.split("\t") for l in open(f"{t}/routes").read().splitlines()[1:]]
fhir = [(r[0], r[1], r[6].split(",")) for r in routes if r[1].startswith("/fhir/")]
n = bad = 0
def check(what, got, want):
    global n, bad
    n += 1
    if got != want:
        bad += 1
        print(f"# {what}: got {got}, want {want}")
_, body = call(toks["root"], "GET", "/fhir/Slot")
slots = {}
for e in json.loads(body)["entry"]:
    slots.setdefault(e["resource"]["schedule"]["display"], []).append(e["resource"]["id"])
def appt(slot, practice):
    return {"resourceType": "Appointment", "status": "booked", "slot": [{"reference": f"Slot/{slot}"}],
            "contained": [{"resourceType": "Patient", "id": "patient",
                           "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}],
                           "generalPractitioner": [{"identifier": {"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": practice}}]}],
            "participant": [{"actor": {"reference": "#patient"}, "status": "accepted"}]}
# who may book A81001's patient: into its PCN hub's 111 slot, into A81002's own
MAY = {"U89141": {"admin", "practice", "hub", "nhs111"}, "A81002": {"admin"}}
covered = set()
ids = {}
order = sorted(fhir, key=lambda r: (r[0] != "POST", r[0] == "PATCH"))
for method, path, roles in order:
    covered.add((method, path))
    for u, role in users.items():
        admitted = role in roles
        tok = toks[u]
        if method == "GET" and path == "/fhir/Slot":
            check(f"{u} GET /fhir/Slot", call(tok, "GET", path)[0], 200 if admitted else 403)
        elif method == "POST":
            check(f"{u} POST without the CSRF token",
                  call(tok, "POST", path, appt(1, "A81001"), {"Idempotency-Key": u}, csrf=False)[0], 403)
            for org in ("U89141", "A81002"):
                code, body = call(tok, "POST", path, appt(slots[org][0], "A81001"),
                                  {"Idempotency-Key": f"{u}-{org}"})
                check(f"{u} books A81001's patient into {org}'s slot", code,
                      201 if admitted and role in MAY[org] else 403)
                if code == 201:
                    ids[(u, org)] = json.loads(body)["id"]
                    call(toks["root"], "PATCH", f"/fhir/Appointment/{ids[(u, org)]}",
                         [{"op": "replace", "path": "/status", "value": "cancelled"}])
        elif method == "GET" and path == "/fhir/Appointment":
            check(f"{u} GET /fhir/Appointment", call(tok, "GET", path)[0], 200 if admitted else 403)
        elif method == "GET":
            code = call(tok, "GET", f"{path}{ids[('root', 'U89141')]}")[0]
            # patient-level: the patient's practice, the hub of the slot, admins
            check(f"{u} GET one appointment", code,
                  200 if role in ("admin", "practice", "hub") else 403)
        elif method == "PATCH":
            code = call(tok, "PATCH", f"{path}{ids[('root', 'U89141')]}",
                        [{"op": "replace", "path": "/status", "value": "fulfilled"}])[0]
            check(f"{u} PATCH a cancelled appointment", code,
                  409 if role in ("admin", "practice", "hub") else 403)
        else:
            bad += 1
            print(f"# route not covered by this test: {method} {path}")
print(f"{n} {bad} {len(covered)}")
PY
grep '^#' "$T/fhir" | head -20
set -- $(tail -1 "$T/fhir")
check_eq "FHIR booking routes x every role (hub and nhs111 too): as the rule says" "${2:-x}" 0
check_eq "... FHIR routes walked (every /fhir/ route of --list-routes)" "${3:-x}" \
    "$(grep -c '	/fhir/' "$T/routes")"

kill -TERM $pid
wait $pid
check_eq "SIGTERM: exit 0" "$?" 0
done_testing
