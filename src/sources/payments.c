/* SPDX-License-Identifier: MIT */
/*
 * NHS Payments to General Practice (NHS Digital, yearly): one row per
 * practice with its registered and weighted (global sum, Carr-Hill) patient
 * numbers and every payment line in pounds.
 *
 * Layouts (header names; some quoted header cells contain commas):
 *   2020-21  68 columns: ..., CCG Code, CCG NAME, PCN Code, PCN Name, ...
 *   2021-22  as 2020-21 plus "winter Access Fund" and "Long Covid"; no
 *            "PCN Enhanced Access" (not bundled: recognised by that)
 *   2022-23  75 columns: columns 3-6 read "CCG Code, Sub ICB NAME, Code,
 *            CCG NAME" but hold the sub-ICB code and name and then the PCN
 *            code and name: "CCG NAME" is the PCN's name in this layout.
 * The files carry no year: it is read from the layout (the exact header
 * of a known year, else the columns only one year has) unless --period
 * gives it. Patient numbers can be fractional (4029.25); money can be
 * negative (deductions, recoveries); an empty money cell stores nothing.
 * Practices in no PCN have the PCN code "Unknown or no PCN": they are
 * stored as in no PCN from the start of the year.
 *
 * Facts for the year: "registered", "weighted", and "pay_<slug>" for each
 * money column (slug: the header in lower case, non-alphanumerics as '_';
 * lines renamed between years keep one slug, see docs/data/payments.md).
 */
#include "sources/sources.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hmap.h"
#include "base/xalloc.h"

enum {
    P_REGION,
    P_REGION_NAME,
    P_SUB,
    P_PRACTICE,
    P_PRACTICE_NAME,
    P_POSTCODE,
    P_OPEN,
    P_CLOSE,
    P_CONTRACT,
    P_DISPENSING,
    P_TYPE,
    P_RURALITY,
    P_ATYPICAL,
    P_REGISTERED,
    P_WEIGHTED,
    P_GLOBAL_SUM,
    P_TOTAL,
    P_N
};

static const struct pccs_col pay_cols[P_N] = {
    {"NHS England (Region) code", false},
    {"NHS England (Region) Name", true},
    {"CCG Code|Sub ICB Code|Sub ICB Location Code", false},
    {"Practice Code", false},
    {"Practice Name", false},
    {"Practice Postcode", true},
    {"Practice Open Date", true},
    {"Practice Close Date", true},
    {"Contract Type", true},
    {"Dispensing Practice", true},
    {"Practice type", true},
    {"Practice Rurality", true},
    {"Atypical characteristics", true},
    {"Number of Registered Patients (Last Known Figure)", false},
    {"Number of Weighted Patients (Last Known Figure)", false},
    {"Global Sum", false},
    {"Total NHS Payments to General Practice", false},
};

/* Lines whose wording changed between years, mapped to one slug. */
static const char *const slug_aliases[][2] = {
    {"total_local_incentive_schemes", "local_incentive_schemes"},
    {"general_practice_forward_view", "general_practice_transformation"},
    {"appraisal_costs", "appraisal_appraiser_costs_in_respect_of_locums"},
};

static void
slugify(struct pccs_str s, char *out, size_t n)
{
    size_t k = 0;
    bool sep = false;
    k += (size_t)snprintf(out, n, "pay_");
    for (size_t i = 0; i < s.len && k + 1 < n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (isalnum(c)) {
            if (sep && k > 4)
                out[k++] = '_';
            if (k + 1 < n)
                out[k++] = (char)tolower(c);
            sep = false;
        }
        else {
            sep = true;
        }
    }
    out[k] = '\0';
    for (size_t a = 0; a < sizeof(slug_aliases) / sizeof(slug_aliases[0]);
         a++) {
        if (strcmp(out + 4, slug_aliases[a][0]) == 0)
            snprintf(out + 4, n - 4, "%s", slug_aliases[a][1]);
    }
}

static int
find(const struct pccs_csv_record *h, const char *name)
{
    for (size_t i = 0; i < h->nfields; i++) {
        if (pccs_str_name_eq(h->fields[i], name))
            return (int)i;
    }
    return -1;
}

