/* SPDX-License-Identifier: MIT */
/*
 * The SQLite backend of the store: one database file, schema migrations
 * by PRAGMA user_version, prepared statements kept for the life of the
 * store so a load binds and steps one statement per row.
 */
#define _DEFAULT_SOURCE         /* madvise MADV_HUGEPAGE */
#include "store/sqlite_names.h" /* first: see there */
#include "store/sqlite.h"

#include <ctype.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/hmap.h"
#include "base/xalloc.h"

/*
 * Migrations, oldest first: migrations[i] takes the schema from version i
 * to i + 1. Version 1 is src/store/schema.sql, turned into a C string by
 * the Makefile.
 */
/* Triggers moving the generation on with every change to table t. */
#define GEN_TRIGGER(t, op)                                                     \
    "CREATE TRIGGER IF NOT EXISTS gen_" t "_" op " AFTER " op " ON " t         \
    " BEGIN UPDATE generation SET n = n + 1; END; "
#define GEN_TRIGGERS(t)                                                        \
    GEN_TRIGGER(t, "INSERT") GEN_TRIGGER(t, "UPDATE") GEN_TRIGGER(t, "DELETE")
#define GEN_UNTRIGGER(t)                                                       \
    "DROP TRIGGER IF EXISTS gen_" t "_INSERT; DROP TRIGGER IF EXISTS gen_" t   \
    "_UPDATE; "

static const char *const migrations[] = {
#include "schema.inc"
    ,
    /*
     * 2: a load appends each (measure, period) set in chunks of rows
     * with consecutive rowids; reads visit only the set's chunks. Sets
     * loaded before are one chunk each.
     */
    "CREATE TABLE fact_chunks (measure_id INTEGER NOT NULL, period TEXT "
    "NOT NULL, source_id INTEGER NOT NULL, first_row INTEGER NOT NULL, "
    "last_row INTEGER NOT NULL, PRIMARY KEY (measure_id, period, source_id, "
    "first_row)) WITHOUT ROWID; INSERT INTO fact_chunks SELECT measure_id, "
    "period, source_id, first_row, last_row FROM fact_sets;",
    /* 3: accounts for pccs serve, and the audit log. */
    "CREATE TABLE users (name TEXT PRIMARY KEY, role TEXT NOT NULL, scope "
    "TEXT NOT NULL, hash TEXT NOT NULL, created_at TEXT NOT NULL); CREATE "
    "TABLE audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, user TEXT, "
    "action TEXT NOT NULL, detail TEXT);",
    /*
     * 4: a membership may have no parent: "in no organisation at
     * parent_level" (a practice a map places in no PCN) is an observation
     * with its date like any other. parent becomes nullable; the table is
     * rebuilt with its rows. Files loaded before record no such rows:
     * load them into a new store to have them.
     */
    "CREATE TABLE links_new (child TEXT NOT NULL, parent TEXT, "
    "parent_level TEXT NOT NULL, start_date TEXT, end_date TEXT, observed "
    "INTEGER NOT NULL, source_id INTEGER NOT NULL REFERENCES sources(id)); "
    "INSERT INTO links_new SELECT child, parent, parent_level, start_date, "
    "end_date, observed, source_id FROM links ORDER BY rowid; DROP TABLE "
    "links; ALTER TABLE links_new RENAME TO links; CREATE UNIQUE INDEX "
    "links_key ON links (child, ifnull(parent, ''), parent_level, "
    "ifnull(start_date, ''), ifnull(end_date, ''), source_id);",
    /*
     * 5: every name an organisation was given, with the date the file
     * describes and the file, so a table shows the name as at its day.
     * Stores from before keep the one name they had, as of its date.
     */
    "CREATE TABLE org_names (org TEXT NOT NULL, name TEXT NOT NULL, "
    "from_date TEXT, source_id INTEGER NOT NULL REFERENCES sources(id)); "
    "CREATE UNIQUE INDEX org_names_key ON org_names (org, name, "
    "ifnull(from_date, ''), source_id); INSERT OR IGNORE INTO org_names "
    "SELECT code, name, as_of, ifnull(source_id, 0) FROM orgs WHERE name "
    "IS NOT NULL;",
    /*
     * 6: provenance of a source: NULL published, 'synthetic' (written by
     * a generator) or 'example' (the example rows of data/templates).
     */
    ("ALTER TABLE sources ADD COLUMN provenance TEXT; ALTER TABLE sources "
     "ADD COLUMN provenance_note TEXT;"),
    /*
     * 7: revocation. users.generation changes (to a random number) with
     * every change to an account, so a server in another process sees it
     * on the next request and ends the user's sessions; a disabled user
     * cannot log in. The audit log is read by time.
     */
    "ALTER TABLE users ADD COLUMN generation INTEGER NOT NULL DEFAULT 0; "
    "ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0; "
    "CREATE INDEX audit_at ON audit (at);",
    /*
     * 8: the organisation a source belongs to (pccs load --org, or the
     * scope of the user whose edit made it): a register that names no
     * organisation (budget, milestones) is that organisation's.
     */
    "ALTER TABLE sources ADD COLUMN owner TEXT;",
    /*
     * 9: patient-level records for population health (sqlite_phm.c):
     * patients, practice registrations, clinical events (SNOMED CT) and
     * medications (dm+d), days as pccs_day numbers, codes as integers.
     */
    "CREATE TABLE IF NOT EXISTS patients (id INTEGER PRIMARY KEY, ext TEXT "
    "NOT NULL, sex TEXT NOT NULL, birth INTEGER, death INTEGER, source_id "
    "INTEGER NOT NULL); CREATE UNIQUE INDEX IF NOT EXISTS patients_ext ON "
    "patients (ext); CREATE TABLE IF NOT EXISTS patient_regs (patient "
    "INTEGER NOT NULL, practice TEXT NOT NULL, start_day INTEGER, end_day "
    "INTEGER, source_id INTEGER NOT NULL); CREATE INDEX IF NOT EXISTS "
    "patient_regs_practice ON patient_regs (practice); CREATE TABLE IF NOT "
    "EXISTS clinical_events (patient INTEGER NOT NULL, code INTEGER NOT "
    "NULL, day INTEGER NOT NULL, value REAL, source_id INTEGER NOT NULL); "
    "CREATE TABLE IF NOT EXISTS medications (patient INTEGER NOT NULL, code "
    "INTEGER NOT NULL, day INTEGER NOT NULL, source_id INTEGER NOT NULL);",
    /*
     * 10: caches of what the model derives from the sources (the
     * organisation tree), each valid for one generation; every change to
     * the rows they are built from moves the generation on.
     */
    "CREATE TABLE IF NOT EXISTS generation (n INTEGER NOT NULL); INSERT "
    "INTO generation SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM generation); "
    "CREATE TABLE IF NOT EXISTS caches (name TEXT PRIMARY KEY, generation "
    "INTEGER NOT NULL, data BLOB NOT NULL); " GEN_TRIGGERS("sources")
        GEN_TRIGGERS("orgs") GEN_TRIGGERS("links") GEN_TRIGGERS("org_names")
            GEN_TRIGGERS("fact_sets"),
    /*
     * 11: a trigger per inserted row cost a load a tenth of its time: the
     * store moves the generation on once per transaction that writes
     * those tables (write_row); deletes keep their triggers.
     */
    GEN_UNTRIGGER("sources") GEN_UNTRIGGER("orgs") GEN_UNTRIGGER("links")
        GEN_UNTRIGGER("org_names") GEN_UNTRIGGER("fact_sets"),
    /*
     * 12: clinical events and medicines in chunks (sqlite_phm.c): a BLOB
     * of up to 65,536 packed events (patient, day, code id, value) a row,
     * codes numbered in phm_codes; a hundred million events are a few
     * thousand rows, written and read at the speed of the disk.
     */
    "DROP TABLE IF EXISTS clinical_events; DROP TABLE IF EXISTS "
    "medications; CREATE TABLE IF NOT EXISTS phm_codes (id INTEGER PRIMARY "
    "KEY, code INTEGER NOT NULL UNIQUE); CREATE TABLE IF NOT EXISTS "
    "event_chunks (id INTEGER PRIMARY KEY, kind INTEGER NOT NULL, n INTEGER "
    "NOT NULL, data BLOB NOT NULL, source_id INTEGER NOT NULL); CREATE "
    "INDEX IF NOT EXISTS event_chunks_kind ON event_chunks (kind, id);",
    /*
     * 13: direct booking (issue 19). Sessions published by a hub or a
     * practice (from the access_sessions register), the slots generated
     * from them, appointments in slots, and the first answer to each
     * Idempotency-Key. A slot holds at most one appointment that is not
     * cancelled: the partial unique index says so whatever the
     * concurrency, beside the booking's conditional update of the slot.
     */
    "CREATE TABLE IF NOT EXISTS booking_sessions (key TEXT PRIMARY KEY, "
    "org TEXT NOT NULL, site TEXT NOT NULL, service TEXT NOT NULL, "
    "staff_role TEXT NOT NULL, day TEXT NOT NULL, start_time TEXT NOT "
    "NULL, end_time TEXT NOT NULL, slot_minutes INTEGER NOT NULL, bookable "
    "TEXT NOT NULL, source_id INTEGER NOT NULL); CREATE TABLE IF NOT "
    "EXISTS slots (id INTEGER PRIMARY KEY, session_key TEXT NOT NULL, org "
    "TEXT NOT NULL, start TEXT NOT NULL, end TEXT NOT NULL, minutes "
    "INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'free', UNIQUE "
    "(session_key, start)); CREATE INDEX IF NOT EXISTS slots_org_start ON "
    "slots (org, start); CREATE TABLE IF NOT EXISTS appointments (id "
    "INTEGER PRIMARY KEY, slot_id INTEGER NOT NULL REFERENCES slots(id), "
    "nhs_number TEXT NOT NULL, practice TEXT NOT NULL, status TEXT NOT "
    "NULL, booked_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at "
    "TEXT NOT NULL); CREATE UNIQUE INDEX IF NOT EXISTS "
    "appointments_one_per_slot ON appointments (slot_id) WHERE status <> "
    "'cancelled'; CREATE INDEX IF NOT EXISTS appointments_practice ON "
    "appointments (practice); CREATE TABLE IF NOT EXISTS idempotency (user "
    "TEXT NOT NULL, key TEXT NOT NULL, request TEXT NOT NULL, status "
    "INTEGER NOT NULL, appointment_id INTEGER, created_at TEXT NOT NULL, "
    "PRIMARY KEY (user, key)) WITHOUT ROWID;",
    /*
     * 14: a booking looks up the patient's registration by patient
     * (issue 19: the practice from the patient records, not the
     * request).
     */
    "CREATE INDEX IF NOT EXISTS patient_regs_patient ON patient_regs "
    "(patient);",
    /*
     * 15: each chunk of a (measure, period) set also holds its facts
     * packed in one BLOB (pack_chunk), so a read of a set is a few rows,
     * not one per fact. Chunks loaded before have none and are read from
     * fact_values. (The table is rebuilt, not altered, so the migration
     * also runs on a table that has the column.)
     */
    "CREATE TABLE fact_chunks_new (measure_id INTEGER NOT NULL, period "
    "TEXT NOT NULL, source_id INTEGER NOT NULL, first_row INTEGER NOT "
    "NULL, last_row INTEGER NOT NULL, data BLOB, PRIMARY KEY (measure_id, "
    "period, source_id, first_row)) WITHOUT ROWID; INSERT INTO "
    "fact_chunks_new SELECT measure_id, period, source_id, first_row, "
    "last_row, NULL FROM fact_chunks; DROP TABLE fact_chunks; ALTER TABLE "
    "fact_chunks_new RENAME TO fact_chunks;",
    /*
     * 16: the attributes one source gave under one key (the payments
     * table's contract types) by an index, not a scan of every attribute
     * (a fifth of a second on a store of every bundled file).
     */
    "CREATE INDEX IF NOT EXISTS attrs_source ON attrs (source_id, key);",
    /*
     * 17: a load writes where it ends (issue 17). Each file is its own
     * transaction, and every page a commit touches goes to the WAL again:
     * B-trees keyed by organisation took rows from every file in every
     * leaf, so each commit rewrote them whole (658 MB written for a
     * 147 MB store). attrs is keyed (source_id, key, org) WITHOUT ROWID:
     * one B-tree instead of three, filled at its end by each load, and
     * still the one read of a source's key (attrs_of_source). links_key
     * leads with source_id for the same reason (it is only there to
     * refuse a second copy of a membership; links are read in rowid
     * order).
     */
    "CREATE TABLE attrs_new (org TEXT NOT NULL, key TEXT NOT NULL, value "
    "TEXT, as_of TEXT, source_id INTEGER NOT NULL REFERENCES sources(id), "
    "PRIMARY KEY (source_id, key, org)) WITHOUT ROWID; INSERT INTO "
    "attrs_new SELECT org, key, value, as_of, source_id FROM attrs; DROP "
    "TABLE attrs; ALTER TABLE attrs_new RENAME TO attrs; DROP INDEX "
    "links_key; CREATE UNIQUE INDEX links_key ON links (source_id, child, "
    "ifnull(parent, ''), parent_level, ifnull(start_date, ''), "
    "ifnull(end_date, ''));"};

#define NMIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

/* How long a write waits for another writer (ms), and how many times. */
#define BUSY_TIMEOUT_MS 30000
#define BUSY_TRIES 4

enum stmt {
    S_SOURCE_FIND,
    S_SOURCE_GET,
    S_SOURCE_ADD,
    S_SOURCE_FINISH,
    S_SOURCES,
    S_ORG_PUT,
    S_ORG_LEVEL,
    S_ORG_GET,
    S_ORG_NAME_PUT,
    S_NEXT_ROW,
    S_MEASURE_ADD,
    S_MEASURE_GET,
    S_FACT_SETS,
    S_FACT_CHUNK_PUT,
    S_FACT_CHUNKS,
    S_REF_PUT,
    S_ORGS,
    S_LINKS,
    S_ORG_NAMES,
    S_ATTRS_ONE,
    S_ATTRS_ALL,
    S_ATTRS_SOURCE,
    S_FACT_PERIODS,
    S_FACTS,
    S_FACTS_RANGE,
    S_REFS,
    S_CACHE_GET,
    S_CACHE_PUT,
    S_NSTMT
};

