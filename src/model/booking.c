/* SPDX-License-Identifier: MIT */
/* Slots from the access_sessions register (see booking.h). */
#include "model/booking.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The slots of session b (from t[0] to t[1] minutes after midnight). */
static int
put_slots(struct pccs_store *st, const struct pccs_booking_session_row *b,
          const int t[2], int64_t *made, struct pccs_err *err)
{
    int n = pccs_slots_in(t[0], t[1], (int)b->slot_minutes);
    int rc = PCCS_OK;
    for (int k = 0; k < n && !rc; k++) {
        int s = t[0] + k * (int)b->slot_minutes;
        int e = s + (int)b->slot_minutes;
        char start[48], end[48];
        snprintf(start, sizeof(start), "%.10sT%02d:%02d:00", b->day, s / 60,
                 s % 60);
        snprintf(end, sizeof(end), "%.10sT%02d:%02d:00", b->day, e / 60,
                 e % 60);
        struct pccs_slot_row r = {.session_key = b->key,
                                  .org = b->org,
                                  .start = start,
                                  .end = end,
                                  .minutes = b->slot_minutes};
        rc = pccs_store_slot_put(st, &r, err);
        (*made)++;
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
    int rc = pccs_store_begin(st, err);
    for (size_t i = 0; !rc && i < d->n; i++) {
        struct pccs_booking_session_row b;
        int t[2];
        rc = session_of(d, i, col, &b, t, err);
        if (!rc)
            rc = pccs_store_booking_session_put(st, &b, err);
        if (!rc)
            rc = put_slots(st, &b, t, made, err);
    }
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
