/* SPDX-License-Identifier: MIT */
/*
 * The payments table: NHS Payments to General Practice for a year per
 * organisation: total, global sum, QOF and the other lines, per registered
 * and per weighted patient; the decile of the payment per weighted patient
 * among the rows of the level; for practices, a flag when outside the 5th
 * to 95th percentile of their ICB; and with --compare the change from
 * another loaded year. Practices are placed as that year's file placed
 * them.
 */
#include "model/tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hmap.h"
#include "base/xalloc.h"
#include "calc/stats.h"

int pccs_payments_table(struct pccs_store *st, const struct pccs_tree *t,
                        const struct pccs_table_query *q,
                        struct pccs_table *out, struct pccs_err *err);

enum { M_REG, M_W, M_TOTAL, M_GS, M_QOF, M_N };

static const char *const measures[M_N] = {
    "registered",
    "weighted",
    "pay_total_nhs_payments_to_general_practice",
    "pay_global_sum",
    "pay_total_qof_payments",
};

struct year_data {
    struct pccs_hmap prac; /* practice code -> index + 1 */
    double (*v)[M_N];
    bool (*has)[M_N];
    int *org;
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
        }
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
                            "for %s",
                            fy);
    struct pccs_hmap_entry *e;
    for (size_t i = 0; i < y->prac.cap; i++) {
        e = &y->prac.slots[i];
        if (e->key)
            y->org[e->ival - 1] = pccs_tree_find(t, e->key);
    }
    return PCCS_OK;
}

static void
year_release(struct year_data *y)
{
    pccs_hmap_release(&y->prac);
    free(y->v);
    free(y->has);
    free(y->org);
}

