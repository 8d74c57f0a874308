/* SPDX-License-Identifier: MIT */
/*
 * The PostgreSQL backend of the store, through libpq: one connection,
 * the schema versioned in a table (schema_version) and migrated at open,
 * every statement prepared once per connection, figures loaded with
 * COPY (text) inside the load's one transaction. Writers are one at a
 * time, as with SQLite: begin takes a transaction-level advisory lock.
 * Users, audit, booking and patient-level records are pg_users.c,
 * pg_booking.c and pg_phm.c.
 */
#include "store/pg_int.h" /* first: see there */

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/hmap.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "store/pg_url.h"

/* A text column that sorts and compares bytes, as SQLite does. */
#define T " text COLLATE \"C\""

/* Statement-level triggers moving the generation on at a delete. */
#define GEN_TRIGGER(t)                                                         \
    "CREATE TRIGGER gen_" t "_delete AFTER DELETE OR TRUNCATE ON " t           \
    " FOR EACH STATEMENT EXECUTE FUNCTION pccs_generation_next(); "

/*
 * Migrations, oldest first: migrations[i] takes the schema from version
 * i to i + 1. Append new ones at the END. The tables are SQLite's
 * (schema.sql and sqlite.c's migrations) with PostgreSQL's types: bigint
 * ids, text dates, double precision values, bytea blobs; the figures are
 * one table keyed by (measure, period, source, order of loading).
 */
static const char *const migrations[] = {
    /* 1: sources, organisations, memberships, names, figures, refs. */
    "CREATE TABLE sources (id bigserial PRIMARY KEY, kind" T " NOT NULL, "
    "publication" T ", period" T ", path" T ", sha256" T " UNIQUE, "
    "encoding" T ", rows_loaded bigint NOT NULL DEFAULT 0, rows_rejected "
    "bigint NOT NULL DEFAULT 0, loaded_at" T " NOT NULL, provenance" T ", "
    "provenance_note" T ", owner" T "); "
    "CREATE TABLE orgs (code" T " PRIMARY KEY, level" T " NOT NULL, name" T
    ", postcode" T ", ons_code" T ", status" T ", open_date" T ", close_date" T
    ", as_of" T ", source_id bigint); "
    "CREATE TABLE attrs (org" T " NOT NULL, key" T " NOT NULL, value" T
    ", as_of" T ", source_id bigint NOT NULL, PRIMARY KEY (org, key, "
    "source_id)); "
    "CREATE TABLE links (id bigserial PRIMARY KEY, child" T " NOT NULL, "
    "parent" T ", parent_level" T " NOT NULL, start_date" T ", end_date" T
    ", observed integer NOT NULL, source_id bigint NOT NULL); "
    "CREATE UNIQUE INDEX links_key ON links (child, coalesce(parent, ''), "
    "parent_level, coalesce(start_date, ''), coalesce(end_date, ''), "
    "source_id); "
    "CREATE TABLE org_names (org" T " NOT NULL, name" T " NOT NULL, "
    "from_date" T ", source_id bigint NOT NULL); "
    "CREATE UNIQUE INDEX org_names_key ON org_names (org, name, "
    "coalesce(from_date, ''), source_id); "
    "CREATE TABLE facts (source_id bigint NOT NULL, seq bigint NOT NULL, "
    "measure" T " NOT NULL, period" T " NOT NULL, org" T " NOT NULL, dim" T
    " NOT NULL DEFAULT '', value double precision NOT NULL); "
    "CREATE INDEX facts_set ON facts (measure, period, source_id, seq); "
    "CREATE TABLE fact_sets (measure" T " NOT NULL, period" T " NOT NULL, "
    "source_id bigint NOT NULL, facts bigint NOT NULL, PRIMARY KEY "
    "(measure, period, source_id)); "
    "CREATE TABLE refs (id bigserial PRIMARY KEY, kind" T " NOT NULL, key" T
    " NOT NULL, attr" T " NOT NULL, value" T ", source_id bigint NOT NULL); "
    "CREATE INDEX refs_kind ON refs (kind, key); "
    "CREATE TABLE generation (n bigint NOT NULL); "
    "INSERT INTO generation VALUES (1); "
    "CREATE TABLE caches (name" T " PRIMARY KEY, generation bigint NOT "
    "NULL, data bytea NOT NULL); "
    "CREATE FUNCTION pccs_generation_next() RETURNS trigger LANGUAGE "
    "plpgsql AS $$BEGIN UPDATE generation SET n = n + 1; RETURN NULL; "
    "END$$; " GEN_TRIGGER("sources") GEN_TRIGGER("orgs") GEN_TRIGGER("links")
        GEN_TRIGGER("org_names") GEN_TRIGGER("fact_sets"),
    /*
     * 2: accounts, the audit log and direct booking (pg_users.c,
     * pg_booking.c), as SQLite's migrations 3, 7 and 13 have them, times
     * as ISO text. "user" is a reserved word here: quoted. A slot holds
     * at most one appointment that is not cancelled: the partial unique
     * index says so whatever the concurrency.
     */
    "CREATE TABLE users (name" T " PRIMARY KEY, role" T " NOT NULL, "
    "scope" T " NOT NULL, hash" T " NOT NULL, created_at" T " NOT NULL, "
    "generation bigint NOT NULL DEFAULT 0, disabled integer NOT NULL "
    "DEFAULT 0); "
    "CREATE TABLE audit (id bigserial PRIMARY KEY, at" T " NOT NULL, "
    "\"user\"" T ", action" T " NOT NULL, detail" T "); "
    "CREATE INDEX audit_at ON audit (at); "
    "CREATE TABLE booking_sessions (key" T " PRIMARY KEY, org" T " NOT "
    "NULL, site" T " NOT NULL, service" T " NOT NULL, staff_role" T " NOT "
    "NULL, day" T " NOT NULL, start_time" T " NOT NULL, end_time" T " NOT "
    "NULL, slot_minutes bigint NOT NULL, bookable" T " NOT NULL, source_id "
    "bigint NOT NULL); "
    "CREATE TABLE slots (id bigserial PRIMARY KEY, session_key" T " NOT "
    "NULL, org" T " NOT NULL, start" T " NOT NULL, \"end\"" T " NOT NULL, "
    "minutes bigint NOT NULL, status" T " NOT NULL DEFAULT 'free', UNIQUE "
    "(session_key, start)); "
    "CREATE INDEX slots_org_start ON slots (org, start); "
    "CREATE TABLE appointments (id bigserial PRIMARY KEY, slot_id bigint "
    "NOT NULL REFERENCES slots(id), nhs_number" T " NOT NULL, practice" T
    " NOT NULL, status" T " NOT NULL, booked_by" T " NOT NULL, "
    "created_at" T " NOT NULL, updated_at" T " NOT NULL); "
    "CREATE UNIQUE INDEX appointments_one_per_slot ON appointments "
    "(slot_id) WHERE status <> 'cancelled'; "
    "CREATE INDEX appointments_practice ON appointments (practice); "
    "CREATE TABLE idempotency (\"user\"" T " NOT NULL, key" T " NOT NULL, "
    "request" T " NOT NULL, status integer NOT NULL, appointment_id "
    "bigint, created_at" T " NOT NULL, PRIMARY KEY (\"user\", key));",
    /*
     * 3: patient-level records (pg_phm.c): patients, their practice
     * registrations, and their clinical events and medicines (kind 0
     * and 1), days as pccs_day numbers, SNOMED CT and dm+d codes as
     * numbers, values as real (the SQLite store's float).
     *
     * Partitioned by LIST on icb: the ODS code of the ICB of the
     * practice (of a registration; of a patient's latest registration;
     * of an event's patient), on every row. Why the ICB, not the
     * practice: the ICB is what commissions and what one deployment
     * serves, so a practice's cohort and every row an ICB's users may
     * read are in one partition; England's 42 ICBs keep planning cheap
     * where 6,300 practices would not; and an ICB's one to three million
     * patients fit one server. The loader makes an ICB's partitions when
     * its first rows come (CREATE TABLE patients_qhm PARTITION OF
     * patients FOR VALUES IN ('QHM'), in the load's transaction). Rows
     * whose ICB is not known yet (patients loaded before their
     * registrations) wait in the DEFAULT partitions; the registrations'
     * load moves them. No unique index: PostgreSQL allows none over a
     * foreign partition, and the loaders check patient identifiers.
     * Indexes: patients by id (cohorts read them in order) and by
     * identifier (a booking's patient), registrations by practice and
     * by patient.
     *
     * To keep an ICB on another server (postgres_fdw), before its first
     * load: make the three tables there (patients_qhm, patient_regs_qhm,
     * phm_events_qhm, the columns below), then here
     *   CREATE EXTENSION postgres_fdw;
     *   CREATE SERVER node2 FOREIGN DATA WRAPPER postgres_fdw
     *       OPTIONS (host 'node2', dbname 'pccs');
     *   CREATE USER MAPPING FOR CURRENT_USER SERVER node2
     *       OPTIONS (user 'pccs');
     *   CREATE FOREIGN TABLE patients_qhm PARTITION OF patients
     *       FOR VALUES IN ('QHM') SERVER node2;
     * and the same for patient_regs and phm_events. The loader finds a
     * partition by its bounds whatever its name, COPY sends the ICB's
     * rows to node2 and reads fetch them from there. docs/SCALE.md has
     * the same schema distributed with Citus.
     */
    "CREATE TABLE patients (id bigint NOT NULL, icb" T " NOT NULL, ext" T
    " NOT NULL, sex" T " NOT NULL, birth integer, death integer, "
    "source_id bigint NOT NULL) PARTITION BY LIST (icb); "
    "CREATE INDEX patients_id ON patients (id); "
    "CREATE INDEX patients_ext ON patients (ext); "
    "CREATE TABLE patients_default PARTITION OF patients DEFAULT; "
    "CREATE TABLE patient_regs (icb" T " NOT NULL, patient bigint NOT "
    "NULL, practice" T " NOT NULL, start_day integer, end_day integer, "
    "source_id bigint NOT NULL) PARTITION BY LIST (icb); "
    "CREATE INDEX patient_regs_practice ON patient_regs (practice, "
    "patient); "
    "CREATE INDEX patient_regs_patient ON patient_regs (patient); "
    "CREATE TABLE patient_regs_default PARTITION OF patient_regs DEFAULT; "
    "CREATE TABLE phm_events (icb" T " NOT NULL, kind smallint NOT NULL, "
    "patient bigint NOT NULL, code bigint NOT NULL, day integer NOT NULL, "
    "value real, source_id bigint NOT NULL) PARTITION BY LIST (icb); "
    "CREATE TABLE phm_events_default PARTITION OF phm_events DEFAULT;",
    /*
     * 4: figures keyed by their set: fact_sets numbers each (measure,
     * period, source) set (the source's id times 2^20 plus the set's
     * number in its load) and fact_values keeps (set, order of loading,
     * org, dim, value) under an index of two integers, a third of the
     * cost of a load's index of text keys. The view facts reads as
     * before (and as SQLite's view of that name).
     */
    "ALTER TABLE fact_sets ADD COLUMN set_id bigint; "
    "WITH n AS (SELECT measure, period, source_id, (source_id << 20) + "
    "row_number() OVER (PARTITION BY source_id ORDER BY measure, period) "
    "AS id FROM fact_sets) UPDATE fact_sets s SET set_id = n.id FROM n "
    "WHERE s.measure = n.measure AND s.period = n.period AND s.source_id "
    "= n.source_id; "
    "ALTER TABLE fact_sets ALTER COLUMN set_id SET NOT NULL; "
    "CREATE UNIQUE INDEX fact_sets_id ON fact_sets (set_id); "
    "CREATE TABLE fact_values (set_id bigint NOT NULL, seq bigint NOT "
    "NULL, org" T " NOT NULL, dim" T " NOT NULL DEFAULT '', value double "
    "precision NOT NULL); "
    "INSERT INTO fact_values SELECT s.set_id, f.seq, f.org, f.dim, f.value "
    "FROM facts f JOIN fact_sets s USING (measure, period, source_id); "
    "DROP TABLE facts; "
    "CREATE INDEX fact_values_set ON fact_values (set_id, seq); "
    "CREATE VIEW facts AS SELECT s.source_id, s.measure, s.period, f.org, "
    "f.dim, f.value FROM fact_values f JOIN fact_sets s ON s.set_id = "
    "f.set_id;",
};

