/* SPDX-License-Identifier: MIT */
/*
 * The one interface to the store, the system of record.
 *
 * SQLite is the default backend (a file path); a PostgreSQL backend
 * (a postgres:// URL) can follow behind the same functions without any
 * caller changing. Callers never see SQL.
 *
 * What is kept:
 *   sources  every loaded file: kind, publication, period, sha256 ...
 *   orgs     organisations by ODS code with level, name and dates
 *   attrs    extra text attributes of an organisation (contract type ...)
 *   links    child -> parent memberships with effective dates; a
 *            membership with no parent says "in none at that level"
 *   org_names every name an organisation was given, with its date
 *   facts    numbers: (measure, period, org, dim) -> value
 *   refs     reference tables: (kind, key, attr) -> text
 * Every row written carries the id of the source it came from.
 *
 * Writes happen inside pccs_store_begin() / _commit(); a load that fails
 * calls _rollback() and the store is exactly as before.
 *
 * Strings passed in are borrowed (copied if kept). Rows handed to
 * callbacks are borrowed and valid only during the callback. A callback
 * returning non-zero stops the iteration and that value is returned.
 */
#ifndef PCCS_STORE_H
#define PCCS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"

struct pccs_store;

/* The levels of the organisation tree, and others kept beside it. */
#define PCCS_LEVEL_PRACTICE "practice"
#define PCCS_LEVEL_PCN "pcn"
#define PCCS_LEVEL_PLACE "place"
#define PCCS_LEVEL_SUB_ICB "sub_icb"
#define PCCS_LEVEL_ICB "icb"
#define PCCS_LEVEL_REGION "region"
#define PCCS_LEVEL_ENGLAND "england"
#define PCCS_LEVEL_TRUST "trust"
#define PCCS_LEVEL_OTHER "other" /* other prescribing settings */

struct pccs_source_info {
    int64_t id;              /* set by the store */
    const char *kind;        /* loader name, e.g. "gp_reg_all" */
    const char *publication; /* e.g. "Patients Registered at a GP Practice" */
    const char *period;      /* "2021-01-01" (snapshot) or "2020-21" */
    const char *path;        /* as given on the command line */
    const char *sha256;      /* 64 hex digits */
    const char *encoding;    /* "ascii", "utf-8", "windows-1252", "xlsx" */
    int64_t rows_loaded;
    int64_t rows_rejected;
    const char *loaded_at; /* ISO 8601 UTC, set by the store */
    /*
     * NULL for published (or local) data; "synthetic" for a file written
     * by a generator (scripts/gen-*, pccs synth), "example" for the example
     * rows of data/templates. provenance_note says who made it.
     */
    const char *provenance;
    const char *provenance_note;
    /*
     * The organisation the source belongs to (pccs load --org CODE, or the
     * scope of the user whose register edit made it); NULL for none.
     */
    const char *owner;
};

/* The marks a source's provenance gives, as text and as bits. */
#define PCCS_PROV_SYNTHETIC "synthetic"
#define PCCS_PROV_EXAMPLE "example"

/**
 * Source ids seen by the reads of a store while a set is tracked (see
 * pccs_store_track()), each once, in the order first seen.
 */
struct pccs_source_set {
    int64_t *ids;
    size_t n, cap;
};

#define PCCS_SOURCE_SET_INIT                                                   \
    {                                                                          \
        NULL, 0, 0                                                             \
    }

/** "SYNTHETIC", "EXAMPLE" or "" for a published source. */
const char *pccs_source_mark(const struct pccs_source_info *s);

/** Add id to s unless it is there. */
void pccs_source_set_add(struct pccs_source_set *s, int64_t id);
/** Free the ids; s is back to PCCS_SOURCE_SET_INIT. */
void pccs_source_set_release(struct pccs_source_set *s);

