/* SPDX-License-Identifier: MIT */
/*
 * Patient-level records in the SQLite store (store.h, "Patient-level
 * records"): the tables of migration 9. A writer keeps its prepared
 * statements for the length of a load; reads are full scans in rowid
 * order, or one practice's registrations through its index.
 */
#include "store/sqlite_names.h" /* first: see there */

#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "store/sqlite.h"
#include "store/store.h"

enum { W_PATIENT, W_REG, W_CHUNK, W_CODE, W_N };

static const char *const writer_sql[W_N] = {
    [W_PATIENT] = "INSERT INTO patients (ext, sex, birth, death, source_id) "
                  "VALUES (?1, ?2, ?3, ?4, ?5)",
    [W_REG] = "INSERT INTO patient_regs (patient, practice, start_day, "
              "end_day, source_id) VALUES (?1, ?2, ?3, ?4, ?5)",
    [W_CHUNK] = "INSERT INTO event_chunks (kind, n, data, source_id) "
                "VALUES (?1, ?2, ?3, ?4)",
    [W_CODE] = "INSERT INTO phm_codes (code) VALUES (?1)",
};

/* One packed event: 16 bytes. */
struct packed {
    int32_t patient, day, code; /* code: its id in phm_codes */
    float value;                /* NaN: none */
};

#define CHUNK 65536

/*
 * A chunk is stored dense when it fits: a header, then columns of
 * 16-bit offsets (code id, day from the chunk's first day, patient from
 * its first patient), a bit per event that has a value, and the values
 * (float) of those that do: about 6 bytes an event instead of 16, so
 * half the pages written and checkpointed. The header's first int32 is
 * negative, which no patient id is: a chunk that does not fit (a code
 * id, day or patient range over 65535) is stored as struct packed.
 */
#define DENSE_MAGIC INT32_C(-0x44454e31) /* "DEN1" negated */

struct dense_head {
    int32_t magic, patient, day; /* the smallest patient and day */
    uint32_t nvalues;
};

struct chunk {
    struct packed *v;
    size_t n;
    int64_t source_id;
};

struct pccs_phm_writer {
    const struct pccs_store_ops *ops; /* first: see backend.h */
    sqlite3 *db;
    sqlite3_stmt *s[W_N];
    struct chunk ch[2];   /* clinical, medication */
    unsigned char *dense; /* a chunk encoded (dense_size(CHUNK)) */
    /* code -> id, open addressing */
    int64_t *keys;
    int32_t *ids;
    size_t cap, len;
};

static int
phm_err(sqlite3 *db, struct pccs_err *err, const char *what)
{
    return pccs_err_set(err, PCCS_EDB, "store: %s: %s", what,
                        sqlite3_errmsg(db));
}

static size_t
code_slot(const struct pccs_phm_writer *w, int64_t code)
{
    size_t i =
        (size_t)(((uint64_t)code * 0x9E3779B97F4A7C15ULL) >> 20) & (w->cap - 1);
    while (w->keys[i] && w->keys[i] != code)
        i = (i + 1) & (w->cap - 1);
    return i;
}

static void
code_add(struct pccs_phm_writer *w, int64_t code, int32_t id)
{
    if ((w->len + 1) * 2 > w->cap) {
        size_t oc = w->cap;
        int64_t *ok = w->keys;
        int32_t *oi = w->ids;
        w->cap = oc ? oc * 2 : 4096;
        w->keys = pccs_xcalloc(w->cap, sizeof(*w->keys));
        w->ids = pccs_xcalloc(w->cap, sizeof(*w->ids));
        for (size_t i = 0; i < oc; i++)
            if (ok[i]) {
                size_t j = code_slot(w, ok[i]);
                w->keys[j] = ok[i];
                w->ids[j] = oi[i];
            }
        free(ok);
        free(oi);
    }
    size_t i = code_slot(w, code);
    w->keys[i] = code;
    w->ids[i] = id;
    w->len++;
}