#define NMIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

/* Any number both sides agree on: one writer at a time, one migrator. */
#define LOCK_WRITE "7061636373"
#define LOCK_MIGRATE "7061636374"

/* Figures wait in the COPY buffer until it holds this many bytes. */
#define COPY_FLUSH ((size_t)8 << 20)

/* Statements sent in a pipeline before their answers are read. */
#define PIPE_MAX 256

/* One (measure, period) set of the source being loaded. */
struct fact_set {
    char *measure, *period;
    int64_t id, count; /* id: source id << SET_BITS + number + 1 */
};

/* A load numbers its sets below 2^SET_BITS. */
#define SET_BITS 20

struct pccs_store {
    const struct pccs_store_ops *ops; /* first: see backend.h */
    PGconn *conn;
    char *name; /* the URL without its password, for messages */
    bool in_tx, readonly, gen_dirty;
    int nested; /* begins inside the open transaction (store.h) */
    int version;
    struct pccs_hmap stmts;        /* SQL text -> number of its statement */
    struct pccs_source_set *track; /* sources read, or NULL */
    struct pccs_buf copy;          /* figures waiting, COPY text format */
    int64_t seq;                   /* figures of the load so far */
    struct fact_set *sets;
    size_t nsets, sets_cap, last_set;
    PGresult *held; /* the source row of the last source_find/get */
    char *loading;  /* the path of the source being loaded, for errors */
    /*
     * Rows whose statements need no answer (organisations, memberships,
     * names, attributes, refs) go in a pipeline of up to PIPE_MAX, read
     * back at the next statement that needs one; what[i] names each.
     */
    const char *what[PIPE_MAX];
    int npipe;
    /* code -> level of every organisation, while writing (see put_org) */
    struct pccs_hmap levels;
    bool levels_read;
};

/* ===== Helpers (pg_int.h) ===== */

PGconn *
pccs__pg_conn(struct pccs_store *st)
{
    return st->conn;
}

bool
pccs__pg_in_tx(const struct pccs_store *st)
{
    return st->in_tx;
}

int
pccs__pg_unsupported(struct pccs_err *err, const char *what)
{
    return pccs_err_set(err, PCCS_EUNSUPPORTED,
                        "store: not built for PostgreSQL yet: %s (use a "
                        "SQLite store for it)",
                        what);
}

/* msg on one line (libpq's run over several), into buf. */
static const char *
trim(const char *msg, char *buf, size_t n)
{
    size_t len = 0;
    bool space = false;
    for (const char *p = msg ? msg : ""; *p && len + 1 < n; p++) {
        if (*p == '\n' || *p == '\t' || *p == ' ') {
            space = len > 0;
            continue;
        }
        if (space && len + 2 < n)
            buf[len++] = ' ';
        space = false;
        buf[len++] = *p;
    }
    buf[len] = '\0';
    return buf;
}

int
pccs__pg_err(struct pccs_store *st, const PGresult *r, struct pccs_err *err,
             const char *what)
{
    char msg[200], ctx[200];
    /* A load names its file: the error may come at its end (the COPY). */
    snprintf(ctx, sizeof(ctx), "%s%s%s", st->loading ? st->loading : "",
             st->loading ? ": " : "", what);
    if (PQstatus(st->conn) == CONNECTION_BAD)
        return pccs_err_set(err, PCCS_EDB,
                            "store: %s: the connection to PostgreSQL at %s "
                            "was lost: %s",
                            ctx, st->name,
                            trim(PQerrorMessage(st->conn), msg, sizeof(msg)));
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *text =
        r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!text)
        text = PQerrorMessage(st->conn);
    int code = PCCS_EDB;
    if (state && (!strcmp(state, "23505") || !strcmp(state, "40001") ||
                  !strcmp(state, "40P01")))
        code = PCCS_ECONFLICT;
    return pccs_err_set(err, code, "store: %s: %s", ctx,
                        trim(text, msg, sizeof(msg)));
}