struct pccs_org_row {
    const char *code;
    const char *level;
    const char *name;     /* NULL: keep what is there */
    const char *postcode; /* NULL: keep */
    const char *ons_code; /* NULL: keep */
    const char *status;   /* NULL: keep; "active", "closed", ... */
    pccs_day open_date;   /* PCCS_DAY_NONE: keep */
    pccs_day close_date;  /* PCCS_DAY_NONE: keep */
    pccs_day as_of;       /* date the information describes */
    int64_t source_id;
};

struct pccs_link_row {
    const char *child;
    /*
     * NULL (or "" when writing): in no organisation at parent_level from
     * start, e.g. a practice a map places in no PCN ("U").
     */
    const char *parent;
    const char *parent_level;
    pccs_day start; /* first day the link holds */
    pccs_day end;   /* last day it holds, PCCS_DAY_NONE if open */
    bool observed;  /* start is a snapshot date, not a declared start */
    int64_t source_id;
};

/* A name an organisation had in a file (written by pccs_store_put_org). */
struct pccs_name_row {
    const char *org;
    const char *name;
    pccs_day from; /* the date the file describes (the org row's as_of) */
    int64_t source_id;
};

struct pccs_fact_row {
    const char *measure; /* e.g. "registered", "weighted", "qof_register" */
    const char *period;  /* "2021-01-01" or "2020-21" */
    const char *org;     /* ODS code */
    const char *dim;     /* "" when the measure has no breakdown */
    double value;
    int64_t source_id;
};

struct pccs_attr_row {
    const char *org;
    const char *key;
    const char *value;
    pccs_day as_of;
    int64_t source_id;
};

struct pccs_ref_row {
    const char *kind; /* e.g. "qof_indicator" */
    const char *key;  /* e.g. "AF001" */
    const char *attr; /* e.g. "points" */
    const char *value;
    int64_t source_id;
};

typedef int (*pccs_store_source_fn)(void *ctx,
                                    const struct pccs_source_info *s);
typedef int (*pccs_store_org_fn)(void *ctx, const struct pccs_org_row *o);
typedef int (*pccs_store_link_fn)(void *ctx, const struct pccs_link_row *l);
typedef int (*pccs_store_name_fn)(void *ctx, const struct pccs_name_row *n);
typedef int (*pccs_store_fact_fn)(void *ctx, const struct pccs_fact_row *f);
typedef int (*pccs_store_attr_fn)(void *ctx, const struct pccs_attr_row *a);
typedef int (*pccs_store_ref_fn)(void *ctx, const struct pccs_ref_row *r);

/* ===== Opening ===== */

/**
 * Open (creating and migrating if needed) the store named by spec: a
 * file path for SQLite, or "postgres://..." / "postgresql://..." for
 * PostgreSQL (PCCS_EUNSUPPORTED until that backend exists). *out is
 * owned: free with pccs_store_free(). Errors: PCCS_EDB, PCCS_EIO.
 */
int pccs_store_open(struct pccs_store **out, const char *spec,
                    struct pccs_err *err);
/** Close. A transaction still open is rolled back. NULL does nothing. */
void pccs_store_free(struct pccs_store *st);
/**
 * Was the store opened read-only (it exists and it or its directory
 * cannot be written here)? Reads work; writes fail with PCCS_EIO saying
 * so, and a store needing a migration is refused.
 */
bool pccs_store_readonly(const struct pccs_store *st);
/** The schema version the store is at after migration. */
int pccs_store_schema_version(struct pccs_store *st);

/* ===== Transactions ===== */

/*
 * A begin inside an open transaction joins it: its commit commits nothing
 * (the outermost does), so a caller can read, check and write a load under
 * one write lock (SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory lock).
 * A rollback at any depth undoes the whole transaction; the outer commit
 * then fails.
 */
