/* SPDX-License-Identifier: MIT */
/*
 * The entitlements table: every Network Contract DES payment line of a
 * financial year (model/entitlements.h: lines as data) per PCN, and
 * rolled up by summing PCNs. Populations are the DES's (model/period.h):
 * the registered list and the contractor weighted population at 1 January
 * before the year, or the nearest earlier loaded figure, said in a note;
 * the adjusted population is estimated (weighted, rescaled so that its
 * national total equals the national registered total: the DES definition
 * was not found, reference/rules.md 2.3). Lines paid to practices
 * (network participation) are shown but are not in the PCN's total.
 */
#include "model/entitlements.h"
#include "model/tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "calc/period.h"
#include "model/build.h"
#include "model/period.h"
#include "model/refdata.h"
#include "model/population.h"

static struct pccs_ent_line_info *
line_add(struct pccs_ent_lines *ls, const char *name, size_t len)
{
    for (size_t i = 0; i < ls->n; i++)
        if (strlen(ls->l[i].name) == len &&
            strncmp(ls->l[i].name, name, len) == 0)
            return &ls->l[i];
    ls->l = pccs_xreallocarray(ls->l, ls->n + 1, sizeof(*ls->l));
    struct pccs_ent_line_info *l = &ls->l[ls->n++];
    memset(l, 0, sizeof(*l));
    snprintf(l->name, sizeof(l->name), "%.*s", (int)len, name);
    snprintf(l->label, sizeof(l->label), "%s", l->name);
    return l;
}

/* data/maps/pcn_lines.csv: line,label,paid_to,source. */
static int
load_meta(struct pccs_ent_lines *ls, struct pccs_err *err)
{
    static const char *const rel = "maps/pcn_lines.csv";
    static const char *const cols[] = {"line", "label", "paid_to"};
    char path[4096];
    if (!pccs_refdata_path(rel, path, sizeof(path)))
        return PCCS_OK; /* no metadata: the lines the rates name */
    const struct pccs_refdata *f;
    int rc = pccs_refdata_load_cols(rel, cols, PCCS_LEN(cols), &f, err);
    for (size_t k = 1; !rc && k < f->nrecords; k++) {
        const struct pccs_refdata_record *rec = &f->records[k];
        struct pccs_str n = pccs_str_trim(rec->fields[0]);
        struct pccs_str lb = pccs_str_trim(rec->fields[1]);
        if (!n.len)
            continue;
        struct pccs_ent_line_info *l = line_add(ls, n.p, n.len);
        if (lb.len)
            snprintf(l->label, sizeof(l->label), "%.*s", (int)lb.len, lb.p);
        l->practices = pccs_str_eq(pccs_str_trim(rec->fields[2]), "practices");
    }
    return rc;
}

/* The line an item names ("pcn_core_per_registered" -> "pcn_core"). */
static size_t
item_line(const char *item)
{
    size_t n = strlen(item);
    for (int b = 0; b < PCCS_ENT_NBASES; b++) {
        char suf[32];
        size_t sl = (size_t)snprintf(suf, sizeof(suf), "_per_%s",
                                     pccs_ent_base_names[b]);
        if (n > sl && strcmp(item + n - sl, suf) == 0)
            return n - sl;
    }
    size_t sl = strlen("_national_sum");
    if (n > sl && strcmp(item + n - sl, "_national_sum") == 0)
        return n - sl;
    return 0;
}

static struct pccs_ent_rate
get_rate(const struct pccs_rates *rates, const char *line, const char *suf,
         int fy, const struct pccs_rate **row)
{
    char item[96];
    snprintf(item, sizeof(item), "%s%s", line, suf);
    const struct pccs_rate *x = pccs_rates_get(rates, item, fy);
    if (row)
        *row = x;
    return (struct pccs_ent_rate){x != NULL, x && x->known,
                                  x && x->known ? x->value : 0};
}

static void
add_reason(struct pccs_ent_line_info *l, const char *item,
           const struct pccs_rate *x)
{
    size_t used = strlen(l->reason);
    snprintf(l->reason + used, sizeof(l->reason) - used, "%s%s: %s",
             used ? "; " : "", item,
             x && x->source && *x->source ? x->source : "no source");
}

