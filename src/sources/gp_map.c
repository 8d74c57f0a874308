/* SPDX-License-Identifier: MIT */
/*
 * The practice -> PCN -> CCG / sub-ICB -> STP / ICB -> region map that
 * NHS Digital publishes with Patients Registered at a GP Practice
 * (gp-reg-pat-prac-map), in both eras:
 *
 *   CCG era: PUBLICATION, EXTRACT_DATE, PRACTICE_CODE, PRACTICE_NAME,
 *     PRACTICE_POSTCODE, PCN_CODE, PCN_NAME, ONS_CCG_CODE, CCG_CODE,
 *     CCG_NAME, ONS_STP_CODE, STP_CODE, STP_NAME, ONS_COMM_REGION_CODE,
 *     COMM_REGION_CODE, COMM_REGION_NAME (dates like 01-Sep-20);
 *   ICB era (from July 2022): the same with SUB_ICB_LOCATION_ and ICB_
 *     for CCG_ and STP_, and SUPPLIER_NAME (dates like 01Oct2025).
 *
 * Practices with no PCN have PCN_CODE "U" and PCN_NAME "Unallocated":
 * they are stored as in no PCN on the extract date (a membership with no
 * parent), which the tree reads as a state like any other. The period is
 * the extract date.
 * Everything is a snapshot: links are observed on the extract date.
 */
#include "sources/sources.h"

#include <stdio.h>
#include <string.h>

#include "base/hmap.h"
#include "base/xalloc.h"

enum {
    M_EXTRACT_DATE,
    M_PRACTICE,
    M_PRACTICE_NAME,
    M_POSTCODE,
    M_PCN,
    M_PCN_NAME,
    M_ONS_SUB,
    M_SUB,
    M_SUB_NAME,
    M_ONS_ICB,
    M_ICB,
    M_ICB_NAME,
    M_ONS_REGION,
    M_REGION,
    M_REGION_NAME,
    M_SUPPLIER,
    M_N
};

static const struct pccs_col map_cols[M_N] = {
    {"EXTRACT_DATE", false},
    {"PRACTICE_CODE", false},
    {"PRACTICE_NAME", false},
    {"PRACTICE_POSTCODE", true},
    {"PCN_CODE", false},
    {"PCN_NAME", false},
    {"ONS_CCG_CODE|ONS_SUB_ICB_LOCATION_CODE|ONS_SUB_ICB_LOC_CODE", true},
    {"CCG_CODE|SUB_ICB_LOCATION_CODE|SUB_ICB_LOC_CODE", false},
    {"CCG_NAME|SUB_ICB_LOCATION_NAME|SUB_ICB_LOC_NAME", false},
    {"ONS_STP_CODE|ONS_ICB_CODE", true},
    {"STP_CODE|ICB_CODE", false},
    {"STP_NAME|ICB_NAME", false},
    {"ONS_COMM_REGION_CODE|ONS_NHSER_CODE|ONS_REGION_CODE", true},
    {"COMM_REGION_CODE|NHSER_CODE|REGION_CODE", false},
    {"COMM_REGION_NAME|NHSER_NAME|REGION_NAME", false},
    {"SUPPLIER_NAME", true},
};

/* The practice, with its postcode. */
static int
put_practice(struct pccs_load *ld, struct pccs_str code, struct pccs_str name,
             const char *postcode, pccs_day as_of, struct pccs_err *err)
{
    char c[16];
    pccs_str_copy(code, c, sizeof(c));
    struct pccs_org_row o = {
        .code = c,
        .level = PCCS_LEVEL_PRACTICE,
        .postcode = postcode,
        .name = pccs_load_cstr(ld, name),
        .open_date = PCCS_DAY_NONE,
        .close_date = PCCS_DAY_NONE,
        .as_of = as_of,
    };
    return pccs_load_org(ld, &o, err);
}

/* One row of the map. */
struct map_row {
    struct pccs_str prac, pname, pcn, pcn_name, sub, sub_name, icb, icb_name,
        region, region_name;
};

static int
map_read_row(struct pccs_load *ld, const int *idx,
             const struct pccs_csv_record *rec, struct map_row *m,
             struct pccs_err *err)
{
    const struct pccs_load_spec head[] = {
        PCCS_LOAD_STR(M_PRACTICE, "PRACTICE_CODE", pccs_load_practice_code,
                      &m->prac),
        PCCS_LOAD_STR(M_PRACTICE_NAME, "PRACTICE_NAME", pccs_load_text,
                      &m->pname),
        PCCS_LOAD_STR(M_PCN, "PCN_CODE", pccs_load_text, &m->pcn),
    };
    const struct pccs_load_spec rest[] = {
        PCCS_LOAD_STR(M_PCN_NAME, "PCN_NAME", pccs_load_text, &m->pcn_name),
        PCCS_LOAD_STR(M_SUB, "CCG_CODE", pccs_load_ods_code, &m->sub),
        PCCS_LOAD_STR(M_SUB_NAME, "CCG_NAME", pccs_load_text, &m->sub_name),
        PCCS_LOAD_STR(M_ICB, "STP_CODE", pccs_load_ods_code, &m->icb),
        PCCS_LOAD_STR(M_ICB_NAME, "STP_NAME", pccs_load_text, &m->icb_name),
        PCCS_LOAD_STR(M_REGION, "COMM_REGION_CODE", pccs_load_ods_code,
                      &m->region),
        PCCS_LOAD_STR(M_REGION_NAME, "COMM_REGION_NAME", pccs_load_text,
                      &m->region_name),
    };
    int rc = pccs_load_fields(ld, err, rec, idx, head, PCCS_LEN(head));
    if (!rc && !pccs_str_eq(m->pcn, "U") && !pccs_is_ods_code(m->pcn))
        rc = pccs_load_field_err(ld, err, rec, idx[M_PCN], "PCN_CODE",
                                 "an ODS code, or U for unallocated");
    if (!rc)
        rc = pccs_load_fields(ld, err, rec, idx, rest, PCCS_LEN(rest));
    return rc;
}

