/* SPDX-License-Identifier: MIT */
/*
 * Cohorts as at a date (cohorts.h): read the rules, the code lists and
 * the patient-level tables once, keep per patient the lists it has ever
 * had a code of, the lists it had one of in each cohort's recent window
 * and its distinct medicines in each window, then test every cohort's
 * rule. The rules are data: data/rules/cohorts.csv (a row per cohort:
 * has, not_recent within recent_months, efi_at_least, min_meds within
 * meds_months, min_ltc of ltc_lists, min_age, any_of earlier cohorts),
 * data/rules/efi.csv (deficit -> code list) and data/rules/phm.csv.
 */
#include "model/cohorts.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "model/rates.h"
#include "model/refdata.h"
#include "sources/codelists.h"

#define NWIN 4     /* distinct windows (months) */
#define NVALUES 32 /* value rules (data/rules/efi-values.csv) */

/* A deficit from a recorded value (calc/efi.h says when it counts). */
struct value_rule {
    int list;         /* the observation code list */
    uint64_t deficit; /* the deficit's code list bit */
    struct pccs_efi_value_rule r;
};

struct rule {
    uint64_t has, not_recent, ltc;
    int win, meds_win; /* window slots, -1 none */
    int efi_min, min_meds, min_ltc, min_age;
    uint32_t any_of;
};

struct ctx {
    pccs_day at;
    const char *practice;
    struct pccs_codelists cl;
    uint64_t efi_mask; /* lists that are eFI deficits */
    struct value_rule values[NVALUES];
    size_t nvalues;
    uint64_t value_lists; /* lists some value rule reads */
    double bounds[3], efi_min_age, poly_min;
    int poly_win;
    int months[NWIN];
    pccs_day from[NWIN]; /* a day after from is in the window */
    int nwin;
    struct rule rules[PCCS_COHORTS_MAX];
    /* per patient, by store id */
    size_t cap;
    int32_t *prac; /* index into pracs, -1 not in scope */
    pccs_day *birth, *death;
    char *sex;
    const char **ext;
    uint64_t *ever, *recent[NWIN];
    uint64_t *by_value; /* deficits from recorded values */
    uint16_t *meds[NWIN];
    char (*pracs)[8];
    size_t npracs, pracs_cap;
    int64_t last_source;
    struct pccs_phm *out;
};

static void
rules_path(const char *file, char *path, size_t n)
{
    char rel[256];
    snprintf(rel, sizeof(rel), "rules/%s", file);
    pccs_refdata_path(rel, path, n);
}

