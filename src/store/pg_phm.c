/* SPDX-License-Identifier: MIT */
/*
 * Patient-level records in the PostgreSQL store (store.h, "Patient-level
 * records"): the tables patients, patient_regs and phm_events, each
 * declaratively partitioned by LIST on the ICB of the patient's practice
 * (the DDL and why are at the migration, pg_schema). The writer keeps a
 * load's rows as COPY text and sends each table's with one COPY inside
 * the load's transaction; before it does, it creates the partition of
 * every ICB the rows name that has none yet (CREATE TABLE ... PARTITION
 * OF, in the same transaction, so a failed load leaves no partition
 * either). A row whose ICB is not known goes to the DEFAULT partition:
 * patients loaded before their registrations, whose rows the
 * registrations' load then moves to their ICB's partition.
 *
 * Patient ids are numbered here (one more than the largest stored),
 * under a transaction-level advisory lock so that two loads never hand
 * out the same id; cohorts index arrays by them, so they stay dense.
 * Reads stream with COPY ... TO STDOUT, a row at a time, whatever the
 * number of rows.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg_int.h" /* first: see there */

#include "base/hmap.h"
#include "base/xalloc.h"
#include "store/pg_q.h"

/* Rows of COPY text a table's buffer holds before it is sent. */
#define FLUSH_BYTES (32u << 20)
/* The advisory lock of patient-level loads (any number, the same). */
#define PHM_LOCK "7045861"

enum { T_PAT, T_REG, T_EV, T_N };

static const char *const tables[T_N] = {"patients", "patient_regs",
                                        "phm_events"};

static const char *const copy_sql[T_N] = {
    [T_PAT] = "COPY patients (id, icb, ext, sex, birth, death, source_id) "
              "FROM STDIN",
    [T_REG] = "COPY patient_regs (icb, patient, practice, start_day, "
              "end_day, source_id) FROM STDIN",
    [T_EV] = "COPY phm_events (icb, kind, patient, code, day, value, "
             "source_id) FROM STDIN",
};

/* A patient waiting to be written: its ICB may come with a registration. */
struct pend {
    int64_t id, source;
    size_t ext; /* offset of its COPY-escaped ext in the pool */
    pccs_day birth, death;
    char sex;
};

struct pccs_phm_writer {
    const struct pccs_store_ops *ops; /* first: backend.h */
    struct pccs_store *st;
    int64_t next_id;
    struct pccs_buf buf[T_N];
    struct pend *pend;
    size_t npend, pend_cap, pend_first; /* ids from pend_first */
    struct pccs_buf pool;
    /* ICB codes by index; [0] is "" (not known: the DEFAULT partition). */
    char (*icb)[16];
    unsigned char *ready; /* bit t: table t has the ICB's partition */
    size_t nicb, icb_cap;
    struct pccs_hmap prac; /* practice -> ICB index + 1 */
    /* By patient id: ICB index and registration start it came from. */
    uint16_t *pat_icb;
    pccs_day *pat_start;
    size_t pat_cap;
    bool pat_loaded;     /* pat_icb holds the stored patients too */
    int64_t reg_source;  /* the source of this load's registrations */
    bool moved_defaults; /* registrations written: move DEFAULT rows */
    /*
     * Every patient identifier in the store and in this load: the unique
     * index SQLite has, which PostgreSQL cannot keep over partitions that
     * may be foreign (read at the first patient of a load).
     */
    struct pccs_hmap exts;
    bool exts_loaded;
};

/* ===== Text for COPY ===== */

static void
add_int(struct pccs_buf *b, int64_t v)
{
    char t[24];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do
        t[n++] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        t[n++] = '-';
    pccs_buf_grow(b, (size_t)n + 1);
    while (n)
        b->p[b->len++] = t[--n];
    b->p[b->len] = '\0';
}

static void
add_day(struct pccs_buf *b, pccs_day d)
{
    if (d == PCCS_DAY_NONE)
        pccs_buf_add(b, "\\N", 2);
    else
        add_int(b, d);
}

/* Text escaped for COPY (backslash, tab, newline, carriage return). */
static void
add_text(struct pccs_buf *b, const char *s)
{
    for (; *s; s++) {
        const char *e = *s == '\\'   ? "\\\\"
                        : *s == '\t' ? "\\t"
                        : *s == '\n' ? "\\n"
                        : *s == '\r' ? "\\r"
                                     : NULL;
        if (e)
            pccs_buf_add(b, e, 2);
        else
            pccs_buf_addch(b, *s);
    }
}

