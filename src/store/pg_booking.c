/* SPDX-License-Identifier: MIT */
/*
 * Direct booking in the PostgreSQL store (store.h, "Direct booking"):
 * sessions, slots, appointments and idempotency keys, the rules of
 * sqlite.c. No double booking whatever the concurrency: the booking
 * turns the slot busy with "UPDATE ... WHERE status = 'free'", which a
 * second booker of the same slot waits on (the row lock) and then finds
 * busy, so it gets PCCS_ECONFLICT (409) like the SQLite store's; and the
 * partial unique index appointments_one_per_slot refuses a second
 * appointment in a slot should anything race past that. Statements a
 * constraint may refuse run in a savepoint, so a refusal fails that
 * statement only and the transaction goes on to keep its answer.
 */
#include <stdio.h>
#include <string.h>

#include "store/pg_int.h" /* first: see there */

#include "store/pg_q.h"

#define PG_NOW_MS                                                              \
    "to_char(clock_timestamp() AT TIME ZONE 'UTC', "                           \
    "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

int
pccs__pg_booking_session_put(struct pccs_store *st,
                             const struct pccs_booking_session_row *b,
                             struct pccs_err *err)
{
    char mins[24], src[24];
    snprintf(mins, sizeof(mins), "%lld", (long long)b->slot_minutes);
    snprintf(src, sizeof(src), "%lld", (long long)b->source_id);
    const char *p[] = {
        b->key, b->org,        b->site,     b->service, b->staff_role,
        b->day, b->start_time, b->end_time, mins,       b->bookable,
        src};
    return pccs__pg_query_sp(
        st,
        "INSERT INTO booking_sessions VALUES ($1, $2, $3, $4, $5, $6, $7, "
        "$8, $9, $10, $11) ON CONFLICT (key) DO UPDATE SET org = "
        "excluded.org, site = excluded.site, service = excluded.service, "
        "staff_role = excluded.staff_role, day = excluded.day, start_time = "
        "excluded.start_time, end_time = excluded.end_time, slot_minutes = "
        "excluded.slot_minutes, bookable = excluded.bookable, source_id = "
        "excluded.source_id",
        11, p, NULL, NULL, err, "cannot write a booking session");
}

int
pccs__pg_slot_put(struct pccs_store *st, const struct pccs_slot_row *s,
                  struct pccs_err *err)
{
    char mins[24];
    snprintf(mins, sizeof(mins), "%lld", (long long)s->minutes);
    const char *p[] = {s->session_key, s->org, s->start, s->end, mins};
    return pccs__pg_query_sp(
        st,
        "INSERT INTO slots (session_key, org, start, \"end\", "
        "minutes) VALUES ($1, $2, $3, $4, $5) ON CONFLICT "
        "(session_key, start) DO NOTHING",
        5, p, NULL, NULL, err, "cannot write a slot");
}

/* A booking filter as the parameters $1..$7 (id as text in buf). */
static void
filter_params(const struct pccs_booking_filter *f, const char **p, char *buf,
              size_t n)
{
    p[0] = NULL;
    if (f && f->id) {
        snprintf(buf, n, "%lld", (long long)f->id);
        p[0] = buf;
    }
    p[1] = f ? f->org : NULL;
    p[2] = f ? f->from : NULL;
    p[3] = f ? f->to : NULL;
    p[4] = f ? f->status : NULL;
    p[5] = f ? f->practice : NULL;
    p[6] = f ? f->nhs_number : NULL;
}

/* Text comparisons byte by byte, as SQLite's. */
#define FILTER_SQL(id, org, start, status)                                     \
    "($1::bigint IS NULL OR " id " = $1) AND ($2::text IS NULL OR " org        \
    " = $2) AND ($3::text IS NULL OR " start " >= $3 COLLATE \"C\") AND "      \
    "($4::text IS NULL OR " start " <= $4 COLLATE \"C\") AND ($5::text IS "    \
    "NULL OR " status " = $5)"

/* A reader's callback and its context, for pccs__pg_each's rows. */
struct each {
    union {
        pccs_store_slot_fn slot;
        pccs_store_appt_fn appt;
    } fn;
    void *ctx;
};

static int
slot_row(void *ctx, const PGresult *r, int i)
{
    const struct each *e = ctx;
    const struct pccs_slot_row o = {
        .id = pccs__pg_int(r, i, 0),
        .session_key = pccs__pg_text(r, i, 1),
        .org = pccs__pg_text(r, i, 2),
        .start = pccs__pg_text(r, i, 3),
        .end = pccs__pg_text(r, i, 4),
        .minutes = pccs__pg_int(r, i, 5),
        .status = pccs__pg_text(r, i, 6),
        .site = pccs__pg_text(r, i, 7),
        .service = pccs__pg_text(r, i, 8),
        .staff_role = pccs__pg_text(r, i, 9),
        .bookable = pccs__pg_text(r, i, 10),
    };
    return e->fn.slot(e->ctx, &o);
}

