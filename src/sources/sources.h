/* SPDX-License-Identifier: MIT */
/* The dataset loaders, one per published format family. */
#ifndef PCCS_SOURCES_H
#define PCCS_SOURCES_H

#include "sources/loader.h"

struct pccs_reg_def;

/* gp_reg.c: Patients Registered at a GP Practice. */
extern const struct pccs_source_kind pccs_source_gp_reg_all;
extern const struct pccs_source_kind pccs_source_gp_reg_sing_age;
extern const struct pccs_source_kind pccs_source_gp_reg_quin_age;
/* gp_map.c: practice -> PCN -> CCG/sub-ICB -> STP/ICB -> region map. */
extern const struct pccs_source_kind pccs_source_gp_map;
/* ods.c: ODS epraccur and etr (headerless, 27 columns). */
extern const struct pccs_source_kind pccs_source_epraccur;
extern const struct pccs_source_kind pccs_source_etr;
/* epcn.c: ODS ePCN workbook (xlsx). */
extern const struct pccs_source_kind pccs_source_epcn;
/* qof.c: Quality and Outcomes Framework files. */
extern const struct pccs_source_kind pccs_source_qof_prevalence;
extern const struct pccs_source_kind pccs_source_qof_geographies;
extern const struct pccs_source_kind pccs_source_qof_org_reference;
extern const struct pccs_source_kind pccs_source_qof_indicators;
extern const struct pccs_source_kind pccs_source_qof_validation;
/* payments.c: NHS Payments to General Practice. */
extern const struct pccs_source_kind pccs_source_payments;
/* gpad.c: Appointments in General Practice, practice level. */
extern const struct pccs_source_kind pccs_source_gpad;
/* pcn_workforce.c: PCN workforce, individual level. */
extern const struct pccs_source_kind pccs_source_pcn_workforce;
/* registers.c: local commissioning registers (data/templates). */
extern const struct pccs_source_kind pccs_source_register_places;
extern const struct pccs_source_kind pccs_source_register_programmes;
extern const struct pccs_source_kind pccs_source_register_milestones;
extern const struct pccs_source_kind pccs_source_register_risks;
extern const struct pccs_source_kind pccs_source_register_estates;
extern const struct pccs_source_kind pccs_source_register_budget;
extern const struct pccs_source_kind pccs_source_register_list_closures;
extern const struct pccs_source_kind pccs_source_register_support_payments;
extern const struct pccs_source_kind pccs_source_register_visits;
extern const struct pccs_source_kind pccs_source_register_care_home_beds;
extern const struct pccs_source_kind pccs_source_register_access_sessions;
/* gp_workforce.c: General Practice Workforce, practice level. */
extern const struct pccs_source_kind pccs_source_gp_workforce;

/* ===== Local registers: columns, rows and edits (register_edit.c) ===== */

struct pccs_register_col {
    const char *name;
    const char *kind;   /* text, organisation, practice, date, whole number,
                           number, one of */
    const char *values; /* "one of": "a|b|c"; whole number: "min|max" */
    bool required;
    bool org; /* an organisation code checked against the tree */
};

/** Column k of register name (false past the last, or no such register). */
bool pccs_register_col(const char *name, size_t k,
                       struct pccs_register_col *out);

/**
 * A register as read: the latest version of each organisation that
 * loaded it (sources.owner; a load without --org is one more), so that
 * one organisation's reload replaces its own rows only. Its rows in
 * order (by key), each with one value per column of def (NULL where
 * empty) and the version it comes from.
 */
struct pccs_register_data {
    const struct pccs_reg_def *def;
    int64_t version; /* the newest source id of those read; 0: none */
    size_t n, cap;
    char (*keys)[24]; /* each row's stable identifier */
    char **vals;      /* n x def->ncols, owned */
    int64_t *from;    /* each row's version (source id) */
};

/* Which owners' versions to read: owner NULL for a load without --org. */
typedef bool pccs_register_owner_fn(void *ctx, const char *owner);

/**
 * Like pccs_register_read() (owner NULL), of the owners keep says yes to
 * (keep NULL: every owner).
 */
