/* SPDX-License-Identifier: MIT */
/*
 * Patient-level records in the PostgreSQL store (store.h, "Patient-level
 * records"): the tables patients, patient_regs and phm_events, each
 * declaratively partitioned by LIST on the ICB of the patient's practice
 * (the DDL and why are at the migration, pg_schema). The writer keeps a
 * load's rows as COPY text, one buffer a table and ICB, and sends them
 * with COPY inside the load's transaction. The partition of an ICB that
 * has none yet is made by the load, in its transaction (a failed load
 * leaves no partition either), as a plain table first: its rows go
 * straight into it (COPY ... FREEZE: no routing, and no second write of
 * every page when it is first read or vacuumed), and at the end of the
 * load it is attached (ATTACH PARTITION, which builds its indexes in
 * one pass rather than a row at a time; its CHECK on the ICB spares the
 * scan). Not when the table has row triggers (they would not see the
 * rows): then the partition is made attached. Rows for a partition there before
 * (one attached by hand, a foreign table say) go through the parent. A row
 * whose ICB is not known goes to the DEFAULT partition: patients loaded before
 * their registrations, whose rows the registrations' load then moves to their
 * ICB's partition.
 *
 * Patient ids are numbered here (one more than the largest stored),
 * under a transaction-level advisory lock so that two loads never hand
 * out the same id; cohorts index arrays by them, so they stay dense.
 * Reads stream with COPY ... TO STDOUT, a row at a time, whatever the
 * number of rows.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg_int.h" /* first: see there */

#include "base/hmap.h"
#include "base/xalloc.h"
#include "store/pg_q.h"

/* Bytes of COPY text a table's buffers hold before they are sent. */
#define FLUSH_BYTES (32u << 20)
/* The advisory lock of patient-level loads (any number, the same). */
#define PHM_LOCK "7045861"

enum { T_PAT, T_REG, T_EV, T_N };

static const char *const tables[T_N] = {"patients", "patient_regs",
                                        "phm_events"};

static const char *const columns[T_N] = {
    [T_PAT] = "id, icb, ext, sex, birth, death, source_id",
    [T_REG] = "icb, patient, practice, start_day, end_day, source_id",
    [T_EV] = "icb, kind, patient, code, day, value, source_id",
};

/* Bits of ready[] an ICB: table t has its partition; the load made it
 * and it waits to be attached. */
#define HAS(t) (1u << (t))
#define OWN(t) (1u << ((t) + 4))

/* A patient waiting to be written: its ICB may come with a registration. */
struct pend {
    int64_t id, source;
    size_t ext; /* offset of its ext in the pool */
    pccs_day birth, death;
    char sex;
};

