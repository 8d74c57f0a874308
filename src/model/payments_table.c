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
#include "calc/payments.h"
#include "calc/ratio.h"
#include "calc/stats.h"
#include "model/build.h"
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
    char **contract;   /* as the file gives it, or NULL */
    const char **code; /* the keys of prac, by index */
    size_t n, cap;
    size_t next; /* the index after the previous fact's */
    int m;
    int64_t source;
};

/* Practice code's index, a new one if it is new. */
static size_t
prac_index(struct year_data *y, const char *code)
{
    bool created;
    struct pccs_hmap_entry *e =
        pccs_hmap_put(&y->prac, code, strlen(code), &created);
    if (created) {
        if (y->n == y->cap) {
            y->cap = y->cap ? y->cap * 2 : 8192;
            y->v = pccs_xreallocarray(y->v, y->cap, sizeof(*y->v));
            y->has = pccs_xreallocarray(y->has, y->cap, sizeof(*y->has));
            y->org = pccs_xreallocarray(y->org, y->cap, sizeof(*y->org));
            y->contract =
                pccs_xreallocarray(y->contract, y->cap, sizeof(*y->contract));
            y->code = pccs_xreallocarray(y->code, y->cap, sizeof(*y->code));
        }
        y->code[y->n] = e->key;
        y->contract[y->n] = NULL;
        memset(y->v[y->n], 0, sizeof(y->v[0]));
        memset(y->has[y->n], 0, sizeof(y->has[0]));
        y->org[y->n] = -1;
        e->ival = (int64_t)++y->n;
    }
    return (size_t)e->ival - 1;
}

static int
fact_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct year_data *y = ctx;
    /* Each measure lists the practices in the same order: try the next. */
    size_t i = y->next < y->n && strcmp(y->code[y->next], f->org) == 0
                   ? y->next
                   : prac_index(y, f->org);
    y->next = i + 1;
    y->v[i][y->m] = f->value;
    y->has[i][y->m] = true;
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
    return pccs_store_attrs_of_source(st, "contract_type", y->source,
                                      contract_cb, y, err);
}

static void
year_release(struct year_data *y)
{
    pccs_hmap_release(&y->prac);
    for (size_t i = 0; i < y->n; i++)
        free(y->contract[i]);
    free(y->contract);
    free(y->code);
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
        if (!pccs_build_within(t, y->org[i], in_org, at, y->source))
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
    enum pccs_pay_exclusion x =
        pccs_pay_exclude(y->has[i][M_REG], reg, y->has[i][M_W], w,
                         ru->min_registered, ru->min_weighted);
    bool r = x == PCCS_PAY_NO_REGISTERED || x == PCCS_PAY_FEW_REGISTERED;
    const char *what = r ? "registered" : "weighted";
    if (x == PCCS_PAY_NO_REGISTERED || x == PCCS_PAY_NO_WEIGHTED)
        snprintf(out, n, "no %s patients", what);
    else if (x != PCCS_PAY_KEPT)
        snprintf(out, n, "%.2f %s patients, fewer than %.0f", r ? reg : w, what,
                 r ? ru->min_registered : ru->min_weighted);
}

static double
core_contract(const double *s)
{
    return pccs_pay_core_contract(s[M_GS], s[M_MPIG], s[M_PMS]);
}

static double
pcn_des(const double *s)
{
    return pccs_pay_sum(&s[M_PCN_LEAD], M_PCN_EA - M_PCN_LEAD + 1);
}

static double
per_weighted(const double *s)
{
    return pccs_pay_per_patient(s[M_TOTAL], s[M_W]);
}

/* The years, --in and --contract of the query. */
struct pay_query {
    int fy, cfy;
    int in_org;
    pccs_day at; /* organisations as at: the end of the year */
};

