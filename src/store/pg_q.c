/* SPDX-License-Identifier: MIT */
/*
 * More helpers of the PostgreSQL backend (pg_q.h): a statement in a
 * savepoint, COPY in and out.
 */
#include "store/pg_int.h" /* first: see there */

#include "store/pg_q.h"

#include <stdlib.h>
#include <string.h>

int
pccs__pg_query_sp(struct pccs_store *st, const char *sql, int n,
                  const char *const *params, PGresult **out, int64_t *changes,
                  struct pccs_err *err, const char *what)
{
    if (!pccs__pg_in_tx(st))
        return pccs__pg_query(st, sql, n, params, out, changes, err, what);
    int rc = pccs__pg_query(st, "SAVEPOINT pccs_stmt", 0, NULL, NULL, NULL, err,
                            what);
    if (rc)
        return rc;
    rc = pccs__pg_query(st, sql, n, params, out, changes, err, what);
    int rc2 = pccs__pg_query(st,
                             rc ? "ROLLBACK TO SAVEPOINT pccs_stmt"
                                : "RELEASE SAVEPOINT pccs_stmt",
                             0, NULL, NULL, NULL, rc ? NULL : err, what);
    if (!rc && rc2 && out) {
        PQclear(*out);
        *out = NULL;
    }
    return rc ? rc : rc2;
}

/* Start COPY (in or out: want) with copy, after the rows waiting. */
static int
copy_start(struct pccs_store *st, const char *copy, ExecStatusType want,
           struct pccs_err *err, const char *what)
{
    int rc = pccs__pg_sync(st, err);
    if (rc)
        return rc;
    PGresult *r = PQexec(pccs__pg_conn(st), copy);
    if (!r || PQresultStatus(r) != want)
        rc = pccs__pg_err(st, r, err, what);
    PQclear(r);
    return rc;
}

/* The results after a COPY: its error, if any, unless rc says one. */
static int
copy_end(struct pccs_store *st, int rc, struct pccs_err *err, const char *what)
{
    PGresult *r;
    while ((r = PQgetResult(pccs__pg_conn(st))) != NULL) {
        if (!rc && PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = pccs__pg_err(st, r, err, what);
        PQclear(r);
    }
    return rc;
}

int
pccs__pg_copy_in(struct pccs_store *st, const char *copy, struct pccs_buf *b,
                 struct pccs_err *err, const char *what)
{
    int rc = copy_start(st, copy, PGRES_COPY_IN, err, what);
    PGconn *c = pccs__pg_conn(st);
    int ok = 1;
    /* Pieces of 1 MiB: PQputCopyData takes an int length. */
    for (size_t off = 0; !rc && ok == 1 && off < b->len; off += 1u << 20) {
        size_t n = b->len - off < (1u << 20) ? b->len - off : (1u << 20);
        ok = PQputCopyData(c, b->p + off, (int)n);
    }
    if (!rc)
        ok = ok == 1 ? PQputCopyEnd(c, NULL)
                     : PQputCopyEnd(c, "cannot send the rows");
    pccs_buf_reset(b);
    if (rc)
        return rc;
    rc = copy_end(st, PCCS_OK, err, what);
    return !rc && ok != 1 ? pccs__pg_err(st, NULL, err, what) : rc;
}

/* Undo COPY text escapes of s in place (\t, \n, \\ ...). */
static void
unescape(char *s)
{
    char *o = s;
    for (; *s; s++) {
        if (*s != '\\' || !s[1]) {
            *o++ = *s;
            continue;
        }
        s++;
        *o++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s;
    }
    *o = '\0';
}

/* Split line (NUL-terminated, no newline) into at most nf fields. */
static int
split(char *line, char **f, int nf)
{
    int n = 0;
    while (n < nf) {
        char *tab = strchr(line, '\t');
        if (tab)
            *tab = '\0';
        f[n] = strcmp(line, "\\N") ? line : NULL;
        if (f[n] && strchr(f[n], '\\'))
            unescape(f[n]);
        n++;
        if (!tab)
            break;
        line = tab + 1;
    }
    return n;
}

int
pccs__pg_copy_out(struct pccs_store *st, const char *copy, int nf,
                  pccs__pg_line_fn fn, void *ctx, struct pccs_err *err,
                  const char *what)
{
    int rc = copy_start(st, copy, PGRES_COPY_OUT, err, what);
    if (rc)
        return rc;
    PGconn *c = pccs__pg_conn(st);
    char *line, *f[16];
    int n, stop = 0;
    if (nf > 16)
        nf = 16;
    /* Each PQgetCopyData gives one whole row, NUL-terminated. */
    while ((n = PQgetCopyData(c, &line, 0)) > 0) {
        if (!stop) {
            if (line[n - 1] == '\n')
                line[n - 1] = '\0';
            stop = fn(ctx, f, split(line, f, nf));
        }
        PQfreemem(line);
    }
    rc = copy_end(st, n == -2 ? pccs__pg_err(st, NULL, err, what) : PCCS_OK,
                  err, what);
    return stop ? stop : rc;
}