int
pccs__pg_slots_each(struct pccs_store *st, const struct pccs_booking_filter *f,
                    pccs_store_slot_fn fn, void *ctx, struct pccs_err *err)
{
    const char *p[7];
    char id[24];
    filter_params(f, p, id, sizeof(id));
    struct each e = {.fn.slot = fn, .ctx = ctx};
    return pccs__pg_each(
        st,
        "SELECT s.id, s.session_key, s.org, s.start, s.\"end\", s.minutes, "
        "s.status, b.site, b.service, b.staff_role, b.bookable FROM slots s "
        "JOIN booking_sessions b ON b.key = s.session_key WHERE $6::text IS "
        "NULL AND $7::text IS NULL AND " FILTER_SQL(
            "s.id", "s.org", "s.start", "s.status") " ORDER BY s.start "
                                                    "COLLATE \"C\", s.id",
        7, p, slot_row, &e, err, "cannot read slots");
}

/* Why slot id could not be booked: there is none, or it is not free. */
static int
slot_taken(struct pccs_store *st, const char *id, struct pccs_err *err)
{
    const char *p[] = {id};
    PGresult *r;
    int rc = pccs__pg_query(st, "SELECT status FROM slots WHERE id = $1", 1, p,
                            &r, NULL, err, "cannot read slots");
    if (rc)
        return rc;
    rc = PQntuples(r) ? pccs_err_set(err, PCCS_ECONFLICT,
                                     "slot %s is already booked (%s)", id,
                                     PQgetvalue(r, 0, 0))
                      : pccs_err_set(err, PCCS_ENOTFOUND, "no slot %s", id);
    PQclear(r);
    return rc;
}

int
pccs__pg_appt_book(struct pccs_store *st, const struct pccs_appt_row *a,
                   int64_t *id, struct pccs_err *err)
{
    PCCS_ASSERT(pccs__pg_in_tx(st));
    char slot[24];
    snprintf(slot, sizeof(slot), "%lld", (long long)a->slot_id);
    const char *p[] = {slot, a->nhs_number, a->practice, a->booked_by};
    PGresult *r;
    int64_t changed = 0;
    int rc = pccs__pg_query(st,
                            "UPDATE slots SET status = 'busy' WHERE id = $1 "
                            "AND status = 'free'",
                            1, p, NULL, &changed, err, "cannot book the slot");
    if (rc)
        return rc;
    if (!changed)
        return slot_taken(st, slot, err);
    rc = pccs__pg_query_sp(
        st,
        "INSERT INTO appointments (slot_id, nhs_number, "
        "practice, status, booked_by, created_at, updated_at) "
        "VALUES ($1, $2, $3, 'booked', $4, " PG_NOW_MS ", " PG_NOW_MS
        ") RETURNING id",
        4, p, &r, NULL, err, "cannot add the appointment");
    if (rc == PCCS_ECONFLICT)
        return pccs_err_set(err, PCCS_ECONFLICT, "slot %s is already booked",
                            slot);
    if (rc)
        return rc;
    *id = pccs__pg_int(r, 0, 0);
    PQclear(r);
    return PCCS_OK;
}

int
pccs__pg_appt_set_status(struct pccs_store *st, int64_t id, const char *status,
                         struct pccs_err *err)
{
    PCCS_ASSERT(pccs__pg_in_tx(st));
    char ids[24];
    snprintf(ids, sizeof(ids), "%lld", (long long)id);
    const char *p[] = {ids, status};
    PGresult *r;
    int rc =
        pccs__pg_query(st,
                       "UPDATE appointments SET status = $2, updated_at = "
                       "" PG_NOW_MS " WHERE id = $1 AND status = 'booked' "
                       "RETURNING slot_id",
                       2, p, &r, NULL, err, "cannot change the appointment");
    if (rc)
        return rc;
    int changed = PQntuples(r);
    char slot[24];
    snprintf(slot, sizeof(slot), "%s", changed ? PQgetvalue(r, 0, 0) : "0");
    PQclear(r);
    if (!changed) {
        rc = pccs__pg_query(st, "SELECT 1 FROM appointments WHERE id = $1", 1,
                            p, &r, NULL, err, "cannot read appointments");
        if (rc)
            return rc;
        int there = PQntuples(r);
        PQclear(r);
        return there ? pccs_err_set(err, PCCS_ECONFLICT,
                                    "appointment %s is no longer booked", ids)
                     : pccs_err_set(err, PCCS_ENOTFOUND, "no appointment %s",
                                    ids);
    }
    if (strcmp(status, "cancelled"))
        return PCCS_OK;
    const char *q[] = {slot};
    return pccs__pg_query(st,
                          "UPDATE slots SET status = 'free' WHERE id = $1 "
                          "AND status = 'busy'",
                          1, q, NULL, NULL, err, "cannot free the slot");
}

