/* SPDX-License-Identifier: MIT */
/*
 * The payments table: NHS Payments to General Practice for a year per
 * organisation: the contract type (practices), total, the core contract
 * (global sum, MPIG correction and the PMS/APMS balance, which is where a
 * PMS or APMS practice's core money is, its global sum being small or
 * nil), QOF, the network participation payment (practice income, inside
 * total) and the PCN's own DES payments (paid to a practice for its PCN,
 * outside total), per registered and per weighted patient.
 *
 * Deciles of the payment per weighted patient for practices (among every
 * practice of England) and PCNs (among every PCN of England), none above
 * (too few organisations for a tenth to mean something); for practices, a
 * flag when outside the 5th to 95th percentile of every practice in their
 * ICB, whatever --in shows. Practices with fewer registered or weighted
 * patients than data/rules/payments.csv sets are left out of deciles and
 * percentiles and say why. --contract keeps the practices of one contract
 * type. With --compare the change from another loaded year. Practices are
 * placed as that year's file placed them.
 */
#include "model/tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/hmap.h"
#include "base/xalloc.h"
#include "calc/stats.h"
#include "model/rates.h"

enum {
    M_REG,
    M_W,
    M_TOTAL,
    M_GS,
    M_MPIG,
    M_PMS,
    M_QOF,
    M_NPP,
    M_PCN_LEAD,
    M_PCN_SUPPORT,
    M_PCN_EH,
    M_PCN_WORKFORCE,
    M_PCN_IIF,
    M_PCN_CHP,
    M_PCN_EA,
    M_N
};

static const char *const measures[M_N] = {
    "registered",
    "weighted",
    "pay_total_nhs_payments_to_general_practice",
    "pay_global_sum",
    "pay_mpig_correction_factor",
    "pay_balance_of_pms_expenditure",
    "pay_total_qof_payments",
    "pay_pcn_participation",
    "pay_pcn_leadership",
    "pay_pcn_support",
    "pay_pcn_extended_hours_access",
    "pay_pcn_workforce",
    "pay_pcn_investment_and_impact_fund",
    "pay_pcn_care_home_premium",
    "pay_pcn_enhanced_access",
};

struct year_data {
    struct pccs_hmap prac; /* practice code -> index + 1 */
    double (*v)[M_N];
    bool (*has)[M_N];
    int *org;
    char **contract; /* as the file gives it, or NULL */
    size_t n, cap;
    int m;
    int64_t source;
};

static int
fact_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct year_data *y = ctx;
    bool created;
    struct pccs_hmap_entry *e =
        pccs_hmap_put(&y->prac, f->org, strlen(f->org), &created);
    if (created) {
        if (y->n == y->cap) {
            y->cap = y->cap ? y->cap * 2 : 8192;
            y->v = pccs_xreallocarray(y->v, y->cap, sizeof(*y->v));
            y->has = pccs_xreallocarray(y->has, y->cap, sizeof(*y->has));
            y->org = pccs_xreallocarray(y->org, y->cap, sizeof(*y->org));
            y->contract =
                pccs_xreallocarray(y->contract, y->cap, sizeof(*y->contract));
        }
        y->contract[y->n] = NULL;
        memset(y->v[y->n], 0, sizeof(y->v[0]));
        memset(y->has[y->n], 0, sizeof(y->has[0]));
        y->org[y->n] = -1;
        e->ival = (int64_t)++y->n;
    }
    y->v[e->ival - 1][y->m] = f->value;
    y->has[e->ival - 1][y->m] = true;
    if (y->m == M_REG)
        y->source = f->source_id;
    return 0;
}

static int
contract_cb(void *ctx, const struct pccs_attr_row *a)
{
    struct year_data *y = ctx;
    if (a->source_id != y->source || strcmp(a->key, "contract_type") != 0 ||
        !a->value)
        return 0;
    struct pccs_hmap_entry *e = pccs_hmap_get(&y->prac, a->org, strlen(a->org));
    if (e && !y->contract[e->ival - 1])
        y->contract[e->ival - 1] = pccs_xstrdup(a->value);
    return 0;
}

