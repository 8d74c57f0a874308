/* SPDX-License-Identifier: MIT */
/* The committee paper's figures, gathered for report/committee.c. */
#include "model/paper.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "calc/ratio.h"
#include "calc/resilience.h"
#include "model/entitlements.h"
#include "model/period.h"
#include "model/query.h"
#include "model/rates.h"
#include "model/tables.h"

const char *const pccs_paper_spc_metrics[PCCS_PAPER_NSPC] = {
    "appointments_per_1000", "dna_pct"};
const char *const pccs_paper_wf_metrics[PCCS_PAPER_NWF] = {
    "pcn_workforce_fte", "pcn_fte_direct_patient_care"};

/* Build table name for the paper's part, or keep why it cannot be. */
static void
run_part(struct pccs_paper *p, struct pccs_store *st, const struct pccs_tree *t,
         const struct pccs_paper_options *o, enum pccs_paper_part part,
         const char *name, enum pccs_level level, const char *period)
{
    struct pccs_paper_table *pt = &p->part[part];
    struct pccs_table_query q = {.level = level,
                                 .in = p->in,
                                 .at = PCCS_DAY_NONE,
                                 .period = period,
                                 .include_synthetic = o->include_synthetic};
    struct pccs_err err = PCCS_ERR_INIT;
    memset(&pt->t, 0, sizeof(pt->t));
    pt->asked = true;
    snprintf(pt->name, sizeof(pt->name), "%s", name);
    int n = level == PCCS_LEVEL_NONE
                ? snprintf(pt->args, sizeof(pt->args), "--in %s", p->in)
                : snprintf(pt->args, sizeof(pt->args), "--level %s --in %s",
                           pccs_level_name(level), p->in);
    if (period && n > 0 && (size_t)n < sizeof(pt->args))
        n += snprintf(pt->args + n, sizeof(pt->args) - (size_t)n, " %s %s",
                      strchr(period, '-') && strlen(period) == 7 ? "--year"
                                                                 : "--period",
                      period);
    if (o->include_synthetic && n > 0 && (size_t)n < sizeof(pt->args))
        snprintf(pt->args + n, sizeof(pt->args) - (size_t)n,
                 " --include-synthetic");
    int rc = pccs_table_run(pccs_table_def_find(name), st, t, &q, &pt->t, &err);
    pt->ok = rc == PCCS_OK;
    if (!pt->ok) {
        snprintf(pt->why, sizeof(pt->why), "%s", err.msg);
        pccs_table_release(&pt->t);
    }
}

static int
source_cb(void *ctx, const struct pccs_source_info *s)
{
    struct pccs_paper *p = ctx;
    p->sources =
        pccs_xreallocarray(p->sources, p->nsources + 1, sizeof(*p->sources));
    struct pccs_paper_source *ps = &p->sources[p->nsources++];
    ps->id = s->id;
    bool example = s->provenance && !strcmp(s->provenance, PCCS_PROV_EXAMPLE);
    p->nsynthetic += s->provenance && !example;
    p->nexample += example;
    ps->title = pccs_xstrdup(s->publication ? s->publication : s->kind);
    ps->mark = s->provenance ? pccs_xstrdup(pccs_source_mark(s)) : NULL;
    ps->example = example;
    ps->period = pccs_xstrdup(s->period ? s->period : "");
    ps->rows = s->rows_loaded;
    const char *base = s->path ? strrchr(s->path, '/') : NULL;
    ps->file = pccs_xstrdup(base ? base + 1 : s->path ? s->path : "");
    return 0;
}

/*
 * The organisation's name as at the paper's year (its last day), else as
 * at the latest data: a 2020-21 paper names a CCG as it was then.
 */
static const char *
paper_name(const struct pccs_tree *t, int org, const char *year,
           const char *code)
{
    int fy;
    pccs_day at = year && !pccs_fy_parse(pccs_str_from(year), &fy)
                      ? pccs_fy_start(fy + 1) - 1
                      : pccs_tree_default_day(t);
    const char *name = pccs_tree_name(t, org, at);
    return *name ? name : code;
}

