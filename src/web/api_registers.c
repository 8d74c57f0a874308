/* SPDX-License-Identifier: MIT */
/*
 * Local registers: read in scope; changes by commissioners.
 *
 * GET    /api/registers                 the registers and their columns
 * GET    /api/registers/NAME            its rows within the user's scope
 * POST   /api/registers/NAME            {"values": {...}, "version": V}
 * PUT    /api/registers/NAME/KEY        {"values": {...}, "version": V}
 * DELETE /api/registers/NAME/KEY        {"version": V} (optional body)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "sources/register_defs.h"
#include "sources/sources.h"
#include "model/booking.h"
#include "web/web.h"

static const char *const register_names[] = {
    "places",  "programmes",     "milestones",      "risks",
    "estates", "budget",         "list_closures",   "support_payments",
    "visits",  "care_home_beds", "access_sessions", NULL};

struct reg_cols {
    struct pccs_register_col c[16];
    size_t n;
    bool has_org;
    /* A register that names no organisation: the owner of its latest
     * version (owner_code's text), or NULL. */
    const char *owner;
    char owner_code[32];
};

static bool
reg_cols(const char *name, struct reg_cols *rc)
{
    rc->n = 0;
    rc->has_org = false;
    rc->owner = NULL;
    while (rc->n < 16 && pccs_register_col(name, rc->n, &rc->c[rc->n])) {
        rc->has_org |= rc->c[rc->n].org;
        rc->n++;
    }
    return rc->n > 0;
}

/*
 * The organisation whose version of a register that names none the user
 * reads: the newest owner within their scope (an admin: the newest of
 * all), or NULL (none, or loaded without --org).
 */
static const char *
owner_of(const struct pccs_web_server *sv, const struct pccs_web_request *rq,
         const char *name, char *buf, size_t n)
{
    struct pccs_err e = PCCS_ERR_INIT;
    char owners[16][32];
    size_t k = 0;
    buf[0] = '\0';
    if (pccs_register_owners(rq->st, name, owners, 16, &k, &e))
        return NULL;
    pccs_day at = pccs_tree_default_day(&sv->tree);
    for (size_t i = 0; i < k && !buf[0]; i++)
        if (rq->sess.role == PCCS_ROLE_ADMIN ||
            pccs_web_org_within(sv, pccs_tree_find(&sv->tree, owners[i]),
                                rq->scope, at)) {
            if (!owners[i][0])
                return NULL;
            snprintf(buf, n, "%s", owners[i]);
        }
    return buf[0] ? buf : NULL;
}

const char *
pccs_web_register_owner(const struct pccs_web_server *sv,
                        const struct pccs_web_request *rq, const char *name,
                        char *buf, size_t n)
{
    const struct pccs_reg_def *d = pccs_reg_def_find(name);
    return d && d->org_col < 0 ? owner_of(sv, rq, name, buf, n) : NULL;
}

/* Whose rows to read: every owner's of a register naming organisations,
 * else the one the user reads ("" for a load without --org). */
static const char *
read_owner(const struct reg_cols *rc)
{
    return rc->has_org ? NULL : rc->owner ? rc->owner : "";
}

/* May the user change registers? As the route table says. */
static bool
can_edit(const struct pccs_web_request *rq)
{
    return pccs_web_route_admits(rq, "PUT", "/api/registers/");
}

/* The organisations a row with these values names. */
static size_t
row_codes(const struct reg_cols *rc, const char *const *v, const char **codes)
{
    size_t n = 0;
    for (size_t k = 0; k < rc->n; k++)
        if (rc->c[k].org)
            codes[n++] = v[k];
    return n;
}

/* May the user see (or change) a row with these values? */
static bool
row_allowed(const struct pccs_web_server *sv, const struct pccs_web_request *rq,
            const struct reg_cols *rc, const char *const *v)
{
    const char *codes[16];
    struct pccs_web_ask ask = {.org = -1,
                               .at = PCCS_DAY_NONE,
                               .no_org = !rc->has_org,
                               .owner = rc->owner,
                               .codes = codes,
                               .ncodes = row_codes(rc, v, codes)};
    return pccs_web_allowed(sv, rq, &ask);
}

/* Does every organisation the row names lie within in? (a filter of the
 * question, not of access) */
static bool
row_in(const struct pccs_web_server *sv, const struct reg_cols *rc,
       const char *const *v, int in)
{
    pccs_day at = pccs_tree_default_day(&sv->tree);
    /* A register naming none: its owner's rows lie where the owner is. */
    if (!rc->has_org && rc->owner &&
        !pccs_web_org_within(sv, pccs_tree_find(&sv->tree, rc->owner), in, at))
        return false;
    for (size_t k = 0; k < rc->n; k++)
        if (rc->c[k].org && v[k] && v[k][0] &&
            !pccs_web_org_within(sv, pccs_tree_find(&sv->tree, v[k]), in, at))
            return false;
    return true;
}