static int
load_codes(struct pccs_phm_writer *w, struct pccs_err *err)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(w->db, "SELECT id, code FROM phm_codes", -1, &s,
                           NULL) != SQLITE_OK)
        return phm_err(w->db, err, "cannot read the codes");
    while (sqlite3_step(s) == SQLITE_ROW)
        code_add(w, sqlite3_column_int64(s, 1),
                 (int32_t)sqlite3_column_int64(s, 0));
    sqlite3_finalize(s);
    return PCCS_OK;
}

static int step_done(struct pccs_phm_writer *w, sqlite3_stmt *s,
                     struct pccs_err *err);

/* The id of code in phm_codes, added if new. */
static int
code_id(struct pccs_phm_writer *w, int64_t code, int32_t *id,
        struct pccs_err *err)
{
    if (w->cap) {
        size_t i = code_slot(w, code);
        if (w->keys[i]) {
            *id = w->ids[i];
            return PCCS_OK;
        }
    }
    sqlite3_stmt *s = w->s[W_CODE];
    sqlite3_bind_int64(s, 1, code);
    int rc = step_done(w, s, err);
    if (rc)
        return rc;
    *id = (int32_t)sqlite3_last_insert_rowid(w->db);
    code_add(w, code, *id);
    return PCCS_OK;
}

int
pccs_store_phm_writer(struct pccs_store *st, struct pccs_phm_writer **out,
                      struct pccs_err *err)
{
    struct pccs_phm_writer *w = pccs_xcalloc(1, sizeof(*w));
    w->ops = &pccs__sqlite_ops;
    w->db = pccs__sqlite_db(st);
    for (int i = 0; i < W_N; i++) {
        if (sqlite3_prepare_v3(w->db, writer_sql[i], -1,
                               SQLITE_PREPARE_PERSISTENT, &w->s[i],
                               NULL) != SQLITE_OK) {
            int rc = phm_err(w->db, err, "cannot prepare a statement");
            pccs_phm_writer_free(w);
            *out = NULL;
            return rc;
        }
    }
    *out = w;
    return load_codes(w, err);
}

void
pccs_phm_writer_free(struct pccs_phm_writer *w)
{
    if (!w)
        return;
    for (int i = 0; i < W_N; i++)
        sqlite3_finalize(w->s[i]);
    free(w->ch[0].v);
    free(w->ch[1].v);
    free(w->dense);
    free(w->keys);
    free(w->ids);
    free(w);
}

static void
bind_day(sqlite3_stmt *s, int i, pccs_day d)
{
    if (d == PCCS_DAY_NONE)
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_int(s, i, d);
}

static int
step_done(struct pccs_phm_writer *w, sqlite3_stmt *s, struct pccs_err *err)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return PCCS_OK;
    if (rc == SQLITE_CONSTRAINT)
        return pccs_err_set(err, PCCS_ECONFLICT, "store: %s",
                            sqlite3_errmsg(w->db));
    return phm_err(w->db, err, "cannot write a patient row");
}

int
pccs_phm_put_patient(struct pccs_phm_writer *w, struct pccs_patient_row *p,
                     struct pccs_err *err)
{
    sqlite3_stmt *s = w->s[W_PATIENT];
    sqlite3_bind_text(s, 1, p->ext, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, p->sex, -1, SQLITE_STATIC);
    bind_day(s, 3, p->birth);
    bind_day(s, 4, p->death);
    sqlite3_bind_int64(s, 5, p->source_id);
    int rc = step_done(w, s, err);
    if (!rc)
        p->id = sqlite3_last_insert_rowid(w->db);
    return rc;
}

int
pccs_phm_put_registration(struct pccs_phm_writer *w,
                          const struct pccs_registration_row *r,
                          struct pccs_err *err)
{
    sqlite3_stmt *s = w->s[W_REG];
    sqlite3_bind_int64(s, 1, r->patient);
    sqlite3_bind_text(s, 2, r->practice, -1, SQLITE_TRANSIENT);
    bind_day(s, 3, r->start);
    bind_day(s, 4, r->end);
    sqlite3_bind_int64(s, 5, r->source_id);
    return step_done(w, s, err);
}

