#!/bin/sh
# Local registers for a whole real ICB (issue 6): scripts/gen-registers
# writes every register for all of NHS North East and North Cumbria (QHM)
# from the tree pccs built from the bundled NHS files (361 practices, 67
# PCNs, 8 sub-ICB locations as at 2022-06-01), they load, and every derived
# figure of every register table is checked against python computing it
# from the register files alone: overdue programmes, milestone results,
# risk scores and RAG, tenure and void shares and void cost, budget
# variance and movement, closures in force, support payment totals, visit
# gaps and months since, the care home premium and the places' roll-up;
# for all of the ICB and within one sub-ICB location.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
G=$T/reg
AT=2022-06-01
run_pccs --store "$S" load --quiet "$DATA"/*.csv "$DATA"/*.xlsx
check_eq "NHS files" "$status" 0
/usr/bin/python3 scripts/gen-registers --store "$S" --pccs "$PCCS" --icb QHM --at $AT \
    --seed 7 --out "$G" >"$T/gen" 2>&1
check_eq "gen-registers for QHM" "$?" 0
check_match "... every practice and PCN of the ICB" "$(cat "$T/gen")" \
    "QHM as at $AT: 361 practices, 67 PCNs, 8 sub-ICB locations"
regs="places programmes milestones risks estates budget list_closures support_payments visits care_home_beds"
files=""
for r in $regs; do files="$files $G/$r.csv"; done
# shellcheck disable=SC2086
run_pccs --store "$S" load --quiet $files
check_eq "all ten registers load" "$status" 0
check_eq "... every row stored" \
    "$(sql "$S" "select sum(rows_loaded) from sources where kind like 'register_%'")" \
    "$(for r in $regs; do tail -n +2 "$G/$r.csv"; done | wc -l | tr -d ' ')"

# The tree the registers hang on (input to the checks, not checked here:
# t0001 and t0030 check it against the published maps).
"$PCCS" --store "$S" orgs --level practice --in QHM --at $AT --format csv >"$T/prac.csv"
"$PCCS" --store "$S" orgs --level practice --at 2021-04-01 --format csv >"$T/prac-2021.csv"
for lv in practice pcn place; do
    "$PCCS" --store "$S" orgs --level $lv --in 16C --at $AT --format csv >"$T/in16C-$lv.csv"
done

# What pccs says, as JSON, one file per question.
q() { f=$1; shift; "$PCCS" --store "$S" table "$@" --format json >"$T/got-$f.json"; }
q ps programme-status --at $AT
q ps16C programme-status --at $AT --in 16C
q ms milestones --at $AT
q risks risks --at $AT
q risks16C risks --at $AT --in 16C
q est estates --at $AT
q est16C estates --at $AT --in 16C
q bud budget
q clo list-closures --at $AT
q pay support-payments
q pay16C support-payments --in 16C
q vis visits --at $AT --in QHM
q vis16C visits --at $AT --in 16C
q ent entitlements --year 2021-22 --in QHM --level pcn
q pcnpop populations --level pcn --in QHM --period 2022-23
q placepop populations --level place --in QHM --period 2022-23
"$PCCS" --store "$S" load --quiet "$G/budget-next.csv" >/dev/null
q bud2 budget

/usr/bin/python3 - "$G" "$T" "$AT" data/rules/risk.csv data/rates/pcn.csv <<'PY' >"$T/checks"
import csv, datetime, json, math, sys
G, T, at, riskrules, rates = sys.argv[1], sys.argv[2], datetime.date.fromisoformat(sys.argv[3]), sys.argv[4], sys.argv[5]
rd = lambda f: list(csv.DictReader(open(f, newline="")))
reg = lambda name: rd(f"{G}/{name}.csv")
got = lambda name: json.load(open(f"{T}/got-{name}.json"))["rows"]
d = lambda s: datetime.date.fromisoformat(s) if s else None
codes = lambda f: {r["code"] for r in rd(f"{T}/{f}.csv")}

def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)

def report(name, want, have):
    """want, have: dicts key -> tuple of values"""
    bad = [k for k in set(want) | set(have)
           if k not in want or k not in have or len(want[k]) != len(have[k])
           or not all(close(x, y) if isinstance(x, (int, float)) or isinstance(y, (int, float)) or x is None
                      else x == y for x, y in zip(want[k], have[k]))]
    print(f"{'ok' if not bad and want else 'not ok'}|{name}: {len(want)} rows"
          + ("" if not bad else f"; first difference {sorted(bad, key=str)[0]}: want "
             f"{want.get(sorted(bad, key=str)[0])} got {have.get(sorted(bad, key=str)[0])}"))

in16 = codes("in16C-practice") | codes("in16C-pcn") | codes("in16C-place") | {"16C"}

# programme-status: overdue when due before the day and not achieved
def ps(rows):
    w = {}
    for r in rows:
        k = ("achieved_and_closed" if r["status"] == "achieved and closed"
             else "overdue" if d(r["due_date"]) < at
             else r["status"].replace(" ", "_"))
        for ws in (r["workstream"], "Total"):
            w.setdefault(ws, dict.fromkeys(["not_started", "achieved_and_closed", "in_progress", "overdue"], 0))
            w[ws][k] += 1
    return {ws: tuple(c.values()) + (sum(c.values()),) for ws, c in w.items()}
cols = ["not_started", "achieved_and_closed", "in_progress", "overdue", "total"]
report("programme-status, QHM", ps(reg("programmes")),
       {r["workstream"]: tuple(r[c] for c in cols) for r in got("ps")})
report("programme-status within 16C", ps([r for r in reg("programmes") if r["org_code"] in in16]),
       {r["workstream"]: tuple(r[c] for c in cols) for r in got("ps16C")})

# milestones: achieved as % of target; met, met late, missed, not yet due
want = {}
for i, r in enumerate(reg("milestones")):
    t, a = float(r["target"]), float(r["achieved"]) if r["achieved"] else None
    td, ad = d(r["target_date"]), d(r["achieved_date"])
    res = ("met" if a is not None and a >= t and (ad is None or ad <= td)
           else "met late" if a is not None and a >= t else "missed" if td < at else "not yet due")
    want[i] = (a / t * 100 if a is not None and t > 0 else None, res)
report("milestones: % of target and result", want,
       {i: (r["achieved_pct_of_target"], r["result"]) for i, r in enumerate(got("ms"))})

# risks: score, RAG by data/rules/risk.csv, review overdue; sorted by score
bands = [(float(b["score_from"]), float(b["score_to"]), b["rag"]) for b in rd(riskrules)]
def risks(rows):
    out = {}
    for r in rows:
        s = int(r["likelihood"]) * int(r["impact"])
        out[r["risk_id"]] = (s, [g for lo, hi, g in bands if lo <= s <= hi][0],
                             "yes" if d(r["review_date"]) < at else "no")
    return out
g = got("risks")
report("risks: score, RAG, review overdue", risks(reg("risks")),
       {r["risk_id"]: (r["score"], r["rag"], r["review_overdue"]) for r in g})
print(f"{'ok' if all(g[i]['score'] >= g[i + 1]['score'] for i in range(len(g) - 1)) else 'not ok'}"
      "|risks sorted by score, highest first")
report("risks within 16C", risks([r for r in reg("risks") if r["org_code"] in in16]),
       {r["risk_id"]: (r["score"], r["rag"], r["review_overdue"]) for r in got("risks16C")})

# estates: per place and tenure (and all), shares, void cost per premises
def estates(rows):
    acc = {}
    for r in rows:
        p = r["place"] or "(no place)"
        a, v, c = float(r["area_m2"]), float(r["void_m2"]), float(r["annual_cost"])
        for t in (r["tenure"], "all"):
            x = acc.setdefault((p, t), [0, 0, 0, 0, 0, 0, 0])
            for i, y in enumerate((1, a, v, c, c * v / a if a else 0, float(r["void_invoiced"]), float(r["void_agreed"]))):
                x[i] += y
    return {k: (x[0], x[1], x[1] / acc[(k[0], "all")][1] * 100, x[2], x[2] / x[1] * 100, x[3], x[4], x[5], x[6])
            for k, x in acc.items()}
ec = ["premises", "area_m2", "area_pct", "void_m2", "void_pct", "annual_cost", "void_cost", "void_invoiced", "void_agreed"]
report("estates: tenure mix, void area and cost by place", estates(reg("estates")),
       {(r["place"], r["tenure"]): tuple(r[c] for c in ec) for r in got("est")})
report("estates within 16C", estates([r for r in reg("estates") if r["practice_code"] in in16]),
       {(r["place"], r["tenure"]): tuple(r[c] for c in ec) for r in got("est16C")})

# budget: plan, actual, forecast over the months; variance; movement
def budget(rows):
    acc = {}
    for r in rows:
        for l in (r["line"], "Total"):
            x = acc.setdefault(l, [0, 0, 0])
            for i, c in enumerate(("plan", "actual", "forecast")):
                x[i] += float(r[c])
    return acc
b1, b2 = budget(reg("budget")), budget(rd(f"{G}/budget-next.csv"))
report("budget: plan, actual, forecast, variance, variance %",
       {l: (p, a, f, f - p, (f - p) / p * 100) for l, (p, a, f) in b1.items()},
       {r["line"]: (r["plan"], r["actual"], r["forecast"], r["variance"], r["variance_pct"]) for r in got("bud")})
report("budget: movement in forecast since the previous load",
       {l: (b2[l][2] - b1[l][2],) for l in b2},
       {r["line"]: (r["movement_since_last"],) for r in got("bud2")})

# list closures: in force on the day; review overdue while in force
want = {}
for r in reg("list_closures"):
    f, t = d(r["closed_from"]), d(r["closed_to"])
    force = f <= at <= t
    want[(r["practice_code"], r["closed_from"])] = ("yes" if force else "no",
                                                   "yes" if force and d(r["review_date"]) < at else "no")
report("list closures: in force, review overdue", want,
       {(r["code"], r["closed_from"]): (r["in_force"], r["review_overdue"]) for r in got("clo")})

# support payments: every payment and the total, for QHM and within 16C
for name, rows in (("support payments", reg("support_payments")),
                   ("support payments within 16C", [r for r in reg("support_payments") if r["practice_code"] in in16])):
    g = got("pay" if "16C" not in name else "pay16C")
    want = {"Total": (round(sum(float(r["amount"]) for r in rows), 2), len(rows))}
    have = {"Total": (sum(r["amount"] for r in g if r["code"] == "Total"), len([r for r in g if r["code"] != "Total"]))}
    report(name + ": total and count", want, have)

# visits: practices in the tree on the day not visited in the 18 months
# before it (the same day of the month, at most the 28th), or never
m = at.year * 12 + at.month - 1 - 18
since = datetime.date(m // 12, m % 12 + 1, min(at.day, 28))
last = {}
for r in reg("visits"):
    v = d(r["visit_date"])
    if v <= at and v > last.get(r["practice_code"], datetime.date.min):
        last[r["practice_code"]] = v
def gaps(practices):
    out = {}
    for p in practices:
        lv = last.get(p)
        if lv is None:
            out[p] = ("never", None)
        elif lv < since:
            out[p] = (lv.isoformat(), (at.year - lv.year) * 12 + at.month - lv.month - (at.day < lv.day))
    return out
report("visits: not visited in 18 months, months since", gaps(codes("prac")),
       {r["code"]: (r["last_visit"], r["months_since"]) for r in got("vis")})
report("visits within 16C", gaps(codes("in16C-practice")),
       {r["code"]: (r["last_visit"], r["months_since"]) for r in got("vis16C")})

# care home premium 2021-22: beds (a practice's in its PCN on 1 April 2021)
# x the year's rate per bed
rate = [float(r["value"]) for r in rd(rates)
        if r["financial_year"] == "2021-22" and r["item"] == "care_home_premium_per_bed"][0]
pcn_of = {r["code"]: r["parent_code"] for r in rd(f"{T}/prac-2021.csv")}
beds = {}
for r in reg("care_home_beds"):
    p = r["beds_org_code"]
    p = pcn_of.get(p, p)
    beds[p] = beds.get(p, 0) + int(r["beds"])
ent = got("ent")
report("care home premium: beds x rate for every PCN",
       {r["code"]: (beds.get(r["code"], 0) * rate,) for r in ent},
       {r["code"]: (r["care_home_premium"],) for r in ent})

# places: each place's registered and weighted patients = its member PCNs'
pcn = {r["code"]: r for r in got("pcnpop")}
want = {}
for r in reg("places"):
    x = want.setdefault(r["place_code"], [0, 0, 0])
    for i, c in enumerate(("practices", "registered", "weighted")):
        x[i] += pcn[r["member_code"]][c]
report("places: practices, registered, weighted = their PCNs' sums",
       {k: tuple(v) for k, v in want.items()},
       {r["code"]: (r["practices"], r["registered"], r["weighted"]) for r in got("placepop")})
PY
while IFS='|' read -r res name; do
    if [ "$res" = ok ]; then ok "$name"; else not_ok "$name"; fi
done <"$T/checks"
check_eq "every check ran" "$(wc -l <"$T/checks" | tr -d ' ')" 17
done_testing
