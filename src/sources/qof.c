/* SPDX-License-Identifier: MIT */
/*
 * Quality and Outcomes Framework files (NHS Digital, yearly), each
 * recognised by its header:
 *
 *   qof_prevalence     PRACTICE_CODE, GROUP_CODE, REGISTER,
 *                      PATIENT_LIST_TYPE, PRACTICE_LIST_SIZE
 *   qof_geographies    NAT_..., REGION_..., STP_..., CCG_..., PCN_...,
 *                      PRACTICE_CODE, PRACTICE_NAME
 *   qof_org_reference  PRACTICE_CODE, REVISED_MAXIMUM_POINTS
 *   qof_indicators     INDICATOR_CODE, INDICATOR_POINT_VALUE, GROUP_CODE,
 *                      GROUP_DESCRIPTION, DOMAIN_CODE, DOMAIN_DESCRIPTION,
 *                      PATIENT_LIST_TYPE
 *   qof_validation     PRACTICE_CODE, VALIDATION_RULE, RULE_DESCRIPTION
 *
 * The files carry no year. The QOF year is taken from the layout: these
 * headers (with list types TOTAL, 06OV, 16OV, 17OV, 18OV, 50OV) are the
 * 2020-21 publication's, the only one bundled; a file of another year
 * with the same headers must be loaded with --period (docs/data/qof.md).
 *
 * A register is stored as published even when it exceeds its list size
 * (one practice in 2020-21 does): that is the publication's figure.
 */
#include "sources/sources.h"

#include <stdio.h>
#include <string.h>

#include "base/hmap.h"
#include "base/xalloc.h"

#define QOF_LAYOUT_YEAR "2020-21"
#define QOF_YEAR_END_MONTH 3

static int
set_qof_period(struct pccs_load *ld, struct pccs_err *err, pccs_day *end)
{
    pccs_load_set_period(ld, QOF_LAYOUT_YEAR);
    int y;
    int rc = pccs_load_period_fy(ld, "a QOF file", "2021-22", &y, err);
    if (rc)
        return rc;
    if (end)
        *end = pccs_fy_start(y + 1) - 1;
    return PCCS_OK;
}

/* Refuse a second row with the same key; key is "a|b". */
static int
unique_row(struct pccs_load *ld, struct pccs_hmap *seen,
           const struct pccs_csv_record *rec, int col, const char *key,
           const char *what, struct pccs_err *err)
{
    return pccs_load_unique(ld, seen, rec, col, NULL, pccs_str_from(key), what,
                            err);
}

/*
 * What a QOF loader keeps across rows: the columns' places, the end of
 * the year, the keys seen and the disease groups described.
 */
struct qof_rows {
    int idx[16];
    pccs_day end;
    struct pccs_hmap seen, groups;
};

typedef int qof_row_fn(struct pccs_load *ld, const struct pccs_csv_record *rec,
                       struct qof_rows *q, struct pccs_err *err);

/* Bind the columns, check --period, then load each row with row. */
static int
qof_rows(struct pccs_load *ld, struct pccs_csv_reader *r,
         const struct pccs_csv_record *first, const struct pccs_col *cols,
         size_t ncols, qof_row_fn *row, struct pccs_err *err)
{
    struct qof_rows q = {.seen = PCCS_HMAP_INIT, .groups = PCCS_HMAP_INIT};
    PCCS_ASSERT(ncols <= PCCS_LEN(q.idx));
    pccs_cols_bind(cols, ncols, first, q.idx);
    int rc = set_qof_period(ld, err, &q.end);
    if (rc)
        return rc;
    struct pccs_csv_record rec;
    while ((rc = pccs_csv_next(r, &rec, err)) == 1) {
        rc = row(ld, &rec, &q, err);
        if (rc)
            break;
        pccs_load_row(ld, pccs_csv_offset(r));
    }
    pccs_hmap_release(&q.seen);
    pccs_hmap_release(&q.groups);
    return rc > 0 ? PCCS_OK : rc;
}

/* ===== Prevalence ===== */

enum { V_PRACTICE, V_GROUP, V_REGISTER, V_LIST_TYPE, V_LIST, V_N };

static const struct pccs_col prev_cols[V_N] = {
    {"PRACTICE_CODE", false},      {"GROUP_CODE", false},
    {"REGISTER", false},           {"PATIENT_LIST_TYPE", false},
    {"PRACTICE_LIST_SIZE", false},
};