/* Run sql without parameters; PCCS_OK if its status is want. */
static int
exec_status(struct pccs_store *st, const char *sql, ExecStatusType want,
            struct pccs_err *err, const char *what)
{
    PGresult *r = PQexec(st->conn, sql);
    int rc = PCCS_OK;
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    /* Several statements: the last one's status (a SELECT's rows). */
    if (want == PGRES_COMMAND_OK && s == PGRES_TUPLES_OK)
        s = PGRES_COMMAND_OK;
    if (s != want)
        rc = pccs__pg_err(st, r, err, what);
    PQclear(r);
    return rc;
}

/*
 * Read the answers of the statements in the pipeline and leave pipeline
 * mode; the first error (with what its statement was doing) is the
 * result. A connection that is lost answers nothing more.
 */
static int
flush_pipe(struct pccs_store *st, struct pccs_err *err)
{
    if (st->npipe == 0)
        return PCCS_OK;
    int rc = PCCS_OK, i = 0;
    if (PQpipelineSync(st->conn) != 1)
        rc = pccs__pg_err(st, NULL, err, st->what[0]);
    while (!rc || PQstatus(st->conn) == CONNECTION_OK) {
        PGresult *r = PQgetResult(st->conn);
        if (!r) {
            if (PQstatus(st->conn) != CONNECTION_OK)
                break;
            i++; /* the end of one statement's answers */
            continue;
        }
        ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        if (!rc && s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
            rc = pccs__pg_err(st, r, err,
                              st->what[i < st->npipe ? i : st->npipe - 1]);
        PQclear(r);
    }
    if (!rc && PQstatus(st->conn) != CONNECTION_OK)
        rc = pccs__pg_err(st, NULL, err, st->what[0]);
    st->npipe = 0;
    PQexitPipelineMode(st->conn);
    return rc;
}

/* Send the figures waiting in st->copy with one COPY. */
static int
flush_copy(struct pccs_store *st, struct pccs_err *err)
{
    int rc = flush_pipe(st, err);
    if (rc || st->copy.len == 0)
        return rc;
    const char *what = "cannot store figures";
    rc = exec_status(st,
                     "COPY fact_values (set_id, seq, org, dim, value) "
                     "FROM STDIN",
                     PGRES_COPY_IN, err, what);
    if (rc)
        return rc;
    int ok = PQputCopyData(st->conn, st->copy.p, (int)st->copy.len) == 1 &&
             PQputCopyEnd(st->conn, NULL) == 1;
    pccs_buf_reset(&st->copy);
    PGresult *r;
    while ((r = PQgetResult(st->conn)) != NULL) {
        if (!rc && (!ok || PQresultStatus(r) != PGRES_COMMAND_OK))
            rc = pccs__pg_err(st, r, err, what);
        PQclear(r);
    }
    if (!rc && !ok)
        rc = pccs__pg_err(st, NULL, err, what);
    return rc;
}

int
pccs__pg_sync(struct pccs_store *st, struct pccs_err *err)
{
    return flush_copy(st, err);
}

int
pccs__pg_exec(struct pccs_store *st, const char *sql, struct pccs_err *err)
{
    int rc = flush_copy(st, err);
    if (!rc)
        rc = exec_status(st, sql, PGRES_COMMAND_OK, err, "cannot run SQL");
    return rc;
}

/* The name of sql's prepared statement, preparing it the first time. */
static int
prepared(struct pccs_store *st, const char *sql, int n, char name[32],
         struct pccs_err *err, const char *what)
{
    size_t len = strlen(sql);
    struct pccs_hmap_entry *e = pccs_hmap_get(&st->stmts, sql, len);
    if (e) {
        snprintf(name, 32, "pccs%" PRId64, e->ival);
        return PCCS_OK;
    }
    int64_t id = (int64_t)st->stmts.len + 1;
    snprintf(name, 32, "pccs%" PRId64, id);
    PGresult *r = PQprepare(st->conn, name, sql, n, NULL);
    int rc = PCCS_OK;
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = pccs__pg_err(st, r, err, what);
    PQclear(r);
    if (!rc)
        pccs_hmap_put(&st->stmts, sql, len, NULL)->ival = id;
    return rc;
}

int
pccs__pg_query(struct pccs_store *st, const char *sql, int n,
               const char *const *params, PGresult **out, int64_t *changes,
               struct pccs_err *err, const char *what)
{
    char name[32];
    if (out)
        *out = NULL;
    int rc = flush_copy(st, err);
    if (!rc)
        rc = prepared(st, sql, n, name, err, what);
    if (rc)
        return rc;
    PGresult *r = PQexecPrepared(st->conn, name, n, params, NULL, NULL, 0);
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
        rc = pccs__pg_err(st, r, err, what);
        PQclear(r);
        return rc;
    }
    if (changes) {
        const char *t = PQcmdTuples(r);
        *changes = t && *t ? strtoll(t, NULL, 10) : 0;
    }
    if (out)
        *out = r;
    else
        PQclear(r);
    return PCCS_OK;
}

/*
 * Send sql with params (as pccs__pg_query) without waiting for its
 * answer: it is read, and an error returned, at the next statement that
 * waits for one (at the latest, the commit).
 */
static int
pipe_send(struct pccs_store *st, const char *sql, int n,
          const char *const *params, struct pccs_err *err, const char *what)
{
    char name[32];
    /* Preparing waits for its answer: not inside a pipeline. */
    int rc = PCCS_OK;
    if (!pccs_hmap_get(&st->stmts, sql, strlen(sql)))
        rc = flush_pipe(st, err);
    if (!rc)
        rc = prepared(st, sql, n, name, err, what);
    if (rc)
        return rc;
    if (st->npipe == 0 && PQenterPipelineMode(st->conn) != 1)
        return pccs__pg_err(st, NULL, err, what);
    st->what[st->npipe++] = what;
    if (PQsendQueryPrepared(st->conn, name, n, params, NULL, NULL, 0) != 1) {
        rc = pccs__pg_err(st, NULL, err, what);
        flush_pipe(st, NULL);
        return rc;
    }
    return st->npipe == PIPE_MAX ? flush_pipe(st, err) : PCCS_OK;
}

int
pccs__pg_each(struct pccs_store *st, const char *sql, int n,
              const char *const *params, pccs__pg_row_fn fn, void *ctx,
              struct pccs_err *err, const char *what)
{
    PGresult *r;
    int rc = pccs__pg_query(st, sql, n, params, &r, NULL, err, what);
    if (rc)
        return rc;
    int rows = PQntuples(r);
    for (int i = 0; !rc && i < rows; i++)
        rc = fn(ctx, r, i);
    PQclear(r);
    return rc;
}

