/* SPDX-License-Identifier: MIT */
/*
 * The qof-prevalence table: per organisation and QOF disease group, the
 * register, the list size and the prevalence (a parent's from its summed
 * registers and lists), the national prevalence, and for practices the
 * APDF, the CPI, the year's pounds per point and the value of one point in
 * that disease area. Rates come from data/rates with their sources.
 *
 * The CPI is the practice's whole list (the list of the groups whose
 * patient list type is TOTAL, the same for each) over the national
 * average list size, for every group: a group's own list can be
 * age-restricted (50OV for osteoporosis) and is only the denominator of
 * its prevalence.
 */
#include "model/tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hmap.h"
#include "base/xalloc.h"
#include "calc/qof.h"
#include "model/build.h"
#include "model/rates.h"

struct cell {
    double reg, list;
    bool has_reg, has_list;
};

#define MAX_GROUPS 64

/* What a fact's dim (a QOF group) gives: its list type, its group. */
struct dim_memo {
    const char *dim; /* the key in dim_index */
    bool total;      /* in total_groups */
    bool known;      /* group_index gave g and gives it again */
    int g;
};

struct qctx {
    const struct pccs_tree *t;
    const char *group;       /* filter, or NULL */
    struct pccs_hmap groups; /* group -> index */
    const char **gname;      /* the keys of groups, by index */
    size_t ngroups;
    struct pccs_hmap orgs; /* practice code -> index */
    int *org;              /* tree index per practice */
    size_t norgs, org_cap;
    struct cell *cells[MAX_GROUPS]; /* per group, org_cap each */
    bool list_pass;
    int64_t source;
    struct pccs_hmap total_groups; /* groups whose list type is TOTAL */
    struct pccs_hmap whole;        /* practice code -> whole list */
    char last[32];         /* the practice of the previous fact (or ""), */
    int64_t last_ix;       /* its index in orgs */
    struct dim_memo *dims; /* each dim seen, in order of first sight */
    size_t ndims, last_dim;
    struct pccs_hmap dim_index; /* dim -> index in dims */
};

static int
group_index(struct qctx *q, const char *g)
{
    bool created;
    struct pccs_hmap_entry *e =
        pccs_hmap_put(&q->groups, g, strlen(g), &created);
    if (created) {
        if (q->ngroups == MAX_GROUPS)
            return -1;
        e->ival = (int64_t)q->ngroups;
        q->cells[q->ngroups] =
            pccs_xcalloc(q->org_cap ? q->org_cap : 1, sizeof(struct cell));
        q->gname =
            pccs_xreallocarray(q->gname, q->ngroups + 1, sizeof(*q->gname));
        q->gname[q->ngroups++] = e->key;
    }
    return (int)e->ival;
}

/*
 * The memo of dim: a practice's facts come in the same order of groups,
 * so the one after the previous fact's is tried first, then the index.
 */
static struct dim_memo *
dim_memo(struct qctx *q, const char *dim)
{
    size_t next = q->last_dim + 1 < q->ndims ? q->last_dim + 1 : 0;
    if (q->ndims && strcmp(q->dims[next].dim, dim) == 0) {
        q->last_dim = next;
        return &q->dims[next];
    }
    size_t n = strlen(dim);
    bool created;
    struct pccs_hmap_entry *e = pccs_hmap_put(&q->dim_index, dim, n, &created);
    if (created) {
        q->dims = pccs_xreallocarray(q->dims, q->ndims + 1, sizeof(*q->dims));
        q->dims[q->ndims] = (struct dim_memo){
            .dim = e->key,
            .total = pccs_hmap_get(&q->total_groups, dim, n) != NULL};
        e->ival = (int64_t)q->ndims++;
    }
    q->last_dim = (size_t)e->ival;
    return &q->dims[q->last_dim];
}

static int
list_type_cb(void *ctx, const struct pccs_ref_row *r)
{
    struct qctx *q = ctx;
    bool created;
    if (strcmp(r->attr, "patient_list_type") == 0 &&
        strcmp(r->value, "TOTAL") == 0)
        pccs_hmap_put(&q->total_groups, r->key, strlen(r->key), &created);
    return 0;
}

