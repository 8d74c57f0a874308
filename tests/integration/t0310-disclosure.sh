#!/bin/sh
# Disclosure control of derived counts (issue 14, finding 3): the counts
# pccs derives (programme-status from a programmes register loaded for
# 16C) are shown as they are to the owning organisation (16C's
# commissioner; the command line, whose user holds the store) and through
# control to everyone else (a PCN user, an admin, --suppress): 1 to 7 as
# "*", others rounded to 5, and complementary suppression so that no
# hidden count is a row's total or the Total row minus the cells shown.
# Every figure is checked against python's count of the generated file,
# and the API's answers are byte-identical to the command line's
# (--viewer CODE) for each reader.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
MAP=$DATA/gp-reg-pat-prac-map_2025-10.csv
run_pccs --store "$S" load --quiet "$MAP"
check_eq "load the map" "$status" 0

# Programmes of PCN U89141 (in 16C): per workstream, how many items are
# in each state on 2022-06-01 (overdue: due before it, not achieved).
/usr/bin/python3 - "$T/programmes.csv" <<'PY'
import csv, sys
plan = {  # not started, achieved and closed, in progress, overdue
    "Access": (0, 12, 20, 3),
    "Workforce": (9, 15, 30, 11),
    "Estates": (10, 8, 25, 14),
}
with open(sys.argv[1], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["workstream", "project", "owner", "org_code", "start_date",
                "due_date", "status", "rag"])
    for ws, counts in plan.items():
        for state, n in zip(("not started", "achieved and closed",
                             "in progress", "overdue"), counts):
            for i in range(n):
                due = "2022-01-31" if state == "overdue" else "2022-12-31"
                status = "in progress" if state == "overdue" else state
                w.writerow([ws, f"{ws} {state} {i}", "Lead", "U89141",
                            "2021-04-01", due, status, "amber"])
PY
run_pccs --store "$S" load --quiet --org 16C "$T/programmes.csv"
check_eq "programmes loaded for 16C" "$status" 0

pw='a long enough passphrase'
for u in "root admin ENG" "cara commissioner 16C" "pete pcn U89141"; do
    set -- $u
    printf '%s\n' "$pw" | "$PCCS" --store "$S" user add "$1" --role "$2" --scope "$3" 2>/dev/null
done
"$PCCS" --store "$S" serve --listen 127.0.0.1:0 >"$T/out" 2>"$T/log" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q listening "$T/out"; do sleep 0.1; i=$((i + 1)); done
URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$T/out")
C="/usr/bin/python3 $ROOT/tests/integration/client.py $URL"
for u in root cara pete; do $C --login $u "$pw" --jar "$T/$u" >/dev/null 2>&1; done

Q="in=U89141&at=2022-06-01"
A="--in U89141 --at 2022-06-01"
for u in root cara pete; do
    $C "/api/tables/programme-status?$Q" --jar "$T/$u" >"$T/api-$u.json" 2>"$T/code"
    check_eq "$u reads programme-status of U89141: 200" "$(tail -1 "$T/code")" 200
done
# shellcheck disable=SC2086
"$PCCS" --store "$S" table programme-status $A --format json >"$T/cli.json"
# shellcheck disable=SC2086
"$PCCS" --store "$S" table programme-status $A --format json --suppress >"$T/cli-suppress.json"
# shellcheck disable=SC2086
"$PCCS" --store "$S" table programme-status $A --format json --viewer 16C >"$T/cli-16C.json"
# shellcheck disable=SC2086
"$PCCS" --store "$S" table programme-status $A --format json --viewer U89141 >"$T/cli-U89141.json"

check_eq "API = CLI: the owner's commissioner = --viewer 16C" \
    "$(cmp -s "$T/api-cara.json" "$T/cli-16C.json" && echo same)" same
check_eq "API = CLI: the PCN user = --viewer U89141" \
    "$(cmp -s "$T/api-pete.json" "$T/cli-U89141.json" && echo same)" same