static void
fill(struct pccs_ent_line_info *l, const struct pccs_rates *rates, int fy)
{
    char fyname[8];
    pccs_fy_format(fy, fyname);
    bool any = false, all = true;
    size_t used = 0;
    for (int b = 0; b < PCCS_ENT_NBASES; b++) {
        char suf[32];
        snprintf(suf, sizeof(suf), "_per_%s", pccs_ent_base_names[b]);
        const struct pccs_rate *row;
        l->r.per[b] = get_rate(rates, l->name, suf, fy, &row);
        if (!l->r.per[b].present)
            continue;
        any = true;
        if (!l->r.per[b].known) {
            all = false;
            add_reason(l, row->item, row);
        }
        else
            used += (size_t)snprintf(l->basis + used, sizeof(l->basis) - used,
                                     "%s%g per %s", used ? " + " : "",
                                     l->r.per[b].value, pccs_ent_base_names[b]);
        if (used >= sizeof(l->basis))
            used = sizeof(l->basis) - 1;
    }
    const struct pccs_rate *nrow, *mrow;
    l->r.national_sum = get_rate(rates, l->name, "_national_sum", fy, &nrow);
    l->r.months = get_rate(rates, l->name, "_months", fy, &mrow);
    l->applies = any || l->r.national_sum.present;
    if (!l->applies) {
        snprintf(l->reason, sizeof(l->reason),
                 "not paid in %s (no rate row for the year)", fyname);
        return;
    }
    if (any && all)
        l->known = true;
    else if (l->r.national_sum.known) {
        l->known = l->derived = true;
        l->reason[0] = '\0';
        snprintf(l->basis, sizeof(l->basis),
                 "derived: national sum %.0f x the PCN's share of the "
                 "national contractor weighted population",
                 l->r.national_sum.value);
    }
    else if (l->r.national_sum.present)
        add_reason(l, nrow->item, nrow);
    if (l->r.months.present) {
        if (!l->r.months.known) {
            l->known = false;
            add_reason(l, mrow->item, mrow);
        }
        else {
            used = strlen(l->basis);
            snprintf(l->basis + used, sizeof(l->basis) - used,
                     " x %g/12 months", l->r.months.value);
        }
    }
}

int
pccs_ent_lines_load(struct pccs_ent_lines *out, const struct pccs_rates *rates,
                    int fy, struct pccs_err *err)
{
    memset(out, 0, sizeof(*out));
    int rc = load_meta(out, err);
    if (rc) {
        pccs_ent_lines_release(out);
        return rc;
    }
    /* Lines the rates name but the metadata does not (any year, so the
     * columns are the same every year). */
    for (size_t i = 0; i < rates->n; i++) {
        size_t len = item_line(rates->r[i].item);
        if (len)
            line_add(out, rates->r[i].item, len);
    }
    for (size_t i = 0; i < out->n; i++)
        fill(&out->l[i], rates, fy);
    return PCCS_OK;
}