static const char *const stmt_sql[S_NSTMT] = {
    [S_SOURCE_FIND] = "SELECT id, kind, publication, period, path, sha256, "
                      "encoding, rows_loaded, rows_rejected, loaded_at, "
                      "provenance, provenance_note, owner "
                      "FROM sources WHERE sha256 = ?1",
    [S_SOURCE_GET] = "SELECT id, kind, publication, period, path, sha256, "
                     "encoding, rows_loaded, rows_rejected, loaded_at, "
                     "provenance, provenance_note, owner "
                     "FROM sources WHERE id = ?1",
    [S_SOURCE_ADD] = "INSERT INTO sources (kind, publication, period, path, "
                     "sha256, encoding, loaded_at) VALUES (?1, ?2, ?3, ?4, "
                     "?5, ?6, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
    [S_SOURCE_FINISH] = "UPDATE sources SET kind = ?2, publication = ?3, "
                        "period = ?4, encoding = ?5, rows_loaded = ?6, "
                        "rows_rejected = ?7, sha256 = ?8, provenance = ?9, "
                        "provenance_note = ?10, owner = ?11 WHERE id = ?1",
    [S_SOURCES] = "SELECT id, kind, publication, period, path, sha256, "
                  "encoding, rows_loaded, rows_rejected, loaded_at, "
                  "provenance, provenance_note, owner "
                  "FROM sources ORDER BY id",
    [S_ORG_PUT] =
        "INSERT INTO orgs (code, level, name, postcode, ons_code, status, "
        "open_date, close_date, as_of, source_id) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
        "ON CONFLICT (code) DO UPDATE SET "
        "name = CASE WHEN excluded.name IS NOT NULL AND (orgs.as_of IS NULL "
        "OR ifnull(excluded.as_of, '') >= orgs.as_of) OR orgs.name IS NULL "
        "THEN ifnull(excluded.name, orgs.name) ELSE orgs.name END, "
        "postcode = CASE WHEN excluded.postcode IS NOT NULL AND (orgs.as_of "
        "IS NULL OR ifnull(excluded.as_of, '') >= orgs.as_of) OR "
        "orgs.postcode IS NULL THEN ifnull(excluded.postcode, orgs.postcode) "
        "ELSE orgs.postcode END, "
        "ons_code = CASE WHEN excluded.ons_code IS NOT NULL AND (orgs.as_of "
        "IS NULL OR ifnull(excluded.as_of, '') >= orgs.as_of) OR "
        "orgs.ons_code IS NULL THEN ifnull(excluded.ons_code, orgs.ons_code) "
        "ELSE orgs.ons_code END, "
        "status = CASE WHEN excluded.status IS NOT NULL AND (orgs.as_of IS "
        "NULL OR ifnull(excluded.as_of, '') >= orgs.as_of) OR orgs.status "
        "IS NULL THEN ifnull(excluded.status, orgs.status) "
        "ELSE orgs.status END, "
        "open_date = CASE WHEN excluded.open_date IS NOT NULL AND "
        "(orgs.as_of IS NULL OR ifnull(excluded.as_of, '') >= orgs.as_of) "
        "OR orgs.open_date IS NULL THEN ifnull(excluded.open_date, "
        "orgs.open_date) ELSE orgs.open_date END, "
        "close_date = CASE WHEN excluded.close_date IS NOT NULL AND "
        "(orgs.as_of IS NULL OR ifnull(excluded.as_of, '') >= orgs.as_of) "
        "OR orgs.close_date IS NULL THEN ifnull(excluded.close_date, "
        "orgs.close_date) ELSE orgs.close_date END, "
        "as_of = max(ifnull(orgs.as_of, ''), ifnull(excluded.as_of, '')), "
        "source_id = CASE WHEN ifnull(excluded.as_of, '') >= "
        "ifnull(orgs.as_of, '') THEN excluded.source_id "
        "ELSE orgs.source_id END "
        ", level = CASE WHEN excluded.level = 'practice' THEN 'practice' "
        "ELSE orgs.level END "
        "WHERE orgs.level = excluded.level OR (orgs.level IN ('practice', "
        "'other') AND excluded.level IN ('practice', 'other'))",
    [S_ORG_LEVEL] = "SELECT level FROM orgs WHERE code = ?1",
    /* An organisation, else a parent known only from a link (as the
     * tree has it), else England. */
    [S_ORG_GET] = "SELECT code, level, open_date, close_date FROM orgs "
                  "WHERE code = ?1 UNION ALL SELECT * FROM (SELECT parent, "
                  "parent_level, NULL, NULL FROM links WHERE parent = ?1 "
                  "LIMIT 1) UNION ALL SELECT 'ENG', 'england', NULL, NULL "
                  "WHERE ?1 = 'ENG' LIMIT 1",
    [S_ORG_NAME_PUT] = "INSERT OR IGNORE INTO org_names (org, name, "
                       "from_date, source_id) VALUES (?1, ?2, ?3, ?4)",
    [S_NEXT_ROW] = "SELECT max(ifnull((SELECT max(rowid) FROM "
                   "fact_values), 0), ifnull((SELECT max(last_row) FROM "
                   "fact_chunks), 0))",
    [S_MEASURE_ADD] = "INSERT OR IGNORE INTO measures (name) VALUES (?1)",
    [S_MEASURE_GET] = "SELECT id FROM measures WHERE name = ?1",
    [S_FACT_SETS] = "INSERT INTO fact_sets (measure_id, period, source_id, "
                    "facts, first_row, last_row) VALUES (?1, ?2, ?3, ?4, ?5, "
                    "?6)",
    [S_FACT_CHUNK_PUT] = "INSERT INTO fact_chunks (measure_id, period, "
                         "source_id, first_row, last_row, data) VALUES (?1, "
                         "?2, ?3, ?4, ?5, ?6)",
    [S_FACT_CHUNKS] = "SELECT first_row, last_row, data FROM fact_chunks WHERE "
                      "measure_id = (SELECT id FROM measures WHERE name = "
                      "?1) AND period = ?2 AND source_id = ?3 ORDER BY "
                      "first_row",
    [S_REF_PUT] = "INSERT INTO refs (kind, key, attr, value, source_id) "
                  "VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_ORGS] = "SELECT code, level, name, postcode, ons_code, status, "
               "open_date, close_date, as_of, source_id FROM orgs "
               "ORDER BY code",
    [S_LINKS] = "SELECT child, parent, parent_level, start_date, end_date, "
                "observed, source_id FROM links ORDER BY rowid",
    [S_ORG_NAMES] = "SELECT org, name, from_date, source_id FROM org_names "
                    "ORDER BY org, ifnull(from_date, ''), source_id",
    [S_ATTRS_ONE] = "SELECT org, key, value, as_of, source_id FROM attrs "
                    "WHERE org = ?1 ORDER BY key, source_id",
    [S_ATTRS_ALL] = "SELECT org, key, value, as_of, source_id FROM attrs "
                    "ORDER BY org, key, source_id",
    [S_ATTRS_SOURCE] = "SELECT org, key, value, as_of, source_id FROM attrs "
                       "WHERE key = ?1 AND source_id = ?2",
    [S_FACT_PERIODS] = "SELECT s.period, s.source_id, s.facts, s.first_row, "
                       "s.last_row FROM fact_sets s WHERE s.measure_id = "
                       "(SELECT id FROM measures WHERE name = ?1) AND "
                       "(?2 IS NULL OR s.period = ?2) AND s.source_id = "
                       "(SELECT max(t.source_id) FROM fact_sets t WHERE "
                       "t.measure_id = s.measure_id AND t.period = s.period) "
                       "ORDER BY s.period",
    [S_FACTS] = "SELECT org, dim, value FROM fact_values WHERE rowid BETWEEN "
                "?5 AND ?6 AND source_id = ?1 AND measure_id = (SELECT id "
                "FROM measures WHERE name = ?2) AND period = ?3 AND "
                "(?4 IS NULL OR org = ?4) ORDER BY rowid",
    /* Rows first..last, every one of the set (see period_facts). */
    [S_FACTS_RANGE] = "SELECT org, dim, value FROM fact_values WHERE rowid "
                      "BETWEEN ?2 AND ?3 AND (?1 IS NULL OR org = ?1) ORDER "
                      "BY rowid",
    [S_REFS] = "SELECT kind, key, attr, value, source_id FROM refs "
               "WHERE kind = ?1 ORDER BY key, attr, rowid",
    [S_CACHE_GET] = "SELECT g.n, c.rowid, length(c.data) FROM generation g "
                    "LEFT JOIN caches c ON c.name = ?1 AND c.generation = "
                    "g.n",
    [S_CACHE_PUT] = "INSERT OR REPLACE INTO caches (name, generation, data) "
                    "SELECT ?1, ?2, ?3 FROM generation WHERE n = ?2",
};

/* A set's facts wait until this many, then go in as one chunk. */
#define SET_CHUNK 1000

struct pending_fact {
    int64_t source;
    size_t org, dim; /* offsets into the set's text pool */
    double value;
};

struct fact_chunk {
    int64_t first, last;
    size_t off, len; /* its pack in the reader's buffer; len 0: none */
};

/*
 * One (measure, period) set of the source being loaded: its facts wait
 * in pend until SET_CHUNK, then are written with consecutive rowids as
 * a chunk, so a read of one measure does not wade through the others.
 */
struct fact_set {
    int64_t measure, count, first, last;
    char period[32];
    struct pending_fact *pend; /* SET_CHUNK */
    size_t npend;
    struct pccs_buf pool;
    struct fact_chunk *chunks;
    size_t nchunks, chunks_cap;
};

/* Rows of one table go in by a multi-row INSERT of this many. */
#define BATCH_ROWS 100
/*
 * A sorted batch (attrs) waits for up to this many rows: every file's
 * attributes at once (48,683 in the largest bundled file), in key order.
 */
#define SORTED_ROWS 65536

/* A waiting value: text at off in the batch's pool, NULL, or an integer. */
struct batch_val {
    enum { BV_TEXT, BV_NULL, BV_INT } kind;
    size_t off;
    int64_t i;
};

/*
 * Rows of one table waiting to go in BATCH_ROWS at a time, each of ncols
 * values: insert is the statement up to VALUES. Reads of the table (and
 * commit) write them first (flush_facts). A batch with a key (the
 * columns of its table's primary key, in order, ending -1) waits for up
 * to SORTED_ROWS and goes in sorted by it: attrs is keyed (source_id,
 * key, org), so a file's attributes in file order land at eight places
 * at once and each is a seek from the root (a fifth of a payments load's
 * instructions); sorted, each is an append to the last leaf. Rows with
 * the same key keep their order (the last one is kept).
 */
struct row_batch {
    const char *insert, *what;
    int ncols;
    const int *key;
    sqlite3_stmt *full; /* BATCH_ROWS rows */
    struct pccs_buf pool;
    struct batch_val *vals;
    size_t nvals, cap, nrows;
};

/* One source row copied out, for results valid until the next call. */
struct source_copy {
    char *s[10];
};

struct pccs_store {
    const struct pccs_store_ops *ops; /* first: see backend.h */
    sqlite3 *db;
    char *path;
    bool in_tx;
    int nested; /* begins inside the open transaction (store.h) */
    int version;
    sqlite3_stmt *stmt[S_NSTMT];
    struct source_copy copy;
    struct pccs_source_set *track; /* sources read, or NULL */
    struct pccs_hmap measures;     /* name -> id, cleared on rollback */
    /*
     * The last measures asked for, by the address of the caller's name:
     * a loader passes the same string for a column's every fact (60
     * money columns a payments row), so a pointer and a strcmp find the
     * id where hashing the name cost a payments load a twentieth of its
     * time. The name (the map's copy) checks it: a pointer can be
     * reused for another name.
     */
    struct measure_memo {
        const char *ptr, *name;
        int64_t id;
        size_t set; /* the set its last fact went to: a hint */
    } memo[256];
    /*
     * The (measure, period) sets of the source being loaded, counted as
     * its facts go in and written to fact_sets when it finishes.
     */
    struct fact_set *sets;
    size_t nsets, sets_cap, last_set;
    int64_t next_row; /* the next chunk's first row number; 0: not read */
    struct row_batch attrs, links; /* rows waiting for a multi-row INSERT */
    bool readonly;  /* opened read-only: the directory is not writable */
    bool bulk;      /* in a bulk load's rollback journal (pccs_store_bulk) */
    bool bulk_tx;   /* the bulk load's transaction is open: a load's begin
                       .. commit is a savepoint in it */
    bool bulk_lost; /* SQLite ended the bulk load's transaction itself */
    bool gen_dirty; /* this transaction wrote rows the tree is built from */
    int changes;    /* rows the last write_row changed */
    sqlite3_stmt *user_state; /* a server's check on every request */
};

static void
memo_reset(struct pccs_store *st)
{
    memset(st->memo, 0, sizeof(st->memo));
}

/* Forget the sets of a load (kept allocated for the next). */
static void
sets_reset(struct pccs_store *st)
{
    for (size_t i = 0; i < st->nsets; i++) {
        st->sets[i].npend = 0;
        st->sets[i].nchunks = 0;
        pccs_buf_reset(&st->sets[i].pool);
    }
    st->nsets = 0;
    st->last_set = 0;
    st->next_row = 0;
}

static int flush_facts(struct pccs_store *st, struct pccs_err *err);

static void
batch_init(struct row_batch *b, const char *insert, int ncols, const int *key,
           const char *what)
{
    *b = (struct row_batch){
        .insert = insert, .what = what, .ncols = ncols, .key = key};
    b->pool = (struct pccs_buf)PCCS_BUF_INIT;
}

/* Forget the rows waiting (a rollback). */
static void
batch_reset(struct row_batch *b)
{
    pccs_buf_reset(&b->pool);
    b->nvals = b->nrows = 0;
}

static void
batch_release(struct row_batch *b)
{
    sqlite3_finalize(b->full);
    pccs_buf_release(&b->pool);
    free(b->vals);
}

static int
db_err(struct pccs_store *st, struct pccs_err *err, const char *what)
{
    return pccs_err_set(err, PCCS_EDB, "%s: %s: %s", st->path, what,
                        sqlite3_errmsg(st->db));
}

static int
exec(struct pccs_store *st, const char *sql, struct pccs_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = pccs_err_set(err, PCCS_EDB, "%s: %s", st->path,
                              msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return rc;
    }
    return PCCS_OK;
}

static sqlite3_stmt *
prep(struct pccs_store *st, enum stmt s, struct pccs_err *err)
{
    if (!st->stmt[s]) {
        if (sqlite3_prepare_v3(st->db, stmt_sql[s], -1,
                               SQLITE_PREPARE_PERSISTENT, &st->stmt[s],
                               NULL) != SQLITE_OK) {
            db_err(st, err, "cannot prepare a statement");
            return NULL;
        }
    }
    else {
        /* Every statement binds all its parameters on every use. */
        sqlite3_reset(st->stmt[s]);
    }
    return st->stmt[s];
}

static void
bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static void
bind_day(sqlite3_stmt *s, int i, pccs_day d)
{
    if (d == PCCS_DAY_NONE) {
        sqlite3_bind_null(s, i);
        return;
    }
    char buf[16];
    pccs_date_format(d, buf);
    sqlite3_bind_text(s, i, buf, -1, SQLITE_TRANSIENT);
}

static pccs_day
col_day(sqlite3_stmt *s, int i)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    pccs_day d;
    if (!t || pccs_date_parse(pccs_str_from(t), &d))
        return PCCS_DAY_NONE;
    return d;
}

static const char *
col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

/* Step a write statement; SQLITE_CONSTRAINT becomes PCCS_ECONFLICT. */
static int
step_write(struct pccs_store *st, sqlite3_stmt *s, struct pccs_err *err,
           const char *what)
{
    int r = sqlite3_step(s);
    sqlite3_reset(s);
    if (r == SQLITE_DONE)
        return PCCS_OK;
    if ((r & 0xFF) == SQLITE_CONSTRAINT)
        return pccs_err_set(err, PCCS_ECONFLICT, "%s: %s: %s", st->path, what,
                            sqlite3_errmsg(st->db));
    return db_err(st, err, what);
}

/*
 * A statement parameter: text (NULL binds NULL), a day (PCCS_DAY_NONE
 * binds NULL) or an integer. Text is bound without a copy: it must live
 * until the statement has run.
 */
struct param {
    enum { PARAM_TEXT, PARAM_DAY, PARAM_INT } kind;
    const char *text;
    pccs_day day;
    int64_t i;
};

#define P_TEXT(v) ((struct param){.kind = PARAM_TEXT, .text = (v)})
#define P_DAY(v) ((struct param){.kind = PARAM_DAY, .day = (v)})
#define P_INT(v) ((struct param){.kind = PARAM_INT, .i = (v)})
#define NPARAMS(a) (sizeof(a) / sizeof((a)[0]))

/* Statement id, prepared or reset, with p[0..n) bound to ?1..?n. */
static sqlite3_stmt *
prep_bind(struct pccs_store *st, enum stmt id, const struct param *p, size_t n,
          struct pccs_err *err)
{
    sqlite3_stmt *s = prep(st, id, err);
    for (size_t i = 0; s && i < n; i++) {
        int k = (int)i + 1;
        switch (p[i].kind) {
        case PARAM_TEXT:
            bind_text(s, k, p[i].text);
            break;
        case PARAM_DAY:
            bind_day(s, k, p[i].day);
            break;
        case PARAM_INT:
            sqlite3_bind_int64(s, k, p[i].i);
            break;
        }
    }
    return s;
}

/* Does statement id write rows a cache is built from (the tree's)? */
static bool
moves_generation(enum stmt id)
{
    return id == S_SOURCE_ADD || id == S_SOURCE_FINISH || id == S_ORG_PUT ||
           id == S_ORG_NAME_PUT || id == S_FACT_SETS;
}

/*
 * The rows caches are built from changed: move the generation on, once
 * per transaction (at commit), or now outside one.
 */
static int
touch_generation(struct pccs_store *st, struct pccs_err *err)
{
    if (st->in_tx) {
        st->gen_dirty = true;
        return PCCS_OK;
    }
    return exec(st, "UPDATE generation SET n = n + 1", err);
}

