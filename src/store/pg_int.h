/* SPDX-License-Identifier: MIT */
/*
 * The PostgreSQL backend's files (pg.c and pg_*.c): what they share.
 *
 * Include this header FIRST in every pg_*.c: it maps store.h's public
 * names to pccs__pg_* (pg_names.h) before store.h is read, so each file
 * defines its part of store.h under the backend's names, and pg.c's
 * operations table (pccs__pg_ops) points at them.
 *
 * Every statement goes through the helpers below: they send the facts
 * waiting for COPY first (one connection cannot run a statement while a
 * COPY is open), prepare each distinct SQL text once per connection and
 * map the server's errors to PCCS_E* codes with a message naming what
 * was being done. Parameters and results are text; dates are ISO text
 * (YYYY-MM-DD) as in the SQLite store; text columns are COLLATE "C" so
 * ORDER BY matches SQLite's byte order.
 *
 * Schema: pg.c's migrations array (append a migration at its END, like
 * sqlite.c's); a table whose rows a cached tree is built from must move
 * the generation on (pccs__pg_touch in a transaction).
 */
#ifndef PCCS_PG_INT_H
#define PCCS_PG_INT_H

#include "store/pg_names.h" /* first: see above */

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/backend.h"
#include "store/store.h"

/** The PostgreSQL backend's operations (backend.h). */
extern const struct pccs_store_ops pccs__pg_ops;

/** The connection (borrowed). */
PGconn *pccs__pg_conn(struct pccs_store *st);
/** Is a transaction open (pccs_store_begin)? */
bool pccs__pg_in_tx(const struct pccs_store *st);
/** PCCS_OK, or PCCS_EIO naming the store when it is read-only. */
int pccs__pg_writable(struct pccs_store *st, struct pccs_err *err);
/** Rows the tree is built from were written: move the generation on. */
int pccs__pg_touch(struct pccs_store *st, struct pccs_err *err);

/** Send the rows waiting for COPY (the helpers below do it first). */
int pccs__pg_sync(struct pccs_store *st, struct pccs_err *err);
/** Run sql: no parameters, one or more statements. */
int pccs__pg_exec(struct pccs_store *st, const char *sql, struct pccs_err *err);
/**
 * Run sql (a prepared statement kept for the connection, by its text)
 * with n text parameters $1..$n (NULL: SQL NULL). *out, when out is not
 * NULL, is the result (owned: PQclear it); *changes, when not NULL, the
 * number of rows it changed. what names the action in an error.
 */
int pccs__pg_query(struct pccs_store *st, const char *sql, int n,
                   const char *const *params, PGresult **out, int64_t *changes,
                   struct pccs_err *err, const char *what);
/**
 * Each row of sql (as pccs__pg_query) to fn(ctx, result, row), until fn
 * returns non-zero: that is the result. Rows are fetched whole before
 * the first call, so fn may call the store again.
 */
typedef int (*pccs__pg_row_fn)(void *ctx, const PGresult *r, int row);
int pccs__pg_each(struct pccs_store *st, const char *sql, int n,
                  const char *const *params, pccs__pg_row_fn fn, void *ctx,
                  struct pccs_err *err, const char *what);
/**
 * The PCCS_E* code for failed result r (NULL: the connection's error):
 * a unique violation, serialization failure or deadlock is
 * PCCS_ECONFLICT, anything else PCCS_EDB; err says "store: what: " and
 * the server's message (or that the connection to the server was lost).
 */
int pccs__pg_err(struct pccs_store *st, const PGresult *r, struct pccs_err *err,
                 const char *what);
/** PCCS_EUNSUPPORTED: what is not built for PostgreSQL yet. */
int pccs__pg_unsupported(struct pccs_err *err, const char *what);

/* Columns of row of r: text (NULL when SQL NULL), integer, double, day. */
const char *pccs__pg_text(const PGresult *r, int row, int col);
int64_t pccs__pg_int(const PGresult *r, int row, int col);
double pccs__pg_double(const PGresult *r, int row, int col);
pccs_day pccs__pg_day(const PGresult *r, int row, int col);

/* Parameters as text, into buf (returned; day NONE gives NULL). */
const char *pccs__pg_fmt_int(char buf[24], int64_t v);
const char *pccs__pg_fmt_day(char buf[16], pccs_day d);
/** A double exactly ("%.17g"), as PostgreSQL reads it back bit for bit. */
const char *pccs__pg_fmt_double(char buf[32], double v);

#endif
