/* SPDX-License-Identifier: MIT */
/*
 * Patient-level records in the SQLite store (store.h, "Patient-level
 * records"): the tables of migration 9. A writer keeps its prepared
 * statements for the length of a load; reads are full scans in rowid
 * order, or one practice's registrations through its index.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "store/sqlite.h"
#include "store/store.h"

enum { W_PATIENT, W_REG, W_EVENT, W_MED, W_N };

static const char *const writer_sql[W_N] = {
    [W_PATIENT] = "INSERT INTO patients (ext, sex, birth, death, source_id) "
                  "VALUES (?1, ?2, ?3, ?4, ?5)",
    [W_REG] = "INSERT INTO patient_regs (patient, practice, start_day, "
              "end_day, source_id) VALUES (?1, ?2, ?3, ?4, ?5)",
    [W_EVENT] = "INSERT INTO clinical_events (patient, code, day, value, "
                "source_id) VALUES (?1, ?2, ?3, ?4, ?5)",
    [W_MED] = "INSERT INTO medications (patient, code, day, source_id) "
              "VALUES (?1, ?2, ?3, ?4)",
};

struct pccs_phm_writer {
    sqlite3 *db;
    sqlite3_stmt *s[W_N];
};

static int
phm_err(sqlite3 *db, struct pccs_err *err, const char *what)
{
    return pccs_err_set(err, PCCS_EDB, "store: %s: %s", what,
                        sqlite3_errmsg(db));
}

int
pccs_store_phm_writer(struct pccs_store *st, struct pccs_phm_writer **out,
                      struct pccs_err *err)
{
    struct pccs_phm_writer *w = pccs_xcalloc(1, sizeof(*w));
    w->db = pccs__sqlite_db(st);
    for (int i = 0; i < W_N; i++) {
        if (sqlite3_prepare_v3(w->db, writer_sql[i], -1,
                               SQLITE_PREPARE_PERSISTENT, &w->s[i],
                               NULL) != SQLITE_OK) {
            int rc = phm_err(w->db, err, "cannot prepare a statement");
            pccs_phm_writer_free(w);
            *out = NULL;
            return rc;
        }
    }
    *out = w;
    return PCCS_OK;
}

void
pccs_phm_writer_free(struct pccs_phm_writer *w)
{
    if (!w)
        return;
    for (int i = 0; i < W_N; i++)
        sqlite3_finalize(w->s[i]);
    free(w);
}

static void
bind_day(sqlite3_stmt *s, int i, pccs_day d)
{
    if (d == PCCS_DAY_NONE)
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_int(s, i, d);
}

static int
step_done(struct pccs_phm_writer *w, sqlite3_stmt *s, struct pccs_err *err)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return PCCS_OK;
    if (rc == SQLITE_CONSTRAINT)
        return pccs_err_set(err, PCCS_ECONFLICT, "store: %s",
                            sqlite3_errmsg(w->db));
    return phm_err(w->db, err, "cannot write a patient row");
}

int
pccs_phm_put_patient(struct pccs_phm_writer *w, struct pccs_patient_row *p,
                     struct pccs_err *err)
{
    sqlite3_stmt *s = w->s[W_PATIENT];
    sqlite3_bind_text(s, 1, p->ext, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, p->sex, -1, SQLITE_STATIC);
    bind_day(s, 3, p->birth);
    bind_day(s, 4, p->death);
    sqlite3_bind_int64(s, 5, p->source_id);
    int rc = step_done(w, s, err);
    if (!rc)
        p->id = sqlite3_last_insert_rowid(w->db);
    return rc;
}

int
pccs_phm_put_registration(struct pccs_phm_writer *w,
                          const struct pccs_registration_row *r,
                          struct pccs_err *err)
{
    sqlite3_stmt *s = w->s[W_REG];
    sqlite3_bind_int64(s, 1, r->patient);
    sqlite3_bind_text(s, 2, r->practice, -1, SQLITE_TRANSIENT);
    bind_day(s, 3, r->start);
    bind_day(s, 4, r->end);
    sqlite3_bind_int64(s, 5, r->source_id);
    return step_done(w, s, err);
}

int
pccs_phm_put_event(struct pccs_phm_writer *w, enum pccs_event_kind kind,
                   const struct pccs_event_row *e, struct pccs_err *err)
{
    sqlite3_stmt *s = w->s[kind == PCCS_EVENT_CLINICAL ? W_EVENT : W_MED];
    sqlite3_bind_int64(s, 1, e->patient);
    sqlite3_bind_int64(s, 2, e->code);
    sqlite3_bind_int(s, 3, e->day);
    if (kind == PCCS_EVENT_CLINICAL) {
        if (e->has_value)
            sqlite3_bind_double(s, 4, e->value);
        else
            sqlite3_bind_null(s, 4);
        sqlite3_bind_int64(s, 5, e->source_id);
    }
    else {
        sqlite3_bind_int64(s, 4, e->source_id);
    }
    return step_done(w, s, err);
}

static pccs_day
col_day(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL
               ? PCCS_DAY_NONE
               : (pccs_day)sqlite3_column_int(s, i);
}

/* Any callback type, cast back by the row reader. */
typedef void (*anyfn)(void);

