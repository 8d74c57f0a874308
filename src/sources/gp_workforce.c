/* SPDX-License-Identifier: MIT */
/*
 * General Practice Workforce, practice level (NHS Digital, monthly since
 * July 2021; "Practice Level - Detailed" CSV): one row per practice with
 * PRAC_CODE, PRAC_NAME, the parents of its era (CCG_CODE or SUB_ICB_CODE,
 * ...), TOTAL_PATIENTS and one headcount (_HC) and full-time equivalent
 * (_FTE) column per staff group and role:
 *   TOTAL_GP_FTE, TOTAL_NURSES_FTE, TOTAL_DPC_FTE, TOTAL_ADMIN_FTE  groups
 *   TOTAL_GP_SEN_PTNR_FTE, TOTAL_N_PRAC_NURSE_FTE, TOTAL_DPC_PHARMA_FTE,
 *   TOTAL_ADMIN_RECEPT_FTE, ...                                      roles
 * Values a practice did not submit are "NA" (or "ND", or empty) and are
 * not stored. The file carries no date: the census is the last day of the
 * month named in the file name ("... September 2022 Practice Level ...",
 * or 2022-09), or --period.
 *
 * Facts at practice level: gpw_fte / gpw_headcount for the group totals
 * and aggregates, gpw_role_fte / gpw_role_headcount for the roles, dim
 * "General Practice Workforce|GROUP|ROLE|COLUMN" where ROLE is "(all)" on
 * the group totals. The GP aggregates that overlap the roles
 * (TOTAL_GP_EXTG, _EXL, _EXTGL: excluding trainees and/or locums) are
 * stored with ROLE "(aggregate)" so a sum over roles never counts twice.
 * A role's zero is not stored (a missing role reads as 0); group totals
 * and aggregates are stored even when zero.
 */
#include "sources/sources.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/hmap.h"
#include "base/xalloc.h"

enum { G_PRAC, G_NAME, G_GP, G_NURSES, G_DPC, G_ADMIN, G_N };

static const struct pccs_col gpw_cols[G_N] = {
    {"PRAC_CODE", false},     {"PRAC_NAME", true},
    {"TOTAL_GP_FTE", false},  {"TOTAL_NURSES_FTE", false},
    {"TOTAL_DPC_FTE", false}, {"TOTAL_ADMIN_FTE", false},
};

/* A FTE or headcount above this for one practice is refused. */
#define GPW_MAX 2000.0

struct gpw_col {
    int idx;
    const char *measure; /* gpw_fte, gpw_headcount, gpw_role_... */
    char *dim;
    char *name; /* the header, for messages */
    bool role;  /* a role column: zeros are not stored */
};

/* The staff group of the columns whose names begin with prefix. */
struct group_prefix {
    const char *prefix, *group;
};

static const struct group_prefix groups[] = {
    {"GP", "GP"},
    {"NURSES", "Nurses"},
    {"N", "Nurses"},
    {"DPC", "Direct Patient Care"},
    {"ADMIN", "Admin/Non-Clinical"},
};

static bool
gp_aggregate(const char *role)
{
    return !strcmp(role, "EXTG") || !strcmp(role, "EXL") ||
           !strcmp(role, "EXTGL");
}

/*
 * Classify header h ("TOTAL_DPC_PHARMA_FTE"): measure, group and role.
 * False for columns that are not workforce counts (TOTAL_PATIENTS).
 */
static bool
classify(const char *h, struct gpw_col *c)
{
    size_t n = strlen(h);
    const char *measure;
    size_t tail;
    if (n > 10 && !strcmp(h + n - 4, "_FTE")) {
        measure = "gpw_fte";
        tail = 4;
    }
    else if (n > 9 && !strcmp(h + n - 3, "_HC")) {
        measure = "gpw_headcount";
        tail = 3;
    }
    else
        return false;
    if (strncmp(h, "TOTAL_", 6) != 0)
        return false;
    const char *rest = h + 6;
    size_t rlen = n - 6 - tail;
    for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
        size_t pl = strlen(groups[i].prefix);
        if (rlen < pl || strncmp(rest, groups[i].prefix, pl) != 0)
            continue;
        char role[64];
        if (rlen == pl)
            snprintf(role, sizeof(role), "(all)");
        else if (rest[pl] == '_')
            snprintf(role, sizeof(role), "%.*s", (int)(rlen - pl - 1),
                     rest + pl + 1);
        else
            continue;
        /* TOTAL_N_FTE does not exist; TOTAL_NURSES_* only as the group. */
        if (!strcmp(groups[i].prefix, "N") && !strcmp(role, "(all)"))
            continue;
        if (!strcmp(groups[i].prefix, "NURSES") && strcmp(role, "(all)"))
            continue;
        const char *r = role;
        if (!strcmp(groups[i].prefix, "GP") && gp_aggregate(role))
            r = "(aggregate)";
        struct pccs_buf b = PCCS_BUF_INIT;
        pccs_buf_addf(&b, "General Practice Workforce|%s|%s|%.*s",
                      groups[i].group, r, (int)(n - tail - 6), rest);
        c->dim = pccs_buf_detach(&b, NULL);
        c->name = pccs_xstrdup(h);
        c->role = r == role && strcmp(role, "(all)") != 0;
        c->measure = !c->role    ? measure
                     : tail == 4 ? "gpw_role_fte"
                                 : "gpw_role_headcount";
        return true;
    }
    return false;
}

static const char *const month_names[] = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

