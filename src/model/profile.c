/* SPDX-License-Identifier: MIT */
/* One organisation's profile: gathered once for the CLI and the API. */
#include "model/profile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"
#include "calc/stats.h"
#include "model/query.h"
#include "model/tables.h"

/* "kind period" of a loaded file, "" for none. */
static void
source_label(struct pccs_store *st, int64_t id, char *buf, size_t n)
{
    struct pccs_source_info s;
    struct pccs_err err = PCCS_ERR_INIT;
    buf[0] = '\0';
    if (id <= 0)
        return;
    if (pccs_store_source_get(st, id, &s, &err))
        snprintf(buf, n, "source %lld", (long long)id);
    else
        snprintf(buf, n, "%s %s", s.kind, s.period ? s.period : "");
}

static void
org_at(const struct pccs_tree *t, int org, pccs_day day,
       struct pccs_profile_org *out)
{
    memset(out, 0, sizeof(*out));
    out->org = org;
    out->code = t->orgs[org].code;
    out->name = pccs_tree_name(t, org, day);
    out->level = t->orgs[org].level_name;
}

/* Its names over time; a change of case only is not a new name. */
static void
gather_names(struct pccs_store *st, const struct pccs_tree_org *o,
             struct pccs_profile *p)
{
    p->names = pccs_xcalloc(o->nnames + 1, sizeof(*p->names));
    for (size_t i = 0; i < o->nnames; i++) {
        const struct pccs_tree_name *n = &o->names[i];
        if (i > 0 && strcasecmp(n->name, o->names[i - 1].name) == 0)
            continue;
        struct pccs_profile_name *pn = &p->names[p->nnames++];
        if (n->from != PCCS_DAY_NONE)
            pccs_date_format(n->from, pn->from);
        pn->name = n->name;
        source_label(st, n->source_id, pn->source, sizeof(pn->source));
    }
}

static void
gather_parents(struct pccs_store *st, const struct pccs_tree *t,
               struct pccs_profile *p)
{
    p->parents = pccs_xcalloc(PCCS_NLEVELS + 1, sizeof(*p->parents));
    int64_t src;
    int up = pccs_tree_up_via(t, p->self.org, p->at, 0, &src);
    for (int guard = 0; up >= 0 && guard < PCCS_NLEVELS; guard++) {
        struct pccs_profile_org *po = &p->parents[p->nparents++];
        org_at(t, up, p->at, po);
        source_label(st, src, po->source, sizeof(po->source));
        up = pccs_tree_up_via(t, up, p->at, 0, &src);
    }
}

/* The organisations directly under it with practices on the day. */
static void
gather_children(const struct pccs_tree *t, struct pccs_profile *p)
{
    int64_t *count = pccs_xcalloc(t->norgs + 1, sizeof(*count));
    int *kids = pccs_xcalloc(t->norgs + 1, sizeof(*kids));
    pccs_tree_count_practices(t, p->at, count);
    size_t nk = 0;
    for (size_t i = 0; i < t->norgs; i++)
        if (count[i] && (int)i != p->self.org &&
            pccs_tree_up(t, (int)i, p->at, 0) == p->self.org)
            kids[nk++] = (int)i;
    pccs_tree_sort_by_code(t, kids, nk);
    p->children = pccs_xcalloc(nk + 1, sizeof(*p->children));
    for (size_t i = 0; i < nk; i++)
        org_at(t, kids[i], p->at, &p->children[i]);
    p->nchildren = nk;
    free(count);
    free(kids);
}

struct period_list {
    char p[64][32];
    size_t n;
};

static int
period_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct period_list *l = ctx;
    if (l->n < 64)
        snprintf(l->p[l->n++], sizeof(l->p[0]), "%s", f->period);
    return 0;
}

/* The populations table for the organisation in period (NULL: latest). */
static int
populations(struct pccs_store *st, const struct pccs_tree *t,
            const struct pccs_profile_query *pq, const struct pccs_profile *p,
            const char *period, struct pccs_table *out, struct pccs_err *err)
{
    struct pccs_table_query q = {.level = p->o->level,
                                 .in = p->self.code,
                                 .at = PCCS_DAY_NONE,
                                 .period = period,
                                 .explain = pq->explain,
                                 .suppress = pq->suppress};
    memset(out, 0, sizeof(*out));
    return pccs_table_run(pccs_table_def_find("populations"), st, t, &q, out,
                          err);
}