static int
load_year(struct pccs_store *st, const struct pccs_tree *t, const char *fy,
          struct year_data *y, struct pccs_err *err)
{
    for (int m = 0; m < M_N; m++) {
        y->m = m;
        int rc =
            pccs_store_facts_each(st, measures[m], fy, NULL, fact_cb, y, err);
        if (rc)
            return rc;
    }
    if (!y->n)
        return pccs_err_set(err, PCCS_ENOTFOUND,
                            "no NHS Payments to General Practice file loaded "
                            "for %s: load that year's file",
                            fy);
    struct pccs_hmap_entry *e;
    for (size_t i = 0; i < y->prac.cap; i++) {
        e = &y->prac.slots[i];
        if (e->key)
            y->org[e->ival - 1] = pccs_tree_find(t, e->key);
    }
    return pccs_store_attrs_each(st, NULL, contract_cb, y, err);
}

static void
year_release(struct year_data *y)
{
    pccs_hmap_release(&y->prac);
    for (size_t i = 0; i < y->n; i++)
        free(y->contract[i]);
    free(y->contract);
    free(y->v);
    free(y->has);
    free(y->org);
}

/* Sums per organisation at level, for one year. */
static bool
contract_is(const struct year_data *y, size_t i, const char *contract)
{
    return !contract ||
           (y->contract[i] && strcasecmp(y->contract[i], contract) == 0);
}

static void
sum_level(const struct pccs_tree *t, const struct year_data *y,
          enum pccs_level level, int in_org, pccs_day at, const char *contract,
          double (*sum)[M_N], int64_t *count)
{
    for (size_t i = 0; i < y->n; i++) {
        if (y->org[i] < 0 || !contract_is(y, i, contract))
            continue;
        if (in_org >= 0 &&
            pccs_tree_ancestor(t, y->org[i], t->orgs[in_org].level, at,
                               y->source) != in_org)
            continue;
        int g = pccs_tree_ancestor(t, y->org[i], level, at, y->source);
        if (g < 0)
            continue;
        count[g]++;
        for (int m = 0; m < M_N; m++) {
            if (y->has[i][m])
                sum[g][m] += y->v[i][m];
        }
    }
}

/* data/rules/payments.csv: parameter,value,source,confidence. */
struct pay_rules {
    double min_registered, min_weighted;
    char path[4096];
    char source[512];
};

static int
load_rules(struct pay_rules *ru, struct pccs_err *err)
{
    static const char *const names[] = {"min_registered", "min_weighted"};
    double v[2];
    char src[2][512];
    int rc = pccs_rules_params("payments.csv", names, 2, v, src, ru->path,
                               sizeof(ru->path), err);
    ru->min_registered = v[0];
    ru->min_weighted = v[1];
    snprintf(ru->source, sizeof(ru->source), "%s", src[0]);
    return rc;
}

/* Why practice i is left out of deciles and percentiles; "" if it is not. */
static void
exclusion(const struct year_data *y, size_t i, const struct pay_rules *ru,
          char *out, size_t n)
{
    double reg = y->v[i][M_REG], w = y->v[i][M_W];
    out[0] = '\0';
    if (!y->has[i][M_REG] || reg <= 0)
        snprintf(out, n, "no registered patients");
    else if (reg < ru->min_registered)
        snprintf(out, n, "%.2f registered patients, fewer than %.0f", reg,
                 ru->min_registered);
    else if (!y->has[i][M_W] || w <= 0)
        snprintf(out, n, "no weighted patients");
    else if (w < ru->min_weighted)
        snprintf(out, n, "%.2f weighted patients, fewer than %.0f", w,
                 ru->min_weighted);
}

static double
core_contract(const double *s)
{
    return s[M_GS] + s[M_MPIG] + s[M_PMS];
}

static double
pcn_des(const double *s)
{
    double v = 0;
    for (int m = M_PCN_LEAD; m <= M_PCN_EA; m++)
        v += s[m];
    return v;
}

static double
per_weighted(const double *s)
{
    return s[M_W] > 0 ? s[M_TOTAL] / s[M_W] : NAN;
}