struct pccs_phm_writer {
    const struct pccs_store_ops *ops; /* first: backend.h */
    struct pccs_store *st;
    int64_t next_id;
    struct pccs_buf (*buf)[T_N]; /* by ICB index */
    size_t waiting[T_N];         /* bytes in table t's buffers */
    char triggers[T_N];          /* 0 not read, 1 none, 2 some */
    struct pend *pend;
    size_t npend, pend_cap, pend_first; /* ids from pend_first */
    struct pccs_buf pool;
    /* ICB codes by index; [0] is "" (not known: the DEFAULT partition). */
    char (*icb)[16];
    unsigned char *ready; /* HAS(t), OWN(t) */
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

static char *
put_int(char *o, int64_t v)
{
    char t[24];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do
        t[n++] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        *o++ = '-';
    while (n)
        *o++ = t[--n];
    return o;
}

/* Text escaped for COPY (backslash, tab, newline, carriage return). */
static char *
put_text(char *o, const char *s)
{
    for (; *s; s++) {
        char e = *s == '\\'   ? '\\'
                 : *s == '\t' ? 't'
                 : *s == '\n' ? 'n'
                 : *s == '\r' ? 'r'
                              : 0;
        if (e) {
            *o++ = '\\';
            *o++ = e;
        }
        else
            *o++ = *s;
    }
    return o;
}

/*
 * One row of COPY text onto b, a letter of fmt a column: i an int64_t, d
 * a pccs_day (\N for none), s a string as it is, t one to escape, c a
 * char, v an int (has a value) and a double (kept as a float, as the
 * SQLite store keeps it). Written in place: no call a character.
 */
static void
copy_row(struct pccs_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (const char *k = fmt; *k; k++) {
        const char *str =
            *k == 's' || *k == 't' ? va_arg(ap, const char *) : "";
        pccs_buf_grow(b, 2 * strlen(str) + 40);
        char *o = b->p + b->len;
        if (k != fmt)
            *o++ = '\t';
        if (*k == 'i')
            o = put_int(o, va_arg(ap, int64_t));
        else if (*k == 'd') {
            pccs_day d = va_arg(ap, pccs_day);
            o = d == PCCS_DAY_NONE ? (char *)memcpy(o, "\\N", 2) + 2
                                   : put_int(o, d);
        }
        else if (*k == 's')
            o = (char *)memcpy(o, str, strlen(str)) + strlen(str);
        else if (*k == 't')
            o = put_text(o, str);
        else if (*k == 'c')
            *o++ = (char)va_arg(ap, int);
        else if (va_arg(ap, int)) {
            double v = va_arg(ap, double);
            o += snprintf(o, 32, "%.9g", (double)(float)v);
        }
        else {
            (void)va_arg(ap, double);
            o = (char *)memcpy(o, "\\N", 2) + 2;
        }
        b->len = (size_t)(o - b->p);
    }
    va_end(ap);
    pccs_buf_addch(b, '\n');
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
        w->buf = pccs_xreallocarray(w->buf, w->icb_cap, sizeof(*w->buf));
    }
    snprintf(w->icb[w->nicb], sizeof(w->icb[0]), "%s", code);
    w->ready[w->nicb] = 0;
    for (int t = 0; t < T_N; t++)
        w->buf[w->nicb][t] = (struct pccs_buf)PCCS_BUF_INIT;
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

/* The name of table t's partition for ICB i that a load makes. */
static void
part_name(const struct pccs_phm_writer *w, int t, size_t i, char *out, size_t n)
{
    int k = snprintf(out, n, "%s_", tables[t]);
    for (const char *c = w->icb[i]; *c && (size_t)k + 1 < n; c++)
        out[k++] = (char)(*c | 0x20);
    out[k] = '\0';
}

/*
 * Has table t row triggers of its own (an audit, say)? Rows copied into
 * a table attached afterwards would pass them by, so then the load makes
 * its partitions attached and sends the rows through the parent.
 */
static int
row_triggers(struct pccs_phm_writer *w, int t, bool *out, struct pccs_err *err)
{
    if (!w->triggers[t]) {
        const char *p[] = {tables[t]};
        PGresult *r;
        int rc =
            pccs__pg_query(w->st,
                           "SELECT 1 FROM pg_trigger WHERE tgrelid = "
                           "$1::regclass AND NOT tgisinternal",
                           1, p, &r, NULL, err, "cannot read the triggers");
        if (rc)
            return rc;
        w->triggers[t] = PQntuples(r) ? 2 : 1;
        PQclear(r);
    }
    *out = w->triggers[t] == 2;
    return PCCS_OK;
}

/*
 * Make sure table t has a partition for ICB i: one attached by hand (a
 * foreign table on another server, say) counts whatever its name; else
 * the load makes one, to attach at its end.
 */
static int
ensure_partition(struct pccs_phm_writer *w, int t, size_t i,
                 struct pccs_err *err)
{
    if (w->ready[i] & HAS(t) || !i || !plain_code(w->icb[i]))
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
    bool trig = false;
    if (!there)
        rc = row_triggers(w, t, &trig, err);
    if (!there && !rc) {
        char sql[256], name[64];
        part_name(w, t, i, name, sizeof(name));
        bool own = !trig;
        if (own)
            snprintf(sql, sizeof(sql),
                     "CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS INCLUDING "
                     "CONSTRAINTS, CHECK (icb = '%s'))",
                     name, tables[t], w->icb[i]);
        else
            snprintf(sql, sizeof(sql),
                     "CREATE TABLE %s PARTITION OF %s FOR VALUES IN ('%s')",
                     name, tables[t], w->icb[i]);
        rc = pccs__pg_query(w->st, sql, 0, NULL, NULL, NULL, err,
                            "cannot add a partition");
        if (!rc && own)
            w->ready[i] |= (unsigned char)OWN(t);
    }
    if (!rc)
        w->ready[i] |= (unsigned char)HAS(t);
    return rc;
}

/* Attach the partitions the load made (their indexes are built now). */
static int
attach_partitions(struct pccs_phm_writer *w, struct pccs_err *err)
{
    int rc = PCCS_OK;
    for (size_t i = 1; i < w->nicb && !rc; i++)
        for (int t = 0; t < T_N && !rc; t++) {
            if (!(w->ready[i] & OWN(t)))
                continue;
            char sql[256], name[64];
            part_name(w, t, i, name, sizeof(name));
            snprintf(sql, sizeof(sql),
                     "ALTER TABLE %s ATTACH PARTITION %s FOR VALUES IN ('%s')",
                     tables[t], name, w->icb[i]);
            rc = pccs__pg_query(w->st, sql, 0, NULL, NULL, NULL, err,
                                "cannot attach a partition");
            w->ready[i] &= (unsigned char)~OWN(t);
        }
    return rc;
}

/* Write table t's waiting rows, each ICB's into its partition. */
static int
send_table(struct pccs_phm_writer *w, int t, struct pccs_err *err)
{
    int rc = PCCS_OK;
    for (size_t i = 0; i < w->nicb && !rc; i++) {
        struct pccs_buf *b = &w->buf[i][t];
        if (!b->len)
            continue;
        rc = ensure_partition(w, t, i, err);
        char sql[256], name[64];
        bool own = w->ready[i] & OWN(t);
        if (own)
            part_name(w, t, i, name, sizeof(name));
        snprintf(sql, sizeof(sql), "COPY %s (%s) FROM STDIN%s",
                 own ? name : tables[t], columns[t], own ? " (FREEZE)" : "");
        if (!rc)
            rc = pccs__pg_copy_in(w->st, sql, b, err,
                                  "cannot write patient rows");
    }
    w->waiting[t] = 0;
    return rc;
}

/* Count the bytes just added to table t's buffer b (from len before);
 * send the table's rows when they are many. */
static int
wrote(struct pccs_phm_writer *w, int t, const struct pccs_buf *b, size_t before,
      struct pccs_err *err)
{
    w->waiting[t] += b->len - before;
    return w->waiting[t] >= FLUSH_BYTES ? send_table(w, t, err) : PCCS_OK;
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
    for (size_t i = 0; i < w->nicb; i++)
        for (int t = 0; t < T_N; t++)
            pccs_buf_release(&w->buf[i][t]);
    free(w->buf);
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
    for (size_t i = 0; i < w->npend; i++) {
        const struct pend *p = &w->pend[i];
        size_t icb = (size_t)p->id < w->pat_cap ? w->pat_icb[p->id] : 0;
        copy_row(&w->buf[icb][T_PAT], "istcddi", p->id, w->icb[icb],
                 w->pool.p + p->ext, p->sex, p->birth, p->death, p->source);
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
    pccs_buf_add(&w->pool, p->ext, strlen(p->ext) + 1);
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
    struct pccs_buf *b = &w->buf[icb][T_REG];
    size_t before = b->len;
    copy_row(b, "sitddi", w->icb[icb], r->patient, r->practice, r->start,
             r->end, r->source_id);
    return wrote(w, T_REG, b, before, err);
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
    struct pccs_buf *b = &w->buf[icb][T_EV];
    size_t before = b->len;
    copy_row(b, "siiidvi", w->icb[icb],
             (int64_t)(kind == PCCS_EVENT_CLINICAL ? 0 : 1), e->patient,
             e->code, e->day, (int)e->has_value, e->value, e->source_id);
    return wrote(w, T_EV, b, before, err);
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
    if (!rc)
        rc = attach_partitions(w, err);
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
        rc = attach_partitions(w, err);
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

static int64_t
num(const char *f)
{
    return f ? strtoll(f, NULL, 10) : 0;
}

/* A read of one of the tables, a row at a time to fn. */
struct reader {
    int t;
    void (*fn)(void);
    void *ctx;
};

static int
row_line(void *ctx, char **f, int n)
{
    const struct reader *rd = ctx;
    if (n < (rd->t == T_PAT ? 6 : 5))
        return 0;
    int64_t id = num(f[0]), source = num(f[n - 1]);
    if (rd->t == T_PAT) {
        struct pccs_patient_row p = {id,           f[1],         f[2],
                                     day_of(f[3]), day_of(f[4]), source};
        return ((pccs_store_patient_fn)rd->fn)(rd->ctx, &p);
    }
    if (rd->t == T_REG) {
        struct pccs_registration_row r = {id, f[1], day_of(f[2]), day_of(f[3]),
                                          source};
        return ((pccs_store_registration_fn)rd->fn)(rd->ctx, &r);
    }
    struct pccs_event_row e = {id,
                               num(f[1]),
                               day_of(f[2]),
                               f[3] != NULL,
                               f[3] ? (double)strtof(f[3], NULL) : 0,
                               source};
    return ((pccs_store_event_fn)rd->fn)(rd->ctx, &e);
}

static int
read_rows(struct pccs_store *st, const char *sql, int t, void (*fn)(void),
          void *ctx, struct pccs_err *err)
{
    struct reader rd = {t, fn, ctx};
    return pccs__pg_copy_out(st, sql, t == T_PAT ? 6 : 5, row_line, &rd, err,
                             "cannot read patient rows");
}

int
pccs__pg_patients_each(struct pccs_store *st, pccs_store_patient_fn fn,
                       void *ctx, struct pccs_err *err)
{
    return read_rows(st,
                     "COPY (SELECT id, ext, sex, birth, death, source_id "
                     "FROM patients ORDER BY id) TO STDOUT",
                     T_PAT, (void (*)(void))fn, ctx, err);
}

int
pccs__pg_registrations_each(struct pccs_store *st, const char *practice,
                            pccs_store_registration_fn fn, void *ctx,
                            struct pccs_err *err)
{
    struct pccs_buf sql = PCCS_BUF_INIT;
    pccs_buf_addstr(&sql, "COPY (SELECT patient, practice, start_day, "
                          "end_day, source_id FROM patient_regs");
    if (practice) {
        char *lit =
            PQescapeLiteral(pccs__pg_conn(st), practice, strlen(practice));
        if (!lit)
            return pccs_err_set(err, PCCS_EINVAL, "store: bad practice code %s",
                                practice);
        pccs_buf_addf(&sql, " WHERE practice = %s ORDER BY patient", lit);
        PQfreemem(lit);
    }
    pccs_buf_addstr(&sql, ") TO STDOUT");
    int rc = read_rows(st, sql.p, T_REG, (void (*)(void))fn, ctx, err);
    pccs_buf_release(&sql);
    return rc;
}

int
pccs__pg_events_each(struct pccs_store *st, enum pccs_event_kind kind,
                     pccs_store_event_fn fn, void *ctx, struct pccs_err *err)
{
    return read_rows(st,
                     kind == PCCS_EVENT_CLINICAL
                         ? "COPY (SELECT patient, code, day, value, source_id "
                           "FROM phm_events WHERE kind = 0) TO STDOUT"
                         : "COPY (SELECT patient, code, day, value, source_id "
                           "FROM phm_events WHERE kind = 1) TO STDOUT",
                     T_EV, (void (*)(void))fn, ctx, err);
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
