/* SPDX-License-Identifier: MIT */
/*
 * The backends of store.h (internal to the store module): each backend's
 * struct pccs_store (and struct pccs_phm_writer) begins with a pointer to
 * its operations, one per function of store.h, and store.c's public
 * functions call through it. So SQLite and PostgreSQL live in one binary
 * and the store's name chooses between them when it is opened.
 */
#ifndef PCCS_BACKEND_H
#define PCCS_BACKEND_H

#include "store/store.h"

struct pccs_store_ops {
    const char *name; /* "sqlite", "postgresql" */
    void (*free)(struct pccs_store *st);
    bool (*readonly)(const struct pccs_store *st);
    int (*schema_version)(struct pccs_store *st);
    int (*begin)(struct pccs_store *st, struct pccs_err *err);
    int (*commit)(struct pccs_store *st, struct pccs_err *err);
    void (*rollback)(struct pccs_store *st);
    /* NULL: nothing to do (PostgreSQL) */
    int (*bulk)(struct pccs_store *st, bool on, struct pccs_err *err);
    int (*source_find)(struct pccs_store *st, const char *sha256,
                       struct pccs_source_info *out, struct pccs_err *err);
    int (*source_add)(struct pccs_store *st, struct pccs_source_info *s,
                      struct pccs_err *err);
    int (*source_finish)(struct pccs_store *st,
                         const struct pccs_source_info *s,
                         struct pccs_err *err);
    int (*sources_each)(struct pccs_store *st, pccs_store_source_fn fn,
                        void *ctx, struct pccs_err *err);
    int (*put_org)(struct pccs_store *st, const struct pccs_org_row *o,
                   struct pccs_err *err);
    int (*put_link)(struct pccs_store *st, const struct pccs_link_row *l,
                    struct pccs_err *err);
    int (*put_fact)(struct pccs_store *st, const struct pccs_fact_row *f,
                    struct pccs_err *err);
    int (*put_attr)(struct pccs_store *st, const struct pccs_attr_row *a,
                    struct pccs_err *err);
    int (*put_ref)(struct pccs_store *st, const struct pccs_ref_row *r,
                   struct pccs_err *err);
    int (*org_get)(struct pccs_store *st, const char *code,
                   struct pccs_org_row *out, struct pccs_err *err);
    int (*orgs_each)(struct pccs_store *st, pccs_store_org_fn fn, void *ctx,
                     struct pccs_err *err);
    int (*links_each)(struct pccs_store *st, pccs_store_link_fn fn, void *ctx,
                      struct pccs_err *err);
    int (*org_names_each)(struct pccs_store *st, pccs_store_name_fn fn,
                          void *ctx, struct pccs_err *err);
    int (*attrs_each)(struct pccs_store *st, const char *org,
                      pccs_store_attr_fn fn, void *ctx, struct pccs_err *err);
    int (*attrs_of_source)(struct pccs_store *st, const char *key,
                           int64_t source_id, pccs_store_attr_fn fn, void *ctx,
                           struct pccs_err *err);
    int (*facts_each)(struct pccs_store *st, const char *measure,
                      const char *period, const char *org,
                      pccs_store_fact_fn fn, void *ctx, struct pccs_err *err);
    int (*periods_each)(struct pccs_store *st, const char *measure,
                        pccs_store_fact_fn fn, void *ctx, struct pccs_err *err);
    int (*refs_each)(struct pccs_store *st, const char *kind,
                     pccs_store_ref_fn fn, void *ctx, struct pccs_err *err);
    struct pccs_source_set *(*track)(struct pccs_store *st,
                                     struct pccs_source_set *set);
    int (*source_get)(struct pccs_store *st, int64_t id,
                      struct pccs_source_info *out, struct pccs_err *err);
    int (*user_put)(struct pccs_store *st, const struct pccs_user_row *u,
                    bool create, struct pccs_err *err);
    int (*user_set_role)(struct pccs_store *st, const char *name,
                         const char *role, const char *scope,
                         struct pccs_err *err);
    int (*user_set_disabled)(struct pccs_store *st, const char *name,
                             bool disabled, struct pccs_err *err);
    int (*user_delete)(struct pccs_store *st, const char *name,
                       struct pccs_err *err);
    int (*user_state)(struct pccs_store *st, const char *name,
                      int64_t *generation, bool *disabled,
                      struct pccs_err *err);
    uint64_t (*stamp)(struct pccs_store *st);
    int (*users_each)(struct pccs_store *st, const char *name,
                      pccs_store_user_fn fn, void *ctx, struct pccs_err *err);
    int (*audit)(struct pccs_store *st, const char *user, const char *action,
                 const char *detail, struct pccs_err *err);
    int (*audit_each)(struct pccs_store *st, const struct pccs_audit_filter *f,
                      pccs_store_audit_fn fn, void *ctx, struct pccs_err *err);
    int (*cache_get)(struct pccs_store *st, const char *name, char **data,
                     size_t *len, int64_t *generation, struct pccs_err *err);
    int (*cache_put)(struct pccs_store *st, const char *name,
                     int64_t generation, const void *data, size_t len,
                     struct pccs_err *err);
    int (*counts)(struct pccs_store *st, struct pccs_store_counts *out,
                  struct pccs_err *err);
    int (*phm_writer)(struct pccs_store *st, struct pccs_phm_writer **out,
                      struct pccs_err *err);
    void (*phm_writer_free)(struct pccs_phm_writer *w);
    int (*phm_put_patient)(struct pccs_phm_writer *w,
                           struct pccs_patient_row *p, struct pccs_err *err);
    int (*phm_put_registration)(struct pccs_phm_writer *w,
                                const struct pccs_registration_row *r,
                                struct pccs_err *err);
    int (*phm_put_event)(struct pccs_phm_writer *w, enum pccs_event_kind kind,
                         const struct pccs_event_row *e, struct pccs_err *err);
    int (*phm_writer_flush)(struct pccs_phm_writer *w, struct pccs_err *err);
    int (*patients_each)(struct pccs_store *st, pccs_store_patient_fn fn,
                         void *ctx, struct pccs_err *err);
    int (*registrations_each)(struct pccs_store *st, const char *practice,
                              pccs_store_registration_fn fn, void *ctx,
                              struct pccs_err *err);
    int (*events_each)(struct pccs_store *st, enum pccs_event_kind kind,
                       pccs_store_event_fn fn, void *ctx, struct pccs_err *err);
    int (*booking_session_put)(struct pccs_store *st,
                               const struct pccs_booking_session_row *s,
                               struct pccs_err *err);
    int (*slot_put)(struct pccs_store *st, const struct pccs_slot_row *s,
                    struct pccs_err *err);
    int (*slots_each)(struct pccs_store *st,
                      const struct pccs_booking_filter *f,
                      pccs_store_slot_fn fn, void *ctx, struct pccs_err *err);
    int (*appt_book)(struct pccs_store *st, const struct pccs_appt_row *a,
                     int64_t *id, struct pccs_err *err);
    int (*appt_set_status)(struct pccs_store *st, int64_t id,
                           const char *status, struct pccs_err *err);
    int (*appts_each)(struct pccs_store *st,
                      const struct pccs_booking_filter *f,
                      pccs_store_appt_fn fn, void *ctx, struct pccs_err *err);
    int (*idem_get)(struct pccs_store *st, const char *user, const char *key,
                    char *req, size_t n, int *status, int64_t *appt,
                    struct pccs_err *err);
    int (*idem_put)(struct pccs_store *st, const char *user, const char *key,
                    const char *req, int status, int64_t appt,
                    struct pccs_err *err);
    int (*slot_withdraw)(struct pccs_store *st, int64_t id, bool withdraw,
                         struct pccs_err *err);
    int (*patient_practice)(struct pccs_store *st, const char *ext,
                            pccs_day day, char *practice, size_t n,
                            bool *loaded, struct pccs_err *err);
};

/** Open or create the SQLite store at path and migrate its schema. */
int pccs__sqlite_open(struct pccs_store **out, const char *path,
                      struct pccs_err *err);
/**
 * Connect to the PostgreSQL database at url (postgres://...) and migrate
 * its schema.
 */
int pccs__pg_open(struct pccs_store **out, const char *url,
                  struct pccs_err *err);

#endif
