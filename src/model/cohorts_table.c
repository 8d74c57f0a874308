/* SPDX-License-Identifier: MIT */
/*
 * The cohorts table: per organisation (practice by default, rolled up to
 * PCN, place, sub-ICB, ICB and up), the patients registered on the day,
 * those aged 65 and over by eFI category, and the count of every cohort
 * of data/rules/cohorts.csv (model/cohorts.c). Every count is a count of
 * individuals pccs derives: disclosure control applies to it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "model/build.h"
#include "model/cohorts.h"
#include "model/tables.h"

#define NFIXED 6 /* registered, efi_assessed, fit, mild, moderate, severe */

/* The latest day the patient-level sources describe. */
static int
latest_cb(void *ctx, const struct pccs_source_info *s)
{
    pccs_day *at = ctx, d;
    if ((!strncmp(s->kind, "phm_", 4) || !strncmp(s->kind, "fhir_", 5)) &&
        s->period && !pccs_date_parse(pccs_str_from(s->period), &d) &&
        (*at == PCCS_DAY_NONE || d > *at))
        *at = d;
    return 0;
}

int
pccs_phm_default_at(struct pccs_store *st, pccs_day *at, struct pccs_err *err)
{
    *at = PCCS_DAY_NONE;
    int rc = pccs_store_sources_each(st, latest_cb, at, err);
    if (!rc && *at == PCCS_DAY_NONE)
        rc = pccs_err_set(err, PCCS_ENOTFOUND,
                          "no patient-level records loaded: load patients "
                          "(CSV or FHIR NDJSON), or make some with pccs "
                          "synth patients");
    return rc;
}

static void
declare(struct pccs_table *out, const struct pccs_phm *p)
{
    static const char *const fixed[NFIXED] = {"registered",   "efi_assessed",
                                              "efi_fit",      "efi_mild",
                                              "efi_moderate", "efi_severe"};
    pccs_table_col(out, "code", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "name", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "parent_code", PCCS_COL_TEXT, 0);
    for (size_t i = 0; i < NFIXED; i++) {
        pccs_table_col(out, fixed[i], PCCS_COL_INT, 0);
        pccs_table_col_sdc(out);
    }
    for (size_t i = 0; i < p->ndefs; i++) {
        pccs_table_col(out, p->defs[i].name, PCCS_COL_INT, 0);
        pccs_table_col_sdc(out);
    }
    pccs_table_col(out, "at", PCCS_COL_TEXT, 0);
}

static void
notes(struct pccs_table *out, struct pccs_store *st, const struct pccs_phm *p)
{
    for (size_t i = 0; i < p->sources.n; i++)
        pccs_table_source(out, p->sources.ids[i]);
    for (size_t i = 0; i < p->sources.n; i++) {
        struct pccs_source_info s;
        struct pccs_err e = PCCS_ERR_INIT;
        if (pccs_store_source_get(st, p->sources.ids[i], &s, &e))
            continue;
        pccs_table_note(out, "patients: %s, %s (%s)%s%s", s.publication,
                        s.path ? s.path : "", s.period ? s.period : "",
                        s.provenance ? ": " : "",
                        s.provenance ? pccs_source_mark(&s) : "");
    }
    pccs_table_note(out,
                    "efi_*: the electronic Frailty Index (Clegg et al. 2016) "
                    "of the patients aged 65 and over: fit <= 0.12, mild to "
                    "0.24, moderate to 0.36, severe above (%s, %s; deficits "
                    "from recorded values: %s)",
                    p->rules[0], p->rules[1], p->rules[3]);
    for (size_t i = 0; i < p->ndefs; i++)
        pccs_table_note(out, "%s: %s; %s", p->defs[i].name,
                        p->defs[i].description, p->defs[i].source);
    for (size_t i = 0; i < p->nnotes; i++)
        pccs_table_note(out, "%s", p->notes[i]);
}

