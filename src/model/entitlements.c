/* SPDX-License-Identifier: MIT */
/*
 * The entitlements table: PCN Network Contract DES lines for a financial
 * year per PCN, and rolled up by summing PCNs. Populations come from the
 * populations table (one path for every figure): the PCN list on the
 * registrations snapshot at 1 January before the year (or the nearest
 * earlier one, or failing that the year's payments file), the contractor
 * weighted population from the payments file of that time, and an
 * estimated adjusted population (weighted, rescaled so that its national
 * total equals the national registered total: the DES definition was not
 * found, reference/rules.md 2.3). Every population's source is a column.
 */
#include "model/tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "calc/entitlements.h"
#include "model/population.h"
#include "model/rates.h"

int pccs_entitlements_table(struct pccs_store *st, const struct pccs_tree *t,
                            const struct pccs_table_query *q,
                            struct pccs_table *out, struct pccs_err *err);

struct latest_fy {
    int fy;
};

static int
fy_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct latest_fy *l = ctx;
    int y;
    if (pccs_fy_parse(pccs_str_from(f->period), &y) == 0 && y > l->fy)
        l->fy = y;
    return 0;
}

/*
 * Care home beds (local register) per PCN: the latest load's figures, a
 * practice's beds counted in its PCN as at day.
 */
struct beds_ctx {
    const struct pccs_tree *t;
    pccs_day at;
    double *beds; /* norgs */
    bool any;
    char period[16];
    int64_t source;
};

static int
beds_period_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct beds_ctx *b = ctx;
    if (strcmp(f->period, b->period) > 0)
        snprintf(b->period, sizeof(b->period), "%s", f->period);
    return 0;
}

static int
beds_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct beds_ctx *b = ctx;
    int o = pccs_tree_find(b->t, f->org);
    if (o < 0)
        return 0;
    int pcn = b->t->orgs[o].level == PCCS_PCN
                  ? o
                  : pccs_tree_ancestor(b->t, o, PCCS_PCN, b->at, 0);
    if (pcn >= 0) {
        b->beds[pcn] += f->value;
        b->any = true;
        b->source = f->source_id;
    }
    return 0;
}

/* The DES populations of the year at a level (model/period.h). */
static int
populations(struct pccs_store *st, const struct pccs_tree *t,
            enum pccs_level level, const char *in, int fy,
            struct pccs_table *pop, struct pccs_err *err)
{
    struct pccs_pop_query pq = {.level = level,
                                .in = in,
                                .at = PCCS_DAY_NONE,
                                .period = NULL,
                                .des = true,
                                .des_fy = fy};
    return pccs_population_table(st, t, &pq, pop, err);
}

static double
num(const struct pccs_table *tab, size_t row, int col)
{
    const struct pccs_cell *c = pccs_table_cell(tab, row, (size_t)col);
    return c->null ? NAN : c->num;
}

static void
add(double *acc, double v)
{
    if (!isnan(v))
        *acc += v;
}

#define NCOLS (8 + PCCS_ENT_NLINES + 2)