int pccs_store_begin(struct pccs_store *st, struct pccs_err *err);
int pccs_store_commit(struct pccs_store *st, struct pccs_err *err);
/** Undo everything since begin. Safe to call with none open. */
void pccs_store_rollback(struct pccs_store *st);
/**
 * A bulk load by a command that is the store's only user while it runs
 * (pccs load, never a server): on (before the load's first begin) lets
 * the backend write its new pages once rather than twice, off (after the
 * last commit; pccs_store_free() does it too) puts the store back as it
 * was. Loads stay atomic either way. On SQLite the command's files are
 * also one transaction, committed by off: each load's begin .. commit is
 * a savepoint in it, so a rollback still undoes that load alone and the
 * loads before it go in; a crash before off keeps none of them. Nothing
 * if another connection has the store open, and nothing on PostgreSQL.
 * Errors: PCCS_EDB (off: the loads were not committed), PCCS_ECONFLICT
 * (off: committed, but another connection keeps the store out of WAL
 * mode until its next open).
 */
int pccs_store_bulk(struct pccs_store *st, bool on, struct pccs_err *err);

/* ===== Sources ===== */

/**
 * Find a loaded source by its sha256. Fills *out (strings valid until the
 * next store call) and returns PCCS_OK, or PCCS_ENOTFOUND.
 */
int pccs_store_source_find(struct pccs_store *st, const char *sha256,
                           struct pccs_source_info *out, struct pccs_err *err);
/**
 * Record a new source (inside a transaction); sets s->id. Sources are
 * loaded one at a time: add, put its rows, finish. Its facts can be read
 * once pccs_store_source_finish() has summarised them.
 */
int pccs_store_source_add(struct pccs_store *st, struct pccs_source_info *s,
                          struct pccs_err *err);
/**
 * Once the load is done, set the kind, publication, period, encoding,
 * sha256 and row counts of source s->id (a loader may refine the kind it
 * was recognised as, e.g. registrations by single year of age; the sha256
 * may be computed while the file loads, so source_add may give NULL).
 */
int pccs_store_source_finish(struct pccs_store *st,
                             const struct pccs_source_info *s,
                             struct pccs_err *err);
/** Every source, oldest first. */
int pccs_store_sources_each(struct pccs_store *st, pccs_store_source_fn fn,
                            void *ctx, struct pccs_err *err);

/* ===== Writing rows (inside a transaction) ===== */

/**
 * Insert or update an organisation. On update, non-NULL fields replace
 * the stored ones when o->as_of is not older than the stored as_of.
 * PCCS_ECONFLICT if the code exists at a different level, except that
 * "practice" and "other" are one family (prescribing settings whose
 * setting changed over the years): there "practice" wins. A non-NULL name
 * is also kept as a name observation (org_names) dated o->as_of.
 */
int pccs_store_put_org(struct pccs_store *st, const struct pccs_org_row *o,
                       struct pccs_err *err);
/**
 * Add a membership (parent NULL or "": in none at parent_level). An
 * identical row from the same source is ignored.
 */
int pccs_store_put_link(struct pccs_store *st, const struct pccs_link_row *l,
                        struct pccs_err *err);
/**
 * Add a fact. Facts are appended as fast as the backend can: the store
 * does not look for a second value of the same (measure, period, org,
 * dim) from one source; loaders refuse duplicate rows, naming the lines.
 */
int pccs_store_put_fact(struct pccs_store *st, const struct pccs_fact_row *f,
                        struct pccs_err *err);
int pccs_store_put_attr(struct pccs_store *st, const struct pccs_attr_row *a,
                        struct pccs_err *err);
int pccs_store_put_ref(struct pccs_store *st, const struct pccs_ref_row *r,
                       struct pccs_err *err);

/* ===== Reading ===== */

/**
 * The organisation code: out->code, level, open_date and close_date (the
 * other fields NULL), strings valid until the next store call; or
 * PCCS_ENOTFOUND. Loaders check codes with it (they never build the tree).
 */
int pccs_store_org_get(struct pccs_store *st, const char *code,
                       struct pccs_org_row *out, struct pccs_err *err);
int pccs_store_orgs_each(struct pccs_store *st, pccs_store_org_fn fn, void *ctx,
                         struct pccs_err *err);
int pccs_store_links_each(struct pccs_store *st, pccs_store_link_fn fn,
                          void *ctx, struct pccs_err *err);
