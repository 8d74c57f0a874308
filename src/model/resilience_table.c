/* SPDX-License-Identifier: MIT */
/*
 * The resilience table: a profile of every practice with a red, amber or
 * green rating per indicator, an overall rating and the reasons, from the
 * rules in data/rules/resilience.csv (indicator, comparator, threshold,
 * RAG, source). The indicators are read from the other tables, so every
 * figure is the one `pccs table` prints:
 *   list_size              populations, the latest registrations snapshot
 *   list_change_12m_pct    populations, that snapshot against the one
 *                          12 months earlier (model/period.h: nearest
 *                          365 days back, within 330 to 400)
 *   gp_fte_per_10000       workforce, GP workforce publication, group GP
 *   payments_per_weighted  payments, total_per_weighted (latest year)
 *   qof_per_registered     payments, qof / registered
 *   dna_pct                capacity, the practice's latest month
 *   list_closures          local register (not loaded: no data)
 * Percentile comparators compare a practice with the practices of its own
 * ICB that have the indicator. An indicator with no data is "none" and
 * counts neither way.
 */
#include "model/tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "calc/resilience.h"
#include "model/build.h"
#include "model/period.h"
#include "model/refdata.h"

static const char *const ind_names[PCCS_RES_NIND] = {
    "list_size",          "list_change_12m_pct",
    "gp_fte_per_10000",   "payments_per_weighted",
    "qof_per_registered", "dna_pct",
    "list_closures"};

static const int ind_decimals[PCCS_RES_NIND] = {0, 2, 3, 2, 2, 2, 0};

/* One rule from a record of the rules file (path, for messages). */
static int
parse_rule(const struct pccs_refdata_record *rec, const char *path,
           struct pccs_res_rule *ru, struct pccs_err *err)
{
    static const char *const cmps[] = {
        "below_value",          "above_value",        "below_icb_percentile",
        "above_icb_percentile", "count_red_at_least", "count_amber_at_least"};
    static const char *const what[] = {
        "", "an indicator (list_size, ..., or overall)",
        "a comparator that fits the indicator (below_value, "
        "above_value, below_icb_percentile, above_icb_percentile; "
        "count_red_at_least or count_amber_at_least for overall)",
        "a number", "red or amber"};
    char f[4][64];
    if (rec->nfields != 5)
        return pccs_err_set(err, PCCS_EPARSE,
                            "%s:%lld:1: expected 5 fields (indicator, "
                            "comparator, threshold, rag, source), found %zu",
                            path, (long long)rec->line, rec->nfields);
    for (int i = 0; i < 4; i++)
        snprintf(f[i], sizeof(f[i]), "%.*s", (int)rec->fields[i].len,
                 rec->fields[i].p);
    *ru = (struct pccs_res_rule){
        .indicator = -1, .cmp = -1, .threshold = NAN, .rag = -1};
    for (int i = 0; i < PCCS_RES_NIND; i++)
        if (!strcmp(f[0], ind_names[i]))
            ru->indicator = i;
    if (!strcmp(f[0], "overall"))
        ru->indicator = PCCS_RES_OVERALL;
    for (int i = 0; i < (int)(sizeof(cmps) / sizeof(cmps[0])); i++)
        if (!strcmp(f[1], cmps[i]))
            ru->cmp = (enum pccs_res_cmp)i;
    char *end;
    ru->threshold = strtod(f[2], &end);
    if (!strcmp(f[3], "red"))
        ru->rag = PCCS_RAG_RED;
    else if (!strcmp(f[3], "amber"))
        ru->rag = PCCS_RAG_AMBER;
    int bad = ru->indicator == -1 ? 1
              : (int)ru->cmp == -1 || (ru->indicator == PCCS_RES_OVERALL) !=
                                          (ru->cmp >= PCCS_RES_COUNT_RED)
                  ? 2
              : !f[2][0] || *end   ? 3
              : (int)ru->rag == -1 ? 4
                                   : 0;
    if (bad)
        return pccs_err_set(err, PCCS_EPARSE,
                            "%s:%lld:%d: expected %s, found \"%s\"", path,
                            (long long)rec->line, bad, what[bad], f[bad - 1]);
    ru->source = pccs_xstrndup(rec->fields[4].p, rec->fields[4].len);
    return PCCS_OK;
}

