/* SPDX-License-Identifier: MIT */
/*
 * Primary Care Networks workforce, individual level (NHS Digital,
 * quarterly): one row per person (or contracted service) per role, with
 * Data_source, CENSUS_YEAR, CENSUS_MONTH, PCN_CODE, PCN_NAME, SUB_ICB_CODE,
 * SUB_ICB_NAME, ICB_CODE, ICB_NAME, COMM_REGION_CODE, COMM_REGION_NAME,
 * STAFF_GROUP, STAFF_ROLE, DETAILED_STAFF_ROLE, FTE and UNIQUE_IDENTIFIER.
 * The 2022 file is Windows-1252 (en dashes are byte 0x96); the CSV reader
 * turns it into UTF-8.
 *
 * Aggregated per PCN and role into facts, for the period of the census
 * (the last day of CENSUS_YEAR / CENSUS_MONTH, which must be the same on
 * every row):
 *   workforce_fte         sum of FTE
 *   workforce_headcount   distinct UNIQUE_IDENTIFIER (people only)
 *   workforce_contracted  rows with no identifier (contracted services)
 * with dim "Data_source|STAFF_GROUP|STAFF_ROLE|DETAILED_STAFF_ROLE", and
 *   workforce_person      one per person, PCN and role: dim as above
 *                         then "|UNIQUE_IDENTIFIER", value its FTE
 * so that a staff group, a sub-ICB or England counts each person once
 * (the same identifier in two roles or two PCNs is one person). A row
 * whose identifier is empty or "NULL" (the published value for contracted
 * services) is a contracted service, not a person.
 * (Data_source separates directly employed staff, "NWRS Staff", from
 * "NWRS contracted services", whose FTE may exceed 1 per row). FTE is
 * stored as published, negative adjustments included (the September 2022
 * file has one row of -0.027); a FTE that is not a number is refused.
 */
#include "sources/sources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/hmap.h"
#include "base/xalloc.h"

enum {
    W_SOURCE,
    W_YEAR,
    W_MONTH,
    W_PCN,
    W_PCN_NAME,
    W_SUB,
    W_SUB_NAME,
    W_ICB,
    W_ICB_NAME,
    W_REGION,
    W_REGION_NAME,
    W_GROUP,
    W_ROLE,
    W_DETAIL,
    W_FTE,
    W_ID,
    W_N
};

static const struct pccs_col wf_cols[W_N] = {
    {"Data_source", false},
    {"CENSUS_YEAR", false},
    {"CENSUS_MONTH", false},
    {"PCN_CODE", false},
    {"PCN_NAME", false},
    {"SUB_ICB_CODE|CCG_CODE", false},
    {"SUB_ICB_NAME|CCG_NAME", false},
    {"ICB_CODE|STP_CODE", false},
    {"ICB_NAME|STP_NAME", false},
    {"COMM_REGION_CODE", false},
    {"COMM_REGION_NAME", false},
    {"STAFF_GROUP", false},
    {"STAFF_ROLE", false},
    {"DETAILED_STAFF_ROLE", false},
    {"FTE", false},
    {"UNIQUE_IDENTIFIER", false},
};

/* A FTE above this on one row is refused as a typing error. */
#define WF_MAX_FTE 100.0

struct agg {
    double fte;
    int64_t heads, contracted;
};

struct flush_ctx {
    struct pccs_load *ld;
    struct pccs_err *err;
    int rc;
};

static void
flush_one(void *vctx, struct pccs_hmap_entry *e)
{
    struct flush_ctx *c = vctx;
    if (c->rc)
        return;
    const struct agg *a = e->ptr;
    const char *bar = strchr(e->key, '\x1f');
    struct pccs_str pcn = {e->key, (size_t)(bar - e->key)};
    c->rc =
        pccs_load_fact(c->ld, "workforce_fte", pcn, bar + 1, a->fte, c->err);
    if (!c->rc && a->heads)
        c->rc = pccs_load_fact(c->ld, "workforce_headcount", pcn, bar + 1,
                               (double)a->heads, c->err);
    if (!c->rc && a->contracted)
        c->rc = pccs_load_fact(c->ld, "workforce_contracted", pcn, bar + 1,
                               (double)a->contracted, c->err);
}

/* One fact per person, PCN and role: key "pcn\x1fdim|id", value FTE. */
static void
flush_person(void *vctx, struct pccs_hmap_entry *e)
{
    struct flush_ctx *c = vctx;
    if (c->rc)
        return;
    const char *bar = strchr(e->key, '\x1f');
    struct pccs_str pcn = {e->key, (size_t)(bar - e->key)};
    c->rc = pccs_load_fact(c->ld, "workforce_person", pcn, bar + 1,
                           *(const double *)e->ptr, c->err);
}