static int
prevalence_row(struct pccs_load *ld, const struct pccs_csv_record *rec,
               struct qof_rows *q, struct pccs_err *err)
{
    struct pccs_str prac, group, lt;
    int64_t reg, list;
    const struct pccs_load_spec f[] = {
        PCCS_LOAD_STR(V_PRACTICE, "PRACTICE_CODE", pccs_load_practice_code,
                      &prac),
        PCCS_LOAD_STR(V_GROUP, "GROUP_CODE", pccs_load_text, &group),
        PCCS_LOAD_COUNT(V_REGISTER, "REGISTER", &reg),
        PCCS_LOAD_STR(V_LIST_TYPE, "PATIENT_LIST_TYPE", pccs_load_text, &lt),
        PCCS_LOAD_COUNT(V_LIST, "PRACTICE_LIST_SIZE", &list),
    };
    int rc = pccs_load_fields(ld, err, rec, q->idx, f, PCCS_LEN(f));
    if (rc)
        return rc;
    char key[64], dim[32];
    snprintf(key, sizeof(key), "%.*s|%.*s", (int)prac.len, prac.p,
             (int)group.len, group.p);
    pccs_str_copy(group, dim, sizeof(dim));
    rc = unique_row(ld, &q->seen, rec, q->idx[V_PRACTICE], key,
                    "practice and disease group", err);
    if (!rc)
        rc = pccs_load_fact(ld, "qof_register", prac, dim, (double)reg, err);
    if (!rc)
        rc = pccs_load_fact(ld, "qof_list_size", prac, dim, (double)list, err);
    bool created;
    pccs_hmap_put(&q->groups, group.p, group.len, &created);
    if (!rc && created)
        rc =
            pccs_load_ref(ld, "qof_group", group, "patient_list_type", lt, err);
    return rc;
}

/* ===== Geographies ===== */

enum {
    G_REGION,
    G_REGION_ONS,
    G_REGION_NAME,
    G_STP,
    G_STP_ONS,
    G_STP_NAME,
    G_CCG,
    G_CCG_ONS,
    G_CCG_NAME,
    G_PCN,
    G_PCN_NAME,
    G_PRACTICE,
    G_PRACTICE_NAME,
    G_N
};

static const struct pccs_col geo_cols[G_N] = {
    {"REGION_ODS_CODE", false},
    {"REGION_ONS_CODE", true},
    {"REGION_NAME", false},
    {"STP_ODS_CODE|ICB_ODS_CODE", false},
    {"STP_ONS_CODE|ICB_ONS_CODE", true},
    {"STP_NAME|ICB_NAME", false},
    {"CCG_ODS_CODE|SUB_ICB_LOC_ODS_CODE|SUB_ICB_ODS_CODE", false},
    {"CCG_ONS_CODE|SUB_ICB_LOC_ONS_CODE|SUB_ICB_ONS_CODE", true},
    {"CCG_NAME|SUB_ICB_LOC_NAME|SUB_ICB_NAME", false},
    {"PCN_ODS_CODE", false},
    {"PCN_NAME", false},
    {"PRACTICE_CODE", false},
    {"PRACTICE_NAME", false},
};

static int
geo_org(struct pccs_load *ld, const struct pccs_csv_record *rec, const int *idx,
        int code_i, int ons_i, int name_i, const char *level, bool practice,
        pccs_day as_of, struct pccs_str *code, struct pccs_err *err)
{
    struct pccs_str name;
    int rc = practice
                 ? pccs_load_practice_code(ld, err, rec, idx[code_i],
                                           "PRACTICE_CODE", code)
                 : pccs_load_ods_code(ld, err, rec, idx[code_i], NULL, code);
    if (!rc)
        rc = pccs_load_text(ld, err, rec, idx[name_i], NULL, &name);
    if (rc)
        return rc;
    struct pccs_str ons = PCCS_STR_EMPTY;
    if (ons_i >= 0 && idx[ons_i] >= 0 && (size_t)idx[ons_i] < rec->nfields)
        ons = rec->fields[idx[ons_i]];
    return pccs_load_named_org(ld, *code, level, name, ons, as_of, err);
}

