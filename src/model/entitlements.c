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
#include "base/path.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "calc/period.h"
#include "formats/csv.h"
#include "model/period.h"
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
    const char *env = getenv("PCCS_PCN_LINES");
    char path[4096];
    if (env && *env)
        snprintf(path, sizeof(path), "%s", env);
    else if (!pccs_data_path("maps/pcn_lines.csv", path, sizeof(path)))
        return PCCS_OK; /* no metadata: the lines the rates name */
    struct pccs_csv_reader *r;
    int rc = pccs_csv_open(&r, path, NULL, PCCS_CSV_SAME_WIDTH, err);
    if (rc)
        return rc;
    struct pccs_csv_record rec;
    rc = pccs_csv_next(r, &rec, err);
    if (rc == 1 && (rec.nfields < 3 || !pccs_str_eq(rec.fields[0], "line")))
        rc = pccs_err_at(err, PCCS_EPARSE, path, 1, 1,
                         "expected the columns line,label,paid_to,source");
    while (rc == 1 && (rc = pccs_csv_next(r, &rec, err)) == 1) {
        struct pccs_str n = pccs_str_trim(rec.fields[0]);
        struct pccs_str lb = pccs_str_trim(rec.fields[1]);
        if (!n.len)
            continue;
        struct pccs_ent_line_info *l = line_add(ls, n.p, n.len);
        if (lb.len)
            snprintf(l->label, sizeof(l->label), "%.*s", (int)lb.len, lb.p);
        l->practices = pccs_str_eq(pccs_str_trim(rec.fields[2]), "practices");
    }
    pccs_csv_free(r);
    return rc < 0 ? rc : PCCS_OK;
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

/* One line per entitlement: populations x rates = pounds, or why not. */
static void
explain_pcn(struct pccs_table *out, const char *code,
            const struct pccs_ent_pop *p, const struct pccs_ent_lines *ls,
            const struct pccs_ent_value *v, double scale,
            const struct pccs_table *pop, double minutes_rate)
{
    pccs_table_note(out,
                    "explain %s: registered %.0f; weighted %.2f; "
                    "adjusted_estimate = %.2f x %.6f = %.2f",
                    code, p->registered, p->weighted, p->weighted, scale,
                    p->adjusted);
    for (size_t i = 0; i < pop->nnotes; i++)
        if (strstr(pop->notes[i], "used in place of"))
            pccs_table_note(out, "explain %s: %s", code, pop->notes[i]);
    double total = 0;
    for (size_t i = 0; i < ls->n; i++) {
        const struct pccs_ent_line_info *l = &ls->l[i];
        const char *to = l->practices ? " (paid to practices, not in the "
                                        "PCN total)"
                                      : "";
        if (!l->applies)
            continue;
        if (!v[i].known) {
            pccs_table_note(
                out, "explain %s: %s: unknown (%s)%s", code, l->name,
                l->reason[0] ? l->reason : "care home beds not loaded", to);
            continue;
        }
        if (!l->practices)
            total += v[i].value;
        struct pccs_buf b = PCCS_BUF_INIT;
        if (v[i].derived)
            pccs_buf_addf(&b,
                          "derived: national sum %.0f x weighted %.2f / "
                          "national weighted %.2f",
                          l->r.national_sum.value, p->weighted,
                          p->national_weighted);
        else {
            bool first = true;
            for (int k = 0; k < PCCS_ENT_NBASES; k++) {
                if (!l->r.per[k].present)
                    continue;
                const char *bn = k == PCCS_ENT_ADJUSTED
                                     ? "adjusted_estimate"
                                     : pccs_ent_base_names[k];
                pccs_buf_addf(&b, "%s%s %.2f x %g", first ? "" : " + ", bn,
                              pccs_ent_base_pop(p, (enum pccs_ent_base)k),
                              l->r.per[k].value);
                first = false;
            }
        }
        if (l->r.months.present)
            pccs_buf_addf(&b, " x %g/12 months", l->r.months.value);
        pccs_table_note(out, "explain %s: %s: %s = %.2f%s", code, l->name, b.p,
                        v[i].value, to);
        pccs_buf_release(&b);
    }
    if (!isnan(minutes_rate))
        pccs_table_note(out,
                        "explain %s: enhanced access minutes per week = "
                        "%.2f / 1000 x %g = %.1f",
                        code, p->adjusted, minutes_rate,
                        pccs_ent_minutes(p->adjusted, minutes_rate));
    pccs_table_note(out, "explain %s: total_known = %.2f (PCN lines)", code,
                    total);
}