/* Its populations for every loaded period with a row for it. */
static int
gather_pops(struct pccs_store *st, const struct pccs_tree *t,
            const struct pccs_profile_query *q, struct pccs_profile *p,
            struct pccs_err *err)
{
    struct period_list periods = {.n = 0};
    int rc =
        pccs_store_periods_each(st, "registered", period_cb, &periods, err);
    if (rc)
        return rc;
    p->pops = pccs_xcalloc(periods.n + 1, sizeof(*p->pops));
    for (size_t i = 0; i < periods.n; i++) {
        struct pccs_profile_pop *pp = &p->pops[p->npops];
        struct pccs_err e2 = PCCS_ERR_INIT;
        if (populations(st, t, q, p, periods.p[i], &pp->table, &e2) ||
            pp->table.nrows != 1) {
            pccs_table_release(&pp->table);
            continue;
        }
        snprintf(pp->period, sizeof(pp->period), "%s", periods.p[i]);
        pp->practices = pccs_table_col_index(&pp->table, "practices");
        pp->registered = pccs_table_col_index(&pp->table, "registered");
        pp->weighted = pccs_table_col_index(&pp->table, "weighted");
        pp->source = pccs_table_col_index(&pp->table, "source");
        p->npops++;
    }
    return PCCS_OK;
}

int
pccs_profile_get(struct pccs_store *st, const struct pccs_tree *t,
                 const struct pccs_profile_query *q, struct pccs_profile *out,
                 struct pccs_err *err)
{
    memset(out, 0, sizeof(*out));
    out->at = q->at == PCCS_DAY_NONE ? pccs_tree_default_day(t) : q->at;
    int org = pccs_query_org(t, "", q->code, err);
    if (org < 0)
        return org;
    out->o = &t->orgs[org];
    org_at(t, org, out->at, &out->self);
    gather_names(st, out->o, out);
    gather_parents(st, t, out);
    gather_children(t, out);
    if (out->o->level == PCCS_LEVEL_NONE)
        return PCCS_OK;
    int rc = gather_pops(st, t, q, out, err);
    if (!rc && q->latest) {
        struct pccs_err e2 = PCCS_ERR_INIT;
        out->has_latest =
            populations(st, t, q, out, NULL, &out->latest, &e2) == PCCS_OK;
    }
    return rc;
}

void
pccs_profile_release(struct pccs_profile *p)
{
    for (size_t i = 0; i < p->npops; i++)
        pccs_table_release(&p->pops[i].table);
    free(p->pops);
    free(p->names);
    free(p->parents);
    free(p->children);
    pccs_table_release(&p->latest);
    memset(p, 0, sizeof(*p));
}

/* ===== Benchmarks ===== */

/* A figure compared: a column of a table (of one QOF group). */
static const struct compare_def {
    const char *figure; /* table.column[.group], the code in downloads */
    const char *table, *column, *group;
    const char *label, *unit;
    bool year; /* the latest payments year */
} compare_defs[] = {
    {"populations.registered", "populations", "registered", NULL,
     "Registered patients", "patients", false},
    {"populations.weighted", "populations", "weighted", NULL,
     "Weighted patients", "patients", false},
    {"payments.total_per_registered", "payments", "total_per_registered", NULL,
     "Payments per registered patient", "GBP", true},
    {"payments.total_per_weighted", "payments", "total_per_weighted", NULL,
     "Payments per weighted patient", "GBP", true},
    {"qof-prevalence.prevalence_pct.HYP", "qof-prevalence", "prevalence_pct",
     "HYP", "Hypertension prevalence (QOF register)", "%", false},
    {"qof-prevalence.prevalence_pct.DM", "qof-prevalence", "prevalence_pct",
     "DM", "Diabetes prevalence (QOF register, 17+)", "%", false},
};

/* The figure's column for every organisation at level in England. */
struct figure_run {
    struct pccs_table t;
    int code, period;
};

/* The runs of one comparison, each table, group and level once (16). */
struct run_cache {
    struct {
        const char *table, *group;
        enum pccs_level level;
        int rc;
        struct figure_run r;
    } e[16];
    size_t n;
    const char *year;
    bool suppress;
};

