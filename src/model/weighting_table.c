/* SPDX-License-Identifier: MIT */
/*
 * The weighting table: per organisation, the registered list (from the
 * registrations by age and sex), the published global-sum weighted list
 * (NHS Payments to General Practice of the same financial year, or the
 * latest earlier one), the age-sex estimate (data/weights/age_sex.csv,
 * normalised over the practices with age-sex registrations), the ratios
 * weighted / registered and the difference estimate - published.
 * Parents sum their practices (those with both figures).
 */
#include "model/tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hmap.h"
#include "base/xalloc.h"
#include "calc/weighting.h"
#include "model/build.h"
#include "model/period.h"
#include "model/refdata.h"

#define MAX_BANDS 32

struct weights {
    int from[MAX_BANDS], to[MAX_BANDS];
    double w[MAX_BANDS][2]; /* male, female */
    size_t n;
    char source[256];
};

/* The weights: $PCCS_WEIGHTS, else data/weights/age_sex.csv. */
static int
load_weights(struct weights *ws, const char **path, struct pccs_err *err)
{
    static const char *const cols[6] = {"age_from", "age_to", "male",
                                        "female",   "source", "confidence"};
    const struct pccs_refdata *f;
    int rc = pccs_refdata_load_cols("weights/age_sex.csv", cols, PCCS_LEN(cols),
                                    &f, err);
    if (rc)
        return rc;
    *path = f->path;
    for (size_t k = 1; k < f->nrecords; k++) {
        const struct pccs_refdata_record *rec = &f->records[k];
        int64_t a, b;
        double m, fe;
        if (ws->n == MAX_BANDS || pccs_str_to_i64(rec->fields[0], &a) ||
            pccs_str_to_i64(rec->fields[1], &b) || a > b ||
            pccs_str_to_double(rec->fields[2], &m) ||
            pccs_str_to_double(rec->fields[3], &fe))
            return pccs_err_at(err, PCCS_EPARSE, f->path, rec->line, 1,
                               "expected age_from <= age_to and two weights");
        ws->from[ws->n] = (int)a;
        ws->to[ws->n] = (int)b;
        ws->w[ws->n][0] = m;
        ws->w[ws->n][1] = fe;
        pccs_str_copy(rec->fields[4], ws->source, sizeof(ws->source));
        ws->n++;
    }
    return PCCS_OK;
}

/* Weight for sex 'M'/'F' and an age range [lo, hi]; -1 if it straddles. */
static double
weight_of(const struct weights *ws, int sex, int lo, int hi)
{
    for (size_t i = 0; i < ws->n; i++) {
        if (lo >= ws->from[i] && hi <= ws->to[i])
            return ws->w[i][sex == 'F'];
    }
    return -1;
}

/* "M:37", "F:95+", "M:5_9" -> sex and age range. */
/* strtol(s, end, 10), the short run of digits an age is read inline. */
static long
age_num(const char *s, const char **end)
{
    long x = 0;
    int n = 0;
    while (n < 9 && s[n] >= '0' && s[n] <= '9')
        x = x * 10 + (s[n++] - '0');
    if (!n || (s[n] >= '0' && s[n] <= '9')) {
        char *e;
        x = strtol(s, &e, 10);
        *end = e;
        return x;
    }
    *end = s + n;
    return x;
}

static bool
parse_dim(const char *dim, int *sex, int *lo, int *hi)
{
    if ((dim[0] != 'M' && dim[0] != 'F') || dim[1] != ':')
        return false;
    *sex = dim[0];
    const char *a = dim + 2;
    if (strcmp(a, "95+") == 0) {
        *lo = 95;
        *hi = 200;
        return true;
    }
    const char *end;
    long x = age_num(a, &end);
    if (end == a)
        return false;
    *lo = (int)x;
    *hi = (int)x;
    if (*end == '_' || *end == '-')
        *hi = (int)age_num(end + 1, &end);
    return true;
}

struct prac {
    double adj, reg, published;
    bool has_pub, bad;
};

struct wctx {
    const struct weights *ws;
    struct pccs_hmap idx;
    struct prac *p;
    const char **code; /* the keys of idx, by index */
    size_t n, cap;
    bool pub_pass;
    int64_t source, pub_source;
    char period[32];
    char last[32];   /* the practice of the previous fact (or ""), */
    int64_t last_ix; /* its index + 1 */
};

