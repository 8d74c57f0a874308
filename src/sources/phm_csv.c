/* SPDX-License-Identifier: MIT */
/*
 * The ehrQL-like CSV layout of patient-level records (docs/DATA.md,
 * "Patient-level records"), one file per table:
 *
 *   patients:              patient_id, date_of_birth, sex[, date_of_death]
 *   practice_registrations: patient_id, practice_code, start_date[, end_date]
 *   clinical_events:       patient_id, date, snomedct_code[, numeric_value]
 *   medications:           patient_id, date, dmd_code
 *
 * each with an optional pccs_provenance column (synthetic files). A
 * registration names a practice in the store; an event's code must be
 * in one of the code lists ($PCCS_CODELISTS and the rules' lists); the
 * patient of a registration, event or medication must have been loaded.
 * The period is the latest date in the file.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#include "sources/phm_internal.h"
#include "sources/sources.h"

enum { C_ID, C_A, C_B, C_C, C_N };

struct phm_kind {
    const struct pccs_col *cols;
    int (*row)(struct pccs_phm_load *p, const struct pccs_csv_record *rec,
               const int *idx, struct pccs_err *err);
    bool codes; /* needs the code lists */
};

/* The stored patient of field idx, or an error naming it. */
static int
patient_of(struct pccs_phm_load *p, const struct pccs_csv_record *rec,
           const int *idx, int64_t *id, struct pccs_err *err)
{
    struct pccs_str s;
    int rc = pccs_load_text(p->ld, err, rec, idx[C_ID], "patient_id", &s);
    if (rc)
        return rc;
    *id = pccs__phm_patient(p, s.p, s.len);
    if (!*id)
        return pccs_load_field_err(p->ld, err, rec, idx[C_ID], "patient_id",
                                   "a patient already loaded (load the "
                                   "patients file first)");
    return PCCS_OK;
}

static int
sex_of(struct pccs_str s, const char **out)
{
    if (pccs_str_ieq(s, "M") || pccs_str_ieq(s, "male"))
        *out = "M";
    else if (pccs_str_ieq(s, "F") || pccs_str_ieq(s, "female"))
        *out = "F";
    else if (pccs_str_ieq(s, "U") || pccs_str_ieq(s, "unknown") ||
             pccs_str_ieq(s, "other") || !s.len)
        *out = "U";
    else
        return PCCS_EPARSE;
    return PCCS_OK;
}

static const struct pccs_col patient_cols[C_N] = {
    {"patient_id", false},
    {"date_of_birth", false},
    {"sex", false},
    {"date_of_death", true},
};

static int
patient_row(struct pccs_phm_load *p, const struct pccs_csv_record *rec,
            const int *idx, struct pccs_err *err)
{
    struct pccs_str ext, sx;
    struct pccs_patient_row r = {.source_id = p->ld->src.id};
    int rc = pccs_load_text(p->ld, err, rec, idx[C_ID], "patient_id", &ext);
    if (!rc)
        rc = pccs_load_date(p->ld, err, rec, idx[C_A], "date_of_birth", true,
                            &r.birth);
    if (!rc)
        rc = pccs_load_field(p->ld, err, rec, idx[C_B], "sex", &sx);
    if (!rc && sex_of(pccs_str_trim(sx), &r.sex))
        rc = pccs_load_field_err(p->ld, err, rec, idx[C_B], "sex",
                                 "M, F or U (male, female, unknown)");
    r.death = PCCS_DAY_NONE;
    if (!rc && idx[C_C] >= 0)
        rc = pccs_load_date(p->ld, err, rec, idx[C_C], "date_of_death", true,
                            &r.death);
    if (rc)
        return rc;
    char e[128];
    pccs_str_copy(ext, e, sizeof(e));
    r.ext = e;
    /* The store refuses an identifier it holds (PCCS_ECONFLICT), whether
     * loaded before or earlier in this file: no map of them here. */
    rc = pccs_phm_put_patient(p->w, &r, err);
    if (rc == PCCS_ECONFLICT)
        rc = pccs_load_field_err(p->ld, err, rec, idx[C_ID], "patient_id",
                                 "a patient not loaded before");
    if (!rc)
        pccs__phm_day(p, r.birth);
    return rc;
}