/* The organisation's registered list on a snapshot (populations). */
static double
registered_on(struct pccs_paper *p, struct pccs_store *st,
              const struct pccs_tree *t, const char *day)
{
    struct pccs_table_query q = {
        .level = p->level, .in = p->in, .at = PCCS_DAY_NONE, .period = day};
    struct pccs_table tab;
    struct pccs_err err = PCCS_ERR_INIT;
    memset(&tab, 0, sizeof(tab));
    double v = NAN;
    if (!pccs_table_run(pccs_table_def_find("populations"), st, t, &q, &tab,
                        &err)) {
        int c = pccs_table_col_index(&tab, "registered");
        for (size_t i = 0; c >= 0 && i < tab.nrows; i++) {
            const struct pccs_cell *code = pccs_table_cell(&tab, i, 0);
            if (code->text && !strcmp(code->text, p->in))
                v = pccs_table_cell(&tab, i, (size_t)c)->num;
        }
    }
    pccs_table_release(&tab);
    return v;
}

/* Growth of the registered list over the 12 months to the latest
 * snapshot (model/period.h: the snapshot nearest 365 days before it). */
static void
gather_growth(struct pccs_paper *p, struct pccs_store *st,
              const struct pccs_tree *t)
{
    struct pccs_paper_growth *g = &p->growth;
    struct pccs_period_pick lp, pp;
    struct pccs_err err = PCCS_ERR_INIT;
    memset(&pp, 0, sizeof(pp));
    pccs_day last = PCCS_DAY_NONE, prev = PCCS_DAY_NONE;
    if (pccs_period_latest(st, "registered", &lp, &err) == PCCS_OK &&
        lp.found) {
        g->nsnaps = 1;
        pccs_date_parse(pccs_str_from(lp.period), &last);
        if (pccs_period_year_earlier(st, "registered", last, &pp, &err) ==
                PCCS_OK &&
            pp.found)
            pccs_date_parse(pccs_str_from(pp.period), &prev);
    }
    if (prev == PCCS_DAY_NONE)
        return;
    g->found = true;
    pccs_date_format(prev, g->before);
    pccs_date_format(last, g->now);
    snprintf(g->note, sizeof(g->note), "%s", pp.note);
    double v[3] = {registered_on(p, st, t, g->before),
                   registered_on(p, st, t, g->now), 0};
    v[2] = pccs_res_change_pct(v[1], v[0]);
    pccs_table_init(&g->t, "growth");
    pccs_table_cols(&g->t, "before:0 now:0 growth:2");
    pccs_table_row(&g->t);
    for (int i = 0; i < 3; i++)
        pccs_table_num(&g->t, v[i]);
}

/* The organisation's rows of table c: the first and the last. */
static bool
org_rows(const struct pccs_table *c, const char *org, size_t *first,
         size_t *last)
{
    bool any = false;
    for (size_t i = 0; i < c->nrows; i++) {
        const struct pccs_cell *code = pccs_table_cell(c, i, 0);
        if (!code->text || strcmp(code->text, org) != 0)
            continue;
        if (!any)
            *first = i;
        *last = i;
        any = true;
    }
    return any;
}

static double
num_of(const struct pccs_table *c, size_t row, const char *col)
{
    int k = pccs_table_col_index(c, col);
    const struct pccs_cell *x =
        k >= 0 ? pccs_table_cell(c, row, (size_t)k) : NULL;
    return x && !x->null ? x->num : NAN;
}

static const char *
text_of(const struct pccs_table *c, size_t row, const char *col)
{
    int k = pccs_table_col_index(c, col);
    const struct pccs_cell *x =
        k >= 0 ? pccs_table_cell(c, row, (size_t)k) : NULL;
    return x && x->text ? x->text : "";
}

/*
 * Section 3: appointments against the list from the first to the latest
 * month of the capacity table. Each month's list is its own snapshot's or
 * the nearest earlier (list_at); the same snapshot at both ends is no
 * list growth (left empty, not 0).
 */