int pccs_register_read_owners(struct pccs_store *st, const char *name,
                              pccs_register_owner_fn *keep, void *ctx,
                              struct pccs_register_data *latest,
                              struct pccs_register_data *previous,
                              struct pccs_err *err);

/**
 * Read the latest version of register name into *latest and, when
 * previous is not NULL, the one before into *previous (version 0 when
 * there is none). owner NULL: the latest of every owner (see above);
 * "": of the loads without --org; else the latest loaded for that
 * organisation (sources.owner). PCCS_EINVAL if there is no such
 * register, PCCS_ENOTFOUND if none is loaded. Release both with
 * pccs_register_data_release() whatever the result.
 */
int pccs_register_read(struct pccs_store *st, const char *name,
                       const char *owner, struct pccs_register_data *latest,
                       struct pccs_register_data *previous,
                       struct pccs_err *err);
/**
 * The organisation the latest version of register name belongs to (its
 * source's owner) into owner (n bytes): "" when it names none or there
 * is no version.
 */
int pccs_register_owner(struct pccs_store *st, const char *name, char *owner,
                        size_t n, struct pccs_err *err);
/**
 * The organisations register name has versions of, newest first, into
 * owners (at most max; "" for loads without --org); *n how many.
 */
int pccs_register_owners(struct pccs_store *st, const char *name,
                         char (*owners)[32], size_t max, size_t *n,
                         struct pccs_err *err);
/** The value of column col in row row, "" when empty. */
const char *pccs_register_val(const struct pccs_register_data *d, size_t row,
                              size_t col);
void pccs_register_data_release(struct pccs_register_data *d);
/** The largest row identifier any version of register name has had. */
int pccs_register_last_key(struct pccs_store *st, const char *name,
                           int64_t *last, struct pccs_err *err);

struct pccs_register_row {
    const char *key;           /* the row's stable identifier */
    const char *const *values; /* one per column, "" when empty */
};

typedef int (*pccs_register_row_fn)(void *ctx,
                                    const struct pccs_register_row *r);

/**
 * The rows of the latest version of register name (of owner's, when not
 * NULL; see pccs_register_read), in order; *version is its source id.
 */
int pccs_register_rows(struct pccs_store *st, const char *name,
                       const char *owner, pccs_register_row_fn fn, void *ctx,
                       int64_t *version, struct pccs_err *err);

enum pccs_register_op { PCCS_REG_CREATE, PCCS_REG_UPDATE, PCCS_REG_DELETE };

struct pccs_register_edit {
    const char *name;
    enum pccs_register_op op;
    const char *key;           /* update, delete: the row */
    const char *const *values; /* create, update: one per column; NULL
                                  keeps (update) or leaves empty (create) */
    int64_t version;           /* 0, or the version the change was made
                                  on: PCCS_ECONFLICT if it is not the
                                  latest */
    const char *owner;         /* NULL, or the organisation whose version
                                  is changed (registers that name none) */
};

/**
 * Make a change as a new version of the register: the rows of the latest
 * version with the change applied, written as the register's CSV template
 * (in memory) and loaded like any file (every field validated; the whole
 * change refused with the field's column name otherwise). The new version
 * keeps the owner of the one it changes. *version is the new version, key
 * (24 bytes) the changed row's identifier (create, update).
 */
int pccs_register_change(struct pccs_store *st,
                         const struct pccs_register_edit *e, int64_t *version,
                         char key[24], struct pccs_err *err);

/* Patient-level records (phm_csv.c, fhir.c). */
extern const struct pccs_source_kind pccs_source_phm_patients;
extern const struct pccs_source_kind pccs_source_phm_registrations;
extern const struct pccs_source_kind pccs_source_phm_events;
extern const struct pccs_source_kind pccs_source_phm_medications;
extern const struct pccs_source_kind pccs_source_fhir_patient;
extern const struct pccs_source_kind pccs_source_fhir_condition;
extern const struct pccs_source_kind pccs_source_fhir_observation;
extern const struct pccs_source_kind pccs_source_fhir_medication_request;

#endif