/* A parent organisation of the map: its level, and the one above it. */
struct map_parent {
    struct pccs_str code, name, ons;
    const char *level;
    struct pccs_str up; /* empty: none above it in the map */
    const char *up_level;
};

/* The parent p, the first time the load meets it, linked to the one above. */
static int
put_parent(struct pccs_load *ld, struct pccs_hmap *seen,
           const struct map_parent *p, pccs_day extract, struct pccs_err *err)
{
    if (!pccs_load_first_time(seen, p->code))
        return PCCS_OK;
    int rc = pccs_load_named_org(ld, p->code, p->level, p->name, p->ons,
                                 extract, err);
    if (!rc && p->up.len)
        rc = pccs_load_link(ld, p->code, p->up, p->up_level, extract,
                            PCCS_DAY_NONE, true, err);
    return rc;
}

/* The PCN, sub-ICB, ICB and region, each once, with their parents. */
static int
map_put_parents(struct pccs_load *ld, const int *idx,
                const struct pccs_csv_record *rec, const struct map_row *m,
                bool allocated, struct pccs_hmap *seen, pccs_day extract,
                struct pccs_err *err)
{
    const struct pccs_str none = PCCS_STR_EMPTY;
    const struct map_parent parents[] = {
        {m->pcn, m->pcn_name, none, PCCS_LEVEL_PCN, none, NULL},
        {m->sub, m->sub_name, pccs_load_opt(rec, idx[M_ONS_SUB]),
         PCCS_LEVEL_SUB_ICB, m->icb, PCCS_LEVEL_ICB},
        {m->icb, m->icb_name, pccs_load_opt(rec, idx[M_ONS_ICB]),
         PCCS_LEVEL_ICB, m->region, PCCS_LEVEL_REGION},
        {m->region, m->region_name, pccs_load_opt(rec, idx[M_ONS_REGION]),
         PCCS_LEVEL_REGION, none, NULL},
    };
    int rc = PCCS_OK;
    for (size_t i = allocated ? 0 : 1; !rc && i < PCCS_LEN(parents); i++)
        rc = put_parent(ld, seen, &parents[i], extract, err);
    return rc;
}

/* The practice, its parents and memberships, and its supplier. */
static int
map_put_row(struct pccs_load *ld, const int *idx,
            const struct pccs_csv_record *rec, const struct map_row *m,
            struct pccs_hmap *seen, pccs_day extract, struct pccs_err *err)
{
    const pccs_day none = PCCS_DAY_NONE;
    bool allocated = !pccs_str_eq(m->pcn, "U");
    int rc = put_practice(ld, m->prac, m->pname,
                          pccs_load_opt_cstr(ld, rec, idx[M_POSTCODE]), extract,
                          err);
    if (!rc)
        rc = map_put_parents(ld, idx, rec, m, allocated, seen, extract, err);
    if (!rc)
        rc = pccs_load_link(ld, m->prac, allocated ? m->pcn : PCCS_STR_EMPTY,
                            PCCS_LEVEL_PCN, extract, none, true, err);
    if (!rc)
        rc = pccs_load_link(ld, m->prac, m->sub, PCCS_LEVEL_SUB_ICB, extract,
                            none, true, err);
    /* A PCN sits in the sub-ICB of its practices on the map. */
    if (!rc && allocated)
        rc = pccs_load_link(ld, m->pcn, m->sub, PCCS_LEVEL_SUB_ICB, extract,
                            none, true, err);
    struct pccs_str supplier = pccs_load_opt(rec, idx[M_SUPPLIER]);
    if (!rc && supplier.len)
        rc = pccs_load_attr(ld, m->prac, "supplier", supplier, extract, err);
    return rc;
}

static int
load_map(struct pccs_load *ld, struct pccs_csv_reader *r,
         const struct pccs_csv_record *first, struct pccs_err *err)
{
    int idx[M_N];
    pccs_cols_bind(map_cols, M_N, first, idx);
    struct pccs_hmap practices = PCCS_HMAP_INIT, seen = PCCS_HMAP_INIT;
    struct pccs_csv_record rec;
    pccs_day extract = PCCS_DAY_NONE;
    int rc;
    while ((rc = pccs_csv_next(r, &rec, err)) == 1) {
        struct map_row m = {.prac = {.p = NULL}};
        rc = pccs_load_same_date(ld, err, &rec, idx[M_EXTRACT_DATE],
                                 "EXTRACT_DATE", &extract);
        if (!rc)
            rc = map_read_row(ld, idx, &rec, &m, err);
        if (!rc)
            rc = pccs_load_unique(ld, &practices, &rec, idx[M_PRACTICE],
                                  "PRACTICE_CODE", m.prac, "practice", err);
        if (!rc)
            rc = map_put_row(ld, idx, &rec, &m, &seen, extract, err);
        if (rc)
            break;
        pccs_load_row(ld, pccs_csv_offset(r));
    }
    if (rc > 0)
        rc = PCCS_OK;
    pccs_hmap_release(&practices);
    pccs_hmap_release(&seen);
    return rc;
}

PCCS_CSV_KIND(pccs_source_gp_map, "gp_map",
              "GP practice to PCN, CCG / sub-ICB, STP / ICB and "
              "region map (Patients Registered at a GP Practice)",
              map_cols, load_map);