static int
fact_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct wctx *w = ctx;
    bool created;
    struct pccs_hmap_entry *e;
    if (w->pub_pass) {
        e = pccs_hmap_get(&w->idx, f->org, strlen(f->org));
        if (e) {
            w->p[e->ival - 1].published = f->value;
            w->p[e->ival - 1].has_pub = true;
        }
        w->pub_source = f->source_id;
        return 0;
    }
    int sex, lo, hi;
    if (!parse_dim(f->dim, &sex, &lo, &hi))
        return 0;
    /* A practice's bands come together: look it up once. */
    if (!w->last[0] || strcmp(w->last, f->org) != 0) {
        size_t n = strlen(f->org);
        e = pccs_hmap_put(&w->idx, f->org, n, &created);
        if (created) {
            if (w->n == w->cap) {
                w->cap = w->cap ? w->cap * 2 : 4096;
                w->p = pccs_xreallocarray(w->p, w->cap, sizeof(*w->p));
                w->code = pccs_xreallocarray(w->code, w->cap, sizeof(*w->code));
            }
            memset(&w->p[w->n], 0, sizeof(w->p[0]));
            w->code[w->n] = e->key;
            e->ival = (int64_t)++w->n;
        }
        w->last_ix = e->ival;
        /* A code too long to keep is looked up every time. */
        snprintf(w->last, sizeof(w->last), "%s",
                 n < sizeof(w->last) ? f->org : "");
    }
    struct prac *p = &w->p[w->last_ix - 1];
    double wt = weight_of(w->ws, sex, lo, hi);
    if (wt < 0)
        p->bad = true;
    else
        p->adj += wt * f->value;
    p->reg += f->value;
    w->source = f->source_id;
    if (strcmp(w->period, f->period) != 0)
        snprintf(w->period, sizeof(w->period), "%s", f->period);
    return 0;
}

struct pick {
    char band[32], age[32];
};

static int
band_cb(void *ctx, const struct pccs_fact_row *f)
{
    snprintf(((struct pick *)ctx)->band, 32, "%s", f->period);
    return 0;
}

static int
age_cb(void *ctx, const struct pccs_fact_row *f)
{
    snprintf(((struct pick *)ctx)->age, 32, "%s", f->period);
    return 0;
}

/* What the table is built from. */
struct wsrc {
    struct weights ws;
    const char *wpath; /* the weights file read (model/refdata.c) */
    const char *measure, *period;
    struct pick pk;
    pccs_day snap;
    struct pccs_period_pick fp;
};

static int
gather_weights(struct wsrc *s, struct pccs_err *err)
{
    return load_weights(&s->ws, &s->wpath, err);
}

/* Registrations by age and sex of the snapshot, then published figures
 * of its financial year. */
static int
gather(struct pccs_store *st, const struct pccs_table_query *q, struct wsrc *s,
       struct wctx *w, struct pccs_err *err)
{
    int rc =
        pccs_store_periods_each(st, "registered_band", band_cb, &s->pk, err);
    if (!rc)
        rc = pccs_store_periods_each(st, "registered_age", age_cb, &s->pk, err);
    if (rc)
        return rc;
    s->measure = s->pk.band[0] ? "registered_band" : "registered_age";
    s->period = q->period ? q->period : s->pk.band[0] ? s->pk.band : s->pk.age;
    if (!s->period[0])
        return pccs_err_set(err, PCCS_ENOTFOUND,
                            "no registrations by age and sex loaded: load "
                            "gp-reg-pat-prac-quin-age or -sing-age files");
    rc =
        pccs_store_facts_each(st, s->measure, s->period, NULL, fact_cb, w, err);
    if (rc)
        return rc;
    if (!w->n)
        return pccs_err_set(err, PCCS_ENOTFOUND,
                            "no registrations by age and sex for %s: load "
                            "gp-reg-pat-prac-quin-age or -sing-age files of "
                            "that date",
                            s->period);
    if (pccs_date_parse(pccs_str_from(s->period), &s->snap))
        return pccs_err_set(err, PCCS_EINVAL, "%s is not a snapshot date",
                            s->period);
    rc = pccs_period_fy_for(st, "weighted", s->snap, &s->fp, err);
    if (rc)
        return rc;
    w->pub_pass = true;
    if (s->fp.found)
        rc = pccs_store_facts_each(st, "weighted", s->fp.period, NULL, fact_cb,
                                   w, err);
    return rc;
}

/* Per output organisation: registered, published, estimate, and the
 * estimate of the practices with a published figure; and practices. */
struct rollup {
    double (*sum)[4];
    int64_t *count;
    int *rows;
    size_t n;
};

static void
roll_up(const struct pccs_tree *t, const struct wctx *w, const double *est,
        enum pccs_level level, int in_org, pccs_day snap, struct rollup *ru)
{
    ru->sum = pccs_xcalloc(t->norgs + 1, sizeof(*ru->sum));
    ru->rows = pccs_xcalloc(t->norgs + 1, sizeof(*ru->rows));
    ru->count = pccs_xcalloc(t->norgs + 1, sizeof(*ru->count));
    for (size_t i = 0; i < w->n; i++) {
        int g = pccs_build_group(t, w->code[i], in_org, level, snap, w->source);
        if (g < 0)
            continue;
        if (!ru->count[g]++)
            ru->rows[ru->n++] = g;
        ru->sum[g][0] += w->p[i].reg;
        ru->sum[g][2] += est[i];
        if (w->p[i].has_pub) {
            ru->sum[g][1] += w->p[i].published;
            ru->sum[g][3] += est[i];
        }
    }
    pccs_tree_sort_by_code(t, ru->rows, ru->n);
}