/* The INSERT of n rows of b, prepared (the caller finalizes it). */
static sqlite3_stmt *
batch_stmt(struct pccs_store *st, const struct row_batch *b, size_t n,
           struct pccs_err *err)
{
    struct pccs_buf sql = PCCS_BUF_INIT;
    pccs_buf_addstr(&sql, b->insert);
    for (size_t r = 0; r < n; r++) {
        pccs_buf_addstr(&sql, r ? ",(" : "(");
        for (int c = 0; c < b->ncols; c++)
            pccs_buf_addstr(&sql, c ? ",?" : "?");
        pccs_buf_addch(&sql, ')');
    }
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v3(st->db, sql.p, -1, SQLITE_PREPARE_PERSISTENT, &s,
                           NULL) != SQLITE_OK)
        db_err(st, err, "cannot prepare a statement");
    pccs_buf_release(&sql);
    return s;
}

/* A row of a batch, for sorting by its key. */
struct batch_ord {
    const struct row_batch *b;
    size_t row;
};

static int
batch_val_cmp(const struct row_batch *b, const struct batch_val *x,
              const struct batch_val *y)
{
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->kind == BV_INT)
        return (x->i > y->i) - (x->i < y->i);
    if (x->kind == BV_TEXT)
        return strcmp(b->pool.p + x->off, b->pool.p + y->off);
    return 0;
}

/* Rows x and y of b by the key columns from k on. */
static int
batch_row_cmp(const struct row_batch *b, size_t x, size_t y, const int *k)
{
    const struct batch_val *vx = &b->vals[x * (size_t)b->ncols];
    const struct batch_val *vy = &b->vals[y * (size_t)b->ncols];
    for (; *k >= 0; k++) {
        int r = batch_val_cmp(b, &vx[*k], &vy[*k]);
        if (r)
            return r;
    }
    return 0;
}

/* By key, then in the order the rows came. */
static int
batch_ord_cmp(const void *pa, const void *pb)
{
    const struct batch_ord *x = pa, *y = pb;
    int r = batch_row_cmp(x->b, x->row, y->row, x->b->key);
    return r ? r : (x->row > y->row) - (x->row < y->row);
}

/* A run of rows with the same leading key columns (batch_sort). */
struct batch_group {
    size_t first, n; /* its first row, its rows */
    size_t at;       /* where its rows go in the order */
};

/*
 * The rows of b in key order, equal keys in the order they came. The
 * leading key columns take few values (a source, an attribute's name):
 * the rows are dealt into a group for each, in their order, and a
 * group, which NHS files give in code order already, is sorted on the
 * last column only if it is not. 2,500 instructions a row for qsort of
 * the whole batch; a tenth of that this way. Past 64 groups, qsort.
 */
static struct batch_ord *
batch_sort(const struct row_batch *b)
{
    size_t n = b->nrows, ng = 0, last = 0;
    int nkey = 0;
    while (b->key[nkey] >= 0)
        nkey++;
    int lead[8];
    PCCS_ASSERT(nkey >= 1 && nkey <= (int)PCCS_LEN(lead));
    memcpy(lead, b->key, sizeof(int) * (size_t)(nkey - 1));
    lead[nkey - 1] = -1;
    struct batch_group g[64];
    size_t *of = pccs_xcalloc(n, sizeof(*of));
    struct batch_ord *order = pccs_xcalloc(n, sizeof(*order));
    for (size_t r = 0; r < n && ng <= PCCS_LEN(g); r++) {
        /* The group after the last one found comes next, as a rule. */
        size_t i = 0;
        for (; i < ng; i++) {
            size_t j = (last + 1 + i) % ng;
            if (!batch_row_cmp(b, g[j].first, r, lead)) {
                i = j;
                break;
            }
        }
        if (i == ng) {
            if (ng == PCCS_LEN(g)) {
                ng++; /* too many: qsort below */
                break;
            }
            g[ng++] = (struct batch_group){.first = r};
        }
        g[i].n++;
        of[r] = last = i;
    }
    if (ng > PCCS_LEN(g)) {
        for (size_t r = 0; r < n; r++)
            order[r] = (struct batch_ord){.b = b, .row = r};
        qsort(order, n, sizeof(*order), batch_ord_cmp);
        free(of);
        return order;
    }
    /* Each group's place: groups in key order (ranked by insertion). */
    size_t rank[PCCS_LEN(g)] = {0};
    for (size_t i = 0; i < ng; i++) {
        for (size_t j = 0; j < ng; j++)
            if (batch_row_cmp(b, g[j].first, g[i].first, lead) < 0)
                rank[i]++;
    }
    size_t at[PCCS_LEN(g)] = {0}, pos = 0;
    for (size_t k = 0; k < ng; k++)
        for (size_t i = 0; i < ng; i++)
            if (rank[i] == k) {
                at[i] = g[i].at = pos;
                pos += g[i].n;
            }
    for (size_t r = 0; r < n; r++)
        order[at[of[r]]++] = (struct batch_ord){.b = b, .row = r};
    free(of);
    const int *tail = &b->key[nkey - 1];
    for (size_t i = 0; i < ng; i++) {
        struct batch_ord *o = &order[g[i].at];
        size_t k = 1;
        while (k < g[i].n &&
               batch_row_cmp(b, o[k - 1].row, o[k].row, tail) <= 0)
            k++;
        if (k < g[i].n)
            qsort(o, g[i].n, sizeof(*o), batch_ord_cmp);
    }
    return order;
}

/* Bind rows order[from, from + n) (or from.. in order) of b to s. */
static void
batch_bind(const struct row_batch *b, sqlite3_stmt *s,
           const struct batch_ord *order, size_t from, size_t n)
{
    int k = 1;
    for (size_t r = from; r < from + n; r++) {
        const struct batch_val *v =
            &b->vals[(order ? order[r].row : r) * (size_t)b->ncols];
        for (int c = 0; c < b->ncols; c++, k++) {
            if (v[c].kind == BV_TEXT)
                sqlite3_bind_text(s, k, b->pool.p + v[c].off, -1,
                                  SQLITE_STATIC);
            else if (v[c].kind == BV_INT)
                sqlite3_bind_int64(s, k, v[c].i);
            else
                sqlite3_bind_null(s, k);
        }
    }
}

/* Write the rows of b waiting, BATCH_ROWS a statement. */
static int
batch_flush(struct pccs_store *st, struct row_batch *b, struct pccs_err *err)
{
    size_t n = b->nrows;
    if (!n)
        return PCCS_OK;
    struct batch_ord *order = NULL;
    if (b->key && n > 1)
        order = batch_sort(b);
    int rc = PCCS_OK;
    for (size_t from = 0; !rc && from < n; from += BATCH_ROWS) {
        size_t m = n - from < BATCH_ROWS ? n - from : BATCH_ROWS;
        if (m == BATCH_ROWS && !b->full)
            b->full = batch_stmt(st, b, m, err);
        sqlite3_stmt *s = m == BATCH_ROWS ? b->full : batch_stmt(st, b, m, err);
        if (!s) {
            rc = PCCS_EDB;
            break;
        }
        sqlite3_reset(s);
        batch_bind(b, s, order, from, m);
        rc = step_write(st, s, err, b->what);
        if (s != b->full)
            sqlite3_finalize(s);
    }
    free(order);
    /*
     * Kept on failure: a later flush (the commit) fails the same way, and
     * the rows written before the failure (INSERT OR REPLACE, OR IGNORE)
     * go in again as they are.
     */
    if (!rc)
        batch_reset(b);
    return rc;
}

/* Rows of every table waiting for their INSERT, written. */
static int
flush_rows(struct pccs_store *st, struct pccs_err *err)
{
    int rc = batch_flush(st, &st->attrs, err);
    if (!rc)
        rc = batch_flush(st, &st->links, err);
    return rc;
}

/*
 * Add a row p[0..n) to b, written when BATCH_ROWS wait, at a read of its
 * table or at commit; outside a transaction, at once.
 */
static int
batch_add(struct pccs_store *st, struct row_batch *b, const struct param *p,
          size_t n, struct pccs_err *err)
{
    PCCS_ASSERT((int)n == b->ncols);
    b->vals = pccs_xgrow(b->vals, &b->cap, b->nvals + n, sizeof(*b->vals));
    for (size_t i = 0; i < n; i++) {
        struct batch_val *v = &b->vals[b->nvals++];
        char day[16];
        const char *text = p[i].text;
        if (p[i].kind == PARAM_INT) {
            *v = (struct batch_val){.kind = BV_INT, .i = p[i].i};
            continue;
        }
        if (p[i].kind == PARAM_DAY && p[i].day != PCCS_DAY_NONE) {
            pccs_date_format(p[i].day, day);
            text = day;
        }
        else if (p[i].kind == PARAM_DAY) {
            text = NULL;
        }
        *v = (struct batch_val){.kind = text ? BV_TEXT : BV_NULL,
                                .off = b->pool.len};
        if (text)
            pccs_buf_add(&b->pool, text, strlen(text) + 1);
    }
    b->nrows++;
    if (b->nrows == (b->key ? SORTED_ROWS : BATCH_ROWS) || !st->in_tx)
        return batch_flush(st, b, err);
    return PCCS_OK;
}

/* Run the write statement id with p[0..n); what names it in an error. */
static int
write_row(struct pccs_store *st, enum stmt id, const struct param *p, size_t n,
          struct pccs_err *err, const char *what)
{
    sqlite3_stmt *s = prep_bind(st, id, p, n, err);
    if (!s)
        return PCCS_EDB;
    int rc = step_write(st, s, err, what);
    st->changes = sqlite3_changes(st->db);
    if (!rc && moves_generation(id))
        rc = touch_generation(st, err);
    return rc;
}

/* The end of a read: r the last step's result, rc the caller's. */
static int
finish_read(struct pccs_store *st, sqlite3_stmt *s, int r, int rc,
            struct pccs_err *err, const char *what)
{
    if (!rc && r != SQLITE_DONE)
        rc = db_err(st, err, what);
    sqlite3_reset(s);
    return rc;
}

/*
 * Where read_rows hands each row: a row function turns the statement's
 * columns into the public row and calls fn with ctx, or adds the row to
 * the array ctx points at.
 */
struct reader {
    union {
        pccs_store_source_fn source;
        pccs_store_org_fn org;
        pccs_store_link_fn link;
        pccs_store_name_fn name;
        pccs_store_attr_fn attr;
        pccs_store_ref_fn ref;
        pccs_store_fact_fn fact;
    } fn;
    void *ctx;
    const struct pccs_fact_row *fact; /* the fields a fact row shares */
};

typedef int (*row_fn)(sqlite3_stmt *s, const struct reader *rd);

/*
 * Each row of statement id with p[0..n) bound, through row, until one
 * returns non-zero (that is the result); what names the read in an error.
 */
static int
read_rows(struct pccs_store *st, enum stmt id, const struct param *p, size_t n,
          row_fn row, const struct reader *rd, struct pccs_err *err,
          const char *what)
{
    int rc = flush_rows(st, err);
    if (rc)
        return rc;
    sqlite3_stmt *s = prep_bind(st, id, p, n, err);
    if (!s)
        return PCCS_EDB;
    int r = SQLITE_DONE;
    while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW)
        rc = row(s, rd);
    return finish_read(st, s, r, rc, err, what);
}

/* The database handle, for the store's other files (sqlite_phm.c). */
sqlite3 *
pccs__sqlite_db(struct pccs_store *st)
{
    /* Its callers see every row written (an error shows at commit). */
    (void)flush_rows(st, NULL);
    return st->db;
}

/* ===== Opening and migrations ===== */

size_t
pccs__sqlite_migrations(void)
{
    return NMIGRATIONS;
}

static int
migrate(struct pccs_store *st, struct pccs_err *err)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) !=
        SQLITE_OK)
        return db_err(st, err, "cannot read the schema version");
    int v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    if (v > (int)NMIGRATIONS)
        return pccs_err_set(err, PCCS_EDB,
                            "%s: the store has schema version %d, newer than "
                            "this pccs knows (%zu): use a newer pccs",
                            st->path, v, NMIGRATIONS);
    if (st->readonly && v < (int)NMIGRATIONS)
        return pccs_err_set(err, PCCS_EIO,
                            "%s: the store has schema version %d and is "
                            "read-only here: open it once with this pccs "
                            "where it can be written (version %zu)",
                            st->path, v, NMIGRATIONS);
    for (; v < (int)NMIGRATIONS; v++) {
        char pragma[64];
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
        int rc = exec(st, "BEGIN IMMEDIATE", err);
        if (!rc)
            rc = exec(st, migrations[v], err);
        if (!rc)
            rc = exec(st, pragma, err);
        if (!rc)
            rc = exec(st, "COMMIT", err);
        if (rc) {
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
    }
    st->version = v;
    return PCCS_OK;
}

/* Can a file be made beside path (its journal)? */
static bool
dir_writable(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (!slash)
        return access(".", W_OK) == 0;
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    if (n >= sizeof(dir))
        return false;
    memcpy(dir, path, n);
    dir[n] = '\0';
    return access(dir, W_OK) == 0;
}

/* Is there a write-ahead log with something in it beside path? */
static bool
wal_pending(const char *path)
{
    char wal[4200];
    struct stat sb;
    snprintf(wal, sizeof(wal), "%s-wal", path);
    return stat(wal, &sb) == 0 && sb.st_size > 0;
}

/*
 * The SQLite URI of a store that nobody can write while it is read (its
 * directory is read-only, its log empty): immutable, so no -shm file is
 * needed beside it.
 */
static char *
immutable_uri(const char *path)
{
    struct pccs_buf b = PCCS_BUF_INIT;
    pccs_buf_addstr(&b, "file:");
    for (const char *p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#') {
            char esc[4];
            snprintf(esc, sizeof(esc), "%%%02X", (unsigned char)*p);
            pccs_buf_addstr(&b, esc);
        }
        else
            pccs_buf_addch(&b, *p);
    }
    pccs_buf_addstr(&b, "?immutable=1");
    return pccs_buf_detach(&b, NULL);
}

/*
 * Open the database: read-write (creating it), or read-only when it
 * exists and cannot be written here (a read-only directory or file), so
 * reading commands still work and writes fail with a clear message.
 */