/* The bytes of n events dense, nv of them with a value. */
static size_t
dense_size(size_t n, size_t nv)
{
    return sizeof(struct dense_head) + n * 3 * sizeof(uint16_t) + (n + 7) / 8 +
           nv * sizeof(float);
}

/* Encode c into out (dense_size(c->n, c->n) bytes); 0 if it does not fit. */
static size_t
dense_encode(const struct chunk *c, unsigned char *out)
{
    struct dense_head h = {DENSE_MAGIC, INT32_MAX, INT32_MAX, 0};
    int32_t pmax = INT32_MIN, dmax = INT32_MIN;
    for (size_t i = 0; i < c->n; i++) {
        const struct packed *e = &c->v[i];
        if (e->code < 0 || e->code > UINT16_MAX || e->day == PCCS_DAY_NONE)
            return 0;
        h.patient = e->patient < h.patient ? e->patient : h.patient;
        pmax = e->patient > pmax ? e->patient : pmax;
        h.day = e->day < h.day ? e->day : h.day;
        dmax = e->day > dmax ? e->day : dmax;
        h.nvalues += !isnan(e->value);
    }
    if ((int64_t)pmax - h.patient > UINT16_MAX ||
        (int64_t)dmax - h.day > UINT16_MAX)
        return 0;
    uint16_t *code = (uint16_t *)(out + sizeof(h)), *day = code + c->n,
             *pat = day + c->n;
    unsigned char *bits = (unsigned char *)(pat + c->n);
    unsigned char *val = bits + (c->n + 7) / 8;
    memset(bits, 0, (c->n + 7) / 8);
    for (size_t i = 0; i < c->n; i++) {
        const struct packed *e = &c->v[i];
        code[i] = (uint16_t)e->code;
        day[i] = (uint16_t)(e->day - h.day);
        pat[i] = (uint16_t)(e->patient - h.patient);
        if (!isnan(e->value)) {
            bits[i / 8] |= (unsigned char)(1u << (i % 8));
            memcpy(val, &e->value, sizeof(float));
            val += sizeof(float);
        }
    }
    memcpy(out, &h, sizeof(h));
    return dense_size(c->n, h.nvalues);
}

static int
flush_chunk(struct pccs_phm_writer *w, int kind, struct pccs_err *err)
{
    struct chunk *c = &w->ch[kind];
    if (!c->n)
        return PCCS_OK;
    sqlite3_stmt *s = w->s[W_CHUNK];
    sqlite3_bind_int(s, 1, kind);
    sqlite3_bind_int64(s, 2, (int64_t)c->n);
    if (!w->dense)
        w->dense = pccs_xmalloc(dense_size(CHUNK, CHUNK));
    size_t len = dense_encode(c, w->dense);
    if (len)
        sqlite3_bind_blob(s, 3, w->dense, (int)len, SQLITE_STATIC);
    else
        sqlite3_bind_blob(s, 3, c->v, (int)(c->n * sizeof(*c->v)),
                          SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, c->source_id);
    c->n = 0;
    return step_done(w, s, err);
}

int
pccs_phm_writer_flush(struct pccs_phm_writer *w, struct pccs_err *err)
{
    int rc = flush_chunk(w, 0, err);
    return rc ? rc : flush_chunk(w, 1, err);
}

int
pccs_phm_put_event(struct pccs_phm_writer *w, enum pccs_event_kind kind,
                   const struct pccs_event_row *e, struct pccs_err *err)
{
    int k = kind == PCCS_EVENT_CLINICAL ? 0 : 1;
    struct chunk *c = &w->ch[k];
    int32_t id;
    int rc = code_id(w, e->code, &id, err);
    if (!rc && c->n && c->source_id != e->source_id)
        rc = flush_chunk(w, k, err);
    if (rc)
        return rc;
    if (!c->v)
        c->v = pccs_xcalloc(CHUNK, sizeof(*c->v));
    c->source_id = e->source_id;
    c->v[c->n++] = (struct packed){(int32_t)e->patient, e->day, id,
                                   e->has_value ? (float)e->value : NAN};
    return c->n == CHUNK ? flush_chunk(w, k, err) : PCCS_OK;
}