/*
 * The rows of the register table (a register's rows as loaded) that the
 * user may see and that lie within in.
 */
void
pccs_web_keep_register_rows(const struct pccs_web_server *sv,
                            const struct pccs_web_request *rq, int in,
                            const char *group, struct pccs_table *t)
{
    struct reg_cols rc;
    bool *keep = pccs_xcalloc(t->nrows + 1, sizeof(*keep));
    if (group && reg_cols(group, &rc)) {
        rc.owner =
            owner_of(sv, rq, group, rc.owner_code, sizeof(rc.owner_code));
        int idx[16];
        for (size_t k = 0; k < 16; k++)
            idx[k] = k < rc.n ? pccs_table_col_index(t, rc.c[k].name) : -1;
        for (size_t i = 0; i < t->nrows; i++) {
            const char *v[16] = {NULL};
            for (size_t k = 0; k < rc.n; k++) {
                const struct pccs_cell *c =
                    idx[k] >= 0 ? pccs_table_cell(t, i, (size_t)idx[k]) : NULL;
                v[k] = c && !c->null && c->text ? c->text : "";
            }
            keep[i] = row_allowed(sv, rq, &rc, v) &&
                      (in == sv->england || row_in(sv, &rc, v, in));
        }
    }
    pccs_table_keep_rows(t, keep);
    free(keep);
}

struct reg_list {
    const struct pccs_web_server *sv;
    const struct pccs_web_request *rq;
    const struct reg_cols *rc;
    json_t *rows;
    const char *want_key; /* find this row's values */
    char *found[16];
    bool found_any;
};

static int
reg_row_cb(void *ctx, const struct pccs_register_row *r)
{
    struct reg_list *l = ctx;
    if (l->want_key) {
        if (!strcmp(r->key, l->want_key)) {
            l->found_any = true;
            for (size_t k = 0; k < l->rc->n; k++)
                l->found[k] = pccs_xstrdup(r->values[k]);
        }
        return 0;
    }
    if (!row_allowed(l->sv, l->rq, l->rc, r->values))
        return 0;
    json_t *j = json_object(), *v = json_object();
    json_object_set_new(j, "key", json_string(r->key));
    for (size_t k = 0; k < l->rc->n; k++)
        json_object_set_new(v, l->rc->c[k].name, json_string(r->values[k]));
    json_object_set_new(j, "values", v);
    json_array_append_new(l->rows, j);
    return 0;
}

static json_t *
reg_columns_json(const struct reg_cols *rc)
{
    json_t *a = json_array();
    for (size_t k = 0; k < rc->n; k++) {
        json_t *c = json_object();
        json_object_set_new(c, "name", json_string(rc->c[k].name));
        json_object_set_new(c, "kind", json_string(rc->c[k].kind));
        if (rc->c[k].values)
            json_object_set_new(c, "values", json_string(rc->c[k].values));
        json_object_set_new(c, "required", json_boolean(rc->c[k].required));
        json_array_append_new(a, c);
    }
    return a;
}

int
pccs_web_registers(struct pccs_web_server *sv, struct pccs_web_request *rq,
                   struct pccs_web_reply *r, struct pccs_err *err)
{
    (void)sv;
    (void)err;
    json_t *a = json_array();
    struct reg_cols rc;
    for (size_t i = 0; register_names[i]; i++) {
        reg_cols(register_names[i], &rc);
        json_t *j = json_object();
        json_object_set_new(j, "name", json_string(register_names[i]));
        json_object_set_new(j, "columns", reg_columns_json(&rc));
        json_array_append_new(a, j);
    }
    json_t *j = json_object();
    json_object_set_new(j, "registers", a);
    json_object_set_new(j, "can_edit", json_boolean(can_edit(rq)));
    pccs_web_reply_json(r, j);
    return PCCS_OK;
}

/*
 * NAME or NAME/KEY of the url into name and key, the register's columns
 * into rc; refused when the user may not use the register at all.
 */
