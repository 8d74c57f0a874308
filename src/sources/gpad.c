/* SPDX-License-Identifier: MIT */
/*
 * Appointments in General Practice (GPAD), practice level (NHS Digital,
 * monthly): APPOINTMENT_MONTH_START_DATE, GP_CODE, GP_NAME, SUPPLIER,
 * PCN_CODE, PCN_NAME, SUB_ICB_LOCATION_CODE, SUB_ICB_LOCATION_NAME,
 * HCP_TYPE, APPT_MODE, NATIONAL_CATEGORY, TIME_BETWEEN_BOOK_AND_APPT,
 * COUNT_OF_APPOINTMENTS, APPT_STATUS. A file may hold several months.
 *
 * Facts: "appointments" per practice, for the period of the row's month
 * (its first day), with dim "APPT_STATUS|APPT_MODE|HCP_TYPE|
 * NATIONAL_CATEGORY|TIME_BETWEEN_BOOK_AND_APPT", one per row as published.
 * The load's period is the latest month in the file. Practice names are
 * not taken from it (they come from the organisation files).
 */
#include "sources/sources.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"

enum {
    A_MONTH,
    A_PRACTICE,
    A_PRACTICE_NAME,
    A_PCN,
    A_SUB,
    A_HCP,
    A_MODE,
    A_CATEGORY,
    A_TIME,
    A_COUNT,
    A_STATUS,
    A_N
};

static const struct pccs_col gpad_cols[A_N] = {
    {"APPOINTMENT_MONTH_START_DATE|APPOINTMENT_MONTH", false},
    {"GP_CODE|PRACTICE_CODE", false},
    {"GP_NAME|PRACTICE_NAME", true},
    {"PCN_CODE", true},
    {"SUB_ICB_LOCATION_CODE|CCG_CODE", true},
    {"HCP_TYPE", false},
    {"APPT_MODE", false},
    {"NATIONAL_CATEGORY", true},
    {"TIME_BETWEEN_BOOK_AND_APPT", true},
    {"COUNT_OF_APPOINTMENTS", false},
    {"APPT_STATUS", false},
};

static struct pccs_str
opt(const struct pccs_csv_record *rec, int idx)
{
    if (idx < 0 || (size_t)idx >= rec->nfields)
        return PCCS_STR_EMPTY;
    return pccs_str_trim(rec->fields[idx]);
}

static int
load_gpad(struct pccs_load *ld, struct pccs_csv_reader *r,
          const struct pccs_csv_record *first, struct pccs_err *err)
{
    int idx[A_N];
    pccs_cols_bind(gpad_cols, A_N, first, idx);
    struct pccs_csv_record rec;
    struct pccs_buf dim = PCCS_BUF_INIT;
    pccs_day latest = PCCS_DAY_NONE;
    char last[32] = "";
    int rc;
    while ((rc = pccs_csv_next(r, &rec, err)) == 1) {
        pccs_day month;
        struct pccs_str prac, hcp, mode, status;
        int64_t n;
        rc = pccs_load_date(ld, err, &rec, idx[A_MONTH],
                            "APPOINTMENT_MONTH_START_DATE", false, &month);
        if (!rc)
            rc = pccs_load_practice_code(ld, err, &rec, idx[A_PRACTICE],
                                         "GP_CODE", &prac);
        if (!rc)
            rc = pccs_load_text(ld, err, &rec, idx[A_HCP], "HCP_TYPE", &hcp);
        if (!rc)
            rc = pccs_load_text(ld, err, &rec, idx[A_MODE], "APPT_MODE", &mode);
        if (!rc)
            rc = pccs_load_text(ld, err, &rec, idx[A_STATUS], "APPT_STATUS",
                                &status);
        if (!rc)
            rc = pccs_load_count(ld, err, &rec, idx[A_COUNT],
                                 "COUNT_OF_APPOINTMENTS", &n);
        if (rc)
            break;
        if (latest == PCCS_DAY_NONE || month > latest) {
            latest = month;
            pccs_load_set_period_day(ld, month);
        }
        char period[16];
        pccs_date_format(month, period);
        struct pccs_str cat = opt(&rec, idx[A_CATEGORY]);
        struct pccs_str tb = opt(&rec, idx[A_TIME]);
        pccs_buf_reset(&dim);
        pccs_buf_addf(&dim, "%.*s|%.*s|%.*s|%.*s|%.*s", (int)status.len,
                      status.p, (int)mode.len, mode.p, (int)hcp.len, hcp.p,
                      (int)cat.len, cat.p, (int)tb.len, tb.p);
        rc = pccs_load_fact_at(ld, "appointments", period, prac, dim.p,
                               (double)n, err);
        /* Memberships once per practice and month, as published. The
         * practice's name comes from the organisation files, not here. */
        char key[32];
        snprintf(key, sizeof(key), "%.*s|%s", (int)prac.len, prac.p, period);
        if (!rc && strcmp(key, last) != 0) {
            snprintf(last, sizeof(last), "%s", key);
            struct pccs_str pcn = opt(&rec, idx[A_PCN]);
            struct pccs_str sub = opt(&rec, idx[A_SUB]);
            rc =
                pccs_load_named_org(ld, prac, PCCS_LEVEL_PRACTICE,
                                    PCCS_STR_EMPTY, PCCS_STR_EMPTY, month, err);
            if (!rc && pccs_is_ods_code(pcn))
                rc = pccs_load_link(ld, prac, pcn, PCCS_LEVEL_PCN, month,
                                    PCCS_DAY_NONE, true, err);
            if (!rc && pccs_is_ods_code(sub))
                rc = pccs_load_link(ld, prac, sub, PCCS_LEVEL_SUB_ICB, month,
                                    PCCS_DAY_NONE, true, err);
        }
        if (rc)
            break;
        pccs_load_row(ld, pccs_csv_offset(r));
    }
    pccs_buf_release(&dim);
    return rc > 0 ? PCCS_OK : rc;
}

const struct pccs_source_kind pccs_source_gpad = {
    .kind = "gpad",
    .publication = "Appointments in General Practice, practice level",
    .cols = gpad_cols,
    .ncols = A_N,
    .load_csv = load_gpad,
};