static int
open_db(struct pccs_store *st, const char *path, struct pccs_err *err)
{
    bool dir_ok = dir_writable(path);
    st->readonly =
        access(path, F_OK) == 0 && (!dir_ok || access(path, W_OK) != 0);
    int r;
    if (!st->readonly)
        r = sqlite3_open_v2(path, &st->db,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                SQLITE_OPEN_NOMUTEX,
                            NULL);
    else if (!dir_ok && !wal_pending(path)) {
        char *uri = immutable_uri(path);
        r = sqlite3_open_v2(
            uri, &st->db,
            SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
        free(uri);
    }
    else
        r = sqlite3_open_v2(path, &st->db,
                            SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    if (r != SQLITE_OK)
        return pccs_err_set(
            err, PCCS_EIO, "%s: cannot open the store: %s", path,
            st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(r));
    /* Another process's load or edit holds the write lock: wait for it
     * (a load of a large file takes a while) rather than fail. */
    sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
    return PCCS_OK;
}

/* PCCS_EIO, saying why, if st cannot be written. */
static int
writable(struct pccs_store *st, struct pccs_err *err)
{
    if (!st->readonly)
        return PCCS_OK;
    return pccs_err_set(err, PCCS_EIO,
                        "%s: the store is read-only here (it or its "
                        "directory cannot be written): it can be read, not "
                        "changed",
                        st->path);
}

/*
 * Set the journal mode; *mode: the one SQLite reports after (lower
 * case), "" on an error (SQLITE_BUSY when another connection has the
 * store open in WAL mode).
 */
static void
journal_mode(struct pccs_store *st, const char *sql, char *mode, size_t n)
{
    sqlite3_stmt *s;
    *mode = 0;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return;
    if (sqlite3_step(s) == SQLITE_ROW && col_text(s, 0))
        snprintf(mode, n, "%s", col_text(s, 0));
    sqlite3_finalize(s);
    for (char *c = mode; *c; c++)
        *c = (char)tolower((unsigned char)*c);
}

int
pccs__sqlite_open(struct pccs_store **out, const char *path,
                  struct pccs_err *err)
{
    /*
     * No memory statistics: they take a global mutex on every allocation
     * SQLite makes (a few per cent of a load or a read). Only possible
     * before SQLite starts; later calls fail harmlessly.
     */
    static bool configured;
    if (!configured) {
        configured = true;
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        /* A sub-journal (a bulk load's savepoints, pccs_store_bulk) in one
         * buffer of up to 16 MiB, then a file. */
        sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 16 << 20);
    }
    struct pccs_store *st = pccs_xcalloc(1, sizeof(*st));
    st->ops = &pccs__sqlite_ops;
    st->path = pccs_xstrdup(path);
    /* attrs' primary key: source_id, key, org (migration 17). */
    static const int attrs_key[] = {4, 1, 0, -1};
    batch_init(&st->attrs,
               "INSERT OR REPLACE INTO attrs (org, key, value, as_of, "
               "source_id) VALUES ",
               5, attrs_key, "cannot store an attribute");
    /* links are read in rowid order: they go in as they came. */
    batch_init(&st->links,
               "INSERT OR IGNORE INTO links (child, parent, parent_level, "
               "start_date, end_date, observed, source_id) VALUES ",
               7, NULL, "cannot store a membership");
    int rc = open_db(st, path, err);
    if (rc)
        goto fail;
    /*
     * A new store has 16 KiB pages (an existing one keeps its own): a
     * quarter of the writes per MB committed, shallower B-trees, and a
     * chunk of packed figures in two pages rather than six.
     */
    if (!st->readonly)
        rc = exec(st, "PRAGMA page_size = 16384;", err);
    /*
     * WAL, also for a store a crash left in a bulk load's rollback
     * journal (pccs_store_bulk; the hot journal is rolled back first).
     * Without waiting: SQLITE_BUSY here means another connection is
     * writing in rollback mode, a bulk load, which sets WAL again when it
     * ends; this connection reads in rollback mode meanwhile.
     */
    if (!rc && !st->readonly) {
        char mode[16];
        sqlite3_busy_timeout(st->db, 0);
        journal_mode(st, "PRAGMA journal_mode = WAL", mode, sizeof(mode));
        int busy = sqlite3_errcode(st->db) == SQLITE_BUSY;
        sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
        if (!*mode && !busy)
            rc = pccs_err_set(err, PCCS_EDB, "%s: %s", st->path,
                              sqlite3_errmsg(st->db));
    }
    /*
     * Checkpoints once the WAL holds 256 MiB (of 16 KiB pages), not 4 MB:
     * a load of many files, one transaction each, copied each commit's
     * pages into the database and synced twice per file; now the pages
     * are copied once, by the checkpoint on close (and the syncs are a
     * handful). Still atomic and crash-safe: every commit is whole in
     * the WAL (its commit frame), recovery replays only whole commits,
     * and a checkpoint syncs the WAL before it writes the database
     * (synchronous = NORMAL). What a crash may lose is the commits since
     * the last sync, never the store. The WAL is cut back to 64 MiB
     * after each checkpoint.
     */
    if (!rc && !st->readonly)
        rc = exec(st,
                  "PRAGMA wal_autocheckpoint = 16384; "
                  "PRAGMA journal_size_limit = 67108864;",
                  err);
    /*
     * Pages are read with pread(2) into SQLite's page cache (64 MiB, in
     * the heap's huge pages), not through a mapping of the file: on a
     * virtual machine a page fault costs 10-15 us, and a mapping takes
     * one per 64 KiB read (the kernel's fault-around), where a pread of
     * a 16 KiB page is a copy of a few us. Measured with the mapping
     * (mmap_size 16 GiB) and without, bench/calc's store, best of 11:
     * payments by practice 27.6 -> 23.5 ms (page faults 340 -> 157),
     * capacity 137.7 -> 96.7 ms, resilience 71.1 -> 48.0 ms; the 30
     * bundled files loaded 2.42 -> 2.21 s.
     */
    if (!rc)
        rc = exec(st,
                  "PRAGMA synchronous = NORMAL; "
                  "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; "
                  "PRAGMA mmap_size = 0; "
                  "PRAGMA foreign_keys = OFF;",
                  err);
    if (!rc)
        rc = migrate(st, err);
    if (rc)
        goto fail;
    *out = st;
    return PCCS_OK;
fail:
    pccs_store_free(st);
    return rc;
}

void
pccs_store_free(struct pccs_store *st)
{
    if (!st)
        return;
    if (st->in_tx)
        pccs_store_rollback(st);
    struct pccs_err err = PCCS_ERR_INIT;
    pccs_store_bulk(st, false, &err); /* the next open would, too */
    for (int i = 0; i < S_NSTMT; i++)
        sqlite3_finalize(st->stmt[i]);
    for (int i = 0; i < 10; i++)
        free(st->copy.s[i]);
    pccs_hmap_release(&st->measures);
    memo_reset(st);
    for (size_t i = 0; i < st->sets_cap; i++) {
        free(st->sets[i].pend);
        free(st->sets[i].chunks);
        pccs_buf_release(&st->sets[i].pool);
    }
    free(st->sets);
    batch_release(&st->attrs);
    batch_release(&st->links);
    sqlite3_finalize(st->user_state);
    sqlite3_close(st->db);
    free(st->path);
    free(st);
}

bool
pccs_store_readonly(const struct pccs_store *st)
{
    return st->readonly;
}

int
pccs_store_schema_version(struct pccs_store *st)
{
    return st->version;
}

/* ===== Transactions ===== */

/* BEGIN IMMEDIATE; each try waits BUSY_TIMEOUT_MS for the writer before. */
static int
begin_immediate(struct pccs_store *st, struct pccs_err *err)
{
    int rc = writable(st, err);
    if (!rc)
        rc = exec(st, "BEGIN IMMEDIATE", err);
    for (int i = 1; rc && !st->readonly && i < BUSY_TRIES &&
                    (sqlite3_errcode(st->db) & 0xff) == SQLITE_BUSY;
         i++) {
        pccs_err_clear(err);
        rc = exec(st, "BEGIN IMMEDIATE", err);
    }
    return rc;
}

/* Did SQLite end the bulk load's transaction (a disk full, an I/O error)? */
static void
check_bulk_tx(struct pccs_store *st)
{
    if (st->bulk_tx && sqlite3_get_autocommit(st->db)) {
        st->bulk_tx = false;
        st->bulk_lost = true;
    }
}

int
pccs_store_begin(struct pccs_store *st, struct pccs_err *err)
{
    if (st->in_tx) {
        st->nested++;
        return PCCS_OK;
    }
    int rc = st->bulk_tx ? exec(st, "SAVEPOINT load", err)
                         : begin_immediate(st, err);
    if (!rc)
        st->in_tx = true;
    return rc;
}

int
pccs_store_commit(struct pccs_store *st, struct pccs_err *err)
{
    if (st->nested) {
        st->nested--;
        return PCCS_OK;
    }
    if (!st->in_tx)
        return pccs_err_set(err, PCCS_EIO, "the transaction was rolled back");
    int rc = flush_facts(st, err);
    if (rc)
        return rc;
    if (st->gen_dirty)
        rc = exec(st, "UPDATE generation SET n = n + 1", err);
    if (!rc)
        rc = exec(st, st->bulk_tx ? "RELEASE load" : "COMMIT", err);
    if (!rc) {
        st->in_tx = false;
        st->gen_dirty = false;
    }
    return rc;
}

void
pccs_store_rollback(struct pccs_store *st)
{
    if (!st->in_tx)
        return;
    for (int i = 0; i < S_NSTMT; i++) {
        if (st->stmt[i])
            sqlite3_reset(st->stmt[i]);
    }
    check_bulk_tx(st);
    sqlite3_exec(st->db,
                 st->bulk_tx ? "ROLLBACK TO load; RELEASE load" : "ROLLBACK",
                 NULL, NULL, NULL);
    check_bulk_tx(st);
    st->in_tx = false;
    st->nested = 0;
    st->gen_dirty = false;
    /* Measures added in the transaction are gone: forget every id. */
    pccs_hmap_release(&st->measures);
    memo_reset(st);
    sets_reset(st);
    batch_reset(&st->attrs);
    batch_reset(&st->links);
}

/*
 * A bulk load (pccs load) in a rollback journal instead of the WAL. In
 * WAL mode every page a load writes goes to the WAL and again into the
 * database at the checkpoint; in rollback mode SQLite journals only the
 * pages that existed when the transaction began (their old content) and
 * writes a page appended past the old end of the file once, into the
 * database. A load mostly appends, so it writes about half as much
 * (bench/phm, QF7's patient-level files: 2414 -> 1208 MB written, load
 * 16.6 -> 13.6 s wall; bench/load's 30 small files, a transaction each:
 * 3.11 -> 3.00 s, a tie, so every load does it, whatever its size).
 *
 * Still atomic and crash-safe: before a transaction overwrites a page,
 * the page's old content is in the journal, synced (synchronous = FULL
 * while in rollback mode: the journal's pages, then its header, before
 * the database is written, and the database before the journal is cut
 * to commit; NORMAL would save a sync a commit but trust the file system
 * to append safely across a power cut); the pages past the old end need
 * no copy because the journal records the old size and a rollback
 * truncates the file back to it. So a refused file rolls back to the
 * store as it was, and after a crash mid-load the next connection finds
 * the hot journal and rolls it back before reading: the store is the one
 * before the file being loaded (the files before it committed). The next
 * open sets WAL again (pccs__sqlite_open), so a crash does not leave the
 * store in rollback mode either.
 *
 * Only when this connection is the store's only one: SQLite leaves WAL
 * mode only then, and says SQLITE_BUSY (or "wal") otherwise, so a load
 * beside a server keeps the WAL and its readers keep reading. A command
 * that opens the store during a bulk load finds it in rollback mode and
 * reads in it (pccs__sqlite_open does not wait to set WAL), as beside any
 * rollback-mode writer: it waits (up to BUSY_TIMEOUT_MS) while the load
 * holds the exclusive lock, from a commit's or a spill's first write to
 * the database until the commit ends; a large file spills early.
 *
 * The command's files are one transaction (BEGIN IMMEDIATE here, COMMIT
 * when bulk goes off), each file's begin .. commit a savepoint in it:
 * one commit rather than one a file, so the index pages every file
 * changes are written and synced once (docs/internals/store.md). A
 * rollback goes back to the savepoint, the files before it stay in; if
 * SQLite ends the transaction itself (SQLITE_FULL, an I/O error) every
 * file of the command is gone, and off says so. A savepoint copies each
 * page a file changes that existed before it into a sub-journal: with
 * temp_store = MEMORY that is a list of 1 KiB blocks, a malloc each;
 * with temp_store = FILE for the load, one buffer of up to 16 MiB
 * (SQLITE_CONFIG_STMTJRNL_SPILL) and a temporary file past it. The 30
 * bundled files, alternate runs: 2.34-2.76 -> 2.05-2.12 s wall, user
 * CPU 2.13-2.29 -> 1.87-1.93 s, peak 130 -> 145 MiB.
 */
int
pccs_store_bulk(struct pccs_store *st, bool on, struct pccs_err *err)
{
    char mode[16];
    if (st->readonly || st->in_tx || on == st->bulk)
        return PCCS_OK;
    if (on) {
        journal_mode(st, "PRAGMA journal_mode = TRUNCATE", mode, sizeof(mode));
        st->bulk = !strcmp(mode, "truncate");
        st->bulk_lost = false;
        int rc = st->bulk ? exec(st,
                                 "PRAGMA synchronous = FULL; "
                                 "PRAGMA temp_store = FILE",
                                 err)
                          : PCCS_OK;
        if (!rc && st->bulk)
            rc = begin_immediate(st, err);
        st->bulk_tx = st->bulk && !rc;
        return rc;
    }
    /* The files loaded, committed together. */
    int rc = PCCS_OK;
    check_bulk_tx(st);
    if (st->bulk_tx && sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL)) {
        rc = pccs_err_set(err, PCCS_EDB,
                          "%s: cannot commit the files this command loaded: "
                          "%s: none of them was kept",
                          st->path, sqlite3_errmsg(st->db));
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    }
    else if (st->bulk_lost)
        rc = pccs_err_set(err, PCCS_EDB,
                          "%s: SQLite ended the load's transaction at the "
                          "error above: the files this command loaded before "
                          "it were not kept either; load them again",
                          st->path);
    st->bulk = st->bulk_tx = st->bulk_lost = false;
    sqlite3_exec(st->db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
    journal_mode(st, "PRAGMA journal_mode = WAL", mode, sizeof(mode));
    if (!rc && strcmp(mode, "wal"))
        return pccs_err_set(err, PCCS_ECONFLICT,
                            "%s: cannot put the store back in WAL mode: %s",
                            st->path, sqlite3_errmsg(st->db));
    if (!rc)
        rc = exec(st, "PRAGMA synchronous = NORMAL", err);
    return rc;
}

/* ===== Sources ===== */

static char *
dup_col(sqlite3_stmt *s, int i)
{
    const char *t = col_text(s, i);
    return t ? pccs_xstrdup(t) : NULL;
}

static void
source_row(sqlite3_stmt *s, struct pccs_source_info *o)
{
    o->id = sqlite3_column_int64(s, 0);
    o->kind = col_text(s, 1);
    o->publication = col_text(s, 2);
    o->period = col_text(s, 3);
    o->path = col_text(s, 4);
    o->sha256 = col_text(s, 5);
    o->encoding = col_text(s, 6);
    o->rows_loaded = sqlite3_column_int64(s, 7);
    o->rows_rejected = sqlite3_column_int64(s, 8);
    o->loaded_at = col_text(s, 9);
    o->provenance = col_text(s, 10);
    o->provenance_note = col_text(s, 11);
    o->owner = col_text(s, 12);
}

/* Copy the row into store-owned strings valid until the next such call. */
static void
source_copy(struct pccs_store *st, sqlite3_stmt *s, struct pccs_source_info *o)
{
    for (int i = 0; i < 10; i++)
        free(st->copy.s[i]);
    source_row(s, o);
    const int cols[10] = {1, 2, 3, 4, 5, 6, 9, 10, 11, 12};
    for (int i = 0; i < 10; i++)
        st->copy.s[i] = dup_col(s, cols[i]);
    o->kind = st->copy.s[0];
    o->publication = st->copy.s[1];
    o->period = st->copy.s[2];
    o->path = st->copy.s[3];
    o->sha256 = st->copy.s[4];
    o->encoding = st->copy.s[5];
    o->loaded_at = st->copy.s[6];
    o->provenance = st->copy.s[7];
    o->provenance_note = st->copy.s[8];
    o->owner = st->copy.s[9];
}

static int
source_one(struct pccs_store *st, sqlite3_stmt *s, struct pccs_source_info *out,
           struct pccs_err *err)
{
    int r = sqlite3_step(s);
    int rc;
    if (r == SQLITE_ROW) {
        source_copy(st, s, out);
        rc = PCCS_OK;
    }
    else if (r == SQLITE_DONE) {
        rc = pccs_err_set(err, PCCS_ENOTFOUND, "no such source");
    }
    else {
        rc = db_err(st, err, "cannot read sources");
    }
    sqlite3_reset(s);
    return rc;
}

int
pccs_store_source_find(struct pccs_store *st, const char *sha256,
                       struct pccs_source_info *out, struct pccs_err *err)
{
    const struct param p[] = {P_TEXT(sha256)};
    sqlite3_stmt *s = prep_bind(st, S_SOURCE_FIND, p, NPARAMS(p), err);
    return s ? source_one(st, s, out, err) : PCCS_EDB;
}

int
pccs_store_source_get(struct pccs_store *st, int64_t id,
                      struct pccs_source_info *out, struct pccs_err *err)
{
    const struct param p[] = {P_INT(id)};
    sqlite3_stmt *s = prep_bind(st, S_SOURCE_GET, p, NPARAMS(p), err);
    return s ? source_one(st, s, out, err) : PCCS_EDB;
}

int
pccs_store_source_add(struct pccs_store *st, struct pccs_source_info *src,
                      struct pccs_err *err)
{
    const struct param p[] = {
        P_TEXT(src->kind), P_TEXT(src->publication), P_TEXT(src->period),
        P_TEXT(src->path), P_TEXT(src->sha256),      P_TEXT(src->encoding),
    };
    int rc = write_row(st, S_SOURCE_ADD, p, NPARAMS(p), err,
                       "cannot record the source");
    if (rc)
        return rc;
    src->id = sqlite3_last_insert_rowid(st->db);
    sets_reset(st);
    return PCCS_OK;
}

int
pccs_store_source_finish(struct pccs_store *st,
                         const struct pccs_source_info *src,
                         struct pccs_err *err)
{
    int rc = flush_facts(st, err);
    for (size_t i = 0; !rc && i < st->nsets; i++) {
        const struct fact_set *fs = &st->sets[i];
        const struct param set[] = {
            P_INT(fs->measure), P_TEXT(fs->period), P_INT(src->id),
            P_INT(fs->count),   P_INT(fs->first),   P_INT(fs->last),
        };
        /* Its chunks were written as they filled (write_chunk). */
        rc = write_row(st, S_FACT_SETS, set, NPARAMS(set), err,
                       "cannot summarise the figures");
    }
    if (rc)
        return rc;
    sets_reset(st);
    const struct param p[] = {
        P_INT(src->id),
        P_TEXT(src->kind),
        P_TEXT(src->publication),
        P_TEXT(src->period),
        P_TEXT(src->encoding),
        P_INT(src->rows_loaded),
        P_INT(src->rows_rejected),
        P_TEXT(src->sha256),
        P_TEXT(src->provenance),
        P_TEXT(src->provenance_note),
        P_TEXT(src->owner),
    };
    return write_row(st, S_SOURCE_FINISH, p, NPARAMS(p), err,
                     "cannot finish the source");
}

/* Each source row to the caller's function. */
static int
source_each_row(sqlite3_stmt *s, const struct reader *rd)
{
    struct pccs_source_info o;
    source_row(s, &o);
    return rd->fn.source(rd->ctx, &o);
}

int
pccs_store_sources_each(struct pccs_store *st, pccs_store_source_fn fn,
                        void *ctx, struct pccs_err *err)
{
    const struct reader rd = {.fn.source = fn, .ctx = ctx};
    return read_rows(st, S_SOURCES, NULL, 0, source_each_row, &rd, err,
                     "cannot list sources");
}

/* ===== Writing rows ===== */

/* The level an existing organisation code has, into level (size bytes). */
static void
org_level(struct pccs_store *st, const char *code, char *level, size_t size,
          struct pccs_err *err)
{
    const struct param p[] = {P_TEXT(code)};
    sqlite3_stmt *s = prep_bind(st, S_ORG_LEVEL, p, NPARAMS(p), err);
    snprintf(level, size, "?");
    if (!s)
        return;
    if (sqlite3_step(s) == SQLITE_ROW && col_text(s, 0))
        snprintf(level, size, "%s", col_text(s, 0));
    sqlite3_reset(s);
}

int
pccs_store_put_org(struct pccs_store *st, const struct pccs_org_row *o,
                   struct pccs_err *err)
{
    const struct param p[] = {
        P_TEXT(o->code),     P_TEXT(o->level),     P_TEXT(o->name),
        P_TEXT(o->postcode), P_TEXT(o->ons_code),  P_TEXT(o->status),
        P_DAY(o->open_date), P_DAY(o->close_date), P_DAY(o->as_of),
        P_INT(o->source_id),
    };
    int rc = write_row(st, S_ORG_PUT, p, NPARAMS(p), err,
                       "cannot store an organisation");
    if (!rc && st->changes > 0 && o->name && *o->name) {
        /* Every name is kept with its date, not only the newest. */
        const struct param n[] = {P_TEXT(o->code), P_TEXT(o->name),
                                  P_DAY(o->as_of), P_INT(o->source_id)};
        return write_row(st, S_ORG_NAME_PUT, n, NPARAMS(n), err,
                         "cannot store a name");
    }
    if (rc || st->changes > 0)
        return rc;
    /* Nothing changed: the code exists at another level. */
    char level[32];
    org_level(st, o->code, level, sizeof(level), err);
    return pccs_err_set(err, PCCS_ECONFLICT,
                        "organisation %s is already known as a %s, not a %s",
                        o->code, level, o->level);
}

int
pccs_store_put_link(struct pccs_store *st, const struct pccs_link_row *l,
                    struct pccs_err *err)
{
    const struct param p[] = {
        P_TEXT(l->child),
        P_TEXT(l->parent && *l->parent ? l->parent : NULL),
        P_TEXT(l->parent_level),
        P_DAY(l->start),
        P_DAY(l->end),
        P_INT(l->observed),
        P_INT(l->source_id),
    };
    int rc = batch_add(st, &st->links, p, NPARAMS(p), err);
    if (!rc)
        rc = touch_generation(st, err);
    return rc;
}

static void
memo_set(struct measure_memo *m, const char *ptr,
         const struct pccs_hmap_entry *e)
{
    *m = (struct measure_memo){.ptr = ptr, .name = e->key, .id = e->ival};
}

/* The id of a measure name, adding it the first time it is seen. */
static int
measure_id(struct pccs_store *st, const char *name, int64_t *id,
           struct measure_memo **memo, struct pccs_err *err)
{
    struct measure_memo *m =
        &st->memo[((uintptr_t)name * 0x9e3779b97f4a7c15u) >> 56];
    *memo = m;
    if (m->ptr == name && !strcmp(m->name, name)) {
        *id = m->id;
        return PCCS_OK;
    }
    size_t len = strlen(name);
    struct pccs_hmap_entry *e = pccs_hmap_get(&st->measures, name, len);
    if (e) {
        *id = e->ival;
        memo_set(m, name, e);
        return PCCS_OK;
    }
    const struct param p[] = {P_TEXT(name)};
    int rc = write_row(st, S_MEASURE_ADD, p, NPARAMS(p), err,
                       "cannot record a measure");
    if (rc)
        return rc;
    sqlite3_stmt *s = prep_bind(st, S_MEASURE_GET, p, NPARAMS(p), err);
    if (!s)
        return PCCS_EDB;
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return db_err(st, err, "cannot read a measure");
    }
    *id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    e = pccs_hmap_put(&st->measures, name, len, NULL);
    e->ival = *id;
    memo_set(m, name, e);
    return PCCS_OK;
}