static int
run_level_once(struct pccs_store *st, const struct pccs_tree *t,
               const struct compare_def *d, enum pccs_level level,
               const char *year, bool suppress, struct figure_run *out,
               struct pccs_err *err)
{
    struct pccs_table_query q = {.level = level,
                                 .at = PCCS_DAY_NONE,
                                 .period = d->year ? year : NULL,
                                 .group = d->group,
                                 .suppress = suppress};
    memset(out, 0, sizeof(*out));
    int rc =
        pccs_table_run(pccs_table_def_find(d->table), st, t, &q, &out->t, err);
    if (rc)
        return rc;
    out->code = pccs_table_col_index(&out->t, "code");
    out->period = pccs_table_col_index(&out->t, d->year ? "year" : "source");
    if (out->code < 0)
        return pccs_err_set(err, PCCS_EINVAL, "%s has no column code",
                            d->table);
    return PCCS_OK;
}

/* The run of d's table at level, from the cache (borrowed). */
static int
run_level(struct pccs_store *st, const struct pccs_tree *t,
          const struct compare_def *d, enum pccs_level level,
          struct run_cache *c, const struct figure_run **out,
          struct pccs_err *err)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->e[i].table, d->table) && c->e[i].level == level &&
            (c->e[i].group == d->group ||
             (c->e[i].group && d->group && !strcmp(c->e[i].group, d->group)))) {
            *out = &c->e[i].r;
            if (c->e[i].rc)
                return pccs_err_set(err, c->e[i].rc, "%s: no figure", d->table);
            return PCCS_OK;
        }
    PCCS_ASSERT(c->n < sizeof(c->e) / sizeof(c->e[0]));
    size_t i = c->n++;
    c->e[i].table = d->table;
    c->e[i].group = d->group;
    c->e[i].level = level;
    c->e[i].rc =
        run_level_once(st, t, d, level, c->year, c->suppress, &c->e[i].r, err);
    *out = &c->e[i].r;
    return c->e[i].rc;
}

/* The value of code in r (NaN: no row, or no figure). */
static double
value_of(const struct figure_run *r, int col, const char *code, size_t *row)
{
    if (col < 0)
        return NAN;
    for (size_t i = 0; i < r->t.nrows; i++) {
        const struct pccs_cell *c = pccs_table_cell(&r->t, i, (size_t)r->code);
        if (!c->null && c->text && !strcmp(c->text, code)) {
            const struct pccs_cell *v = pccs_table_cell(&r->t, i, (size_t)col);
            if (row)
                *row = i;
            return v->null ? NAN : v->num;
        }
    }
    return NAN;
}

static void
num_or_null(struct pccs_table *out, double v)
{
    if (isnan(v))
        pccs_table_null(out);
    else
        pccs_table_num(out, v);
}