const char *
pccs__pg_text(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

int64_t
pccs__pg_int(const PGresult *r, int row, int col)
{
    const char *t = pccs__pg_text(r, row, col);
    return t ? strtoll(t, NULL, 10) : 0;
}

double
pccs__pg_double(const PGresult *r, int row, int col)
{
    const char *t = pccs__pg_text(r, row, col);
    return t ? strtod(t, NULL) : 0.0;
}

pccs_day
pccs__pg_day(const PGresult *r, int row, int col)
{
    const char *t = pccs__pg_text(r, row, col);
    pccs_day d;
    if (!t || pccs_date_parse(pccs_str_from(t), &d))
        return PCCS_DAY_NONE;
    return d;
}

const char *
pccs__pg_fmt_int(char buf[24], int64_t v)
{
    snprintf(buf, 24, "%" PRId64, v);
    return buf;
}

const char *
pccs__pg_fmt_day(char buf[16], pccs_day d)
{
    if (d == PCCS_DAY_NONE)
        return NULL;
    pccs_date_format(d, buf);
    return buf;
}

const char *
pccs__pg_fmt_double(char buf[32], double v)
{
    if (isnan(v))
        snprintf(buf, 32, "NaN");
    else if (isinf(v))
        snprintf(buf, 32, "%s", v > 0 ? "Infinity" : "-Infinity");
    else
        snprintf(buf, 32, "%.17g", v);
    return buf;
}

int
pccs__pg_writable(struct pccs_store *st, struct pccs_err *err)
{
    if (!st->readonly)
        return PCCS_OK;
    return pccs_err_set(err, PCCS_EIO,
                        "%s: the store is read-only here (the server takes "
                        "no writes): it can be read, not changed",
                        st->name);
}

int
pccs__pg_touch(struct pccs_store *st, struct pccs_err *err)
{
    if (st->in_tx) {
        st->gen_dirty = true;
        return PCCS_OK;
    }
    return pccs__pg_exec(st, "UPDATE generation SET n = n + 1", err);
}

/* ===== Opening and migrations ===== */

/* Is the session read-only (a standby, or read-only by default)? */
static int
read_only(struct pccs_store *st, struct pccs_err *err)
{
    PGresult *r;
    int rc = pccs__pg_query(
        st,
        "SELECT current_setting('transaction_read_only') = 'on' OR "
        "pg_is_in_recovery()",
        0, NULL, &r, NULL, err, "cannot read the server's state");
    if (rc)
        return rc;
    const char *t = pccs__pg_text(r, 0, 0);
    st->readonly = t && *t == 't';
    PQclear(r);
    return PCCS_OK;
}

/* The version the schema is at (0: none yet). */
static int
schema_at(struct pccs_store *st, int *version, struct pccs_err *err)
{
    PGresult *r;
    const char *what = "cannot read the schema version";
    *version = 0;
    int rc = pccs__pg_query(st, "SELECT to_regclass('schema_version') IS NULL",
                            0, NULL, &r, NULL, err, what);
    if (rc)
        return rc;
    bool none = *PQgetvalue(r, 0, 0) == 't';
    PQclear(r);
    if (none)
        return PCCS_OK;
    rc = pccs__pg_query(st, "SELECT max(version) FROM schema_version", 0, NULL,
                        &r, NULL, err, what);
    if (rc)
        return rc;
    *version = (int)pccs__pg_int(r, 0, 0);
    PQclear(r);
    return PCCS_OK;
}

/* Apply the migrations from st->version on, in one transaction. */
static int
migrate_tx(struct pccs_store *st, struct pccs_err *err)
{
    int rc = pccs__pg_exec(st,
                           "CREATE TABLE IF NOT EXISTS schema_version "
                           "(version integer NOT NULL); INSERT INTO "
                           "schema_version SELECT 0 WHERE NOT EXISTS "
                           "(SELECT 1 FROM schema_version)",
                           err);
    if (!rc)
        rc = schema_at(st, &st->version, err);
    for (size_t i = (size_t)st->version; !rc && i < NMIGRATIONS; i++) {
        rc = exec_status(st, migrations[i], PGRES_COMMAND_OK, err,
                         "cannot migrate the schema");
        if (rc)
            break;
        char sql[80];
        snprintf(sql, sizeof(sql), "UPDATE schema_version SET version = %zu",
                 i + 1);
        rc = pccs__pg_exec(st, sql, err);
        if (!rc)
            st->version = (int)(i + 1);
    }
    return rc;
}

static int
migrate(struct pccs_store *st, struct pccs_err *err)
{
    int rc = schema_at(st, &st->version, err);
    if (rc || st->version == (int)NMIGRATIONS)
        return rc;
    if (st->version > (int)NMIGRATIONS)
        return pccs_err_set(err, PCCS_EDB,
                            "%s: the store's schema (version %d) is newer "
                            "than this pccs knows (%zu): use a newer pccs",
                            st->name, st->version, NMIGRATIONS);
    if (st->readonly)
        return pccs_err_set(err, PCCS_EIO,
                            "%s: the store needs its schema migrated, but "
                            "the server takes no writes",
                            st->name);
    rc = pccs__pg_exec(st,
                       "BEGIN; SET LOCAL client_min_messages = warning; "
                       "SELECT pg_advisory_xact_lock(" LOCK_MIGRATE ")",
                       err);
    if (!rc)
        rc = migrate_tx(st, err);
    if (!rc)
        return pccs__pg_exec(st, "COMMIT", err);
    PQclear(PQexec(st->conn, "ROLLBACK"));
    return rc;
}

/* The server's notices (a shutdown's warning ...): errors say enough. */
static void
no_notice(void *ctx, const char *message)
{
    (void)ctx;
    (void)message;
}

static int
connect_db(struct pccs_store *st, const char *url, struct pccs_err *err)
{
    st->conn = PQconnectdb(url);
    char msg[200];
    if (!st->conn)
        return pccs_err_set(err, PCCS_EDB,
                            "%s: cannot connect to PostgreSQL: out of memory",
                            st->name);
    if (PQstatus(st->conn) != CONNECTION_OK)
        return pccs_err_set(err, PCCS_EDB,
                            "%s: cannot connect to PostgreSQL: %s", st->name,
                            trim(PQerrorMessage(st->conn), msg, sizeof(msg)));
    PQsetNoticeProcessor(st->conn, no_notice, NULL);
    /* Doubles as text round-trip exactly; dates and messages as we want. */
    return pccs__pg_exec(st,
                         "SET extra_float_digits = 3; SET client_encoding = "
                         "'UTF8'; SET DateStyle = 'ISO'; SET TimeZone = "
                         "'UTC'; SET client_min_messages = warning",
                         err);
}

int
pccs__pg_open(struct pccs_store **out, const char *url, struct pccs_err *err)
{
    *out = NULL;
    struct pccs_store *st = pccs_xcalloc(1, sizeof(*st));
    st->ops = &pccs__pg_ops;
    char name[512];
    st->name = pccs_xstrdup(pccs__pg_url_safe(url, name, sizeof(name)));
    st->stmts = (struct pccs_hmap)PCCS_HMAP_INIT;
    st->levels = (struct pccs_hmap)PCCS_HMAP_INIT;
    st->copy = (struct pccs_buf)PCCS_BUF_INIT;
    int rc = connect_db(st, url, err);
    if (!rc)
        rc = read_only(st, err);
    if (!rc)
        rc = migrate(st, err);
    if (rc) {
        pccs_store_free(st);
        return rc;
    }
    *out = st;
    return PCCS_OK;
}

/* Forget the sets of a load. */
static void
sets_reset(struct pccs_store *st)
{
    for (size_t i = 0; i < st->nsets; i++) {
        free(st->sets[i].measure);
        free(st->sets[i].period);
    }
    st->nsets = 0;
    st->last_set = 0;
}

void
pccs_store_free(struct pccs_store *st)
{
    if (!st)
        return;
    if (st->in_tx && PQstatus(st->conn) == CONNECTION_OK)
        pccs_store_rollback(st);
    sets_reset(st);
    free(st->sets);
    pccs_buf_release(&st->copy);
    pccs_hmap_release(&st->stmts);
    pccs_hmap_release(&st->levels);
    PQclear(st->held);
    PQfinish(st->conn);
    free(st->loading);
    free(st->name);
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

int
pccs_store_begin(struct pccs_store *st, struct pccs_err *err)
{
    if (st->in_tx) {
        st->nested++;
        return PCCS_OK;
    }
    int rc = pccs__pg_writable(st, err);
    if (!rc)
        rc = pccs__pg_exec(
            st, "BEGIN; SELECT pg_advisory_xact_lock(" LOCK_WRITE ")", err);
    if (!rc)
        st->in_tx = true;
    else
        PQclear(PQexec(st->conn, "ROLLBACK"));
    st->levels_read = false;
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
    int rc = flush_copy(st, err);
    if (!rc && st->gen_dirty)
        rc = pccs__pg_exec(st, "UPDATE generation SET n = n + 1", err);
    if (!rc)
        rc = pccs__pg_exec(st, "COMMIT", err);
    if (!rc) {
        st->in_tx = false;
        st->gen_dirty = false;
        free(st->loading);
        st->loading = NULL;
    }
    return rc;
}

void
pccs_store_rollback(struct pccs_store *st)
{
    if (!st->in_tx)
        return;
    pccs_buf_reset(&st->copy);
    flush_pipe(st, NULL);
    PQclear(PQexec(st->conn, "ROLLBACK"));
    st->in_tx = false;
    st->nested = 0;
    st->gen_dirty = false;
    st->levels_read = false;
    free(st->loading);
    st->loading = NULL;
    sets_reset(st);
}

/* ===== Sources ===== */

#define SOURCE_COLS                                                            \
    "SELECT id, kind, publication, period, path, sha256, encoding, "           \
    "rows_loaded, rows_rejected, loaded_at, provenance, provenance_note, "     \
    "owner FROM sources "

static void
source_row(const PGresult *r, int i, struct pccs_source_info *o)
{
    o->id = pccs__pg_int(r, i, 0);
    o->kind = pccs__pg_text(r, i, 1);
    o->publication = pccs__pg_text(r, i, 2);
    o->period = pccs__pg_text(r, i, 3);
    o->path = pccs__pg_text(r, i, 4);
    o->sha256 = pccs__pg_text(r, i, 5);
    o->encoding = pccs__pg_text(r, i, 6);
    o->rows_loaded = pccs__pg_int(r, i, 7);
    o->rows_rejected = pccs__pg_int(r, i, 8);
    o->loaded_at = pccs__pg_text(r, i, 9);
    o->provenance = pccs__pg_text(r, i, 10);
    o->provenance_note = pccs__pg_text(r, i, 11);
    o->owner = pccs__pg_text(r, i, 12);
}

/* One source by sql with param; its strings live until the next call. */
static int
source_one(struct pccs_store *st, const char *sql, const char *param,
           struct pccs_source_info *out, struct pccs_err *err)
{
    PGresult *r;
    int rc = pccs__pg_query(st, sql, 1, &param, &r, NULL, err,
                            "cannot read sources");
    if (rc)
        return rc;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return pccs_err_set(err, PCCS_ENOTFOUND, "no such source");
    }
    PQclear(st->held);
    st->held = r;
    source_row(r, 0, out);
    return PCCS_OK;
}

int
pccs_store_source_find(struct pccs_store *st, const char *sha256,
                       struct pccs_source_info *out, struct pccs_err *err)
{
    return source_one(st, SOURCE_COLS "WHERE sha256 = $1", sha256, out, err);
}

int
pccs_store_source_get(struct pccs_store *st, int64_t id,
                      struct pccs_source_info *out, struct pccs_err *err)
{
    char buf[24];
    return source_one(st, SOURCE_COLS "WHERE id = $1",
                      pccs__pg_fmt_int(buf, id), out, err);
}

int
pccs_store_source_add(struct pccs_store *st, struct pccs_source_info *src,
                      struct pccs_err *err)
{
    const char *p[] = {src->kind, src->publication, src->period,
                       src->path, src->sha256,      src->encoding};
    PGresult *r;
    int rc = pccs__pg_query(
        st,
        "INSERT INTO sources (kind, publication, period, path, sha256, "
        "encoding, loaded_at) VALUES ($1, $2, $3, $4, $5, $6, "
        "to_char(clock_timestamp() AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')) RETURNING id",
        6, p, &r, NULL, err, "cannot record the source");
    if (rc)
        return rc;
    src->id = pccs__pg_int(r, 0, 0);
    PQclear(r);
    free(st->loading);
    st->loading = src->path ? pccs_xstrdup(src->path) : NULL;
    sets_reset(st);
    st->seq = 0;
    return pccs__pg_touch(st, err);
}

/* Write the (measure, period) sets of source id to fact_sets. */
static int
write_sets(struct pccs_store *st, int64_t id, struct pccs_err *err)
{
    char sid[24], count[24], set[24];
    pccs__pg_fmt_int(sid, id);
    int rc = PCCS_OK;
    for (size_t i = 0; !rc && i < st->nsets; i++) {
        const struct fact_set *fs = &st->sets[i];
        const char *p[] = {fs->measure, fs->period, sid,
                           pccs__pg_fmt_int(count, fs->count),
                           pccs__pg_fmt_int(set, fs->id)};
        rc = pipe_send(st,
                       "INSERT INTO fact_sets (measure, period, source_id, "
                       "facts, set_id) VALUES ($1, $2, $3, $4, $5)",
                       5, p, err, "cannot summarise the figures");
    }
    if (!rc && st->nsets)
        rc = pccs__pg_touch(st, err);
    sets_reset(st);
    return rc;
}

int
pccs_store_source_finish(struct pccs_store *st,
                         const struct pccs_source_info *src,
                         struct pccs_err *err)
{
    int rc = write_sets(st, src->id, err);
    if (rc)
        return rc;
    char id[24], loaded[24], rejected[24];
    const char *p[] = {
        pccs__pg_fmt_int(id, src->id),
        src->kind,
        src->publication,
        src->period,
        src->encoding,
        pccs__pg_fmt_int(loaded, src->rows_loaded),
        pccs__pg_fmt_int(rejected, src->rows_rejected),
        src->sha256,
        src->provenance,
        src->provenance_note,
        src->owner,
    };
    rc = pccs__pg_query(st,
                        "UPDATE sources SET kind = $2, publication = $3, "
                        "period = $4, encoding = $5, rows_loaded = $6, "
                        "rows_rejected = $7, sha256 = $8, provenance = $9, "
                        "provenance_note = $10, owner = $11 WHERE id = $1",
                        11, p, NULL, NULL, err, "cannot finish the source");
    return rc ? rc : pccs__pg_touch(st, err);
}

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

static int
source_each_row(void *ctx, const PGresult *r, int i)
{
    const struct reader *rd = ctx;
    struct pccs_source_info o;
    source_row(r, i, &o);
    return rd->fn.source(rd->ctx, &o);
}

int
pccs_store_sources_each(struct pccs_store *st, pccs_store_source_fn fn,
                        void *ctx, struct pccs_err *err)
{
    struct reader rd = {.fn.source = fn, .ctx = ctx};
    return pccs__pg_each(st, SOURCE_COLS "ORDER BY id", 0, NULL,
                         source_each_row, &rd, err, "cannot list sources");
}

/* ===== Writing rows ===== */

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

/* As sqlite.c's: non-NULL fields from a newer (or equal) as_of win. */
#define ORG_FIELD(f)                                                           \
    f " = CASE WHEN excluded." f " IS NOT NULL AND (orgs.as_of IS NULL OR "    \
      "coalesce(excluded.as_of, '') >= orgs.as_of) OR orgs." f " IS NULL "     \
      "THEN coalesce(excluded." f ", orgs." f ") ELSE orgs." f " END, "

static const char org_put_sql[] =
    "INSERT INTO orgs AS orgs (code, level, name, postcode, ons_code, status, "
    "open_date, close_date, as_of, source_id) VALUES ($1, $2, $3, $4, $5, "
    "$6, $7, $8, $9, $10) ON CONFLICT (code) DO UPDATE SET " ORG_FIELD("name")
        ORG_FIELD("postcode") ORG_FIELD("ons_code") ORG_FIELD("status")
            ORG_FIELD("open_date") ORG_FIELD(
                "close_date") "as_of = greatest(coalesce(orgs.as_of, ''), "
                              "coalesce(excluded.as_of, "
                              "'')), source_id = CASE WHEN "
                              "coalesce(excluded.as_of, '') >= "
                              "coalesce(orgs.as_of, '') THEN "
                              "excluded.source_id ELSE orgs.source_id "
                              "END, level = CASE WHEN excluded.level = "
                              "'practice' THEN 'practice' "
                              "ELSE orgs.level END WHERE orgs.level = "
                              "excluded.level OR (orgs.level "
                              "IN ('practice', 'other') AND excluded.level IN "
                              "('practice', 'other'))";

/*
 * Read the level of every organisation (once per transaction: writers
 * are one at a time, so no other can change them meanwhile).
 */
static int
read_levels(struct pccs_store *st, struct pccs_err *err)
{
    if (!st->in_tx)
        st->levels_read = false;
    if (st->levels_read)
        return PCCS_OK;
    pccs_hmap_release(&st->levels);
    PGresult *r;
    int rc = pccs__pg_query(st, "SELECT code, level FROM orgs", 0, NULL, &r,
                            NULL, err, "cannot read organisations");
    if (rc)
        return rc;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *code = PQgetvalue(r, i, 0);
        pccs_hmap_put(&st->levels, code, strlen(code), NULL)->ptr =
            (void *)level_const(PQgetvalue(r, i, 1));
    }
    PQclear(r);
    st->levels_read = true;
    return PCCS_OK;
}

