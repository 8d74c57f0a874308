/* SPDX-License-Identifier: MIT */
/*
 * Accounts and the audit log in the PostgreSQL store (store.h,
 * "Accounts"): the tables users and audit of the PostgreSQL schema, the
 * same rules as sqlite.c. An audit line that cannot be written is an
 * error the caller refuses on (fail closed): nothing here swallows one.
 * Times are ISO 8601 UTC text, as in the SQLite store, so both backends
 * print them alike.
 */
#include <stdio.h>
#include <string.h>

#include "store/pg_int.h" /* first: see there */

#include "store/pg_q.h"

/* The time now, UTC, to the second and to the millisecond. */
#define PG_NOW_S                                                               \
    "to_char(clock_timestamp() AT TIME ZONE 'UTC', "                           \
    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define PG_NOW_MS                                                              \
    "to_char(clock_timestamp() AT TIME ZONE 'UTC', "                           \
    "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
/* A new random generation (as SQLite's random(): any 63-bit number). */
#define PG_RANDOM "(floor(random() * 9.2e18) - 4.6e18)::bigint"

/*
 * Run a statement changing the user called p[0]; PCCS_ENOTFOUND if there
 * is no such user, PCCS_ECONFLICT on a constraint (a taken name).
 */
static int
user_write(struct pccs_store *st, const char *sql, int n, const char *const *p,
           struct pccs_err *err)
{
    int64_t changed = 0;
    int rc = pccs__pg_writable(st, err);
    if (!rc)
        rc = pccs__pg_query_sp(st, sql, n, p, NULL, &changed, err,
                               "cannot write the user");
    if (rc == PCCS_ECONFLICT)
        return pccs_err_set(err, PCCS_ECONFLICT, "a user called %s exists",
                            p[0]);
    if (rc)
        return rc;
    if (!changed)
        return pccs_err_set(err, PCCS_ENOTFOUND, "no user called %s", p[0]);
    return PCCS_OK;
}

int
pccs__pg_user_put(struct pccs_store *st, const struct pccs_user_row *u,
                  bool create, struct pccs_err *err)
{
    const char *p[] = {u->name, u->role, u->scope, u->hash};
    if (create)
        return user_write(
            st,
            "INSERT INTO users (name, role, scope, hash, "
            "created_at, generation) VALUES ($1, $2, $3, $4, " PG_NOW_S
            ", " PG_RANDOM ")",
            4, p, err);
    const char *q[] = {u->name, u->hash};
    return user_write(st,
                      "UPDATE users SET hash = $2, generation = " PG_RANDOM
                      " WHERE name = $1",
                      2, q, err);
}

int
pccs__pg_user_set_role(struct pccs_store *st, const char *name,
                       const char *role, const char *scope,
                       struct pccs_err *err)
{
    const char *p[] = {name, role, scope};
    return user_write(st,
                      "UPDATE users SET role = $2, scope = $3, generation = "
                      "" PG_RANDOM " WHERE name = $1",
                      3, p, err);
}

int
pccs__pg_user_set_disabled(struct pccs_store *st, const char *name,
                           bool disabled, struct pccs_err *err)
{
    const char *p[] = {name, disabled ? "1" : "0"};
    return user_write(st,
                      "UPDATE users SET disabled = $2::int, generation = "
                      "" PG_RANDOM " WHERE name = $1",
                      2, p, err);
}

int
pccs__pg_user_delete(struct pccs_store *st, const char *name,
                     struct pccs_err *err)
{
    const char *p[] = {name};
    return user_write(st, "DELETE FROM users WHERE name = $1", 1, p, err);
}

int
pccs__pg_user_state(struct pccs_store *st, const char *name,
                    int64_t *generation, bool *disabled, struct pccs_err *err)
{
    const char *p[] = {name};
    PGresult *r;
    int rc = pccs__pg_query(
        st, "SELECT generation, disabled FROM users WHERE name = $1", 1, p, &r,
        NULL, err, "cannot read users");
    if (rc)
        return rc;
    if (PQntuples(r) == 1) {
        *generation = pccs__pg_int(r, 0, 0);
        *disabled = pccs__pg_int(r, 0, 1) != 0;
    }
    else
        rc = pccs_err_set(err, PCCS_ENOTFOUND, "no user called %s", name);
    PQclear(r);
    return rc;
}

/* A reader's callback, its context and the rows it was given. */
struct each {
    union {
        pccs_store_user_fn user;
        pccs_store_audit_fn audit;
    } fn;
    void *ctx;
    int n;
};