static pccs_day
col_day(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL
               ? PCCS_DAY_NONE
               : (pccs_day)sqlite3_column_int(s, i);
}

/* Any callback type, cast back by the row reader. */
typedef void (*anyfn)(void);

/* Prepare sql; run cb on each row until it returns non-zero. */
static int
scan(struct pccs_store *st, const char *sql, const char *practice,
     int (*row)(sqlite3_stmt *s, anyfn fn, void *ctx), anyfn fn, void *ctx,
     struct pccs_err *err)
{
    sqlite3 *db = pccs__sqlite_db(st);
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return phm_err(db, err, "cannot read patient rows");
    if (practice)
        sqlite3_bind_text(s, 1, practice, -1, SQLITE_STATIC);
    int rc = 0, sr;
    while (!rc && (sr = sqlite3_step(s)) == SQLITE_ROW)
        rc = row(s, fn, ctx);
    if (!rc && sr != SQLITE_DONE)
        rc = phm_err(db, err, "cannot read patient rows");
    sqlite3_finalize(s);
    return rc;
}

static int
patient_row(sqlite3_stmt *s, anyfn fn, void *ctx)
{
    struct pccs_patient_row p = {
        .id = sqlite3_column_int64(s, 0),
        .ext = (const char *)sqlite3_column_text(s, 1),
        .sex = (const char *)sqlite3_column_text(s, 2),
        .birth = col_day(s, 3),
        .death = col_day(s, 4),
        .source_id = sqlite3_column_int64(s, 5),
    };
    return ((pccs_store_patient_fn)fn)(ctx, &p);
}

int
pccs_store_patients_each(struct pccs_store *st, pccs_store_patient_fn fn,
                         void *ctx, struct pccs_err *err)
{
    return scan(st,
                "SELECT id, ext, sex, birth, death, source_id FROM patients "
                "ORDER BY id",
                NULL, patient_row, (anyfn)fn, ctx, err);
}

static int
reg_row(sqlite3_stmt *s, anyfn fn, void *ctx)
{
    struct pccs_registration_row r = {
        .patient = sqlite3_column_int64(s, 0),
        .practice = (const char *)sqlite3_column_text(s, 1),
        .start = col_day(s, 2),
        .end = col_day(s, 3),
        .source_id = sqlite3_column_int64(s, 4),
    };
    return ((pccs_store_registration_fn)fn)(ctx, &r);
}

int
pccs_store_registrations_each(struct pccs_store *st, const char *practice,
                              pccs_store_registration_fn fn, void *ctx,
                              struct pccs_err *err)
{
    return scan(st,
                practice ? "SELECT patient, practice, start_day, end_day, "
                           "source_id FROM patient_regs WHERE practice = ?1 "
                           "ORDER BY patient"
                         : "SELECT patient, practice, start_day, end_day, "
                           "source_id FROM patient_regs",
                practice, reg_row, (anyfn)fn, ctx, err);
}

/* The codes by id. */
static int
read_codes(sqlite3 *db, int64_t **codes, size_t *n, struct pccs_err *err)
{
    sqlite3_stmt *s;
    *codes = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(db, "SELECT id, code FROM phm_codes", -1, &s,
                           NULL) != SQLITE_OK)
        return phm_err(db, err, "cannot read the codes");
    size_t cap = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        size_t id = (size_t)sqlite3_column_int64(s, 0);
        if (id >= cap) {
            size_t old = cap;
            cap = id * 2 + 1024;
            *codes = pccs_xreallocarray(*codes, cap, sizeof(**codes));
            memset(*codes + old, 0, (cap - old) * sizeof(**codes));
        }
        (*codes)[id] = sqlite3_column_int64(s, 1);
        if (id + 1 > *n)
            *n = id + 1;
    }
    sqlite3_finalize(s);
    return PCCS_OK;
}

