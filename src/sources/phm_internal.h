/* SPDX-License-Identifier: MIT */
/*
 * What the patient-level loaders share (phm.c, phm_csv.c, fhir.c): the
 * code lists, the store's writer, the patients already stored (by the
 * file's identifier) and the practices known, for one load.
 */
#ifndef PCCS_PHM_INTERNAL_H
#define PCCS_PHM_INTERNAL_H

#include "base/hmap.h"
#include "sources/codelists.h"
#include "sources/loader.h"

/* A patient stored before the load: its identifier and id. */
struct pccs_phm_known {
    const char *ext;
    size_t len;
    int64_t id;
};

struct pccs_phm_load {
    struct pccs_load *ld;
    struct pccs_codelists cl;
    struct pccs_phm_writer *w;
    /*
     * The patients stored before, sorted by identifier (a file's rows
     * come in that order: the next one is tried first), and their
     * identifiers end to end; those this load adds are in patients.
     */
    struct pccs_phm_known *known;
    size_t nknown, known_cap, next;
    char *exts;
    size_t exts_len, exts_cap;
    struct pccs_hmap patients;  /* ext -> id (ival), added by this load */
    struct pccs_hmap practices; /* code -> 1 known, -1 not */
    pccs_day last;              /* the latest day seen: the load's period */
    bool clinical;              /* events are SNOMED CT, checked in lists */
    char last_ext[64];          /* the patient looked up last, and its id: */
    int64_t last_id;            /* a file's rows come a patient at a time */
};

/**
 * Start: the code lists (clinical files), the writer, and the patients
 * stored before (files that refer to patients).
 */
int pccs__phm_begin(struct pccs_phm_load *p, struct pccs_load *ld, bool codes,
                    bool patients, struct pccs_err *err);
/**
 * When rc is 0, write what waits and set the load's period from the
 * latest day seen; free everything. Returns rc or the write's error.
 */
int pccs__phm_end(struct pccs_phm_load *p, int rc, struct pccs_err *err);
/** The stored id of patient ext, or 0 if there is none. */
int64_t pccs__phm_patient(struct pccs_phm_load *p, const char *ext, size_t len);
/** Is code a practice (level practice) in the store? */
bool pccs__phm_practice(struct pccs_phm_load *p, const char *code, size_t len);
/** Note a day (the period is the latest). */
void pccs__phm_day(struct pccs_phm_load *p, pccs_day d);

#endif