/* The rules: $PCCS_RULES/resilience.csv, else data/rules/resilience.csv. */
static int
parse_rules(struct pccs_res_rules *rs, struct pccs_err *err)
{
    const struct pccs_refdata *f;
    int rc = pccs_refdata_load("rules/resilience.csv", &f, err);
    /* The header first. */
    for (size_t k = 1; !rc && k < f->nrecords; k++) {
        struct pccs_res_rule ru;
        rc = parse_rule(&f->records[k], f->path, &ru, err);
        if (!rc)
            pccs_res_rules_add(rs, &ru);
    }
    return rc;
}

struct prac {
    double v[PCCS_RES_NIND];
    int icb;
};

/* Run table name with q; on "not found" leave the indicator empty. */
static int
sub_table(struct pccs_store *st, const struct pccs_tree *t, const char *name,
          const struct pccs_table_query *q, struct pccs_table *sub, bool *have,
          struct pccs_table *out, const char *ind, struct pccs_err *err)
{
    memset(sub, 0, sizeof(*sub));
    int rc = pccs_table_run(pccs_table_def_find(name), st, t, q, sub, err);
    *have = rc == PCCS_OK;
    if (rc == PCCS_ENOTFOUND || rc == PCCS_EINVAL) {
        pccs_table_note(out, "%s: no data (%s)", ind, err->msg);
        pccs_err_clear(err);
        return PCCS_OK;
    }
    if (rc)
        return rc;
    /*
     * Generated figures must not rate a real practice: leave the
     * indicator out unless asked, and say so.
     */
    if ((sub->marks & PCCS_TABLE_SYNTHETIC) && !q->include_synthetic) {
        *have = false;
        pccs_table_note(out,
                        "%s: left out: it rests on synthetic (generated) "
                        "data, not published figures; --include-synthetic "
                        "rates with it",
                        ind);
        for (size_t i = 0; i < sub->nnotes; i++)
            if (!strncmp(sub->notes[i], "SYNTHETIC: ", 11))
                pccs_table_note(out, "%s (left out): %s", ind, sub->notes[i]);
        return PCCS_OK;
    }
    /* The rating rests on the sub-table's files (their marks follow). */
    for (size_t i = 0; i < sub->nsources; i++)
        pccs_table_source(out, sub->sources[i]);
    for (size_t i = 0; i < sub->nnotes; i++)
        if (!strstr(sub->notes[i], "Open Government Licence") &&
            strncmp(sub->notes[i], "SYNTHETIC: ", 11) &&
            strncmp(sub->notes[i], "EXAMPLE: ", 9))
            pccs_table_note(out, "%s: %s", ind, sub->notes[i]);
    return PCCS_OK;
}

/* The practice of row r of sub (cc: its "code" column), or -1. */
static int
row_org(const struct pccs_tree *t, const struct pccs_table *sub, int cc,
        size_t r)
{
    return cc < 0
               ? -1
               : pccs_tree_find(t, pccs_table_cell(sub, r, (size_t)cc)->text);
}

static bool
cell_is(const struct pccs_table *sub, size_t r, int c, const char *want)
{
    if (c < 0)
        return false;
    const struct pccs_cell *x = pccs_table_cell(sub, r, (size_t)c);
    return x->text && strcmp(x->text, want) == 0;
}

/* A column of a sub-table, on the rows whose filters (f1, f2: column
 * names, NULL for none) have their values (v1, v2). */
struct pick {
    const char *col, *f1, *v1, *f2, *v2;
};

/* Copy column pk->col of sub into p[].v[ind] by practice code. */
static void
take(const struct pccs_tree *t, const struct pccs_table *sub,
     const struct pick *pk, struct prac *p, int ind)
{
    int c = pccs_table_col_index(sub, pk->col);
    int c1 = pk->f1 ? pccs_table_col_index(sub, pk->f1) : -1;
    int c2 = pk->f2 ? pccs_table_col_index(sub, pk->f2) : -1;
    int cc = pccs_table_col_index(sub, "code");
    if (c < 0)
        return;
    for (size_t r = 0; r < sub->nrows; r++) {
        if ((pk->f1 && !cell_is(sub, r, c1, pk->v1)) ||
            (pk->f2 && !cell_is(sub, r, c2, pk->v2)))
            continue;
        int o = row_org(t, sub, cc, r);
        const struct pccs_cell *v = pccs_table_cell(sub, r, (size_t)c);
        if (o >= 0 && !v->null)
            p[o].v[ind] = v->num; /* later rows win: latest month */
    }
}

