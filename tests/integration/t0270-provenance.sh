#!/bin/sh
# Provenance of generated and example data (issue 12): a file written by
# scripts/gen-gpw, gen-reg-age, gen-registers or pccs synth, and the
# example rows of data/templates (CSV and xlsx), load as SYNTHETIC or
# EXAMPLE wherever they are, and say so in pccs sources, in the API's
# sources and under every table resting on them; every bundled NHS file
# loads unmarked; resilience leaves out the indicators resting on
# synthetic files unless --include-synthetic.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/*.csv "$DATA"/*.xlsx
check_eq "the bundled NHS files load" "$status" 0

# provenance of every source, by file name, from pccs sources.
marks() {
    "$PCCS" --store "$S" sources --format json | python3 -c '
import json, os, sys
for r in json.load(sys.stdin)["rows"]:
    print(os.path.basename(r["path"]), r["provenance"] or "-")' | sort
}
want=$(for f in "$DATA"/*.csv "$DATA"/*.xlsx; do
    printf '%s -\n' "$(basename "$f")"; done | sort)
check_eq "real files are never marked (every file of data/nhs)" "$(marks)" "$want"

# Generated files, away from scripts/ and data/: the mark is in the file.
mkdir "$T/elsewhere"
G="$T/elsewhere/General Practice - September 2022 Practice Level - Detailed.csv"
python3 scripts/gen-gpw --out "$G"
python3 scripts/gen-reg-age --out "$T/elsewhere" --only quin >/dev/null
run_pccs --store "$S" synth appointments --in 16C --months 3 --out "$T/elsewhere/appts.csv"
/usr/bin/python3 scripts/gen-registers --store "$S" --pccs "$PCCS" --icb QHM \
    --at 2022-06-01 --seed 3 --out "$T/gen" >/dev/null 2>&1
run_pccs --store "$S" load "$G" "$T/elsewhere/gp-reg-pat-prac-quin-age.csv" \
    "$T/elsewhere/appts.csv" "$T/gen/places.csv" "$T/gen/risks.csv"
check_eq "generated files load" "$status" 0
check_eq "... pccs load says SYNTHETIC for each" \
    "$(printf '%s\n' "$out" | grep -c '\[SYNTHETIC\]$')" 5
# The templates: CSV and their xlsx twins (made by scripts/make-templates).
run_pccs --store "$S" load data/templates/places.csv data/templates/budget.csv \
    data/templates/risks.xlsx data/templates/list_closures.xlsx
check_eq "templates load" "$status" 0
check_eq "... pccs load says EXAMPLE for each" \
    "$(printf '%s\n' "$out" | grep -c '\[EXAMPLE\]$')" 4

want=$( (for f in "$DATA"/*.csv "$DATA"/*.xlsx; do
        printf '%s -\n' "$(basename "$f")"; done
    printf '%s SYNTHETIC\n' "$(basename "$G")" gp-reg-pat-prac-quin-age.csv \
        appts.csv places.csv risks.csv
    printf '%s EXAMPLE\n' places.csv budget.csv risks.xlsx list_closures.xlsx) | sort)
check_eq "pccs sources: a provenance column, marked for exactly those" \
    "$(marks)" "$want"
run_pccs --store "$S" sources --format csv
check_match "... with who made it" "$out" \
    "synthetic: written by scripts/gen-gpw \\(seed 2022\\)"
check_match "... and the template's own words" "$out" \
    "example: data/templates \\(replace these rows with your own\\)"

# Tables resting on them carry the mark (JSON "synthetic"/"example" and a
# SYNTHETIC: / EXAMPLE: note naming the file, first); tables on real data
# alone do not.
table_mark() {
    run_pccs --store "$S" table "$@" --format json
    printf '%s\n' "$out" | python3 -c '
import json, sys
t = json.load(sys.stdin)
m = [k for k in ("synthetic", "example") if t.get(k)]
first = t["sources"][0].split(":")[0] if t["sources"] else ""
print(" ".join(m) or "-", first if first in ("SYNTHETIC", "EXAMPLE") else "-")'
}
check_eq "workforce (GP workforce generated)" \
    "$(table_mark workforce --in U02671)" "synthetic SYNTHETIC"
run_pccs --store "$S" table workforce --in U02671
check_match "... the note names the file" "$out" \
    "SYNTHETIC: General Practice Workforce, practice level \\(.*elsewhere/General Practice"
check_eq "age-bands (gen-reg-age)" "$(table_mark age-bands --in 16C)" \
    "synthetic SYNTHETIC"
check_eq "capacity (pccs synth appointments)" \
    "$(table_mark capacity --in 16C --level practice)" "synthetic SYNTHETIC"
check_eq "budget (template)" "$(table_mark budget)" "example EXAMPLE"
check_eq "risks (template xlsx twin)" "$(table_mark risks)" "example EXAMPLE"
check_eq "list-closures (template xlsx twin)" "$(table_mark list-closures)" \
    "example EXAMPLE"
check_eq "qof-prevalence (published only): unmarked" \
    "$(table_mark qof-prevalence --in 16C)" "- -"
check_eq "payments (published only): unmarked" \
    "$(table_mark payments --in 16C --year 2022-23)" "- -"
check_eq "populations (published only): unmarked" \
    "$(table_mark populations --level pcn --in 16C)" "- -"
# A register loaded after the example one, without example rows, is
# local data again (the latest load is the table).
sed '/^R00[1-4],/d; s/,pccs_provenance$//' data/templates/risks.csv >"$T/risks.csv"
printf 'R100,Local risk,Head of Primary Care,16C,2,2,None,2022-06-30\n' >>"$T/risks.csv"
run_pccs --store "$S" load --quiet "$T/risks.csv"
check_eq "risks of a local file: unmarked" "$(table_mark risks)" "- -"

# Resilience: no indicator from synthetic data unless asked.
run_pccs --store "$S" table resilience --in 16C --format json
printf '%s\n' "$out" >"$T/res.json"
check_eq "resilience: no GP FTE or DNA figure (both from generated files)" \
    "$(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
print(sum(r["gp_fte_per_10000"] is not None or r["dna_pct"] is not None
          for r in t["rows"]), len(t["rows"]) > 10)' "$T/res.json")" "0 True"
check_match "... says gp_fte_per_10000 was left out" "$out" \
    "gp_fte_per_10000: left out: it rests on synthetic"
check_match "... and dna_pct" "$out" "dna_pct: left out: it rests on synthetic"
check_eq "... no reason names them" \
    "$(printf '%s\n' "$out" | grep -Ec '(gp_fte_per_10000|dna_pct) [0-9]')" 0
run_pccs --store "$S" table resilience --in 16C --format json --include-synthetic
check_eq "--include-synthetic: rated with them, and marked" \
    "$(printf '%s\n' "$out" | python3 -c '
import json, sys
t = json.load(sys.stdin)
print(all(r["gp_fte_per_10000"] is not None for r in t["rows"]
          if r["gp_fte_per_10000_rag"] != "none") and
      any(r["dna_pct"] is not None for r in t["rows"]), t.get("synthetic"))')" \
    "True True"

done_testing