static int
user_row(void *ctx, const PGresult *r, int i)
{
    struct each *e = ctx;
    const struct pccs_user_row u = {
        .name = pccs__pg_text(r, i, 0),
        .role = pccs__pg_text(r, i, 1),
        .scope = pccs__pg_text(r, i, 2),
        .hash = pccs__pg_text(r, i, 3),
        .created_at = pccs__pg_text(r, i, 4),
        .generation = pccs__pg_int(r, i, 5),
        .disabled = pccs__pg_int(r, i, 6) != 0,
    };
    e->n++;
    return e->fn.user(e->ctx, &u);
}

int
pccs__pg_users_each(struct pccs_store *st, const char *name,
                    pccs_store_user_fn fn, void *ctx, struct pccs_err *err)
{
    const char *p[] = {name};
    struct each e = {.fn.user = fn, .ctx = ctx};
    int rc = pccs__pg_each(st,
                           "SELECT name, role, scope, hash, created_at, "
                           "generation, disabled FROM users WHERE $1::text IS "
                           "NULL OR name = $1 ORDER BY name COLLATE \"C\"",
                           1, p, user_row, &e, err, "cannot read users");
    if (!rc && name && !e.n)
        rc = pccs_err_set(err, PCCS_ENOTFOUND, "no user called %s", name);
    return rc;
}

int
pccs__pg_audit(struct pccs_store *st, const char *user, const char *action,
               const char *detail, struct pccs_err *err)
{
    const char *p[] = {user, action, detail};
    int rc = pccs__pg_writable(st, err);
    return rc ? rc
              : pccs__pg_query(
                    st,
                    "INSERT INTO audit (at, \"user\", action, detail) "
                    "VALUES (" PG_NOW_MS ", $1, $2, $3)",
                    3, p, NULL, NULL, err, "cannot write the audit log");
}

/*
 * SQLite's GLOB as a POSIX regular expression: * any text, ? one
 * character, [...] a class (as is), everything else literal.
 */
static void
glob_regex(const char *g, char *out, size_t n)
{
    size_t o = 0;
    out[o++] = '^';
    for (; *g && o + 4 < n; g++) {
        if (*g == '*') {
            out[o++] = '.';
            out[o++] = '*';
        }
        else if (*g == '?')
            out[o++] = '.';
        else if (*g == '[') {
            const char *end = strchr(g + 1, ']');
            size_t len = end ? (size_t)(end - g) + 1 : 0;
            if (len && o + len + 4 < n) {
                memcpy(out + o, g, len);
                o += len;
                g += len - 1;
            }
            else {
                out[o++] = '\\';
                out[o++] = '[';
            }
        }
        else {
            if (strchr(".^$+(){}|\\]", *g))
                out[o++] = '\\';
            out[o++] = *g;
        }
    }
    out[o++] = '$';
    out[o] = '\0';
}

static int
audit_row(void *ctx, const PGresult *r, int i)
{
    const struct each *e = ctx;
    const struct pccs_audit_row a = {
        .id = pccs__pg_int(r, i, 0),
        .at = pccs__pg_text(r, i, 1),
        .user = pccs__pg_text(r, i, 2),
        .action = pccs__pg_text(r, i, 3),
        .detail = pccs__pg_text(r, i, 4),
    };
    return e->fn.audit(e->ctx, &a);
}

int
pccs__pg_audit_each(struct pccs_store *st, const struct pccs_audit_filter *f,
                    pccs_store_audit_fn fn, void *ctx, struct pccs_err *err)
{
    char re[512];
    if (f && f->action)
        glob_regex(f->action, re, sizeof(re));
    const char *p[] = {f ? f->user : NULL, f && f->action ? re : NULL,
                       f ? f->since : NULL, f ? f->until : NULL};
    struct each e = {.fn.audit = fn, .ctx = ctx};
    return pccs__pg_each(st,
                         "SELECT id, at, \"user\", action, detail FROM audit "
                         "WHERE ($1::text IS NULL OR \"user\" = $1) AND "
                         "($2::text IS NULL OR action ~ $2) AND ($3::text IS "
                         "NULL OR at >= $3 COLLATE \"C\") AND ($4::text IS "
                         "NULL OR at < $4 COLLATE \"C\") ORDER BY id",
                         4, p, audit_row, &e, err, "cannot read the audit log");
}