struct snaps {
    pccs_day d[256];
    size_t n;
};

static int
snap_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct snaps *s = ctx;
    pccs_day d;
    if (s->n < 256 && strlen(f->period) == 10 &&
        !pccs_date_parse(pccs_str_from(f->period), &d))
        s->d[s->n++] = d;
    return 0;
}

/* The practices' indicators and the sub-tables' queries. */
struct gctx {
    struct pccs_store *st;
    const struct pccs_tree *t;
    struct prac *p;
    struct pccs_table *out;
    struct pccs_table_query sq; /* practice level, one period at a time */
    char period[16];            /* sq.period's text when it is a day */
};

/* Run sub-table name into sub; *have when it has rows to read. */
static int
run_sub(struct gctx *g, const char *name, const char *ind,
        struct pccs_table *sub, bool *have, struct pccs_err *err)
{
    return sub_table(g->st, g->t, name, &g->sq, sub, have, g->out, ind, err);
}

/* Indicator ind from pk of sub-table name, when it has data. */
static int
take_table(struct gctx *g, const char *name, const char *label,
           const struct pick *pk, int ind, struct pccs_err *err)
{
    struct pccs_table sub;
    bool have;
    int rc = run_sub(g, name, label, &sub, &have, err);
    if (!rc && have)
        take(g->t, &sub, pk, g->p, ind);
    pccs_table_release(&sub);
    return rc;
}

/*
 * list_size from the latest registrations snapshot, and its change from
 * the snapshot 12 months before (model/period.h).
 */
static int
gather_lists(struct gctx *g, pccs_day *at, struct pccs_err *err)
{
    struct pccs_table sub;
    bool have;
    static const struct pick registered = {.col = "registered"};
    struct pccs_period_pick lp, pp;
    int rc = pccs_period_latest(g->st, "registered", &lp, err);
    pccs_day last = PCCS_DAY_NONE, prev = PCCS_DAY_NONE;
    if (!rc && lp.found) {
        pccs_date_parse(pccs_str_from(lp.period), &last);
        rc = pccs_period_year_earlier(g->st, "registered", last, &pp, err);
        if (!rc && pp.found)
            pccs_date_parse(pccs_str_from(pp.period), &prev);
    }
    if (rc)
        return rc;
    if (last != PCCS_DAY_NONE) {
        *at = last;
        pccs_date_format(last, g->period);
        g->sq.period = g->period;
        rc = take_table(g, "populations", "list_size", &registered,
                        PCCS_RES_LIST, err);
    }
    else
        pccs_table_note(g->out, "list_size: no registrations snapshot loaded");
    if (rc)
        return rc;
    if (prev == PCCS_DAY_NONE) {
        pccs_table_note(g->out, "list_change_12m_pct: no data (no "
                                "registrations snapshot 330 to 400 days "
                                "before the latest)");
        return PCCS_OK;
    }
    pccs_date_format(prev, g->period);
    g->sq.period = g->period;
    rc = run_sub(g, "populations", "list_change_12m_pct (earlier list)", &sub,
                 &have, err);
    if (pp.note[0])
        pccs_table_note(g->out, "list_change_12m_pct: %s", pp.note);
    if (!rc && have) {
        take(g->t, &sub, &registered, g->p, PCCS_RES_CHANGE);
        for (size_t o = 0; o < g->t->norgs; o++)
            g->p[o].v[PCCS_RES_CHANGE] = pccs_res_change_pct(
                g->p[o].v[PCCS_RES_LIST], g->p[o].v[PCCS_RES_CHANGE]);
    }
    pccs_table_release(&sub);
    return rc;
}

/* GP FTE per 10,000 weighted patients (GP workforce, group GP). */
static int
gather_workforce(struct gctx *g, struct pccs_err *err)
{
    static const struct pick gp = {.col = "fte_per_10000_weighted",
                                   .f1 = "publication",
                                   .v1 = "GP workforce",
                                   .f2 = "staff_group",
                                   .v2 = "GP"};
    g->sq.period = NULL;
    return take_table(g, "workforce", "gp_fte_per_10000", &gp, PCCS_RES_GPFTE,
                      err);
}