int
pccs_cohorts_table(struct pccs_store *st, const struct pccs_tree *t,
                   const struct pccs_table_query *q, struct pccs_table *out,
                   struct pccs_err *err)
{
    pccs_table_init(out, "cohorts");
    enum pccs_level level =
        q->level == PCCS_LEVEL_NONE ? PCCS_PRACTICE : q->level;
    int in_org = -1;
    pccs_day at = q->at;
    int rc = pccs_build_in(t, q->in, &in_org, err);
    if (!rc && at == PCCS_DAY_NONE)
        rc = pccs_phm_default_at(st, &at, err);
    struct pccs_phm p;
    if (!rc)
        rc = pccs_phm_compute(st, at, NULL, &p, err);
    if (rc)
        return rc;
    size_t ncols = NFIXED + p.ndefs;
    int64_t *v = pccs_xcalloc((t->norgs + 1) * ncols, sizeof(*v));
    bool *any = pccs_xcalloc(t->norgs + 1, sizeof(*any));
    for (size_t i = 0; i < p.nrows; i++) {
        const struct pccs_phm_row *r = &p.rows[i];
        int g = pccs_build_group(t, r->practice, in_org, level, at, 0);
        if (g < 0)
            continue;
        int64_t *row = v + (size_t)g * ncols;
        any[g] = true;
        row[0]++;
        if (r->efi >= 0) {
            row[1]++;
            row[2 + r->efi]++;
        }
        for (size_t k = 0; k < p.ndefs; k++)
            row[NFIXED + k] += (r->cohorts >> k) & 1u;
    }
    declare(out, &p);
    int *orgs = pccs_xcalloc(t->norgs + 1, sizeof(*orgs));
    size_t n = 0;
    for (size_t o = 0; o < t->norgs; o++)
        if (any[o])
            orgs[n++] = (int)o;
    pccs_tree_sort_by_code(t, orgs, n);
    char day[16];
    pccs_date_format(at, day);
    for (size_t k = 0; k < n; k++) {
        pccs_build_org_row(out, t, orgs[k], pccs_tree_up(t, orgs[k], at, 0),
                           at);
        for (size_t c = 0; c < ncols; c++)
            pccs_table_int(out, v[(size_t)orgs[k] * ncols + c]);
        pccs_table_text(out, day);
    }
    /* each practice's counts are its own; rows roll up the tree */
    pccs_table_sdc_orgs(out, 0, PCCS_PRACTICE);
    notes(out, st, &p);
    free(orgs);
    free(v);
    free(any);
    pccs_phm_release(&p);
    return PCCS_OK;
}

static void
list_cols(struct pccs_table *out)
{
    pccs_table_col(out, "patient_id", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "practice", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "sex", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "age", PCCS_COL_INT, 0);
    pccs_table_col(out, "efi_deficits", PCCS_COL_INT, 0);
    pccs_table_col(out, "efi_score", PCCS_COL_NUM, 3);
    pccs_table_col(out, "efi_category", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "cohorts", PCCS_COL_TEXT, 0);
}

static void
list_row(struct pccs_table *out, const struct pccs_phm *p,
         const struct pccs_phm_row *r)
{
    char sex[2] = {r->sex, '\0'}, names[1024] = "";
    size_t len = 0;
    for (size_t k = 0; k < p->ndefs; k++)
        if ((r->cohorts >> k) & 1u && len < sizeof(names))
            len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
                                    len ? ";" : "", p->defs[k].name);
    pccs_table_row(out);
    pccs_table_text(out, r->ext);
    pccs_table_text(out, r->practice);
    pccs_table_text(out, sex);
    if (r->age >= 0)
        pccs_table_int(out, r->age);
    else
        pccs_table_null(out);
    pccs_table_int(out, r->deficits);
    pccs_table_num(out, pccs_efi_score(r->deficits));
    pccs_table_text(out, r->efi >= 0 ? pccs_efi_cat_name(r->efi) : "");
    pccs_table_text(out, names);
}

int
pccs_patient_list(struct pccs_store *st, pccs_day at, const char *practice,
                  const char *cohort, struct pccs_table *out,
                  struct pccs_err *err)
{
    pccs_table_init(out, "patients");
    int rc = at == PCCS_DAY_NONE ? pccs_phm_default_at(st, &at, err) : 0;
    struct pccs_phm p;
    if (!rc)
        rc = pccs_phm_compute(st, at, practice, &p, err);
    if (rc)
        return rc;
    int k = cohort ? pccs_phm_cohort(&p, cohort) : -1;
    if (cohort && k < 0) {
        pccs_phm_release(&p);
        return pccs_err_set(err, PCCS_EINVAL,
                            "no cohort %s in data/rules/cohorts.csv (pccs "
                            "table cohorts lists them as columns)",
                            cohort);
    }
    list_cols(out);
    for (size_t i = 0; i < p.nrows; i++)
        if (k < 0 || (p.rows[i].cohorts >> k) & 1u)
            list_row(out, &p, &p.rows[i]);
    notes(out, st, &p);
    char day[16];
    pccs_date_format(at, day);
    pccs_table_note(out, "patients registered at %s on %s%s%s", practice, day,
                    cohort ? " in cohort " : "", cohort ? cohort : "");
    pccs_phm_release(&p);
    return PCCS_OK;
}
