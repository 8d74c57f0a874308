/* SPDX-License-Identifier: MIT */
/*
 * NHS Payments to General Practice (NHS Digital, yearly): one row per
 * practice with its registered and weighted (global sum, Carr-Hill) patient
 * numbers and every payment line in pounds.
 *
 * Layouts (header names; some quoted header cells contain commas), each
 * told by its width and a few headers only it has (pay_eras below):
 *   2014-15 to 2018-19  no PCN columns: no PCN membership is recorded.
 *            The region columns hold area teams (2014-15) or sub-regional
 *            teams (to 2018-19); their links end with the year. 2014-15
 *            writes "-" for no date; to 2016-17 a "Quarter used for patient
 *            data" column; "N/A" averages where there are no patients.
 *   2019-20  54 columns: the first with PCN Code, PCN Name.
 *   2020-21  68 columns: ..., CCG Code, CCG NAME, PCN Code, PCN Name, ...
 *   2021-22  as 2020-21 plus "winter Access Fund" and "Long Covid"; no
 *            "PCN Enhanced Access" (not bundled: recognised by that)
 *   2022-23  75 columns: columns 3-6 read "CCG Code, Sub ICB NAME, Code,
 *            CCG NAME" but hold the sub-ICB code and name and then the PCN
 *            code and name: "CCG NAME" is the PCN's name in this layout.
 * The files carry no year: it is read from the layout unless --period
 * gives it; a layout not seen is refused naming the closest one. Patient
 * numbers can be fractional (4029.25); money can be negative (deductions,
 * recoveries); an empty money cell stores nothing.
 * Practices in no PCN have the PCN code "Unknown or no PCN": they are
 * stored as in no PCN from the start of the year.
 *
 * Facts for the year: "registered", "weighted", and "pay_<slug>" for each
 * money column (slug: the header in lower case, non-alphanumerics as '_';
 * lines renamed between years keep one slug, see docs/data/payments.md).
 */
#include "sources/sources.h"

#include <ctype.h>
#include <stdint.h>
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
    P_QUARTER,
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
    {"Quarter used for patient data", true},
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

/*
 * Every layout seen, by financial year (its first calendar year): the
 * number of columns (0: any) and the headers that tell it from the others
 * ('|'-separated: every one of has present, none of lacks). The first
 * that matches wins. 2021-22 is not bundled: it is told by "winter Access
 * Fund" or "Long Covid" without "PCN Enhanced Access".
 */
struct pay_era {
    int year;
    size_t ncols;
    const char *has, *lacks;
};

static const struct pay_era pay_eras[] = {
    {2022, 75, "PCN Enhanced Access|winter Access Fund|Long Covid", ""},
    {2021, 0, "winter Access Fund", "PCN Enhanced Access"},
    {2021, 0, "Long Covid", "PCN Enhanced Access"},
    {2020, 68, "General Practice Forward View",
     "winter Access Fund|Long Covid"},
    {2019, 54, "PCN Code|PCN Name|PCN Participation|Pertussis",
     "Quarter used for patient data|Covid Immunisation"},
    {2018, 51, "Pertussis|Total Local Incentive Schemes",
     "PCN Code|PCN Participation|Quarter used for patient data"},
    {2016, 54,
     "Quarter used for patient data|Practice Type|General Practice Forward "
     "View",
     "PCN Code|Alcohol"},
    {2015, 57,
     "Quarter used for patient data|Alcohol|Meningitis|"
     "LocalEnhancedServices_NHAIS_",
     "PCN Code|Practice Type"},
    {2014, 53,
     "Quarter used for patient data|Alcohol|Improving Patient Online Access",
     "PCN Code|Practice Type|Meningitis"},
};

#define NERAS (sizeof(pay_eras) / sizeof(pay_eras[0]))

/* PCNs began on 1 July 2019: no layout before 2019-20 has PCN columns. */
#define PCN_FIRST_YEAR 2019

/*
 * How many of era e's signature columns header h misses: one for each of
 * has absent and of lacks present. The first column of each kind is put
 * in miss / extra ("" when none).
 */
static int
era_misses(const struct pay_era *e, const struct pccs_csv_record *h, char *miss,
           char *extra, size_t n)
{
    int d = 0;
    miss[0] = extra[0] = '\0';
    for (int pass = 0; pass < 2; pass++) {
        const char *p = pass ? e->lacks : e->has;
        char *first = pass ? extra : miss;
        while (*p) {
            const char *bar = strchr(p, '|');
            size_t k = bar ? (size_t)(bar - p) : strlen(p);
            char one[96];
            snprintf(one, sizeof(one), "%.*s", (int)k, p);
            if ((find(h, one) >= 0) == (pass == 1)) {
                d++;
                if (!first[0])
                    snprintf(first, n, "%s", one);
            }
            p += k + (bar != NULL);
        }
    }
    return d;
}

