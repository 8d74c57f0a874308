# The register table (GET /api/tables/register?group=G) for every register,
# role and format: the rows are those whose organisations are all within
# the user's scope (and within in=), as the published practice -> PCN ->
# sub-ICB map says; rows naming no organisation follow the owner rule.
import csv, io, json, re, sys, urllib.error, urllib.request, zipfile
import xml.etree.ElementTree as ET
url, t, data, templates = sys.argv[1:5]
up = {}
for r in csv.DictReader(open(f"{data}/gp-reg-pat-prac-map_2025-10.csv")):
    up[r["PRACTICE_CODE"]] = [r["PCN_CODE"], r["SUB_ICB_LOCATION_CODE"], r["ICB_CODE"]]
    up[r["PCN_CODE"]] = [r["SUB_ICB_LOCATION_CODE"], r["ICB_CODE"]]
    up[r["SUB_ICB_LOCATION_CODE"]] = [r["ICB_CODE"]]
orgcols = {"places": ["parent_code", "member_code"], "programmes": ["org_code"],
           "risks": ["org_code"], "estates": ["practice_code"],
           "list_closures": ["practice_code"], "support_payments": ["practice_code"],
           "visits": ["practice_code"], "care_home_beds": ["beds_org_code"],
           "milestones": [], "budget": []}
firstcol = {}
rows = {}
for g in orgcols:
    rd = list(csv.DictReader(open(f"{templates}/{g}.csv")))
    rows[g] = rd
    firstcol[g] = open(f"{templates}/{g}.csv").readline().strip().split(",")[0]
def owner(user, scope, g, row, inn):
    # registers naming no organisation, loaded on the command line (which
    # names no organisation): admins only
    return user == "root"
def within(code, scope):
    return scope is None or code == scope or scope in up.get(code, [])
def want(user, scope, g, row, inn):
    cols = orgcols[g]
    if not cols:
        return owner(user, scope, g, row, inn)
    return all(within(row[c], scope) and within(row[c], inn) for c in cols if row[c])
def get(user, path):
    tok = json.load(open(f"{t}/{user}"))["token"]
    r = urllib.request.Request(url + path, headers={"Cookie": "pccs_session=" + tok})
    try:
        with urllib.request.urlopen(r, timeout=60) as x: return x.status, x.read()
    except urllib.error.HTTPError as e: return e.code, e.read()
def parse(fmt, body):
    if fmt == "json":
        return json.loads(body)["rows"]
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(body.decode())))
    z = zipfile.ZipFile(io.BytesIO(body))
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    ss = [ "".join(x.itertext()) for x in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns)] \
        if "xl/sharedStrings.xml" in z.namelist() else []
    out = []
    for row in ET.fromstring(z.read("xl/worksheets/sheet1.xml")).iter(f"{{{ns['m']}}}row"):
        cells = {}
        for c in row.findall("m:c", ns):
            col = re.match(r"[A-Z]+", c.get("r")).group(0)
            v = c.find("m:v", ns)
            cells[col] = (ss[int(v.text)] if c.get("t") == "s" else v.text) if v is not None else None
        out.append(cells)
    head = out[0] if out else {}
    return [{head[k]: v for k, v in r.items() if k in head} for r in out[1:]]
users = [("root", None), ("cara", "16C"), ("olly", "00L"), ("pete", "U89141"), ("prue", "A81001")]
bad = n = 0
for user, scope in users:
    for g in orgcols:
        for inn in [None, "U89141"]:
            for fmt in ["json", "csv", "xlsx"]:
                q = f"/api/tables/register?group={g}&format={fmt}" + (f"&in={inn}" if inn else "")
                code, body = get(user, q)
                exp = [r for r in rows[g] if want(user, scope, g, r, inn)]
                # in= above or beside the scope of a local table: 403
                allowed = inn is None or within(inn, scope)
                n += 1
                if not allowed:
                    if code != 403 or b"rows" in body:
                        bad += 1
                        print(f"# {user} {q}: {code}, want 403")
                    continue
                if code != 200:
                    bad += 1
                    print(f"# {user} {q}: {code}, want 200 {body[:100]}")
                    continue
                got = [r[firstcol[g]] for r in parse(fmt, body)]
                w = [r[firstcol[g]] for r in exp]
                if got != w:
                    bad += 1
                    print(f"# {user} {q}: rows {got}, want {w}")
print(f"{n} {bad}")