static int
check_query(const struct pccs_tree *t, const struct pccs_table_query *q,
            struct pay_query *pq, struct pccs_err *err)
{
    pq->cfy = -1;
    pq->in_org = -1;
    if (!q->period || pccs_fy_parse(pccs_str_from(q->period), &pq->fy))
        return pccs_err_set(err, PCCS_EINVAL,
                            "give the payments year: --year 2022-23");
    if (q->compare && pccs_fy_parse(pccs_str_from(q->compare), &pq->cfy))
        return pccs_err_set(err, PCCS_EINVAL,
                            "--compare must be a financial year such as "
                            "2020-21, not %s",
                            q->compare);
    pq->at = pccs_fy_start(pq->fy + 1) - 1;
    return pccs_build_in(t, q->in, &pq->in_org, err);
}

/* The rules, the year's figures and the compared year's. */
static int
gather(struct pccs_store *st, const struct pccs_tree *t,
       const struct pccs_table_query *q, struct pay_rules *ru,
       struct year_data *cur, struct year_data *cmp, struct pccs_err *err)
{
    int rc = load_rules(ru, err);
    if (!rc)
        rc = load_year(st, t, q->period, cur, err);
    if (!rc && q->compare)
        rc = load_year(st, t, q->compare, cmp, err);
    if (rc || !q->contract)
        return rc;
    size_t i = 0;
    while (i < cur->n && !contract_is(cur, i, q->contract))
        i++;
    if (i == cur->n)
        return pccs_err_set(err, PCCS_ENOTFOUND,
                            "no practice of contract type %s in %s "
                            "(the file gives GMS, PMS, APMS or Unknown)",
                            q->contract, q->period);
    return PCCS_OK;
}

/*
 * Practices: who is left out, the ICB of each, and for those kept the
 * deciles among every practice of England and the 5th and 95th
 * percentiles of every practice of their ICB, all before --in and
 * --contract choose the rows shown.
 */
/* One practice's rank among those kept. */
struct prac_info {
    char why[80]; /* why left out, or "" */
    int icb;      /* its ICB, or -1 */
    int decile;   /* 0 when left out */
};

/* One organisation's practice and, for an ICB, its percentiles. */
struct org_info {
    int prac; /* the practice, or -1 */
    double p5, p95;
};

struct prac_rank {
    struct prac_info *p; /* per practice of the year */
    struct org_info *o;  /* per organisation of the tree */
    size_t nkept, nout;
    double out_total; /* paid to the practices left out */
};

/* The 5th and 95th percentiles of the kept practices of each ICB. */
static void
icb_percentiles(const struct year_data *cur, struct prac_rank *pr, double *vals,
                size_t no)
{
    bool *done = pccs_xcalloc(no, sizeof(*done));
    for (size_t i = 0; i < cur->n; i++) {
        int icb = pr->p[i].icb;
        if (icb < 0 || done[icb])
            continue;
        done[icb] = true;
        size_t m = 0;
        for (size_t j = 0; j < cur->n; j++) {
            if (pr->p[j].icb == icb && !pr->p[j].why[0])
                vals[m++] = per_weighted(cur->v[j]);
        }
        pr->o[icb].p5 = pccs_percentile(vals, m, 5);
        pr->o[icb].p95 = pccs_percentile(vals, m, 95);
    }
    free(done);
}

static void
rank_practices(const struct pccs_tree *t, const struct year_data *cur,
               const struct pay_rules *ru, pccs_day at, size_t no,
               struct prac_rank *pr)
{
    size_t n1 = cur->n + 1;
    pr->p = pccs_xcalloc(n1, sizeof(*pr->p));
    pr->o = pccs_xcalloc(no, sizeof(*pr->o));
    double *vals = pccs_xcalloc(n1, sizeof(*vals));
    size_t *vidx = pccs_xcalloc(n1, sizeof(*vidx));
    for (size_t o = 0; o < no; o++)
        pr->o[o].prac = -1;
    for (size_t i = 0; i < cur->n; i++) {
        exclusion(cur, i, ru, pr->p[i].why, sizeof(pr->p[i].why));
        int org = cur->org[i];
        pr->p[i].icb =
            org >= 0 ? pccs_tree_ancestor(t, org, PCCS_ICB, at, cur->source)
                     : -1;
        if (org >= 0)
            pr->o[org].prac = (int)i;
        if (pr->p[i].why[0]) {
            pr->nout++;
            pr->out_total += cur->v[i][M_TOTAL];
            continue;
        }
        vals[pr->nkept] = per_weighted(cur->v[i]);
        vidx[pr->nkept++] = i;
    }
    int *dec = pccs_xcalloc(pr->nkept + 1, sizeof(*dec));
    pccs_deciles(vals, pr->nkept, dec);
    for (size_t k = 0; k < pr->nkept; k++)
        pr->p[vidx[k]].decile = dec[k];
    free(dec);
    free(vidx);
    icb_percentiles(cur, pr, vals, no);
    free(vals);
}

