#!/bin/sh
# `pccs show CODE --compare` prints each figure with the decimals of its
# own row, not 2 for all: a count of patients as an integer (3,747, as
# Populations shows it), a QOF prevalence with the qof-prevalence
# table's 3; the figures recomputed by python from the files.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/gp-reg-pat-prac-all_2026-04.csv \
    "$DATA"/gp-reg-pat-prac-map_2025-10.csv "$DATA"/qof2021_PREVALENCE_2021_v2.csv
check_eq "load" "$status" 0
run_pccs --store "$S" show A81001 --compare
check_eq "show --compare" "$status" 0
printf '%s\n' "$out" >"$T/show.txt"

got=$(/usr/bin/python3 - "$T/show.txt" "$DATA" <<'PY'
import csv, re, sys
d = sys.argv[2]
reg = {r["CODE"]: int(r["NUMBER_OF_PATIENTS"])
       for r in csv.DictReader(open(f"{d}/gp-reg-pat-prac-all_2026-04.csv"))}
icb = {r["PRACTICE_CODE"]: r["ICB_CODE"]
       for r in csv.DictReader(open(f"{d}/gp-reg-pat-prac-map_2025-10.csv"))}
qof = {(r["PRACTICE_CODE"], r["GROUP_CODE"]): (int(r["REGISTER"]), int(r["PRACTICE_LIST_SIZE"]))
       for r in csv.DictReader(open(f"{d}/qof2021_PREVALENCE_2021_v2.csv"))}
rows = {}
for line in open(sys.argv[1]):
    f = line.split()
    if f and f[0] in ("populations.registered", "qof-prevalence.prevalence_pct.HYP",
                      "qof-prevalence.prevalence_pct.DM"):
        rows[f[0]] = f
want = {
    "populations.registered": [f"{reg['A81001']:,}",
                               f"{sum(v for c, v in reg.items() if icb.get(c) == 'QHM'):,}"],
    "qof-prevalence.prevalence_pct.HYP": [f"{100 * qof['A81001', 'HYP'][0] / qof['A81001', 'HYP'][1]:.3f}"],
    "qof-prevalence.prevalence_pct.DM": [f"{100 * qof['A81001', 'DM'][0] / qof['A81001', 'DM'][1]:.3f}"],
}
out = []
for fig, w in want.items():
    f = rows.get(fig, [])
    # figure, label words, unit, value, icb, region, england, rank, ...
    first = next(i for i, x in enumerate(f) if re.fullmatch(r"[0-9,.]+", x))
    vals = f[first:first + 4]
    ok = vals[:len(w)] == w
    ndec = {len(v.split(".")[1]) if "." in v else 0 for v in vals}
    out.append(f"{fig}={'ok' if ok else vals} decimals={sorted(ndec)}")
print("\n".join(out))
PY
)
check_eq "each row with its own decimals: counts whole, prevalence 3 (= python)" "$got" \
"populations.registered=ok decimals=[0]
qof-prevalence.prevalence_pct.HYP=ok decimals=[3]
qof-prevalence.prevalence_pct.DM=ok decimals=[3]"
check_match "... the column heads still right-aligned over the figures" \
    "$(grep '^figure ' "$T/show.txt")" "  unit +value +icb +region +england +rank"
run_pccs --store "$S" show A81001 --compare --format json
check_eq "JSON: each row's decimals (registered 0, prevalence 3)" \
    "$(printf '%s' "$out" | grep -o '"decimals": [0-9][0-9]*' | tr '\n' ' ')" \
    '"decimals": 0 "decimals": 2 "decimals": 3 "decimals": 3 '
done_testing