static int
geographies_row(struct pccs_load *ld, const struct pccs_csv_record *rec,
                struct qof_rows *q, struct pccs_err *err)
{
    const pccs_day none = PCCS_DAY_NONE;
    struct pccs_str reg, stp, ccg, pcn, prac;
    int rc = geo_org(ld, rec, q->idx, G_PRACTICE, -1, G_PRACTICE_NAME,
                     PCCS_LEVEL_PRACTICE, true, q->end, &prac, err);
    /* Practices in no PCN have PCN_ODS_CODE "U" ("Unallocated"). */
    bool in_pcn = true;
    if (!rc)
        rc = pccs_load_text(ld, err, rec, q->idx[G_PCN], "PCN_ODS_CODE", &pcn);
    if (!rc && pccs_str_eq(pcn, "U"))
        in_pcn = false;
    else if (!rc)
        rc = geo_org(ld, rec, q->idx, G_PCN, -1, G_PCN_NAME, PCCS_LEVEL_PCN,
                     false, q->end, &pcn, err);
    if (!rc)
        rc = geo_org(ld, rec, q->idx, G_CCG, G_CCG_ONS, G_CCG_NAME,
                     PCCS_LEVEL_SUB_ICB, false, q->end, &ccg, err);
    if (!rc)
        rc = geo_org(ld, rec, q->idx, G_STP, G_STP_ONS, G_STP_NAME,
                     PCCS_LEVEL_ICB, false, q->end, &stp, err);
    if (!rc)
        rc = geo_org(ld, rec, q->idx, G_REGION, G_REGION_ONS, G_REGION_NAME,
                     PCCS_LEVEL_REGION, false, q->end, &reg, err);
    if (rc)
        return rc;
    char key[16];
    pccs_str_copy(prac, key, sizeof(key));
    rc =
        unique_row(ld, &q->seen, rec, q->idx[G_PRACTICE], key, "practice", err);
    /* "U": in no PCN at the q->end of the year, a state with a date. */
    if (!rc)
        rc = pccs_load_link(ld, prac, in_pcn ? pcn : PCCS_STR_EMPTY,
                            PCCS_LEVEL_PCN, q->end, none, true, err);
    if (!rc)
        rc = pccs_load_link(ld, prac, ccg, PCCS_LEVEL_SUB_ICB, q->end, none,
                            true, err);
    if (!rc && in_pcn)
        rc = pccs_load_link(ld, pcn, ccg, PCCS_LEVEL_SUB_ICB, q->end, none,
                            true, err);
    if (!rc)
        rc = pccs_load_link(ld, ccg, stp, PCCS_LEVEL_ICB, q->end, none, true,
                            err);
    if (!rc)
        rc = pccs_load_link(ld, stp, reg, PCCS_LEVEL_REGION, q->end, none, true,
                            err);
    return rc;
}

/* ===== Organisation reference ===== */

static const struct pccs_col orgref_cols[2] = {
    {"PRACTICE_CODE", false},
    {"REVISED_MAXIMUM_POINTS", false},
};

static int
org_reference_row(struct pccs_load *ld, const struct pccs_csv_record *rec,
                  struct qof_rows *q, struct pccs_err *err)
{
    struct pccs_str prac;
    double pts;
    int rc = pccs_load_practice_code(ld, err, rec, q->idx[0], "PRACTICE_CODE",
                                     &prac);
    if (!rc)
        rc = pccs_load_number(ld, err, rec, q->idx[1], "REVISED_MAXIMUM_POINTS",
                              true, false, &pts, NULL);
    if (rc)
        return rc;
    char key[16];
    pccs_str_copy(prac, key, sizeof(key));
    if (!rc)
        rc = unique_row(ld, &q->seen, rec, q->idx[0], key, "practice", err);
    if (!rc)
        rc = pccs_load_fact(ld, "qof_max_points", prac, "", pts, err);
    return rc;
}

/* ===== Indicators ===== */

enum {
    I_CODE,
    I_POINTS,
    I_GROUP,
    I_GROUP_DESC,
    I_DOMAIN,
    I_DOMAIN_DESC,
    I_LIST_TYPE,
    I_N
};

static const struct pccs_col ind_cols[I_N] = {
    {"INDICATOR_CODE", false},   {"INDICATOR_POINT_VALUE", false},
    {"GROUP_CODE", false},       {"GROUP_DESCRIPTION", false},
    {"DOMAIN_CODE", false},      {"DOMAIN_DESCRIPTION", false},
    {"PATIENT_LIST_TYPE", true},
};

static const char *const ind_attrs[I_N] = {
    NULL,          "points", "group_code",        NULL,
    "domain_code", NULL,     "patient_list_type",
};