/*
 * The census month from a file name: a month name followed by a year
 * ("September 2022", "sep-2022" is not enough) or YYYY-MM. The census
 * is that month's last day. False if the name says neither.
 */
static bool
census_from_name(const char *name, pccs_day *out)
{
    char low[512];
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    size_t n = 0;
    for (; base[n] && n + 1 < sizeof(low); n++)
        low[n] = (char)tolower((unsigned char)base[n]);
    low[n] = '\0';
    int y = 0, m = 0;
    for (int k = 0; k < 12 && !m; k++) {
        const char *p = strstr(low, month_names[k]);
        if (!p)
            continue;
        p += strlen(month_names[k]);
        while (*p == ' ' || *p == '_' || *p == '-')
            p++;
        if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
            isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3])) {
            y = atoi(p);
            m = k + 1;
        }
    }
    for (size_t i = 0; !m && i + 7 <= n; i++) {
        const char *p = low + i;
        if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
            isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
            p[4] == '-' && isdigit((unsigned char)p[5]) &&
            isdigit((unsigned char)p[6]) &&
            (i == 0 || !isdigit((unsigned char)p[-1])) &&
            !isdigit((unsigned char)p[7])) {
            int mm = (p[5] - '0') * 10 + (p[6] - '0');
            if (mm >= 1 && mm <= 12) {
                y = atoi(p);
                m = mm;
            }
        }
    }
    if (!m || y < 2000 || y > 2100)
        return false;
    *out = pccs_date_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
    return true;
}

static bool
not_submitted(struct pccs_str f)
{
    return f.len == 0 ||
           (f.len == 2 && (!memcmp(f.p, "NA", 2) || !memcmp(f.p, "ND", 2)));
}

static int
load_gpw(struct pccs_load *ld, struct pccs_csv_reader *r,
         const struct pccs_csv_record *first, struct pccs_err *err)
{
    int idx[G_N];
    pccs_cols_bind(gpw_cols, G_N, first, idx);
    struct gpw_col *cols = pccs_xcalloc(first->nfields, sizeof(*cols));
    size_t ncols = 0;
    struct pccs_hmap seen = PCCS_HMAP_INIT;
    int rc = PCCS_OK;
    for (size_t i = 0; i < first->nfields; i++) {
        char h[128] = "";
        struct pccs_str f = first->fields[i];
        if (f.len >= sizeof(h))
            continue;
        for (size_t k = 0; k < f.len; k++)
            h[k] = (char)toupper((unsigned char)f.p[k]);
        h[f.len] = '\0';
        cols[ncols].idx = (int)i;
        if (classify(h, &cols[ncols]))
            ncols++;
    }

    pccs_day census;
    if (ld->opt && ld->opt->period) {
        if (pccs_date_parse(pccs_str_from(ld->opt->period), &census)) {
            rc = pccs_err_set(err, PCCS_EINVAL,
                              "%s: --period for a GP workforce file is the "
                              "census date, such as 2022-09-30, not %s",
                              ld->name, ld->opt->period);
            goto out;
        }
    }
    else if (!census_from_name(ld->name, &census)) {
        rc = pccs_err_set(err, PCCS_EINVAL,
                          "%s: a GP workforce practice-level file carries no "
                          "date and its name names no month (such as "
                          "\"September 2022\" or 2022-09): give --period, "
                          "e.g. --period 2022-09-30",
                          ld->name);
        goto out;
    }
    pccs_load_set_period_day(ld, census);

    struct pccs_csv_record rec;
    while ((rc = pccs_csv_next(r, &rec, err)) == 1) {
        struct pccs_str code, name = PCCS_STR_EMPTY;
        rc = pccs_load_practice_code(ld, err, &rec, idx[G_PRAC], "PRAC_CODE",
                                     &code);
        if (!rc)
            rc = pccs_load_unique(ld, &seen, &rec, idx[G_PRAC], "PRAC_CODE",
                                  code, "practice", err);
        if (!rc && idx[G_NAME] >= 0)
            rc =
                pccs_load_field(ld, err, &rec, idx[G_NAME], "PRAC_NAME", &name);
        if (!rc)
            rc = pccs_load_named_org(ld, code, PCCS_LEVEL_PRACTICE, name,
                                     PCCS_STR_EMPTY, census, err);
        for (size_t k = 0; !rc && k < ncols; k++) {
            struct pccs_str f;
            rc = pccs_load_field(ld, err, &rec, cols[k].idx, cols[k].name, &f);
            if (rc || not_submitted(f))
                continue;
            double v;
            rc = pccs_load_number(ld, err, &rec, cols[k].idx, cols[k].name,
                                  true, false, &v, NULL);
            if (!rc && v > GPW_MAX)
                rc = pccs_load_field_err(ld, err, &rec, cols[k].idx,
                                         cols[k].name,
                                         "a count of staff for one practice "
                                         "(0 to 2000), or NA");
            if (!rc && (v != 0 || !cols[k].role))
                rc = pccs_load_fact(ld, cols[k].measure, code, cols[k].dim, v,
                                    err);
        }
        if (rc)
            break;
        pccs_load_row(ld, pccs_csv_offset(r));
    }
    if (rc > 0)
        rc = PCCS_OK;
out:
    for (size_t k = 0; k < ncols; k++) {
        free(cols[k].dim);
        free(cols[k].name);
    }
    free(cols);
    pccs_hmap_release(&seen);
    return rc;
}

PCCS_CSV_KIND(pccs_source_gp_workforce, "gp_workforce",
              "General Practice Workforce, practice level", gpw_cols, load_gpw);