/* Prepare sql; run cb on each row until it returns non-zero. */
static int
scan(struct pccs_store *st, const char *sql, const char *practice,
     int (*row)(sqlite3_stmt *s, anyfn fn, void *ctx), anyfn fn, void *ctx,
     struct pccs_err *err)
{
    sqlite3 *db = pccs__sqlite_db(st);
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return phm_err(db, err, "cannot read patient rows");
    if (practice)
        sqlite3_bind_text(s, 1, practice, -1, SQLITE_STATIC);
    int rc = 0, sr;
    while (!rc && (sr = sqlite3_step(s)) == SQLITE_ROW)
        rc = row(s, fn, ctx);
    if (!rc && sr != SQLITE_DONE)
        rc = phm_err(db, err, "cannot read patient rows");
    sqlite3_finalize(s);
    return rc;
}

static int
patient_row(sqlite3_stmt *s, anyfn fn, void *ctx)
{
    struct pccs_patient_row p = {
        .id = sqlite3_column_int64(s, 0),
        .ext = (const char *)sqlite3_column_text(s, 1),
        .sex = (const char *)sqlite3_column_text(s, 2),
        .birth = col_day(s, 3),
        .death = col_day(s, 4),
        .source_id = sqlite3_column_int64(s, 5),
    };
    return ((pccs_store_patient_fn)fn)(ctx, &p);
}

int
pccs_store_patients_each(struct pccs_store *st, pccs_store_patient_fn fn,
                         void *ctx, struct pccs_err *err)
{
    return scan(st,
                "SELECT id, ext, sex, birth, death, source_id FROM patients "
                "ORDER BY id",
                NULL, patient_row, (anyfn)fn, ctx, err);
}

static int
reg_row(sqlite3_stmt *s, anyfn fn, void *ctx)
{
    struct pccs_registration_row r = {
        .patient = sqlite3_column_int64(s, 0),
        .practice = (const char *)sqlite3_column_text(s, 1),
        .start = col_day(s, 2),
        .end = col_day(s, 3),
        .source_id = sqlite3_column_int64(s, 4),
    };
    return ((pccs_store_registration_fn)fn)(ctx, &r);
}

int
pccs_store_registrations_each(struct pccs_store *st, const char *practice,
                              pccs_store_registration_fn fn, void *ctx,
                              struct pccs_err *err)
{
    return scan(st,
                practice ? "SELECT patient, practice, start_day, end_day, "
                           "source_id FROM patient_regs WHERE practice = ?1 "
                           "ORDER BY patient"
                         : "SELECT patient, practice, start_day, end_day, "
                           "source_id FROM patient_regs",
                practice, reg_row, (anyfn)fn, ctx, err);
}

static int
event_row(sqlite3_stmt *s, anyfn fn, void *ctx)
{
    struct pccs_event_row e = {
        .patient = sqlite3_column_int64(s, 0),
        .code = sqlite3_column_int64(s, 1),
        .day = (pccs_day)sqlite3_column_int(s, 2),
        .has_value = sqlite3_column_type(s, 3) != SQLITE_NULL,
        .value = sqlite3_column_double(s, 3),
        .source_id = sqlite3_column_int64(s, 4),
    };
    return ((pccs_store_event_fn)fn)(ctx, &e);
}

int
pccs_store_events_each(struct pccs_store *st, enum pccs_event_kind kind,
                       pccs_store_event_fn fn, void *ctx, struct pccs_err *err)
{
    return scan(st,
                kind == PCCS_EVENT_CLINICAL
                    ? "SELECT patient, code, day, value, source_id FROM "
                      "clinical_events"
                    : "SELECT patient, code, day, NULL, source_id FROM "
                      "medications",
                NULL, event_row, (anyfn)fn, ctx, err);
}