static int
reg_target(struct pccs_web_server *sv, const struct pccs_web_request *rq,
           char name[32], char key[24], struct reg_cols *rc,
           struct pccs_err *err)
{
    const char *rest = rq->rest;
    const char *slash = strchr(rest, '/');
    size_t nl = slash ? (size_t)(slash - rest) : strlen(rest);
    if (nl >= 32 || (slash && strlen(slash + 1) >= 24))
        return pccs_err_set(err, PCCS_ENOTFOUND, "no such register");
    snprintf(name, 32, "%.*s", (int)nl, rest);
    snprintf(key, 24, "%s", slash ? slash + 1 : "");
    if (!reg_cols(name, rc))
        return pccs_err_set(err, PCCS_ENOTFOUND,
                            "no such register (GET /api/registers lists them)");
    rc->owner = owner_of(sv, rq, name, rc->owner_code, sizeof(rc->owner_code));
    struct pccs_web_ask ask = {.what = name,
                               .org = -1,
                               .at = PCCS_DAY_NONE,
                               .no_org = !rc->has_org,
                               .owner = rc->owner};
    return pccs_web_authorise(sv, rq, &ask, err);
}

int
pccs_web_register_rows(struct pccs_web_server *sv, struct pccs_web_request *rq,
                       struct pccs_web_reply *r, struct pccs_err *err)
{
    if (!rq->rest[0])
        return pccs_web_registers(sv, rq, r, err);
    char name[32], key[24];
    struct reg_cols rc;
    int rcode = reg_target(sv, rq, name, key, &rc, err);
    if (rcode)
        return rcode;
    if (key[0])
        return pccs_err_set(err, PCCS_WEB_EMETHOD, "GET the whole register");
    struct reg_list l = {.sv = sv, .rq = rq, .rc = &rc, .rows = json_array()};
    int64_t version = 0;
    rcode = pccs_register_rows(rq->st, name, read_owner(&rc), reg_row_cb, &l,
                               &version, err);
    if (rcode && rcode != PCCS_ENOTFOUND) {
        json_decref(l.rows);
        return rcode;
    }
    json_t *j = json_object();
    json_object_set_new(j, "register", json_string(name));
    json_object_set_new(j, "version", json_integer(version));
    json_object_set_new(j, "columns", reg_columns_json(&rc));
    json_object_set_new(j, "rows", l.rows);
    json_object_set_new(j, "can_edit", json_boolean(can_edit(rq)));
    pccs_web_reply_json(r, j);
    return PCCS_OK;
}

/* One value of the body: text, a number or null. */
static int
reg_value(const char *col, json_t *x, const char **v, char numbuf[32],
          struct pccs_err *err)
{
    if (json_is_string(x))
        *v = json_string_value(x);
    else if (json_is_number(x)) {
        snprintf(numbuf, 32, "%.10g", json_number_value(x));
        *v = numbuf;
    }
    else if (json_is_null(x))
        *v = "";
    else
        return pccs_err_set(err, PCCS_EINVAL, "%s: give text or a number", col);
    return PCCS_OK;
}

/* The body {"values": {"column": "text", ...}, "version": V} into v[]
 * (by column) and *ver. */
static int
reg_body(const struct pccs_web_request *rq, const char *name,
         const struct reg_cols *rc, enum pccs_register_op op, json_t **body,
         const char *v[16], char numbuf[16][32], int64_t *ver,
         struct pccs_err *err)
{
    json_error_t je;
    *body = rq->body_len ? json_loadb(rq->body, rq->body_len, 0, &je)
                         : json_object();
    json_t *vals = *body ? json_object_get(*body, "values") : NULL;
    json_t *jv = *body ? json_object_get(*body, "version") : NULL;
    if (!json_is_object(*body) || (jv && !json_is_integer(jv)) ||
        (op != PCCS_REG_DELETE && !json_is_object(vals)))
        return pccs_err_set(err, PCCS_EINVAL,
                            "give {\"values\": {COLUMN: TEXT, ...}, "
                            "\"version\": N} as JSON");
    *ver = jv ? json_integer_value(jv) : 0;
    const char *col;
    json_t *x;
    json_object_foreach(vals, col, x)
    {
        size_t k = 0;
        while (k < rc->n && strcmp(rc->c[k].name, col))
            k++;
        if (k == rc->n)
            return pccs_err_set(err, PCCS_EINVAL,
                                "%s: the %s register has no such column", col,
                                name);
        int rcode = reg_value(col, x, &v[k], numbuf[k], err);
        if (rcode)
            return rcode;
    }
    return PCCS_OK;
}

struct reg_change {
    const char *name, *key;
    enum pccs_register_op op;
    const char *const *v;
    int64_t ver;
    int64_t newver;
    char newkey[24];
};

/*
 * Apply the change, one at a time: the row as it is (update, delete) and
 * as it will be must both be within the user's scope.
 */