/* ===== ICBs and their partitions ===== */

static size_t
icb_index(struct pccs_phm_writer *w, const char *code)
{
    for (size_t i = 0; i < w->nicb; i++)
        if (!strcmp(w->icb[i], code))
            return i;
    if (w->nicb == w->icb_cap) {
        w->icb_cap = w->icb_cap ? w->icb_cap * 2 : 64;
        w->icb = pccs_xreallocarray(w->icb, w->icb_cap, sizeof(*w->icb));
        w->ready = pccs_xreallocarray(w->ready, w->icb_cap, 1);
    }
    snprintf(w->icb[w->nicb], sizeof(w->icb[0]), "%s", code);
    w->ready[w->nicb] = 0;
    return w->nicb++;
}

/* Is code safe in a table name (letters and digits, as ODS codes are)? */
static bool
plain_code(const char *code)
{
    if (!*code)
        return false;
    for (const char *p = code; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              (*p >= '0' && *p <= '9')))
            return false;
    return true;
}

/*
 * Make sure table t has a partition for ICB i: one attached by hand (a
 * foreign table on another server, say) counts whatever its name.
 */
static int
ensure_partition(struct pccs_phm_writer *w, int t, size_t i,
                 struct pccs_err *err)
{
    if ((w->ready[i] >> t) & 1 || !i || !plain_code(w->icb[i]))
        return PCCS_OK;
    char lit[32];
    snprintf(lit, sizeof(lit), "%%'%s'%%", w->icb[i]);
    const char *p[] = {tables[t], lit};
    PGresult *r;
    int rc =
        pccs__pg_query(w->st,
                       "SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid "
                       "= i.inhrelid WHERE i.inhparent = $1::regclass AND "
                       "pg_get_expr(c.relpartbound, c.oid) LIKE $2",
                       2, p, &r, NULL, err, "cannot read the partitions");
    if (rc)
        return rc;
    int there = PQntuples(r);
    PQclear(r);
    if (!there) {
        char sql[256], low[16];
        size_t k = 0;
        for (; w->icb[i][k] && k + 1 < sizeof(low); k++)
            low[k] = (char)(w->icb[i][k] | 0x20);
        low[k] = '\0';
        snprintf(sql, sizeof(sql),
                 "CREATE TABLE %s_%s PARTITION OF %s FOR VALUES IN ('%s')",
                 tables[t], low, tables[t], w->icb[i]);
        rc = pccs__pg_query(w->st, sql, 0, NULL, NULL, NULL, err,
                            "cannot add a partition");
    }
    if (!rc)
        w->ready[i] |= (unsigned char)(1u << t);
    return rc;
}

/* Write table t's waiting rows, partitions first. */
static int
send_table(struct pccs_phm_writer *w, int t, struct pccs_err *err)
{
    if (!w->buf[t].len)
        return PCCS_OK;
    int rc = PCCS_OK;
    for (size_t i = 1; i < w->nicb && !rc; i++)
        rc = ensure_partition(w, t, i, err);
    return rc ? rc
              : pccs__pg_copy_in(w->st, copy_sql[t], &w->buf[t], err,
                                 "cannot write patient rows");
}

/*
 * The ICB of practice code as the store's memberships have it: the
 * practice's ICB, or its sub-ICB's, the latest; "" when none is known.
 */
static int
practice_icb(struct pccs_phm_writer *w, const char *code, size_t *out,
             struct pccs_err *err)
{
    bool created;
    struct pccs_hmap_entry *e =
        pccs_hmap_put(&w->prac, code, strlen(code), &created);
    if (!created) {
        *out = (size_t)e->ival - 1;
        return PCCS_OK;
    }
    const char *p[] = {code};
    PGresult *r;
    int rc = pccs__pg_query(
        w->st,
        "SELECT parent FROM (SELECT 0 AS k, parent, start_date AS d1, NULL "
        "AS d2 FROM links WHERE child = $1 AND parent_level = 'icb' AND "
        "parent IS NOT NULL UNION ALL SELECT 1, i.parent, s.start_date, "
        "i.start_date FROM links s JOIN links i ON i.child = s.parent AND "
        "i.parent_level = 'icb' AND i.parent IS NOT NULL WHERE s.child = $1 "
        "AND s.parent_level = 'sub_icb' AND s.parent IS NOT NULL) x ORDER "
        "BY k, d1 DESC NULLS LAST, d2 DESC NULLS LAST LIMIT 1",
        1, p, &r, NULL, err, "cannot read the practice's ICB");
    if (rc) {
        e->ival = 1;
        return rc;
    }
    *out = icb_index(w, PQntuples(r) ? PQgetvalue(r, 0, 0) : "");
    e->ival = (int64_t)*out + 1;
    PQclear(r);
    return PCCS_OK;
}

