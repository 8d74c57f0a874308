/* SPDX-License-Identifier: MIT */
/*
 * Choosing the backend from the store's name (a path is SQLite, a
 * postgres:// or postgresql:// URL is PostgreSQL) and calling the chosen
 * backend's operations (backend.h) for every function of store.h.
 */
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#include "store/backend.h"
#include "store/pg_url.h"

int
pccs_store_open(struct pccs_store **out, const char *spec, struct pccs_err *err)
{
    *out = NULL;
    if (!spec || !*spec)
        return pccs_err_set(err, PCCS_EINVAL, "no store given");
    if (pccs__pg_url_is(spec))
        return pccs__pg_open(out, spec, err);
    return pccs__sqlite_open(out, spec, err);
}

/* The operations of the backend st (or a writer of it) belongs to. */
static const struct pccs_store_ops *
ops_of(const void *st)
{
    return *(const struct pccs_store_ops *const *)st;
}

#define OPS(st) ops_of(st)

void
pccs_store_free(struct pccs_store *st)
{
    if (st)
        OPS(st)->free(st);
}

bool
pccs_store_readonly(const struct pccs_store *st)
{
    return OPS(st)->readonly(st);
}

int
pccs_store_schema_version(struct pccs_store *st)
{
    return OPS(st)->schema_version(st);
}

int
pccs_store_begin(struct pccs_store *st, struct pccs_err *err)
{
    return OPS(st)->begin(st, err);
}

int
pccs_store_commit(struct pccs_store *st, struct pccs_err *err)
{
    return OPS(st)->commit(st, err);
}

void
pccs_store_rollback(struct pccs_store *st)
{
    OPS(st)->rollback(st);
}

int
pccs_store_bulk(struct pccs_store *st, bool on, struct pccs_err *err)
{
    return OPS(st)->bulk ? OPS(st)->bulk(st, on, err) : PCCS_OK;
}

int
pccs_store_source_find(struct pccs_store *st, const char *sha256,
                       struct pccs_source_info *out, struct pccs_err *err)
{
    return OPS(st)->source_find(st, sha256, out, err);
}

int
pccs_store_source_add(struct pccs_store *st, struct pccs_source_info *s,
                      struct pccs_err *err)
{
    return OPS(st)->source_add(st, s, err);
}

int
pccs_store_source_finish(struct pccs_store *st,
                         const struct pccs_source_info *s, struct pccs_err *err)
{
    return OPS(st)->source_finish(st, s, err);
}

int
pccs_store_sources_each(struct pccs_store *st, pccs_store_source_fn fn,
                        void *ctx, struct pccs_err *err)
{
    return OPS(st)->sources_each(st, fn, ctx, err);
}

int
pccs_store_put_org(struct pccs_store *st, const struct pccs_org_row *o,
                   struct pccs_err *err)
{
    return OPS(st)->put_org(st, o, err);
}

int
pccs_store_put_link(struct pccs_store *st, const struct pccs_link_row *l,
                    struct pccs_err *err)
{
    return OPS(st)->put_link(st, l, err);
}

int
pccs_store_put_fact(struct pccs_store *st, const struct pccs_fact_row *f,
                    struct pccs_err *err)
{
    return OPS(st)->put_fact(st, f, err);
}

int
pccs_store_put_attr(struct pccs_store *st, const struct pccs_attr_row *a,
                    struct pccs_err *err)
{
    return OPS(st)->put_attr(st, a, err);
}

int
pccs_store_put_ref(struct pccs_store *st, const struct pccs_ref_row *r,
                   struct pccs_err *err)
{
    return OPS(st)->put_ref(st, r, err);
}

int
pccs_store_org_get(struct pccs_store *st, const char *code,
                   struct pccs_org_row *out, struct pccs_err *err)
{
    return OPS(st)->org_get(st, code, out, err);
}

int
pccs_store_orgs_each(struct pccs_store *st, pccs_store_org_fn fn, void *ctx,
                     struct pccs_err *err)
{
    return OPS(st)->orgs_each(st, fn, ctx, err);
}

int
pccs_store_links_each(struct pccs_store *st, pccs_store_link_fn fn, void *ctx,
                      struct pccs_err *err)
{
    return OPS(st)->links_each(st, fn, ctx, err);
}

int
pccs_store_org_names_each(struct pccs_store *st, pccs_store_name_fn fn,
                          void *ctx, struct pccs_err *err)
{
    return OPS(st)->org_names_each(st, fn, ctx, err);
}

