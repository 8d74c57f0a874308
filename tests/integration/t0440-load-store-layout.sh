#!/bin/sh
# The layout a load writes fast (issue 17, migration 17): a new store has
# 16 KiB pages and no WAL left once the load ends; attributes are one
# B-tree keyed (source_id, key, org) and hold each practice's contract
# type as the payments file gives it (read with python3 from the CSV);
# a store of schema 16 (attrs a rowid table with two indexes, links_key
# led by child) migrates with every row kept and the same payments
# table, split by contract type, before and after.
. "$(dirname "$0")/lib.sh"
on_pg && skip_all "on PostgreSQL: the layout of the SQLite file"

PAY=$DATA/nhs-payments-to-general-practice_2014-15.csv
MAP=$DATA/gp-reg-pat-prac-map_2020-09.csv
S=$T/s.db
run_pccs --store "$S" load --quiet "$PAY" "$MAP"
check_eq "load" "$status" 0
check_eq "no WAL left after the load" "$(ls "$S-wal" 2>/dev/null)" ""

sq() { python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for r in c.execute(sys.argv[2]): print("|".join(map(str, r)))' "$S" "$1"; }

check_eq "16 KiB pages" "$(sq 'PRAGMA page_size')" 16384
check_eq "attrs WITHOUT ROWID, keyed by source first" \
    "$(sq "SELECT sql LIKE '%PRIMARY KEY (source_id, key, org)) WITHOUT ROWID'
           FROM sqlite_master WHERE name = 'attrs'")" 1
check_eq "one index on attrs or links besides their keys" \
    "$(sq "SELECT group_concat(name) FROM sqlite_master WHERE type = 'index'
           AND tbl_name IN ('attrs', 'links') AND sql IS NOT NULL")" links_key

# Each practice's contract type, from the CSV.
python3 - "$PAY" >"$T/want" <<'PY'
import csv, sys
rows = csv.reader(open(sys.argv[1], encoding='latin-1'))
head = [h.strip().lstrip('\ufeff').lower() for h in next(rows)]
p, c = head.index('practice code'), head.index('contract type')
got = {}
for r in rows:
    if len(r) > c and r[c].strip():
        got.setdefault(r[p].strip(), r[c].strip())
for k in sorted(got):
    print(f"{k}|{got[k]}")
PY
sq "SELECT org, value FROM attrs WHERE key = 'contract_type' AND source_id =
    (SELECT id FROM sources WHERE kind LIKE 'payments%') ORDER BY org" \
    >"$T/got"
check_eq "contract types: $(wc -l <"$T/want") practices as in the CSV" \
    "$(cmp "$T/want" "$T/got" 2>&1 && echo same)" same

table() {
    for c in GMS APMS; do
        "$PCCS" --store "$S" table payments --level icb --year 2014-15 \
            --contract $c --format csv
    done
}
table >"$T/before" 2>&1
counts="SELECT (SELECT count(*) FROM attrs), (SELECT count(*) FROM links),
    (SELECT count(DISTINCT source_id || child || ifnull(parent, '') ||
     parent_level || ifnull(start_date, '') || ifnull(end_date, ''))
     FROM links)"
n=$(sq "$counts")

# Back to schema 16, then open with this pccs.
python3 - "$S" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript("""
BEGIN;
CREATE TABLE attrs_old (org TEXT NOT NULL, key TEXT NOT NULL, value TEXT,
    as_of TEXT, source_id INTEGER NOT NULL, PRIMARY KEY (org, key, source_id));
INSERT INTO attrs_old SELECT org, key, value, as_of, source_id FROM attrs;
DROP TABLE attrs; ALTER TABLE attrs_old RENAME TO attrs;
CREATE INDEX attrs_source ON attrs (source_id, key);
DROP INDEX links_key;
CREATE UNIQUE INDEX links_key ON links (child, ifnull(parent, ''),
    parent_level, ifnull(start_date, ''), ifnull(end_date, ''), source_id);
PRAGMA user_version = 16;
COMMIT;
""")
PY
check_eq "schema 16" "$(sq 'PRAGMA user_version')" 16
table >"$T/after" 2>&1
check_eq "migrated to 17" "$(sq 'PRAGMA user_version')" 17
check_eq "every attribute and membership kept, none twice" "$(sq "$counts")" "$n"
check_eq "payments by contract type: the same after the migration" \
    "$(cmp "$T/before" "$T/after" 2>&1 && echo same)" same
check_eq "the tables have rows" "$(grep -c . "$T/after")" \
    "$(grep -c . "$T/before")"
check_eq "attrs again WITHOUT ROWID" \
    "$(sq "SELECT sql LIKE '%WITHOUT ROWID' FROM sqlite_master
           WHERE name = 'attrs'")" 1
done_testing