static int
reg_apply(struct pccs_web_server *sv, const struct pccs_web_request *rq,
          const struct reg_cols *rc, struct reg_change *ch,
          struct pccs_err *err)
{
    pthread_mutex_lock(&sv->edit_lock);
    struct reg_list old = {.sv = sv, .rq = rq, .rc = rc, .want_key = ch->key};
    int64_t version = 0;
    int rcode = PCCS_OK;
    if (ch->op != PCCS_REG_CREATE) {
        rcode = pccs_register_rows(rq->st, ch->name, read_owner(rc), reg_row_cb,
                                   &old, &version, err);
        if (!rcode && !old.found_any)
            rcode =
                pccs_err_set(err, PCCS_ENOTFOUND,
                             "no row %s in the %s register", ch->key, ch->name);
    }
    const char *after[16];
    for (size_t k = 0; k < rc->n; k++)
        after[k] = ch->v[k] ? ch->v[k] : old.found[k] ? old.found[k] : "";
    bool allowed = !rcode &&
                   (ch->op == PCCS_REG_CREATE ||
                    row_allowed(sv, rq, rc, (const char *const *)old.found)) &&
                   row_allowed(sv, rq, rc, after);
    if (!rcode && allowed) {
        struct pccs_register_edit e = {
            .name = ch->name,
            .op = ch->op,
            .key = ch->key[0] ? ch->key : NULL,
            .values = ch->op == PCCS_REG_DELETE ? NULL : ch->v,
            .version = ch->ver,
            .owner = read_owner(rc)};
        rcode = pccs_register_change(rq->st, &e, &ch->newver, ch->newkey, err);
    }
    if (!rcode && allowed)
        __atomic_add_fetch(&sv->generation, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&sv->edit_lock);
    for (size_t k = 0; k < 16; k++)
        free(old.found[k]);
    if (!rcode && !allowed) {
        const char *no[1] = {"-"}; /* refused: audited, named */
        struct pccs_web_ask ask = {.what = ch->name,
                                   .org = -1,
                                   .at = PCCS_DAY_NONE,
                                   .codes = no,
                                   .ncodes = 1};
        rcode = pccs_web_authorise(sv, rq, &ask, err);
    }
    return rcode;
}

static void
reg_changed(struct pccs_web_server *sv, const struct pccs_web_request *rq,
            const struct reg_change *ch, struct pccs_web_reply *r)
{
    static const char *const ops[] = {"register-create", "register-update",
                                      "register-delete"};
    char detail[160];
    snprintf(detail, sizeof(detail), "%s %s -> version %lld key %s", ch->name,
             ch->key[0] ? ch->key : "new", (long long)ch->newver,
             ch->newkey[0] ? ch->newkey : "-");
    pccs_web_audit(sv, rq, rq->sess.user, ops[ch->op], detail);
    json_t *j = json_object();
    json_object_set_new(j, "register", json_string(ch->name));
    json_object_set_new(j, "version", json_integer(ch->newver));
    if (ch->op != PCCS_REG_DELETE)
        json_object_set_new(j, "key", json_string(ch->newkey));
    pccs_web_reply_json(r, j);
}

int
pccs_web_register_edit(struct pccs_web_server *sv, struct pccs_web_request *rq,
                       struct pccs_web_reply *r, struct pccs_err *err)
{
    char name[32], key[24];
    struct reg_cols rc;
    int rcode = reg_target(sv, rq, name, key, &rc, err);
    if (rcode)
        return rcode;
    enum pccs_register_op op = !strcmp(rq->method, "POST")  ? PCCS_REG_CREATE
                               : !strcmp(rq->method, "PUT") ? PCCS_REG_UPDATE
                                                            : PCCS_REG_DELETE;
    if ((op == PCCS_REG_CREATE) != !key[0])
        return pccs_err_set(err, PCCS_WEB_EMETHOD,
                            "POST /api/registers/NAME, PUT or DELETE "
                            "/api/registers/NAME/KEY");
    json_t *body = NULL;
    const char *v[16] = {NULL};
    char numbuf[16][32];
    struct reg_change ch = {.name = name, .key = key, .op = op, .v = v};
    rcode = reg_body(rq, name, &rc, op, &body, v, numbuf, &ch.ver, err);
    if (!rcode)
        rcode = reg_apply(sv, rq, &rc, &ch, err);
    json_decref(body);
    if (rcode)
        return rcode;
    reg_changed(sv, rq, &ch, r);
    /* A hub's sessions changed: their slots (issue 19). */
    if (!strcmp(name, "access_sessions"))
        if (pccs_booking_sync(rq->st, NULL, err))
            pccs_err_clear(err); /* the edit stands; slots on restart */
    return op == PCCS_REG_CREATE ? PCCS_WEB_CREATED : PCCS_OK;
}