/*
 * The (measure, period) set of the load; sets are few per load, but a
 * payments row has 60 measures, each its own: *hint is where this
 * measure's last fact went.
 */
static struct fact_set *
set_of(struct pccs_store *st, int64_t measure, const char *period, size_t *hint)
{
    if (*hint < st->nsets && st->sets[*hint].measure == measure &&
        strcmp(st->sets[*hint].period, period) == 0)
        return &st->sets[*hint];
    if (st->last_set < st->nsets && st->sets[st->last_set].measure == measure &&
        strcmp(st->sets[st->last_set].period, period) == 0) {
        *hint = st->last_set;
        return &st->sets[st->last_set];
    }
    for (size_t i = 0; i < st->nsets; i++) {
        if (st->sets[i].measure == measure &&
            strcmp(st->sets[i].period, period) == 0) {
            st->last_set = *hint = i;
            return &st->sets[i];
        }
    }
    size_t old = st->sets_cap;
    st->sets =
        pccs_xgrow(st->sets, &st->sets_cap, st->nsets + 1, sizeof(*st->sets));
    memset(st->sets + old, 0, (st->sets_cap - old) * sizeof(*st->sets));
    st->last_set = *hint = st->nsets;
    struct fact_set *fs = &st->sets[st->nsets++];
    if (!fs->pend)
        fs->pend = pccs_xcalloc(SET_CHUNK, sizeof(*fs->pend));
    fs->measure = measure;
    fs->count = fs->first = fs->last = 0;
    fs->npend = fs->nchunks = 0;
    pccs_buf_reset(&fs->pool);
    snprintf(fs->period, sizeof(fs->period), "%s", period);
    return fs;
}

static size_t
pool_add(struct pccs_buf *pool, const char *text)
{
    size_t off = pool->len;
    pccs_buf_add(pool, text, strlen(text) + 1);
    return off;
}

/*
 * A chunk's facts packed: PACK_TAG, the count n and the number of
 * distinct strings (uint32 each), the n values (doubles), the n orgs and
 * then the n dims as indexes (uint16) into the strings, then the strings,
 * NUL-terminated, in order of first use. A chunk has at most SET_CHUNK
 * facts, so at most 2 * SET_CHUNK strings.
 */
#define PACK_TAG 0x70636b32u /* "pck2" */
#define PACK_HEAD (3 * sizeof(uint32_t))

/*
 * The strings of one chunk, each once: an open-addressing table of
 * indexes (plus one, 0 for empty) into off, the strings' offsets in strs.
 * A chunk has at most 2 * SET_CHUNK strings, so PACK_SLOTS (a power of
 * two, at least twice that) never fills.
 */
#define PACK_SLOTS 4096

struct pack_strs {
    uint16_t slot[PACK_SLOTS];
    uint32_t off[2 * SET_CHUNK];
    uint32_t hash[2 * SET_CHUNK];
    uint16_t n;
    struct pccs_buf strs;
};

static uint16_t
pack_str(struct pack_strs *ps, const char *s)
{
    uint32_t h = 2166136261u;
    size_t len = 0;
    for (; s[len]; len++)
        h = (h ^ (unsigned char)s[len]) * 16777619u;
    for (size_t i = h & (PACK_SLOTS - 1);; i = (i + 1) & (PACK_SLOTS - 1)) {
        uint16_t k = ps->slot[i];
        if (!k) {
            ps->slot[i] = (uint16_t)(ps->n + 1);
            ps->off[ps->n] = (uint32_t)ps->strs.len;
            ps->hash[ps->n] = h;
            pccs_buf_add(&ps->strs, s, len + 1);
            return ps->n++;
        }
        if (ps->hash[k - 1] == h && !strcmp(ps->strs.p + ps->off[k - 1], s))
            return (uint16_t)(k - 1);
    }
}

static void
pack_chunk(const struct fact_set *fs, struct pccs_buf *b)
{
    _Static_assert(PACK_SLOTS >= 4 * SET_CHUNK, "PACK_SLOTS too small");
    struct pack_strs *ps = pccs_xcalloc(1, sizeof(*ps));
    ps->strs = (struct pccs_buf)PCCS_BUF_INIT;
    size_t n = fs->npend;
    uint16_t *idx = pccs_xcalloc(2 * n + 1, sizeof(*idx));
    for (size_t i = 0; i < n; i++) {
        idx[i] = pack_str(ps, fs->pool.p + fs->pend[i].org);
        idx[n + i] = pack_str(ps, fs->pool.p + fs->pend[i].dim);
    }
    uint32_t head[3] = {PACK_TAG, (uint32_t)n, (uint32_t)ps->n};
    pccs_buf_add(b, head, sizeof(head));
    for (size_t i = 0; i < n; i++)
        pccs_buf_add(b, &fs->pend[i].value, sizeof(double));
    pccs_buf_add(b, idx, 2 * n * sizeof(*idx));
    pccs_buf_add(b, ps->strs.p, ps->strs.len);
    free(idx);
    pccs_buf_release(&ps->strs);
    free(ps);
}

/* The fact_chunks row of the chunk first..last just written, packed. */
static int
write_chunk(struct pccs_store *st, const struct fact_set *fs, int64_t first,
            int64_t last, struct pccs_err *err)
{
    const struct param p[] = {P_INT(fs->measure), P_TEXT(fs->period),
                              P_INT(fs->pend[0].source), P_INT(first),
                              P_INT(last)};
    sqlite3_stmt *s = prep_bind(st, S_FACT_CHUNK_PUT, p, NPARAMS(p), err);
    if (!s)
        return PCCS_EDB;
    struct pccs_buf b = PCCS_BUF_INIT;
    pack_chunk(fs, &b);
    int rc = PCCS_OK;
    if (b.len > INT32_MAX)
        sqlite3_bind_null(s, 6);
    else
        sqlite3_bind_blob(s, 6, b.p, (int)b.len, SQLITE_STATIC);
    rc = step_write(st, s, err, "cannot store figures");
    sqlite3_clear_bindings(s);
    pccs_buf_release(&b);
    return rc;
}

/*
 * The first row number of the next chunk: past every chunk's and every
 * fact_values row's (stores loaded before packs), read once per load.
 */
static int
next_row(struct pccs_store *st, int64_t *out, struct pccs_err *err)
{
    if (!st->next_row) {
        sqlite3_stmt *s = prep(st, S_NEXT_ROW, err);
        if (!s)
            return PCCS_EDB;
        int r = sqlite3_step(s);
        if (r == SQLITE_ROW)
            st->next_row = sqlite3_column_int64(s, 0) + 1;
        sqlite3_reset(s);
        if (r != SQLITE_ROW)
            return db_err(st, err, "cannot number figures");
    }
    *out = st->next_row;
    return PCCS_OK;
}

/*
 * Write a set's pending facts as one chunk: its pack, numbered with the
 * next free row numbers so that chunks keep their order and their spans.
 */
static int
flush_set(struct pccs_store *st, struct fact_set *fs, struct pccs_err *err)
{
    if (!fs->npend)
        return PCCS_OK;
    int64_t first = 0;
    int rc = next_row(st, &first, err);
    size_t n = fs->npend;
    int64_t last = first + (int64_t)n - 1;
    if (!rc)
        rc = write_chunk(st, fs, first, last, err);
    if (rc)
        return rc;
    st->next_row = last + 1;
    fs->chunks = pccs_xgrow(fs->chunks, &fs->chunks_cap, fs->nchunks + 1,
                            sizeof(*fs->chunks));
    fs->chunks[fs->nchunks++] =
        (struct fact_chunk){.first = first, .last = last};
    if (!fs->count)
        fs->first = first;
    fs->last = last;
    fs->count += (int64_t)n;
    fs->npend = 0;
    pccs_buf_reset(&fs->pool);
    return PCCS_OK;
}

/* Write every set's pending facts. */
static int
flush_facts(struct pccs_store *st, struct pccs_err *err)
{
    int rc = flush_rows(st, err);
    for (size_t i = 0; !rc && i < st->nsets; i++)
        rc = flush_set(st, &st->sets[i], err);
    return rc;
}

int
pccs_store_put_fact(struct pccs_store *st, const struct pccs_fact_row *f,
                    struct pccs_err *err)
{
    int64_t mid = 0;
    struct measure_memo *m;
    int rc = measure_id(st, f->measure, &mid, &m, err);
    if (rc)
        return rc;
    struct fact_set *fs = set_of(st, mid, f->period, &m->set);
    struct pending_fact *pf = &fs->pend[fs->npend++];
    pf->source = f->source_id;
    pf->org = pool_add(&fs->pool, f->org);
    pf->dim = pool_add(&fs->pool, f->dim ? f->dim : "");
    pf->value = f->value;
    if (fs->npend == SET_CHUNK)
        return flush_set(st, fs, err);
    return PCCS_OK;
}

int
pccs_store_put_attr(struct pccs_store *st, const struct pccs_attr_row *a,
                    struct pccs_err *err)
{
    const struct param p[] = {P_TEXT(a->org), P_TEXT(a->key), P_TEXT(a->value),
                              P_DAY(a->as_of), P_INT(a->source_id)};
    return batch_add(st, &st->attrs, p, NPARAMS(p), err);
}

int
pccs_store_put_ref(struct pccs_store *st, const struct pccs_ref_row *r,
                   struct pccs_err *err)
{
    const struct param p[] = {P_TEXT(r->kind), P_TEXT(r->key), P_TEXT(r->attr),
                              P_TEXT(r->value), P_INT(r->source_id)};
    return write_row(st, S_REF_PUT, p, NPARAMS(p), err,
                     "cannot store a reference row");
}

/* ===== Reading ===== */

static int
org_each_row(sqlite3_stmt *s, const struct reader *rd)
{
    const struct pccs_org_row o = {
        .code = col_text(s, 0),
        .level = col_text(s, 1),
        .name = col_text(s, 2),
        .postcode = col_text(s, 3),
        .ons_code = col_text(s, 4),
        .status = col_text(s, 5),
        .open_date = col_day(s, 6),
        .close_date = col_day(s, 7),
        .as_of = col_day(s, 8),
        .source_id = sqlite3_column_int64(s, 9),
    };
    return rd->fn.org(rd->ctx, &o);
}

/* The store's level text as one of the PCCS_LEVEL_* constants. */
static const char *
level_const(const char *level)
{
    static const char *const levels[] = {
        PCCS_LEVEL_PRACTICE, PCCS_LEVEL_PCN,   PCCS_LEVEL_PLACE,
        PCCS_LEVEL_SUB_ICB,  PCCS_LEVEL_ICB,   PCCS_LEVEL_REGION,
        PCCS_LEVEL_ENGLAND,  PCCS_LEVEL_TRUST, PCCS_LEVEL_OTHER,
    };
    for (size_t i = 0; level && i < sizeof(levels) / sizeof(levels[0]); i++)
        if (!strcmp(level, levels[i]))
            return levels[i];
    return PCCS_LEVEL_OTHER;
}

