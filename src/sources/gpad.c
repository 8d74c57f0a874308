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
 * Beside them, "appointments_marginal" per practice and month: the
 * month's total (dim "all") and its sums by each value of APPT_STATUS,
 * APPT_MODE and HCP_TYPE (dim "APPT_STATUS=DNA", ...), a dozen facts
 * instead of a hundred or more, so tables over all England and many
 * months read little; written sorted by month so a month's facts are
 * together.
 * The load's period is the latest month in the file. Practice names are
 * not taken from it (they come from the organisation files). A file
 * written by `pccs synth` (SUPPLIER "SYNTH") is marked synthetic (the
 * source's provenance), so every table and report resting on it says so.
 */
#include "sources/sources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/hmap.h"
#include "base/xalloc.h"

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
    A_SUPPLIER,
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
    {"SUPPLIER", true},
};

struct marg {
    const struct pccs_hmap_entry **e;
    size_t n;
};

static void
collect(void *ctx, struct pccs_hmap_entry *e)
{
    struct marg *m = ctx;
    m->e[m->n++] = e;
}

static int
cmp_entry(const void *a, const void *b)
{
    const struct pccs_hmap_entry *x = *(const struct pccs_hmap_entry *const *)a;
    const struct pccs_hmap_entry *y = *(const struct pccs_hmap_entry *const *)b;
    return strcmp(x->key, y->key);
}

/*
 * The marginals of the current practice and month, summed locally while
 * rows of one practice-month follow each other (as published), then
 * added to the map under "PERIOD\x1fPRACTICE\x1fDIM".
 */
#define ACC_MAX 64

struct acc {
    char key[32]; /* "PERIOD\x1fPRACTICE\x1f" */
    struct {
        char dim[96];
        int64_t n;
    } d[ACC_MAX];
    size_t nd;
};

static void
acc_flush(struct acc *a, struct pccs_hmap *m, struct pccs_buf *k)
{
    for (size_t i = 0; i < a->nd; i++) {
        pccs_buf_reset(k);
        pccs_buf_addf(k, "%s%s", a->key, a->d[i].dim);
        pccs_hmap_put(m, k->p, k->len, NULL)->ival += a->d[i].n;
    }
    a->nd = 0;
}

static void
add_marginal(struct acc *a, struct pccs_hmap *m, struct pccs_buf *k,
             const char *field, struct pccs_str value, int64_t n)
{
    char dim[96];
    if (field)
        snprintf(dim, sizeof(dim), "%s=%.*s", field, (int)value.len, value.p);
    else
        snprintf(dim, sizeof(dim), "all");
    for (size_t i = 0; i < a->nd; i++)
        if (strcmp(a->d[i].dim, dim) == 0) {
            a->d[i].n += n;
            return;
        }
    if (a->nd == ACC_MAX)
        acc_flush(a, m, k);
    snprintf(a->d[a->nd].dim, sizeof(a->d[a->nd].dim), "%s", dim);
    a->d[a->nd++].n = n;
}

static void
acc_start(struct acc *a, struct pccs_hmap *m, struct pccs_buf *k,
          const char *period, struct pccs_str prac)
{
    char key[32];
    snprintf(key, sizeof(key), "%s\x1f%.*s\x1f", period, (int)prac.len, prac.p);
    if (strcmp(key, a->key) == 0)
        return;
    acc_flush(a, m, k);
    memcpy(a->key, key, sizeof(key));
}

static int
flush_marginals(struct pccs_load *ld, struct pccs_hmap *m, struct pccs_err *err)
{
    struct marg mg = {pccs_xcalloc(m->len + 1, sizeof(*mg.e)), 0};
    pccs_hmap_each(m, collect, &mg);
    qsort(mg.e, mg.n, sizeof(*mg.e), cmp_entry);
    int rc = PCCS_OK;
    for (size_t i = 0; !rc && i < mg.n; i++) {
        const char *key = mg.e[i]->key;
        const char *a = strchr(key, '\x1f');
        const char *b = strchr(a + 1, '\x1f');
        char period[16];
        snprintf(period, sizeof(period), "%.*s", (int)(a - key), key);
        struct pccs_str prac = {a + 1, (size_t)(b - a - 1)};
        rc = pccs_load_fact_at(ld, "appointments_marginal", period, prac, b + 1,
                               (double)mg.e[i]->ival, err);
    }
    free(mg.e);
    return rc;
}

/*
 * Is parent a change for prac at this level since the month last seen?
 * members maps "PRAC\x1fLEVEL" to the last parent (ptr) and month (ival).
 * An earlier month than the last seen (rows out of order) counts as a
 * change, so nothing is lost, only repeated.
 */
static bool
moved(struct pccs_hmap *members, struct pccs_str prac, char level,
      struct pccs_str parent, pccs_day month)
{
    char key[32];
    int kl =
        snprintf(key, sizeof(key), "%.*s\x1f%c", (int)prac.len, prac.p, level);
    bool created;
    struct pccs_hmap_entry *e =
        pccs_hmap_put(members, key, (size_t)kl, &created);
    const char *last = e->ptr;
    bool same = !created && strlen(last) == parent.len &&
                memcmp(last, parent.p, parent.len) == 0 && month >= e->ival;
    if (!same) {
        free(e->ptr);
        e->ptr = pccs_xstrndup(parent.p, parent.len);
    }
    e->ival = month;
    return !same;
}

static void
free_member(void *ctx, struct pccs_hmap_entry *e)
{
    (void)ctx;
    free(e->ptr);
}

