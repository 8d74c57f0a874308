#!/bin/sh
# pccs load writes its pages once (issues 17 and 18): alone on a SQLite
# store it loads in a rollback journal, not the WAL, and leaves the store
# in WAL mode; beside another connection it keeps the WAL. Both stores
# hold the same figures. A store a crash left in rollback mode, with a
# hot journal, is rolled back and put back in WAL mode by the next open.
. "$(dirname "$0")/lib.sh"
on_pg && skip_all "on PostgreSQL: the journal of the SQLite file"
command -v strace >/dev/null || skip_all "no strace"

PAY=$DATA/nhs-payments-to-general-practice_2014-15.csv
MAP=$DATA/gp-reg-pat-prac-map_2020-09.csv

sq() { python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for r in c.execute(sys.argv[2]): print("|".join(map(str, r)))' "$1" "$2"; }

# LeakSanitizer cannot run under ptrace: no leak check for the runs
# strace watches (make SANITIZE=...; other tests check these commands).
NOLEAK=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
export NOLEAK

# The files a run opens beside the store: journal, wal (sorted, once each).
beside() { grep -o "$1-[a-z]*\"" "$T/trace" | sed "s|^$1-||; s|\"||" |
    grep -v shm | sort -u | tr '\n' ' '; }

# Alone: a rollback journal during the load, WAL after it.
A=$T/a.db
ASAN_OPTIONS=$NOLEAK strace -f -e trace=openat -o "$T/trace" "$PCCS" \
    --store "$A" load --quiet \
    "$PAY" "$MAP" >/dev/null 2>"$T/err"
check_eq "load alone" "$?" 0
check_match "alone: the load opened a rollback journal" "$(beside "$A")" \
    "journal"
check_eq "alone: WAL again after the load" "$(sq "$A" 'PRAGMA journal_mode')" \
    wal
check_eq "alone: no journal or WAL file left" \
    "$(ls "$A-journal" "$A-wal" 2>/dev/null)" ""

# Beside another connection (a server's, say): the WAL all along.
B=$T/b.db
"$PCCS" --store "$B" sources >/dev/null
python3 - "$B" "$PCCS" "$PAY" "$MAP" >"$T/held" 2>&1 <<'PY'
import os, sqlite3, subprocess, sys, time
db, pccs, *files = sys.argv[1:]
c = sqlite3.connect(db)
c.execute("SELECT count(*) FROM sources").fetchone()
t = time.monotonic()
p = subprocess.run(["strace", "-f", "-e", "trace=openat", "-o",
                    db + ".trace", pccs, "--store", db, "load", "--quiet"]
                   + files, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, ASAN_OPTIONS=os.environ["NOLEAK"]))
print(p.returncode, "waited" if time.monotonic() - t > 20 else "at once",
      c.execute("PRAGMA journal_mode").fetchone()[0])
PY
check_eq "beside another connection: loaded at once, in WAL mode" \
    "$(cat "$T/held")" "0 at once wal"
mv "$B.trace" "$T/trace"
check_eq "beside another connection: no rollback journal" \
    "$(beside "$B" | grep -c journal)" 0

check_eq "both loads: two sources each" \
    "$(sq "$A" 'SELECT count(*) FROM sources') $(sq "$B" 'SELECT count(*) FROM sources')" \
    "2 2"
for s in "$A" "$B"; do
    "$PCCS" --store "$s" table payments --level icb --year 2014-15 \
        --format csv >"$s.csv" 2>&1
done
check_eq "the same payments table from both ($(grep -c . "$A.csv") lines)" \
    "$(cmp "$A.csv" "$B.csv" && echo same)" same
check_eq "the payments table has rows" \
    "$([ "$(grep -c . "$A.csv")" -gt 2 ] && echo yes)" yes

# A crash in rollback mode: rows written past the cache, then the process
# gone before its commit, leaving a hot journal.
python3 - "$A" <<'PY'
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA journal_mode = DELETE")
c.execute("CREATE TABLE t0445 (x BLOB)")
c.execute("INSERT INTO t0445 VALUES (1)")
c.execute("PRAGMA cache_size = 4")
c.execute("BEGIN")
c.execute("DELETE FROM sources")
for i in range(2000):
    c.execute("INSERT INTO t0445 VALUES (randomblob(4000))")
