/* SPDX-License-Identifier: MIT */
/* Slots from the access_sessions register (see booking.h). */
#include "model/booking.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/hmap.h"
#include "base/xalloc.h"
#include "calc/booking.h"
#include "sources/register_defs.h"
#include "sources/sources.h"

enum {
    C_ORG,
    C_SITE,
    C_SERVICE,
    C_DATE,
    C_START,
    C_END,
    C_ROLE,
    C_SLOT,
    C_BOOKABLE,
    C_N
};

static const char *const col_names[C_N] = {
    "session_org_code", "site",         "service",
    "session_date",     "start_time",   "end_time",
    "staff_role",       "slot_minutes", "bookable_by",
};

/* The session of row i as a store row; times checked. */
static int
session_of(const struct pccs_register_data *d, size_t i, const int *col,
           struct pccs_booking_session_row *b, int t[2], struct pccs_err *err)
{
    const char *v[C_N];
    for (int k = 0; k < C_N; k++)
        v[k] = pccs_register_val(d, i, (size_t)col[k]);
    *b = (struct pccs_booking_session_row){
        .key = d->keys[i],
        .org = v[C_ORG],
        .site = v[C_SITE],
        .service = v[C_SERVICE],
        .staff_role = v[C_ROLE],
        .day = v[C_DATE],
        .start_time = v[C_START],
        .end_time = v[C_END],
        .bookable = v[C_BOOKABLE],
        .source_id = d->version,
    };
    char *end;
    long slot = strtol(v[C_SLOT], &end, 10);
    b->slot_minutes = slot;
    if (!pccs_clock_parse(v[C_START], &t[0]) ||
        !pccs_clock_parse(v[C_END], &t[1]) || t[1] <= t[0] || *end || slot <= 0)
        return pccs_err_set(err, PCCS_EINVAL,
                            "access_sessions row %s: start_time and "
                            "end_time must be HH:MM with the end after the "
                            "start (got %s to %s), slot_minutes a whole "
                            "number (got %s)",
                            d->keys[i], v[C_START], v[C_END], v[C_SLOT]);
    return PCCS_OK;
}

/* ===== Sessions to slots, and slots no session makes any more ===== */

/*
 * A slot is known by what it offers: organisation, site, service, staff
 * role, who may book it, start and end. A new version of the register
 * (a file loaded again gives every row a new key) that still offers a
 * slot keeps the slot, its id and its booking; one no session offers
 * any more is withdrawn.
 */
struct old_slot {
    int64_t id;
    bool held, withdrawn;
};

struct sync {
    struct pccs_store *st;
    struct pccs_hmap idents; /* slot identity -> index into old */
    struct old_slot *old;
    size_t nold, cap;
    int64_t made;
};

static void
ident(struct pccs_buf *b, const char *org, const char *site,
      const char *service, const char *role, const char *bookable,
      const char *start, const char *end)
{
    pccs_buf_reset(b);
    pccs_buf_addf(b, "%s|%s|%s|%s|%s|%.19s|%.19s", org, site, service, role,
                  bookable, start, end);
}

static int
old_row(void *ctx, const struct pccs_slot_row *s)
{
    struct sync *y = ctx;
    struct pccs_buf b = PCCS_BUF_INIT;
    ident(&b, s->org, s->site, s->service, s->staff_role, s->bookable, s->start,
          s->end);
    bool created;
    struct pccs_hmap_entry *e = pccs_hmap_put(&y->idents, b.p, b.len, &created);
    pccs_buf_release(&b);
    if (!created && y->old[e->ival].withdrawn) /* prefer the live one */
        y->old[e->ival].id = s->id;
    if (!created)
        return 0;
    y->old = pccs_xgrow(y->old, &y->cap, y->nold + 1, sizeof(*y->old));
    y->old[y->nold] = (struct old_slot){
        .id = s->id, .withdrawn = !strcmp(s->status, "entered-in-error")};
    e->ival = (int64_t)y->nold++;
    return 0;
}

/* The slots of session b (from t[0] to t[1] minutes after midnight):
 * kept when there already, else made. */