/* ===== Patients' ICBs ===== */

static void
pat_grow(struct pccs_phm_writer *w, int64_t id)
{
    if ((size_t)id < w->pat_cap)
        return;
    size_t old = w->pat_cap, cap = (size_t)id * 2 + 4096;
    w->pat_icb = pccs_xreallocarray(w->pat_icb, cap, sizeof(*w->pat_icb));
    w->pat_start = pccs_xreallocarray(w->pat_start, cap, sizeof(*w->pat_start));
    memset(w->pat_icb + old, 0, (cap - old) * sizeof(*w->pat_icb));
    for (size_t i = old; i < cap; i++)
        w->pat_start[i] = PCCS_DAY_NONE;
    w->pat_cap = cap;
}

static int
stored_icb_row(void *ctx, char **f, int n)
{
    struct pccs_phm_writer *w = ctx;
    if (n < 2 || !f[0] || !f[1])
        return 0;
    int64_t id = strtoll(f[0], NULL, 10);
    if (id <= 0)
        return 0;
    pat_grow(w, id);
    if (!w->pat_icb[id]) /* else a registration of this load said */
        w->pat_icb[id] = (uint16_t)icb_index(w, f[1]);
    return 0;
}

/* The ICBs of the patients stored before this load (for their events). */
static int
load_stored_icbs(struct pccs_phm_writer *w, struct pccs_err *err)
{
    if (w->pat_loaded)
        return PCCS_OK;
    w->pat_loaded = true;
    return pccs__pg_copy_out(w->st,
                             "COPY (SELECT id, icb FROM patients) TO STDOUT", 2,
                             stored_icb_row, w, err, "cannot read patients");
}

/* ===== The writer ===== */

int
pccs__pg_phm_writer(struct pccs_store *st, struct pccs_phm_writer **out,
                    struct pccs_err *err)
{
    struct pccs_phm_writer *w = pccs_xcalloc(1, sizeof(*w));
    w->ops = &pccs__pg_ops;
    w->st = st;
    icb_index(w, "");
    PGresult *r = NULL;
    int rc =
        pccs__pg_query(w->st, "SELECT pg_advisory_xact_lock(" PHM_LOCK ")", 0,
                       NULL, NULL, NULL, err, "cannot lock patient rows");
    if (!rc)
        rc = pccs__pg_query(w->st, "SELECT coalesce(max(id), 0) FROM patients",
                            0, NULL, &r, NULL, err, "cannot read patients");
    if (rc) {
        pccs__pg_phm_writer_free(w);
        *out = NULL;
        return rc;
    }
    w->next_id = pccs__pg_int(r, 0, 0) + 1;
    w->pend_first = (size_t)w->next_id;
    PQclear(r);
    *out = w;
    return PCCS_OK;
}

void
pccs__pg_phm_writer_free(struct pccs_phm_writer *w)
{
    if (!w)
        return;
    for (int t = 0; t < T_N; t++)
        pccs_buf_release(&w->buf[t]);
    pccs_buf_release(&w->pool);
    pccs_hmap_release(&w->prac);
    pccs_hmap_release(&w->exts);
    free(w->pend);
    free(w->icb);
    free(w->ready);
    free(w->pat_icb);
    free(w->pat_start);
    free(w);
}