/* Sums per organisation at level, for one year. */
static void
sum_level(const struct pccs_tree *t, const struct year_data *y,
          enum pccs_level level, int in_org, pccs_day at, double (*sum)[M_N],
          int64_t *count)
{
    for (size_t i = 0; i < y->n; i++) {
        if (y->org[i] < 0)
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

int
pccs_payments_table(struct pccs_store *st, const struct pccs_tree *t,
                    const struct pccs_table_query *q, struct pccs_table *out,
                    struct pccs_err *err)
{
    enum pccs_level level =
        q->level == PCCS_LEVEL_NONE ? PCCS_PRACTICE : q->level;
    struct year_data cur = {.prac = PCCS_HMAP_INIT};
    struct year_data cmp = {.prac = PCCS_HMAP_INIT};
    double(*sum)[M_N] = NULL, (*csum)[M_N] = NULL;
    int64_t *count = NULL, *ccount = NULL;
    int *rows = NULL, *dec = NULL;
    double *ppw = NULL;
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
    rc = load_year(st, t, q->period, &cur, err);
    if (!rc && q->compare)
        rc = load_year(st, t, q->compare, &cmp, err);
    if (rc)
        goto out;
    pccs_day at = pccs_fy_start(fy + 1) - 1;
    size_t no = t->norgs + 1;
    sum = pccs_xcalloc(no, sizeof(*sum));
    count = pccs_xcalloc(no, sizeof(*count));
    /* Every organisation of the level, so that deciles are national. */
    sum_level(t, &cur, level, -1, at, sum, count);
    if (q->compare) {
        csum = pccs_xcalloc(no, sizeof(*csum));
        ccount = pccs_xcalloc(no, sizeof(*ccount));
        sum_level(t, &cmp, level, in_org, pccs_fy_start(cfy + 1) - 1, csum,
                  ccount);
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
    for (size_t k = 0; k < all; k++) {
        const double *s = sum[rows[k]];
        ppw[k] = s[M_W] > 0 ? s[M_TOTAL] / s[M_W] : NAN;
    }
    pccs_deciles(ppw, all, dec);
    /* Then keep the rows within --in (an organisation at or above). */
    size_t n = 0;
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

    /* Practices: the 5th and 95th percentiles of their ICB. */
    double *p5 = NULL, *p95 = NULL;
    int *icb_of = NULL;
    if (level == PCCS_PRACTICE) {
        p5 = pccs_xcalloc(no, sizeof(*p5));
        p95 = pccs_xcalloc(no, sizeof(*p95));
        icb_of = pccs_xcalloc(n + 1, sizeof(*icb_of));
        double *vals = pccs_xcalloc(cur.n + 1, sizeof(*vals));
        bool *done = pccs_xcalloc(no, sizeof(*done));
        for (size_t k = 0; k < n; k++)
            icb_of[k] =
                pccs_tree_ancestor(t, rows[k], PCCS_ICB, at, cur.source);
        /* Over every practice of the ICB, not only those shown (--in). */
        for (size_t k = 0; k < n; k++) {
            int icb = icb_of[k];
            if (icb < 0 || done[icb])
                continue;
            done[icb] = true;
            size_t m = 0;
            for (size_t i = 0; i < cur.n; i++) {
                if (cur.org[i] < 0 ||
                    pccs_tree_ancestor(t, cur.org[i], PCCS_ICB, at,
                                       cur.source) != icb)
                    continue;
                vals[m++] =
                    cur.v[i][M_W] > 0 ? cur.v[i][M_TOTAL] / cur.v[i][M_W] : NAN;
                if (m > n)
                    break;
            }
            p5[icb] = pccs_percentile(vals, m, 5);
            p95[icb] = pccs_percentile(vals, m, 95);
        }
        free(vals);
        free(done);
    }

    pccs_table_col(out, "code", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "name", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "parent_code", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "practices", PCCS_COL_INT, 0);
    pccs_table_col(out, "registered", PCCS_COL_NUM, 2);
    pccs_table_col(out, "weighted", PCCS_COL_NUM, 2);
    pccs_table_col(out, "total", PCCS_COL_NUM, 2);
    pccs_table_col(out, "global_sum", PCCS_COL_NUM, 2);
    pccs_table_col(out, "qof", PCCS_COL_NUM, 2);
    pccs_table_col(out, "other", PCCS_COL_NUM, 2);
    pccs_table_col(out, "total_per_registered", PCCS_COL_NUM, 2);
    pccs_table_col(out, "total_per_weighted", PCCS_COL_NUM, 2);
    pccs_table_col(out, "decile", PCCS_COL_INT, 0);
    pccs_table_col(out, "flag", PCCS_COL_TEXT, 0);
    if (q->compare) {
        pccs_table_col(out, "compare_per_weighted", PCCS_COL_NUM, 2);
        pccs_table_col(out, "change_pct", PCCS_COL_NUM, 2);
    }
    pccs_table_col(out, "year", PCCS_COL_TEXT, 0);
    for (size_t k = 0; k < n; k++) {
        int o = rows[k];
        const double *s = sum[o];
        int parent = pccs_tree_up(t, o, at, cur.source);
        pccs_table_row(out);
        pccs_table_text(out, t->orgs[o].code);
        pccs_table_text(out, pccs_tree_name(t, o, at));
        pccs_table_text(out, parent >= 0 ? t->orgs[parent].code : "");
        pccs_table_int(out, count[o]);
        pccs_table_num(out, s[M_REG]);
        pccs_table_num(out, s[M_W]);
        pccs_table_num(out, s[M_TOTAL]);
        pccs_table_num(out, s[M_GS]);
        pccs_table_num(out, s[M_QOF]);
        pccs_table_num(out, s[M_TOTAL] - s[M_GS] - s[M_QOF]);
        pccs_table_num(out, s[M_REG] > 0 ? s[M_TOTAL] / s[M_REG] : NAN);
        pccs_table_num(out, ppw[k]);
        if (dec[k])
            pccs_table_int(out, dec[k]);
        else
            pccs_table_null(out);
        char flag[64] = "";
        if (level == PCCS_PRACTICE && icb_of[k] >= 0 && !isnan(ppw[k])) {
            const char *icb = t->orgs[icb_of[k]].code;
            if (ppw[k] < p5[icb_of[k]])
                snprintf(flag, sizeof(flag), "below 5th percentile of %s", icb);
            else if (ppw[k] > p95[icb_of[k]])
                snprintf(flag, sizeof(flag), "above 95th percentile of %s",
                         icb);
        }
        pccs_table_text(out, flag);
        if (q->compare) {
            double c = csum[o][M_W] > 0 ? csum[o][M_TOTAL] / csum[o][M_W] : NAN;
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
                         "(before deductions, without PCN and covid "
                         "lines); other = total - global sum - QOF; per "
                         "patient = sums over sums");
    pccs_table_note(out, "decile of total_per_weighted among every "
                         "organisation of the level in England (1 lowest); "
                         "flag: a practice outside the "
                         "5th-95th percentile of every practice in its ICB");
    if (q->compare)
        pccs_table_note(out, "compare: %s, with that year's memberships",
                        q->compare);
    pccs_table_note(out, "Contains public sector information licensed under "
                         "the Open Government Licence v3.0.");
    free(p5);
    free(p95);
    free(icb_of);
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
    free(ppw);
    return rc;
}
