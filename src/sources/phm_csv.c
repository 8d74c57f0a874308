/* SPDX-License-Identifier: MIT */
/*
 * The ehrQL-like CSV layout of patient-level records (docs/DATA.md,
 * "Patient-level records"), one file per table:
 *
 *   patients:              patient_id, date_of_birth, sex[, date_of_death]
 *   practice_registrations: patient_id, practice_code, start_date[, end_date]
 *   clinical_events:       patient_id, date, snomedct_code[, numeric_value]
 *   medications:           patient_id, date, dmd_code
 *
 * each with an optional pccs_provenance column (synthetic files). A
 * registration names a practice in the store; an event's code must be
 * in one of the code lists ($PCCS_CODELISTS and the rules' lists); the
 * patient of a registration, event or medication must have been loaded.
 * The period is the latest date in the file.
 */
#include <stdio.h>
#include <string.h>

#include "sources/phm_internal.h"
#include "sources/sources.h"

enum { C_ID, C_A, C_B, C_C, C_N };

struct phm_kind {
    const struct pccs_col *cols;
    int (*row)(struct pccs_phm_load *p, const struct pccs_csv_record *rec,
               const int *idx, struct pccs_err *err);
    bool codes; /* needs the code lists */
};

/* The stored patient of field idx, or an error naming it. */
static int
patient_of(struct pccs_phm_load *p, const struct pccs_csv_record *rec,
           const int *idx, int64_t *id, struct pccs_err *err)
{
    struct pccs_str s;
    int rc = pccs_load_text(p->ld, err, rec, idx[C_ID], "patient_id", &s);
    if (rc)
        return rc;
    *id = pccs__phm_patient(p, s.p, s.len);
    if (!*id)
        return pccs_load_field_err(p->ld, err, rec, idx[C_ID], "patient_id",
                                   "a patient already loaded (load the "
                                   "patients file first)");
    return PCCS_OK;
}

static int
sex_of(struct pccs_str s, const char **out)
{
    if (pccs_str_ieq(s, "M") || pccs_str_ieq(s, "male"))
        *out = "M";
    else if (pccs_str_ieq(s, "F") || pccs_str_ieq(s, "female"))
        *out = "F";
    else if (pccs_str_ieq(s, "U") || pccs_str_ieq(s, "unknown") ||
             pccs_str_ieq(s, "other") || !s.len)
        *out = "U";
    else
        return PCCS_EPARSE;
    return PCCS_OK;
}

static const struct pccs_col patient_cols[C_N] = {
    {"patient_id", false},
    {"date_of_birth", false},
    {"sex", false},
    {"date_of_death", true},
};

static int
patient_row(struct pccs_phm_load *p, const struct pccs_csv_record *rec,
            const int *idx, struct pccs_err *err)
{
    struct pccs_str ext, sx;
    struct pccs_patient_row r = {.source_id = p->ld->src.id};
    int rc = pccs_load_text(p->ld, err, rec, idx[C_ID], "patient_id", &ext);
    if (!rc)
        rc = pccs_load_date(p->ld, err, rec, idx[C_A], "date_of_birth", true,
                            &r.birth);
    if (!rc)
        rc = pccs_load_field(p->ld, err, rec, idx[C_B], "sex", &sx);
    if (!rc && sex_of(pccs_str_trim(sx), &r.sex))
        rc = pccs_load_field_err(p->ld, err, rec, idx[C_B], "sex",
                                 "M, F or U (male, female, unknown)");
    r.death = PCCS_DAY_NONE;
    if (!rc && idx[C_C] >= 0)
        rc = pccs_load_date(p->ld, err, rec, idx[C_C], "date_of_death", true,
                            &r.death);
    if (!rc && pccs__phm_patient(p, ext.p, ext.len))
        rc = pccs_load_field_err(p->ld, err, rec, idx[C_ID], "patient_id",
                                 "a patient not loaded before");
    if (rc)
        return rc;
    char e[128];
    pccs_str_copy(ext, e, sizeof(e));
    r.ext = e;
    rc = pccs_phm_put_patient(p->w, &r, err);
    if (!rc) {
        bool created;
        pccs_hmap_put(&p->patients, ext.p, ext.len, &created)->ival = r.id;
        pccs__phm_day(p, r.birth);
    }
    return rc;
}

static const struct pccs_col reg_cols[C_N] = {
    {"patient_id", false},
    {"practice_code", false},
    {"start_date", false},
    {"end_date", true},
};

static int
reg_row(struct pccs_phm_load *p, const struct pccs_csv_record *rec,
        const int *idx, struct pccs_err *err)
{
    struct pccs_registration_row r = {.source_id = p->ld->src.id,
                                      .end = PCCS_DAY_NONE};
    struct pccs_str prac;
    int rc = patient_of(p, rec, idx, &r.patient, err);
    if (!rc)
        rc = pccs_load_practice_code(p->ld, err, rec, idx[C_A], "practice_code",
                                     &prac);
    if (!rc && !pccs__phm_practice(p, prac.p, prac.len))
        rc = pccs_load_field_err(p->ld, err, rec, idx[C_A], "practice_code",
                                 "a practice in the store (load the NHS "
                                 "files first)");
    if (!rc)
        rc = pccs_load_date(p->ld, err, rec, idx[C_B], "start_date", true,
                            &r.start);
    if (!rc && idx[C_C] >= 0)
        rc =
            pccs_load_date(p->ld, err, rec, idx[C_C], "end_date", true, &r.end);
    if (rc)
        return rc;
    char code[16];
    pccs_str_copy(prac, code, sizeof(code));
    r.practice = code;
    pccs__phm_day(p, r.start);
    return pccs_phm_put_registration(p->w, &r, err);
}