static bool
prescribing(const char *level)
{
    return !strcmp(level, PCCS_LEVEL_PRACTICE) ||
           !strcmp(level, PCCS_LEVEL_OTHER);
}

/*
 * The upsert's rule, known before it is sent (so it needs no answer): a
 * code known at another level is refused, except that "practice" and
 * "other" are one family, where "practice" wins.
 */
static int
check_level(struct pccs_store *st, const struct pccs_org_row *o,
            struct pccs_err *err)
{
    int rc = read_levels(st, err);
    if (rc)
        return rc;
    bool created;
    struct pccs_hmap_entry *e =
        pccs_hmap_put(&st->levels, o->code, strlen(o->code), &created);
    const char *now = level_const(o->level);
    if (created || !strcmp(e->ptr, o->level)) {
        e->ptr = (void *)now;
        return PCCS_OK;
    }
    if (prescribing(e->ptr) && prescribing(o->level)) {
        if (!strcmp(o->level, PCCS_LEVEL_PRACTICE))
            e->ptr = (void *)now;
        return PCCS_OK;
    }
    return pccs_err_set(err, PCCS_ECONFLICT,
                        "organisation %s is already known as a %s, not a %s",
                        o->code, (const char *)e->ptr, o->level);
}

int
pccs_store_put_org(struct pccs_store *st, const struct pccs_org_row *o,
                   struct pccs_err *err)
{
    int rc = check_level(st, o, err);
    if (rc)
        return rc;
    char open[16], close[16], as_of[16], sid[24];
    const char *p[] = {
        o->code,
        o->level,
        o->name,
        o->postcode,
        o->ons_code,
        o->status,
        pccs__pg_fmt_day(open, o->open_date),
        pccs__pg_fmt_day(close, o->close_date),
        pccs__pg_fmt_day(as_of, o->as_of),
        pccs__pg_fmt_int(sid, o->source_id),
    };
    rc = pipe_send(st, org_put_sql, 10, p, err, "cannot store an organisation");
    if (!rc)
        rc = pccs__pg_touch(st, err);
    if (!rc && o->name && *o->name) {
        /* Every name is kept with its date, not only the newest. */
        const char *n[] = {o->code, o->name, p[8], sid};
        rc = pipe_send(st,
                       "INSERT INTO org_names (org, name, from_date, "
                       "source_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO "
                       "NOTHING",
                       4, n, err, "cannot store a name");
    }
    return rc;
}