static int
fact_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct qctx *q = ctx;
    struct dim_memo *dm = dim_memo(q, f->dim);
    if (q->list_pass && dm->total) {
        bool created;
        struct pccs_hmap_entry *w =
            pccs_hmap_put(&q->whole, f->org, strlen(f->org), &created);
        if (created)
            w->ival = (int64_t)f->value;
    }
    if (q->group && strcmp(q->group, f->dim) != 0)
        return 0;
    if (!dm->known) {
        /* a group past MAX_GROUPS is asked again (its index is set later) */
        dm->g = group_index(q, f->dim);
        dm->known = dm->g >= 0;
    }
    int g = dm->g;
    if (g < 0)
        return 0;
    /* A practice's groups come together: look it up once. */
    if (!q->last[0] || strcmp(q->last, f->org) != 0) {
        bool created;
        size_t n = strlen(f->org);
        struct pccs_hmap_entry *e =
            pccs_hmap_put(&q->orgs, f->org, n, &created);
        if (created) {
            if (q->norgs == q->org_cap) {
                size_t old = q->org_cap;
                q->org_cap = q->org_cap ? q->org_cap * 2 : 8192;
                q->org =
                    pccs_xreallocarray(q->org, q->org_cap, sizeof(*q->org));
                for (size_t g2 = 0; g2 < q->ngroups; g2++) {
                    q->cells[g2] = pccs_xreallocarray(q->cells[g2], q->org_cap,
                                                      sizeof(*q->cells[g2]));
                    memset(q->cells[g2] + old, 0,
                           (q->org_cap - old) * sizeof(*q->cells[g2]));
                }
            }
            e->ival = (int64_t)q->norgs;
            q->org[q->norgs++] = pccs_tree_find(q->t, f->org);
        }
        q->last_ix = e->ival;
        /* A code too long to keep is looked up every time. */
        snprintf(q->last, sizeof(q->last), "%s",
                 n < sizeof(q->last) ? f->org : "");
    }
    struct cell *c = &q->cells[g][q->last_ix];
    if (q->list_pass) {
        c->list = f->value;
        c->has_list = true;
    }
    else {
        c->reg = f->value;
        c->has_reg = true;
        q->source = f->source_id;
    }
    return 0;
}

struct period_pick {
    char latest[32];
    char want[32];
    bool found;
};

static int
period_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct period_pick *p = ctx;
    snprintf(p->latest, sizeof(p->latest), "%s", f->period);
    if (p->want[0] && strcmp(p->want, f->period) == 0)
        p->found = true;
    return 0;
}

struct row_key {
    const struct pccs_tree *t;
    int org;
    int group;
    const char *gname;
};

static int
cmp_row(const void *a, const void *b)
{
    const struct row_key *x = a, *y = b;
    int c = strcmp(x->t->orgs[x->org].code, y->t->orgs[y->org].code);
    return c ? c : strcmp(x->gname, y->gname);
}

static void
rate_note(struct pccs_table *out, const struct pccs_rate *r, const char *what,
          const char *fy)
{
    if (!r || !r->known)
        pccs_table_note(out, "%s: rate unknown for %s (data/rates)", what, fy);
    else
        pccs_table_note(out, "%s %s: %g %s; source: %s [%s] (%s)", what, fy,
                        r->value, r->unit, r->source,
                        r->confidence[0] ? r->confidence : "?", r->file);
}

/* The year asked for (--period) or the latest loaded, and its start. */
static int
pick_year(struct pccs_store *st, const struct pccs_table_query *q,
          struct period_pick *pp, int *fy, struct pccs_err *err)
{
    if (q->period)
        snprintf(pp->want, sizeof(pp->want), "%s", q->period);
    int rc = pccs_store_periods_each(st, "qof_register", period_cb, pp, err);
    if (rc)
        return rc;
    if (!pp->latest[0])
        return pccs_err_set(err, PCCS_ENOTFOUND,
                            "no QOF prevalence loaded: load a QOF prevalence "
                            "file first");
    if (q->period && !pp->found)
        return pccs_err_set(err, PCCS_ENOTFOUND,
                            "no QOF prevalence loaded for %s (latest: %s): "
                            "load that year's QOF prevalence file",
                            q->period, pp->latest);
    const char *period = q->period ? q->period : pp->latest;
    if (pccs_fy_parse(pccs_str_from(period), fy))
        return pccs_err_set(err, PCCS_EINVAL, "QOF period %s is not a year",
                            period);
    return PCCS_OK;
}

/* Registers, then list sizes, of every practice for the year. */
static int
gather(struct pccs_store *st, const char *period, struct qctx *c,
       int64_t *reg_source, struct pccs_err *err)
{
    int rc = pccs_store_refs_each(st, "qof_group", list_type_cb, c, err);
    if (!rc)
        rc = pccs_store_facts_each(st, "qof_register", period, NULL, fact_cb, c,
                                   err);
    *reg_source = c->source;
    c->list_pass = true;
    if (!rc)
        rc = pccs_store_facts_each(st, "qof_list_size", period, NULL, fact_cb,
                                   c, err);
    if (rc)
        return rc;
    if (c->group && !c->ngroups)
        return pccs_err_set(err, PCCS_ENOTFOUND, "no QOF group %s in %s",
                            c->group, period);
    return PCCS_OK;
}