static void
gather_cap_growth(struct pccs_paper *p)
{
    const struct pccs_paper_table *pt = &p->part[PCCS_PAPER_CAPACITY];
    size_t a = 0, b = 0;
    if (!pt->ok || !org_rows(&pt->t, p->in, &a, &b) || a == b)
        return;
    const struct pccs_table *c = &pt->t;
    static const struct {
        const char *what, *period, *col;
        int decimals;
    } rows[] = {{"appointments", "month", "appointments", 0},
                {"registered", "list_at", "registered", 0},
                {"per_1000", "month", "per_1000", 2}};
    struct pccs_table *g = &p->cap_growth;
    pccs_table_init(g, "capacity-growth");
    pccs_table_cols(g, "what from to before:2 now:2 change_pct:2");
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const char *f = text_of(c, a, rows[i].period);
        const char *t = text_of(c, b, rows[i].period);
        double v0 = num_of(c, a, rows[i].col), v1 = num_of(c, b, rows[i].col);
        pccs_table_row(g);
        pccs_table_text(g, rows[i].what);
        pccs_table_text(g, f);
        pccs_table_text(g, t);
        pccs_table_num(g, v0);
        pccs_table_num(g, v1);
        pccs_table_num(g, strcmp(f, t) ? pccs_growth_pct(v1, v0) : NAN);
    }
    p->cap_growth_ok = true;
}

/* FTE by direct patient care role at one census (workforce --group). */
static bool
roles_at(struct pccs_paper *p, struct pccs_store *st, const struct pccs_tree *t,
         const char *census, struct pccs_table *out)
{
    struct pccs_table_query q = {.level = p->level,
                                 .in = p->in,
                                 .at = PCCS_DAY_NONE,
                                 .period = census,
                                 .group = "Other Direct Patient Care staff"};
    struct pccs_err err = PCCS_ERR_INIT;
    memset(out, 0, sizeof(*out));
    return pccs_table_run(pccs_table_def_find("workforce"), st, t, &q, out,
                          &err) == PCCS_OK;
}

/* Each role's FTE at the first and the latest census, and the change. */
static void
role_rows(struct pccs_paper *p, const struct pccs_table *a,
          const struct pccs_table *b)
{
    struct pccs_table *g = &p->wf_roles;
    pccs_table_init(g, "workforce-roles");
    pccs_table_cols(
        g, "staff_role fte_first:2 fte_latest:2 change:2 change_pct:2");
    for (size_t j = 0; j < b->nrows; j++) {
        const char *code = pccs_table_cell(b, j, 0)->text;
        if (!code || strcmp(code, p->in) != 0)
            continue;
        const char *role = text_of(b, j, "staff_role");
        double v0 = 0, v1 = num_of(b, j, "fte");
        for (size_t i = 0; i < a->nrows; i++) {
            const char *ac = pccs_table_cell(a, i, 0)->text;
            if (ac && !strcmp(ac, p->in) &&
                !strcmp(text_of(a, i, "staff_role"), role))
                v0 = num_of(a, i, "fte");
        }
        pccs_table_row(g);
        pccs_table_text(g, role);
        pccs_table_num(g, v0);
        pccs_table_num(g, v1);
        pccs_table_num(g, pccs_change(v1, v0));
        pccs_table_num(g, pccs_growth_pct(v1, v0));
    }
    p->wf_roles_ok = g->nrows > 0;
}

/* Section 5: the PCN workforce series, and its roles first and latest. */
static void
gather_wf_series(struct pccs_paper *p, struct pccs_store *st,
                 const struct pccs_tree *t)
{
    for (size_t i = 0; i < PCCS_PAPER_NWF; i++) {
        struct pccs_err err = PCCS_ERR_INIT;
        p->wf_ok[i] =
            !pccs_spc_run_metric(&p->wf[i], st, t, pccs_paper_wf_metrics[i],
                                 p->in, &err) &&
            !pccs_spc_run_compute(&p->wf[i], NULL, "", &err);
    }
    const struct pccs_series *s = &p->wf[1].s;
    if (!p->wf_ok[1] || s->n < 2)
        return;
    struct pccs_table a, b;
    memset(&b, 0, sizeof(b));
    if (roles_at(p, st, t, s->date[0], &a) &&
        roles_at(p, st, t, s->date[s->n - 1], &b))
        role_rows(p, &a, &b);
    pccs_table_release(&a);
    pccs_table_release(&b);
}