int
pccs_store_put_link(struct pccs_store *st, const struct pccs_link_row *l,
                    struct pccs_err *err)
{
    char start[16], end[16], sid[24];
    const char *p[] = {
        l->child,
        l->parent && *l->parent ? l->parent : NULL,
        l->parent_level,
        pccs__pg_fmt_day(start, l->start),
        pccs__pg_fmt_day(end, l->end),
        l->observed ? "1" : "0",
        pccs__pg_fmt_int(sid, l->source_id),
    };
    int rc = pipe_send(st,
                       "INSERT INTO links (child, parent, parent_level, "
                       "start_date, end_date, observed, source_id) VALUES "
                       "($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                       7, p, err, "cannot store a membership");
    return rc ? rc : pccs__pg_touch(st, err);
}

/* The set of (measure, period) in the load, added the first time. */
static struct fact_set *
set_of(struct pccs_store *st, const struct pccs_fact_row *f)
{
    const char *measure = f->measure, *period = f->period;
    if (st->last_set < st->nsets) {
        struct fact_set *fs = &st->sets[st->last_set];
        if (!strcmp(fs->measure, measure) && !strcmp(fs->period, period))
            return fs;
    }
    for (size_t i = 0; i < st->nsets; i++) {
        if (!strcmp(st->sets[i].measure, measure) &&
            !strcmp(st->sets[i].period, period)) {
            st->last_set = i;
            return &st->sets[i];
        }
    }
    st->sets =
        pccs_xgrow(st->sets, &st->sets_cap, st->nsets + 1, sizeof(*st->sets));
    st->last_set = st->nsets;
    struct fact_set *fs = &st->sets[st->nsets++];
    *fs = (struct fact_set){
        .measure = pccs_xstrdup(measure),
        .period = pccs_xstrdup(period),
        .id =
            (int64_t)((uint64_t)f->source_id << SET_BITS) + (int64_t)st->nsets,
    };
    return fs;
}

/* s as a field of COPY's text format, then sep. */
static void
copy_field(struct pccs_buf *b, const char *s, char sep)
{
    for (; *s; s++) {
        switch (*s) {
        case '\\':
            pccs_buf_add(b, "\\\\", 2);
            break;
        case '\t':
            pccs_buf_add(b, "\\t", 2);
            break;
        case '\n':
            pccs_buf_add(b, "\\n", 2);
            break;
        case '\r':
            pccs_buf_add(b, "\\r", 2);
            break;
        default:
            pccs_buf_addch(b, *s);
        }
    }
    pccs_buf_addch(b, sep);
}

int
pccs_store_put_fact(struct pccs_store *st, const struct pccs_fact_row *f,
                    struct pccs_err *err)
{
    if (st->nsets + 1 >= (size_t)1 << SET_BITS)
        return pccs_err_set(err, PCCS_EINVAL,
                            "store: more than %d (measure, period) sets in "
                            "one load",
                            (1 << SET_BITS) - 2);
    struct fact_set *fs = set_of(st, f);
    fs->count++;
    char num[32];
    struct pccs_buf *b = &st->copy;
    pccs_buf_addstr(b, pccs__pg_fmt_int(num, fs->id));
    pccs_buf_addch(b, '\t');
    pccs_buf_addstr(b, pccs__pg_fmt_int(num, ++st->seq));
    pccs_buf_addch(b, '\t');
    copy_field(b, f->org, '\t');
    copy_field(b, f->dim ? f->dim : "", '\t');
    pccs_buf_addstr(b, pccs__pg_fmt_double(num, f->value));
    pccs_buf_addch(b, '\n');
    return b->len >= COPY_FLUSH ? flush_copy(st, err) : PCCS_OK;
}

int
pccs_store_put_attr(struct pccs_store *st, const struct pccs_attr_row *a,
                    struct pccs_err *err)
{
    char as_of[16], sid[24];
    const char *p[] = {a->org, a->key, a->value,
                       pccs__pg_fmt_day(as_of, a->as_of),
                       pccs__pg_fmt_int(sid, a->source_id)};
    return pipe_send(st,
                     "INSERT INTO attrs (org, key, value, as_of, source_id) "
                     "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org, key, "
                     "source_id) DO UPDATE SET value = excluded.value, "
                     "as_of = excluded.as_of",
                     5, p, err, "cannot store an attribute");
}

int
pccs_store_put_ref(struct pccs_store *st, const struct pccs_ref_row *r,
                   struct pccs_err *err)
{
    char sid[24];
    const char *p[] = {r->kind, r->key, r->attr, r->value,
                       pccs__pg_fmt_int(sid, r->source_id)};
    return pipe_send(st,
                     "INSERT INTO refs (kind, key, attr, value, source_id) "
                     "VALUES ($1, $2, $3, $4, $5)",
                     5, p, err, "cannot store a reference row");
}

/* ===== Reading ===== */

int
pccs_store_org_get(struct pccs_store *st, const char *code,
                   struct pccs_org_row *out, struct pccs_err *err)
{
    /* An organisation, else a parent known only from a link, else ENG. */
    PGresult *r;
    const char *p[] = {code};
    int rc = pccs__pg_query(
        st,
        "SELECT * FROM (SELECT 1 AS o, level, open_date, close_date FROM "
        "orgs WHERE code = $1 UNION ALL (SELECT 2, parent_level, NULL, NULL "
        "FROM links WHERE parent = $1 LIMIT 1) UNION ALL SELECT 3, "
        "'england', NULL, NULL WHERE $1 = 'ENG') x ORDER BY o LIMIT 1",
        1, p, &r, NULL, err, "cannot read an organisation");
    if (rc)
        return rc;
    memset(out, 0, sizeof(*out));
    if (PQntuples(r) == 0) {
        PQclear(r);
        return pccs_err_set(err, PCCS_ENOTFOUND, "no organisation %s", code);
    }
    out->code = code;
    out->level = level_const(pccs__pg_text(r, 0, 1));
    out->open_date = pccs__pg_day(r, 0, 2);
    out->close_date = pccs__pg_day(r, 0, 3);
    out->as_of = PCCS_DAY_NONE;
    PQclear(r);
    return PCCS_OK;
}

static int
org_each_row(void *ctx, const PGresult *r, int i)
{
    const struct reader *rd = ctx;
    const struct pccs_org_row o = {
        .code = pccs__pg_text(r, i, 0),
        .level = pccs__pg_text(r, i, 1),
        .name = pccs__pg_text(r, i, 2),
        .postcode = pccs__pg_text(r, i, 3),
        .ons_code = pccs__pg_text(r, i, 4),
        .status = pccs__pg_text(r, i, 5),
        .open_date = pccs__pg_day(r, i, 6),
        .close_date = pccs__pg_day(r, i, 7),
        .as_of = pccs__pg_day(r, i, 8),
        .source_id = pccs__pg_int(r, i, 9),
    };
    return rd->fn.org(rd->ctx, &o);
}

int
pccs_store_orgs_each(struct pccs_store *st, pccs_store_org_fn fn, void *ctx,
                     struct pccs_err *err)
{
    struct reader rd = {.fn.org = fn, .ctx = ctx};
    return pccs__pg_each(st,
                         "SELECT code, level, name, postcode, ons_code, "
                         "status, open_date, close_date, as_of, source_id "
                         "FROM orgs ORDER BY code",
                         0, NULL, org_each_row, &rd, err,
                         "cannot read organisations");
}

static int
link_each_row(void *ctx, const PGresult *r, int i)
{
    const struct reader *rd = ctx;
    const struct pccs_link_row l = {
        .child = pccs__pg_text(r, i, 0),
        .parent = pccs__pg_text(r, i, 1),
        .parent_level = pccs__pg_text(r, i, 2),
        .start = pccs__pg_day(r, i, 3),
        .end = pccs__pg_day(r, i, 4),
        .observed = pccs__pg_int(r, i, 5) != 0,
        .source_id = pccs__pg_int(r, i, 6),
    };
    return rd->fn.link(rd->ctx, &l);
}

int
pccs_store_links_each(struct pccs_store *st, pccs_store_link_fn fn, void *ctx,
                      struct pccs_err *err)
{
    struct reader rd = {.fn.link = fn, .ctx = ctx};
    return pccs__pg_each(st,
                         "SELECT child, parent, parent_level, start_date, "
                         "end_date, observed, source_id FROM links ORDER BY "
                         "id",
                         0, NULL, link_each_row, &rd, err,
                         "cannot read memberships");
}

static int
name_each_row(void *ctx, const PGresult *r, int i)
{
    const struct reader *rd = ctx;
    const struct pccs_name_row n = {
        .org = pccs__pg_text(r, i, 0),
        .name = pccs__pg_text(r, i, 1),
        .from = pccs__pg_day(r, i, 2),
        .source_id = pccs__pg_int(r, i, 3),
    };
    return rd->fn.name(rd->ctx, &n);
}

int
pccs_store_org_names_each(struct pccs_store *st, pccs_store_name_fn fn,
                          void *ctx, struct pccs_err *err)
{
    struct reader rd = {.fn.name = fn, .ctx = ctx};
    return pccs__pg_each(st,
                         "SELECT org, name, from_date, source_id FROM "
                         "org_names ORDER BY org, coalesce(from_date, ''), "
                         "source_id",
                         0, NULL, name_each_row, &rd, err, "cannot read names");
}

static int
attr_each_row(void *ctx, const PGresult *r, int i)
{
    const struct reader *rd = ctx;
    const struct pccs_attr_row a = {
        .org = pccs__pg_text(r, i, 0),
        .key = pccs__pg_text(r, i, 1),
        .value = pccs__pg_text(r, i, 2),
        .as_of = pccs__pg_day(r, i, 3),
        .source_id = pccs__pg_int(r, i, 4),
    };
    return rd->fn.attr(rd->ctx, &a);
}

#define ATTR_COLS "SELECT org, key, value, as_of, source_id FROM attrs "

int
pccs_store_attrs_each(struct pccs_store *st, const char *org,
                      pccs_store_attr_fn fn, void *ctx, struct pccs_err *err)
{
    struct reader rd = {.fn.attr = fn, .ctx = ctx};
    const char *p[] = {org};
    if (org)
        return pccs__pg_each(st,
                             ATTR_COLS "WHERE org = $1 ORDER BY key, "
                                       "source_id",
                             1, p, attr_each_row, &rd, err,
                             "cannot read attributes");
    return pccs__pg_each(st, ATTR_COLS "ORDER BY org, key, source_id", 0, NULL,
                         attr_each_row, &rd, err, "cannot read attributes");
}

int
pccs_store_attrs_of_source(struct pccs_store *st, const char *key,
                           int64_t source_id, pccs_store_attr_fn fn, void *ctx,
                           struct pccs_err *err)
{
    struct reader rd = {.fn.attr = fn, .ctx = ctx};
    char sid[24];
    const char *p[] = {key, pccs__pg_fmt_int(sid, source_id)};
    return pccs__pg_each(st, ATTR_COLS "WHERE key = $1 AND source_id = $2", 2,
                         p, attr_each_row, &rd, err, "cannot read attributes");
}

/* The periods of a measure with their latest source and count. */
static int
fact_periods(struct pccs_store *st, const char *measure, const char *period,
             PGresult **out, struct pccs_err *err)
{
    const char *p[] = {measure, period};
    return pccs__pg_query(
        st,
        "SELECT s.period, s.source_id, s.facts, s.set_id FROM fact_sets s "
        "WHERE s.measure = $1 AND ($2::text IS NULL OR s.period = $2::text) "
        "AND "
        "s.source_id = (SELECT max(t.source_id) FROM fact_sets t WHERE "
        "t.measure = s.measure AND t.period = s.period) ORDER BY s.period",
        2, p, out, NULL, err, "cannot read periods");
}

static int
fact_each_row(void *ctx, const PGresult *r, int i)
{
    const struct reader *rd = ctx;
    struct pccs_fact_row f = *rd->fact;
    f.org = pccs__pg_text(r, i, 0);
    f.dim = pccs__pg_text(r, i, 1);
    f.value = pccs__pg_double(r, i, 2);
    return rd->fn.fact(rd->ctx, &f);
}

int
pccs_store_facts_each(struct pccs_store *st, const char *measure,
                      const char *period, const char *org,
                      pccs_store_fact_fn fn, void *ctx, struct pccs_err *err)
{
    PGresult *ps;
    int rc = fact_periods(st, measure, period, &ps, err);
    if (rc)
        return rc;
    for (int i = 0; !rc && i < PQntuples(ps); i++) {
        const struct pccs_fact_row shared = {
            .measure = measure,
            .period = PQgetvalue(ps, i, 0),
            .source_id = pccs__pg_int(ps, i, 1),
        };
        if (st->track && pccs__pg_int(ps, i, 2) > 0)
            pccs_source_set_add(st->track, shared.source_id);
        struct reader rd = {.fn.fact = fn, .ctx = ctx, .fact = &shared};
        const char *p[] = {PQgetvalue(ps, i, 3), org};
        rc =
            pccs__pg_each(st,
                          "SELECT org, dim, value FROM fact_values WHERE "
                          "set_id = $1 AND ($2::text IS NULL OR org = "
                          "$2::text) ORDER BY seq",
                          2, p, fact_each_row, &rd, err, "cannot read figures");
    }
    PQclear(ps);
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
    PGresult *ps;
    int rc = fact_periods(st, measure, NULL, &ps, err);
    if (rc)
        return rc;
    for (int i = 0; !rc && i < PQntuples(ps); i++) {
        const struct pccs_fact_row f = {
            .measure = measure,
            .period = PQgetvalue(ps, i, 0),
            .org = "",
            .dim = "",
            .value = (double)pccs__pg_int(ps, i, 2),
            .source_id = pccs__pg_int(ps, i, 1),
        };
        rc = fn(ctx, &f);
    }
    PQclear(ps);
    return rc;
}

static int
ref_each_row(void *ctx, const PGresult *r, int i)
{
    const struct reader *rd = ctx;
    const struct pccs_ref_row ref = {
        .kind = pccs__pg_text(r, i, 0),
        .key = pccs__pg_text(r, i, 1),
        .attr = pccs__pg_text(r, i, 2),
        .value = pccs__pg_text(r, i, 3),
        .source_id = pccs__pg_int(r, i, 4),
    };
    return rd->fn.ref(rd->ctx, &ref);
}

int
pccs_store_refs_each(struct pccs_store *st, const char *kind,
                     pccs_store_ref_fn fn, void *ctx, struct pccs_err *err)
{
    struct reader rd = {.fn.ref = fn, .ctx = ctx};
    const char *p[] = {kind};
    return pccs__pg_each(st,
                         "SELECT kind, key, attr, value, source_id FROM refs "
                         "WHERE kind = $1 ORDER BY key, attr, id",
                         1, p, ref_each_row, &rd, err,
                         "cannot read reference rows");
}

/* ===== Caches ===== */

/* A big-endian 8-byte integer (binary int8). */
static int64_t
be64(const char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | (unsigned char)p[i];
    return (int64_t)v;
}

int
pccs_store_cache_get(struct pccs_store *st, const char *name, char **data,
                     size_t *len, int64_t *generation, struct pccs_err *err)
{
    *data = NULL;
    *len = 0;
    *generation = 0;
    int rc = flush_copy(st, err);
    if (rc)
        return rc;
    /* Binary results: the blob as it is, in the generation's snapshot. */
    const char *p[] = {name};
    PGresult *r = PQexecParams(st->conn,
                               "SELECT g.n, c.data FROM generation g LEFT "
                               "JOIN caches c ON c.name = $1 AND "
                               "c.generation = g.n",
                               1, NULL, p, NULL, NULL, 1);
    if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = pccs__pg_err(st, r, err, "cannot read the caches");
        PQclear(r);
        return rc;
    }
    if (PQntuples(r) > 0 && PQgetlength(r, 0, 0) == 8) {
        *generation = be64(PQgetvalue(r, 0, 0));
        if (!PQgetisnull(r, 0, 1) && PQgetlength(r, 0, 1) > 0) {
            *len = (size_t)PQgetlength(r, 0, 1);
            *data = pccs_xmalloc(*len);
            memcpy(*data, PQgetvalue(r, 0, 1), *len);
        }
    }
    PQclear(r);
    return PCCS_OK;
}

