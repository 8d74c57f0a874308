/* SPDX-License-Identifier: MIT */
/*
 * The arrs table: Additional Roles Reimbursement Scheme roles in post
 * (PCN workforce FTE by role, mapped to ARRS roles by data/maps/
 * arrs_roles.csv) priced at the year's maximum reimbursable amounts
 * (data/rates/arrs.csv), against the PCN's ARRS sum (contractor weighted
 * population x the year's rate, data/rates/pcn.csv): the share of the sum
 * in post. One row per ARRS role and a total row per organisation; roles
 * without a known amount are counted as unpriced FTE.
 */
#include "model/tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hmap.h"
#include "base/xalloc.h"
#include "model/build.h"
#include "model/period.h"
#include "model/refdata.h"
#include "calc/arrs.h"
#include "model/entitlements.h"
#include "model/rates.h"

#define TOTAL_ROLE "all ARRS roles"

struct arrs_ctx {
    const struct pccs_tree *t;
    struct pccs_hmap map;  /* staff role -> ARRS role (ptr) */
    struct pccs_hmap rows; /* "org\x1frole" -> index + 1 */
    int *org;
    const char **role; /* in the keys of rows */
    double *fte;
    size_t n, cap;
    enum pccs_level level;
    pccs_day at;
    int in_org;
    int64_t source;
};

/* data/maps/arrs_roles.csv (or $PCCS_ARRS_ROLES): staff_role,arrs_role. */
static int
load_map(struct arrs_ctx *c, struct pccs_err *err)
{
    static const char *const cols[] = {"staff_role", "arrs_role"};
    const struct pccs_refdata *f;
    int rc = pccs_refdata_load_cols("maps/arrs_roles.csv", cols, PCCS_LEN(cols),
                                    &f, err);
    for (size_t k = 1; !rc && k < f->nrecords; k++) {
        const struct pccs_str *fl = f->records[k].fields;
        struct pccs_hmap_entry *e =
            pccs_hmap_put(&c->map, fl[0].p, fl[0].len, NULL);
        e->ptr = pccs_xstrndup(fl[1].p, fl[1].len);
    }
    return rc;
}

static void
add_row(struct arrs_ctx *c, int g, const char *role, double fte)
{
    char key[200];
    int kl = snprintf(key, sizeof(key), "%d\x1f%s", g, role);
    bool created;
    struct pccs_hmap_entry *e =
        pccs_hmap_put(&c->rows, key, (size_t)kl, &created);
    if (created) {
        if (c->n == c->cap) {
            c->cap = c->cap ? c->cap * 2 : 512;
            c->org = pccs_xreallocarray(c->org, c->cap, sizeof(*c->org));
            c->role = pccs_xreallocarray(c->role, c->cap, sizeof(*c->role));
            c->fte = pccs_xreallocarray(c->fte, c->cap, sizeof(*c->fte));
        }
        c->org[c->n] = g;
        c->role[c->n] = e->key + e->klen - strlen(role);
        c->fte[c->n] = 0;
        e->ival = (int64_t)++c->n;
    }
    c->fte[e->ival - 1] += fte;
}

static int
fact_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct arrs_ctx *c = ctx;
    /* dim: "Data_source|STAFF_GROUP|STAFF_ROLE|DETAILED_STAFF_ROLE" */
    const char *a = strchr(f->dim, '|');
    const char *b = a ? strchr(a + 1, '|') : NULL;
    const char *d = b ? strchr(b + 1, '|') : NULL;
    if (!d)
        return 0;
    struct pccs_hmap_entry *m =
        pccs_hmap_get(&c->map, b + 1, (size_t)(d - b - 1));
    if (!m)
        return 0;
    int pcn = pccs_tree_find(c->t, f->org);
    if (pcn < 0)
        return 0;
    if (!pccs_build_within(c->t, pcn, c->in_org, c->at, 0))
        return 0;
    int g = pccs_tree_ancestor(c->t, pcn, c->level, c->at, 0);
    if (g < 0)
        return 0;
    add_row(c, g, m->ptr, f->value);
    c->source = f->source_id;
    return 0;
}