static int
appt_row(void *ctx, const PGresult *r, int i)
{
    const struct each *e = ctx;
    const struct pccs_appt_row o = {
        .id = pccs__pg_int(r, i, 0),
        .slot_id = pccs__pg_int(r, i, 1),
        .nhs_number = pccs__pg_text(r, i, 2),
        .practice = pccs__pg_text(r, i, 3),
        .status = pccs__pg_text(r, i, 4),
        .booked_by = pccs__pg_text(r, i, 5),
        .created_at = pccs__pg_text(r, i, 6),
        .updated_at = pccs__pg_text(r, i, 7),
        .org = pccs__pg_text(r, i, 8),
        .start = pccs__pg_text(r, i, 9),
        .end = pccs__pg_text(r, i, 10),
        .minutes = pccs__pg_int(r, i, 11),
    };
    /* No callback: count into ctx (an int), as sqlite.c does. */
    if (!e->fn.appt) {
        (*(int *)e->ctx)++;
        return 0;
    }
    return e->fn.appt(e->ctx, &o);
}

int
pccs__pg_appts_each(struct pccs_store *st, const struct pccs_booking_filter *f,
                    pccs_store_appt_fn fn, void *ctx, struct pccs_err *err)
{
    const char *p[7];
    char id[24];
    filter_params(f, p, id, sizeof(id));
    struct each e = {.fn.appt = fn, .ctx = ctx};
    return pccs__pg_each(
        st,
        "SELECT a.id, a.slot_id, a.nhs_number, a.practice, a.status, "
        "a.booked_by, a.created_at, a.updated_at, s.org, s.start, s.\"end\", "
        "s.minutes FROM appointments a JOIN slots s ON s.id = a.slot_id "
        "WHERE " FILTER_SQL("a.id", "s.org", "s.start",
                            "a.status") " AND ($6::text IS NULL OR "
                                        "a.practice = $6) AND ($7::text IS "
                                        "NULL OR a.nhs_number = $7) ORDER BY "
                                        "a.id",
        7, p, appt_row, &e, err, "cannot read appointments");
}

int
pccs__pg_idem_get(struct pccs_store *st, const char *user, const char *key,
                  char *req, size_t n, int *status, int64_t *appt,
                  struct pccs_err *err)
{
    const char *p[] = {user, key};
    PGresult *r;
    int rc =
        pccs__pg_query(st,
                       "SELECT request, status, appointment_id FROM "
                       "idempotency WHERE \"user\" = $1 AND key = $2",
                       2, p, &r, NULL, err, "cannot read idempotency keys");
    if (rc)
        return rc;
    if (PQntuples(r)) {
        snprintf(req, n, "%s", PQgetvalue(r, 0, 0));
        *status = (int)pccs__pg_int(r, 0, 1);
        *appt = pccs__pg_int(r, 0, 2);
    }
    else
        rc = pccs_err_set(err, PCCS_ENOTFOUND, "no such key");
    PQclear(r);
    return rc;
}

int
pccs__pg_idem_put(struct pccs_store *st, const char *user, const char *key,
                  const char *req, int status, int64_t appt,
                  struct pccs_err *err)
{
    char s[16], a[24];
    snprintf(s, sizeof(s), "%d", status);
    snprintf(a, sizeof(a), "%lld", (long long)appt);
    const char *p[] = {user, key, req, s, appt ? a : NULL};
    return pccs__pg_query_sp(
        st,
        "INSERT INTO idempotency VALUES ($1, $2, $3, $4, $5, "
        "" PG_NOW_MS ")",
        5, p, NULL, NULL, err, "cannot keep the idempotency key");
}

int
pccs__pg_slot_withdraw(struct pccs_store *st, int64_t id, bool withdraw,
                       struct pccs_err *err)
{
    PCCS_ASSERT(pccs__pg_in_tx(st));
    char ids[24];
    const char *p[] = {pccs__pg_fmt_int(ids, id)};
    return pccs__pg_query(
        st,
        withdraw ? "UPDATE slots SET status = 'entered-in-error' WHERE id = "
                   "$1 AND status <> 'entered-in-error' AND NOT EXISTS "
                   "(SELECT 1 FROM appointments WHERE slot_id = $1 AND "
                   "status IN ('fulfilled', 'noshow'))"
                 : "UPDATE slots SET status = CASE WHEN EXISTS (SELECT 1 "
                   "FROM appointments WHERE slot_id = $1 AND status <> "
                   "'cancelled') THEN 'busy' ELSE 'free' END WHERE id = $1 "
                   "AND status = 'entered-in-error'",
        1, p, NULL, NULL, err, "cannot withdraw a slot");
}