/* The financial year from the layout, or -1 if it cannot be told. */
static int
layout_year(const struct pccs_csv_record *h)
{
    bool ea = find(h, "PCN Enhanced Access") >= 0;
    bool waf = find(h, "winter Access Fund") >= 0;
    bool lc = find(h, "Long Covid") >= 0;
    bool gpfv = find(h, "General Practice Forward View") >= 0;
    if (h->nfields == 75 && ea && waf && lc)
        return 2022;
    if (!ea && (waf || lc))
        return 2021;
    if (h->nfields == 68 && gpfv && !waf && !lc)
        return 2020;
    return -1;
}

struct money_col {
    int idx;
    char slug[96];
};

/* Practices in no PCN: empty, "U", or "Unknown or no PCN". */
static bool
no_pcn(struct pccs_str code)
{
    return !code.len || pccs_str_eq(code, "U") ||
           pccs_str_ieq(code, "Unknown or no PCN");
}

static const char *const attr_keys[] = {
    [P_CONTRACT] = "contract_type", [P_DISPENSING] = "dispensing",
    [P_TYPE] = "practice_type",     [P_RURALITY] = "rurality",
    [P_ATYPICAL] = "atypical",
};

/* The columns that hold the PCN and the names, which depend on the layout. */
struct pay_layout {
    int idx[P_N];
    int pcn, pcn_name, sub_name;
    pccs_day fy_start;
    struct money_col *money;
    size_t nmoney;
};

/* The financial year from the layout or --period; sets the load's period. */
static int
pay_year(struct pccs_load *ld, const struct pccs_csv_record *first,
         pccs_day *fy_start, struct pccs_err *err)
{
    int year = layout_year(first);
    if (year < 0 && !(ld->opt && ld->opt->period))
        return pccs_err_at(err, PCCS_EPARSE, ld->name, first->line, 1,
                           "cannot tell the financial year from this "
                           "layout (%zu columns): give --period, e.g. "
                           "--period 2023-24",
                           first->nfields);
    char fy[16] = "";
    if (year >= 0)
        pccs_fy_format(year, fy);
    pccs_load_set_period(ld, fy);
    int y;
    if (pccs_fy_parse(pccs_str_from(ld->period), &y))
        return pccs_err_at(err, PCCS_EINVAL, ld->name, 1, 1,
                           "--period for a payments file must be a "
                           "financial year such as 2022-23, not %s",
                           ld->period);
    *fy_start = pccs_fy_start(y);
    return PCCS_OK;
}

/* Money: every column after the weighted patients, each with its slug. */
static void
pay_money_cols(struct pay_layout *lay, const struct pccs_csv_record *first)
{
    struct money_col *money = pccs_xcalloc(first->nfields, sizeof(*money));
    size_t nmoney = 0;
    for (size_t i = (size_t)lay->idx[P_WEIGHTED] + 1; i < first->nfields; i++) {
        money[nmoney].idx = (int)i;
        slugify(first->fields[i], money[nmoney].slug,
                sizeof(money[nmoney].slug));
        for (size_t k = 0; k < nmoney; k++) {
            if (strcmp(money[k].slug, money[nmoney].slug) == 0) {
                /* Two headers with one slug: tell them apart by column. */
                char num[24];
                int nl = snprintf(num, sizeof(num), "_%u", (unsigned)(i + 1));
                size_t keep = sizeof(money[nmoney].slug) - 1 - (size_t)nl;
                money[nmoney].slug[keep] = '\0';
                strcat(money[nmoney].slug, num);
            }
        }
        nmoney++;
    }
    lay->money = money;
    lay->nmoney = nmoney;
}

static int
pay_layout_bind(struct pccs_load *ld, const struct pccs_csv_record *first,
                struct pay_layout *lay, struct pccs_err *err)
{
    pccs_cols_bind(pay_cols, P_N, first, lay->idx);
    lay->pcn = find(first, "PCN Code");
    lay->pcn_name = find(first, "PCN Name");
    lay->sub_name = find(first, "CCG NAME");
    if (lay->pcn < 0) {
        lay->pcn = find(first, "Code");
        lay->pcn_name = find(first, "CCG NAME");
        lay->sub_name = find(first, "Sub ICB NAME");
    }
    if (lay->pcn < 0)
        return pccs_err_at(err, PCCS_EPARSE, ld->name, first->line,
                           (int64_t)first->nfields + 1,
                           "expected a PCN code column (\"PCN Code\", or "
                           "\"Code\" in the 2022-23 layout)");
    int rc = pay_year(ld, first, &lay->fy_start, err);
    if (rc)
        return rc;
    pay_money_cols(lay, first);
    return PCCS_OK;
}