/** Every name observation, by org, then date (undated first), then source. */
int pccs_store_org_names_each(struct pccs_store *st, pccs_store_name_fn fn,
                              void *ctx, struct pccs_err *err);
/** Attributes of one organisation (org != NULL) or of all. */
int pccs_store_attrs_each(struct pccs_store *st, const char *org,
                          pccs_store_attr_fn fn, void *ctx,
                          struct pccs_err *err);
/**
 * The attribute key of every organisation as the file source gave it, in
 * no particular order (one read of the table, no index needed).
 */
int pccs_store_attrs_of_source(struct pccs_store *st, const char *key,
                               int64_t source_id, pccs_store_attr_fn fn,
                               void *ctx, struct pccs_err *err);
/**
 * Facts for measure, for one period (or every period if period is NULL)
 * and optionally one organisation (org NULL for all), periods in order
 * and within a period in the order they were loaded. Where several
 * sources gave the same (measure, period), only the most recently loaded
 * source's facts are returned.
 */
int pccs_store_facts_each(struct pccs_store *st, const char *measure,
                          const char *period, const char *org,
                          pccs_store_fact_fn fn, void *ctx,
                          struct pccs_err *err);
/**
 * The periods a measure has, newest last, one call each with a fact row
 * whose org and dim are "" and value is the number of facts.
 */
int pccs_store_periods_each(struct pccs_store *st, const char *measure,
                            pccs_store_fact_fn fn, void *ctx,
                            struct pccs_err *err);
int pccs_store_refs_each(struct pccs_store *st, const char *kind,
                         pccs_store_ref_fn fn, void *ctx, struct pccs_err *err);
/**
 * From now on, add to set (borrowed; NULL: stop) the source of every fact
 * pccs_store_facts_each() delivers, so a table knows which files its
 * figures rest on. Returns the set tracked before (to restore it: runs
 * nest, as a table built from other tables).
 */
struct pccs_source_set *pccs_store_track(struct pccs_store *st,
                                         struct pccs_source_set *set);
/** One source by id (strings valid until the next store call). */
int pccs_store_source_get(struct pccs_store *st, int64_t id,
                          struct pccs_source_info *out, struct pccs_err *err);

/* ===== Accounts (pccs user, pccs serve) and the audit log ===== */

struct pccs_user_row {
    const char *name;
    const char *role;  /* admin, commissioner, pcn, practice */
    const char *scope; /* an organisation code */
    const char *hash;  /* Argon2id, libsodium's crypto_pwhash_str format */
    const char *created_at;
    /*
     * Changes (to a random number) with every change to the account:
     * password, role, scope, disabled. A session remembers the generation
     * it began with and ends when it differs (or the user is gone).
     */
    int64_t generation;
    bool disabled; /* cannot log in */
};

typedef int (*pccs_store_user_fn)(void *ctx, const struct pccs_user_row *u);

/*
 * Every change to an account below gives it a new generation; none
 * writes the audit log: callers do, in the same transaction, so no
 * change is made without its line.
 */

/**
 * create: add the user (PCCS_ECONFLICT if the name is taken); else set
 * the user's hash (PCCS_ENOTFOUND if there is none).
 */
int pccs_store_user_put(struct pccs_store *st, const struct pccs_user_row *u,
                        bool create, struct pccs_err *err);
/** Set a user's role and scope. PCCS_ENOTFOUND if there is no such user. */
int pccs_store_user_set_role(struct pccs_store *st, const char *name,
                             const char *role, const char *scope,
                             struct pccs_err *err);
/** Disable (no logins) or enable a user. PCCS_ENOTFOUND as above. */
int pccs_store_user_set_disabled(struct pccs_store *st, const char *name,
                                 bool disabled, struct pccs_err *err);
/** Delete a user (their audit lines stay). PCCS_ENOTFOUND as above. */
int pccs_store_user_delete(struct pccs_store *st, const char *name,
                           struct pccs_err *err);