static const struct pccs_col event_cols[C_N] = {
    {"patient_id", false},
    {"date", false},
    {"snomedct_code", false},
    {"numeric_value", true},
};

static const struct pccs_col med_cols[C_N] = {
    {"patient_id", false},
    {"date", false},
    {"dmd_code", false},
    {"pccs_never_a_column", true},
};

static int
event_row(struct pccs_phm_load *p, const struct pccs_csv_record *rec,
          const int *idx, struct pccs_err *err)
{
    bool clinical = p->clinical;
    struct pccs_event_row e = {.source_id = p->ld->src.id};
    struct pccs_str c = PCCS_STR_EMPTY;
    int rc = patient_of(p, rec, idx, &e.patient, err);
    if (!rc)
        rc = pccs_load_date(p->ld, err, rec, idx[C_A], "date", false, &e.day);
    if (!rc)
        rc = pccs_load_text(p->ld, err, rec, idx[C_B],
                            clinical ? "snomedct_code" : "dmd_code", &c);
    c = pccs_str_trim(c);
    if (!rc && !pccs_is_snomed(c.p, c.len, &e.code))
        rc = pccs_load_field_err(
            p->ld, err, rec, idx[C_B], clinical ? "snomedct_code" : "dmd_code",
            clinical ? "a SNOMED CT concept id" : "a dm+d code (digits)");
    if (!rc && clinical && !pccs_codelists_mask(&p->cl, e.code))
        rc = pccs_load_field_err(p->ld, err, rec, idx[C_B], "snomedct_code",
                                 "a code in one of the code lists "
                                 "($PCCS_CODELISTS, data/rules/phm_codes.csv)");
    if (!rc && clinical && idx[C_C] >= 0 && pccs_load_opt(rec, idx[C_C]).len) {
        e.has_value = true;
        rc = pccs_load_number(p->ld, err, rec, idx[C_C], "numeric_value", false,
                              true, &e.value, NULL);
    }
    if (rc)
        return rc;
    pccs__phm_day(p, e.day);
    return pccs_phm_put_event(
        p->w, clinical ? PCCS_EVENT_CLINICAL : PCCS_EVENT_MEDICATION, &e, err);
}

static int
load_phm(struct pccs_load *ld, struct pccs_csv_reader *r,
         const struct pccs_csv_record *first, const struct phm_kind *k,
         struct pccs_err *err)
{
    int idx[C_N];
    pccs_cols_bind(k->cols, C_N, first, idx);
    struct pccs_phm_load p;
    int rc = pccs__phm_begin(&p, ld, k->codes, true, err);
    p.clinical = k->codes;
    struct pccs_csv_record rec;
    while (!rc && (rc = pccs_csv_next(r, &rec, err)) == 1) {
        rc = k->row(&p, &rec, idx, err);
        if (!rc)
            pccs_load_row(ld, pccs_csv_offset(r));
    }
    return pccs__phm_end(&p, rc < 0 ? rc : PCCS_OK, err);
}

#define PHM_KIND(name, cols_, row_, codes_)                                    \
    static const struct phm_kind name##_k = {cols_, row_, codes_};             \
    static int name##_load(struct pccs_load *ld, struct pccs_csv_reader *r,    \
                           const struct pccs_csv_record *first,                \
                           struct pccs_err *err)                               \
    {                                                                          \
        return load_phm(ld, r, first, &name##_k, err);                         \
    }

PHM_KIND(patients, patient_cols, patient_row, false)
PHM_KIND(registrations, reg_cols, reg_row, false)
PHM_KIND(events, event_cols, event_row, true)
PHM_KIND(meds, med_cols, event_row, false)

const struct pccs_source_kind pccs_source_phm_patients = {
    .kind = "phm_patients",
    .publication = "Patient-level records: patients (ehrQL-like CSV)",
    .cols = patient_cols,
    .ncols = C_N,
    .load_csv = patients_load,
};

const struct pccs_source_kind pccs_source_phm_registrations = {
    .kind = "phm_registrations",
    .publication = "Patient-level records: practice registrations "
                   "(ehrQL-like CSV)",
    .cols = reg_cols,
    .ncols = C_N,
    .load_csv = registrations_load,
};

const struct pccs_source_kind pccs_source_phm_events = {
    .kind = "phm_clinical_events",
    .publication = "Patient-level records: clinical events, SNOMED CT "
                   "(ehrQL-like CSV)",
    .cols = event_cols,
    .ncols = C_N,
    .load_csv = events_load,
};

const struct pccs_source_kind pccs_source_phm_medications = {
    .kind = "phm_medications",
    .publication = "Patient-level records: medications, dm+d (ehrQL-like CSV)",
    .cols = med_cols,
    .ncols = C_N,
    .load_csv = meds_load,
};