/* One line per entitlement: population x rate = pounds, or why not. */
static void
explain_pcn(struct pccs_table *out, const char *code,
            const struct pccs_ent_pop *p,
            const struct pccs_ent_rate r[PCCS_ENT_NITEMS],
            const struct pccs_ent_result *res, double scale)
{
    static const struct {
        enum pccs_ent_line line;
        enum pccs_ent_item item;
        const char *pop;
    } lines[] = {
        {PCCS_ENT_CORE, PCCS_ENT_CORE_REG, "registered"},
        {PCCS_ENT_CORE, PCCS_ENT_CORE_ADJ, "adjusted_estimate"},
        {PCCS_ENT_CLINICAL_DIRECTOR, PCCS_ENT_CD_REG, "registered"},
        {PCCS_ENT_NETWORK_PARTICIPATION, PCCS_ENT_NPP_W, "weighted"},
        {PCCS_ENT_EXTENDED_HOURS, PCCS_ENT_EH_REG, "registered"},
        {PCCS_ENT_ENHANCED_ACCESS, PCCS_ENT_EA_ADJ, "adjusted_estimate"},
        {PCCS_ENT_ARRS, PCCS_ENT_ARRS_W, "weighted"},
        {PCCS_ENT_CARE_HOME_PREMIUM, PCCS_ENT_CHP_BED, "care home beds"},
    };
    pccs_table_note(out,
                    "explain %s: registered %.0f; weighted %.2f; "
                    "adjusted_estimate = %.2f x %.6f = %.2f",
                    code, p->registered, p->weighted, p->weighted, scale,
                    p->adjusted);
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        const struct pccs_ent_rate *x = &r[lines[i].item];
        if (!x->present)
            continue;
        double pop = strcmp(lines[i].pop, "registered") == 0 ? p->registered
                     : strcmp(lines[i].pop, "weighted") == 0 ? p->weighted
                     : strcmp(lines[i].pop, "adjusted_estimate") == 0
                         ? p->adjusted
                         : p->beds;
        if (!x->known)
            pccs_table_note(out, "explain %s: %s = %s x rate: rate unknown",
                            code, pccs_ent_item_names[lines[i].item],
                            lines[i].pop);
        else if (lines[i].item == PCCS_ENT_CHP_BED && !p->has_beds)
            pccs_table_note(out,
                            "explain %s: care_home_premium = beds x %g: "
                            "beds not loaded",
                            code, x->value);
        else
            pccs_table_note(out, "explain %s: %s: %s %.2f x %g = %.2f", code,
                            pccs_ent_item_names[lines[i].item], lines[i].pop,
                            pop, x->value, pop * x->value);
    }
    const struct pccs_ent_rate *m = &r[PCCS_ENT_EA_MONTHS];
    if (m->present && m->known && res->known[PCCS_ENT_ENHANCED_ACCESS])
        pccs_table_note(out,
                        "explain %s: enhanced_access x %g/12 months = "
                        "%.2f",
                        code, m->value, res->value[PCCS_ENT_ENHANCED_ACCESS]);
    if (res->minutes_known)
        pccs_table_note(out,
                        "explain %s: enhanced access minutes per week = "
                        "%.2f / 1000 x %g = %.1f",
                        code, p->adjusted, r[PCCS_ENT_EA_MINUTES].value,
                        res->ea_minutes_per_week);
    pccs_table_note(out, "explain %s: total_known = %.2f%s", code,
                    res->total_known,
                    res->complete ? "" : " (some lines unknown)");
}

int
pccs_entitlements_table(struct pccs_store *st, const struct pccs_tree *t,
                        const struct pccs_table_query *q,
                        struct pccs_table *out, struct pccs_err *err)
{
    enum pccs_level level = q->level == PCCS_LEVEL_NONE ? PCCS_PCN : q->level;
    struct pccs_table pop, nat;
    struct pccs_rates rates = PCCS_RATES_INIT;
    int fy = -1, rc;
    memset(&pop, 0, sizeof(pop));
    memset(&nat, 0, sizeof(nat));
    pccs_table_init(out, "entitlements");
    if (level < PCCS_PCN) {
        rc = pccs_err_set(err, PCCS_EINVAL,
                          "entitlements are a PCN's: --level must be pcn or "
                          "above");
        goto out;
    }
    if (q->period) {
        if (pccs_fy_parse(pccs_str_from(q->period), &fy)) {
            rc = pccs_err_set(err, PCCS_EINVAL,
                              "--year must be a financial year such as "
                              "2021-22, not %s",
                              q->period);
            goto out;
        }
    }
    else {
        struct latest_fy l = {-1};
        rc = pccs_store_periods_each(st, "weighted", fy_cb, &l, err);
        if (rc)
            goto out;
        fy = l.fy >= 0 ? l.fy : pccs_fy_of(pccs_tree_default_day(t));
    }
    char fyname[8];
    pccs_fy_format(fy, fyname);
    rc = populations(st, t, PCCS_PCN, q->in, fy, &pop, err);
    if (!rc)
        rc = populations(st, t, PCCS_ENGLAND, NULL, fy, &nat, err);
    if (!rc)
        rc = pccs_rates_load_default(&rates, err);
    if (rc)
        goto out;