/**
 * The generation of the user called name and whether it is disabled:
 * one primary-key lookup with a kept statement, cheap enough for a
 * server to make on every request. PCCS_ENOTFOUND if there is none.
 */
int pccs_store_user_state(struct pccs_store *st, const char *name,
                          int64_t *generation, bool *disabled,
                          struct pccs_err *err);
/**
 * A number that changes when the store's files change (a commit by any
 * process: its write-ahead log's size and time), from one stat(2) call:
 * far cheaper than a query, so a server can tell that
 * nothing can have changed since it last looked. Two different states
 * may rarely give the same stamp (a commit within the file system's
 * timestamp tick that leaves the sizes as they were): callers look again
 * after a while anyway.
 */
uint64_t pccs_store_stamp(struct pccs_store *st);
/** The user called name (PCCS_ENOTFOUND if none), or every user by name
 *  when name is NULL. Strings are valid during the call. */
int pccs_store_users_each(struct pccs_store *st, const char *name,
                          pccs_store_user_fn fn, void *ctx,
                          struct pccs_err *err);
/** Append a line to the audit log (time now, UTC, to the millisecond). */
int pccs_store_audit(struct pccs_store *st, const char *user,
                     const char *action, const char *detail,
                     struct pccs_err *err);

struct pccs_audit_row {
    int64_t id;
    const char *at; /* 2026-12-02T07:45:12.345Z */
    const char *user, *action, *detail;
};

/* Which lines to read; NULL fields match everything. */
struct pccs_audit_filter {
    const char *user;
    const char *action; /* a glob: "login*" */
    const char *since;  /* at >= since (ISO text, e.g. "2026-12-01") */
    const char *until;  /* at < until */
};

typedef int (*pccs_store_audit_fn)(void *ctx, const struct pccs_audit_row *a);

/** The audit lines f matches (f NULL: all), oldest first. */
int pccs_store_audit_each(struct pccs_store *st,
                          const struct pccs_audit_filter *f,
                          pccs_store_audit_fn fn, void *ctx,
                          struct pccs_err *err);

/*
 * Caches of what the model derives from the sources (the organisation
 * tree): one blob per name, valid for one generation of the store. Every
 * transaction that writes sources, orgs, links, org_names or fact_sets
 * through the store moves the generation on at its commit, and a delete
 * from them by anyone does too (a trigger), so a cache never outlives the
 * rows it was built from.
 */
/**
 * The blob cached as name for the current generation: *data (malloc'd,
 * 8-aligned, or NULL when there is none) and *len; *generation is the
 * current generation either way: read it before the rows a new cache is
 * built from.
 */
int pccs_store_cache_get(struct pccs_store *st, const char *name, char **data,
                         size_t *len, int64_t *generation,
                         struct pccs_err *err);
/**
 * Cache data as name for generation, unless the generation has moved on
 * since (or another writer holds the store: it is not waited for).
 * PCCS_OK without writing on a read-only store.
 */
int pccs_store_cache_put(struct pccs_store *st, const char *name,
                         int64_t generation, const void *data, size_t len,
                         struct pccs_err *err);

/** Row counts of the main tables, for tests and `pccs sources --stats`. */
struct pccs_store_counts {
    int64_t sources, orgs, links, facts, attrs, refs;
};
int pccs_store_counts(struct pccs_store *st, struct pccs_store_counts *out,
                      struct pccs_err *err);

/* ===== Patient-level records (population health) ===== */

/*
 * Patients, their practice registrations, clinical events (SNOMED CT
 * code, day, optional value) and medications (dm+d code, day), in tables
 * of their own (sqlite_phm.c). Written through a writer inside the
 * load's transaction; read by full scans (cohorts) or by practice.
 */
struct pccs_patient_row {
    int64_t id;      /* set by the store */
    const char *ext; /* the file's patient identifier */
    const char *sex; /* "M", "F" or "U" */
    pccs_day birth;  /* PCCS_DAY_NONE: unknown */
    pccs_day death;  /* PCCS_DAY_NONE: alive */
    int64_t source_id;
};