int
pccs_store_cache_put(struct pccs_store *st, const char *name,
                     int64_t generation, const void *data, size_t len,
                     struct pccs_err *err)
{
    /* Inside a transaction a failure would end it: a cache is not worth
     * that (the transaction's commit may move the generation on anyway). */
    if (st->readonly || st->in_tx || len > INT32_MAX)
        return PCCS_OK;
    int rc = flush_copy(st, err);
    if (rc)
        return rc;
    char gen[24];
    const char *p[] = {name, pccs__pg_fmt_int(gen, generation), data};
    const int lens[] = {0, 0, (int)len};
    const int formats[] = {0, 0, 1};
    PGresult *r = PQexecParams(
        st->conn,
        "INSERT INTO caches (name, generation, data) SELECT $1, $2, $3 FROM "
        "generation WHERE n = $2 ON CONFLICT (name) DO UPDATE SET "
        "generation = excluded.generation, data = excluded.data",
        3, NULL, p, lens, formats, 0);
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = pccs__pg_err(st, r, err, "cannot write the caches");
    PQclear(r);
    return rc;
}

int
pccs_store_counts(struct pccs_store *st, struct pccs_store_counts *out,
                  struct pccs_err *err)
{
    PGresult *r;
    int rc = pccs__pg_query(
        st,
        "SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM orgs), "
        "(SELECT count(*) FROM links), (SELECT count(*) FROM fact_values), "
        "(SELECT count(*) FROM attrs), (SELECT count(*) FROM refs)",
        0, NULL, &r, NULL, err, "cannot count rows");
    if (rc)
        return rc;
    out->sources = pccs__pg_int(r, 0, 0);
    out->orgs = pccs__pg_int(r, 0, 1);
    out->links = pccs__pg_int(r, 0, 2);
    out->facts = pccs__pg_int(r, 0, 3);
    out->attrs = pccs__pg_int(r, 0, 4);
    out->refs = pccs__pg_int(r, 0, 5);
    PQclear(r);
    return PCCS_OK;
}