/* Why a line of the year has the area's amount v, or has none. */
static void
line_basis(const struct pccs_ent_line_info *l, const struct pccs_cell *v,
           char *why, size_t n)
{
    if (!l->applies)
        snprintf(why, n, "%s", l->reason);
    else if (!l->known)
        snprintf(why, n, "rate unknown: %s", l->reason);
    else if (!v || v->null)
        snprintf(why, n, "%s; not computed: %s", l->basis,
                 l->r.per[PCCS_ENT_BED].present ? "care home beds not loaded"
                                                : "no population loaded");
    else
        snprintf(why, n, "%s%s", l->basis, l->derived ? " (derived)" : "");
}

/* Every DES line of the year with the area's amount, or why there is
 * none; and the lines paid that year, for the table by PCN. */
static void
build_lines(struct pccs_paper *p, const struct pccs_ent_lines *ls)
{
    const struct pccs_paper_table *area = &p->part[PCCS_PAPER_ENT_AREA];
    bool have_area = area->asked && area->ok;
    struct pccs_table *lt = &p->lines;
    pccs_table_init(lt, "lines");
    pccs_table_cols(lt, "line paid_to amount:0 basis");
    for (size_t i = 0; i < ls->n; i++) {
        const struct pccs_ent_line_info *l = &ls->l[i];
        int c = have_area ? pccs_table_col_index(&area->t, l->name) : -1;
        const struct pccs_cell *v =
            c >= 0 && area->t.nrows ? pccs_table_cell(&area->t, 0, (size_t)c)
                                    : NULL;
        pccs_table_row(lt);
        pccs_table_text(lt, l->label);
        pccs_table_text(lt, l->practices ? "practices (not in the PCN total)"
                                         : "PCN");
        if (v && !v->null)
            pccs_table_num(lt, v->num);
        else
            pccs_table_null(lt);
        char why[400];
        line_basis(l, v, why, sizeof(why));
        pccs_table_text(lt, why);
    }
    for (size_t i = 0; i < ls->n && p->nline_cols < 27; i++)
        if (ls->l[i].applies)
            snprintf(p->line_cols[p->nline_cols++], sizeof(p->line_cols[0]),
                     "%s=%s", ls->l[i].name, ls->l[i].label);
}

/* The entitlements by PCN, and with them the lines of the year. */
static void
gather_entitlements(struct pccs_paper *p, struct pccs_store *st,
                    const struct pccs_tree *t,
                    const struct pccs_paper_options *o)
{
    run_part(p, st, t, o, PCCS_PAPER_ENT_PCN, "entitlements", PCCS_PCN,
             p->year);
    if (!p->part[PCCS_PAPER_ENT_PCN].ok)
        return;
    struct pccs_rates rates = PCCS_RATES_INIT;
    struct pccs_ent_lines ls = {NULL, 0};
    struct pccs_err err = PCCS_ERR_INIT;
    int fy;
    p->lines_ok = p->year && !pccs_fy_parse(pccs_str_from(p->year), &fy) &&
                  !pccs_rates_load_default(&rates, &err) &&
                  !pccs_ent_lines_load(&ls, &rates, fy, &err);
    if (p->lines_ok && p->level >= PCCS_PCN)
        run_part(p, st, t, o, PCCS_PAPER_ENT_AREA, "entitlements", p->level,
                 p->year);
    /* The year before, at the same level: "against last year". */
    if (p->lines_ok && p->level >= PCCS_PCN) {
        pccs_fy_format(fy - 1, p->prev_year);
        run_part(p, st, t, o, PCCS_PAPER_ENT_AREA_PREV, "entitlements",
                 p->level, p->prev_year);
    }
    if (p->lines_ok)
        build_lines(p, &ls);
    pccs_ent_lines_release(&ls);
    pccs_rates_release(&rates);
}

