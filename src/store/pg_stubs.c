/* SPDX-License-Identifier: MIT */
/*
 * The parts of store.h the PostgreSQL backend does not do yet: each says
 * so (PCCS_EUNSUPPORTED). Moved out one by one into pg_users.c,
 * pg_booking.c and pg_phm.c as they are written.
 */
#include "store/pg_int.h" /* first: see there */

int
pccs_store_user_put(struct pccs_store *st, const struct pccs_user_row *u,
                    bool create, struct pccs_err *err)
{
    (void)st;
    (void)u;
    (void)create;
    return pccs__pg_unsupported(err, "accounts");
}

int
pccs_store_user_set_role(struct pccs_store *st, const char *name,
                         const char *role, const char *scope,
                         struct pccs_err *err)
{
    (void)st;
    (void)name;
    (void)role;
    (void)scope;
    return pccs__pg_unsupported(err, "accounts");
}

int
pccs_store_user_set_disabled(struct pccs_store *st, const char *name,
                             bool disabled, struct pccs_err *err)
{
    (void)st;
    (void)name;
    (void)disabled;
    return pccs__pg_unsupported(err, "accounts");
}

int
pccs_store_user_delete(struct pccs_store *st, const char *name,
                       struct pccs_err *err)
{
    (void)st;
    (void)name;
    return pccs__pg_unsupported(err, "accounts");
}

int
pccs_store_user_state(struct pccs_store *st, const char *name,
                      int64_t *generation, bool *disabled, struct pccs_err *err)
{
    (void)st;
    (void)name;
    (void)generation;
    (void)disabled;
    return pccs__pg_unsupported(err, "accounts");
}

int
pccs_store_users_each(struct pccs_store *st, const char *name,
                      pccs_store_user_fn fn, void *ctx, struct pccs_err *err)
{
    (void)st;
    (void)name;
    (void)fn;
    (void)ctx;
    return pccs__pg_unsupported(err, "accounts");
}

int
pccs_store_audit(struct pccs_store *st, const char *user, const char *action,
                 const char *detail, struct pccs_err *err)
{
    (void)st;
    (void)user;
    (void)action;
    (void)detail;
    return pccs__pg_unsupported(err, "the audit log");
}

int
pccs_store_audit_each(struct pccs_store *st, const struct pccs_audit_filter *f,
                      pccs_store_audit_fn fn, void *ctx, struct pccs_err *err)
{
    (void)st;
    (void)f;
    (void)fn;
    (void)ctx;
    return pccs__pg_unsupported(err, "the audit log");
}

int
pccs_store_phm_writer(struct pccs_store *st, struct pccs_phm_writer **out,
                      struct pccs_err *err)
{
    (void)st;
    (void)out;
    return pccs__pg_unsupported(err, "patient-level records");
}

void
pccs_phm_writer_free(struct pccs_phm_writer *w)
{
    (void)w;
}

int
pccs_phm_put_patient(struct pccs_phm_writer *w, struct pccs_patient_row *p,
                     struct pccs_err *err)
{
    (void)w;
    (void)p;
    return pccs__pg_unsupported(err, "patient-level records");
}

int
pccs_phm_put_registration(struct pccs_phm_writer *w,
                          const struct pccs_registration_row *r,
                          struct pccs_err *err)
{
    (void)w;
    (void)r;
    return pccs__pg_unsupported(err, "patient-level records");
}

int
pccs_phm_put_event(struct pccs_phm_writer *w, enum pccs_event_kind kind,
                   const struct pccs_event_row *e, struct pccs_err *err)
{
    (void)w;
    (void)kind;
    (void)e;
    return pccs__pg_unsupported(err, "patient-level records");
}

int
pccs_phm_writer_flush(struct pccs_phm_writer *w, struct pccs_err *err)
{
    (void)w;
    return pccs__pg_unsupported(err, "patient-level records");
}