/*
 * The snapshot of the cluster's transactions (xmin:xmax:in progress)
 * changes when any transaction that wrote commits or starts to write;
 * with the generation, a hash of both. A query, not a stat(2): a server
 * on PostgreSQL pays one round trip per look.
 */
uint64_t
pccs_store_stamp(struct pccs_store *st)
{
    PGresult *r;
    if (pccs__pg_query(st,
                       "SELECT pg_current_snapshot()::text || ':' || n FROM "
                       "generation",
                       0, NULL, &r, NULL, NULL, "cannot read the stamp"))
        return 1;
    uint64_t h = 1469598103934665603ULL;
    const char *t = PQntuples(r) ? PQgetvalue(r, 0, 0) : "";
    for (; *t; t++)
        h = (h ^ (unsigned char)*t) * 1099511628211ULL;
    PQclear(r);
    return h;
}

const struct pccs_store_ops pccs__pg_ops = {
    .name = "postgresql",
    .free = pccs__pg_free,
    .readonly = pccs__pg_readonly,
    .schema_version = pccs__pg_schema_version,
    .begin = pccs__pg_begin,
    .commit = pccs__pg_commit,
    .rollback = pccs__pg_rollback,
    .source_find = pccs__pg_source_find,
    .source_add = pccs__pg_source_add,
    .source_finish = pccs__pg_source_finish,
    .sources_each = pccs__pg_sources_each,
    .put_org = pccs__pg_put_org,
    .put_link = pccs__pg_put_link,
    .put_fact = pccs__pg_put_fact,
    .put_attr = pccs__pg_put_attr,
    .put_ref = pccs__pg_put_ref,
    .org_get = pccs__pg_org_get,
    .orgs_each = pccs__pg_orgs_each,
    .links_each = pccs__pg_links_each,
    .org_names_each = pccs__pg_org_names_each,
    .attrs_each = pccs__pg_attrs_each,
    .attrs_of_source = pccs__pg_attrs_of_source,
    .facts_each = pccs__pg_facts_each,
    .periods_each = pccs__pg_periods_each,
    .refs_each = pccs__pg_refs_each,
    .track = pccs__pg_track,
    .source_get = pccs__pg_source_get,
    .user_put = pccs__pg_user_put,
    .user_set_role = pccs__pg_user_set_role,
    .user_set_disabled = pccs__pg_user_set_disabled,
    .user_delete = pccs__pg_user_delete,
    .user_state = pccs__pg_user_state,
    .stamp = pccs__pg_stamp,
    .users_each = pccs__pg_users_each,
    .audit = pccs__pg_audit,
    .audit_each = pccs__pg_audit_each,
    .cache_get = pccs__pg_cache_get,
    .cache_put = pccs__pg_cache_put,
    .counts = pccs__pg_counts,
    .phm_writer = pccs__pg_phm_writer,
    .phm_writer_free = pccs__pg_phm_writer_free,
    .phm_put_patient = pccs__pg_phm_put_patient,
    .phm_put_registration = pccs__pg_phm_put_registration,
    .phm_put_event = pccs__pg_phm_put_event,
    .phm_writer_flush = pccs__pg_phm_writer_flush,
    .patients_each = pccs__pg_patients_each,
    .registrations_each = pccs__pg_registrations_each,
    .events_each = pccs__pg_events_each,
    .booking_session_put = pccs__pg_booking_session_put,
    .slot_put = pccs__pg_slot_put,
    .slots_each = pccs__pg_slots_each,
    .appt_book = pccs__pg_appt_book,
    .appt_set_status = pccs__pg_appt_set_status,
    .appts_each = pccs__pg_appts_each,
    .idem_get = pccs__pg_idem_get,
    .idem_put = pccs__pg_idem_put,
    .slot_withdraw = pccs__pg_slot_withdraw,
    .patient_practice = pccs__pg_patient_practice,
};