/* Registers and lists summed per (organisation, group) and nationally. */
struct sums {
    double nat_reg[MAX_GROUPS], nat_list[MAX_GROUPS];
    double *s; /* (norgs + 1) x MAX_GROUPS x {register, list} */
    struct row_key *rows;
    size_t nrows;
};

static void
sum_up(const struct pccs_tree *t, const struct qctx *c, enum pccs_level level,
       pccs_day at, int in_org, struct sums *sm)
{
    sm->s = pccs_xcalloc((t->norgs + 1) * MAX_GROUPS * 2, sizeof(*sm->s));
    sm->rows = pccs_xcalloc((t->norgs + 1) * c->ngroups + 1, sizeof(*sm->rows));
    for (size_t i = 0; i < c->norgs; i++) {
        int grp = c->org[i] >= 0
                      ? pccs_tree_ancestor(t, c->org[i], level, at, 0)
                      : -1;
        bool inside =
            in_org < 0 ||
            (c->org[i] >= 0 && pccs_build_within(t, c->org[i], in_org, at, 0));
        for (size_t g = 0; g < c->ngroups; g++) {
            const struct cell *cl = &c->cells[g][i];
            if (!cl->has_reg || !cl->has_list)
                continue;
            sm->nat_reg[g] += cl->reg;
            sm->nat_list[g] += cl->list;
            if (grp < 0 || !inside)
                continue;
            double *s = &sm->s[((size_t)grp * MAX_GROUPS + g) * 2];
            if (s[1] == 0 && s[0] == 0)
                sm->rows[sm->nrows++] = (struct row_key){
                    .t = t, .org = grp, .group = (int)g, .gname = c->gname[g]};
            s[0] += cl->reg;
            s[1] += cl->list;
        }
    }
    qsort(sm->rows, sm->nrows, sizeof(*sm->rows), cmp_row);
}

static const struct pccs_build_col qof_cols[] = {
    PCCS_BUILD_ORG_COLS,
    PCCS_BUILD_TEXT("group"),
    PCCS_BUILD_INT("register"),
    PCCS_BUILD_INT("list_size"),
    PCCS_BUILD_NUM("prevalence_pct", 3),
    PCCS_BUILD_NUM("national_prevalence_pct", 3),
    PCCS_BUILD_NUM("apdf", 4),
    PCCS_BUILD_INT("practice_list"),
    PCCS_BUILD_NUM("average_list_size", 0),
    PCCS_BUILD_NUM("cpi", 4),
    PCCS_BUILD_NUM("pounds_per_point", 2),
    PCCS_BUILD_NUM("point_value", 2),
    PCCS_BUILD_TEXT("source")};

/* What the rows of one table share. */
struct emit_ctx {
    const struct pccs_tree *t;
    const struct qctx *c;
    const struct sums *sm;
    bool practice; /* APDF, CPI and point values are practice measures */
    pccs_day at;
    double avg, ppp; /* national average list, pounds per point; NaN */
    char src[64];
    size_t no_whole; /* practice rows with no whole list */
};

static double
rate_value(const struct pccs_rate *r)
{
    return r && r->known ? r->value : NAN;
}

static void
emit_row(struct pccs_table *out, struct emit_ctx *e, const struct row_key *k)
{
    const struct pccs_tree *t = e->t;
    const char *code = t->orgs[k->org].code;
    const double *s = &e->sm->s[((size_t)k->org * MAX_GROUPS + k->group) * 2];
    double prev = pccs_qof_prevalence(s[0], s[1]);
    double nat = pccs_qof_prevalence(e->sm->nat_reg[k->group],
                                     e->sm->nat_list[k->group]);
    pccs_build_org_row(out, t, k->org, pccs_tree_up(t, k->org, e->at, 0),
                       e->at);
    pccs_table_text(out, k->gname);
    pccs_table_int(out, (int64_t)s[0]);
    pccs_table_int(out, (int64_t)s[1]);
    pccs_table_num(out, prev);
    pccs_table_num(out, nat);
    double list = NAN;
    if (e->practice) {
        const struct pccs_hmap_entry *w =
            pccs_hmap_get(&e->c->whole, code, strlen(code));
        list = w ? (double)w->ival : NAN;
        e->no_whole += !w;
    }
    struct pccs_qof_factors f =
        pccs_qof_factors(prev, nat, list, e->avg, e->ppp);
    pccs_table_num(out, e->practice ? f.apdf : NAN);
    pccs_table_num(out, list);
    pccs_table_num(out, e->avg);
    pccs_table_num(out, e->practice ? f.cpi : NAN);
    pccs_table_num(out, e->ppp);
    pccs_table_num(out, e->practice ? f.point_value : NAN);
    pccs_table_text(out, e->src);
}