static const struct pccs_build_col weighting_cols[] = {
    PCCS_BUILD_ORG_COLS,
    PCCS_BUILD_INT("practices"),
    PCCS_BUILD_NUM("registered", 0),
    PCCS_BUILD_NUM("published_weighted", 2),
    PCCS_BUILD_NUM("estimate", 2),
    PCCS_BUILD_NUM("published_ratio", 4),
    PCCS_BUILD_NUM("estimate_ratio", 4),
    PCCS_BUILD_NUM("difference", 2),
    PCCS_BUILD_NUM("difference_pct", 2)};

static void
emit_rows(struct pccs_table *out, const struct pccs_tree *t,
          const struct rollup *ru, pccs_day snap, int64_t src)
{
    PCCS_BUILD_COLS(out, weighting_cols);
    for (size_t k = 0; k < ru->n; k++) {
        int g = ru->rows[k];
        const double *s = ru->sum[g];
        struct pccs_weighting_cmp c =
            pccs_weighting_compare(s[0], s[1], s[2], s[3]);
        pccs_build_org_row(out, t, g, pccs_tree_up(t, g, snap, src), snap);
        pccs_table_int(out, ru->count[g]);
        pccs_table_num(out, s[0]);
        pccs_table_num(out, c.published);
        pccs_table_num(out, s[2]);
        pccs_table_num(out, c.published_ratio);
        pccs_table_num(out, c.estimate_ratio);
        pccs_table_num(out, c.difference);
        pccs_table_num(out, c.difference_pct);
    }
}

static void
emit_notes(struct pccs_table *out, const struct wsrc *s, double af, size_t n,
           size_t bad)
{
    pccs_table_note(out, "registered and age-sex counts: %s, %s", s->measure,
                    s->period);
    pccs_table_note(out,
                    "estimate = sum(weight x count) x %.6f, so that it "
                    "totals the registered list of the %zu practices "
                    "with age-sex registrations; weights: %s (%s)",
                    af, n, s->ws.source, s->wpath);
    if (s->fp.found) {
        pccs_table_note(out,
                        "published_weighted: NHS Payments to General "
                        "Practice %s (Number of Weighted Patients); "
                        "difference compares practices with both",
                        s->fp.period);
        if (s->fp.note[0])
            pccs_table_note(out, "published_weighted: %s", s->fp.note);
    }
    else
        pccs_table_note(out,
                        "published_weighted: no payments file for %s"
                        " or before",
                        s->fp.wanted);
    if (bad)
        pccs_table_note(out,
                        "%zu practices have an age band the weights do "
                        "not cover; it counts in registered only",
                        bad);
    pccs_table_note(out, "the estimate uses age and sex only: the Global Sum "
                         "also adjusts for needs, rurality, market forces, "
                         "list turnover and nursing homes");
}

/*
 * The age-sex estimate of each practice, normalised to the registered
 * total (calc/weighting.h); *af the factor, *bad the practices with an
 * age band the weights do not cover.
 */
static double *
estimate(const struct wctx *w, double *af, size_t *bad)
{
    double *adj = pccs_xcalloc(w->n, sizeof(*adj));
    double *reg = pccs_xcalloc(w->n, sizeof(*reg));
    double *est = pccs_xcalloc(w->n, sizeof(*est));
    *bad = 0;
    for (size_t i = 0; i < w->n; i++) {
        adj[i] = w->p[i].adj;
        reg[i] = w->p[i].reg;
        *bad += w->p[i].bad;
    }
    *af = pccs_weighting_normalise(adj, reg, w->n, est);
    free(adj);
    free(reg);
    return est;
}

static void
wctx_release(struct wctx *w)
{
    free(w->code);
    free(w->p);
    pccs_hmap_release(&w->idx);
}

int
pccs_weighting_table(struct pccs_store *st, const struct pccs_tree *t,
                     const struct pccs_table_query *q, struct pccs_table *out,
                     struct pccs_err *err)
{
    enum pccs_level level =
        q->level == PCCS_LEVEL_NONE ? PCCS_PRACTICE : q->level;
    struct wsrc *s = pccs_xcalloc(1, sizeof(*s));
    struct wctx w = {.ws = &s->ws};
    struct rollup ru = {.n = 0};
    double *est = NULL, af;
    size_t bad;
    int in_org = -1;
    pccs_table_init(out, "weighting");
    int rc = gather_weights(s, err);
    if (!rc)
        rc = gather(st, q, s, &w, err);
    if (!rc) {
        est = estimate(&w, &af, &bad);
        rc = pccs_build_in(t, q->in, &in_org, err);
    }
    if (!rc) {
        roll_up(t, &w, est, level, in_org, s->snap, &ru);
        emit_rows(out, t, &ru, s->snap, w.source);
        emit_notes(out, s, af, w.n, bad);
    }
    wctx_release(&w);
    free(est);
    free(ru.sum);
    free(ru.rows);
    free(ru.count);
    free(s);
    return rc;
}