int
pccs_payments_table(struct pccs_store *st, const struct pccs_tree *t,
                    const struct pccs_table_query *q, struct pccs_table *out,
                    struct pccs_err *err)
{
    enum pccs_level level =
        q->level == PCCS_LEVEL_NONE ? PCCS_PRACTICE : q->level;
    struct year_data cur = {.prac = PCCS_HMAP_INIT};
    struct year_data cmp = {.prac = PCCS_HMAP_INIT};
    struct pay_rules ru;
    double(*sum)[M_N] = NULL, (*csum)[M_N] = NULL;
    int64_t *count = NULL, *ccount = NULL;
    int *rows = NULL, *dec = NULL, *pdec = NULL, *icb_all = NULL;
    int *prac_of = NULL;
    double *ppw = NULL, *vals = NULL, *p5 = NULL, *p95 = NULL;
    size_t *vidx = NULL;
    char(*why)[80] = NULL;
    int rc;
    pccs_table_init(out, "payments");
    int fy, cfy = -1;
    if (!q->period || pccs_fy_parse(pccs_str_from(q->period), &fy)) {
        rc = pccs_err_set(err, PCCS_EINVAL,
                          "give the payments year: --year 2022-23");
        goto out;
    }
    if (q->compare && pccs_fy_parse(pccs_str_from(q->compare), &cfy)) {
        rc = pccs_err_set(err, PCCS_EINVAL,
                          "--compare must be a financial year such as "
                          "2020-21, not %s",
                          q->compare);
        goto out;
    }
    int in_org = -1;
    if (q->in && (in_org = pccs_tree_find(t, q->in)) < 0) {
        rc =
            pccs_err_set(err, PCCS_ENOTFOUND, "unknown organisation %s", q->in);
        goto out;
    }
    rc = load_rules(&ru, err);
    if (!rc)
        rc = load_year(st, t, q->period, &cur, err);
    if (!rc && q->compare)
        rc = load_year(st, t, q->compare, &cmp, err);
    if (rc)
        goto out;
    if (q->contract) {
        size_t i = 0;
        while (i < cur.n && !contract_is(&cur, i, q->contract))
            i++;
        if (i == cur.n) {
            rc = pccs_err_set(err, PCCS_ENOTFOUND,
                              "no practice of contract type %s in %s "
                              "(the file gives GMS, PMS, APMS or Unknown)",
                              q->contract, q->period);
            goto out;
        }
    }
    pccs_day at = pccs_fy_start(fy + 1) - 1;
    size_t no = t->norgs + 1;

    /*
     * Practices: who is left out, the ICB of each, and for those kept the
     * deciles among every practice of England and the 5th and 95th
     * percentiles of every practice of their ICB, all before --in and
     * --contract choose the rows shown.
     */
    why = pccs_xcalloc(cur.n + 1, sizeof(*why));
    icb_all = pccs_xcalloc(cur.n + 1, sizeof(*icb_all));
    vals = pccs_xcalloc(cur.n + 1, sizeof(*vals));
    vidx = pccs_xcalloc(cur.n + 1, sizeof(*vidx));
    pdec = pccs_xcalloc(cur.n + 1, sizeof(*pdec));
    prac_of = pccs_xcalloc(no, sizeof(*prac_of));
    for (size_t o = 0; o < no; o++)
        prac_of[o] = -1;
    size_t nkept = 0, nout = 0;
    double out_total = 0;
    for (size_t i = 0; i < cur.n; i++) {
        exclusion(&cur, i, &ru, why[i], sizeof(why[i]));
        icb_all[i] =
            cur.org[i] >= 0
                ? pccs_tree_ancestor(t, cur.org[i], PCCS_ICB, at, cur.source)
                : -1;
        if (cur.org[i] >= 0)
            prac_of[cur.org[i]] = (int)i;
        if (why[i][0]) {
            nout++;
            out_total += cur.v[i][M_TOTAL];
            continue;
        }
        vals[nkept] = per_weighted(cur.v[i]);
        vidx[nkept++] = i;
    }
    dec = pccs_xcalloc(nkept + 1, sizeof(*dec));
    pccs_deciles(vals, nkept, dec);
    for (size_t k = 0; k < nkept; k++)
        pdec[vidx[k]] = dec[k];
    free(dec);
    dec = NULL;
    p5 = pccs_xcalloc(no, sizeof(*p5));
    p95 = pccs_xcalloc(no, sizeof(*p95));
    bool *done = pccs_xcalloc(no, sizeof(*done));
    for (size_t i = 0; i < cur.n; i++) {
        int icb = icb_all[i];
        if (icb < 0 || done[icb])
            continue;
        done[icb] = true;
        size_t m = 0;
        for (size_t j = 0; j < cur.n; j++) {
            if (icb_all[j] == icb && !why[j][0])
                vals[m++] = per_weighted(cur.v[j]);
        }
        p5[icb] = pccs_percentile(vals, m, 5);
        p95[icb] = pccs_percentile(vals, m, 95);
    }
    free(done);