static void
free_map(void *ctx, struct pccs_hmap_entry *e)
{
    (void)ctx;
    free(e->ptr);
}

struct row_order {
    const char *code, *role;
    size_t i;
};

static int
cmp_order(const void *a, const void *b)
{
    const struct row_order *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    if (c)
        return c;
    /* The total row last within its organisation. */
    bool xt = strcmp(x->role, TOTAL_ROLE) == 0;
    bool yt = strcmp(y->role, TOTAL_ROLE) == 0;
    if (xt != yt)
        return xt ? 1 : -1;
    return strcmp(x->role, y->role);
}

/* The level, the year and --in of the query. */
static int
check_query(const struct pccs_tree *t, const struct pccs_table_query *q,
            struct arrs_ctx *c, int *fy, struct pccs_err *err)
{
    c->level = q->level == PCCS_LEVEL_NONE ? PCCS_PCN : q->level;
    if (c->level < PCCS_PCN)
        return pccs_err_set(err, PCCS_EINVAL,
                            "ARRS is a PCN's: --level must be pcn or above");
    if (!q->period || pccs_fy_parse(pccs_str_from(q->period), fy))
        return pccs_err_set(err, PCCS_EINVAL, "give the year: --year 2023-24");
    return pccs_build_in(t, q->in, &c->in_org, err);
}

/* The FTE in post by ARRS role from the census of the year (cp). */
static int
gather_fte(struct pccs_store *st, struct arrs_ctx *c, struct pccs_rates *rates,
           int fy, struct pccs_period_pick *cp, struct pccs_err *err)
{
    int rc = load_map(c, err);
    if (!rc)
        rc = pccs_rates_load_default(rates, err);
    if (!rc)
        rc = pccs_period_census(st, "workforce_fte", fy, cp, err);
    if (rc)
        return rc;
    if (!cp->found)
        return pccs_err_set(err, PCCS_ENOTFOUND,
                            "no PCN workforce census loaded within or before "
                            "%s: load a PCN workforce file of that year",
                            cp->wanted);
    pccs_date_parse(pccs_str_from(cp->period), &c->at);
    return pccs_store_facts_each(st, "workforce_fte", cp->period, NULL, fact_cb,
                                 c, err);
}

/*
 * The ARRS sum: the entitlements' arrs line for each PCN (one
 * computation: the DES weighted population of the year x the year's
 * rate, or the PCN's share of the national sum), summed by this table's
 * membership into sum (norgs + 1). False when a PCN's is unknown.
 */
static bool
arrs_sums(const struct pccs_tree *t, const struct arrs_ctx *c,
          const struct pccs_ent_year *ey, double *sum)
{
    int line = pccs_ent_year_line(ey, "arrs");
    if (line < 0 || !ey->npcns)
        return false;
    for (size_t i = 0; i < ey->npcns; i++) {
        const struct pccs_ent_value *v = &ey->pcns[i].v[line];
        if (!v->applies || !v->known)
            return false;
        int g = pccs_tree_ancestor(t, ey->pcns[i].row->org, c->level, c->at, 0);
        if (g >= 0 && !isnan(v->value))
            sum[g] += v->value;
    }
    return true;
}

/* Roles priced at the year's maximum; totals per organisation. */
struct priced {
    double *cost;      /* per organisation */
    double *unpriced;  /* FTE without a known maximum, per organisation */
    double *role_cost; /* per role row; NaN: no known maximum */
    size_t nroles;     /* rows before the total rows */
};