static pccs_day
months_before(pccs_day at, int months)
{
    int y, m, d;
    pccs_date_to_ymd(at, &y, &m, &d);
    int t = y * 12 + (m - 1) - months;
    y = t / 12;
    m = t % 12 + 1;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
    int last = mdays[m - 1] +
               (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return pccs_date_from_ymd(y, m, d > last ? last : d);
}

static int
window(struct ctx *c, int months)
{
    for (int i = 0; i < c->nwin; i++)
        if (c->months[i] == months)
            return i;
    if (c->nwin == NWIN)
        return -1;
    c->months[c->nwin] = months;
    c->from[c->nwin] = months_before(c->at, months);
    return c->nwin++;
}

/* "a|b|c" code lists as a mask; missing lists are noted (or refused). */
static int
list_mask(struct ctx *c, const char *path, int64_t line, int col,
          struct pccs_str s, bool required, uint64_t *out, struct pccs_err *err)
{
    *out = 0;
    while (s.len) {
        const char *bar = memchr(s.p, '|', s.len);
        size_t k = bar ? (size_t)(bar - s.p) : s.len;
        char name[64];
        snprintf(name, sizeof(name), "%.*s", (int)k, s.p);
        int i = pccs_codelists_find(&c->cl, name);
        if (i >= 0)
            *out |= (uint64_t)1 << i;
        else if (required)
            return pccs_err_at(err, PCCS_EPARSE, path, line, col,
                               "expected a code list in $PCCS_CODELISTS or "
                               "data/rules/phm_codes.csv, found %s",
                               name);
        else if (c->out->nnotes < 8)
            snprintf(c->out->notes[c->out->nnotes++], 512,
                     "code list %s not found in $PCCS_CODELISTS: no patient "
                     "has a code of it (%s line %lld)",
                     name, path, (long long)line);
        s.p += k + (bar ? 1 : 0);
        s.len -= k + (bar ? 1 : 0);
    }
    return PCCS_OK;
}

static int
int_field(const struct pccs_refdata_record *r, size_t i, int dflt)
{
    if (i >= r->nfields || !r->fields[i].len)
        return dflt;
    int64_t v;
    return pccs_str_to_i64(r->fields[i], &v) ? dflt : (int)v;
}

enum {
    K_NAME,
    K_HAS,
    K_NOT_RECENT,
    K_RECENT_MONTHS,
    K_EFI,
    K_MIN_MEDS,
    K_MEDS_MONTHS,
    K_LTC_LISTS,
    K_MIN_LTC,
    K_MIN_AGE,
    K_ANY_OF,
    K_DESC,
    K_SOURCE,
    K_N
};

static uint32_t
cohort_mask(const struct pccs_phm *p, struct pccs_str s)
{
    uint32_t m = 0;
    for (size_t i = 0; i < p->ndefs; i++) {
        struct pccs_str t = s;
        while (t.len) {
            const char *bar = memchr(t.p, '|', t.len);
            size_t k = bar ? (size_t)(bar - t.p) : t.len;
            if (k == strlen(p->defs[i].name) &&
                !memcmp(t.p, p->defs[i].name, k))
                m |= 1u << i;
            t.p += k + (bar ? 1 : 0);
            t.len -= k + (bar ? 1 : 0);
        }
    }
    return m;
}

static int
one_rule(struct ctx *c, const char *path, const struct pccs_refdata_record *r,
         struct pccs_err *err)
{
    struct pccs_phm *p = c->out;
    if (r->nfields < K_N)
        return pccs_err_at(err, PCCS_EPARSE, path, r->line, 1,
                           "expected %d fields (cohort ... source)", K_N);
    if (p->ndefs == PCCS_COHORTS_MAX)
        return pccs_err_at(err, PCCS_EPARSE, path, r->line, 1,
                           "more than %d cohorts", PCCS_COHORTS_MAX);
    struct pccs_cohort_def *d = &p->defs[p->ndefs];
    struct rule *u = &c->rules[p->ndefs];
    pccs_str_copy(r->fields[K_NAME], d->name, sizeof(d->name));
    pccs_str_copy(r->fields[K_DESC], d->description, sizeof(d->description));
    pccs_str_copy(r->fields[K_SOURCE], d->source, sizeof(d->source));
    int rc = list_mask(c, path, r->line, K_HAS + 1, r->fields[K_HAS], true,
                       &u->has, err);
    if (!rc)
        rc = list_mask(c, path, r->line, K_NOT_RECENT + 1,
                       r->fields[K_NOT_RECENT], false, &u->not_recent, err);
    if (!rc)
        rc = list_mask(c, path, r->line, K_LTC_LISTS + 1,
                       r->fields[K_LTC_LISTS], true, &u->ltc, err);
    if (rc)
        return rc;
    char efi[16];
    pccs_str_copy(r->fields[K_EFI], efi, sizeof(efi));
    u->efi_min = efi[0] ? pccs_efi_cat_parse(efi) : -1;
    if (efi[0] && u->efi_min < 0)
        return pccs_err_at(err, PCCS_EPARSE, path, r->line, K_EFI + 1,
                           "efi_at_least: expected fit, mild, moderate or "
                           "severe, found %s",
                           efi);
    u->win = r->fields[K_NOT_RECENT].len
                 ? window(c, int_field(r, K_RECENT_MONTHS, 12))
                 : -1;
    u->min_meds = int_field(r, K_MIN_MEDS, 0);
    u->meds_win = u->min_meds ? window(c, int_field(r, K_MEDS_MONTHS, 12)) : -1;
    u->min_ltc = int_field(r, K_MIN_LTC, 0);
    u->min_age = int_field(r, K_MIN_AGE, -1);
    u->any_of = cohort_mask(p, r->fields[K_ANY_OF]);
    p->ndefs++;
    return PCCS_OK;
}

/* The code list bit of deficit name (data/rules/efi.csv), or 0. */
static uint64_t
deficit_bit(struct ctx *c, const struct pccs_refdata *efi, struct pccs_str s)
{
    char name[64];
    pccs_str_copy(s, name, sizeof(name));
    for (size_t k = 1; k < efi->nrecords; k++) {
        const struct pccs_refdata_record *r = &efi->records[k];
        if (r->nfields < 2 || !pccs_str_eq(r->fields[0], name))
            continue;
        char list[64];
        pccs_str_copy(r->fields[1], list, sizeof(list));
        int i = pccs_codelists_find(&c->cl, list);
        return i >= 0 ? (uint64_t)1 << i : 0;
    }
    return 0;
}

static int
bound(const struct pccs_refdata_record *r, size_t i, double *v, bool *has)
{
    *has = i < r->nfields && r->fields[i].len;
    return *has ? pccs_str_to_double(r->fields[i], v) : PCCS_OK;
}

/* deficit,list,sex,above,below,description,source */
static int
one_value(struct ctx *c, const char *path, const struct pccs_refdata *efi,
          const struct pccs_refdata_record *r, struct pccs_err *err)
{
    if (r->nfields < 7)
        return pccs_err_at(err, PCCS_EPARSE, path, r->line, 1,
                           "expected 7 fields (deficit ... source)");
    if (c->nvalues == NVALUES)
        return pccs_err_at(err, PCCS_EPARSE, path, r->line, 1,
                           "more than %d value rules", NVALUES);
    struct value_rule *v = &c->values[c->nvalues];
    v->deficit = deficit_bit(c, efi, r->fields[0]);
    if (!v->deficit)
        return pccs_err_at(err, PCCS_EPARSE, path, r->line, 1,
                           "expected a deficit of data/rules/efi.csv with "
                           "its code list loaded");
    uint64_t m;
    int rc = list_mask(c, path, r->line, 2, r->fields[1], false, &m, err);
    if (rc || !m)
        return rc; /* a list the user lacks: noted, never true */
    v->list = __builtin_ctzll(m);
    v->r.sex = r->fields[2].len ? r->fields[2].p[0] : 0;
    if (v->r.sex && v->r.sex != 'M' && v->r.sex != 'F')
        return pccs_err_at(err, PCCS_EPARSE, path, r->line, 3,
                           "sex: expected M, F or nothing");
    if (bound(r, 3, &v->r.above, &v->r.has_above))
        return pccs_err_at(err, PCCS_EPARSE, path, r->line, 4,
                           "above: expected a number");
    if (bound(r, 4, &v->r.below, &v->r.has_below))
        return pccs_err_at(err, PCCS_EPARSE, path, r->line, 5,
                           "below: expected a number");
    c->value_lists |= m;
    c->nvalues++;
    return PCCS_OK;
}

static int
read_values(struct ctx *c, const struct pccs_refdata *efi, struct pccs_err *err)
{
    const struct pccs_refdata *f;
    char *path = c->out->rules[3];
    rules_path("efi-values.csv", path, 512);
    int rc = pccs_refdata_get(path, 0, &f, err);
    for (size_t k = 1; !rc && k < f->nrecords; k++)
        rc = one_value(c, path, efi, &f->records[k], err);
    return rc;
}

static int
read_rules(struct ctx *c, struct pccs_err *err)
{
    static const char *const names[] = {
        "efi_fit_max", "efi_mild_max",     "efi_moderate_max",
        "efi_min_age", "polypharmacy_min", "polypharmacy_months"};
    double v[6];
    char src[6][512];
    struct pccs_phm *p = c->out;
    int rc =
        pccs_rules_params("phm.csv", names, 6, v, src, p->rules[0], 512, err);
    if (rc)
        return rc;
    memcpy(c->bounds, v, sizeof(c->bounds));
    c->efi_min_age = v[3];
    c->poly_min = v[4];
    c->poly_win = window(c, (int)v[5]);
    const struct pccs_refdata *f;
    rules_path("efi.csv", p->rules[1], 512);
    rc = pccs_refdata_get(p->rules[1], 0, &f, err);
    for (size_t k = 1; !rc && k < f->nrecords; k++) {
        const struct pccs_refdata_record *r = &f->records[k];
        uint64_t m = 0;
        if (r->nfields > 1 && r->fields[1].len)
            rc = list_mask(c, p->rules[1], r->line, 2, r->fields[1], true, &m,
                           err);
        c->efi_mask |= m;
    }
    if (!rc)
        rc = read_values(c, f, err);
    rules_path("cohorts.csv", p->rules[2], 512);
    if (!rc)
        rc = pccs_refdata_get(p->rules[2], 0, &f, err);
    for (size_t k = 1; !rc && k < f->nrecords; k++)
        rc = one_rule(c, p->rules[2], &f->records[k], err);
    return rc;
}

static void
track(struct ctx *c, int64_t source)
{
    if (source != c->last_source) {
        pccs_source_set_add(&c->out->sources, source);
        c->last_source = source;
    }
}

static void
ensure(struct ctx *c, int64_t id)
{
    if ((size_t)id < c->cap)
        return;
    size_t old = c->cap, cap = old ? old : 1024;
    while (cap <= (size_t)id)
        cap *= 2;
    c->prac = pccs_xreallocarray(c->prac, cap, sizeof(*c->prac));
    c->birth = pccs_xreallocarray(c->birth, cap, sizeof(*c->birth));
    c->death = pccs_xreallocarray(c->death, cap, sizeof(*c->death));
    c->sex = pccs_xreallocarray(c->sex, cap, sizeof(*c->sex));
    c->ext = pccs_xreallocarray(c->ext, cap, sizeof(*c->ext));
    for (size_t i = old; i < cap; i++) {
        c->prac[i] = -1;
        c->ext[i] = NULL;
    }
    c->cap = cap;
}

static int
patient_cb(void *ctx, const struct pccs_patient_row *p)
{
    struct ctx *c = ctx;
    ensure(c, p->id);
    c->birth[p->id] = p->birth;
    c->death[p->id] = p->death;
    c->sex[p->id] = p->sex[0];
    c->ext[p->id] = pccs_arena_strdup(&c->out->arena, p->ext);
    track(c, p->source_id);
    return 0;
}

static int
prac_index(struct ctx *c, const char *code)
{
    for (size_t i = c->npracs; i > 0; i--)
        if (!strcmp(c->pracs[i - 1], code))
            return (int)(i - 1);
    if (c->npracs == c->pracs_cap) {
        c->pracs_cap = c->pracs_cap ? c->pracs_cap * 2 : 64;
        c->pracs =
            pccs_xreallocarray(c->pracs, c->pracs_cap, sizeof(*c->pracs));
    }
    snprintf(c->pracs[c->npracs], 8, "%s", code);
    return (int)c->npracs++;
}

static int
reg_cb(void *ctx, const struct pccs_registration_row *r)
{
    struct ctx *c = ctx;
    if ((size_t)r->patient >= c->cap || !c->ext[r->patient])
        return 0;
    if ((r->start != PCCS_DAY_NONE && r->start > c->at) ||
        (r->end != PCCS_DAY_NONE && r->end < c->at))
        return 0;
    if (c->death[r->patient] != PCCS_DAY_NONE && c->death[r->patient] <= c->at)
        return 0;
    c->prac[r->patient] = prac_index(c, r->practice);
    track(c, r->source_id);
    return 0;
}

static void
by_value(struct ctx *c, const struct pccs_event_row *e, uint64_t m)
{
    for (size_t i = 0; i < c->nvalues; i++) {
        const struct value_rule *v = &c->values[i];
        if (((m >> v->list) & 1u) &&
            pccs_efi_value_counts(&v->r, c->sex[e->patient], e->value))
            c->by_value[e->patient] |= v->deficit;
    }
}

static int
event_cb(void *ctx, const struct pccs_event_row *e)
{
    struct ctx *c = ctx;
    if ((size_t)e->patient >= c->cap || c->prac[e->patient] < 0 ||
        e->day > c->at)
        return 0;
    uint64_t m = pccs_codelists_mask(&c->cl, e->code);
    if (!m)
        return 0;
    c->ever[e->patient] |= m;
    if (e->has_value && (m & c->value_lists))
        by_value(c, e, m);
    for (int w = 0; w < c->nwin; w++)
        if (e->day > c->from[w])
            c->recent[w][e->patient] |= m;
    track(c, e->source_id);
    return 0;
}

/*
 * Medicines: an issue within the widest window is kept as its patient
 * and a key, the medicine's number (codes numbered as first met) above
 * the bits of the windows its day is in: 8 bytes an issue.
 */
#define MED_BITS 4 /* NWIN window bits below the code number */
#define MED_CODES ((uint32_t)1 << (32 - MED_BITS))

struct med {
    uint32_t patient, key;
};

struct meds {
    struct ctx *c;
    struct med *v;
    size_t n, cap;
    pccs_day from;
    int64_t *codes; /* open addressing: a code, */
    uint32_t *nums; /* its number + 1 (0: an empty slot) */
    size_t ncodes, slots;
};

/* The slot of code in m's table: its own, or the empty one it would take. */
static size_t
med_slot(const struct meds *m, int64_t code)
{
    size_t j = (size_t)((uint64_t)code * 0x9E3779B97F4A7C15u >> 32);
    for (j &= m->slots - 1; m->nums[j] && m->codes[j] != code;)
        j = (j + 1) & (m->slots - 1);
    return j;
}

/* The number of medicine code, from 0 as first met. */
static uint32_t
med_number(struct meds *m, int64_t code)
{
    if ((m->ncodes + 1) * 2 > m->slots) { /* twice the slots, refilled */
        struct meds old = *m;
        m->slots = old.slots ? old.slots * 2 : 1024;
        m->codes = pccs_xcalloc(m->slots, sizeof(*m->codes));
        m->nums = pccs_xcalloc(m->slots, sizeof(*m->nums));
        for (size_t i = 0; i < old.slots; i++)
            if (old.nums[i]) {
                size_t j = med_slot(m, old.codes[i]);
                m->codes[j] = old.codes[i];
                m->nums[j] = old.nums[i];
            }
        free(old.codes);
        free(old.nums);
    }
    size_t j = med_slot(m, code);
    if (!m->nums[j]) {
        m->codes[j] = code;
        m->nums[j] = (uint32_t)++m->ncodes;
    }
    return m->nums[j] - 1;
}

static int
med_cb(void *ctx, const struct pccs_event_row *e)
{
    struct meds *m = ctx;
    struct ctx *c = m->c;
    if ((size_t)e->patient >= c->cap || c->prac[e->patient] < 0 ||
        e->day > c->at || e->day <= m->from)
        return 0;
    if (m->ncodes == MED_CODES)
        return PCCS_EINVAL; /* 268 million medicines: not a real store */
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 4096;
        m->v = pccs_xreallocarray(m->v, m->cap, sizeof(*m->v));
    }
    uint32_t bits = 0;
    for (int w = 0; w < c->nwin; w++)
        if (e->day > c->from[w])
            bits |= 1u << w;
    m->v[m->n++] = (struct med){(uint32_t)e->patient,
                                med_number(m, e->code) << MED_BITS | bits};
    track(c, e->source_id);
    return 0;
}