int
pccs_store_attrs_each(struct pccs_store *st, const char *org,
                      pccs_store_attr_fn fn, void *ctx, struct pccs_err *err)
{
    return OPS(st)->attrs_each(st, org, fn, ctx, err);
}

int
pccs_store_attrs_of_source(struct pccs_store *st, const char *key,
                           int64_t source_id, pccs_store_attr_fn fn, void *ctx,
                           struct pccs_err *err)
{
    return OPS(st)->attrs_of_source(st, key, source_id, fn, ctx, err);
}

int
pccs_store_facts_each(struct pccs_store *st, const char *measure,
                      const char *period, const char *org,
                      pccs_store_fact_fn fn, void *ctx, struct pccs_err *err)
{
    return OPS(st)->facts_each(st, measure, period, org, fn, ctx, err);
}

int
pccs_store_periods_each(struct pccs_store *st, const char *measure,
                        pccs_store_fact_fn fn, void *ctx, struct pccs_err *err)
{
    return OPS(st)->periods_each(st, measure, fn, ctx, err);
}

int
pccs_store_refs_each(struct pccs_store *st, const char *kind,
                     pccs_store_ref_fn fn, void *ctx, struct pccs_err *err)
{
    return OPS(st)->refs_each(st, kind, fn, ctx, err);
}

struct pccs_source_set *
pccs_store_track(struct pccs_store *st, struct pccs_source_set *set)
{
    return OPS(st)->track(st, set);
}

int
pccs_store_source_get(struct pccs_store *st, int64_t id,
                      struct pccs_source_info *out, struct pccs_err *err)
{
    return OPS(st)->source_get(st, id, out, err);
}

int
pccs_store_user_put(struct pccs_store *st, const struct pccs_user_row *u,
                    bool create, struct pccs_err *err)
{
    return OPS(st)->user_put(st, u, create, err);
}

int
pccs_store_user_set_role(struct pccs_store *st, const char *name,
                         const char *role, const char *scope,
                         struct pccs_err *err)
{
    return OPS(st)->user_set_role(st, name, role, scope, err);
}

int
pccs_store_user_set_disabled(struct pccs_store *st, const char *name,
                             bool disabled, struct pccs_err *err)
{
    return OPS(st)->user_set_disabled(st, name, disabled, err);
}

int
pccs_store_user_delete(struct pccs_store *st, const char *name,
                       struct pccs_err *err)
{
    return OPS(st)->user_delete(st, name, err);
}

int
pccs_store_user_state(struct pccs_store *st, const char *name,
                      int64_t *generation, bool *disabled, struct pccs_err *err)
{
    return OPS(st)->user_state(st, name, generation, disabled, err);
}

uint64_t
pccs_store_stamp(struct pccs_store *st)
{
    return OPS(st)->stamp(st);
}

int
pccs_store_users_each(struct pccs_store *st, const char *name,
                      pccs_store_user_fn fn, void *ctx, struct pccs_err *err)
{
    return OPS(st)->users_each(st, name, fn, ctx, err);
}

int
pccs_store_audit(struct pccs_store *st, const char *user, const char *action,
                 const char *detail, struct pccs_err *err)
{
    return OPS(st)->audit(st, user, action, detail, err);
}

int
pccs_store_audit_each(struct pccs_store *st, const struct pccs_audit_filter *f,
                      pccs_store_audit_fn fn, void *ctx, struct pccs_err *err)
{
    return OPS(st)->audit_each(st, f, fn, ctx, err);
}

int
pccs_store_cache_get(struct pccs_store *st, const char *name, char **data,
                     size_t *len, int64_t *generation, struct pccs_err *err)
{
    return OPS(st)->cache_get(st, name, data, len, generation, err);
}

int
pccs_store_cache_put(struct pccs_store *st, const char *name,
                     int64_t generation, const void *data, size_t len,
                     struct pccs_err *err)
{
    return OPS(st)->cache_put(st, name, generation, data, len, err);
}

int
pccs_store_counts(struct pccs_store *st, struct pccs_store_counts *out,
                  struct pccs_err *err)
{
    return OPS(st)->counts(st, out, err);
}

int
pccs_store_phm_writer(struct pccs_store *st, struct pccs_phm_writer **out,
                      struct pccs_err *err)
{
    return OPS(st)->phm_writer(st, out, err);
}

void
pccs_phm_writer_free(struct pccs_phm_writer *w)
{
    if (w)
        OPS(w)->phm_writer_free(w);
}

int
pccs_phm_put_patient(struct pccs_phm_writer *w, struct pccs_patient_row *p,
                     struct pccs_err *err)
{
    return OPS(w)->phm_put_patient(w, p, err);
}