/* Payments per weighted patient and QOF per registered patient. */
static int
gather_payments(struct gctx *g, const char *period, struct pccs_err *err)
{
    struct pccs_table sub;
    bool have;
    /* The payments year: --year, else the latest loaded. */
    char fys[8];
    int rc = pccs_latest_payments_year(g->st, fys, err);
    if (rc)
        return rc;
    snprintf(g->period, sizeof(g->period), "%s", fys);
    g->sq.period = period ? period : fys[0] ? g->period : NULL;
    rc = run_sub(g, "payments", "payments_per_weighted", &sub, &have, err);
    if (!rc && have) {
        /* Practices the payments table leaves out (too few patients,
         * data/rules/payments.csv) are not rated on it either. */
        static const struct pick pay = {
            .col = "total_per_weighted", .f1 = "excluded", .v1 = ""};
        take(g->t, &sub, &pay, g->p, PCCS_RES_PAY);
        int qc = pccs_table_col_index(&sub, "qof");
        int rcol = pccs_table_col_index(&sub, "registered");
        int cc = pccs_table_col_index(&sub, "code");
        for (size_t r = 0; qc >= 0 && rcol >= 0 && r < sub.nrows; r++) {
            int o = row_org(g->t, &sub, cc, r);
            const struct pccs_cell *a = pccs_table_cell(&sub, r, (size_t)qc);
            const struct pccs_cell *b = pccs_table_cell(&sub, r, (size_t)rcol);
            if (o >= 0 && !a->null && !b->null)
                g->p[o].v[PCCS_RES_QOF] = pccs_res_per_patient(a->num, b->num);
        }
    }
    pccs_table_release(&sub);
    return rc;
}

/* The DNA share of the latest month of appointments only. */
static int
gather_dna(struct gctx *g, struct pccs_err *err)
{
    struct snaps *ms = pccs_xcalloc(1, sizeof(*ms));
    int rc = pccs_store_periods_each(g->st, "appointments_marginal", snap_cb,
                                     ms, err);
    pccs_day lm = PCCS_DAY_NONE;
    for (size_t i = 0; !rc && i < ms->n; i++)
        if (lm == PCCS_DAY_NONE || ms->d[i] > lm)
            lm = ms->d[i];
    free(ms);
    if (rc)
        return rc;
    if (lm != PCCS_DAY_NONE)
        pccs_date_format(lm, g->period);
    g->sq.period = lm != PCCS_DAY_NONE ? g->period : NULL;
    static const struct pick dna = {.col = "dna_pct"};
    return take_table(g, "capacity", "dna_pct", &dna, PCCS_RES_DNA, err);
}

/* Formal list closures in force (local register), --at or today. */
static int
gather_closures(struct gctx *g, pccs_day at, struct pccs_err *err)
{
    struct pccs_table sub;
    bool have;
    g->sq.period = NULL;
    g->sq.at = at;
    int rc = run_sub(g, "list-closures", "list_closures", &sub, &have, err);
    if (!rc && have) {
        struct prac *p = g->p;
        /* Every practice of the tree starts with none. */
        for (size_t o = 0; o < g->t->norgs; o++)
            if (g->t->orgs[o].level == PCCS_PRACTICE &&
                !isnan(p[o].v[PCCS_RES_LIST]))
                p[o].v[PCCS_RES_CLOSURES] = 0;
        int fc = pccs_table_col_index(&sub, "in_force");
        int cc = pccs_table_col_index(&sub, "code");
        for (size_t r = 0; fc >= 0 && r < sub.nrows; r++) {
            int o = row_org(g->t, &sub, cc, r);
            if (o < 0 || !cell_is(&sub, r, fc, "yes"))
                continue;
            double *v = &p[o].v[PCCS_RES_CLOSURES];
            *v = (isnan(*v) ? 0 : *v) + 1;
        }
    }
    pccs_table_release(&sub);
    return rc;
}

static int
gather(struct pccs_store *st, const struct pccs_tree *t,
       const struct pccs_table_query *q, struct prac *p, pccs_day *at,
       struct pccs_table *out, struct pccs_err *err)
{
    struct gctx g = {.st = st,
                     .t = t,
                     .p = p,
                     .out = out,
                     .sq = {.level = PCCS_PRACTICE,
                            .at = PCCS_DAY_NONE,
                            .include_synthetic = q->include_synthetic}};
    int rc = gather_lists(&g, at, err);
    if (!rc)
        rc = gather_workforce(&g, err);
    if (!rc)
        rc = gather_payments(&g, q->period, err);
    if (!rc)
        rc = gather_dna(&g, err);
    if (!rc)
        rc = gather_closures(&g, q->at, err);
    return rc;
}