/* The events of a dense chunk of n (the column n) in blob b. */
static int
dense_rows(const unsigned char *b, size_t bytes, size_t n,
           struct pccs_event_row *e, const int64_t *codes, size_t ncodes,
           pccs_store_event_fn fn, void *ctx)
{
    struct dense_head h;
    memcpy(&h, b, sizeof(h));
    if (bytes != dense_size(n, h.nvalues))
        return 0; /* not a chunk this wrote: nothing read from it */
    const unsigned char *code = b + sizeof(h), *day = code + n * 2,
                        *pat = day + n * 2, *bits = pat + n * 2,
                        *val = bits + (n + 7) / 8;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        uint16_t c, d, p;
        memcpy(&c, code + i * 2, 2);
        memcpy(&d, day + i * 2, 2);
        memcpy(&p, pat + i * 2, 2);
        e->patient = (int64_t)h.patient + p;
        e->day = h.day + d;
        e->code = c < ncodes ? codes[c] : 0;
        e->has_value = bits[i / 8] >> (i % 8) & 1;
        float v = 0;
        if (e->has_value) {
            memcpy(&v, val, sizeof(v));
            val += sizeof(v);
        }
        e->value = v;
        rc = fn(ctx, e);
    }
    return rc;
}

static int
chunk_rows(sqlite3_stmt *s, const int64_t *codes, size_t ncodes,
           pccs_store_event_fn fn, void *ctx)
{
    const unsigned char *b = sqlite3_column_blob(s, 1);
    size_t bytes = (size_t)sqlite3_column_bytes(s, 1);
    struct pccs_event_row e = {.source_id = sqlite3_column_int64(s, 2)};
    int32_t first = 0;
    if (bytes >= sizeof(struct dense_head))
        memcpy(&first, b, sizeof(first));
    if (first == DENSE_MAGIC)
        return dense_rows(b, bytes, (size_t)sqlite3_column_int64(s, 0), &e,
                          codes, ncodes, fn, ctx);
    const struct packed *v = (const struct packed *)b;
    size_t n = bytes / sizeof(*v);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        struct packed p;
        memcpy(&p, &v[i], sizeof(p));
        e.patient = p.patient;
        e.day = p.day;
        e.code = p.code >= 0 && (size_t)p.code < ncodes ? codes[p.code] : 0;
        e.has_value = !isnan(p.value);
        e.value = e.has_value ? p.value : 0;
        rc = fn(ctx, &e);
    }
    return rc;
}

/*
 * The chunks are read once, in order, through SQLite's page cache (the
 * store is not mapped: pccs__sqlite_open), so they do not stay resident
 * (a scan of QF7's 1.2 GB of chunks through a mapping peaked at 1405 MiB,
 * through the page cache about 330 MiB, the CPU the same).
 */
int
pccs_store_events_each(struct pccs_store *st, enum pccs_event_kind kind,
                       pccs_store_event_fn fn, void *ctx, struct pccs_err *err)
{
    sqlite3 *db = pccs__sqlite_db(st);
    int64_t *codes;
    size_t ncodes;
    int rc = read_codes(db, &codes, &ncodes, err);
    sqlite3_stmt *s = NULL;
    if (!rc && sqlite3_prepare_v2(db,
                                  "SELECT n, data, source_id FROM "
                                  "event_chunks WHERE kind = ?1 ORDER BY id",
                                  -1, &s, NULL) != SQLITE_OK)
        rc = phm_err(db, err, "cannot read events");
    if (!rc)
        sqlite3_bind_int(s, 1, kind == PCCS_EVENT_CLINICAL ? 0 : 1);
    int sr = SQLITE_DONE;
    while (!rc && (sr = sqlite3_step(s)) == SQLITE_ROW)
        rc = chunk_rows(s, codes, ncodes, fn, ctx);
    if (!rc && sr != SQLITE_DONE)
        rc = phm_err(db, err, "cannot read events");
    sqlite3_finalize(s);
    free(codes);
    return rc;
}