/* One figure's row: the organisation, its ancestors, its peers. */
static int
compare_row(struct pccs_store *st, const struct pccs_tree *t,
            const struct pccs_profile *p, const struct compare_def *d,
            struct run_cache *cache, struct pccs_table *out,
            struct pccs_err *err)
{
    const struct figure_run *own;
    int rc = run_level(st, t, d, p->o->level, cache, &own, err);
    if (rc)
        return rc;
    size_t row = 0;
    int vc = pccs_table_col_index(&own->t, d->column);
    if (vc < 0)
        return pccs_err_set(err, PCCS_EINVAL, "%s has no column %s", d->table,
                            d->column);
    double v = value_of(own, vc, p->self.code, &row);
    double *peers = pccs_xcalloc(own->t.nrows + 1, sizeof(*peers));
    for (size_t i = 0; i < own->t.nrows; i++) {
        const struct pccs_cell *c = pccs_table_cell(&own->t, i, (size_t)vc);
        peers[i] = c->null ? NAN : c->num;
    }
    int *dec = pccs_xcalloc(own->t.nrows + 1, sizeof(*dec));
    pccs_deciles(peers, own->t.nrows, dec);
    size_t npeers = 0;
    for (size_t i = 0; i < own->t.nrows; i++)
        npeers += !isnan(peers[i]);
    double up[3] = {NAN, NAN, NAN};
    static const enum pccs_level levels[3] = {PCCS_ICB, PCCS_REGION,
                                              PCCS_ENGLAND};
    for (int k = 0; k < 3 && !isnan(v); k++) {
        int a = pccs_tree_ancestor(t, p->self.org, levels[k], p->at, 0);
        const struct figure_run *r;
        struct pccs_err e2 = PCCS_ERR_INIT;
        if (a >= 0 && !run_level(st, t, d, levels[k], cache, &r, &e2))
            up[k] = value_of(r, pccs_table_col_index(&r->t, d->column),
                             t->orgs[a].code, NULL);
    }
    pccs_table_row(out);
    pccs_table_text(out, d->figure);
    pccs_table_text(out, d->label);
    pccs_table_text(out, d->unit);
    num_or_null(out, v);
    for (int k = 0; k < 3; k++)
        num_or_null(out, up[k]);
    if (isnan(v)) {
        pccs_table_null(out);
        pccs_table_int(out, (int64_t)npeers);
        pccs_table_null(out);
    }
    else {
        pccs_table_int(out, (int64_t)pccs_rank_desc(peers, own->t.nrows, v));
        pccs_table_int(out, (int64_t)npeers);
        pccs_table_int(out, dec[row]);
    }
    const struct pccs_cell *pc =
        own->period >= 0 && !isnan(v)
            ? pccs_table_cell(&own->t, row, (size_t)own->period)
            : NULL;
    pccs_table_text(out, pc && !pc->null ? pc->text : NULL);
    const struct pccs_table_col *col = &own->t.cols[vc];
    pccs_table_int(out, col->type == PCCS_COL_NUM ? col->decimals : 0);
    free(peers);
    free(dec);
    return PCCS_OK;
}

/* Each table's notes once, under the figures from it. */
static void
compare_notes(const struct run_cache *c, enum pccs_level level,
              struct pccs_table *out)
{
    for (size_t i = 0; i < c->n; i++) {
        if (c->e[i].level != level || c->e[i].rc)
            continue;
        const struct pccs_table *t = &c->e[i].r.t;
        for (size_t k = 0; k < t->nnotes; k++)
            if (strncmp(t->notes[k], "Contains public", 15))
                pccs_table_note(
                    out, "%s%s%s: %s", c->e[i].table, c->e[i].group ? " " : "",
                    c->e[i].group ? c->e[i].group : "", t->notes[k]);
    }
}

int
pccs_profile_compare(struct pccs_store *st, const struct pccs_tree *t,
                     const struct pccs_profile *p, bool suppress,
                     struct pccs_table *out, struct pccs_err *err)
{
    pccs_table_init(out, "comparison");
    if (!p->o || (p->o->level != PCCS_PRACTICE && p->o->level != PCCS_PCN))
        return pccs_err_set(err, PCCS_EINVAL,
                            "%s: comparisons are of practices and PCNs",
                            p->self.code);
    static const char *const cols[] = {"figure", "label", "unit"};
    for (size_t i = 0; i < 3; i++)
        pccs_table_col(out, cols[i], PCCS_COL_TEXT, 0);
    static const char *const nums[] = {"value", "icb", "region", "england"};
    for (size_t i = 0; i < 4; i++)
        pccs_table_col(out, nums[i], PCCS_COL_NUM, 2);
    pccs_table_cols(out, "rank:i peers:i decile:i period decimals:i");
    char fy[8] = "";
    int rc = pccs_latest_payments_year(st, fy, err);
    if (rc)
        return rc;
    pccs_table_note(out,
                    "rank: from the highest among every %s in England "
                    "with the figure (peers); decile: 1 lowest tenth "
                    "to 10 highest",
                    p->o->level_name);
    struct run_cache *cache = pccs_xcalloc(1, sizeof(*cache));
    cache->year = fy[0] ? fy : NULL;
    cache->suppress = suppress;
    for (size_t i = 0; i < sizeof(compare_defs) / sizeof(compare_defs[0]);
         i++) {
        struct pccs_err e2 = PCCS_ERR_INIT;
        if (compare_row(st, t, p, &compare_defs[i], cache, out, &e2))
            pccs_table_note(out, "%s: not available: %s",
                            compare_defs[i].figure, e2.msg);
    }
    compare_notes(cache, p->o->level, out);
    for (size_t i = 0; i < cache->n; i++)
        pccs_table_release(&cache->e[i].r.t);
    free(cache);
    return PCCS_OK;
}