static int
indicators_row(struct pccs_load *ld, const struct pccs_csv_record *rec,
               struct qof_rows *q, struct pccs_err *err)
{
    struct pccs_str code, group;
    double pts;
    int rc =
        pccs_load_text(ld, err, rec, q->idx[I_CODE], "INDICATOR_CODE", &code);
    if (!rc)
        rc = pccs_load_number(ld, err, rec, q->idx[I_POINTS],
                              "INDICATOR_POINT_VALUE", true, false, &pts, NULL);
    if (!rc)
        rc =
            pccs_load_text(ld, err, rec, q->idx[I_GROUP], "GROUP_CODE", &group);
    if (rc)
        return rc;
    char key[64];
    pccs_str_copy(code, key, sizeof(key));
    rc = unique_row(ld, &q->seen, rec, q->idx[I_CODE], key, "indicator", err);
    for (int a = 0; !rc && a < I_N; a++) {
        if (!ind_attrs[a] || q->idx[a] < 0 || (size_t)q->idx[a] >= rec->nfields)
            continue;
        rc = pccs_load_ref(ld, "qof_indicator", code, ind_attrs[a],
                           pccs_str_trim(rec->fields[q->idx[a]]), err);
    }
    bool created;
    pccs_hmap_put(&q->groups, group.p, group.len, &created);
    if (!rc && created) {
        rc = pccs_load_ref(ld, "qof_group", group, "description",
                           pccs_str_trim(rec->fields[q->idx[I_GROUP_DESC]]),
                           err);
        if (!rc)
            rc = pccs_load_ref(ld, "qof_group", group, "domain_code",
                               pccs_str_trim(rec->fields[q->idx[I_DOMAIN]]),
                               err);
        if (!rc)
            rc = pccs_load_ref(
                ld, "qof_domain", pccs_str_trim(rec->fields[q->idx[I_DOMAIN]]),
                "description",
                pccs_str_trim(rec->fields[q->idx[I_DOMAIN_DESC]]), err);
    }
    return rc;
}

/* ===== Validation outcomes ===== */

static int
validation_row(struct pccs_load *ld, const struct pccs_csv_record *rec,
               struct qof_rows *q, struct pccs_err *err)
{
    struct pccs_str prac, desc = PCCS_STR_EMPTY;
    int64_t rule = 0;
    int rc = pccs_load_practice_code(ld, err, rec, q->idx[0], "PRACTICE_CODE",
                                     &prac);
    if (!rc)
        rc = pccs_load_count(ld, err, rec, q->idx[1], "VALIDATION_RULE", &rule);
    if (!rc)
        rc = pccs_load_text(ld, err, rec, q->idx[2], "RULE_DESCRIPTION", &desc);
    if (rc)
        return rc;
    char key[48];
    snprintf(key, sizeof(key), "%.*s|%lld", (int)prac.len, prac.p,
             (long long)rule);
    if (!rc)
        rc = unique_row(ld, &q->seen, rec, q->idx[0], key, "practice and rule",
                        err);
    if (!rc)
        rc = pccs_load_ref(ld, "qof_validation", pccs_str_from(key),
                           "description", desc, err);
    return rc;
}

static const struct pccs_col valid_cols[3] = {
    {"PRACTICE_CODE", false},
    {"VALIDATION_RULE", false},
    {"RULE_DESCRIPTION", false},
};

#define QOF_PUB "Quality and Outcomes Framework"

/*
 * A QOF kind: its name, what the file is, its columns and the loader of
 * one of its rows.
 */
#define QOF_KIND(name, what, cols_, row)                                       \
    static int load_##name(struct pccs_load *ld, struct pccs_csv_reader *r,    \
                           const struct pccs_csv_record *first,                \
                           struct pccs_err *err)                               \
    {                                                                          \
        return qof_rows(ld, r, first, cols_, PCCS_LEN(cols_), row, err);       \
    }                                                                          \
    PCCS_CSV_KIND(pccs_source_qof_##name, "qof_" #name, QOF_PUB ", " what,     \
                  cols_, load_##name)

QOF_KIND(prevalence, "registers and prevalence", prev_cols, prevalence_row);
QOF_KIND(geographies, "mapping of NHS geographies", geo_cols, geographies_row);
QOF_KIND(org_reference, "organisation reference", orgref_cols,
         org_reference_row);
QOF_KIND(indicators, "mapping of indicators", ind_cols, indicators_row);
QOF_KIND(validation, "practice validation outcomes", valid_cols,
         validation_row);