    sum = pccs_xcalloc(no, sizeof(*sum));
    count = pccs_xcalloc(no, sizeof(*count));
    sum_level(t, &cur, level, -1, at, q->contract, sum, count);
    if (q->compare) {
        csum = pccs_xcalloc(no, sizeof(*csum));
        ccount = pccs_xcalloc(no, sizeof(*ccount));
        sum_level(t, &cmp, level, in_org, pccs_fy_start(cfy + 1) - 1,
                  q->contract, csum, ccount);
    }
    rows = pccs_xcalloc(no, sizeof(*rows));
    size_t all = 0;
    for (size_t i = 0; i < t->norgs; i++) {
        if (count[i])
            rows[all++] = (int)i;
    }
    pccs_tree_sort_by_code(t, rows, all);
    ppw = pccs_xcalloc(all + 1, sizeof(*ppw));
    dec = pccs_xcalloc(all + 1, sizeof(*dec));
    for (size_t k = 0; k < all; k++)
        ppw[k] = per_weighted(sum[rows[k]]);
    if (level == PCCS_PCN)
        pccs_deciles(ppw, all, dec);
    else if (level == PCCS_PRACTICE) {
        for (size_t k = 0; k < all; k++)
            dec[k] = prac_of[rows[k]] >= 0 ? pdec[prac_of[rows[k]]] : 0;
    }
    /* Then keep the rows within --in (an organisation at or above). */
    size_t n = 0, shown_out = 0;
    for (size_t k = 0; k < all; k++) {
        if (in_org >= 0 &&
            pccs_tree_ancestor(t, rows[k], t->orgs[in_org].level, at,
                               cur.source) != in_org)
            continue;
        rows[n] = rows[k];
        ppw[n] = ppw[k];
        dec[n] = dec[k];
        n++;
    }