struct pccs_registration_row {
    int64_t patient;
    const char *practice; /* ODS code */
    pccs_day start, end;  /* PCCS_DAY_NONE: open */
    int64_t source_id;
};

/* A clinical event (SNOMED CT) or a medication issue (dm+d). */
struct pccs_event_row {
    int64_t patient;
    int64_t code;
    pccs_day day;
    bool has_value;
    double value;
    int64_t source_id;
};

enum pccs_event_kind { PCCS_EVENT_CLINICAL, PCCS_EVENT_MEDICATION };

struct pccs_phm_writer;

typedef int (*pccs_store_patient_fn)(void *ctx,
                                     const struct pccs_patient_row *p);
typedef int (*pccs_store_registration_fn)(
    void *ctx, const struct pccs_registration_row *r);
typedef int (*pccs_store_event_fn)(void *ctx, const struct pccs_event_row *e);

/** A writer for patient rows (inside a transaction); free when done. */
int pccs_store_phm_writer(struct pccs_store *st, struct pccs_phm_writer **out,
                          struct pccs_err *err);
void pccs_phm_writer_free(struct pccs_phm_writer *w);
/** Add a patient; sets p->id. PCCS_ECONFLICT if p->ext is there. */
int pccs_phm_put_patient(struct pccs_phm_writer *w, struct pccs_patient_row *p,
                         struct pccs_err *err);
int pccs_phm_put_registration(struct pccs_phm_writer *w,
                              const struct pccs_registration_row *r,
                              struct pccs_err *err);
/**
 * Add an event. Events are kept in chunks: call pccs_phm_writer_flush()
 * before the transaction commits, or the last chunk is lost.
 */
int pccs_phm_put_event(struct pccs_phm_writer *w, enum pccs_event_kind kind,
                       const struct pccs_event_row *e, struct pccs_err *err);
/** Write the events still waiting. */
int pccs_phm_writer_flush(struct pccs_phm_writer *w, struct pccs_err *err);
/** Every patient, by id. */
int pccs_store_patients_each(struct pccs_store *st, pccs_store_patient_fn fn,
                             void *ctx, struct pccs_err *err);
/** Registrations at practice (NULL: all), by patient. */
int pccs_store_registrations_each(struct pccs_store *st, const char *practice,
                                  pccs_store_registration_fn fn, void *ctx,
                                  struct pccs_err *err);
/** Every event of a kind, in the order stored. */
int pccs_store_events_each(struct pccs_store *st, enum pccs_event_kind kind,
                           pccs_store_event_fn fn, void *ctx,
                           struct pccs_err *err);
/* ===== Direct booking: sessions, slots, appointments (issue 19) ===== */

/* A session a hub or practice publishes (a row of access_sessions). */
struct pccs_booking_session_row {
    const char *key; /* the register row's stable identifier */
    const char *org; /* the PCN (a hub) or practice running it */
    const char *site, *service, *staff_role;
    const char *day;        /* 2026-12-05 */
    const char *start_time; /* 18:30 (local, Europe/London) */
    const char *end_time;
    int64_t slot_minutes;
    const char *bookable; /* practice, pcn or 111 (each admits the last) */
    int64_t source_id;
};

/* A slot: local times "2026-12-05T18:30:00"; status free or busy. */
struct pccs_slot_row {
    int64_t id;
    const char *session_key, *org, *start, *end;
    int64_t minutes;
    const char *status;
    /* read only: the session's */
    const char *site, *service, *staff_role, *bookable;
};

/* An appointment: status booked, cancelled, fulfilled or noshow. */
struct pccs_appt_row {
    int64_t id, slot_id;
    const char *nhs_number;
    const char *practice; /* the practice the patient is registered with */
    const char *status, *booked_by, *created_at, *updated_at;
    /* read only: the slot's */
    const char *org, *start, *end;
    int64_t minutes;
};