static int
put_slots(struct sync *y, const struct pccs_booking_session_row *b,
          const int t[2], struct pccs_err *err)
{
    int n = pccs_slots_in(t[0], t[1], (int)b->slot_minutes);
    int rc = PCCS_OK;
    struct pccs_buf id = PCCS_BUF_INIT;
    for (int k = 0; k < n && !rc; k++) {
        int s = t[0] + k * (int)b->slot_minutes;
        int e = s + (int)b->slot_minutes;
        char start[48], end[48];
        snprintf(start, sizeof(start), "%.10sT%02d:%02d:00", b->day, s / 60,
                 s % 60);
        snprintf(end, sizeof(end), "%.10sT%02d:%02d:00", b->day, e / 60,
                 e % 60);
        ident(&id, b->org, b->site, b->service, b->staff_role, b->bookable,
              start, end);
        struct pccs_hmap_entry *h = pccs_hmap_get(&y->idents, id.p, id.len);
        if (h) {
            y->old[h->ival].held = true;
            continue;
        }
        struct pccs_slot_row r = {.session_key = b->key,
                                  .org = b->org,
                                  .start = start,
                                  .end = end,
                                  .minutes = b->slot_minutes};
        rc = pccs_store_slot_put(y->st, &r, err);
        y->made++;
    }
    pccs_buf_release(&id);
    return rc;
}

/* Withdraw the slots no session offers now (free ones leave the search;
 * booked ones stay booked, listed for the hub to rebook); give back the
 * withdrawn ones a session offers again. */
static int
withdraw_gone(struct sync *y, struct pccs_err *err)
{
    int rc = PCCS_OK;
    for (size_t i = 0; !rc && i < y->nold; i++)
        if (y->old[i].held == y->old[i].withdrawn)
            rc = pccs_store_slot_withdraw(y->st, y->old[i].id, !y->old[i].held,
                                          err);
    return rc;
}

/* Each row's session, written; its times into t (2 per row). */
static int
put_sessions(struct pccs_store *st, const struct pccs_register_data *d,
             const int *col, struct pccs_booking_session_row *b,
             char (*key)[40], int *t, struct pccs_err *err)
{
    int rc = PCCS_OK;
    for (size_t i = 0; !rc && i < d->n; i++) {
        rc = session_of(d, i, col, &b[i], &t[2 * i], err);
        /* The slot length is part of the key: a session cut into other
         * lengths makes new slots, beside the old ones withdrawn. */
        snprintf(key[i], sizeof(key[i]), "%s-%lld", d->keys[i],
                 (long long)b[i].slot_minutes);
        b[i].key = key[i];
        if (!rc)
            rc = pccs_store_booking_session_put(st, &b[i], err);
    }
    return rc;
}

static int
sync_rows(struct pccs_store *st, const struct pccs_register_data *d,
          int64_t *made, struct pccs_err *err)
{
    int col[C_N];
    for (int k = 0; k < C_N; k++) {
        col[k] = pccs_reg_col_index(d->def, col_names[k]);
        PCCS_ASSERT(col[k] >= 0);
    }
    struct sync y = {.st = st, .idents = PCCS_HMAP_INIT};
    struct pccs_booking_session_row *b = pccs_xcalloc(d->n + 1, sizeof(*b));
    char(*key)[40] = pccs_xcalloc(d->n + 1, sizeof(*key));
    int *t = pccs_xcalloc(2 * d->n + 2, sizeof(*t));
    int rc = pccs_store_begin(st, err);
    if (!rc)
        rc = put_sessions(st, d, col, b, key, t, err);
    if (!rc)
        rc = pccs_store_slots_each(st, NULL, old_row, &y, err);
    for (size_t i = 0; !rc && i < d->n; i++)
        rc = put_slots(&y, &b[i], &t[2 * i], err);
    if (!rc)
        rc = withdraw_gone(&y, err);
    *made = y.made;
    pccs_hmap_release(&y.idents);
    free(y.old);
    free(b);
    free(key);
    free(t);
    if (!rc)
        return pccs_store_commit(st, err);
    pccs_store_rollback(st);
    return rc;
}

int
pccs_booking_sync(struct pccs_store *st, int64_t *made, struct pccs_err *err)
{
    int64_t n = 0;
    struct pccs_register_data d = {0};
    int rc = pccs_register_read(st, "access_sessions", NULL, &d, NULL, err);
    if (rc == PCCS_ENOTFOUND) {
        pccs_err_clear(err);
        rc = PCCS_OK;
    }
    else if (!rc)
        rc = sync_rows(st, &d, &n, err);
    pccs_register_data_release(&d);
    if (made)
        *made = n;
    return rc;
}

void
pccs_booking_instant(const char *local, char out[40])
{
    pccs_day d;
    int m = 0;
    if (strlen(local) < 16 ||
        pccs_date_parse((struct pccs_str){.p = local, .len = 10}, &d) ||
        !pccs_clock_parse(
            (char[6]){local[11], local[12], ':', local[14], local[15], 0},
            &m)) {
        snprintf(out, 40, "%s", local);
        return;
    }
    int off = pccs_uk_offset(d, m);
    snprintf(out, 40, "%.19s+%02d:00", local, off / 60);
}