/* Accumulator columns before the lines. */
enum { A_PCNS, A_PRACTICES, A_REG, A_W, A_ADJ, A_NFIXED };

int
pccs_entitlements_table(struct pccs_store *st, const struct pccs_tree *t,
                        const struct pccs_table_query *q,
                        struct pccs_table *out, struct pccs_err *err)
{
    enum pccs_level level = q->level == PCCS_LEVEL_NONE ? PCCS_PCN : q->level;
    struct pccs_table pop, nat;
    struct pccs_rates rates = PCCS_RATES_INIT;
    struct pccs_ent_lines ls = {NULL, 0};
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
        rc = pccs_period_latest_fy(st, "weighted", &fy, err);
        if (rc)
            goto out;
        if (fy < 0)
            fy = pccs_fy_of(pccs_tree_default_day(t));
    }
    char fyname[8];
    pccs_fy_format(fy, fyname);
    rc = populations(st, t, PCCS_PCN, q->in, fy, &pop, err);
    if (!rc)
        rc = populations(st, t, PCCS_ENGLAND, NULL, fy, &nat, err);
    if (!rc)
        rc = pccs_rates_load_default(&rates, err);
    if (!rc)
        rc = pccs_ent_lines_load(&ls, &rates, fy, err);
    if (rc)
        goto out;
    const struct pccs_rate *mr =
        pccs_rates_get(&rates, "enhanced_access_minutes_per_1000", fy);
    double minutes_rate = mr && mr->known ? mr->value : NAN;

    /* Care home beds, if the local register is loaded. */
    struct beds_ctx bc = {t, pccs_period_des_members_day(fy), NULL, false, "",
                          0};
    bc.beds = pccs_xcalloc(t->norgs + 1, sizeof(*bc.beds));
    rc =
        pccs_store_periods_each(st, "care_home_beds", beds_period_cb, &bc, err);
    if (!rc && bc.period[0])
        rc = pccs_store_facts_each(st, "care_home_beds", bc.period, NULL,
                                   beds_cb, &bc, err);
    if (rc) {
        free(bc.beds);
        goto out;
    }
    /* National figures: the adjusted estimate's ratio, the ARRS share. */
    double nat_reg = nat.nrows ? num(&nat, 0, 4) : NAN;
    double nat_w = nat.nrows ? num(&nat, 0, 5) : NAN;
    double scale = nat_w > 0 ? nat_reg / nat_w : NAN;

    /* One accumulator row per output organisation. */
    size_t n = pop.nrows, nl = ls.n, na = A_NFIXED + nl + 3;
    int *slot = pccs_xmalloc((t->norgs + 1) * sizeof(*slot));
    for (size_t i = 0; i <= t->norgs; i++)
        slot[i] = -1;
    int *orgs = pccs_xcalloc(n + 1, sizeof(*orgs));
    double *acc = pccs_xcalloc((n + 1) * na, sizeof(*acc));
    bool *unknown = pccs_xcalloc((n + 1) * (nl + 1), sizeof(*unknown));
    struct pccs_ent_value *v = pccs_xcalloc(nl + 1, sizeof(*v));
    size_t ngroups = 0;
    pccs_day at = pccs_period_des_members_day(fy);
    size_t unplaced = 0;
    double unplaced_reg = 0;
    for (size_t i = 0; i < n; i++) {
        const char *code = pccs_table_cell(&pop, i, 0)->text;
        int pcn = pccs_tree_find(t, code);
        int g =
            level == PCCS_PCN ? pcn : pccs_tree_ancestor(t, pcn, level, at, 0);
        if (g < 0) {
            unplaced++;
            unplaced_reg += num(&pop, i, 4);
            continue;
        }
        if (slot[g] < 0) {
            orgs[ngroups] = g;
            slot[g] = (int)ngroups++;
        }
        double *a = acc + (size_t)slot[g] * na;
        bool *unk = unknown + (size_t)slot[g] * (nl + 1);
        struct pccs_ent_pop p = {num(&pop, i, 4),
                                 num(&pop, i, 5),
                                 num(&pop, i, 5) * scale,
                                 bc.any,
                                 pcn >= 0 ? bc.beds[pcn] : 0,
                                 nat_w};
        for (size_t l = 0; l < nl; l++)
            pccs_ent_line(&p, &ls.l[l].r, &v[l]);
        if (q->explain)
            explain_pcn(out, code, &p, &ls, v, scale, &pop, minutes_rate);
        a[A_PCNS] += 1;
        add(&a[A_PRACTICES], num(&pop, i, 3));
        add(&a[A_REG], p.registered);
        add(&a[A_W], p.weighted);
        add(&a[A_ADJ], p.adjusted);
        for (size_t l = 0; l < nl; l++) {
            if (v[l].applies && !v[l].known)
                unk[l] = true;
            add(&a[A_NFIXED + l], v[l].value);
            if (v[l].known && !ls.l[l].practices)
                a[A_NFIXED + nl + 1] += v[l].value;
            else if (v[l].known)
                a[A_NFIXED + nl + 2] += v[l].value;
        }
        if (!isnan(minutes_rate))
            add(&a[A_NFIXED + nl], pccs_ent_minutes(p.adjusted, minutes_rate));
    }
    pccs_tree_sort_by_code(t, orgs, ngroups);

    pccs_table_col(out, "code", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "name", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "parent_code", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "pcns", PCCS_COL_INT, 0);
    pccs_table_col(out, "practices", PCCS_COL_INT, 0);
    pccs_table_col(out, "registered", PCCS_COL_NUM, 0);
    pccs_table_col(out, "weighted", PCCS_COL_NUM, 2);
    pccs_table_col(out, "adjusted_estimate", PCCS_COL_NUM, 2);
    for (size_t l = 0; l < nl; l++)
        pccs_table_col(out, ls.l[l].name, PCCS_COL_NUM, 2);
    pccs_table_col(out, "enhanced_access_minutes_per_week", PCCS_COL_NUM, 1);
    pccs_table_col(out, "total_known", PCCS_COL_NUM, 2);
    pccs_table_col(out, "practice_income_known", PCCS_COL_NUM, 2);
    pccs_table_col(out, "derived", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "year", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "populations_source", PCCS_COL_TEXT, 0);
    const char *popsrc = pop.nrows ? pccs_table_cell(&pop, 0, 6)->text : "";
    struct pccs_buf derived = PCCS_BUF_INIT;
    for (size_t l = 0; l < nl; l++)
        if (ls.l[l].derived)
            pccs_buf_addf(&derived, "%s%s", derived.len ? " " : "",
                          ls.l[l].name);
    for (size_t k = 0; k < ngroups; k++) {
        int g = orgs[k];
        const double *a = acc + (size_t)slot[g] * na;
        const bool *unk = unknown + (size_t)slot[g] * (nl + 1);
        const struct pccs_tree_org *o = &t->orgs[g];
        int parent = pccs_tree_up(t, g, at, 0);
        pccs_table_row(out);
        pccs_table_text(out, o->code);
        pccs_table_text(out, pccs_tree_name(t, g, at));
        pccs_table_text(out, parent >= 0 ? t->orgs[parent].code : "");
        pccs_table_int(out, (int64_t)a[A_PCNS]);
        pccs_table_int(out, (int64_t)a[A_PRACTICES]);
        pccs_table_num(out, a[A_REG]);
        pccs_table_num(out, a[A_W]);
        pccs_table_num(out, a[A_ADJ]);
        for (size_t l = 0; l < nl; l++) {
            if (!ls.l[l].applies || unk[l])
                pccs_table_null(out);
            else
                pccs_table_num(out, a[A_NFIXED + l]);
        }
        if (!isnan(minutes_rate))
            pccs_table_num(out, a[A_NFIXED + nl]);
        else
            pccs_table_null(out);
        pccs_table_num(out, a[A_NFIXED + nl + 1]);
        pccs_table_num(out, a[A_NFIXED + nl + 2]);
        pccs_table_text(out, derived.len ? derived.p : "");
        pccs_table_text(out, fyname);
        pccs_table_text(out, popsrc);
    }
    pccs_buf_release(&derived);
    if (unplaced) {
        char d[16];
        pccs_date_format(at, d);
        pccs_table_note(out,
                        "%zu PCNs (%.0f registered) have no %s as at %s and "
                        "are in no row",
                        unplaced, unplaced_reg, pccs_level_name(level), d);
    }
    /* Notes: the populations, then every line with its rate and source
     * or why it is empty. */
    for (size_t i = 0; i < pop.nnotes; i++)
        pccs_table_note(out, "%s", pop.notes[i]);
    pccs_table_note(out,
                    "adjusted_estimate = weighted x national registered / "
                    "national weighted (%.6f): the DES definition of PCN "
                    "Adjusted Population was not found (reference/rules.md "
                    "2.3); treat the lines on the adjusted population as "
                    "estimates",
                    scale);
    for (size_t l = 0; l < nl; l++) {
        const struct pccs_ent_line_info *li = &ls.l[l];
        if (!li->applies)
            continue;
        if (li->known && li->derived)
            pccs_table_note(out,
                            "%s %s: %s (national weighted %.2f); marked in "
                            "the derived column%s",
                            li->name, fyname, li->basis, nat_w,
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
    for (size_t l = 0; l < nl; l++)
        if (!ls.l[l].applies)
            pccs_buf_addf(&notpaid, "%s%s", notpaid.len ? ", " : "",
                          ls.l[l].name);
    if (notpaid.len)
        pccs_table_note(out,
                        "not paid in %s (no rate row for the year in "
                        "data/rates): %s",
                        fyname, notpaid.p);
    pccs_buf_release(&notpaid);
    /* Every rate row of the year with its source. */
    for (size_t i = 0; i < rates.n; i++) {
        const struct pccs_rate *x = &rates.r[i];
        if (x->year != fy || !x->known ||
            !(item_line(x->item) || strstr(x->item, "_months") ||
              strcmp(x->item, "enhanced_access_minutes_per_1000") == 0))
            continue;
        pccs_table_note(out, "%s %s: %g %s; source: %s [%s]", x->item, fyname,
                        x->value, x->unit, x->source, x->confidence);
    }
    bool chp = false;
    for (size_t l = 0; l < nl; l++)
        chp = chp || (ls.l[l].applies && ls.l[l].r.per[PCCS_ENT_BED].present);
    if (chp && !bc.any)
        pccs_table_note(out, "care_home_premium: care home beds are not "
                             "loaded (a local register)");
    else if (bc.any) {
        struct pccs_source_info si;
        if (pccs_store_source_get(st, bc.source, &si, err) == PCCS_OK)
            pccs_table_note(out,
                            "care home beds: %s, as of %s (%s); a "
                            "practice's beds count in its PCN",
                            si.publication, bc.period, si.path ? si.path : "?");
        pccs_err_clear(err);
    }
    free(bc.beds);
    pccs_table_note(out, "total_known sums the PCN's lines whose rate and "
                         "population are known; practice_income_known the "
                         "lines paid to practices; an empty line is not "
                         "paid that year or its rate is unknown (above)");
    free(slot);
    free(orgs);
    free(acc);
    free(unknown);
    free(v);
    rc = PCCS_OK;
out:
    pccs_table_release(&pop);
    pccs_table_release(&nat);
    pccs_rates_release(&rates);
    pccs_ent_lines_release(&ls);
    return rc;
}