static const struct pccs_col reg_cols[C_N] = {
    {"patient_id", false},
    {"practice_code", false},
    {"start_date", false},
    {"end_date", true},
};

static int
reg_row(struct pccs_phm_load *p, const struct pccs_csv_record *rec,
        const int *idx, struct pccs_err *err)
{
    struct pccs_registration_row r = {.source_id = p->ld->src.id,
                                      .end = PCCS_DAY_NONE};
    struct pccs_str prac;
    int rc = patient_of(p, rec, idx, &r.patient, err);
    if (!rc)
        rc = pccs_load_practice_code(p->ld, err, rec, idx[C_A], "practice_code",
                                     &prac);
    if (!rc && !pccs__phm_practice(p, prac.p, prac.len))
        rc = pccs_load_field_err(p->ld, err, rec, idx[C_A], "practice_code",
                                 "a practice in the store (load the NHS "
                                 "files first)");
    if (!rc)
        rc = pccs_load_date(p->ld, err, rec, idx[C_B], "start_date", true,
                            &r.start);
    if (!rc && idx[C_C] >= 0)
        rc =
            pccs_load_date(p->ld, err, rec, idx[C_C], "end_date", true, &r.end);
    if (rc)
        return rc;
    char code[16];
    pccs_str_copy(prac, code, sizeof(code));
    r.practice = code;
    pccs__phm_day(p, r.start);
    return pccs_phm_put_registration(p->w, &r, err);
}

static const struct pccs_col event_cols[C_N] = {
    {"patient_id", false},
    {"date", false},
    {"snomedct_code", false},
    {"numeric_value", true},
};

static const struct pccs_col med_cols[C_N] = {
    {"patient_id", false},
    {"date", false},
    {"dmd_code", false},
    {"pccs_never_a_column", true},
};

static int
event_row(struct pccs_phm_load *p, const struct pccs_csv_record *rec,
          const int *idx, struct pccs_err *err)
{
    bool clinical = p->clinical;
    struct pccs_event_row e = {.source_id = p->ld->src.id};
    struct pccs_str c = PCCS_STR_EMPTY;
    int rc = patient_of(p, rec, idx, &e.patient, err);
    if (!rc)
        rc = pccs_load_date(p->ld, err, rec, idx[C_A], "date", false, &e.day);
    if (!rc)
        rc = pccs_load_text(p->ld, err, rec, idx[C_B],
                            clinical ? "snomedct_code" : "dmd_code", &c);
    c = pccs_str_trim(c);
    if (!rc && !pccs_is_snomed(c.p, c.len, &e.code))
        rc = pccs_load_field_err(
            p->ld, err, rec, idx[C_B], clinical ? "snomedct_code" : "dmd_code",
            clinical ? "a SNOMED CT concept id" : "a dm+d code (digits)");
    if (!rc && clinical && !pccs_codelists_mask(&p->cl, e.code))
        rc = pccs_load_field_err(p->ld, err, rec, idx[C_B], "snomedct_code",
                                 "a code in one of the code lists "
                                 "($PCCS_CODELISTS, data/rules/phm_codes.csv)");
    if (!rc && clinical && idx[C_C] >= 0 && pccs_load_opt(rec, idx[C_C]).len) {
        e.has_value = true;
        rc = pccs_load_number(p->ld, err, rec, idx[C_C], "numeric_value", false,
                              true, &e.value, NULL);
    }
    if (rc)
        return rc;
    pccs__phm_day(p, e.day);
    return pccs_phm_put_event(
        p->w, clinical ? PCCS_EVENT_CLINICAL : PCCS_EVENT_MEDICATION, &e, err);
}

/* ===== The plain-line fast path of the events and medicines files ===== */

/*
 * A file of a hundred million events spends its time in the CSV reader
 * and the field getters. Its lines are plain: a few unquoted ASCII
 * fields. fast_event() splits and reads such a line itself, and takes
 * it only when the generic path would read the same values without
 * complaint; any other line (a quote, a space to trim, a byte above
 * 0x7F, a date or number in another style, an unknown patient or code,
 * a blank line) goes to pccs_csv_next() and event_row(), which read it
 * or refuse it with the same message as before.
 */

#define FAST_FIELDS 16

/* The first day of each month of the years pccs_date_valid() takes. */
#define DAY_Y0 1800
#define DAY_YEARS 401
static pccs_day month_first[DAY_YEARS * 12 + 1];