/* Which slots or appointments to read; NULL or 0 fields match all. */
struct pccs_booking_filter {
    int64_t id;
    const char *org;        /* the slot's organisation */
    const char *from;       /* slot start >= from (local ISO text) */
    const char *to;         /* slot start <= to */
    const char *status;     /* the slot's or appointment's */
    const char *practice;   /* appointments: the patient's practice */
    const char *nhs_number; /* appointments */
};

typedef int (*pccs_store_slot_fn)(void *ctx, const struct pccs_slot_row *s);
typedef int (*pccs_store_appt_fn)(void *ctx, const struct pccs_appt_row *a);

/** Insert or replace a session (inside a transaction). */
int pccs_store_booking_session_put(struct pccs_store *st,
                                   const struct pccs_booking_session_row *s,
                                   struct pccs_err *err);
/** Add a slot unless its (session_key, start) is there (in a transaction). */
int pccs_store_slot_put(struct pccs_store *st, const struct pccs_slot_row *s,
                        struct pccs_err *err);
/** The slots f matches, by start then id. */
int pccs_store_slots_each(struct pccs_store *st,
                          const struct pccs_booking_filter *f,
                          pccs_store_slot_fn fn, void *ctx,
                          struct pccs_err *err);
/**
 * Book slot a->slot_id for a patient (inside a transaction): the slot
 * turns busy only if it is free, and the appointment is added; sets
 * *id. PCCS_ECONFLICT if the slot is not free (or, should two ever
 * race past that, the one-appointment-per-slot index refuses the
 * second); PCCS_ENOTFOUND if there is no such slot.
 */
int pccs_store_appt_book(struct pccs_store *st, const struct pccs_appt_row *a,
                         int64_t *id, struct pccs_err *err);
/**
 * Move booked appointment id to status (cancelled frees its slot;
 * fulfilled, noshow). PCCS_ENOTFOUND, or PCCS_ECONFLICT if it is not
 * booked any more. Inside a transaction.
 */
int pccs_store_appt_set_status(struct pccs_store *st, int64_t id,
                               const char *status, struct pccs_err *err);
/** The appointments f matches (slot fields from the slot), by id. */
int pccs_store_appts_each(struct pccs_store *st,
                          const struct pccs_booking_filter *f,
                          pccs_store_appt_fn fn, void *ctx,
                          struct pccs_err *err);
/**
 * The first answer to user's Idempotency-Key key: the request it was
 * for (a digest), its HTTP status and appointment (0: none), or
 * PCCS_ENOTFOUND. request is copied into req (n bytes).
 */
int pccs_store_idem_get(struct pccs_store *st, const char *user,
                        const char *key, char *req, size_t n, int *status,
                        int64_t *appt, struct pccs_err *err);
/** Keep the first answer to a key (in the booking's transaction). */
int pccs_store_idem_put(struct pccs_store *st, const char *user,
                        const char *key, const char *req, int status,
                        int64_t appt, struct pccs_err *err);

/*
 * Added for issue 19 (booking) after the prototypes above were frozen;
 * the PostgreSQL backend needs them too.
 */

/**
 * Withdraw slot id (withdraw true: status entered-in-error, because its
 * session was removed or shortened in the register; a slot whose
 * appointment was attended or missed is left as it was), or give a
 * withdrawn slot back (busy if it holds an appointment not cancelled,
 * else free). A slot already so is left alone. Inside a transaction.
 */
int pccs_store_slot_withdraw(struct pccs_store *st, int64_t id, bool withdraw,
                             struct pccs_err *err);
/**
 * The practice (ODS code, into practice, n bytes) the patient whose
 * identifier in the patient-level data is ext was registered with on
 * day (the latest registration holding then). *loaded says whether any
 * patient-level registrations are loaded at all. PCCS_ENOTFOUND when
 * the patient has no registration holding on day.
 */
int pccs_store_patient_practice(struct pccs_store *st, const char *ext,
                                pccs_day day, char *practice, size_t n,
                                bool *loaded, struct pccs_err *err);

#endif