static void
price_roles(struct arrs_ctx *c, const struct pccs_rates *rates, int fy,
            size_t no, struct priced *p)
{
    p->cost = pccs_xcalloc(no, sizeof(*p->cost));
    p->unpriced = pccs_xcalloc(no, sizeof(*p->unpriced));
    p->nroles = c->n;
    p->role_cost = pccs_xcalloc(c->n + 1, sizeof(*p->role_cost));
    for (size_t i = 0; i < p->nroles; i++) {
        char item[96];
        snprintf(item, sizeof(item), "arrs_max_%s", c->role[i]);
        const struct pccs_rate *r = pccs_rates_get(rates, item, fy);
        if (r && r->known) {
            p->role_cost[i] = pccs_arrs_cost(c->fte[i], r->value);
            p->cost[c->org[i]] += p->role_cost[i];
        }
        else {
            p->role_cost[i] = NAN;
            p->unpriced[c->org[i]] += c->fte[i];
        }
    }
    for (size_t i = 0; i < p->nroles; i++)
        add_row(c, c->org[i], TOTAL_ROLE, c->fte[i]);
}

static void
priced_release(struct priced *p)
{
    PCCS_FREE(p->cost, p->unpriced, p->role_cost);
}

static void
emit_cols(struct pccs_table *out)
{
    static const struct pccs_build_col cols[] = {
        PCCS_BUILD_ORG_COLS,
        PCCS_BUILD_TEXT("arrs_role"),
        PCCS_BUILD_NUM("fte", 2),
        PCCS_BUILD_NUM("max_per_wte", 0),
        PCCS_BUILD_NUM("cost_in_post", 2),
        PCCS_BUILD_NUM("unpriced_fte", 2),
        PCCS_BUILD_NUM("arrs_sum", 2),
        PCCS_BUILD_NUM("share_pct", 1),
        PCCS_BUILD_TEXT("census"),
        PCCS_BUILD_TEXT("year"),
    };
    PCCS_BUILD_COLS(out, cols);
}

/* The figures of row i, from max_per_wte to share_pct. */
static void
emit_figures(struct pccs_table *out, const struct arrs_ctx *c,
             const struct priced *p, const double *sum, bool have_sum, size_t i)
{
    int g = c->org[i];
    if (i >= p->nroles) { /* the organisation's total */
        pccs_table_null(out);
        pccs_table_num(out, p->cost[g]);
        pccs_table_num(out, p->unpriced[g]);
        pccs_table_num(out, have_sum ? sum[g] : NAN);
        pccs_table_num(out, have_sum ? pccs_arrs_share_pct(p->cost[g], sum[g])
                                     : NAN);
        return;
    }
    double v = p->role_cost[i];
    pccs_table_num(out, pccs_arrs_per_wte(v, c->fte[i]));
    pccs_table_num(out, v);
    pccs_table_num(out, isnan(v) ? c->fte[i] : 0);
    pccs_table_null(out);
    pccs_table_null(out);
}

static void
emit_rows(struct pccs_table *out, const struct pccs_tree *t,
          const struct arrs_ctx *c, const struct priced *p, const double *sum,
          bool have_sum, const char *census, const char *fyname)
{
    struct row_order *order = pccs_xcalloc(c->n + 1, sizeof(*order));
    for (size_t i = 0; i < c->n; i++)
        order[i] = (struct row_order){
            .code = t->orgs[c->org[i]].code, .role = c->role[i], .i = i};
    qsort(order, c->n, sizeof(*order), cmp_order);
    for (size_t k = 0; k < c->n; k++) {
        size_t i = order[k].i;
        int g = c->org[i];
        pccs_build_org_row(out, t, g, pccs_tree_up(t, g, c->at, 0), c->at);
        pccs_table_text(out, c->role[i]);
        pccs_table_num(out, c->fte[i]);
        emit_figures(out, c, p, sum, have_sum, i);
        pccs_table_text(out, census);
        pccs_table_text(out, fyname);
    }
    free(order);
}