/* One practice's row: the fields every layout has. */
struct pay_row {
    struct pccs_str prac, pname, region, sub, pcode;
    double reg, w;
    pccs_day open, close;
};

static int
pay_read_row(struct pccs_load *ld, const struct pay_layout *lay,
             const struct pccs_csv_record *rec, struct pay_row *row,
             struct pccs_err *err)
{
    const int *idx = lay->idx;
    row->pcode = PCCS_STR_EMPTY;
    row->open = row->close = PCCS_DAY_NONE;
    int rc = pccs_load_practice_code(ld, err, rec, idx[P_PRACTICE],
                                     "Practice Code", &row->prac);
    if (!rc)
        rc = pccs_load_text(ld, err, rec, idx[P_PRACTICE_NAME], "Practice Name",
                            &row->pname);
    if (!rc)
        rc = pccs_load_ods_code(ld, err, rec, idx[P_REGION],
                                "NHS England (Region) code", &row->region);
    if (!rc)
        rc =
            pccs_load_ods_code(ld, err, rec, idx[P_SUB], "CCG Code", &row->sub);
    if (!rc)
        rc = pccs_load_field(ld, err, rec, lay->pcn, "PCN Code", &row->pcode);
    if (!rc) {
        row->pcode = pccs_str_trim(row->pcode);
        if (no_pcn(row->pcode))
            row->pcode.len = 0;
        else if (!pccs_is_ods_code(row->pcode))
            rc = pccs_load_field_err(ld, err, rec, lay->pcn, "PCN Code",
                                     "an ODS code, or empty");
    }
    if (!rc && idx[P_OPEN] >= 0)
        rc = pccs_load_date(ld, err, rec, idx[P_OPEN], "Practice Open Date",
                            true, &row->open);
    if (!rc && idx[P_CLOSE] >= 0)
        rc = pccs_load_date(ld, err, rec, idx[P_CLOSE], "Practice Close Date",
                            true, &row->close);
    if (!rc)
        rc = pccs_load_number(
            ld, err, rec, idx[P_REGISTERED],
            "Number of Registered Patients (Last Known Figure)", true, false,
            &row->reg, NULL);
    if (!rc)
        rc = pccs_load_number(ld, err, rec, idx[P_WEIGHTED],
                              "Number of Weighted Patients (Last Known Figure)",
                              true, false, &row->w, NULL);
    return rc;
}

/* The practice, its sub-ICB, region and PCN, and its memberships. */
static int
pay_put_orgs(struct pccs_load *ld, const struct pay_layout *lay,
             const struct pccs_csv_record *rec, const struct pay_row *row,
             struct pccs_hmap *seen, struct pccs_err *err)
{
    pccs_day fy_start = lay->fy_start;
    char code[16];
    pccs_str_copy(row->prac, code, sizeof(code));
    struct pccs_org_row o = {
        .code = code,
        .level = PCCS_LEVEL_PRACTICE,
        .name = pccs_load_cstr(ld, row->pname),
        .postcode = pccs_load_opt_cstr(ld, rec, lay->idx[P_POSTCODE]),
        .status = row->close == PCCS_DAY_NONE ? NULL : "closed",
        .open_date = row->open,
        .close_date = row->close,
        .as_of = fy_start,
    };
    int rc = pccs_load_org(ld, &o, err);
    if (!rc && pccs_load_first_time(seen, row->sub))
        rc = pccs_load_named_org(ld, row->sub, PCCS_LEVEL_SUB_ICB,
                                 pccs_load_opt(rec, lay->sub_name),
                                 PCCS_STR_EMPTY, fy_start, err);
    if (!rc && pccs_load_first_time(seen, row->region))
        rc = pccs_load_named_org(ld, row->region, PCCS_LEVEL_REGION,
                                 pccs_load_opt(rec, lay->idx[P_REGION_NAME]),
                                 PCCS_STR_EMPTY, fy_start, err);
    bool has_pcn = row->pcode.len > 0;
    if (!rc && has_pcn && pccs_load_first_time(seen, row->pcode))
        rc = pccs_load_named_org(ld, row->pcode, PCCS_LEVEL_PCN,
                                 pccs_load_opt(rec, lay->pcn_name),
                                 PCCS_STR_EMPTY, fy_start, err);
    /* An empty code: in no PCN, observed like a membership. */
    if (!rc)
        rc = pccs_load_link(ld, row->prac, row->pcode, PCCS_LEVEL_PCN, fy_start,
                            PCCS_DAY_NONE, true, err);
    /* A PCN sits in the sub-ICB of its practices in the file. */
    if (!rc && has_pcn)
        rc = pccs_load_link(ld, row->pcode, row->sub, PCCS_LEVEL_SUB_ICB,
                            fy_start, PCCS_DAY_NONE, true, err);
    if (!rc)
        rc = pccs_load_link(ld, row->prac, row->sub, PCCS_LEVEL_SUB_ICB,
                            fy_start, PCCS_DAY_NONE, true, err);
    if (!rc)
        rc = pccs_load_link(ld, row->prac, row->region, PCCS_LEVEL_REGION,
                            fy_start, PCCS_DAY_NONE, true, err);
    return rc;
}