static void
rank_release(struct prac_rank *pr)
{
    free(pr->p);
    free(pr->o);
}

/* The organisations shown, with their payment per weighted patient. */
struct pay_rows {
    int *org;
    double *ppw;
    int *decile; /* 0: none */
    size_t all;  /* organisations of England at the level */
    size_t n;    /* of which shown (within --in) */
};

static void
choose_rows(const struct pccs_tree *t, enum pccs_level level,
            const struct pay_query *pq, const struct year_data *cur,
            const struct prac_rank *pr, double (*sum)[M_N],
            const int64_t *count, struct pay_rows *r)
{
    r->org = pccs_xcalloc(t->norgs + 1, sizeof(*r->org));
    for (size_t i = 0; i < t->norgs; i++) {
        if (count[i])
            r->org[r->all++] = (int)i;
    }
    pccs_tree_sort_by_code(t, r->org, r->all);
    r->ppw = pccs_xcalloc(r->all + 1, sizeof(*r->ppw));
    r->decile = pccs_xcalloc(r->all + 1, sizeof(*r->decile));
    for (size_t k = 0; k < r->all; k++)
        r->ppw[k] = per_weighted(sum[r->org[k]]);
    if (level == PCCS_PCN)
        pccs_deciles(r->ppw, r->all, r->decile);
    else if (level == PCCS_PRACTICE) {
        for (size_t k = 0; k < r->all; k++) {
            int pi = pr->o[r->org[k]].prac;
            r->decile[k] = pi >= 0 ? pr->p[pi].decile : 0;
        }
    }
    /* Then keep the rows within --in (an organisation at or above). */
    for (size_t k = 0; k < r->all; k++) {
        if (!pccs_build_within(t, r->org[k], pq->in_org, pq->at, cur->source))
            continue;
        r->org[r->n] = r->org[k];
        r->ppw[r->n] = r->ppw[k];
        r->decile[r->n] = r->decile[k];
        r->n++;
    }
}

static void
rows_release(struct pay_rows *r)
{
    PCCS_FREE(r->org, r->ppw, r->decile);
}

static void
emit_cols(struct pccs_table *out, bool compare)
{
    static const char *const money[] = {
        "total",
        "global_sum",
        "mpig",
        "pms_apms_balance",
        "core_contract",
        "qof",
        "network_participation",
        "other",
        "pcn_des",
        "total_per_registered",
        "total_per_weighted",
    };
    static const struct pccs_build_col before[] = {
        PCCS_BUILD_ORG_COLS,           PCCS_BUILD_TEXT("contract_type"),
        PCCS_BUILD_INT("practices"),   PCCS_BUILD_NUM("registered", 2),
        PCCS_BUILD_NUM("weighted", 2),
    };
    static const struct pccs_build_col ranks[] = {
        PCCS_BUILD_INT("decile"),
        PCCS_BUILD_TEXT("flag"),
        PCCS_BUILD_TEXT("excluded"),
    };
    static const struct pccs_build_col change[] = {
        PCCS_BUILD_NUM("compare_per_weighted", 2),
        PCCS_BUILD_NUM("change_pct", 2),
    };
    PCCS_BUILD_COLS(out, before);
    for (size_t i = 0; i < sizeof(money) / sizeof(money[0]); i++)
        pccs_table_col(out, money[i], PCCS_COL_NUM, 2);
    PCCS_BUILD_COLS(out, ranks);
    if (compare)
        PCCS_BUILD_COLS(out, change);
    pccs_table_col(out, "year", PCCS_COL_TEXT, 0);
}