/* The waiting patients as COPY text, each with the ICB known now. */
static int
send_patients(struct pccs_phm_writer *w, struct pccs_err *err)
{
    struct pccs_buf *b = &w->buf[T_PAT];
    for (size_t i = 0; i < w->npend; i++) {
        const struct pend *p = &w->pend[i];
        add_int(b, p->id);
        pccs_buf_addch(b, '\t');
        pccs_buf_addstr(
            b, w->icb[(size_t)p->id < w->pat_cap ? w->pat_icb[p->id] : 0]);
        pccs_buf_addch(b, '\t');
        pccs_buf_addstr(b, w->pool.p + p->ext);
        pccs_buf_addch(b, '\t');
        pccs_buf_addch(b, p->sex);
        pccs_buf_addch(b, '\t');
        add_day(b, p->birth);
        pccs_buf_addch(b, '\t');
        add_day(b, p->death);
        pccs_buf_addch(b, '\t');
        add_int(b, p->source);
        pccs_buf_addch(b, '\n');
    }
    w->npend = 0;
    pccs_buf_reset(&w->pool);
    return send_table(w, T_PAT, err);
}

static int
stored_ext_row(void *ctx, char **f, int n)
{
    struct pccs_phm_writer *w = ctx;
    bool created;
    if (n >= 1 && f[0])
        pccs_hmap_put(&w->exts, f[0], strlen(f[0]), &created);
    return 0;
}

/* PCCS_ECONFLICT if the store or this load holds ext, as SQLite's unique
 * index answers; else remember it. */
static int
ext_new(struct pccs_phm_writer *w, const char *ext, struct pccs_err *err)
{
    if (!w->exts_loaded) {
        w->exts_loaded = true;
        int rc = pccs__pg_copy_out(
            w->st, "COPY (SELECT ext FROM patients) TO STDOUT", 1,
            stored_ext_row, w, err, "cannot read patients");
        if (rc)
            return rc;
    }
    bool created;
    pccs_hmap_put(&w->exts, ext, strlen(ext), &created);
    if (!created)
        return pccs_err_set(err, PCCS_ECONFLICT,
                            "store: patient %s is already stored", ext);
    return PCCS_OK;
}

int
pccs__pg_phm_put_patient(struct pccs_phm_writer *w, struct pccs_patient_row *p,
                         struct pccs_err *err)
{
    int erc = ext_new(w, p->ext, err);
    if (erc)
        return erc;
    if (w->npend == w->pend_cap) {
        if (w->npend >= (1u << 18)) {
            int rc = send_patients(w, err);
            if (rc)
                return rc;
        }
        else {
            w->pend_cap = w->pend_cap ? w->pend_cap * 2 : 4096;
            w->pend =
                pccs_xreallocarray(w->pend, w->pend_cap, sizeof(*w->pend));
        }
    }
    p->id = w->next_id++;
    size_t off = w->pool.len;
    add_text(&w->pool, p->ext);
    pccs_buf_addch(&w->pool, '\0');
    w->pend[w->npend++] = (struct pend){
        .id = p->id,
        .source = p->source_id,
        .ext = off,
        .birth = p->birth,
        .death = p->death,
        .sex = p->sex && *p->sex ? *p->sex : 'U',
    };
    return PCCS_OK;
}

int
pccs__pg_phm_put_registration(struct pccs_phm_writer *w,
                              const struct pccs_registration_row *r,
                              struct pccs_err *err)
{
    size_t icb;
    int rc = practice_icb(w, r->practice, &icb, err);
    if (rc)
        return rc;
    /* The patient's ICB: its registration starting last. */
    pat_grow(w, r->patient);
    if (!w->pat_icb[r->patient] || r->start == PCCS_DAY_NONE ||
        r->start >= w->pat_start[r->patient]) {
        w->pat_icb[r->patient] = (uint16_t)icb;
        w->pat_start[r->patient] = r->start;
    }
    w->reg_source = r->source_id;
    w->moved_defaults = true;
    struct pccs_buf *b = &w->buf[T_REG];
    pccs_buf_addstr(b, w->icb[icb]);
    pccs_buf_addch(b, '\t');
    add_int(b, r->patient);
    pccs_buf_addch(b, '\t');
    add_text(b, r->practice);
    pccs_buf_addch(b, '\t');
    add_day(b, r->start);
    pccs_buf_addch(b, '\t');
    add_day(b, r->end);
    pccs_buf_addch(b, '\t');
    add_int(b, r->source_id);
    pccs_buf_addch(b, '\n');
    return b->len >= FLUSH_BYTES ? send_table(w, T_REG, err) : PCCS_OK;
}