int
pccs_store_patients_each(struct pccs_store *st, pccs_store_patient_fn fn,
                         void *ctx, struct pccs_err *err)
{
    (void)st;
    (void)fn;
    (void)ctx;
    return pccs__pg_unsupported(err, "patient-level records");
}

int
pccs_store_registrations_each(struct pccs_store *st, const char *practice,
                              pccs_store_registration_fn fn, void *ctx,
                              struct pccs_err *err)
{
    (void)st;
    (void)practice;
    (void)fn;
    (void)ctx;
    return pccs__pg_unsupported(err, "patient-level records");
}

int
pccs_store_events_each(struct pccs_store *st, enum pccs_event_kind kind,
                       pccs_store_event_fn fn, void *ctx, struct pccs_err *err)
{
    (void)st;
    (void)kind;
    (void)fn;
    (void)ctx;
    return pccs__pg_unsupported(err, "patient-level records");
}

int
pccs_store_booking_session_put(struct pccs_store *st,
                               const struct pccs_booking_session_row *s,
                               struct pccs_err *err)
{
    (void)st;
    (void)s;
    return pccs__pg_unsupported(err, "direct booking");
}

int
pccs_store_slot_put(struct pccs_store *st, const struct pccs_slot_row *s,
                    struct pccs_err *err)
{
    (void)st;
    (void)s;
    return pccs__pg_unsupported(err, "direct booking");
}

int
pccs_store_slots_each(struct pccs_store *st,
                      const struct pccs_booking_filter *f,
                      pccs_store_slot_fn fn, void *ctx, struct pccs_err *err)
{
    (void)st;
    (void)f;
    (void)fn;
    (void)ctx;
    return pccs__pg_unsupported(err, "direct booking");
}

int
pccs_store_appt_book(struct pccs_store *st, const struct pccs_appt_row *a,
                     int64_t *id, struct pccs_err *err)
{
    (void)st;
    (void)a;
    (void)id;
    return pccs__pg_unsupported(err, "direct booking");
}

int
pccs_store_appt_set_status(struct pccs_store *st, int64_t id,
                           const char *status, struct pccs_err *err)
{
    (void)st;
    (void)id;
    (void)status;
    return pccs__pg_unsupported(err, "direct booking");
}

int
pccs_store_appts_each(struct pccs_store *st,
                      const struct pccs_booking_filter *f,
                      pccs_store_appt_fn fn, void *ctx, struct pccs_err *err)
{
    (void)st;
    (void)f;
    (void)fn;
    (void)ctx;
    return pccs__pg_unsupported(err, "direct booking");
}

int
pccs_store_idem_get(struct pccs_store *st, const char *user, const char *key,
                    char *req, size_t n, int *status, int64_t *appt,
                    struct pccs_err *err)
{
    (void)st;
    (void)user;
    (void)key;
    (void)req;
    (void)n;
    (void)status;
    (void)appt;
    return pccs__pg_unsupported(err, "direct booking");
}

int
pccs_store_idem_put(struct pccs_store *st, const char *user, const char *key,
                    const char *req, int status, int64_t appt,
                    struct pccs_err *err)
{
    (void)st;
    (void)user;
    (void)key;
    (void)req;
    (void)status;
    (void)appt;
    return pccs__pg_unsupported(err, "direct booking");
}

int
pccs_store_slot_withdraw(struct pccs_store *st, int64_t id, bool withdraw,
                         struct pccs_err *err)
{
    (void)st;
    (void)id;
    (void)withdraw;
    return pccs__pg_unsupported(err, "direct booking");
}

int
pccs_store_patient_practice(struct pccs_store *st, const char *ext,
                            pccs_day day, char *practice, size_t n,
                            bool *loaded, struct pccs_err *err)
{
    (void)st;
    (void)ext;
    (void)day;
    (void)practice;
    (void)n;
    (void)loaded;
    return pccs__pg_unsupported(err, "patient-level records");
}