static int
key_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* A patient's keys in order: insertion sort (a few), qsort past 32. */
static void
sort_keys(uint32_t *v, size_t n)
{
    if (n > 32) {
        qsort(v, n, sizeof(*v), key_cmp);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        uint32_t x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/*
 * Distinct medicines per patient in each window: a medicine counts in a
 * window when one of its issues is in it (the latest decides). The keys
 * go by patient with a counting sort (ids are dense), then each
 * patient's few in order, a medicine's keys side by side.
 */
static void
count_meds(struct ctx *c, struct meds *m)
{
    size_t *end = pccs_xcalloc(c->cap + 1, sizeof(*end));
    for (size_t i = 0; i < m->n; i++)
        end[m->v[i].patient]++;
    for (size_t p = 1; p < c->cap; p++)
        end[p] += end[p - 1];
    uint32_t *keys = pccs_xcalloc(m->n + 1, sizeof(*keys));
    for (size_t i = m->n; i > 0; i--) /* end[p] ends as patient p's start */
        keys[--end[m->v[i - 1].patient]] = m->v[i - 1].key;
    free(m->v);
    m->v = NULL;
    for (size_t p = 0; p < c->cap; p++) {
        size_t a = end[p], b = p + 1 < c->cap ? end[p + 1] : m->n;
        sort_keys(keys + a, b - a);
        for (size_t i = a; i < b;) {
            uint32_t code = keys[i] >> MED_BITS, bits = 0;
            for (; i < b && keys[i] >> MED_BITS == code; i++)
                bits |= keys[i];
            for (int w = 0; w < c->nwin; w++)
                if ((bits >> w & 1u) && c->meds[w][p] < UINT16_MAX)
                    c->meds[w][p]++;
        }
    }
    free(keys);
    free(end);
}

static int
age_on(pccs_day birth, pccs_day at)
{
    if (birth == PCCS_DAY_NONE)
        return -1;
    int y1, m1, d1, y2, m2, d2;
    pccs_date_to_ymd(birth, &y1, &m1, &d1);
    pccs_date_to_ymd(at, &y2, &m2, &d2);
    return y2 - y1 - (m2 < m1 || (m2 == m1 && d2 < d1));
}

static bool
rule_holds(const struct ctx *c, const struct rule *u, size_t id,
           const struct pccs_phm_row *row)
{
    if (u->has && !(c->ever[id] & u->has))
        return false;
    if (u->win >= 0 && (c->recent[u->win][id] & u->not_recent))
        return false;
    if (u->efi_min >= 0 && row->efi < u->efi_min)
        return false;
    if (u->min_meds && c->meds[u->meds_win][id] < u->min_meds)
        return false;
    if (u->min_ltc && __builtin_popcountll(c->ever[id] & u->ltc) < u->min_ltc)
        return false;
    if (u->min_age >= 0 && row->age < u->min_age)
        return false;
    if (u->any_of && !(row->cohorts & u->any_of))
        return false;
    return true;
}

static void
evaluate(struct ctx *c, size_t id, struct pccs_phm_row *row)
{
    row->ext = c->ext[id];
    row->practice = c->pracs[c->prac[id]];
    row->sex = c->sex[id];
    row->age = age_on(c->birth[id], c->at);
    row->deficits =
        __builtin_popcountll((c->ever[id] & c->efi_mask) | c->by_value[id]) +
        (c->meds[c->poly_win][id] >= c->poly_min);
    row->efi = row->age >= c->efi_min_age
                   ? (int)pccs_efi_category(row->deficits, c->bounds)
                   : -1;
    row->cohorts = 0;
    for (size_t k = 0; k < c->out->ndefs; k++)
        if (rule_holds(c, &c->rules[k], id, row))
            row->cohorts |= 1u << k;
}

static int
row_cmp(const void *a, const void *b)
{
    const struct pccs_phm_row *x = a, *y = b;
    int d = strcmp(x->practice, y->practice);
    return d ? d : strcmp(x->ext, y->ext);
}

/* The patients of ids [from, to), evaluated and sorted. */
struct part {
    struct ctx *c;
    size_t from, to, n;
    struct pccs_phm_row *rows;
};

static void *
eval_part(void *arg)
{
    struct part *p = arg;
    p->rows = pccs_xcalloc(p->to - p->from + 1, sizeof(*p->rows));
    for (size_t id = p->from; id < p->to; id++)
        if (p->c->prac[id] >= 0)
            evaluate(p->c, id, &p->rows[p->n++]);
    qsort(p->rows, p->n, sizeof(*p->rows), row_cmp);
    return NULL;
}

/*
 * Every patient: each half of the ids on a thread, evaluated and sorted,
 * then the halves merged (the first's row first on a tie: the order of
 * one sort of all).
 */
static void
evaluate_all(struct ctx *c)
{
    struct part h[2] = {{c, 0, c->cap / 2, 0, NULL},
                        {c, c->cap / 2, c->cap, 0, NULL}};
    pthread_t t;
    bool threaded = !pthread_create(&t, NULL, eval_part, &h[1]);
    eval_part(&h[0]);
    if (threaded)
        pthread_join(t, NULL);
    else
        eval_part(&h[1]);
    struct pccs_phm *out = c->out;
    out->rows = pccs_xcalloc(h[0].n + h[1].n + 1, sizeof(*out->rows));
    size_t i = 0, j = 0;
    while (i < h[0].n || j < h[1].n)
        out->rows[out->nrows++] =
            j == h[1].n ||
                    (i < h[0].n && row_cmp(&h[0].rows[i], &h[1].rows[j]) <= 0)
                ? h[0].rows[i++]
                : h[1].rows[j++];
    free(h[0].rows);
    free(h[1].rows);
    /* the practice codes live in c->pracs: copy them to the arena */
    for (i = 0; i < out->nrows; i++)
        out->rows[i].practice =
            pccs_arena_strdup(&out->arena, out->rows[i].practice);
}

static void *
count_thread(void *arg)
{
    struct meds *m = arg;
    count_meds(m->c, m);
    return NULL;
}

/*
 * The medicines first (their sources aside, added after the events' as
 * before), then their counts on a second thread while this one reads the
 * clinical events: the two touch different arrays.
 */
static int
gather(struct ctx *c, struct pccs_store *st, struct pccs_err *err)
{
    int rc = pccs_store_patients_each(st, patient_cb, c, err);
    if (!rc && !c->cap)
        return pccs_err_set(err, PCCS_ENOTFOUND,
                            "no patient-level records loaded: load patients "
                            "(CSV or FHIR NDJSON), or make some with pccs "
                            "synth patients");
    if (!rc)
        rc = pccs_store_registrations_each(st, c->practice, reg_cb, c, err);
    c->ever = pccs_xcalloc(c->cap, sizeof(*c->ever));
    c->by_value = pccs_xcalloc(c->cap, sizeof(*c->by_value));
    for (int w = 0; w < c->nwin; w++) {
        c->recent[w] = pccs_xcalloc(c->cap, sizeof(*c->recent[w]));
        c->meds[w] = pccs_xcalloc(c->cap, sizeof(*c->meds[w]));
    }
    struct meds m = {.c = c, .from = c->at};
    for (int w = 0; w < c->nwin; w++)
        if (c->from[w] < m.from)
            m.from = c->from[w];
    struct pccs_source_set seen = c->out->sources, meds = PCCS_SOURCE_SET_INIT;
    c->out->sources = meds;
    c->last_source = -1;
    if (!rc)
        rc = pccs_store_events_each(st, PCCS_EVENT_MEDICATION, med_cb, &m, err);
    if (rc == PCCS_EINVAL && !err->code)
        rc = pccs_err_set(err, PCCS_EINVAL, "more than %lu medicines",
                          (unsigned long)MED_CODES);
    meds = c->out->sources;
    c->out->sources = seen;
    c->last_source = -1;
    pthread_t t;
    bool threaded = !rc && !pthread_create(&t, NULL, count_thread, &m);
    if (!rc)
        rc = pccs_store_events_each(st, PCCS_EVENT_CLINICAL, event_cb, c, err);
    if (threaded)
        pthread_join(t, NULL);
    else if (!rc)
        count_meds(c, &m);
    for (size_t i = 0; i < meds.n; i++)
        pccs_source_set_add(&c->out->sources, meds.ids[i]);
    pccs_source_set_release(&meds);
    free(m.v);
    free(m.codes);
    free(m.nums);
    return rc;
}

static void
ctx_free(struct ctx *c)
{
    pccs_codelists_release(&c->cl);
    PCCS_FREE(c->prac, c->birth, c->death, c->sex, c->ext, c->ever,
              c->by_value);
    for (int w = 0; w < NWIN; w++) {
        free(c->recent[w]);
        free(c->meds[w]);
    }
}

int
pccs_phm_compute(struct pccs_store *st, pccs_day at, const char *practice,
                 struct pccs_phm *out, struct pccs_err *err)
{
    memset(out, 0, sizeof(*out));
    out->at = at;
    struct ctx c = {.at = at, .practice = practice, .out = out};
    int rc = pccs_codelists_load_default(&c.cl, err);
    if (!rc)
        rc = read_rules(&c, err);
    if (!rc)
        rc = gather(&c, st, err);
    if (!rc)
        evaluate_all(&c);
    free(c.pracs);
    ctx_free(&c);
    return rc;
}

void
pccs_phm_release(struct pccs_phm *p)
{
    free(p->rows);
    pccs_source_set_release(&p->sources);
    pccs_arena_release(&p->arena);
    memset(p, 0, sizeof(*p));
}

int
pccs_phm_cohort(const struct pccs_phm *p, const char *name)
{
    for (size_t i = 0; i < p->ndefs; i++)
        if (!strcmp(p->defs[i].name, name))
            return (int)i;
    return -1;
}