/* 0 plain, 1 comma, 2 line feed, 3 not plain (quote, NUL, CR, >0x7F). */
static unsigned char byte_class[256];

/* Fill the tables above (before the parse thread starts: it reads them). */
static void
byte_classes(void)
{
    if (byte_class['"'])
        return;
    for (int i = 0; i <= DAY_YEARS * 12; i++)
        month_first[i] = pccs_date_from_ymd(DAY_Y0 + i / 12, i % 12 + 1, 1);
    for (int c = 0x80; c < 256; c++)
        byte_class[c] = 3;
    byte_class[0] = 3;
    byte_class['\r'] = 3;
    byte_class[','] = 1;
    byte_class['\n'] = 2;
    byte_class['"'] = 3;
}

/*
 * Split the line at p into f (at most FAST_FIELDS); returns the byte
 * after its line feed, or NULL when the line is not plain.
 */
static const char *
split_plain(const char *p, const char *end, struct pccs_str *f, size_t *nf)
{
    size_t n = 0;
    const char *start = p;
    for (; p < end; p++) {
        unsigned char k = byte_class[(unsigned char)*p];
        if (!k)
            continue;
        if (k == 3 || n == FAST_FIELDS)
            return NULL;
        f[n++] = (struct pccs_str){start, (size_t)(p - start)};
        start = p + 1;
        if (k == 2) {
            *nf = n;
            return p + 1;
        }
    }
    return NULL;
}

static bool
blank(char c)
{
    return c == ' ' || c == '\t';
}

/*
 * A number strtod reads to the same double: [-]digits[.digits], at most
 * 15 digits (exact in a double, divided once by an exact power of ten).
 */
static bool
plain_number(struct pccs_str s, double *out)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3, 1e4,  1e5,
                                   1e6,  1e7,  1e8,  1e9, 1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15};
    size_t i = s.len && s.p[0] == '-';
    int64_t m = 0;
    int digits = 0, frac = -1;
    for (; i < s.len; i++) {
        char c = s.p[i];
        if (c == '.' && frac < 0) {
            frac = 0;
            continue;
        }
        if (c < '0' || c > '9' || ++digits > 15)
            return false;
        m = m * 10 + (c - '0');
        frac += frac >= 0;
    }
    if (!digits || s.p[s.len - 1] == '.')
        return false;
    double v = frac > 0 ? (double)m / pow10[frac] : (double)m;
    *out = s.p[0] == '-' ? -v : v;
    return true;
}

/*
 * An ISO date (10 bytes) as pccs_date_parse() reads it, from the table
 * above rather than the civil calendar each line; false: not plain, or
 * not a valid date (pccs_date_parse() then says which).
 */
static bool
plain_day(struct pccs_str s, pccs_day *out)
{
    const unsigned char *p = (const unsigned char *)s.p;
    unsigned v[8], k = 0;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (p[i] != '-')
                return false;
            continue;
        }
        v[k] = p[i] - (unsigned)'0';
        if (v[k++] > 9)
            return false;
    }
    unsigned y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3],
             m = v[4] * 10 + v[5], d = v[6] * 10 + v[7];
    if (y < DAY_Y0 || y >= DAY_Y0 + DAY_YEARS || m < 1 || m > 12 || d < 1)
        return false;
    size_t i = (size_t)(y - DAY_Y0) * 12 + m - 1;
    if ((pccs_day)d > month_first[i + 1] - month_first[i])
        return false;
    *out = month_first[i] + (pccs_day)d - 1;
    return true;
}

/* Read a plain line's event as event_row() would; false: let it. */
static bool
fast_event(struct pccs_phm_load *p, const int *idx, const struct pccs_str *f,
           size_t nf, struct pccs_event_row *e)
{
    if ((size_t)idx[C_ID] >= nf || (size_t)idx[C_A] >= nf ||
        (size_t)idx[C_B] >= nf)
        return false;
    struct pccs_str id = f[idx[C_ID]], day = f[idx[C_A]], code = f[idx[C_B]];
    if (!id.len || blank(id.p[0]) || blank(id.p[id.len - 1]) || day.len != 10 ||
        !plain_day(day, &e->day) || !pccs_is_snomed(code.p, code.len, &e->code))
        return false;
    e->patient = pccs__phm_patient(p, id.p, id.len);
    if (!e->patient)
        return false;
    e->has_value = false;
    e->value = 0;
    if (!p->clinical)
        return true;
    if (!pccs_codelists_mask(&p->cl, e->code))
        return false;
    if (idx[C_C] >= 0 && (size_t)idx[C_C] < nf && f[idx[C_C]].len) {
        e->has_value = true;
        return plain_number(f[idx[C_C]], &e->value);
    }
    return true;
}