int
pccs__pg_phm_put_event(struct pccs_phm_writer *w, enum pccs_event_kind kind,
                       const struct pccs_event_row *e, struct pccs_err *err)
{
    int rc = load_stored_icbs(w, err);
    if (rc)
        return rc;
    size_t icb = e->patient > 0 && (size_t)e->patient < w->pat_cap
                     ? w->pat_icb[e->patient]
                     : 0;
    struct pccs_buf *b = &w->buf[T_EV];
    pccs_buf_addstr(b, w->icb[icb]);
    pccs_buf_add(b, kind == PCCS_EVENT_CLINICAL ? "\t0\t" : "\t1\t", 3);
    add_int(b, e->patient);
    pccs_buf_addch(b, '\t');
    add_int(b, e->code);
    pccs_buf_addch(b, '\t');
    add_int(b, e->day);
    pccs_buf_addch(b, '\t');
    if (e->has_value) {
        /* Kept as a float (real), as the SQLite store keeps it. */
        char v[32];
        snprintf(v, sizeof(v), "%.9g", (double)(float)e->value);
        pccs_buf_addstr(b, v);
    }
    else
        pccs_buf_add(b, "\\N", 2);
    pccs_buf_addch(b, '\t');
    add_int(b, e->source_id);
    pccs_buf_addch(b, '\n');
    return b->len >= FLUSH_BYTES ? send_table(w, T_EV, err) : PCCS_OK;
}

/*
 * Patients stored without an ICB (loaded before their registrations)
 * move to their ICB's partition now that this load registered them, and
 * their events with them.
 */
static int
move_defaults(struct pccs_phm_writer *w, struct pccs_err *err)
{
    if (!w->moved_defaults)
        return PCCS_OK;
    w->moved_defaults = false;
    /* Else a moved row would stay in DEFAULT, under its new ICB. */
    int rc = PCCS_OK;
    for (size_t i = 1; i < w->nicb && !rc; i++)
        rc = ensure_partition(w, T_PAT, i, err);
    for (size_t i = 1; i < w->nicb && !rc; i++)
        rc = ensure_partition(w, T_EV, i, err);
    if (rc)
        return rc;
    char src[24];
    snprintf(src, sizeof(src), "%lld", (long long)w->reg_source);
    const char *p[] = {src};
    rc = pccs__pg_query(
        w->st,
        "UPDATE patients p SET icb = r.icb FROM (SELECT DISTINCT ON "
        "(patient) patient, icb FROM patient_regs WHERE source_id = $1 "
        "ORDER BY patient, start_day DESC NULLS FIRST) r WHERE p.icb = '' "
        "AND p.id = r.patient AND r.icb <> ''",
        1, p, NULL, NULL, err, "cannot move patients to their ICB");
    if (!rc)
        rc = pccs__pg_query(
            w->st,
            "UPDATE phm_events e SET icb = p.icb FROM patients p "
            "WHERE e.icb = '' AND p.id = e.patient AND p.icb <> ''",
            0, NULL, NULL, NULL, err, "cannot move events to their ICB");
    return rc;
}

int
pccs__pg_phm_writer_flush(struct pccs_phm_writer *w, struct pccs_err *err)
{
    int rc = send_patients(w, err);
    if (!rc)
        rc = send_table(w, T_REG, err);
    if (!rc)
        rc = send_table(w, T_EV, err);
    if (!rc)
        rc = move_defaults(w, err);
    return rc;
}

/* ===== Reading ===== */

static pccs_day
day_of(const char *f)
{
    return f ? (pccs_day)strtol(f, NULL, 10) : PCCS_DAY_NONE;
}

struct reader {
    void (*fn)(void);
    void *ctx;
};

static int
patient_line(void *ctx, char **f, int n)
{
    const struct reader *rd = ctx;
    if (n < 6)
        return 0;
    struct pccs_patient_row p = {
        .id = strtoll(f[0], NULL, 10),
        .ext = f[1],
        .sex = f[2],
        .birth = day_of(f[3]),
        .death = day_of(f[4]),
        .source_id = strtoll(f[5], NULL, 10),
    };
    return ((pccs_store_patient_fn)rd->fn)(rd->ctx, &p);
}

int
pccs__pg_patients_each(struct pccs_store *st, pccs_store_patient_fn fn,
                       void *ctx, struct pccs_err *err)
{
    struct reader rd = {(void (*)(void))fn, ctx};
    return pccs__pg_copy_out(st,
                             "COPY (SELECT id, ext, sex, birth, death, "
                             "source_id FROM patients ORDER BY id) TO STDOUT",
                             6, patient_line, &rd, err, "cannot read patients");
}