/* From registered to total_per_weighted. */
static void
emit_money(struct pccs_table *out, const double *s, double ppw)
{
    pccs_table_num(out, s[M_REG]);
    pccs_table_num(out, s[M_W]);
    pccs_table_num(out, s[M_TOTAL]);
    pccs_table_num(out, s[M_GS]);
    pccs_table_num(out, s[M_MPIG]);
    pccs_table_num(out, s[M_PMS]);
    pccs_table_num(out, core_contract(s));
    pccs_table_num(out, s[M_QOF]);
    pccs_table_num(out, s[M_NPP]);
    pccs_table_num(out, pccs_pay_other(s[M_TOTAL], core_contract(s), s[M_QOF]));
    pccs_table_num(out, pcn_des(s));
    pccs_table_num(out, pccs_pay_per_patient(s[M_TOTAL], s[M_REG]));
    pccs_table_num(out, ppw);
}

/* Outside the 5th-95th percentile of the kept practices of its ICB. */
static void
emit_flag(struct pccs_table *out, const struct pccs_tree *t,
          const struct prac_rank *pr, int pi, double ppw)
{
    char flag[64] = "";
    int icb = pi >= 0 ? pr->p[pi].icb : -1;
    if (icb >= 0 && !pr->p[pi].why[0] && !isnan(ppw)) {
        const char *ic = t->orgs[icb].code;
        int side = pccs_pay_outside(ppw, pr->o[icb].p5, pr->o[icb].p95);
        if (side < 0)
            snprintf(flag, sizeof(flag), "below 5th percentile of %s", ic);
        else if (side > 0)
            snprintf(flag, sizeof(flag), "above 95th percentile of %s", ic);
    }
    pccs_table_text(out, flag);
}

/* What the rows need beside the sums. */
struct pay_emit {
    const struct pccs_tree *t;
    const struct pccs_table_query *q;
    enum pccs_level level;
    pccs_day at;
    const struct year_data *cur;
    const struct prac_rank *pr;
    double (*sum)[M_N], (*csum)[M_N];
    const int64_t *count;
    struct pccs_buf listed; /* practices left out, the first 20 */
    size_t shown_out;
};

static void
emit_row(struct pccs_table *out, struct pay_emit *e, int o, double ppw,
         int decile)
{
    const struct pccs_tree *t = e->t;
    int pi = e->level == PCCS_PRACTICE ? e->pr->o[o].prac : -1;
    const char *why = pi >= 0 ? e->pr->p[pi].why : "";
    pccs_build_org_row(out, t, o, pccs_tree_up(t, o, e->at, e->cur->source),
                       e->at);
    pccs_table_text(out, pi >= 0 && e->cur->contract[pi] ? e->cur->contract[pi]
                                                         : "");
    pccs_table_int(out, e->count[o]);
    emit_money(out, e->sum[o], ppw);
    if (decile)
        pccs_table_int(out, decile);
    else
        pccs_table_null(out);
    emit_flag(out, t, e->pr, pi, ppw);
    pccs_table_text(out, why);
    if (why[0] && e->shown_out++ < 20)
        pccs_buf_addf(&e->listed, "%s%s (%s)", e->shown_out > 1 ? "; " : "",
                      t->orgs[o].code, why);
    if (e->q->compare) {
        double c = per_weighted(e->csum[o]);
        pccs_table_num(out, c);
        pccs_table_num(out, pccs_growth_pct(ppw, c));
    }
    pccs_table_text(out, e->q->period);
}

static void
decile_note(struct pccs_table *out, enum pccs_level level,
            const struct prac_rank *pr, const struct pay_rows *r)
{
    if (level == PCCS_PRACTICE)
        pccs_table_note(out,
                        "decile of total_per_weighted among the %zu "
                        "practices of England kept (1 lowest); flag: "
                        "outside the 5th-95th percentile of the kept "
                        "practices of its ICB, whatever --in shows",
                        pr->nkept);
    else if (level == PCCS_PCN)
        pccs_table_note(out,
                        "decile of total_per_weighted among the %zu "
                        "PCNs of England (1 lowest)",
                        r->all);
    else
        pccs_table_note(out,
                        "no decile at %s level: deciles are given "
                        "among the practices or the PCNs of England",
                        pccs_level_name(level));
}