/* Sections 2 and 3: population, capacity and its SPC runs. */
static void
gather_population(struct pccs_paper *p, struct pccs_store *st,
                  const struct pccs_tree *t, const struct pccs_paper_options *o)
{
    run_part(p, st, t, o, PCCS_PAPER_POP, "populations", p->level, NULL);
    gather_growth(p, st, t);
    if (p->level > PCCS_PCN)
        run_part(p, st, t, o, PCCS_PAPER_POP_PCN, "populations", PCCS_PCN,
                 NULL);
    if (p->part[PCCS_PAPER_POP_PCN].ok)
        run_part(p, st, t, o, PCCS_PAPER_POP_PRACTICE, "populations",
                 PCCS_PRACTICE, NULL);
    run_part(p, st, t, o, PCCS_PAPER_AGE, "age-bands", p->level, NULL);
    run_part(p, st, t, o, PCCS_PAPER_CAPACITY, "capacity", p->level, NULL);
    run_part(p, st, t, o, PCCS_PAPER_LIST_GROWTH, "list-growth", p->level,
             NULL);
    gather_cap_growth(p);
    for (size_t i = 0; p->part[PCCS_PAPER_CAPACITY].ok && i < PCCS_PAPER_NSPC;
         i++) {
        struct pccs_err err = PCCS_ERR_INIT;
        p->spc_ok[i] =
            !pccs_spc_run_metric(&p->spc[i], st, t, pccs_paper_spc_metrics[i],
                                 p->in, &err) &&
            !pccs_spc_run_compute(&p->spc[i], NULL, "", &err);
    }
}

/* Sections 4 to 9: entitlements, workforce, QOF, payments, resilience
 * and the local registers. */
static void
gather_rest(struct pccs_paper *p, struct pccs_store *st,
            const struct pccs_tree *t, const struct pccs_paper_options *o)
{
    gather_entitlements(p, st, t, o);
    run_part(p, st, t, o, PCCS_PAPER_ARRS, "arrs", PCCS_PCN, p->year);
    run_part(p, st, t, o, PCCS_PAPER_WORKFORCE, "workforce", p->level, NULL);
    gather_wf_series(p, st, t);
    if (p->level > PCCS_PCN)
        run_part(p, st, t, o, PCCS_PAPER_WORKFORCE_PCN, "workforce", PCCS_PCN,
                 NULL);
    run_part(p, st, t, o, PCCS_PAPER_QOF, "qof-prevalence", p->level, NULL);
    run_part(p, st, t, o, PCCS_PAPER_PAYMENTS, "payments",
             p->level > PCCS_PCN ? PCCS_PCN : PCCS_PRACTICE, p->year);
    run_part(p, st, t, o, PCCS_PAPER_PAYMENTS_PRACTICE, "payments",
             PCCS_PRACTICE, p->year);
    run_part(p, st, t, o, PCCS_PAPER_RESILIENCE, "resilience", PCCS_PRACTICE,
             p->year);
    static const char *const regs[] = {"programme-status", "risks",
                                       "estates",          "budget",
                                       "list-closures",    "visits"};
    for (size_t i = 0; i < 6; i++)
        run_part(p, st, t, o, PCCS_PAPER_PROGRAMMES + i, regs[i],
                 strcmp(regs[i], "visits") ? PCCS_LEVEL_NONE : PCCS_PRACTICE,
                 NULL);
}

/*
 * Is anything loaded for the financial year? The year's sections are
 * payments and entitlements: one of them must have figures, else the
 * paper would be a cover with "financial year 1999-00" over nothing.
 */