    struct pccs_ent_rate r[PCCS_ENT_NITEMS];
    for (int i = 0; i < PCCS_ENT_NITEMS; i++) {
        const struct pccs_rate *x =
            pccs_rates_get(&rates, pccs_ent_item_names[i], fy);
        r[i] = (struct pccs_ent_rate){x != NULL, x && x->known,
                                      x && x->known ? x->value : 0};
    }
    /* Care home beds, if the local register is loaded. */
    struct beds_ctx bc = {t, pccs_date_from_ymd(fy, 4, 1), NULL, false, "",
                          0};
    bc.beds = pccs_xcalloc(t->norgs + 1, sizeof(*bc.beds));
    rc = pccs_store_periods_each(st, "care_home_beds", beds_period_cb, &bc,
                                 err);
    if (!rc && bc.period[0])
        rc = pccs_store_facts_each(st, "care_home_beds", bc.period, NULL,
                                   beds_cb, &bc, err);
    if (rc) {
        free(bc.beds);
        goto out;
    }
    /* National ratio for the adjusted population estimate. */
    double nat_reg = nat.nrows ? num(&nat, 0, 4) : NAN;
    double nat_w = nat.nrows ? num(&nat, 0, 5) : NAN;
    double scale = nat_w > 0 ? nat_reg / nat_w : NAN;

    /* One accumulator row per output organisation. */
    size_t n = pop.nrows;
    int *grp = pccs_xcalloc(n + 1, sizeof(*grp));
    int *slot = pccs_xmalloc((t->norgs + 1) * sizeof(*slot));
    for (size_t i = 0; i <= t->norgs; i++)
        slot[i] = -1;
    int *orgs = pccs_xcalloc(n + 1, sizeof(*orgs));
    double(*acc)[NCOLS] = pccs_xcalloc(n + 1, sizeof(*acc));
    bool *unknown = pccs_xcalloc((n + 1) * PCCS_ENT_NLINES, sizeof(*unknown));
    size_t ngroups = 0;
    pccs_day at = pccs_date_from_ymd(fy, 1, 1);
    for (size_t i = 0; i < n; i++) {
        const char *code = pccs_table_cell(&pop, i, 0)->text;
        int pcn = pccs_tree_find(t, code);
        int g =
            level == PCCS_PCN ? pcn : pccs_tree_ancestor(t, pcn, level, at, 0);
        if (g < 0)
            continue;
        if (slot[g] < 0) {
            orgs[ngroups] = g;
            slot[g] = (int)ngroups++;
        }
        int s = slot[g];
        struct pccs_ent_pop p = {num(&pop, i, 4), num(&pop, i, 5),
                                 num(&pop, i, 5) * scale, bc.any,
                                 pcn >= 0 ? bc.beds[pcn] : 0};
        struct pccs_ent_result res;
        pccs_ent_compute(&p, r, &res);
        if (q->explain)
            explain_pcn(out, code, &p, r, &res, scale);
        acc[s][0] += 1;
        add(&acc[s][1], num(&pop, i, 3));
        add(&acc[s][2], p.registered);
        add(&acc[s][3], p.weighted);
        add(&acc[s][4], p.adjusted);
        for (int l = 0; l < PCCS_ENT_NLINES; l++) {
            if (res.applies[l] && !res.known[l])
                unknown[s * PCCS_ENT_NLINES + l] = true;
            add(&acc[s][5 + l], res.value[l]);
        }
        add(&acc[s][5 + PCCS_ENT_NLINES], res.ea_minutes_per_week);
        add(&acc[s][6 + PCCS_ENT_NLINES], res.total_known);
        grp[i] = g;
    }
    pccs_tree_sort_by_code(t, orgs, ngroups);