static int
reg_line(void *ctx, char **f, int n)
{
    const struct reader *rd = ctx;
    if (n < 5)
        return 0;
    struct pccs_registration_row r = {
        .patient = strtoll(f[0], NULL, 10),
        .practice = f[1],
        .start = day_of(f[2]),
        .end = day_of(f[3]),
        .source_id = strtoll(f[4], NULL, 10),
    };
    return ((pccs_store_registration_fn)rd->fn)(rd->ctx, &r);
}

int
pccs__pg_registrations_each(struct pccs_store *st, const char *practice,
                            pccs_store_registration_fn fn, void *ctx,
                            struct pccs_err *err)
{
    PGconn *c = pccs__pg_conn(st);
    struct reader rd = {(void (*)(void))fn, ctx};
    if (!practice)
        return pccs__pg_copy_out(st,
                                 "COPY (SELECT patient, practice, start_day, "
                                 "end_day, source_id FROM patient_regs) TO "
                                 "STDOUT",
                                 5, reg_line, &rd, err,
                                 "cannot read registrations");
    char *lit = PQescapeLiteral(c, practice, strlen(practice));
    if (!lit)
        return pccs_err_set(err, PCCS_EINVAL, "store: bad practice code %s",
                            practice);
    struct pccs_buf sql = PCCS_BUF_INIT;
    pccs_buf_addf(&sql,
                  "COPY (SELECT patient, practice, start_day, end_day, "
                  "source_id FROM patient_regs WHERE practice = %s ORDER BY "
                  "patient) TO STDOUT",
                  lit);
    PQfreemem(lit);
    int rc = pccs__pg_copy_out(st, sql.p, 5, reg_line, &rd, err,
                               "cannot read registrations");
    pccs_buf_release(&sql);
    return rc;
}

static int
event_line(void *ctx, char **f, int n)
{
    const struct reader *rd = ctx;
    if (n < 5)
        return 0;
    struct pccs_event_row e = {
        .patient = strtoll(f[0], NULL, 10),
        .code = strtoll(f[1], NULL, 10),
        .day = (pccs_day)strtol(f[2], NULL, 10),
        .has_value = f[3] != NULL,
        .value = f[3] ? (double)strtof(f[3], NULL) : 0,
        .source_id = strtoll(f[4], NULL, 10),
    };
    return ((pccs_store_event_fn)rd->fn)(rd->ctx, &e);
}

int
pccs__pg_events_each(struct pccs_store *st, enum pccs_event_kind kind,
                     pccs_store_event_fn fn, void *ctx, struct pccs_err *err)
{
    struct reader rd = {(void (*)(void))fn, ctx};
    return pccs__pg_copy_out(
        st,
        kind == PCCS_EVENT_CLINICAL
            ? "COPY (SELECT patient, code, day, value, source_id FROM "
              "phm_events WHERE kind = 0) TO STDOUT"
            : "COPY (SELECT patient, code, day, value, source_id FROM "
              "phm_events WHERE kind = 1) TO STDOUT",
        5, event_line, &rd, err, "cannot read events");
}

int
pccs__pg_patient_practice(struct pccs_store *st, const char *ext, pccs_day day,
                          char *practice, size_t n, bool *loaded,
                          struct pccs_err *err)
{
    *loaded = false;
    if (n)
        practice[0] = '\0';
    char d[24];
    const char *p[] = {ext, pccs__pg_fmt_int(d, day)};
    PGresult *r;
    int rc = pccs__pg_query(
        st,
        "SELECT EXISTS (SELECT 1 FROM patient_regs), (SELECT r.practice "
        "FROM patients p JOIN patient_regs r ON r.patient = p.id WHERE p.ext "
        "= $1 AND (r.start_day IS NULL OR r.start_day <= $2::integer) AND "
        "(r.end_day IS NULL OR r.end_day >= $2::integer) ORDER BY "
        "r.start_day DESC NULLS LAST LIMIT 1)",
        2, p, &r, NULL, err, "cannot read registrations");
    if (rc)
        return rc;
    *loaded = !strcmp(PQgetvalue(r, 0, 0), "t");
    const char *got = pccs__pg_text(r, 0, 1);
    if (got && n)
        snprintf(practice, n, "%s", got);
    else
        rc = pccs_err_set(err, PCCS_ENOTFOUND,
                          "no registration of patient %s on that day", ext);
    PQclear(r);
    return rc;
}