static int
year_loaded(struct pccs_store *st, const struct pccs_tree *tree, const char *in,
            const char *year, struct pccs_err *err)
{
    static const struct {
        const char *table;
        enum pccs_level level;
    } year_tables[] = {{"payments", PCCS_PRACTICE}, {"entitlements", PCCS_PCN}};
    char why[2][320];
    for (size_t i = 0; i < 2; i++) {
        const struct pccs_table_def *def =
            pccs_table_def_find(year_tables[i].table);
        struct pccs_table_query q = {.level = year_tables[i].level,
                                     .in = in,
                                     .at = PCCS_DAY_NONE,
                                     .period = year};
        struct pccs_table t;
        struct pccs_err e = PCCS_ERR_INIT;
        memset(&t, 0, sizeof(t));
        int rc = pccs_table_run(def, st, tree, &q, &t, &e);
        int tc = rc ? -1 : pccs_table_col_index(&t, "total_known");
        bool some = false;
        for (size_t r = 0; !rc && r < t.nrows && !some; r++) {
            const struct pccs_cell *c =
                tc >= 0 ? pccs_table_cell(&t, r, (size_t)tc) : NULL;
            some = tc < 0 || (!c->null && c->num > 0);
        }
        pccs_table_release(&t);
        if (some)
            return PCCS_OK;
        if (rc == PCCS_ENOTFOUND || rc == PCCS_EINVAL || !rc)
            snprintf(why[i], sizeof(why[i]), "%.300s",
                     rc ? e.msg
                        : "no row with a figure (no rate known for the "
                          "year)");
        else
            return pccs_err_set(err, rc, "%s", e.msg);
    }
    return pccs_err_set(err, PCCS_ENOTFOUND,
                        "nothing loaded for financial year %s: payments: "
                        "%s; entitlements: %s",
                        year, why[0], why[1]);
}

/* The paper's year: o->year checked, else the latest payments year (or
 * none when no payments file is loaded). */
static int
paper_year(struct pccs_paper *p, struct pccs_store *st,
           const struct pccs_tree *t, const char *year, struct pccs_err *err)
{
    int fy;
    if (year && pccs_fy_parse(pccs_str_from(year), &fy))
        return pccs_err_set(err, PCCS_EINVAL,
                            "year %s: expected a financial year such as "
                            "2022-23",
                            year);
    if (year)
        snprintf(p->year_buf, sizeof(p->year_buf), "%s", year);
    else {
        int rc = pccs_latest_payments_year(st, p->year_buf, err);
        if (rc)
            return rc;
    }
    p->year = p->year_buf[0] ? p->year_buf : NULL;
    return p->year ? year_loaded(st, t, p->in, p->year, err) : PCCS_OK;
}

int
pccs_paper_gather(struct pccs_store *st, const struct pccs_tree *t,
                  const struct pccs_paper_options *o, struct pccs_paper *out,
                  struct pccs_err *err)
{
    memset(out, 0, sizeof(*out));
    int org = pccs_query_org(t, "", o->in, err);
    if (org < 0)
        return org;
    out->in = t->orgs[org].code;
    if (t->orgs[org].level <= PCCS_PRACTICE)
        return pccs_err_set(err, PCCS_EINVAL,
                            "%s is a practice: the report is for an "
                            "organisation with children (a PCN or above)",
                            out->in);
    int rc = paper_year(out, st, t, o->year, err);
    if (rc)
        return rc;
    out->org = org;
    out->level = t->orgs[org].level;
    out->name = paper_name(t, org, out->year, out->in);
    struct pccs_err serr = PCCS_ERR_INIT;
    pccs_store_sources_each(st, source_cb, out, &serr);
    gather_population(out, st, t, o);
    gather_rest(out, st, t, o);
    return PCCS_OK;
}

void
pccs_paper_release(struct pccs_paper *p)
{
    for (size_t i = 0; i < p->nsources; i++) {
        free(p->sources[i].title);
        free(p->sources[i].mark);
        free(p->sources[i].period);
        free(p->sources[i].file);
    }
    free(p->sources);
    for (size_t i = 0; i < PCCS_PAPER_NPARTS; i++)
        pccs_table_release(&p->part[i].t);
    pccs_table_release(&p->growth.t);
    for (size_t i = 0; i < PCCS_PAPER_NSPC; i++)
        pccs_spc_run_release(&p->spc[i]);
    pccs_table_release(&p->cap_growth);
    pccs_table_release(&p->wf_roles);
    for (size_t i = 0; i < PCCS_PAPER_NWF; i++)
        pccs_spc_run_release(&p->wf[i]);
    pccs_table_release(&p->lines);
    memset(p, 0, sizeof(*p));
}