/* Contracted services carry no person identifier ("NULL" as published). */
static bool
is_person(struct pccs_str id)
{
    while (id.len && (id.p[0] == ' '))
        id.p++, id.len--;
    while (id.len && id.p[id.len - 1] == ' ')
        id.len--;
    return id.len && !(id.len == 4 && pccs_str_ieq(id, "NULL"));
}

static void
free_agg(void *ctx, struct pccs_hmap_entry *e)
{
    (void)ctx;
    free(e->ptr);
}

static int
put_named(struct pccs_load *ld, const struct pccs_csv_record *rec,
          const int *idx, int code_i, int name_i, const char *level,
          pccs_day as_of, struct pccs_str *code, struct pccs_err *err)
{
    struct pccs_str name;
    int rc = pccs_load_ods_code(ld, err, rec, idx[code_i],
                                wf_cols[code_i].names, code);
    if (!rc)
        rc = pccs_load_text(ld, err, rec, idx[name_i], NULL, &name);
    if (rc)
        return rc;
    return pccs_load_named_org(ld, *code, level, name, PCCS_STR_EMPTY, as_of,
                               err);
}

/* What a load keeps across rows. */
struct wf_state {
    int idx[W_N];
    struct pccs_hmap agg, people, seen;
    struct pccs_buf key;
    int64_t year0, month0;
    pccs_day census;
};

/* One row's fields. */
struct wf_row {
    double fte;
    struct pccs_str src, group, role, detail, id;
};

/* The census month: the same on every row; the first sets the period. */
static int
wf_census(struct pccs_load *ld, struct wf_state *w,
          const struct pccs_csv_record *rec, struct pccs_err *err)
{
    const int *idx = w->idx;
    int64_t year, month;
    int rc = pccs_load_count(ld, err, rec, idx[W_YEAR], "CENSUS_YEAR", &year);
    if (!rc)
        rc =
            pccs_load_count(ld, err, rec, idx[W_MONTH], "CENSUS_MONTH", &month);
    if (!rc && (month < 1 || month > 12))
        rc = pccs_load_field_err(ld, err, rec, idx[W_MONTH], "CENSUS_MONTH",
                                 "a month 1 to 12");
    if (!rc && (year < 2000 || year > 2100))
        rc = pccs_load_field_err(ld, err, rec, idx[W_YEAR], "CENSUS_YEAR",
                                 "a year");
    if (rc)
        return rc;
    if (w->year0 < 0) {
        w->year0 = year;
        w->month0 = month;
        int ny = (int)(month == 12 ? year + 1 : year);
        int nm = (int)(month == 12 ? 1 : month + 1);
        w->census = pccs_date_from_ymd(ny, nm, 1) - 1;
        pccs_load_set_period_day(ld, w->census);
    }
    else if (year != w->year0 || month != w->month0) {
        return pccs_load_field_err(
            ld, err, rec, year != w->year0 ? idx[W_YEAR] : idx[W_MONTH],
            year != w->year0 ? "CENSUS_YEAR" : "CENSUS_MONTH",
            "the same census month on every row");
    }
    return PCCS_OK;
}

static int
wf_read_row(struct pccs_load *ld, const int *idx,
            const struct pccs_csv_record *rec, struct wf_row *row,
            struct pccs_err *err)
{
    int rc =
        pccs_load_text(ld, err, rec, idx[W_SOURCE], "Data_source", &row->src);
    if (!rc)
        rc = pccs_load_text(ld, err, rec, idx[W_GROUP], "STAFF_GROUP",
                            &row->group);
    if (!rc)
        rc =
            pccs_load_text(ld, err, rec, idx[W_ROLE], "STAFF_ROLE", &row->role);
    if (!rc)
        rc = pccs_load_text(ld, err, rec, idx[W_DETAIL], "DETAILED_STAFF_ROLE",
                            &row->detail);
    if (!rc)
        rc = pccs_load_number(ld, err, rec, idx[W_FTE], "FTE", false, false,
                              &row->fte, NULL);
    if (!rc && (row->fte > WF_MAX_FTE || row->fte < -WF_MAX_FTE))
        rc = pccs_load_field_err(ld, err, rec, idx[W_FTE], "FTE",
                                 "a full-time equivalent between -100 "
                                 "and 100 on one row");
    if (!rc)
        rc = pccs_load_text(ld, err, rec, idx[W_ID], "UNIQUE_IDENTIFIER",
                            &row->id);
    return rc;
}

