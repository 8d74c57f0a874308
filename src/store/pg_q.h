/* SPDX-License-Identifier: MIT */
/*
 * More helpers of the PostgreSQL backend, beside pg_int.h's, for the
 * users, audit, booking and patient-level files (pg_users.c,
 * pg_booking.c, pg_phm.c): a statement in a savepoint, and COPY in and
 * out of patient rows. Internal to the store module; include after
 * pg_int.h.
 */
#ifndef PCCS_PG_Q_H
#define PCCS_PG_Q_H

#include "base/buf.h"
#include "store/pg_int.h"

/**
 * pccs__pg_query() inside a savepoint when a transaction is open, so
 * that a statement a constraint refuses (PCCS_ECONFLICT) fails alone, as
 * on SQLite, and the transaction goes on (to keep a booking's answer).
 */
int pccs__pg_query_sp(struct pccs_store *st, const char *sql, int n,
                      const char *const *params, PGresult **out,
                      int64_t *changes, struct pccs_err *err, const char *what);

/** Send b (rows in COPY text format) with copy ("COPY t FROM STDIN");
 *  b is emptied either way. */
int pccs__pg_copy_in(struct pccs_store *st, const char *copy,
                     struct pccs_buf *b, struct pccs_err *err,
                     const char *what);

/*
 * Stream "COPY (query) TO STDOUT" a row at a time: fn gets the row's
 * fields (at most nf, NULL for SQL NULL, unescaped; valid during the
 * call) and returns non-zero to stop, which is then returned. fn must
 * not use the store: the connection is busy with the COPY.
 */
typedef int (*pccs__pg_line_fn)(void *ctx, char **f, int n);
int pccs__pg_copy_out(struct pccs_store *st, const char *copy, int nf,
                      pccs__pg_line_fn fn, void *ctx, struct pccs_err *err,
                      const char *what);

#endif