/*
 * Two threads (a machine with two cores): this one writes the store, a
 * second one reads the file and the events of its plain lines. While
 * the second reads block k+1 (the whole lines the CSV reader holds,
 * refilling it) into an array of its own, this one writes block k's.
 * The reader is the second thread's from its start to its end, this
 * one's between. The store gets the same events in the same order as
 * from one thread, whatever the timing: only this thread writes, a
 * block after the one before, and a line the generic path reads after
 * both.
 */

/* A block's events, to the first line that is not plain. */
struct parsed {
    struct pccs_event_row *v;
    size_t n, cap;
    struct pccs_str blk; /* the block (empty: no whole line is left) */
    const char *stop;    /* its first byte not read */
    uint64_t off;        /* that byte's offset in the file */
    int rc;              /* the reader's error */
    struct pccs_err err;
};

struct worker {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool started, go, done, quit;
    struct pccs_phm_load p; /* a copy: a patient cursor of its own */
    const int *idx;
    struct pccs_csv_reader *r;
    struct parsed *out;
};

/* Read the next block's plain lines into out until one is not plain. */
static void
read_block(struct pccs_phm_load *p, const int *idx, struct pccs_csv_reader *r,
           struct parsed *out)
{
    struct pccs_event_row e = {.source_id = p->ld->src.id};
    out->n = 0;
    out->rc = pccs_csv_peek_lines(r, &out->blk, &out->err);
    const char *q = out->blk.p, *end = out->blk.p + out->blk.len;
    while (!out->rc && q < end) {
        struct pccs_str f[FAST_FIELDS];
        size_t nf;
        const char *next = split_plain(q, end, f, &nf);
        if (!next || !fast_event(p, idx, f, nf, &e))
            break;
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 4096;
            out->v = pccs_xreallocarray(out->v, out->cap, sizeof(*out->v));
        }
        out->v[out->n++] = e;
        q = next;
    }
    out->stop = q;
}

static void *
worker_main(void *arg)
{
    struct worker *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->go && !w->quit)
            pthread_cond_wait(&w->cv, &w->mu);
        if (w->quit)
            break;
        w->go = false;
        pthread_mutex_unlock(&w->mu);
        read_block(&w->p, w->idx, w->r, w->out);
        pthread_mutex_lock(&w->mu);
        w->done = true;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* Have the second thread read the next block into out (started the
 * first time); false: there is none, read it here. */
static bool
worker_start(struct worker *w, const struct pccs_phm_load *p, const int *idx,
             struct pccs_csv_reader *r, struct parsed *out)
{
    if (!w->started) {
        pthread_mutex_init(&w->mu, NULL);
        pthread_cond_init(&w->cv, NULL);
        if (pthread_create(&w->thread, NULL, worker_main, w)) {
            pthread_mutex_destroy(&w->mu);
            pthread_cond_destroy(&w->cv);
            return false;
        }
        w->started = true;
        w->p = *p;
    }
    pthread_mutex_lock(&w->mu);
    w->idx = idx;
    w->r = r;
    w->out = out;
    w->done = false;
    w->go = true;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    return true;
}

static void
worker_wait(struct worker *w)
{
    pthread_mutex_lock(&w->mu);
    while (!w->done)
        pthread_cond_wait(&w->cv, &w->mu);
    pthread_mutex_unlock(&w->mu);
}

static void
worker_free(struct worker *w)
{
    if (!w->started)
        return;
    pthread_mutex_lock(&w->mu);
    w->quit = true;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
}