    pccs_table_col(out, "code", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "name", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "parent_code", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "contract_type", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "practices", PCCS_COL_INT, 0);
    pccs_table_col(out, "registered", PCCS_COL_NUM, 2);
    pccs_table_col(out, "weighted", PCCS_COL_NUM, 2);
    pccs_table_col(out, "total", PCCS_COL_NUM, 2);
    pccs_table_col(out, "global_sum", PCCS_COL_NUM, 2);
    pccs_table_col(out, "mpig", PCCS_COL_NUM, 2);
    pccs_table_col(out, "pms_apms_balance", PCCS_COL_NUM, 2);
    pccs_table_col(out, "core_contract", PCCS_COL_NUM, 2);
    pccs_table_col(out, "qof", PCCS_COL_NUM, 2);
    pccs_table_col(out, "network_participation", PCCS_COL_NUM, 2);
    pccs_table_col(out, "other", PCCS_COL_NUM, 2);
    pccs_table_col(out, "pcn_des", PCCS_COL_NUM, 2);
    pccs_table_col(out, "total_per_registered", PCCS_COL_NUM, 2);
    pccs_table_col(out, "total_per_weighted", PCCS_COL_NUM, 2);
    pccs_table_col(out, "decile", PCCS_COL_INT, 0);
    pccs_table_col(out, "flag", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "excluded", PCCS_COL_TEXT, 0);
    if (q->compare) {
        pccs_table_col(out, "compare_per_weighted", PCCS_COL_NUM, 2);
        pccs_table_col(out, "change_pct", PCCS_COL_NUM, 2);
    }
    pccs_table_col(out, "year", PCCS_COL_TEXT, 0);
    struct pccs_buf listed = PCCS_BUF_INIT;
    for (size_t k = 0; k < n; k++) {
        int o = rows[k];
        const double *s = sum[o];
        int parent = pccs_tree_up(t, o, at, cur.source);
        int pi = level == PCCS_PRACTICE ? prac_of[o] : -1;
        pccs_table_row(out);
        pccs_table_text(out, t->orgs[o].code);
        pccs_table_text(out, pccs_tree_name(t, o, at));
        pccs_table_text(out, parent >= 0 ? t->orgs[parent].code : "");
        pccs_table_text(out,
                        pi >= 0 && cur.contract[pi] ? cur.contract[pi] : "");
        pccs_table_int(out, count[o]);
        pccs_table_num(out, s[M_REG]);
        pccs_table_num(out, s[M_W]);
        pccs_table_num(out, s[M_TOTAL]);
        pccs_table_num(out, s[M_GS]);
        pccs_table_num(out, s[M_MPIG]);
        pccs_table_num(out, s[M_PMS]);
        pccs_table_num(out, core_contract(s));
        pccs_table_num(out, s[M_QOF]);
        pccs_table_num(out, s[M_NPP]);
        pccs_table_num(out, s[M_TOTAL] - core_contract(s) - s[M_QOF]);
        pccs_table_num(out, pcn_des(s));
        pccs_table_num(out, s[M_REG] > 0 ? s[M_TOTAL] / s[M_REG] : NAN);
        pccs_table_num(out, ppw[k]);
        if (dec[k])
            pccs_table_int(out, dec[k]);
        else
            pccs_table_null(out);
        char flag[64] = "";
        int icb = pi >= 0 ? icb_all[pi] : -1;
        if (icb >= 0 && !why[pi][0] && !isnan(ppw[k])) {
            const char *ic = t->orgs[icb].code;
            if (ppw[k] < p5[icb])
                snprintf(flag, sizeof(flag), "below 5th percentile of %s", ic);
            else if (ppw[k] > p95[icb])
                snprintf(flag, sizeof(flag), "above 95th percentile of %s", ic);
        }
        pccs_table_text(out, flag);
        pccs_table_text(out, pi >= 0 ? why[pi] : "");
        if (pi >= 0 && why[pi][0]) {
            if (shown_out++ < 20)
                pccs_buf_addf(&listed, "%s%s (%s)", shown_out > 1 ? "; " : "",
                              t->orgs[o].code, why[pi]);
        }
        if (q->compare) {
            double c = per_weighted(csum[o]);
            pccs_table_num(out, c);
            pccs_table_num(out, c > 0 ? (ppw[k] - c) / c * 100.0 : NAN);
        }
        pccs_table_text(out, q->period);
    }
    struct pccs_source_info si;
    if (pccs_store_source_get(st, cur.source, &si, err) == PCCS_OK)
        pccs_table_note(out, "%s, %s (%s)", si.publication, q->period,
                        si.path ? si.path : "?");
    pccs_err_clear(err);
    pccs_table_note(out, "total = Total NHS Payments to General Practice "
                         "(before deductions, without PCN DES and covid "
                         "lines); core_contract = global sum + MPIG "
                         "correction + balance of PMS expenditure (the "
                         "PMS/APMS baseline: a PMS or APMS practice's "
                         "global_sum is small or nil); other = total - "
                         "core_contract - QOF; per patient = sums over sums");
    pccs_table_note(out,
                    "contract_type as the payments file gives it "
                    "(GMS, PMS, APMS, or Unknown)%s%s",
                    q->contract ? "; only practices of contract type " : "",
                    q->contract ? q->contract : "");
    pccs_table_note(out, "network_participation: the Network Contract DES "
                         "participation payment, paid to each practice: "
                         "practice income, inside total (a PCN's row sums "
                         "its practices'); pcn_des: the PCN's own DES "
                         "payments (leadership, support, extended hours, "
                         "workforce, IIF, care home premium, enhanced "
                         "access) paid to a practice for its PCN, outside "
                         "total");
    if (level == PCCS_PRACTICE)
        pccs_table_note(out,
                        "decile of total_per_weighted among the %zu "
                        "practices of England kept (1 lowest); flag: "
                        "outside the 5th-95th percentile of the kept "
                        "practices of its ICB, whatever --in shows",
                        nkept);
    else if (level == PCCS_PCN)
        pccs_table_note(out,
                        "decile of total_per_weighted among the %zu "
                        "PCNs of England (1 lowest)",
                        all);
    else
        pccs_table_note(out,
                        "no decile at %s level: deciles are given "
                        "among the practices or the PCNs of England",
                        pccs_level_name(level));
    pccs_table_note(out,
                    "left out of deciles and percentiles: %zu practices "
                    "(£%.2f) with fewer than %.0f registered or %.0f "
                    "weighted patients (%s: %s)",
                    nout, out_total, ru.min_registered, ru.min_weighted,
                    ru.path, ru.source);
    if (shown_out)
        pccs_table_note(out, "left out here: %zu practices%s %s%s", shown_out,
                        shown_out > 20 ? ", the first 20:" : ":", listed.p,
                        shown_out > 20 ? " (column excluded)" : "");
    pccs_buf_release(&listed);
    if (q->compare)
        pccs_table_note(out, "compare: %s, with that year's memberships",
                        q->compare);
    pccs_table_note(out, "Contains public sector information licensed under "
                         "the Open Government Licence v3.0.");
    rc = PCCS_OK;
out:
    year_release(&cur);
    year_release(&cmp);
    free(sum);
    free(csum);
    free(count);
    free(ccount);
    free(rows);
    free(dec);
    free(pdec);
    free(ppw);
    free(vals);
    free(vidx);
    free(why);
    free(icb_all);
    free(prac_of);
    free(p5);
    free(p95);
    return rc;
}