void
pccs_ent_lines_release(struct pccs_ent_lines *ls)
{
    free(ls->l);
    ls->l = NULL;
    ls->n = 0;
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

/* The beds per PCN into *beds (norgs + 1, the caller frees). */
static int
load_beds(struct pccs_store *st, const struct pccs_tree *t,
          struct pccs_ent_year *y, double **beds, struct pccs_err *err)
{
    struct beds_ctx bc = {.t = t, .at = pccs_period_des_members_day(y->fy)};
    bc.beds = pccs_xcalloc(t->norgs + 1, sizeof(*bc.beds));
    *beds = bc.beds;
    int rc =
        pccs_store_periods_each(st, "care_home_beds", beds_period_cb, &bc, err);
    if (!rc && bc.period[0])
        rc = pccs_store_facts_each(st, "care_home_beds", bc.period, NULL,
                                   beds_cb, &bc, err);
    y->has_beds = bc.any;
    snprintf(y->beds_period, sizeof(y->beds_period), "%s", bc.period);
    y->beds_source = bc.source;
    return rc;
}

/* The DES populations of the year at a level (model/period.h). */
static int
populations(struct pccs_store *st, const struct pccs_tree *t,
            enum pccs_level level, const char *in, int fy, struct pccs_pop *pop,
            struct pccs_err *err)
{
    struct pccs_pop_query pq = {.level = level,
                                .in = in,
                                .at = PCCS_DAY_NONE,
                                .period = NULL,
                                .des = true,
                                .des_fy = fy};
    return pccs_population_rows(st, t, &pq, pop, err);
}

/* Each PCN's populations and the value of every line for it. */
static void
compute_pcns(struct pccs_ent_year *y, const double *beds)
{
    size_t n = y->pop.nrows, nl = y->lines.n;
    y->npcns = n;
    y->pcns = pccs_xcalloc(n + 1, sizeof(*y->pcns));
    y->values = pccs_xcalloc(n * nl + 1, sizeof(*y->values));
    for (size_t i = 0; i < n; i++) {
        const struct pccs_pop_row *r = &y->pop.rows[i];
        struct pccs_ent_pcn *c = &y->pcns[i];
        c->row = r;
        c->v = y->values + i * nl;
        c->pop = (struct pccs_ent_pop){
            .registered = r->registered,
            .weighted = r->weighted,
            .adjusted = pccs_ent_adjusted(r->weighted, y->scale),
            .has_beds = y->has_beds,
            .beds = beds[r->org],
            .national_weighted = y->national_weighted,
        };
        for (size_t l = 0; l < nl; l++)
            pccs_ent_line(&c->pop, &y->lines.l[l].r, &c->v[l]);
    }
}

int
pccs_ent_year_load(struct pccs_store *st, const struct pccs_tree *t,
                   const char *in, int fy, struct pccs_ent_year *y,
                   struct pccs_err *err)
{
    memset(y, 0, sizeof(*y));
    y->fy = fy;
    pccs_fy_format(fy, y->fyname);
    int rc = populations(st, t, PCCS_PCN, in, fy, &y->pop, err);
    if (!rc)
        rc = populations(st, t, PCCS_ENGLAND, NULL, fy, &y->nat, err);
    if (!rc)
        rc = pccs_rates_load_default(&y->rates, err);
    if (!rc)
        rc = pccs_ent_lines_load(&y->lines, &y->rates, fy, err);
    if (rc)
        return rc;
    const struct pccs_rate *mr =
        pccs_rates_get(&y->rates, "enhanced_access_minutes_per_1000", fy);
    y->minutes_rate = mr && mr->known ? mr->value : NAN;
    double *beds = NULL;
    rc = load_beds(st, t, y, &beds, err);
    if (!rc) {
        /* National figures: the adjusted estimate's ratio, the shares. */
        double nat_reg = y->nat.nrows ? y->nat.rows[0].registered : NAN;
        y->national_weighted = y->nat.nrows ? y->nat.rows[0].weighted : NAN;
        y->scale = pccs_ent_adjusted_scale(nat_reg, y->national_weighted);
        y->to_practices =
            pccs_xcalloc(y->lines.n + 1, sizeof(*y->to_practices));
        for (size_t l = 0; l < y->lines.n; l++)
            y->to_practices[l] = y->lines.l[l].practices;
        compute_pcns(y, beds);
    }
    free(beds);
    return rc;
}

void
pccs_ent_year_release(struct pccs_ent_year *y)
{
    pccs_pop_release(&y->pop);
    pccs_pop_release(&y->nat);
    pccs_rates_release(&y->rates);
    pccs_ent_lines_release(&y->lines);
    PCCS_FREE(y->to_practices, y->pcns, y->values);
    memset(y, 0, sizeof(*y));
}

int
pccs_ent_year_line(const struct pccs_ent_year *y, const char *name)
{
    for (size_t l = 0; l < y->lines.n; l++)
        if (strcmp(y->lines.l[l].name, name) == 0)
            return (int)l;
    return -1;
}

static void
add(double *acc, double v)
{
    if (!isnan(v))
        *acc += v;
}

/* How one known line of one PCN comes to its value. */
static void
explain_line(struct pccs_buf *b, const struct pccs_ent_line_info *l,
             const struct pccs_ent_pop *p, const struct pccs_ent_value *v)
{
    if (v->derived)
        pccs_buf_addf(b,
                      "derived: national sum %.0f x weighted %.2f / "
                      "national weighted %.2f",
                      l->r.national_sum.value, p->weighted,
                      p->national_weighted);
    else {
        bool first = true;
        for (int k = 0; k < PCCS_ENT_NBASES; k++) {
            if (!l->r.per[k].present)
                continue;
            const char *bn = k == PCCS_ENT_ADJUSTED ? "adjusted_estimate"
                                                    : pccs_ent_base_names[k];
            pccs_buf_addf(b, "%s%s %.2f x %g", first ? "" : " + ", bn,
                          pccs_ent_base_pop(p, (enum pccs_ent_base)k),
                          l->r.per[k].value);
            first = false;
        }
    }
    if (l->r.months.present)
        pccs_buf_addf(b, " x %g/12 months", l->r.months.value);
}

/* One line per entitlement: populations x rates = pounds, or why not. */
static void
explain_pcn(struct pccs_table *out, const struct pccs_ent_year *y,
            const struct pccs_ent_pcn *c)
{
    const char *code = c->row->code;
    const struct pccs_ent_pop *p = &c->pop;
    pccs_table_note(out,
                    "explain %s: registered %.0f; weighted %.2f; "
                    "adjusted_estimate = %.2f x %.6f = %.2f",
                    code, p->registered, p->weighted, p->weighted, y->scale,
                    p->adjusted);
    for (size_t i = 0; i < y->pop.nnotes; i++)
        if (strstr(y->pop.notes[i], "used in place of"))
            pccs_table_note(out, "explain %s: %s", code, y->pop.notes[i]);
    for (size_t i = 0; i < y->lines.n; i++) {
        const struct pccs_ent_line_info *l = &y->lines.l[i];
        const char *to = l->practices ? " (paid to practices, not in the "
                                        "PCN total)"
                                      : "";
        if (!l->applies)
            continue;
        if (!c->v[i].known) {
            pccs_table_note(
                out, "explain %s: %s: unknown (%s)%s", code, l->name,
                l->reason[0] ? l->reason : "care home beds not loaded", to);
            continue;
        }
        struct pccs_buf b = PCCS_BUF_INIT;
        explain_line(&b, l, p, &c->v[i]);
        pccs_table_note(out, "explain %s: %s: %s = %.2f%s", code, l->name, b.p,
                        c->v[i].value, to);
        pccs_buf_release(&b);
    }
    if (!isnan(y->minutes_rate))
        pccs_table_note(out,
                        "explain %s: enhanced access minutes per week = "
                        "%.2f / 1000 x %g = %.1f",
                        code, p->adjusted, y->minutes_rate,
                        pccs_ent_minutes(p->adjusted, y->minutes_rate));
    double total = 0, practices = 0;
    pccs_ent_add_known(c->v, y->to_practices, y->lines.n, &total, &practices);
    pccs_table_note(out, "explain %s: total_known = %.2f (PCN lines)", code,
                    total);
}

/* Accumulator columns before the lines. */
enum { A_PCNS, A_PRACTICES, A_REG, A_W, A_ADJ, A_NFIXED };

/* The rows of the table: PCNs summed into organisations at the level. */
struct ent_groups {
    size_t nl, na, n; /* lines, accumulators of a group, groups */
    int *slot;        /* org -> group, or -1 */
    int *orgs;        /* group -> org, sorted by code */
    double *acc;      /* n x na: A_*, the lines, minutes, two totals */
    bool *unknown;    /* n x (nl + 1): a line unknown for a PCN */
    size_t unplaced;  /* PCNs in no group */
    double unplaced_reg;
    pccs_day at;
};

/* Add one PCN's populations and lines to its group's accumulators. */
static void
accumulate(double *a, bool *unk, const struct pccs_ent_year *y,
           const struct pccs_ent_pcn *c)
{
    size_t nl = y->lines.n;
    a[A_PCNS] += 1;
    add(&a[A_PRACTICES], (double)c->row->practices);
    add(&a[A_REG], c->pop.registered);
    add(&a[A_W], c->pop.weighted);
    add(&a[A_ADJ], c->pop.adjusted);
    for (size_t l = 0; l < nl; l++) {
        if (c->v[l].applies && !c->v[l].known)
            unk[l] = true;
        add(&a[A_NFIXED + l], c->v[l].value);
    }
    pccs_ent_add_known(c->v, y->to_practices, nl, &a[A_NFIXED + nl + 1],
                       &a[A_NFIXED + nl + 2]);
    if (!isnan(y->minutes_rate))
        add(&a[A_NFIXED + nl],
            pccs_ent_minutes(c->pop.adjusted, y->minutes_rate));
}

static void
group_pcns(const struct pccs_tree *t, enum pccs_level level, bool explain,
           const struct pccs_ent_year *y, struct ent_groups *g,
           struct pccs_table *out)
{
    size_t n = y->npcns;
    g->nl = y->lines.n;
    g->na = A_NFIXED + g->nl + 3;
    g->at = pccs_period_des_members_day(y->fy);
    g->slot = pccs_xmalloc((t->norgs + 1) * sizeof(*g->slot));
    for (size_t i = 0; i <= t->norgs; i++)
        g->slot[i] = -1;
    g->orgs = pccs_xcalloc(n + 1, sizeof(*g->orgs));
    g->acc = pccs_xcalloc((n + 1) * g->na, sizeof(*g->acc));
    g->unknown = pccs_xcalloc((n + 1) * (g->nl + 1), sizeof(*g->unknown));
    for (size_t i = 0; i < n; i++) {
        const struct pccs_ent_pcn *c = &y->pcns[i];
        int pcn = c->row->org;
        int o = level == PCCS_PCN ? pcn
                                  : pccs_tree_ancestor(t, pcn, level, g->at, 0);
        if (o < 0) {
            g->unplaced++;
            g->unplaced_reg += c->row->registered;
            continue;
        }
        if (g->slot[o] < 0) {
            g->orgs[g->n] = o;
            g->slot[o] = (int)g->n++;
        }
        if (explain)
            explain_pcn(out, y, c);
        accumulate(g->acc + (size_t)g->slot[o] * g->na,
                   g->unknown + (size_t)g->slot[o] * (g->nl + 1), y, c);
    }
    pccs_tree_sort_by_code(t, g->orgs, g->n);
}

static void
groups_release(struct ent_groups *g)
{
    PCCS_FREE(g->slot, g->orgs, g->acc, g->unknown);
}

static void
emit_cols(struct pccs_table *out, const struct pccs_ent_year *y)
{
    static const struct pccs_build_col before[] = {
        PCCS_BUILD_ORG_COLS,           PCCS_BUILD_INT("pcns"),
        PCCS_BUILD_INT("practices"),   PCCS_BUILD_NUM("registered", 0),
        PCCS_BUILD_NUM("weighted", 2), PCCS_BUILD_NUM("adjusted_estimate", 2),
    };
    static const struct pccs_build_col after[] = {
        PCCS_BUILD_NUM("enhanced_access_minutes_per_week", 1),
        PCCS_BUILD_NUM("total_known", 2),
        PCCS_BUILD_NUM("practice_income_known", 2),
        PCCS_BUILD_TEXT("derived"),
        PCCS_BUILD_TEXT("year"),
        PCCS_BUILD_TEXT("populations_source"),
    };
    PCCS_BUILD_COLS(out, before);
    for (size_t l = 0; l < y->lines.n; l++)
        pccs_table_col(out, y->lines.l[l].name, PCCS_COL_NUM, 2);
    PCCS_BUILD_COLS(out, after);
}

/* The group's figures, from pcns to the totals. */
static void
emit_figures(struct pccs_table *out, const struct pccs_ent_year *y,
             const double *a, const bool *unk)
{
    size_t nl = y->lines.n;
    pccs_table_int(out, (int64_t)a[A_PCNS]);
    pccs_table_int(out, (int64_t)a[A_PRACTICES]);
    pccs_table_num(out, a[A_REG]);
    pccs_table_num(out, a[A_W]);
    pccs_table_num(out, a[A_ADJ]);
    for (size_t l = 0; l < nl; l++) {
        if (!y->lines.l[l].applies || unk[l])
            pccs_table_null(out);
        else
            pccs_table_num(out, a[A_NFIXED + l]);
    }
    if (!isnan(y->minutes_rate))
        pccs_table_num(out, a[A_NFIXED + nl]);
    else
        pccs_table_null(out);
    pccs_table_num(out, a[A_NFIXED + nl + 1]);
    pccs_table_num(out, a[A_NFIXED + nl + 2]);
}

static void
emit_rows(struct pccs_table *out, const struct pccs_tree *t,
          const struct pccs_ent_year *y, const struct ent_groups *g)
{
    const char *popsrc = y->pop.nrows ? y->pop.source : "";
    struct pccs_buf derived = PCCS_BUF_INIT;
    for (size_t l = 0; l < y->lines.n; l++)
        if (y->lines.l[l].derived)
            pccs_buf_addf(&derived, "%s%s", derived.len ? " " : "",
                          y->lines.l[l].name);
    for (size_t k = 0; k < g->n; k++) {
        int o = g->orgs[k];
        size_t s = (size_t)g->slot[o];
        pccs_build_org_row(out, t, o, pccs_tree_up(t, o, g->at, 0), g->at);
        emit_figures(out, y, g->acc + s * g->na, g->unknown + s * (g->nl + 1));
        pccs_table_text(out, derived.len ? derived.p : "");
        pccs_table_text(out, y->fyname);
        pccs_table_text(out, popsrc);
    }
    pccs_buf_release(&derived);
}

/* Every line with its rate and source, or why it is empty. */
static void
line_notes(const struct pccs_ent_year *y, struct pccs_table *out)
{
    const char *fyname = y->fyname;
    for (size_t l = 0; l < y->lines.n; l++) {
        const struct pccs_ent_line_info *li = &y->lines.l[l];
        if (!li->applies)
            continue;
        if (li->known && li->derived)
            pccs_table_note(out,
                            "%s %s: %s (national weighted %.2f); marked in "
                            "the derived column%s",
                            li->name, fyname, li->basis, y->national_weighted,
                            li->practices ? "; paid to practices" : "");
        else if (li->known)
            pccs_table_note(out, "%s %s: %s%s", li->name, fyname, li->basis,
                            li->practices ? "; paid to practices, not in "
                                            "the PCN total"
                                          : "");
        else
            pccs_table_note(out, "%s: rate unknown for %s (%s)", li->name,
                            fyname, li->reason);
    }
    struct pccs_buf notpaid = PCCS_BUF_INIT;
    for (size_t l = 0; l < y->lines.n; l++)
        if (!y->lines.l[l].applies)
            pccs_buf_addf(&notpaid, "%s%s", notpaid.len ? ", " : "",
                          y->lines.l[l].name);
    if (notpaid.len)
        pccs_table_note(out,
                        "not paid in %s (no rate row for the year in "
                        "data/rates): %s",
                        fyname, notpaid.p);
    pccs_buf_release(&notpaid);
}

void
pccs_ent_year_notes(const struct pccs_ent_year *y, struct pccs_table *out)
{
    for (size_t i = 0; i < y->pop.nnotes; i++)
        pccs_table_note(out, "%s", y->pop.notes[i]);
    pccs_table_note(out,
                    "adjusted_estimate = weighted x national registered / "
                    "national weighted (%.6f): the DES definition of PCN "
                    "Adjusted Population was not found (reference/rules.md "
                    "2.3); treat the lines on the adjusted population as "
                    "estimates",
                    y->scale);
    line_notes(y, out);
    /* Every rate row of the year with its source. */
    for (size_t i = 0; i < y->rates.n; i++) {
        const struct pccs_rate *x = &y->rates.r[i];
        if (x->year != y->fy || !x->known ||
            !(item_line(x->item) || strstr(x->item, "_months") ||
              strcmp(x->item, "enhanced_access_minutes_per_1000") == 0))
            continue;
        pccs_table_note(out, "%s %s: %g %s; source: %s [%s]", x->item,
                        y->fyname, x->value, x->unit, x->source, x->confidence);
    }
}

/* The care home beds the care home premium rests on. */
static void
beds_note(struct pccs_store *st, const struct pccs_ent_year *y,
          struct pccs_table *out, struct pccs_err *err)
{
    bool chp = false;
    for (size_t l = 0; l < y->lines.n; l++)
        chp = chp || (y->lines.l[l].applies &&
                      y->lines.l[l].r.per[PCCS_ENT_BED].present);
    if (chp && !y->has_beds)
        pccs_table_note(out, "care_home_premium: care home beds are not "
                             "loaded (a local register)");
    else if (y->has_beds) {
        struct pccs_source_info si;
        if (pccs_store_source_get(st, y->beds_source, &si, err) == PCCS_OK)
            pccs_table_note(out,
                            "care home beds: %s, as of %s (%s); a "
                            "practice's beds count in its PCN",
                            si.publication, y->beds_period,
                            si.path ? si.path : "?");
        pccs_err_clear(err);
    }
}

static void
emit_notes(struct pccs_store *st, enum pccs_level level,
           const struct pccs_ent_year *y, const struct ent_groups *g,
           struct pccs_table *out, struct pccs_err *err)
{
    if (g->unplaced) {
        char d[16];
        pccs_date_format(g->at, d);
        pccs_table_note(out,
                        "%zu PCNs (%.0f registered) have no %s as at %s and "
                        "are in no row",
                        g->unplaced, g->unplaced_reg, pccs_level_name(level),
                        d);
    }
    pccs_ent_year_notes(y, out);
    beds_note(st, y, out, err);
    pccs_table_note(out, "total_known sums the PCN's lines whose rate and "
                         "population are known; practice_income_known the "
                         "lines paid to practices; an empty line is not "
                         "paid that year or its rate is unknown (above)");
}

/* --year, or the latest year of weighted populations loaded. */
static int
pick_year(struct pccs_store *st, const struct pccs_tree *t,
          const struct pccs_table_query *q, int *fy, struct pccs_err *err)
{
    if (q->period) {
        if (pccs_fy_parse(pccs_str_from(q->period), fy))
            return pccs_err_set(err, PCCS_EINVAL,
                                "--year must be a financial year such as "
                                "2021-22, not %s",
                                q->period);
        return PCCS_OK;
    }
    int rc = pccs_period_latest_fy(st, "weighted", fy, err);
    if (!rc && *fy < 0)
        *fy = pccs_fy_of(pccs_tree_default_day(t));
    return rc;
}

int
pccs_entitlements_table(struct pccs_store *st, const struct pccs_tree *t,
                        const struct pccs_table_query *q,
                        struct pccs_table *out, struct pccs_err *err)
{
    enum pccs_level level = q->level == PCCS_LEVEL_NONE ? PCCS_PCN : q->level;
    pccs_table_init(out, "entitlements");
    if (level < PCCS_PCN)
        return pccs_err_set(err, PCCS_EINVAL,
                            "entitlements are a PCN's: --level must be pcn "
                            "or above");
    int fy = -1;
    int rc = pick_year(st, t, q, &fy, err);
    if (rc)
        return rc;
    struct pccs_ent_year y;
    rc = pccs_ent_year_load(st, t, q->in, fy, &y, err);
    if (!rc) {
        struct ent_groups g = {.n = 0};
        group_pcns(t, level, q->explain, &y, &g, out);
        emit_cols(out, &y);
        emit_rows(out, t, &y, &g);
        emit_notes(st, level, &y, &g, out, err);
        groups_release(&g);
    }
    pccs_ent_year_release(&y);
    return rc;
}