/* Write a block's events. */
static int
put_parsed(struct pccs_phm_load *p, const struct parsed *b,
           struct pccs_err *err)
{
    enum pccs_event_kind kind =
        p->clinical ? PCCS_EVENT_CLINICAL : PCCS_EVENT_MEDICATION;
    int rc = PCCS_OK;
    for (size_t i = 0; i < b->n && !rc; i++) {
        pccs__phm_day(p, b->v[i].day);
        rc = pccs_phm_put_event(p->w, kind, &b->v[i], err);
        pccs_load_row(p->ld, b->off);
    }
    return rc;
}

/* Events or medicines: plain lines fast, any other line as before. */
static int
load_events(struct pccs_phm_load *p, struct pccs_csv_reader *r, const int *idx,
            struct pccs_err *err)
{
    byte_classes();
    struct worker w;
    memset(&w, 0, sizeof(w));
    struct parsed b[2], *prev = NULL;
    memset(b, 0, sizeof(b));
    int cur = 0, rc;
    for (;;) {
        struct parsed *c = &b[cur];
        bool away = worker_start(&w, p, idx, r, c);
        if (!away)
            read_block(p, idx, r, c);
        rc = prev ? put_parsed(p, prev, err) : PCCS_OK;
        prev = NULL;
        if (away)
            worker_wait(&w);
        if (!rc && c->rc) {
            rc = c->rc;
            *err = c->err;
        }
        if (rc)
            break;
        if (c->blk.len) {
            pccs_csv_skip(r, (size_t)(c->stop - c->blk.p), (int64_t)c->n);
            c->off = pccs_csv_offset(r);
            if (c->stop == c->blk.p + c->blk.len) {
                prev = c; /* written while the next block is read */
                cur ^= 1;
                continue;
            }
            rc = put_parsed(p, c, err);
            if (rc)
                break;
        }
        /* A line the generic path reads (or none: the end). */
        struct pccs_csv_record rec;
        rc = pccs_csv_next(r, &rec, err);
        if (rc <= 0)
            break;
        rc = event_row(p, &rec, idx, err);
        if (rc)
            break;
        pccs_load_row(p->ld, pccs_csv_offset(r));
    }
    worker_free(&w);
    free(b[0].v);
    free(b[1].v);
    return rc;
}

static int
load_phm(struct pccs_load *ld, struct pccs_csv_reader *r,
         const struct pccs_csv_record *first, const struct phm_kind *k,
         struct pccs_err *err)
{
    int idx[C_N];
    pccs_cols_bind(k->cols, C_N, first, idx);
    struct pccs_phm_load p;
    int rc = pccs__phm_begin(&p, ld, k->codes, true, err);
    p.clinical = k->codes;
    if (!rc && k->row == event_row)
        return pccs__phm_end(&p, load_events(&p, r, idx, err), err);
    struct pccs_csv_record rec;
    while (!rc && (rc = pccs_csv_next(r, &rec, err)) == 1) {
        rc = k->row(&p, &rec, idx, err);
        if (!rc)
            pccs_load_row(ld, pccs_csv_offset(r));
    }
    return pccs__phm_end(&p, rc < 0 ? rc : PCCS_OK, err);
}

/* A file kind: its loader and its source kind pccs_source_<name>. */
#define PHM_KIND(name, kind_, pub, cols_, row_, codes_)                        \
    static const struct phm_kind name##_k = {cols_, row_, codes_};             \
    static int name##_load(struct pccs_load *ld, struct pccs_csv_reader *r,    \
                           const struct pccs_csv_record *first,                \
                           struct pccs_err *err)                               \
    {                                                                          \
        return load_phm(ld, r, first, &name##_k, err);                         \
    }                                                                          \
    const struct pccs_source_kind pccs_source_##name = {                       \
        .kind = kind_,                                                         \
        .publication = "Patient-level records: " pub,                          \
        .cols = cols_,                                                         \
        .ncols = C_N,                                                          \
        .load_csv = name##_load,                                               \
    };

PHM_KIND(phm_patients, "phm_patients", "patients (ehrQL-like CSV)",
         patient_cols, patient_row, false)
PHM_KIND(phm_registrations, "phm_registrations",
         "practice registrations (ehrQL-like CSV)", reg_cols, reg_row, false)
PHM_KIND(phm_events, "phm_clinical_events",
         "clinical events, SNOMED CT (ehrQL-like CSV)", event_cols, event_row,
         true)
PHM_KIND(phm_medications, "phm_medications",
         "medications, dm+d (ehrQL-like CSV)", med_cols, event_row, false)