/* The ARRS sum's own notes, as the entitlements table gives them. */
static void
ent_notes(struct pccs_table *out, const struct pccs_ent_year *ey)
{
    struct pccs_table all;
    pccs_table_init(&all, "entitlements");
    pccs_ent_year_notes(ey, &all);
    for (size_t i = 0; i < all.nnotes; i++) {
        const char *n = all.notes[i];
        if (strncmp(n, "arrs ", 5) == 0 || strncmp(n, "arrs:", 5) == 0 ||
            strncmp(n, "arrs_per", 8) == 0 ||
            strncmp(n, "arrs_national", 13) == 0 ||
            strncmp(n, "registered:", 11) == 0 ||
            strncmp(n, "weighted", 8) == 0 ||
            strncmp(n, "populations for", 15) == 0)
            pccs_table_note(out, "%s", n);
    }
    pccs_table_release(&all);
}

static void
emit_notes(struct pccs_table *out, const struct pccs_period_pick *cp,
           const struct pccs_rates *rates, int fy,
           const struct pccs_ent_year *ey, bool have_ey, bool have_sum)
{
    char fyname[8];
    pccs_fy_format(fy, fyname);
    pccs_table_note(out,
                    "FTE in post: PCN workforce census %s, the census "
                    "within %s nearest its middle (staff roles mapped to "
                    "ARRS roles by data/maps/arrs_roles.csv)",
                    cp->period, fyname);
    if (cp->note[0])
        pccs_table_note(out, "census: %s", cp->note);
    for (size_t i = 0; i < rates->n; i++) {
        const struct pccs_rate *r = &rates->r[i];
        if (r->year == fy && strncmp(r->item, "arrs_max_", 9) == 0)
            pccs_table_note(out, "%s %s: %g %s; source: %s [%s]", r->item,
                            fyname, r->value, r->unit, r->source,
                            r->confidence);
    }
    if (have_ey)
        ent_notes(out, ey);
    if (have_sum)
        pccs_table_note(out,
                        "arrs_sum: the arrs line of the entitlements "
                        "table for %s, PCN by PCN",
                        fyname);
    else
        pccs_table_note(out,
                        "arrs_sum: rate unknown for %s, or no weighted "
                        "population loaded (table entitlements --year %s "
                        "says which)",
                        fyname, fyname);
    pccs_table_note(out, "cost_in_post prices only roles with a known "
                         "maximum for the year; the rest are unpriced_fte, so "
                         "share_pct is a lower bound");
}

static void
ctx_release(struct arrs_ctx *c)
{
    free(c->role);
    free(c->org);
    free(c->fte);
    pccs_hmap_each(&c->map, free_map, NULL);
    pccs_hmap_release(&c->map);
    pccs_hmap_release(&c->rows);
}

int
pccs_arrs_table(struct pccs_store *st, const struct pccs_tree *t,
                const struct pccs_table_query *q, struct pccs_table *out,
                struct pccs_err *err)
{
    struct arrs_ctx c = {.t = t, .in_org = -1};
    struct pccs_rates rates = PCCS_RATES_INIT;
    struct pccs_period_pick cp;
    int fy;
    pccs_table_init(out, "arrs");
    int rc = check_query(t, q, &c, &fy, err);
    if (!rc)
        rc = gather_fte(st, &c, &rates, fy, &cp, err);
    if (!rc) {
        char fyname[8];
        pccs_fy_format(fy, fyname);
        struct pccs_ent_year ey;
        bool have_ey = pccs_ent_year_load(st, t, NULL, fy, &ey, err) == PCCS_OK;
        pccs_err_clear(err);
        size_t no = t->norgs + 1;
        double *sum = pccs_xcalloc(no, sizeof(*sum));
        bool have_sum = have_ey && arrs_sums(t, &c, &ey, sum);
        struct priced p;
        price_roles(&c, &rates, fy, no, &p);
        emit_cols(out);
        emit_rows(out, t, &c, &p, sum, have_sum, cp.period, fyname);
        emit_notes(out, &cp, &rates, fy, &ey, have_ey, have_sum);
        priced_release(&p);
        free(sum);
        pccs_ent_year_release(&ey);
    }
    ctx_release(&c);
    pccs_rates_release(&rates);
    return rc;
}
