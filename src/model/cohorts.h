/* SPDX-License-Identifier: MIT */
/*
 * Population health cohorts as at a date, from the patient-level records
 * of the store: the electronic Frailty Index of every patient (deficits
 * from data/rules/efi.csv's code lists and data/rules/efi-values.csv's
 * recorded values, polypharmacy from medicines) and
 * the cohorts of data/rules/cohorts.csv (the Network Contract DES: SMR
 * priority groups, care home residents, anticipatory care, learning
 * disability health checks due, dementia reviews due), with the
 * parameters of data/rules/phm.csv and the code lists of
 * $PCCS_CODELISTS. One pass over the events; no SQL per cohort.
 */
#ifndef PCCS_MODEL_COHORTS_H
#define PCCS_MODEL_COHORTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/err.h"
#include "calc/efi.h"
#include "store/store.h"

#define PCCS_COHORTS_MAX 32

struct pccs_cohort_def {
    char name[48];
    char description[256];
    char source[512];
};

/* One patient registered on the day. */
struct pccs_phm_row {
    const char *ext;      /* the file's identifier */
    const char *practice; /* ODS code */
    char sex;             /* M, F, U */
    int age;              /* whole years on the day, -1 unknown */
    int deficits;         /* of 36 */
    int efi;              /* enum pccs_efi_cat, or -1 under efi_min_age */
    uint32_t cohorts;     /* bit i: cohort defs[i] */
};

struct pccs_phm {
    pccs_day at;
    struct pccs_cohort_def defs[PCCS_COHORTS_MAX];
    size_t ndefs;
    struct pccs_phm_row *rows; /* by practice, then identifier */
    size_t nrows;
    struct pccs_source_set sources; /* the files the rows rest on */
    char notes[8][512];
    size_t nnotes;
    char rules[4][512]; /* the rules files read */
    struct pccs_arena arena;
};

/**
 * Every patient registered on at (at one practice when practice is not
 * NULL), with eFI and cohorts. PCCS_ENOTFOUND when no patient-level
 * records are loaded. Release with pccs_phm_release().
 */
int pccs_phm_compute(struct pccs_store *st, pccs_day at, const char *practice,
                     struct pccs_phm *out, struct pccs_err *err);
void pccs_phm_release(struct pccs_phm *p);
/**
 * The day cohorts are counted on by default: the latest period of the
 * patient-level sources loaded (their latest event). PCCS_ENOTFOUND if
 * none.
 */
int pccs_phm_default_at(struct pccs_store *st, pccs_day *at,
                        struct pccs_err *err);
struct pccs_table;
/**
 * The patients registered at practice on at (PCCS_DAY_NONE: the default
 * day) in cohort (NULL: all), with eFI and cohorts: patient-level, for
 * that practice's users only (the caller checks and audits).
 */
int pccs_patient_list(struct pccs_store *st, pccs_day at, const char *practice,
                      const char *cohort, struct pccs_table *out,
                      struct pccs_err *err);
/** The index of cohort name, or -1. */
int pccs_phm_cohort(const struct pccs_phm *p, const char *name);

#endif