int
pccs_store_org_get(struct pccs_store *st, const char *code,
                   struct pccs_org_row *out, struct pccs_err *err)
{
    if (flush_rows(st, err))
        return PCCS_EDB;
    sqlite3_stmt *s = prep(st, S_ORG_GET, err);
    if (!s)
        return PCCS_EDB;
    bind_text(s, 1, code);
    memset(out, 0, sizeof(*out));
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        out->code = code;
        out->level = level_const(col_text(s, 1));
        out->open_date = col_day(s, 2);
        out->close_date = col_day(s, 3);
        out->as_of = PCCS_DAY_NONE;
    }
    int rc = finish_read(st, s, r == SQLITE_ROW ? SQLITE_DONE : r, 0, err,
                         "cannot read an organisation");
    if (!rc && r != SQLITE_ROW)
        rc = pccs_err_set(err, PCCS_ENOTFOUND, "no organisation %s", code);
    return rc;
}

int
pccs_store_orgs_each(struct pccs_store *st, pccs_store_org_fn fn, void *ctx,
                     struct pccs_err *err)
{
    const struct reader rd = {.fn.org = fn, .ctx = ctx};
    return read_rows(st, S_ORGS, NULL, 0, org_each_row, &rd, err,
                     "cannot read organisations");
}

static int
link_each_row(sqlite3_stmt *s, const struct reader *rd)
{
    const struct pccs_link_row l = {
        .child = col_text(s, 0),
        .parent = col_text(s, 1),
        .parent_level = col_text(s, 2),
        .start = col_day(s, 3),
        .end = col_day(s, 4),
        .observed = sqlite3_column_int(s, 5),
        .source_id = sqlite3_column_int64(s, 6),
    };
    return rd->fn.link(rd->ctx, &l);
}

int
pccs_store_links_each(struct pccs_store *st, pccs_store_link_fn fn, void *ctx,
                      struct pccs_err *err)
{
    const struct reader rd = {.fn.link = fn, .ctx = ctx};
    return read_rows(st, S_LINKS, NULL, 0, link_each_row, &rd, err,
                     "cannot read memberships");
}

static int
name_each_row(sqlite3_stmt *s, const struct reader *rd)
{
    const struct pccs_name_row n = {
        .org = col_text(s, 0),
        .name = col_text(s, 1),
        .from = col_day(s, 2),
        .source_id = sqlite3_column_int64(s, 3),
    };
    return rd->fn.name(rd->ctx, &n);
}

int
pccs_store_org_names_each(struct pccs_store *st, pccs_store_name_fn fn,
                          void *ctx, struct pccs_err *err)
{
    const struct reader rd = {.fn.name = fn, .ctx = ctx};
    return read_rows(st, S_ORG_NAMES, NULL, 0, name_each_row, &rd, err,
                     "cannot read names");
}

static int
attr_each_row(sqlite3_stmt *s, const struct reader *rd)
{
    const struct pccs_attr_row a = {
        .org = col_text(s, 0),
        .key = col_text(s, 1),
        .value = col_text(s, 2),
        .as_of = col_day(s, 3),
        .source_id = sqlite3_column_int64(s, 4),
    };
    return rd->fn.attr(rd->ctx, &a);
}

int
pccs_store_attrs_each(struct pccs_store *st, const char *org,
                      pccs_store_attr_fn fn, void *ctx, struct pccs_err *err)
{
    const struct reader rd = {.fn.attr = fn, .ctx = ctx};
    const struct param p[] = {P_TEXT(org)};
    return read_rows(st, org ? S_ATTRS_ONE : S_ATTRS_ALL, p, org ? 1 : 0,
                     attr_each_row, &rd, err, "cannot read attributes");
}

int
pccs_store_attrs_of_source(struct pccs_store *st, const char *key,
                           int64_t source_id, pccs_store_attr_fn fn, void *ctx,
                           struct pccs_err *err)
{
    const struct reader rd = {.fn.attr = fn, .ctx = ctx};
    const struct param p[] = {P_TEXT(key), P_INT(source_id)};
    return read_rows(st, S_ATTRS_SOURCE, p, NPARAMS(p), attr_each_row, &rd, err,
                     "cannot read attributes");
}

struct period_src {
    char *period;
    int64_t source;
    int64_t count;
    int64_t first, last; /* rowids bounding the set */
};

/* The periods of a measure with their latest source (owned array). */
/* The rows read so far into an array of some row type. */
struct rows_vec {
    void *p;
    size_t n, cap;
};

static int
period_row(sqlite3_stmt *s, const struct reader *rd)
{
    struct rows_vec *v = rd->ctx;
    struct period_src *ps = v->p =
        pccs_xgrow(v->p, &v->cap, v->n + 1, sizeof(*ps));
    ps[v->n++] = (struct period_src){
        .period = pccs_xstrdup(col_text(s, 0) ? col_text(s, 0) : ""),
        .source = sqlite3_column_int64(s, 1),
        .count = sqlite3_column_int64(s, 2),
        .first = sqlite3_column_int64(s, 3),
        .last = sqlite3_column_int64(s, 4),
    };
    return 0;
}

static int
fact_periods(struct pccs_store *st, const char *measure, const char *period,
             struct period_src **out, size_t *n, struct pccs_err *err)
{
    struct rows_vec v = {0};
    const struct reader rd = {.ctx = &v};
    const struct param p[] = {P_TEXT(measure), P_TEXT(period)};
    int rc = read_rows(st, S_FACT_PERIODS, p, NPARAMS(p), period_row, &rd, err,
                       "cannot read periods");
    *out = v.p;
    *n = v.n;
    return rc;
}

static void
free_periods(struct period_src *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(p[i].period);
    free(p);
}

/* The chunks of a set as read, their packs copied into data. */
struct chunks_read {
    struct rows_vec v;
    struct pccs_buf data;
};

/*
 * Is p[0..len) a pack of last - first + 1 facts (pack_chunk), its
 * indexes and strings inside it?
 */
static bool
pack_ok(const char *p, size_t len, int64_t first, int64_t last)
{
    uint32_t h[3];
    if (len < PACK_HEAD)
        return false;
    memcpy(h, p, sizeof(h));
    size_t n = h[1], fixed = PACK_HEAD + n * (sizeof(double) + 4);
    if (h[0] != PACK_TAG || (int64_t)n != last - first + 1 || n > SET_CHUNK ||
        h[2] > 2 * n || len < fixed)
        return false;
    const char *ix = p + PACK_HEAD + n * sizeof(double);
    for (size_t i = 0; i < 2 * n; i++) {
        uint16_t k;
        memcpy(&k, ix + 2 * i, sizeof(k));
        if (k >= h[2])
            return false;
    }
    const char *q = p + fixed, *end = p + len;
    for (size_t i = 0; i < h[2]; i++) {
        const char *z = memchr(q, '\0', (size_t)(end - q));
        if (!z)
            return false;
        q = z + 1;
    }
    return q == end;
}

static int
chunk_row(sqlite3_stmt *s, const struct reader *rd)
{
    struct chunks_read *cr = rd->ctx;
    struct rows_vec *v = &cr->v;
    struct fact_chunk *ch = v->p =
        pccs_xgrow(v->p, &v->cap, v->n + 1, sizeof(*ch));
    struct fact_chunk *c = &ch[v->n++];
    *c = (struct fact_chunk){.first = sqlite3_column_int64(s, 0),
                             .last = sqlite3_column_int64(s, 1)};
    const char *p = sqlite3_column_blob(s, 2);
    size_t len = (size_t)sqlite3_column_bytes(s, 2);
    if (p && pack_ok(p, len, c->first, c->last)) {
        c->off = cr->data.len;
        c->len = len;
        pccs_buf_add(&cr->data, p, len);
    }
    return 0;
}

/* Does every chunk have its pack? */
static bool
all_packed(const struct fact_chunk *ch, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (!ch[k].len)
            return false;
    }
    return n > 0;
}

/* The facts of one pack (pack_ok checked it), org's only if org is not
 * NULL, in rowid order as the rows would be read. */
static int
read_pack(const char *p, const char *org, const struct reader *rd)
{
    uint32_t h[3];
    memcpy(h, p, sizeof(h));
    if (h[2] == 0) /* no strings: pack_ok allowed no facts either */
        return 0;
    const char *strs[2 * SET_CHUNK];
    const char *vals = p + PACK_HEAD;
    const char *ix = vals + (size_t)h[1] * sizeof(double);
    const char *q = ix + (size_t)h[1] * 4;
    for (uint32_t i = 0; i < h[2]; i++) {
        strs[i] = q;
        q += strlen(q) + 1;
    }
    int rc = 0;
    for (uint32_t i = 0; !rc && i < h[1]; i++) {
        uint16_t o, d;
        memcpy(&o, ix + 2 * (size_t)i, sizeof(o));
        memcpy(&d, ix + 2 * ((size_t)h[1] + i), sizeof(d));
        if (org && strcmp(strs[o], org) != 0)
            continue;
        struct pccs_fact_row f = *rd->fact;
        f.org = strs[o];
        f.dim = strs[d];
        memcpy(&f.value, vals + (size_t)i * sizeof(double), sizeof(double));
        rc = rd->fn.fact(rd->ctx, &f);
    }
    return rc;
}

static int
read_packs(const struct chunks_read *cr, const char *org,
           const struct reader *rd)
{
    const struct fact_chunk *ch = cr->v.p;
    int rc = 0;
    for (size_t k = 0; !rc && k < cr->v.n; k++)
        rc = read_pack(cr->data.p + ch[k].off, org, rd);
    return rc;
}

static int
fact_each_row(sqlite3_stmt *s, const struct reader *rd)
{
    struct pccs_fact_row f = *rd->fact;
    f.org = col_text(s, 0);
    f.dim = col_text(s, 1);
    f.value = sqlite3_column_double(s, 2);
    return rd->fn.fact(rd->ctx, &f);
}

/*
 * Do the chunks hold the set's rows and no others? A load writes each
 * chunk with consecutive rowids, so they do when the set's count of facts
 * fills them; a store from before chunks may have other rows between.
 */
static bool
only_set(const struct fact_chunk *ch, size_t n, int64_t count)
{
    int64_t span = 0;
    for (size_t k = 0; k < n; k++)
        span += ch[k].last - ch[k].first + 1;
    return n > 0 && span == count;
}

/* The rows of chunks that hold only the set's, adjacent ones read as one. */
static int
read_ranges(struct pccs_store *st, const struct fact_chunk *ch, size_t n,
            const char *org, const struct reader *rd, struct pccs_err *err)
{
    int rc = PCCS_OK;
    for (size_t k = 0; !rc && k < n;) {
        size_t e = k;
        while (e + 1 < n && ch[e + 1].first == ch[e].last + 1)
            e++;
        const struct param q[] = {P_TEXT(org), P_INT(ch[k].first),
                                  P_INT(ch[e].last)};
        rc = read_rows(st, S_FACTS_RANGE, q, NPARAMS(q), fact_each_row, rd, err,
                       "cannot read figures");
        k = e + 1;
    }
    return rc;
}

/* The facts of one period's set of measure: its chunks, then their rows. */
static int
period_facts(struct pccs_store *st, const struct period_src *ps,
             const char *measure, const char *org, const struct reader *rd,
             struct pccs_err *err)
{
    struct chunks_read cr = {{0}, PCCS_BUF_INIT};
    struct rows_vec v = {0};
    const struct reader chunks = {.ctx = &cr};
    const struct param p[] = {P_TEXT(measure), P_TEXT(ps->period),
                              P_INT(ps->source)};
    int rc = read_rows(st, S_FACT_CHUNKS, p, NPARAMS(p), chunk_row, &chunks,
                       err, "cannot read figures");
    v = cr.v;
    const struct fact_chunk *ch = v.p;
    if (!rc && v.n && st->track)
        pccs_source_set_add(st->track, ps->source);
    bool whole = only_set(ch, v.n, ps->count);
    if (!rc && whole && all_packed(ch, v.n))
        rc = read_packs(&cr, org, rd);
    else if (!rc && whole)
        rc = read_ranges(st, ch, v.n, org, rd, err);
    for (size_t k = 0; !rc && !whole && k < v.n; k++) {
        const struct param q[] = {
            P_INT(ps->source), P_TEXT(measure),    P_TEXT(ps->period),
            P_TEXT(org),       P_INT(ch[k].first), P_INT(ch[k].last),
        };
        rc = read_rows(st, S_FACTS, q, NPARAMS(q), fact_each_row, rd, err,
                       "cannot read figures");
    }
    free(v.p);
    pccs_buf_release(&cr.data);
    return rc;
}

int
pccs_store_facts_each(struct pccs_store *st, const char *measure,
                      const char *period, const char *org,
                      pccs_store_fact_fn fn, void *ctx, struct pccs_err *err)
{
    struct period_src *ps = NULL;
    size_t n = 0;
    int rc = flush_facts(st, err);
    if (!rc)
        rc = fact_periods(st, measure, period, &ps, &n, err);
    for (size_t i = 0; !rc && i < n; i++) {
        const struct pccs_fact_row shared = {.measure = measure,
                                             .period = ps[i].period,
                                             .source_id = ps[i].source};
        const struct reader rd = {.fn.fact = fn, .ctx = ctx, .fact = &shared};
        rc = period_facts(st, &ps[i], measure, org, &rd, err);
    }
    free_periods(ps, n);
    return rc;
}

struct pccs_source_set *
pccs_store_track(struct pccs_store *st, struct pccs_source_set *set)
{
    struct pccs_source_set *prev = st->track;
    st->track = set;
    return prev;
}

int
pccs_store_periods_each(struct pccs_store *st, const char *measure,
                        pccs_store_fact_fn fn, void *ctx, struct pccs_err *err)
{
    struct period_src *ps;
    size_t n;
    int rc = flush_facts(st, err);
    if (rc)
        return rc;
    rc = fact_periods(st, measure, NULL, &ps, &n, err);
    for (size_t i = 0; !rc && i < n; i++) {
        const struct pccs_fact_row f = {.measure = measure,
                                        .period = ps[i].period,
                                        .org = "",
                                        .dim = "",
                                        .value = (double)ps[i].count,
                                        .source_id = ps[i].source};
        rc = fn(ctx, &f);
    }
    free_periods(ps, n);
    return rc;
}

static int
ref_each_row(sqlite3_stmt *s, const struct reader *rd)
{
    const struct pccs_ref_row ref = {
        .kind = col_text(s, 0),
        .key = col_text(s, 1),
        .attr = col_text(s, 2),
        .value = col_text(s, 3),
        .source_id = sqlite3_column_int64(s, 4),
    };
    return rd->fn.ref(rd->ctx, &ref);
}

int
pccs_store_refs_each(struct pccs_store *st, const char *kind,
                     pccs_store_ref_fn fn, void *ctx, struct pccs_err *err)
{
    const struct reader rd = {.fn.ref = fn, .ctx = ctx};
    const struct param p[] = {P_TEXT(kind)};
    return read_rows(st, S_REFS, p, NPARAMS(p), ref_each_row, &rd, err,
                     "cannot read reference rows");
}

/* ===== Caches ===== */

/*
 * A buffer for a large blob, freed with free(3): in huge pages where the
 * system gives them on request (a few faults, not one per 4 KiB page).
 */
static char *
big_alloc(size_t len)
{
    const size_t huge = (size_t)2 << 20;
    if (len < huge)
        return pccs_xmalloc(len);
    size_t n = (len + huge - 1) / huge * huge;
    char *p = aligned_alloc(huge, n);
    if (!p)
        return pccs_xmalloc(len);
#ifdef MADV_HUGEPAGE
    madvise(p, n, MADV_HUGEPAGE);
#endif
    return p;
}

/*
 * A cache's row holds a random tag (CACHE_TAG bytes) and then the blob.
 * Beside the store, in "<store>-<name>.cache", the same blob follows a
 * header naming the generation and the tag: a start reads that file in
 * one read(2) rather than walking the row's overflow pages through the
 * store's mapping (for the tree of England, 11 MB in 700 pages: a
 * quarter of a start, most of it page faults). The row is the truth:
 * the file is used only when its generation, tag and length are the
 * row's, so a store replaced, copied or rolled back does not read
 * another's file; else the row is read and the file written afresh
 * (when the directory is writable). The file is written whole under a
 * temporary name, synced and renamed into place, so it is either the
 * old file or the new one.
 */