os._exit(0)
PY
check_eq "a hot journal left by the crash" \
    "$(ls "$A-journal" >/dev/null 2>&1 && echo yes)" yes
run_pccs --store "$A" sources
check_eq "the next command opens it" "$status" 0
check_eq "the crashed transaction rolled back" \
    "$(sq "$A" 'SELECT count(*) FROM t0445') $(sq "$A" 'SELECT count(*) FROM sources')" \
    "1 2"
check_eq "WAL again after the crash" "$(sq "$A" 'PRAGMA journal_mode')" wal
check_eq "intact" "$(sq "$A" 'PRAGMA integrity_check')" ok
# One load's files are one transaction (each a savepoint in it): a file
# refused in the middle of its rows is undone alone, the files before it
# and a file loaded again (undone, "already loaded") leave the others in.
C=$T/c.db
python3 - "$DATA/nhs-payments-to-general-practice_2015-16.csv" "$T/bad.csv" <<'PY'
import sys
lines = open(sys.argv[1], encoding="latin-1").read().splitlines()
cells = lines[-1].split(",")
cells[-1] = "12x"
lines[-1] = ",".join(cells)
open(sys.argv[2], "w", encoding="latin-1").write("\n".join(lines) + "\n")
PY
run_pccs --store "$C" load --quiet "$MAP" "$PAY" "$T/bad.csv" "$PAY"
check_eq "a refused file: exit 1" "$status" 1
check_match "names the refused cell" "$errout" "bad.csv:[0-9]*:[0-9]*: expected an amount"
check_eq "the two files before it kept, nothing of it" \
    "$(sq "$C" 'SELECT count(*) FROM sources') $(sq "$C" "SELECT count(*) FROM sources WHERE path LIKE '%bad.csv'")" \
    "2 0"
run_pccs --store "$C" load --quiet "$PAY" "$DATA/nhs-payments-to-general-practice_2015-16.csv"
check_eq "a file loaded again, then a new one: exit 0" "$status" 0
check_eq "the new one kept" "$(sq "$C" 'SELECT count(*) FROM sources')" 3
check_eq "WAL after, intact" \
    "$(sq "$C" 'PRAGMA journal_mode') $(sq "$C" 'PRAGMA integrity_check')" \
    "wal ok"
# The one commit fails (a file size limit, as a full disk would): the
# load says that none of its files was kept, and keeps none.
D=$T/d.db
sh -c "trap '' XFSZ; ulimit -f 4000; exec \"\$@\"" sh "$PCCS" --store "$D" \
    load --quiet "$MAP" "$PAY" >/dev/null 2>"$T/err"
check_eq "commit refused: exit 1" "$?" 1
check_match "says none was kept" "$(cat "$T/err")" \
    "cannot commit the files this command loaded: .*: none of them was kept"
check_eq "no source, intact, WAL" \
    "$(sq "$D" 'SELECT count(*) FROM sources') $(sq "$D" 'PRAGMA integrity_check') $(sq "$D" 'PRAGMA journal_mode')" \
    "0 ok wal"
# SQLite ends the transaction itself in the middle of a file (its
# journal cannot grow: an I/O error): the file before it in the command,
# said to be loaded, is not kept either, and the load says so.
E=$T/e.db
"$PCCS" --store "$E" load --quiet "$MAP" "$PAY" >/dev/null
sh -c "trap '' XFSZ; ulimit -f 5000; exec \"\$@\"" sh "$PCCS" --store "$E" \
    load "$DATA/nhs-payments-to-general-practice_2015-16.csv" \
    "$DATA/nhs-payments-to-general-practice_2016-17.csv" >"$T/out" 2>"$T/err"
check_eq "transaction ended: exit 1" "$?" 1
check_match "the first file was said to be loaded" "$(cat "$T/out")" \
    "2015-16.csv: loaded payments"
check_match "says the files before were not kept" "$(cat "$T/err")" \
    "SQLite ended the load's transaction at the error above: the files this command loaded before it were not kept"
check_eq "the two sources of before only, intact" \
    "$(sq "$E" 'SELECT count(*) FROM sources') $(sq "$E" 'PRAGMA integrity_check')" \
    "2 ok"
done_testing