static void
emit_notes(struct pccs_store *st, struct pccs_table *out,
           const struct emit_ctx *e, const char *period, int fy,
           int64_t reg_source, const struct pccs_rate *ppp,
           const struct pccs_rate *avg, struct pccs_err *err)
{
    char fyname[8];
    pccs_fy_format(fy, fyname);
    pccs_build_source_note(out, st, reg_source, "registers and list sizes",
                           period, err);
    pccs_table_note(out, "prevalence of a parent = its summed registers / its "
                         "summed list sizes; national from every practice");
    rate_note(out, ppp, "pounds per point", fyname);
    rate_note(out, avg, "national average list size (CPI)", fyname);
    if (e->practice)
        pccs_table_note(out, "cpi = practice_list / average_list_size: the "
                             "practice's whole list (QOF list type TOTAL, "
                             "the same for every group), not the group's "
                             "own list_size, which may be age-restricted "
                             "(e.g. 50OV for OST)");
    if (e->no_whole)
        pccs_table_note(out,
                        "cpi: %zu rows whose practice has no whole "
                        "(TOTAL) list in %s: no CPI",
                        e->no_whole, period);
    char d[16];
    pccs_date_format(e->at, d);
    pccs_table_note(out, "organisations as at %s", d);
    pccs_build_ogl_note(out);
}

static void
qctx_release(struct qctx *c)
{
    free(c->gname);
    free(c->org);
    for (size_t g = 0; g < c->ngroups; g++)
        free(c->cells[g]);
    free(c->dims);
    pccs_hmap_release(&c->dim_index);
    pccs_hmap_release(&c->groups);
    pccs_hmap_release(&c->orgs);
    pccs_hmap_release(&c->total_groups);
    pccs_hmap_release(&c->whole);
}

int
pccs_qof_prevalence_table(struct pccs_store *st, const struct pccs_tree *t,
                          const struct pccs_table_query *q,
                          struct pccs_table *out, struct pccs_err *err)
{
    enum pccs_level level = q->level == PCCS_LEVEL_NONE ? PCCS_ICB : q->level;
    struct qctx c = {.t = t,
                     .group = q->group,
                     .total_groups = PCCS_HMAP_INIT,
                     .whole = PCCS_HMAP_INIT};
    struct pccs_rates rates = PCCS_RATES_INIT;
    struct sums sm = {.nrows = 0};
    struct period_pick pp = {.latest = "", .want = ""};
    int fy = 0, in_org = -1;
    int64_t reg_source = 0;
    pccs_table_init(out, "qof-prevalence");
    int rc = pick_year(st, q, &pp, &fy, err);
    const char *period = q->period ? q->period : pp.latest;
    pccs_day at = q->at;
    if (!rc && at == PCCS_DAY_NONE)
        at = pccs_fy_start(fy + 1) - 1;
    if (!rc)
        rc = pccs_build_in(t, q->in, &in_org, err);
    if (!rc)
        rc = gather(st, period, &c, &reg_source, err);
    if (!rc)
        rc = pccs_rates_load_default(&rates, err);
    if (rc)
        goto out;
    const struct pccs_rate *ppp =
        pccs_rates_get(&rates, "qof_pounds_per_point", fy);
    const struct pccs_rate *avg =
        pccs_rates_get(&rates, "qof_average_list_size", fy);
    sum_up(t, &c, level, at, in_org, &sm);
    PCCS_BUILD_COLS(out, qof_cols);
    struct emit_ctx e = {.t = t,
                         .c = &c,
                         .sm = &sm,
                         .practice = level == PCCS_PRACTICE,
                         .at = at,
                         .avg = rate_value(avg),
                         .ppp = rate_value(ppp)};
    snprintf(e.src, sizeof(e.src), "qof_prevalence %s", period);
    for (size_t i = 0; i < sm.nrows; i++)
        emit_row(out, &e, &sm.rows[i]);
    emit_notes(st, out, &e, period, fy, reg_source, ppp, avg, err);
out:
    qctx_release(&c);
    pccs_rates_release(&rates);
    free(sm.rows);
    free(sm.s);
    return rc;
}