/*
 * What each rule compares with for the practices of one ICB (icb -1: no
 * ICB, so no percentiles): the threshold, or the percentile of the ICB's
 * practices' values (calc/resilience.h). Computed once per ICB.
 */
static const double *
against_for(const struct pccs_tree *t, const struct prac *p, const int *rows,
            size_t n, int icb, const struct pccs_res_rules *rs, double **cache,
            double *col)
{
    size_t slot = icb >= 0 ? (size_t)icb : t->norgs;
    if (cache[slot])
        return cache[slot];
    double(*peers)[PCCS_RES_NIND] = pccs_xcalloc(n + 1, sizeof(*peers));
    size_t m = 0;
    for (size_t j = 0; icb >= 0 && j < n; j++)
        if (p[rows[j]].icb == icb)
            memcpy(peers[m++], p[rows[j]].v, sizeof(peers[0]));
    double *a = pccs_xcalloc(rs->n + 1, sizeof(*a));
    pccs_res_against(rs, (const double(*)[PCCS_RES_NIND])peers, m, col, a);
    free(peers);
    cache[slot] = a;
    return a;
}

/* "gp_fte_per_10000 3.210 below the ICB's 10th percentile 4.105 (red)" */
static void
add_reason(struct pccs_buf *b, const char *name, int dec, double v,
           const struct pccs_res_rule *ru, struct pccs_res_result r)
{
    bool below =
        ru->cmp == PCCS_RES_BELOW_VALUE || ru->cmp == PCCS_RES_BELOW_PCT;
    if (b->len)
        pccs_buf_addstr(b, "; ");
    pccs_buf_addf(b, "%s %.*f %s ", name, dec, v, below ? "below" : "above");
    if (ru->cmp == PCCS_RES_BELOW_PCT || ru->cmp == PCCS_RES_ABOVE_PCT)
        pccs_buf_addf(b, "the ICB's %gth percentile %.*f", ru->threshold, dec,
                      r.against);
    else
        pccs_buf_addf(b, "%.*f", dec, r.against);
    pccs_buf_addf(b, " (%s)", pccs_rag_name(r.rag));
}

/* Practices with any indicator, in their ICBs as at the snapshot. */
static size_t
rated_practices(const struct pccs_tree *t, struct prac *p, pccs_day at,
                int *rows)
{
    size_t n = 0;
    for (size_t o = 0; o < t->norgs; o++) {
        if (t->orgs[o].level != PCCS_PRACTICE)
            continue;
        bool any = false;
        for (int i = 0; i < PCCS_RES_NIND; i++)
            any |= !isnan(p[o].v[i]);
        p[o].icb = pccs_tree_ancestor(t, (int)o, PCCS_ICB, at, 0);
        if (any)
            rows[n++] = (int)o;
    }
    pccs_tree_sort_by_code(t, rows, n);
    return n;
}

static void
emit_cols(struct pccs_table *out)
{
    static const struct pccs_build_col head[] = {
        PCCS_BUILD_ORG_COLS,
        PCCS_BUILD_TEXT("icb"),
    };
    static const struct pccs_build_col tail[] = {
        PCCS_BUILD_INT("reds"),
        PCCS_BUILD_INT("ambers"),
        PCCS_BUILD_TEXT("overall"),
        PCCS_BUILD_TEXT("reasons"),
    };
    PCCS_BUILD_COLS(out, head);
    for (int i = 0; i < PCCS_RES_NIND; i++) {
        char c[64];
        pccs_table_col(out, ind_names[i], PCCS_COL_NUM, ind_decimals[i]);
        snprintf(c, sizeof(c), "%s_rag", ind_names[i]);
        pccs_table_col(out, c, PCCS_COL_TEXT, 0);
    }
    PCCS_BUILD_COLS(out, tail);
}