static void
emit_notes(struct pccs_table *out, struct pccs_store *st,
           const struct pay_emit *e, const struct pay_rules *ru,
           const struct pay_rows *r, struct pccs_err *err)
{
    const struct pccs_table_query *q = e->q;
    struct pccs_source_info si;
    if (pccs_store_source_get(st, e->cur->source, &si, err) == PCCS_OK)
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
    decile_note(out, e->level, e->pr, r);
    pccs_table_note(out,
                    "left out of deciles and percentiles: %zu practices "
                    "(£%.2f) with fewer than %.0f registered or %.0f "
                    "weighted patients (%s: %s)",
                    e->pr->nout, e->pr->out_total, ru->min_registered,
                    ru->min_weighted, ru->path, ru->source);
    if (e->shown_out)
        pccs_table_note(
            out, "left out here: %zu practices%s %s%s", e->shown_out,
            e->shown_out > 20 ? ", the first 20:" : ":", e->listed.p,
            e->shown_out > 20 ? " (column excluded)" : "");
    if (q->compare)
        pccs_table_note(out, "compare: %s, with that year's memberships",
                        q->compare);
    pccs_build_ogl_note(out);
}

/* Sum, rank (into pr, the caller's) and emit the gathered years. */
static void
build(struct pccs_table *out, struct pccs_store *st, struct pay_emit *e,
      struct prac_rank *pr, const struct pay_query *pq,
      const struct year_data *cmp, const struct pay_rules *ru,
      struct pccs_err *err)
{
    const struct pccs_tree *t = e->t;
    size_t no = t->norgs + 1;
    rank_practices(t, e->cur, ru, pq->at, no, pr);
    e->pr = pr;
    e->sum = pccs_xcalloc(no, sizeof(*e->sum));
    int64_t *count = pccs_xcalloc(no, sizeof(*count));
    int64_t *ccount = pccs_xcalloc(no, sizeof(*ccount));
    e->count = count;
    sum_level(t, e->cur, e->level, -1, pq->at, e->q->contract, e->sum, count);
    if (e->q->compare) {
        e->csum = pccs_xcalloc(no, sizeof(*e->csum));
        sum_level(t, cmp, e->level, pq->in_org, pccs_fy_start(pq->cfy + 1) - 1,
                  e->q->contract, e->csum, ccount);
    }
    struct pay_rows r = {.n = 0};
    choose_rows(t, e->level, pq, e->cur, pr, e->sum, count, &r);
    emit_cols(out, e->q->compare != NULL);
    for (size_t k = 0; k < r.n; k++)
        emit_row(out, e, r.org[k], r.ppw[k], r.decile[k]);
    emit_notes(out, st, e, ru, &r, err);
    pccs_buf_release(&e->listed);
    rows_release(&r);
    rank_release(pr);
    free(e->sum);
    free(e->csum);
    free(count);
    free(ccount);
}

int
pccs_payments_table(struct pccs_store *st, const struct pccs_tree *t,
                    const struct pccs_table_query *q, struct pccs_table *out,
                    struct pccs_err *err)
{
    struct year_data cur = {.prac = PCCS_HMAP_INIT};
    struct year_data cmp = {.prac = PCCS_HMAP_INIT};
    struct pay_rules ru;
    struct pay_query pq;
    pccs_table_init(out, "payments");
    int rc = check_query(t, q, &pq, err);
    if (!rc)
        rc = gather(st, t, q, &ru, &cur, &cmp, err);
    if (!rc) {
        struct pay_emit e = {
            .t = t,
            .q = q,
            .level = q->level == PCCS_LEVEL_NONE ? PCCS_PRACTICE : q->level,
            .at = pq.at,
            .cur = &cur,
            .listed = PCCS_BUF_INIT,
        };
        struct prac_rank pr = {.nkept = 0};
        build(out, st, &e, &pr, &pq, &cmp, &ru, err);
    }
    year_release(&cur);
    year_release(&cmp);
    return rc;
}