#define CACHE_TAG 16

struct cache_file_head {
    char magic[8];
    int64_t generation;
    uint64_t len;
    unsigned char tag[CACHE_TAG];
    char pad[24];
};

#define CACHE_MAGIC "pccsche1"

/* Read exactly len bytes from fd; false at an error or the end. */
static bool
read_full(int fd, void *buf, size_t len)
{
    char *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static char *
cache_file_path(const struct pccs_store *st, const char *name,
                const char *suffix)
{
    struct pccs_buf b = PCCS_BUF_INIT;
    pccs_buf_addf(&b, "%s-%s.cache%s", st->path, name, suffix);
    return pccs_buf_detach(&b, NULL);
}

/* Write the cache file of name; nothing (but no file) when it fails. */
static void
cache_file_write(const struct pccs_store *st, const char *name, int64_t gen,
                 const unsigned char *tag, const void *data, size_t len)
{
    if (st->readonly)
        return;
    char *path = cache_file_path(st, name, "");
    char pid[32];
    snprintf(pid, sizeof(pid), ".%ld", (long)getpid());
    char *tmp = cache_file_path(st, name, pid);
    struct cache_file_head h;
    memset(&h, 0, sizeof(h));
    memcpy(h.magic, CACHE_MAGIC, sizeof(h.magic));
    h.generation = gen;
    h.len = len;
    memcpy(h.tag, tag, CACHE_TAG);
    FILE *f = fopen(tmp, "wb");
    bool ok = f && fwrite(&h, sizeof(h), 1, f) == 1 &&
              fwrite(data, 1, len, f) == len && fflush(f) == 0 &&
              fsync(fileno(f)) == 0;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok || rename(tmp, path) != 0)
        unlink(tmp);
    free(tmp);
    free(path);
}

/*
 * The blob in the cache file of name, if the file holds the blob of the
 * row (generation gen, tag, len bytes): read into a buffer of huge pages
 * (big_alloc), else NULL. Read, not mapped: on a virtual machine a page
 * fault costs microseconds, and a mapping of 11 MB takes thousands where
 * the buffer takes six.
 */
static char *
cache_file_read(const struct pccs_store *st, const char *name, int64_t gen,
                const unsigned char *tag, size_t len)
{
    char *path = cache_file_path(st, name, "");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    free(path);
    if (fd < 0)
        return NULL;
    struct cache_file_head h;
    struct stat sb;
    char *data = NULL;
    if (fstat(fd, &sb) == 0 && (uint64_t)sb.st_size == len + sizeof(h) &&
        read_full(fd, &h, sizeof(h)) &&
        !memcmp(h.magic, CACHE_MAGIC, sizeof(h.magic)) && h.generation == gen &&
        h.len == len && !memcmp(h.tag, tag, CACHE_TAG)) {
        data = big_alloc(len);
        if (!read_full(fd, data, len)) {
            free(data);
            data = NULL;
        }
    }
    close(fd);
    return data;
}

/* Read len bytes at off of the blob of caches row rowid into buf. */
static bool
cache_row_read(struct pccs_store *st, int64_t rowid, void *buf, size_t len,
               size_t off)
{
    sqlite3_blob *b;
    if (sqlite3_blob_open(st->db, "main", "caches", "data", rowid, 0, &b) !=
        SQLITE_OK)
        return false;
    bool ok = sqlite3_blob_read(b, buf, (int)len, (int)off) == SQLITE_OK;
    sqlite3_blob_close(b);
    return ok;
}

/*
 * The blob of caches row rowid (row_len bytes with its tag) for
 * generation gen: from the cache file when it matches, else from the
 * row (and the file written for the next reader).
 */
static char *
cache_blob(struct pccs_store *st, const char *name, int64_t gen, int64_t rowid,
           size_t row_len, size_t *len)
{
    unsigned char tag[CACHE_TAG];
    if (row_len <= CACHE_TAG || !cache_row_read(st, rowid, tag, CACHE_TAG, 0))
        return NULL;
    *len = row_len - CACHE_TAG;
    char *data = cache_file_read(st, name, gen, tag, *len);
    if (data)
        return data;
    data = big_alloc(*len);
    if (!cache_row_read(st, rowid, data, *len, CACHE_TAG)) {
        free(data);
        return NULL;
    }
    cache_file_write(st, name, gen, tag, data, *len);
    return data;
}

int
pccs_store_cache_get(struct pccs_store *st, const char *name, char **data,
                     size_t *len, int64_t *generation, struct pccs_err *err)
{
    *data = NULL;
    *len = 0;
    *generation = 0;
    struct param p[] = {P_TEXT(name)};
    sqlite3_stmt *s = prep_bind(st, S_CACHE_GET, p, NPARAMS(p), err);
    if (!s)
        return PCCS_EDB;
    int r = sqlite3_step(s);
    int64_t rowid = 0;
    size_t row_len = 0;
    if (r == SQLITE_ROW) {
        *generation = sqlite3_column_int64(s, 0);
        rowid = sqlite3_column_int64(s, 1);
        row_len = (size_t)sqlite3_column_int64(s, 2);
        r = SQLITE_DONE;
    }
    /* Read in the same transaction as the generation (the row's now). */
    if (row_len > 0) {
        *data = cache_blob(st, name, *generation, rowid, row_len, len);
        if (!*data)
            *len = 0;
    }
    return finish_read(st, s, r, PCCS_OK, err, "cannot read the caches");
}

int
pccs_store_cache_put(struct pccs_store *st, const char *name,
                     int64_t generation, const void *data, size_t len,
                     struct pccs_err *err)
{
    if (st->readonly || len > INT32_MAX - CACHE_TAG)
        return PCCS_OK;
    unsigned char tag[CACHE_TAG];
    if (getrandom(tag, sizeof(tag), 0) != (ssize_t)sizeof(tag))
        return PCCS_OK; /* no tag, no cache: it is rebuilt when asked */
    struct param p[] = {P_TEXT(name), P_INT(generation)};
    sqlite3_stmt *s = prep_bind(st, S_CACHE_PUT, p, NPARAMS(p), err);
    if (!s)
        return PCCS_EDB;
    char *row = pccs_xmalloc(len + CACHE_TAG);
    memcpy(row, tag, CACHE_TAG);
    memcpy(row + CACHE_TAG, data, len);
    sqlite3_bind_blob(s, 3, row, (int)(len + CACHE_TAG), SQLITE_STATIC);
    /* A cache is not worth waiting for another writer. */
    sqlite3_busy_timeout(st->db, 0);
    int r = sqlite3_step(s);
    sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    free(row);
    /* Written only when the row was: a file of a row never written is
     * never read (no row has its tag). */
    if (r == SQLITE_DONE && sqlite3_changes(st->db) > 0)
        cache_file_write(st, name, generation, tag, data, len);
    if (r == SQLITE_DONE || (r & 0xff) == SQLITE_BUSY ||
        (r & 0xff) == SQLITE_READONLY)
        return PCCS_OK;
    return db_err(st, err, "cannot write the caches");
}
int
pccs_store_counts(struct pccs_store *st, struct pccs_store_counts *out,
                  struct pccs_err *err)
{
    /* Figures: every set's count (loads write packs, not fact_values). */
    static const char *const tables[6] = {
        "count(*) FROM sources", "count(*) FROM orgs",
        "count(*) FROM links",   "ifnull(sum(facts), 0) FROM fact_sets",
        "count(*) FROM attrs",   "count(*) FROM refs"};
    int64_t *dst[6] = {&out->sources, &out->orgs,  &out->links,
                       &out->facts,   &out->attrs, &out->refs};
    int rc = flush_facts(st, err);
    if (rc)
        return rc;
    for (int i = 0; i < 6; i++) {
        char sql[64];
        snprintf(sql, sizeof(sql), "SELECT %s", tables[i]);
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
            return db_err(st, err, "cannot count rows");
        *dst[i] =
            sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
        sqlite3_finalize(s);
    }
    return PCCS_OK;
}

/* ===== Accounts and the audit log ===== */

/*
 * Run a statement changing the user called name (?1), with up to two
 * more text parameters; PCCS_ENOTFOUND if there is no such user,
 * PCCS_ECONFLICT on a constraint (a taken name).
 */
static int
user_write(struct pccs_store *st, const char *sql, const char *name,
           const char *p2, const char *p3, const char *p4, struct pccs_err *err)
{
    int rc = writable(st, err);
    if (rc)
        return rc;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "cannot prepare a statement");
    bind_text(s, 1, name);
    if (sqlite3_bind_parameter_count(s) >= 2)
        bind_text(s, 2, p2);
    if (sqlite3_bind_parameter_count(s) >= 3)
        bind_text(s, 3, p3);
    if (sqlite3_bind_parameter_count(s) >= 4)
        bind_text(s, 4, p4);
    int r = sqlite3_step(s);
    if ((r & 0xFF) == SQLITE_CONSTRAINT)
        rc = pccs_err_set(err, PCCS_ECONFLICT, "a user called %s exists", name);
    else if (r != SQLITE_DONE)
        rc = db_err(st, err, "cannot write the user");
    else if (sqlite3_changes(st->db) == 0)
        rc = pccs_err_set(err, PCCS_ENOTFOUND, "no user called %s", name);
    sqlite3_finalize(s);
    return rc;
}

int
pccs_store_user_put(struct pccs_store *st, const struct pccs_user_row *u,
                    bool create, struct pccs_err *err)
{
    const char *sql =
        create ? "INSERT INTO users (name, role, scope, hash, created_at, "
                 "generation) VALUES (?1, ?2, ?3, ?4, "
                 "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), random())"
               : "UPDATE users SET hash = ?4, generation = random() "
                 "WHERE name = ?1";
    return user_write(st, sql, u->name, u->role, u->scope, u->hash, err);
}

int
pccs_store_user_set_role(struct pccs_store *st, const char *name,
                         const char *role, const char *scope,
                         struct pccs_err *err)
{
    return user_write(st,
                      "UPDATE users SET role = ?2, scope = ?3, generation = "
                      "random() WHERE name = ?1",
                      name, role, scope, NULL, err);
}

int
pccs_store_user_set_disabled(struct pccs_store *st, const char *name,
                             bool disabled, struct pccs_err *err)
{
    return user_write(st,
                      disabled ? "UPDATE users SET disabled = 1, generation "
                                 "= random() WHERE name = ?1"
                               : "UPDATE users SET disabled = 0, generation "
                                 "= random() WHERE name = ?1",
                      name, NULL, NULL, NULL, err);
}

int
pccs_store_user_delete(struct pccs_store *st, const char *name,
                       struct pccs_err *err)
{
    return user_write(st, "DELETE FROM users WHERE name = ?1", name, NULL, NULL,
                      NULL, err);
}

int
pccs_store_user_state(struct pccs_store *st, const char *name,
                      int64_t *generation, bool *disabled, struct pccs_err *err)
{
    if (!st->user_state &&
        sqlite3_prepare_v3(st->db,
                           "SELECT generation, disabled FROM users WHERE "
                           "name = ?1",
                           -1, SQLITE_PREPARE_PERSISTENT, &st->user_state,
                           NULL) != SQLITE_OK)
        return db_err(st, err, "cannot prepare a statement");
    sqlite3_stmt *s = st->user_state;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    int rc = PCCS_OK;
    if (r == SQLITE_ROW) {
        *generation = sqlite3_column_int64(s, 0);
        *disabled = sqlite3_column_int(s, 1) != 0;
    }
    else if (r == SQLITE_DONE)
        rc = pccs_err_set(err, PCCS_ENOTFOUND, "no user called %s", name);
    else
        rc = db_err(st, err, "cannot read users");
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc;
}

static uint64_t
mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
    return h;
}

/*
 * Every commit in WAL mode writes the log (a checkpoint that copies it
 * into the database is followed by writes from its start, and the last
 * connection to close removes it), so the log alone tells a change.
 */
static uint64_t
file_stamp(uint64_t h, const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return mix(h, 1);
    h = mix(h, (uint64_t)sb.st_ino);
    h = mix(h, (uint64_t)sb.st_size);
    h = mix(h, (uint64_t)sb.st_mtim.tv_sec);
    return mix(h, (uint64_t)sb.st_mtim.tv_nsec);
}

uint64_t
pccs_store_stamp(struct pccs_store *st)
{
    char wal[4200];
    snprintf(wal, sizeof(wal), "%s-wal", st->path);
    return file_stamp(0, wal);
}

static int
users_query(struct pccs_store *st, const char *name, pccs_store_user_fn fn,
            void *ctx, struct pccs_err *err)
{
    sqlite3_stmt *s;
    const char *sql = name ? "SELECT name, role, scope, hash, created_at, "
                             "generation, disabled FROM users WHERE name = ?1"
                           : "SELECT name, role, scope, hash, created_at, "
                             "generation, disabled FROM users ORDER BY name";
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "cannot prepare a statement");
    if (name)
        bind_text(s, 1, name);
    int r, rc = 0, n = 0;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        struct pccs_user_row u = {
            .name = col_text(s, 0),
            .role = col_text(s, 1),
            .scope = col_text(s, 2),
            .hash = col_text(s, 3),
            .created_at = col_text(s, 4),
            .generation = sqlite3_column_int64(s, 5),
            .disabled = sqlite3_column_int(s, 6) != 0,
        };
        n++;
        rc = fn(ctx, &u);
        if (rc)
            break;
    }
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        rc = db_err(st, err, "cannot read users");
    sqlite3_finalize(s);
    if (!rc && name && !n)
        rc = pccs_err_set(err, PCCS_ENOTFOUND, "no user called %s", name);
    return rc;
}

int
pccs_store_users_each(struct pccs_store *st, const char *name,
                      pccs_store_user_fn fn, void *ctx, struct pccs_err *err)
{
    return users_query(st, name, fn, ctx, err);
}

int
pccs_store_audit(struct pccs_store *st, const char *user, const char *action,
                 const char *detail, struct pccs_err *err)
{
    int rc = writable(st, err);
    if (rc)
        return rc;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db,
                           "INSERT INTO audit (at, user, action, detail) "
                           "VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), "
                           "?1, ?2, ?3)",
                           -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "cannot prepare a statement");
    bind_text(s, 1, user);
    bind_text(s, 2, action);
    bind_text(s, 3, detail);
    rc = sqlite3_step(s) == SQLITE_DONE
             ? PCCS_OK
             : db_err(st, err, "cannot write the audit log");
    sqlite3_finalize(s);
    return rc;
}

int
pccs_store_audit_each(struct pccs_store *st, const struct pccs_audit_filter *f,
                      pccs_store_audit_fn fn, void *ctx, struct pccs_err *err)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT id, at, user, action, detail FROM audit "
                           "WHERE (?1 IS NULL OR user = ?1) AND (?2 IS NULL "
                           "OR action GLOB ?2) AND (?3 IS NULL OR at >= ?3) "
                           "AND (?4 IS NULL OR at < ?4) ORDER BY id",
                           -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "cannot prepare a statement");
    bind_text(s, 1, f ? f->user : NULL);
    bind_text(s, 2, f ? f->action : NULL);
    bind_text(s, 3, f ? f->since : NULL);
    bind_text(s, 4, f ? f->until : NULL);
    int r, rc = 0;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        struct pccs_audit_row a = {
            .id = sqlite3_column_int64(s, 0),
            .at = col_text(s, 1),
            .user = col_text(s, 2),
            .action = col_text(s, 3),
            .detail = col_text(s, 4),
        };
        rc = fn(ctx, &a);
        if (rc)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = db_err(st, err, "cannot read the audit log");
    sqlite3_finalize(s);
    return rc;
}

/* ===== Direct booking (issue 19) ===== */

/* Prepare sql (a one-off statement), or PCCS_EDB. */
static int
prep_once(struct pccs_store *st, const char *sql, sqlite3_stmt **s,
          struct pccs_err *err)
{
    int rc = writable(st, err);
    if (!rc && sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK)
        rc = db_err(st, err, "cannot prepare a statement");
    return rc;
}

/* Step a one-off write and finalise it. */
static int
step_once(struct pccs_store *st, sqlite3_stmt *s, struct pccs_err *err,
          const char *what)
{
    int r = sqlite3_step(s);
    int rc = PCCS_OK;
    if ((r & 0xFF) == SQLITE_CONSTRAINT)
        rc = pccs_err_set(err, PCCS_ECONFLICT, "%s: %s", what,
                          sqlite3_errmsg(st->db));
    else if (r != SQLITE_DONE)
        rc = db_err(st, err, what);
    sqlite3_finalize(s);
    return rc;
}