check_eq "API = CLI: an admin (no organisation) = --suppress" \
    "$(cmp -s "$T/api-root.json" "$T/cli-suppress.json" && echo same)" same

# Each answer against the file: exact for the owner, controlled for the
# others; and in every row (states -> total) and every column (workstreams
# -> Total) never exactly one hidden cell.
check() {
    /usr/bin/python3 - "$T/programmes.csv" "$1" "$2" <<'PY'
import csv, json, sys
states = ["not_started", "achieved_and_closed", "in_progress", "overdue"]
true = {}
for r in csv.DictReader(open(sys.argv[1])):
    if r["status"] == "achieved and closed":
        s = "achieved_and_closed"
    elif r["due_date"] < "2022-06-01":
        s = "overdue"
    else:
        s = r["status"].replace(" ", "_")
    row = true.setdefault(r["workstream"], dict.fromkeys(states, 0))
    row[s] += 1
true["Total"] = {s: sum(true[w][s] for w in true) for s in states}
for row in true.values():
    row["total"] = sum(row[s] for s in states)
got = {r["workstream"]: r for r in json.load(open(sys.argv[2]))["rows"]}
bad = []
if sorted(got) != sorted(true):
    bad.append(f"rows {sorted(got)}")
cols = states + ["total"]
hidden = complements = 0
for w, row in true.items():
    for c in cols:
        v, g = row[c], got.get(w, {}).get(c)
        if sys.argv[3] == "owner":
            if g != v:
                bad.append(f"{w} {c}: {g}, want {v}")
            continue
        if g == "*":
            hidden += 1
            complements += v == 0 or v > 7
        elif 1 <= v <= 7:
            bad.append(f"{w} {c}: {g} shown, want * ({v})")
        elif g != int(v / 5 + 0.5) * 5:
            bad.append(f"{w} {c}: {g}, want {v} rounded to 5")
if sys.argv[3] != "owner":
    # A hidden child is recovered when it is the only hidden cell of a
    # parent-and-children group: the total minus the others shown.
    groups = [[(w, c) for c in cols] for w in true]
    groups += [[(w, c) for w in true] for c in cols]
    for g in groups:
        h = [x for x in g if got[x[0]][x[1]] == "*"]
        if len(h) == 1:
            w, c = h[0]
            shown = [got[x[0]][x[1]] for x in g if x != h[0]]
            bad.append(f"{w} {c} recoverable from {shown}")
print(f"{hidden} {complements} {len(bad)}")
for b in bad:
    print("#", b)
PY
}
out=$(check "$T/api-cara.json" owner)
check_eq "16C's commissioner (the owner): every count as derived (3 overdue in Access)" "$(printf '%s\n' "$out" | head -1)" "0 0 0"
printf '%s\n' "$out" | grep '^#'
out=$(check "$T/cli.json" owner)
check_eq "the command line (who holds the store): every count as derived" "$(printf '%s\n' "$out" | head -1)" "0 0 0"
for who in pete root; do
    out=$(check "$T/api-$who.json" other)
    printf '%s\n' "$out" | grep '^#'
    # 3 (Access overdue) hidden; then 12 (its row), 11 (its column), 8
    # (achieved's column), 9 and 10 (the rows of 11 and 8): 6 hidden, 5
    # of them counts over 7 hidden only so that 3 cannot be had back.
    check_eq "$who (not the owner): 3 hidden, 5 complementary cells, none recoverable by subtraction" \
        "$(printf '%s\n' "$out" | head -1)" "6 5 0"
done
check_match "the note says what was done" "$(tail -c 2000 "$T/api-pete.json")" \
    "6 suppressed, 5 of them so that none can be had by subtracting"

# CSV downloads carry the same marks.
$C "/api/tables/programme-status?$Q&format=csv" --jar "$T/pete" >"$T/pete.csv" 2>/dev/null
check_eq "CSV for the PCN user: Access's row" "$(grep '^Access,' "$T/pete.csv" | tr -d '\r')" "Access,0,*,20,*,35"

kill -TERM $pid
wait $pid
done_testing