/*
 * How far h is from e: its signature columns missed, plus the difference
 * in width (a width not known counts as ten).
 */
static size_t
era_distance(const struct pay_era *e, const struct pccs_csv_record *h,
             char *miss, char *extra, size_t n)
{
    size_t d = (size_t)era_misses(e, h, miss, extra, n);
    if (!e->ncols)
        return d + 10;
    return d + (h->nfields > e->ncols ? h->nfields - e->ncols
                                      : e->ncols - h->nfields);
}

/* The financial year from the layout, or -1 if it cannot be told. */
static int
layout_year(const struct pccs_csv_record *h)
{
    char miss[96], extra[96];
    for (size_t i = 0; i < NERAS; i++) {
        const struct pay_era *e = &pay_eras[i];
        if ((!e->ncols || e->ncols == h->nfields) &&
            era_misses(e, h, miss, extra, sizeof(miss)) == 0)
            return e->year;
    }
    return -1;
}

/*
 * No known year's layout: refuse, naming the closest one and how this
 * header differs from it, unless --period gives the year.
 */
static int
unknown_year(struct pccs_load *ld, const struct pccs_csv_record *h,
             struct pccs_err *err)
{
    const struct pay_era *best = &pay_eras[0];
    size_t best_d = SIZE_MAX;
    char miss[96], extra[96], bmiss[96] = "", bextra[96] = "";
    for (size_t i = 0; i < NERAS; i++) {
        size_t d = era_distance(&pay_eras[i], h, miss, extra, sizeof(miss));
        if (d < best_d) {
            best_d = d;
            best = &pay_eras[i];
            memcpy(bmiss, miss, sizeof(bmiss));
            memcpy(bextra, extra, sizeof(bextra));
        }
    }
    char fy[16], how[256];
    pccs_fy_format(best->year, fy);
    int k = best->ncols ? snprintf(how, sizeof(how), "%zu columns", best->ncols)
                        : snprintf(how, sizeof(how), "any width");
    if (bmiss[0])
        k += snprintf(how + k, sizeof(how) - (size_t)k, ", expected \"%s\"",
                      bmiss);
    if (bextra[0])
        snprintf(how + k, sizeof(how) - (size_t)k, ", and no \"%s\"", bextra);
    return pccs_err_at(
        err, PCCS_EPARSE, ld->name, h->line, 1,
        "cannot tell the financial year from this layout (%zu columns): "
        "the closest known layout, %s (%s), differs; give --period, e.g. "
        "--period 2023-24",
        h->nfields, fy, how);
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
    [P_ATYPICAL] = "atypical",      [P_QUARTER] = "patient_data_quarter",
};

/* The columns that hold the PCN and the names, which depend on the layout. */
struct pay_layout {
    int idx[P_N];
    int pcn, pcn_name, sub_name;
    int year;
    pccs_day fy_start;
    /* The end of region links: the year's end before 2019-20, when the
     * column held area teams or sub-regional teams; else open. */
    pccs_day region_end;
    struct money_col *money;
    size_t nmoney;
};

/*
 * The financial year from the layout or --period; sets the load's period
 * and *year.
 */
static int
pay_year(struct pccs_load *ld, const struct pccs_csv_record *first, int *year,
         pccs_day *fy_start, struct pccs_err *err)
{
    int known = layout_year(first);
    if (known < 0 && !(ld->opt && ld->opt->period))
        return unknown_year(ld, first, err);
    char fy[16] = "";
    if (known >= 0)
        pccs_fy_format(known, fy);
    pccs_load_set_period(ld, fy);
    int rc = pccs_load_period_fy(ld, "a payments file", "2022-23", year, err);
    if (rc)
        return rc;
    *fy_start = pccs_fy_start(*year);
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
                size_t at = strlen(money[nmoney].slug);
                memcpy(money[nmoney].slug + at, num, (size_t)nl + 1);
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
        lay->sub_name = find(first, "CCG NAME");
    int rc = pay_year(ld, first, &lay->year, &lay->fy_start, err);
    if (rc)
        return rc;
    lay->region_end = lay->year < PCN_FIRST_YEAR
                          ? pccs_fy_start(lay->year + 1) - 1
                          : PCCS_DAY_NONE;
    /* PCNs began in 2019-20: a layout of an earlier year has none. */
    if (lay->pcn < 0 && lay->year >= PCN_FIRST_YEAR)
        return pccs_err_at(err, PCCS_EPARSE, ld->name, first->line,
                           (int64_t)first->nfields + 1,
                           "expected a PCN code column (\"PCN Code\", or "
                           "\"Code\" in the 2022-23 layout) in a file for "
                           "%s",
                           ld->period);
    pay_money_cols(lay, first);
    return PCCS_OK;
}