    static const char *const line_cols[PCCS_ENT_NLINES] = {
        "core",
        "clinical_director",
        "network_participation",
        "extended_hours",
        "enhanced_access",
        "arrs",
        "care_home_premium",
    };
    pccs_table_col(out, "code", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "name", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "parent_code", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "pcns", PCCS_COL_INT, 0);
    pccs_table_col(out, "practices", PCCS_COL_INT, 0);
    pccs_table_col(out, "registered", PCCS_COL_NUM, 0);
    pccs_table_col(out, "weighted", PCCS_COL_NUM, 2);
    pccs_table_col(out, "adjusted_estimate", PCCS_COL_NUM, 2);
    for (int l = 0; l < PCCS_ENT_NLINES; l++)
        pccs_table_col(out, line_cols[l], PCCS_COL_NUM, 2);
    pccs_table_col(out, "enhanced_access_minutes_per_week", PCCS_COL_NUM, 1);
    pccs_table_col(out, "total_known", PCCS_COL_NUM, 2);
    pccs_table_col(out, "year", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "populations_source", PCCS_COL_TEXT, 0);
    const char *popsrc = pop.nrows ? pccs_table_cell(&pop, 0, 6)->text : "";
    for (size_t k = 0; k < ngroups; k++) {
        int g = orgs[k];
        int s = slot[g];
        const struct pccs_tree_org *o = &t->orgs[g];
        int parent = pccs_tree_up(t, g, at, 0);
        pccs_table_row(out);
        pccs_table_text(out, o->code);
        pccs_table_text(out, pccs_tree_name(t, g, at));
        pccs_table_text(out, parent >= 0 ? t->orgs[parent].code : "");
        pccs_table_int(out, (int64_t)acc[s][0]);
        pccs_table_int(out, (int64_t)acc[s][1]);
        pccs_table_num(out, acc[s][2]);
        pccs_table_num(out, acc[s][3]);
        pccs_table_num(out, acc[s][4]);
        for (int l = 0; l < PCCS_ENT_NLINES; l++) {
            bool applies = false;
            struct pccs_ent_result probe;
            struct pccs_ent_pop one = {1, 1, 1, true, 1};
            pccs_ent_compute(&one, r, &probe);
            applies = probe.applies[l];
            if (!applies || unknown[s * PCCS_ENT_NLINES + l])
                pccs_table_null(out);
            else
                pccs_table_num(out, acc[s][5 + l]);
        }
        if (r[PCCS_ENT_EA_MINUTES].known)
            pccs_table_num(out, acc[s][5 + PCCS_ENT_NLINES]);
        else
            pccs_table_null(out);
        pccs_table_num(out, acc[s][6 + PCCS_ENT_NLINES]);
        pccs_table_text(out, fyname);
        pccs_table_text(out, popsrc);
    }
    /* Notes: every rate with its source, or why a line is empty. */
    for (size_t i = 0; i < pop.nnotes; i++)
        pccs_table_note(out, "%s", pop.notes[i]);
    pccs_table_note(out,
                    "adjusted_estimate = weighted x national registered / "
                    "national weighted (%.6f): the DES definition of PCN "
                    "Adjusted Population was not found (reference/rules.md "
                    "2.3); treat enhanced access and core from 2024-25 as "
                    "estimates",
                    scale);
    for (int i = 0; i < PCCS_ENT_NITEMS; i++) {
        const struct pccs_rate *x =
            pccs_rates_get(&rates, pccs_ent_item_names[i], fy);
        if (!x)
            continue;
        if (x->known)
            pccs_table_note(out, "%s %s: %g %s; source: %s [%s]",
                            pccs_ent_item_names[i], fyname, x->value, x->unit,
                            x->source, x->confidence);
        else
            pccs_table_note(out, "%s: rate unknown for %s (%s)",
                            pccs_ent_item_names[i], fyname, x->source);
    }
    if (r[PCCS_ENT_CHP_BED].present && !bc.any)
        pccs_table_note(out, "care_home_premium: care home beds are not "
                             "loaded (a local register)");
    else if (bc.any) {
        struct pccs_source_info si;
        if (pccs_store_source_get(st, bc.source, &si, err) == PCCS_OK)
            pccs_table_note(out,
                            "care home beds: %s, as of %s (%s); a "
                            "practice's beds count in its PCN",
                            si.publication, bc.period,
                            si.path ? si.path : "?");
        pccs_err_clear(err);
    }
    free(bc.beds);
    pccs_table_note(out, "total_known sums the lines whose rate and "
                         "population are known; an empty line is not "
                         "paid that year or its rate is unknown (above)");
    free(grp);
    free(slot);
    free(orgs);
    free(acc);
    free(unknown);
    rc = PCCS_OK;
out:
    pccs_table_release(&pop);
    pccs_table_release(&nat);
    pccs_rates_release(&rates);
    return rc;
}