int
pccs_phm_put_registration(struct pccs_phm_writer *w,
                          const struct pccs_registration_row *r,
                          struct pccs_err *err)
{
    return OPS(w)->phm_put_registration(w, r, err);
}

int
pccs_phm_put_event(struct pccs_phm_writer *w, enum pccs_event_kind kind,
                   const struct pccs_event_row *e, struct pccs_err *err)
{
    return OPS(w)->phm_put_event(w, kind, e, err);
}

int
pccs_phm_writer_flush(struct pccs_phm_writer *w, struct pccs_err *err)
{
    return OPS(w)->phm_writer_flush(w, err);
}

int
pccs_store_patients_each(struct pccs_store *st, pccs_store_patient_fn fn,
                         void *ctx, struct pccs_err *err)
{
    return OPS(st)->patients_each(st, fn, ctx, err);
}

int
pccs_store_registrations_each(struct pccs_store *st, const char *practice,
                              pccs_store_registration_fn fn, void *ctx,
                              struct pccs_err *err)
{
    return OPS(st)->registrations_each(st, practice, fn, ctx, err);
}

int
pccs_store_events_each(struct pccs_store *st, enum pccs_event_kind kind,
                       pccs_store_event_fn fn, void *ctx, struct pccs_err *err)
{
    return OPS(st)->events_each(st, kind, fn, ctx, err);
}

int
pccs_store_booking_session_put(struct pccs_store *st,
                               const struct pccs_booking_session_row *s,
                               struct pccs_err *err)
{
    return OPS(st)->booking_session_put(st, s, err);
}

int
pccs_store_slot_put(struct pccs_store *st, const struct pccs_slot_row *s,
                    struct pccs_err *err)
{
    return OPS(st)->slot_put(st, s, err);
}

int
pccs_store_slots_each(struct pccs_store *st,
                      const struct pccs_booking_filter *f,
                      pccs_store_slot_fn fn, void *ctx, struct pccs_err *err)
{
    return OPS(st)->slots_each(st, f, fn, ctx, err);
}

int
pccs_store_appt_book(struct pccs_store *st, const struct pccs_appt_row *a,
                     int64_t *id, struct pccs_err *err)
{
    return OPS(st)->appt_book(st, a, id, err);
}

int
pccs_store_appt_set_status(struct pccs_store *st, int64_t id,
                           const char *status, struct pccs_err *err)
{
    return OPS(st)->appt_set_status(st, id, status, err);
}

int
pccs_store_appts_each(struct pccs_store *st,
                      const struct pccs_booking_filter *f,
                      pccs_store_appt_fn fn, void *ctx, struct pccs_err *err)
{
    return OPS(st)->appts_each(st, f, fn, ctx, err);
}

int
pccs_store_idem_get(struct pccs_store *st, const char *user, const char *key,
                    char *req, size_t n, int *status, int64_t *appt,
                    struct pccs_err *err)
{
    return OPS(st)->idem_get(st, user, key, req, n, status, appt, err);
}

int
pccs_store_idem_put(struct pccs_store *st, const char *user, const char *key,
                    const char *req, int status, int64_t appt,
                    struct pccs_err *err)
{
    return OPS(st)->idem_put(st, user, key, req, status, appt, err);
}

int
pccs_store_slot_withdraw(struct pccs_store *st, int64_t id, bool withdraw,
                         struct pccs_err *err)
{
    return OPS(st)->slot_withdraw(st, id, withdraw, err);
}

int
pccs_store_patient_practice(struct pccs_store *st, const char *ext,
                            pccs_day day, char *practice, size_t n,
                            bool *loaded, struct pccs_err *err)
{
    return OPS(st)->patient_practice(st, ext, day, practice, n, loaded, err);
}

/* ===== Source sets ===== */

void
pccs_source_set_add(struct pccs_source_set *s, int64_t id)
{
    for (size_t i = s->n; i > 0; i--)
        if (s->ids[i - 1] == id)
            return;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->ids = pccs_xreallocarray(s->ids, s->cap, sizeof(*s->ids));
    }
    s->ids[s->n++] = id;
}

void
pccs_source_set_release(struct pccs_source_set *s)
{
    free(s->ids);
    *s = (struct pccs_source_set)PCCS_SOURCE_SET_INIT;
}

const char *
pccs_source_mark(const struct pccs_source_info *s)
{
    if (!s->provenance)
        return "";
    return strcmp(s->provenance, PCCS_PROV_EXAMPLE) ? "SYNTHETIC" : "EXAMPLE";
}