/* One practice's row: the fields every layout has. */
struct pay_row {
    struct pccs_str prac, pname, region, sub, pcode;
    double reg, w;
    pccs_day open, close;
};

/* A date, or none: empty, or "-" (2014-15). */
static int
pay_date(struct pccs_load *ld, struct pccs_err *err,
         const struct pccs_csv_record *rec, int idx, const char *colname,
         pccs_day *out)
{
    if (pccs_str_eq(pccs_load_opt(rec, idx), "-")) {
        *out = PCCS_DAY_NONE;
        return PCCS_OK;
    }
    return pccs_load_date(ld, err, rec, idx, colname, true, out);
}

static int
pay_read_row(struct pccs_load *ld, const struct pay_layout *lay,
             const struct pccs_csv_record *rec, struct pay_row *row,
             struct pccs_err *err)
{
    const int *idx = lay->idx;
    row->pcode = PCCS_STR_EMPTY;
    row->open = row->close = PCCS_DAY_NONE;
    const struct pccs_load_spec f[] = {
        PCCS_LOAD_STR(P_PRACTICE, "Practice Code", pccs_load_practice_code,
                      &row->prac),
        PCCS_LOAD_STR(P_PRACTICE_NAME, "Practice Name", pccs_load_text,
                      &row->pname),
        PCCS_LOAD_STR(P_REGION, "NHS England (Region) code", pccs_load_ods_code,
                      &row->region),
        PCCS_LOAD_STR(P_SUB, "CCG Code", pccs_load_ods_code, &row->sub),
    };
    int rc = pccs_load_fields(ld, err, rec, idx, f, PCCS_LEN(f));
    /* Before 2019-20 there is no PCN column. */
    if (!rc && lay->pcn >= 0)
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
        rc = pay_date(ld, err, rec, idx[P_OPEN], "Practice Open Date",
                      &row->open);
    if (!rc && idx[P_CLOSE] >= 0)
        rc = pay_date(ld, err, rec, idx[P_CLOSE], "Practice Close Date",
                      &row->close);
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
    if (!rc && pccs_load_first_time(seen, row->sub)) {
        rc = pccs_load_named_org(ld, row->sub, PCCS_LEVEL_SUB_ICB,
                                 pccs_load_opt(rec, lay->sub_name),
                                 PCCS_STR_EMPTY, fy_start, err);
        /* A CCG in its area or sub-regional team, for that year. */
        if (!rc && lay->region_end != PCCS_DAY_NONE)
            rc = pccs_load_link(ld, row->sub, row->region, PCCS_LEVEL_REGION,
                                fy_start, lay->region_end, true, err);
    }
    if (!rc && pccs_load_first_time(seen, row->region))
        rc = pccs_load_named_org(ld, row->region, PCCS_LEVEL_REGION,
                                 pccs_load_opt(rec, lay->idx[P_REGION_NAME]),
                                 PCCS_STR_EMPTY, fy_start, err);
    bool has_pcn = row->pcode.len > 0;
    if (!rc && has_pcn && pccs_load_first_time(seen, row->pcode))
        rc = pccs_load_named_org(ld, row->pcode, PCCS_LEVEL_PCN,
                                 pccs_load_opt(rec, lay->pcn_name),
                                 PCCS_STR_EMPTY, fy_start, err);
    /* An empty code: in no PCN, observed like a membership. A layout
     * without PCN columns says nothing of PCNs. */
    if (!rc && lay->pcn >= 0)
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
                            fy_start, lay->region_end, true, err);
    return rc;
}

/* The practice's attributes, patient numbers and every money line. */
static int
pay_put_facts(struct pccs_load *ld, const struct pay_layout *lay,
              const struct pccs_csv_record *rec, const struct pay_row *row,
              struct pccs_err *err)
{
    int rc = PCCS_OK;
    for (int a = P_CONTRACT; !rc && a <= P_QUARTER; a++) {
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
        /* An average over no patients (2016-17, 2019-20). */
        if (pccs_str_ieq(pccs_load_opt(rec, mc->idx), "N/A"))
            continue;
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

PCCS_CSV_KIND(pccs_source_payments, "payments",
              "NHS Payments to General Practice", pay_cols, load_payments);
