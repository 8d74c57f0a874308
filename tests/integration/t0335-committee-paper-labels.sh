#!/bin/sh
# The committee paper's readable words: the GP bar chart labels each bar
# by the PCN's name (its code in the bar's title and the chart's text
# alternative), a part that cannot be built for the reason the one before
# it could not is said once, and the resilience reasons name each
# indicator by the dashboard's label (model/labels.c), not its column.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
run_pccs --store "$S" load --quiet $(ls "$DATA"/*.csv | grep -v _2026-04) \
    "$DATA"/*.xlsx data/templates/*.csv
check_eq "load" "$status" 0

# 10X has no workforce file: the note once, not once per workforce part.
run_pccs --store "$S" report committee --in 10X --out "$T/10X.html"
check_eq "10X paper: exit 0" "$status" 0
check_eq "10X: 'no workforce for 10X' said once" \
    "$(grep -o 'Not available: no workforce for 10X' "$T/10X.html" | wc -l)" 1

# Section 8's tables: the reasons by the labels, not the column names
# (the source notes under them name the columns, as every table's do).
sec8() {
    python3 - "$1" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
s = s[s.index('<h2>8. '):]
s = s[:s.index('</section>')]
s = ''.join(re.findall(r'<table.*?</table>', s, re.S))
raw = sorted(set(re.findall(r'\b(qof_per_registered|payments_per_weighted|list_size|gp_fte_per_10000)\b', s)))
print(','.join(raw) or 'none', 'QOF per registered patient (£)' in s)
PY
}
check_eq "10X section 8: no column names, the QOF label" "$(sec8 "$T/10X.html")" \
    "none True"
# The CSV keeps the column names.
run_pccs --store "$S" table resilience --level practice --in 10X --format csv
check_match "resilience CSV keeps qof_per_registered" "$out" "qof_per_registered [0-9]"

# The GP chart: a GP workforce file for QHM's practices.
G="$T/General Practice - September 2022 Practice Level - Detailed.csv"
python3 scripts/gen-gpw --out "$G"
run_pccs --store "$S" load --quiet "$G"
check_eq "gpw load" "$status" 0
run_pccs --store "$S" report committee --in QHM --out "$T/QHM.html"
check_eq "QHM paper: exit 0" "$status" 0
run_pccs --store "$S" table workforce --level pcn --in QHM --format csv
printf '%s\n' "$out" >"$T/wf.csv"
bars() {
    python3 - "$1" "$T/wf.csv" <<'PY'
import csv, html, re, sys
s = open(sys.argv[1]).read()
i = s.index('GPs per 10,000 weighted patients by PCN')
svg = s[i:s.index('</svg>', i)]
bars = [(html.unescape(c), html.unescape(n)) for c, n in
        re.findall(r'<text[^>]*text-anchor="end"[^>]*><title>(.*?)</title>(.*?)</text>', svg)]
want = {}
for r in csv.DictReader(open(sys.argv[2])):
    if r['publication'] == 'GP workforce' and r['staff_group'] == 'GP':
        want[r['code']] = r['name']
bad = [c for c, n in bars if want.get(c) != n or n == c]
desc = svg[svg.index('<desc'):svg.index('</desc>')]
print(len(bars), len(want), len(bars) > 0 and len(bars) == len(want), bad,
      all(html.escape(f"{n} ({c})", quote=True) in desc for c, n in bars))
PY
}
check_match "QHM GP chart: each bar by its PCN's name, code in title and desc" \
    "$(bars "$T/QHM.html")" "^[1-9][0-9]* [1-9][0-9]* True \[\] True$"
done_testing