static int
load_gpad(struct pccs_load *ld, struct pccs_csv_reader *r,
          const struct pccs_csv_record *first, struct pccs_err *err)
{
    int idx[A_N];
    pccs_cols_bind(gpad_cols, A_N, first, idx);
    struct pccs_csv_record rec;
    struct pccs_buf dim = PCCS_BUF_INIT, mk = PCCS_BUF_INIT;
    struct pccs_hmap marg = PCCS_HMAP_INIT, members = PCCS_HMAP_INIT;
    struct acc *acc = pccs_xcalloc(1, sizeof(*acc));
    pccs_day latest = PCCS_DAY_NONE;
    bool synthetic = false;
    char last[32] = "";
    int rc;
    while ((rc = pccs_csv_next(r, &rec, err)) == 1) {
        pccs_day month;
        struct pccs_str prac, hcp, mode, status;
        int64_t n;
        rc = pccs_load_date(ld, err, &rec, idx[A_MONTH],
                            "APPOINTMENT_MONTH_START_DATE", false, &month);
        const struct pccs_load_spec f[] = {
            PCCS_LOAD_STR(A_PRACTICE, "GP_CODE", pccs_load_practice_code,
                          &prac),
            PCCS_LOAD_STR(A_HCP, "HCP_TYPE", pccs_load_text, &hcp),
            PCCS_LOAD_STR(A_MODE, "APPT_MODE", pccs_load_text, &mode),
            PCCS_LOAD_STR(A_STATUS, "APPT_STATUS", pccs_load_text, &status),
            PCCS_LOAD_COUNT(A_COUNT, "COUNT_OF_APPOINTMENTS", &n),
        };
        if (!rc)
            rc = pccs_load_fields(ld, err, &rec, idx, f, PCCS_LEN(f));
        if (rc)
            break;
        if (!synthetic && idx[A_SUPPLIER] >= 0 &&
            pccs_str_eq(pccs_load_opt(&rec, idx[A_SUPPLIER]), "SYNTH")) {
            synthetic = true;
            pccs_load_mark(ld, pccs_str_from("synthetic: written by pccs "
                                             "synth (SUPPLIER SYNTH)"));
        }
        if (latest == PCCS_DAY_NONE || month > latest) {
            latest = month;
            pccs_load_set_period_day(ld, month);
        }
        char period[16];
        pccs_date_format(month, period);
        struct pccs_str cat = pccs_load_opt(&rec, idx[A_CATEGORY]);
        struct pccs_str tb = pccs_load_opt(&rec, idx[A_TIME]);
        pccs_buf_reset(&dim);
        pccs_buf_addf(&dim, "%.*s|%.*s|%.*s|%.*s|%.*s", (int)status.len,
                      status.p, (int)mode.len, mode.p, (int)hcp.len, hcp.p,
                      (int)cat.len, cat.p, (int)tb.len, tb.p);
        rc = pccs_load_fact_at(ld, "appointments", period, prac, dim.p,
                               (double)n, err);
        acc_start(acc, &marg, &mk, period, prac);
        add_marginal(acc, &marg, &mk, NULL, PCCS_STR_EMPTY, n);
        add_marginal(acc, &marg, &mk, "APPT_STATUS", status, n);
        add_marginal(acc, &marg, &mk, "APPT_MODE", mode, n);
        add_marginal(acc, &marg, &mk, "HCP_TYPE", hcp, n);
        /* Memberships once per practice and month, and stored only when
         * they change (the first month, then each move): the tree takes
         * the latest start, so the months between add nothing. The
         * practice's name comes from the organisation files, not here. */
        char key[32];
        snprintf(key, sizeof(key), "%.*s|%s", (int)prac.len, prac.p, period);
        if (!rc && strcmp(key, last) != 0) {
            snprintf(last, sizeof(last), "%s", key);
            struct pccs_str pcn = pccs_load_opt(&rec, idx[A_PCN]);
            struct pccs_str sub = pccs_load_opt(&rec, idx[A_SUB]);
            rc =
                pccs_load_named_org(ld, prac, PCCS_LEVEL_PRACTICE,
                                    PCCS_STR_EMPTY, PCCS_STR_EMPTY, month, err);
            /* "U": in no PCN that month (no parent). */
            bool no_pcn = pccs_str_eq(pcn, "U");
            if (!rc && (no_pcn || pccs_is_ods_code(pcn)) &&
                moved(&members, prac, 'P', pcn, month))
                rc = pccs_load_link(ld, prac, no_pcn ? PCCS_STR_EMPTY : pcn,
                                    PCCS_LEVEL_PCN, month, PCCS_DAY_NONE, true,
                                    err);
            if (!rc && pccs_is_ods_code(sub) &&
                moved(&members, prac, 'S', sub, month))
                rc = pccs_load_link(ld, prac, sub, PCCS_LEVEL_SUB_ICB, month,
                                    PCCS_DAY_NONE, true, err);
        }
        if (rc)
            break;
        pccs_load_row(ld, pccs_csv_offset(r));
    }
    if (rc > 0)
        rc = PCCS_OK;
    if (!rc) {
        acc_flush(acc, &marg, &mk);
        rc = flush_marginals(ld, &marg, err);
    }
    free(acc);
    pccs_buf_release(&dim);
    pccs_buf_release(&mk);
    pccs_hmap_release(&marg);
    pccs_hmap_each(&members, free_member, NULL);
    pccs_hmap_release(&members);
    return rc;
}

PCCS_CSV_KIND(pccs_source_gpad, "gpad",
              "Appointments in General Practice, practice level", gpad_cols,
              load_gpad);