int
pccs_store_booking_session_put(struct pccs_store *st,
                               const struct pccs_booking_session_row *b,
                               struct pccs_err *err)
{
    sqlite3_stmt *s;
    int rc = prep_once(st,
                       "INSERT OR REPLACE INTO booking_sessions VALUES (?1, "
                       "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                       &s, err);
    if (rc)
        return rc;
    const char *t[] = {b->key,        b->org, b->site,       b->service,
                       b->staff_role, b->day, b->start_time, b->end_time};
    for (int i = 0; i < 8; i++)
        bind_text(s, i + 1, t[i]);
    sqlite3_bind_int64(s, 9, b->slot_minutes);
    bind_text(s, 10, b->bookable);
    sqlite3_bind_int64(s, 11, b->source_id);
    return step_once(st, s, err, "cannot write a booking session");
}

int
pccs_store_slot_put(struct pccs_store *st, const struct pccs_slot_row *r,
                    struct pccs_err *err)
{
    sqlite3_stmt *s;
    int rc = prep_once(st,
                       "INSERT OR IGNORE INTO slots (session_key, org, "
                       "start, end, minutes) VALUES (?1, ?2, ?3, ?4, ?5)",
                       &s, err);
    if (rc)
        return rc;
    bind_text(s, 1, r->session_key);
    bind_text(s, 2, r->org);
    bind_text(s, 3, r->start);
    bind_text(s, 4, r->end);
    sqlite3_bind_int64(s, 5, r->minutes);
    return step_once(st, s, err, "cannot write a slot");
}

/* Bind a booking filter's fields to ?1..?7. */
static void
bind_filter(sqlite3_stmt *s, const struct pccs_booking_filter *f)
{
    if (f && f->id)
        sqlite3_bind_int64(s, 1, f->id);
    bind_text(s, 2, f ? f->org : NULL);
    bind_text(s, 3, f ? f->from : NULL);
    bind_text(s, 4, f ? f->to : NULL);
    bind_text(s, 5, f ? f->status : NULL);
    bind_text(s, 6, f ? f->practice : NULL);
    bind_text(s, 7, f ? f->nhs_number : NULL);
}

int
pccs_store_slots_each(struct pccs_store *st,
                      const struct pccs_booking_filter *f,
                      pccs_store_slot_fn fn, void *ctx, struct pccs_err *err)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(
            st->db,
            "SELECT s.id, s.session_key, s.org, s.start, s.end, s.minutes, "
            "s.status, b.site, b.service, b.staff_role, b.bookable FROM "
            "slots s JOIN booking_sessions b ON b.key = s.session_key "
            "WHERE ?6 IS NULL AND ?7 IS NULL AND "
            "(?1 IS NULL OR s.id = ?1) AND (?2 IS NULL OR s.org = ?2) AND "
            "(?3 IS NULL OR s.start >= ?3) AND (?4 IS NULL OR s.start <= ?4) "
            "AND (?5 IS NULL OR s.status = ?5) ORDER BY s.start, s.id",
            -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "cannot prepare a statement");
    bind_filter(s, f);
    int r, rc = 0;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        struct pccs_slot_row o = {
            .id = sqlite3_column_int64(s, 0),
            .session_key = col_text(s, 1),
            .org = col_text(s, 2),
            .start = col_text(s, 3),
            .end = col_text(s, 4),
            .minutes = sqlite3_column_int64(s, 5),
            .status = col_text(s, 6),
            .site = col_text(s, 7),
            .service = col_text(s, 8),
            .staff_role = col_text(s, 9),
            .bookable = col_text(s, 10),
        };
        rc = fn(ctx, &o);
        if (rc)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = db_err(st, err, "cannot read slots");
    sqlite3_finalize(s);
    return rc;
}

/* Why slot id could not be booked: there is none, or it is not free. */
static int
slot_taken(struct pccs_store *st, int64_t id, struct pccs_err *err)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "SELECT status FROM slots WHERE id = ?1", -1,
                           &s, NULL) != SQLITE_OK)
        return db_err(st, err, "cannot prepare a statement");
    sqlite3_bind_int64(s, 1, id);
    int rc =
        sqlite3_step(s) == SQLITE_ROW
            ? pccs_err_set(err, PCCS_ECONFLICT,
                           "slot %lld is already booked (%s)", (long long)id,
                           col_text(s, 0))
            : pccs_err_set(err, PCCS_ENOTFOUND, "no slot %lld", (long long)id);
    sqlite3_finalize(s);
    return rc;
}

int
pccs_store_appt_book(struct pccs_store *st, const struct pccs_appt_row *a,
                     int64_t *id, struct pccs_err *err)
{
    PCCS_ASSERT(st->in_tx);
    sqlite3_stmt *s;
    int rc = prep_once(st,
                       "UPDATE slots SET status = 'busy' WHERE id = ?1 AND "
                       "status = 'free'",
                       &s, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, a->slot_id);
    rc = step_once(st, s, err, "cannot book the slot");
    if (rc)
        return rc;
    if (sqlite3_changes(st->db) == 0)
        return slot_taken(st, a->slot_id, err);
    rc = prep_once(st,
                   "INSERT INTO appointments (slot_id, nhs_number, practice, "
                   "status, booked_by, created_at, updated_at) VALUES (?1, "
                   "?2, ?3, 'booked', ?4, strftime('%Y-%m-%dT%H:%M:%fZ', "
                   "'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                   &s, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, a->slot_id);
    bind_text(s, 2, a->nhs_number);
    bind_text(s, 3, a->practice);
    bind_text(s, 4, a->booked_by);
    rc = step_once(st, s, err, "cannot add the appointment");
    if (rc == PCCS_ECONFLICT)
        return pccs_err_set(err, PCCS_ECONFLICT, "slot %lld is already booked",
                            (long long)a->slot_id);
    if (!rc)
        *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int
pccs_store_appt_set_status(struct pccs_store *st, int64_t id,
                           const char *status, struct pccs_err *err)
{
    PCCS_ASSERT(st->in_tx);
    sqlite3_stmt *s;
    int rc = prep_once(st,
                       "UPDATE appointments SET status = ?2, updated_at = "
                       "strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1 "
                       "AND status = 'booked'",
                       &s, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    bind_text(s, 2, status);
    rc = step_once(st, s, err, "cannot change the appointment");
    if (rc)
        return rc;
    if (sqlite3_changes(st->db) == 0) {
        struct pccs_booking_filter f = {.id = id};
        int n = 0;
        rc = pccs_store_appts_each(st, &f, NULL, &n, err);
        if (rc)
            return rc;
        return n ? pccs_err_set(err, PCCS_ECONFLICT,
                                "appointment %lld is no longer booked",
                                (long long)id)
                 : pccs_err_set(err, PCCS_ENOTFOUND, "no appointment %lld",
                                (long long)id);
    }
    if (strcmp(status, "cancelled"))
        return PCCS_OK;
    rc = prep_once(st,
                   "UPDATE slots SET status = 'free' WHERE id = (SELECT "
                   "slot_id FROM appointments WHERE id = ?1) AND status = "
                   "'busy'",
                   &s, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    return step_once(st, s, err, "cannot free the slot");
}

int
pccs_store_appts_each(struct pccs_store *st,
                      const struct pccs_booking_filter *f,
                      pccs_store_appt_fn fn, void *ctx, struct pccs_err *err)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(
            st->db,
            "SELECT a.id, a.slot_id, a.nhs_number, a.practice, a.status, "
            "a.booked_by, a.created_at, a.updated_at, s.org, s.start, s.end, "
            "s.minutes FROM appointments a JOIN slots s ON s.id = a.slot_id "
            "WHERE (?1 IS NULL OR a.id = ?1) AND (?2 IS NULL OR s.org = ?2) "
            "AND (?3 IS NULL OR s.start >= ?3) AND (?4 IS NULL OR s.start <= "
            "?4) AND (?5 IS NULL OR a.status = ?5) AND (?6 IS NULL OR "
            "a.practice = ?6) AND (?7 IS NULL OR a.nhs_number = ?7) ORDER BY "
            "a.id",
            -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "cannot prepare a statement");
    bind_filter(s, f);
    int r, rc = 0;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        struct pccs_appt_row o = {
            .id = sqlite3_column_int64(s, 0),
            .slot_id = sqlite3_column_int64(s, 1),
            .nhs_number = col_text(s, 2),
            .practice = col_text(s, 3),
            .status = col_text(s, 4),
            .booked_by = col_text(s, 5),
            .created_at = col_text(s, 6),
            .updated_at = col_text(s, 7),
            .org = col_text(s, 8),
            .start = col_text(s, 9),
            .end = col_text(s, 10),
            .minutes = sqlite3_column_int64(s, 11),
        };
        /* No callback: count into ctx (an int). */
        if (!fn)
            (*(int *)ctx)++;
        else
            rc = fn(ctx, &o);
        if (rc)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = db_err(st, err, "cannot read appointments");
    sqlite3_finalize(s);
    return rc;
}

int
pccs_store_idem_get(struct pccs_store *st, const char *user, const char *key,
                    char *req, size_t n, int *status, int64_t *appt,
                    struct pccs_err *err)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT request, status, appointment_id FROM "
                           "idempotency WHERE user = ?1 AND key = ?2",
                           -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "cannot prepare a statement");
    bind_text(s, 1, user);
    bind_text(s, 2, key);
    int r = sqlite3_step(s);
    int rc = PCCS_OK;
    if (r == SQLITE_ROW) {
        snprintf(req, n, "%s", col_text(s, 0) ? col_text(s, 0) : "");
        *status = sqlite3_column_int(s, 1);
        *appt = sqlite3_column_int64(s, 2);
    }
    else if (r == SQLITE_DONE)
        rc = pccs_err_set(err, PCCS_ENOTFOUND, "no such key");
    else
        rc = db_err(st, err, "cannot read idempotency keys");
    sqlite3_finalize(s);
    return rc;
}

int
pccs_store_idem_put(struct pccs_store *st, const char *user, const char *key,
                    const char *req, int status, int64_t appt,
                    struct pccs_err *err)
{
    sqlite3_stmt *s;
    int rc = prep_once(st,
                       "INSERT INTO idempotency VALUES (?1, ?2, ?3, ?4, ?5, "
                       "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                       &s, err);
    if (rc)
        return rc;
    bind_text(s, 1, user);
    bind_text(s, 2, key);
    bind_text(s, 3, req);
    sqlite3_bind_int(s, 4, status);
    if (appt)
        sqlite3_bind_int64(s, 5, appt);
    return step_once(st, s, err, "cannot keep the idempotency key");
}

/* ===== Booking: withdrawn slots and the patient's practice (issue 19) ===== */

int
pccs_store_slot_withdraw(struct pccs_store *st, int64_t id, bool withdraw,
                         struct pccs_err *err)
{
    PCCS_ASSERT(st->in_tx);
    sqlite3_stmt *s;
    int rc = prep_once(
        st,
        withdraw ? "UPDATE slots SET status = 'entered-in-error' WHERE id = "
                   "?1 AND status <> 'entered-in-error' AND NOT EXISTS "
                   "(SELECT 1 FROM appointments WHERE slot_id = ?1 AND "
                   "status IN ('fulfilled', 'noshow'))"
                 : "UPDATE slots SET status = CASE WHEN EXISTS (SELECT 1 "
                   "FROM appointments WHERE slot_id = ?1 AND status <> "
                   "'cancelled') THEN 'busy' ELSE 'free' END WHERE id = ?1 "
                   "AND status = 'entered-in-error'",
        &s, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    return step_once(st, s, err, "cannot withdraw a slot");
}

int
pccs_store_patient_practice(struct pccs_store *st, const char *ext,
                            pccs_day day, char *practice, size_t n,
                            bool *loaded, struct pccs_err *err)
{
    sqlite3_stmt *s;
    *loaded = false;
    if (n)
        practice[0] = '\0';
    if (sqlite3_prepare_v2(
            st->db,
            "SELECT EXISTS (SELECT 1 FROM patient_regs), (SELECT r.practice "
            "FROM patients p JOIN patient_regs r ON r.patient = p.id WHERE "
            "p.ext = ?1 AND (r.start_day IS NULL OR r.start_day <= ?2) AND "
            "(r.end_day IS NULL OR r.end_day >= ?2) ORDER BY r.start_day "
            "DESC LIMIT 1)",
            -1, &s, NULL) != SQLITE_OK)
        return db_err(st, err, "cannot prepare a statement");
    bind_text(s, 1, ext);
    sqlite3_bind_int(s, 2, (int)day);
    int rc = PCCS_OK;
    if (sqlite3_step(s) == SQLITE_ROW) {
        *loaded = sqlite3_column_int(s, 0) != 0;
        const char *p = col_text(s, 1);
        if (p && n)
            snprintf(practice, n, "%s", p);
        else
            rc = pccs_err_set(err, PCCS_ENOTFOUND,
                              "no registration of patient %s on that day", ext);
    }
    else
        rc = db_err(st, err, "cannot read registrations");
    sqlite3_finalize(s);
    return rc;
}

const struct pccs_store_ops pccs__sqlite_ops = {
    .name = "sqlite",
    .free = pccs__sqlite_free,
    .readonly = pccs__sqlite_readonly,
    .schema_version = pccs__sqlite_schema_version,
    .begin = pccs__sqlite_begin,
    .commit = pccs__sqlite_commit,
    .rollback = pccs__sqlite_rollback,
    .bulk = pccs__sqlite_bulk,
    .source_find = pccs__sqlite_source_find,
    .source_add = pccs__sqlite_source_add,
    .source_finish = pccs__sqlite_source_finish,
    .sources_each = pccs__sqlite_sources_each,
    .put_org = pccs__sqlite_put_org,
    .put_link = pccs__sqlite_put_link,
    .put_fact = pccs__sqlite_put_fact,
    .put_attr = pccs__sqlite_put_attr,
    .put_ref = pccs__sqlite_put_ref,
    .org_get = pccs__sqlite_org_get,
    .orgs_each = pccs__sqlite_orgs_each,
    .links_each = pccs__sqlite_links_each,
    .org_names_each = pccs__sqlite_org_names_each,
    .attrs_each = pccs__sqlite_attrs_each,
    .attrs_of_source = pccs__sqlite_attrs_of_source,
    .facts_each = pccs__sqlite_facts_each,
    .periods_each = pccs__sqlite_periods_each,
    .refs_each = pccs__sqlite_refs_each,
    .track = pccs__sqlite_track,
    .source_get = pccs__sqlite_source_get,
    .user_put = pccs__sqlite_user_put,
    .user_set_role = pccs__sqlite_user_set_role,
    .user_set_disabled = pccs__sqlite_user_set_disabled,
    .user_delete = pccs__sqlite_user_delete,
    .user_state = pccs__sqlite_user_state,
    .stamp = pccs__sqlite_stamp,
    .users_each = pccs__sqlite_users_each,
    .audit = pccs__sqlite_audit,
    .audit_each = pccs__sqlite_audit_each,
    .cache_get = pccs__sqlite_cache_get,
    .cache_put = pccs__sqlite_cache_put,
    .counts = pccs__sqlite_counts,
    .phm_writer = pccs__sqlite_phm_writer,
    .phm_writer_free = pccs__sqlite_phm_writer_free,
    .phm_put_patient = pccs__sqlite_phm_put_patient,
    .phm_put_registration = pccs__sqlite_phm_put_registration,
    .phm_put_event = pccs__sqlite_phm_put_event,
    .phm_writer_flush = pccs__sqlite_phm_writer_flush,
    .patients_each = pccs__sqlite_patients_each,
    .registrations_each = pccs__sqlite_registrations_each,
    .events_each = pccs__sqlite_events_each,
    .booking_session_put = pccs__sqlite_booking_session_put,
    .slot_put = pccs__sqlite_slot_put,
    .slots_each = pccs__sqlite_slots_each,
    .appt_book = pccs__sqlite_appt_book,
    .appt_set_status = pccs__sqlite_appt_set_status,
    .appts_each = pccs__sqlite_appts_each,
    .idem_get = pccs__sqlite_idem_get,
    .idem_put = pccs__sqlite_idem_put,
    .slot_withdraw = pccs__sqlite_slot_withdraw,
    .patient_practice = pccs__sqlite_patient_practice,
};