/* The practice's attributes, patient numbers and every money line. */
static int
pay_put_facts(struct pccs_load *ld, const struct pay_layout *lay,
              const struct pccs_csv_record *rec, const struct pay_row *row,
              struct pccs_err *err)
{
    int rc = PCCS_OK;
    for (int a = P_CONTRACT; !rc && a <= P_ATYPICAL; a++) {
        int k = lay->idx[a];
        if (k < 0 || (size_t)k >= rec->nfields)
            continue;
        struct pccs_str v = pccs_str_trim(rec->fields[k]);
        if (v.len)
            rc = pccs_load_attr(ld, row->prac, attr_keys[a], v, lay->fy_start,
                                err);
    }
    if (!rc)
        rc = pccs_load_fact(ld, "registered", row->prac, "", row->reg, err);
    if (!rc)
        rc = pccs_load_fact(ld, "weighted", row->prac, "", row->w, err);
    for (size_t m = 0; !rc && m < lay->nmoney; m++) {
        const struct money_col *mc = &lay->money[m];
        double v;
        bool present;
        rc = pccs_load_number(ld, err, rec, mc->idx, NULL, false, true, &v,
                              &present);
        if (rc) {
            char what[160];
            snprintf(what, sizeof(what), "an amount in pounds (%s)",
                     mc->slug + 4);
            return pccs_load_field_err(ld, err, rec, mc->idx, NULL, what);
        }
        if (present)
            rc = pccs_load_fact(ld, mc->slug, row->prac, "", v, err);
    }
    return rc;
}

static int
load_payments(struct pccs_load *ld, struct pccs_csv_reader *r,
              const struct pccs_csv_record *first, struct pccs_err *err)
{
    struct pay_layout lay = {.money = NULL};
    int rc = pay_layout_bind(ld, first, &lay, err);
    if (rc)
        return rc;
    struct pccs_hmap seen = PCCS_HMAP_INIT, practices = PCCS_HMAP_INIT;
    struct pccs_csv_record rec;
    while ((rc = pccs_csv_next(r, &rec, err)) == 1) {
        struct pay_row row;
        rc = pay_read_row(ld, &lay, &rec, &row, err);
        if (!rc)
            rc = pccs_load_unique(ld, &practices, &rec, lay.idx[P_PRACTICE],
                                  "Practice Code", row.prac, "practice", err);
        if (!rc)
            rc = pay_put_orgs(ld, &lay, &rec, &row, &seen, err);
        if (!rc)
            rc = pay_put_facts(ld, &lay, &rec, &row, err);
        if (rc)
            break;
        pccs_load_row(ld, pccs_csv_offset(r));
    }
    if (rc > 0)
        rc = PCCS_OK;
    free(lay.money);
    pccs_hmap_release(&seen);
    pccs_hmap_release(&practices);
    return rc;
}

const struct pccs_source_kind pccs_source_payments = {
    .kind = "payments",
    .publication = "NHS Payments to General Practice",
    .cols = pay_cols,
    .ncols = P_N,
    .load_csv = load_payments,
};