/* One practice's row: each indicator's value and rating, the overall. */
static void
emit_row(struct pccs_table *out, const struct pccs_tree *t,
         const struct prac *pr, int o, pccs_day at,
         const struct pccs_res_rules *rules, const double *ag,
         struct pccs_buf *why)
{
    struct pccs_res_result res[PCCS_RES_NIND];
    for (int i = 0; i < PCCS_RES_NIND; i++)
        res[i] = pccs_res_rate(rules, i, pr->v[i], ag);
    struct pccs_res_overall ov = pccs_res_overall(rules, res);
    pccs_build_org_row(out, t, o, pccs_tree_up(t, o, at, 0), at);
    pccs_table_text(out, pr->icb >= 0 ? t->orgs[pr->icb].code : "");
    pccs_buf_reset(why);
    for (int i = 0; i < PCCS_RES_NIND; i++) {
        pccs_table_num(out, pr->v[i]);
        pccs_table_text(out, pccs_rag_name(res[i].rag));
        if (res[i].rag >= PCCS_RAG_AMBER)
            add_reason(why, ind_names[i], ind_decimals[i], pr->v[i],
                       &rules->r[res[i].rule], res[i]);
    }
    pccs_table_int(out, ov.reds);
    pccs_table_int(out, ov.ambers);
    pccs_table_text(out, pccs_rag_name(ov.rag));
    pccs_table_text(out, why->len ? why->p : "");
}

static void
emit_notes(struct pccs_table *out, const struct pccs_res_rules *rules)
{
    pccs_table_note(out,
                    "rules: data/rules/resilience.csv (%zu rules; thresholds "
                    "are local judgement where no national rule exists: "
                    "review them locally)",
                    rules->n);
    pccs_table_note(out, "percentiles compare a practice with the practices "
                         "of its ICB that have the indicator; none = no "
                         "data, counted neither way");
    pccs_build_ogl_note(out);
}

int
pccs_resilience_table(struct pccs_store *st, const struct pccs_tree *t,
                      const struct pccs_table_query *q, struct pccs_table *out,
                      struct pccs_err *err)
{
    struct pccs_res_rules rules = {NULL, 0, 0};
    struct prac *p = pccs_xcalloc(t->norgs + 1, sizeof(*p));
    int *rows = pccs_xcalloc(t->norgs + 1, sizeof(*rows));
    double *col = pccs_xcalloc(t->norgs + 1, sizeof(*col));
    double **cache = pccs_xcalloc(t->norgs + 1, sizeof(*cache));
    struct pccs_buf why = PCCS_BUF_INIT;
    pccs_table_init(out, "resilience");
    int rc, in_org = -1;
    if (q->level != PCCS_LEVEL_NONE && q->level != PCCS_PRACTICE) {
        rc = pccs_err_set(err, PCCS_EINVAL,
                          "resilience profiles practices: --level practice "
                          "(use --in to choose the area)");
        goto out;
    }
    rc = pccs_build_in(t, q->in, &in_org, err);
    if (rc == PCCS_OK)
        rc = parse_rules(&rules, err);
    if (rc)
        goto out;
    for (size_t o = 0; o <= t->norgs; o++)
        for (int i = 0; i < PCCS_RES_NIND; i++)
            p[o].v[i] = NAN;
    pccs_day at = PCCS_DAY_NONE;
    rc = gather(st, t, q, p, &at, out, err);
    if (rc)
        goto out;
    size_t n = rated_practices(t, p, at, rows);
    if (!n) {
        rc = pccs_err_set(err, PCCS_ENOTFOUND,
                          "no practice indicators: load registrations, "
                          "payments, GP workforce or appointments first");
        goto out;
    }
    emit_cols(out);
    for (size_t k = 0; k < n; k++) {
        int o = rows[k];
        if (!pccs_build_within(t, o, in_org, at, 0))
            continue;
        const double *ag =
            against_for(t, p, rows, n, p[o].icb, &rules, cache, col);
        emit_row(out, t, &p[o], o, at, &rules, ag, &why);
    }
    if (!out->nrows) {
        rc = pccs_err_set(err, PCCS_ENOTFOUND,
                          "no practices with indicators in %s", q->in);
        goto out;
    }
    emit_notes(out, &rules);
out:
    pccs_res_rules_release(&rules);
    pccs_buf_release(&why);
    free(p);
    free(rows);
    free(col);
    for (size_t o = 0; o <= t->norgs; o++)
        free(cache[o]);
    free(cache);
    return rc;
}