/* The PCN and its parents, once each. */
static int
wf_put_pcn(struct pccs_load *ld, struct wf_state *w,
           const struct pccs_csv_record *rec, struct pccs_str *pcn,
           struct pccs_err *err)
{
    const int *idx = w->idx;
    struct pccs_str sub = PCCS_STR_EMPTY, icb = PCCS_STR_EMPTY;
    struct pccs_str region = PCCS_STR_EMPTY;
    pccs_day census = w->census;
    int rc = pccs_load_ods_code(ld, err, rec, idx[W_PCN], "PCN_CODE", pcn);
    if (rc)
        return rc;
    bool created;
    pccs_hmap_put(&w->seen, pcn->p, pcn->len, &created);
    if (!created)
        return PCCS_OK;
    const pccs_day none = PCCS_DAY_NONE;
    rc = put_named(ld, rec, idx, W_PCN, W_PCN_NAME, PCCS_LEVEL_PCN, census, pcn,
                   err);
    if (!rc)
        rc = put_named(ld, rec, idx, W_SUB, W_SUB_NAME, PCCS_LEVEL_SUB_ICB,
                       census, &sub, err);
    if (!rc)
        rc = put_named(ld, rec, idx, W_ICB, W_ICB_NAME, PCCS_LEVEL_ICB, census,
                       &icb, err);
    if (!rc)
        rc = put_named(ld, rec, idx, W_REGION, W_REGION_NAME, PCCS_LEVEL_REGION,
                       census, &region, err);
    if (!rc)
        rc = pccs_load_link(ld, *pcn, sub, PCCS_LEVEL_SUB_ICB, census, none,
                            true, err);
    if (!rc)
        rc = pccs_load_link(ld, sub, icb, PCCS_LEVEL_ICB, census, none, true,
                            err);
    if (!rc)
        rc = pccs_load_link(ld, icb, region, PCCS_LEVEL_REGION, census, none,
                            true, err);
    return rc;
}

/* Add a row to its PCN and role, and a person to their headcount. */
static void
wf_add(struct wf_state *w, struct pccs_str pcn, const struct wf_row *row)
{
    struct pccs_buf *key = &w->key;
    bool created;
    pccs_buf_reset(key);
    pccs_buf_addf(key, "%.*s\x1f%.*s|%.*s|%.*s|%.*s", (int)pcn.len, pcn.p,
                  (int)row->src.len, row->src.p, (int)row->group.len,
                  row->group.p, (int)row->role.len, row->role.p,
                  (int)row->detail.len, row->detail.p);
    struct pccs_hmap_entry *e =
        pccs_hmap_put(&w->agg, key->p, key->len, &created);
    if (created)
        e->ptr = pccs_xcalloc(1, sizeof(struct agg));
    struct agg *a = e->ptr;
    a->fte += row->fte;
    if (!is_person(row->id)) {
        a->contracted++;
        return;
    }
    /* Headcount: each person once per PCN and role. */
    pccs_buf_addf(key, "|%.*s", (int)row->id.len, row->id.p);
    e = pccs_hmap_put(&w->people, key->p, key->len, &created);
    if (created) {
        a->heads++;
        e->ptr = pccs_xcalloc(1, sizeof(double));
    }
    *(double *)e->ptr += row->fte;
}

static int
load_workforce(struct pccs_load *ld, struct pccs_csv_reader *r,
               const struct pccs_csv_record *first, struct pccs_err *err)
{
    struct wf_state w = {
        .agg = PCCS_HMAP_INIT,
        .people = PCCS_HMAP_INIT,
        .seen = PCCS_HMAP_INIT,
        .key = PCCS_BUF_INIT,
        .year0 = -1,
        .month0 = -1,
        .census = PCCS_DAY_NONE,
    };
    pccs_cols_bind(wf_cols, W_N, first, w.idx);
    struct pccs_csv_record rec;
    int rc;
    while ((rc = pccs_csv_next(r, &rec, err)) == 1) {
        struct wf_row row;
        struct pccs_str pcn;
        rc = wf_census(ld, &w, &rec, err);
        if (!rc)
            rc = wf_read_row(ld, w.idx, &rec, &row, err);
        if (!rc)
            rc = wf_put_pcn(ld, &w, &rec, &pcn, err);
        if (rc)
            break;
        wf_add(&w, pcn, &row);
        pccs_load_row(ld, pccs_csv_offset(r));
    }
    if (rc > 0)
        rc = PCCS_OK;
    if (!rc) {
        struct flush_ctx c = {ld, err, 0};
        pccs_hmap_each(&w.agg, flush_one, &c);
        if (!c.rc)
            pccs_hmap_each(&w.people, flush_person, &c);
        rc = c.rc;
    }
    pccs_hmap_each(&w.agg, free_agg, NULL);
    pccs_hmap_each(&w.people, free_agg, NULL);
    pccs_hmap_release(&w.agg);
    pccs_hmap_release(&w.people);
    pccs_hmap_release(&w.seen);
    pccs_buf_release(&w.key);
    return rc;
}

PCCS_CSV_KIND(pccs_source_pcn_workforce, "pcn_workforce",
              "Primary Care Networks workforce, individual level", wf_cols,
              load_workforce);
