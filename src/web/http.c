/* SPDX-License-Identifier: MIT */
/*
 * The HTTP server and its routes:
 *   POST /api/login {"user","password"}  a session cookie and a CSRF token
 *   GET /api/session, POST /api/logout   who is signed in; sign out
 *   /api/sources                      the loaded files
 *   /api/orgs?q=TEXT                  search by code or name
 *   /api/orgs/CODE                    parents, children, populations
 *   /api/tables                       the tables
 *   /api/tables/NAME?level=&in=&at=&period=&year=&group=&compare=&contract=
 *                    &explain=1&suppress=1&format=json|csv|xlsx
 *   /api/spc/METRIC/CODE              an SPC series pccs holds
 *   /healthz                          "ok"
 *   anything else: the dashboard's files from --web, if given
 * Every /api/ path but login needs a session (401 without one); every
 * request that changes state needs the session's CSRF token in the
 * X-CSRF-Token header (403 without it). A user sees the subtree of their
 * scope and the organisations above it, never those beside it (403).
 * Errors are JSON {"error": ...} with 400 (bad parameter), 401, 403, 404
 * (unknown organisation, table or path), 405, 413, 429 (too many failed
 * logins) or 500.
 *
 * Each worker thread opens its own store connection (SQLite handles are
 * not shared); the organisation tree is built once at start and read by
 * every thread (restart the server after loading files).
 */
#include "web/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "model/metrics.h"
#include "model/population.h"
#include "model/query.h"
#include "model/tables.h"
#include "model/tree.h"
#include "report/table.h"
#include "sources/sources.h"
#include "store/store.h"
#include "web/session.h"

#define MAX_BODY 65536
#define CACHE_BUCKETS 4096
#define CACHE_MAX_BYTES ((size_t)64 << 20)

/*
 * Answers already given: the store and the tree do not change while the
 * server runs (restart it after loading files), so the same question from
 * a user of the same role and scope always gets the same answer. Only 200
 * answers are kept (refusals are decided, and audited, every time); the
 * key holds the role, the scope, the path and the query. Entries are
 * never freed while serving (at most CACHE_MAX_BYTES, then nothing more is
 * added), so a response can point into one without copying.
 */
struct cache_entry {
    struct cache_entry *next;
    char *key;
    char *body;
    size_t len;
    const char *type;
};

struct cache {
    pthread_rwlock_t lock;
    struct cache_entry *bucket[CACHE_BUCKETS];
    size_t bytes;
    unsigned long hits, misses;
};

struct server {
    const struct pccs_serve_options *o;
    struct pccs_tree tree;
    pthread_mutex_t log_lock;
    pthread_key_t store_key;
    struct pccs_sessions *sessions;
    int england; /* the root of the tree */
    char dummy_hash[crypto_pwhash_STRBYTES]; /* of a random password */
    struct cache cache;
    unsigned generation;      /* bumped by every register change */
    pthread_mutex_t edit_lock; /* one register change at a time */
};

struct reply {
    unsigned status;
    const char *type;
    char *body; /* owned */
    size_t len;
    char cookie[160]; /* a Set-Cookie header, or "" */
    unsigned retry_after;
    bool cached; /* body points into the cache: not to be freed */
};

/* One request: who asks, and what they sent. */
struct request {
    struct MHD_Connection *c;
    const char *method, *url;
    const char *body;
    size_t body_len;
    char addr[INET6_ADDRSTRLEN];
    bool signed_in;
    struct pccs_session sess;
    int scope; /* the user's scope in the tree, or -1 */
};

/* The upload of one connection, kept between libmicrohttpd's calls. */
struct upload {
    struct pccs_buf body;
    bool too_big;
};

enum visibility { VIS_NONE, VIS_ABOVE, VIS_WITHIN };

static void
close_store(void *p)
{
    pccs_store_free(p);
}

/* This worker's own connection to the store. */
static struct pccs_store *
worker_store(struct server *sv, struct pccs_err *err)
{
    struct pccs_store *st = pthread_getspecific(sv->store_key);
    if (!st && pccs_store_open(&st, sv->o->store, err) == PCCS_OK)
        pthread_setspecific(sv->store_key, st);
    return st;
}

static void
reply_json(struct reply *r, unsigned status, json_t *j)
{
    r->status = status;
    r->type = "application/json; charset=utf-8";
    r->body = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    r->len = r->body ? strlen(r->body) : 0;
    json_decref(j);
}

static void
reply_error(struct reply *r, unsigned status, const char *msg)
{
    json_t *j = json_object();
    json_object_set_new(j, "error", json_string(msg));
    json_object_set_new(j, "status", json_integer(status));
    reply_json(r, status, j);
}

/*
 * Where org stands for the user: within their scope's subtree, above it
 * (an aggregate that contains it) or beside it. Admins see everything.
 */
static enum visibility
visibility(const struct server *sv, const struct request *rq, int org,
           pccs_day at)
{
    if (org < 0 || !rq->signed_in)
        return VIS_NONE;
    if (rq->sess.role == PCCS_ROLE_ADMIN || org == rq->scope)
        return VIS_WITHIN;
    if (rq->scope < 0)
        return VIS_NONE;
    const struct pccs_tree_org *o = &sv->tree.orgs[org];
    const struct pccs_tree_org *s = &sv->tree.orgs[rq->scope];
    if (o->level == PCCS_LEVEL_NONE || s->level == PCCS_LEVEL_NONE)
        return VIS_NONE;
    if (o->level < s->level &&
        pccs_tree_ancestor(&sv->tree, org, s->level, at, 0) == rq->scope)
        return VIS_WITHIN;
    if (o->level > s->level &&
        pccs_tree_ancestor(&sv->tree, rq->scope, o->level, at, 0) == org)
        return VIS_ABOVE;
    return VIS_NONE;
}

static void
audit(struct server *sv, const struct request *rq, const char *user,
      const char *action, const char *detail)
{
    struct pccs_err err = PCCS_ERR_INIT;
    struct pccs_store *st = pthread_getspecific(sv->store_key);
    char line[512];
    snprintf(line, sizeof(line), "%s %s from %s", detail, rq->url, rq->addr);
    if (!st || pccs_store_audit(st, user, action, line, &err)) {
        pthread_mutex_lock(&sv->log_lock);
        fprintf(stderr, "pccs serve: cannot write the audit log: %s\n",
                err.msg[0] ? err.msg : "no store");
        pthread_mutex_unlock(&sv->log_lock);
    }
}

/* 403 for code, written to the audit log. */
static void
deny(struct server *sv, const struct request *rq, const char *code,
     struct reply *r)
{
    char msg[160];
    snprintf(msg, sizeof(msg), "%s is outside the scope of %s (%s %s)", code,
             rq->sess.user, pccs_role_name(rq->sess.role), rq->sess.scope);
    audit(sv, rq, rq->sess.user, "denied", code);
    reply_error(r, 403, msg);
}

static unsigned
status_of(int rc)
{
    return rc == PCCS_ENOTFOUND                      ? 404
           : rc == PCCS_EINVAL || rc == PCCS_EPARSE ? 400
           : rc == PCCS_ECONFLICT                   ? 409
                                                    : 500;
}

static json_t *
org_brief(const struct pccs_tree_org *o)
{
    json_t *j = json_object();
    json_object_set_new(j, "code", json_string(o->code));
    json_object_set_new(j, "name",
                        o->name ? json_string(o->name) : json_null());
    json_object_set_new(j, "level", json_string(o->level_name));
    return j;
}

/* /api/orgs?q= */
static void
route_search(struct server *sv, const struct request *rq, struct reply *r)
{
    const char *q =
        MHD_lookup_connection_value(rq->c, MHD_GET_ARGUMENT_KIND, "q");
    if (!q || strlen(q) < 2) {
        reply_error(r, 400, "q: give at least 2 characters of a code or name");
        return;
    }
    json_t *a = json_array();
    size_t ql = strlen(q);
    pccs_day at = pccs_tree_default_day(&sv->tree);
    for (size_t i = 0; i < sv->tree.norgs && json_array_size(a) < 50; i++) {
        const struct pccs_tree_org *o = &sv->tree.orgs[i];
        if (o->level == PCCS_LEVEL_NONE)
            continue;
        if ((!strncasecmp(o->code, q, ql) ||
             pccs_tree_names_contain(&sv->tree, (int)i, q)) &&
            visibility(sv, rq, (int)i, at) != VIS_NONE)
            json_array_append_new(a, org_brief(o));
    }
    json_t *j = json_object();
    json_object_set_new(j, "query", json_string(q));
    json_object_set_new(j, "results", a);
    reply_json(r, 200, j);
}

/* Run a table for q and add its columns, rows and sources to j. */
static int
table_json(struct server *sv, struct pccs_store *st, const char *name,
           const struct pccs_table_query *q, json_t **out, struct pccs_err *err)
{
    struct pccs_table t;
    memset(&t, 0, sizeof(t));
    int rc =
        pccs_table_run(pccs_table_def_find(name), st, &sv->tree, q, &t, err);
    if (!rc) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        rc = pccs_table_write(&t, PCCS_FMT_JSON, f, err);
        fclose(f);
        json_error_t je;
        *out = rc ? NULL : json_loadb(buf, len, 0, &je);
        free(buf);
    }
    pccs_table_release(&t);
    return rc;
}

/* /api/orgs/CODE */
static void
route_org(struct server *sv, const struct request *rq, struct pccs_store *st,
          const char *code, struct reply *r)
{
    struct pccs_err err = PCCS_ERR_INIT;
    int o = pccs_query_org(&sv->tree, "", code, &err);
    if (o < 0) {
        reply_error(r, 404, err.msg);
        return;
    }
    code = sv->tree.orgs[o].code;
    pccs_day at = pccs_tree_default_day(&sv->tree);
    enum visibility vis = visibility(sv, rq, o, at);
    if (vis == VIS_NONE) {
        deny(sv, rq, code, r);
        return;
    }
    json_t *j = org_brief(&sv->tree.orgs[o]);
    json_t *parents = json_array();
    for (int p = pccs_tree_up(&sv->tree, o, at, 0), guard = 0;
         p >= 0 && guard < PCCS_NLEVELS;
         p = pccs_tree_up(&sv->tree, p, at, 0), guard++)
        json_array_append_new(parents, org_brief(&sv->tree.orgs[p]));
    json_object_set_new(j, "parents", parents);
    json_t *children = json_array();
    for (size_t i = 0; i < sv->tree.norgs; i++)
        if ((int)i != o && pccs_tree_up(&sv->tree, (int)i, at, 0) == o &&
            visibility(sv, rq, (int)i, at) != VIS_NONE)
            json_array_append_new(children, org_brief(&sv->tree.orgs[i]));
    json_object_set_new(j, "children", children);
    json_object_set_new(j, "access", json_string(vis == VIS_WITHIN
                                                     ? "within scope"
                                                     : "above scope"));
    struct pccs_table_query q = {sv->tree.orgs[o].level,
                                 code,
                                 PCCS_DAY_NONE,
                                 NULL,
                                 NULL,
                                 NULL,
                                 false,
                                 false,
                                 NULL,
                                 false};
    json_t *pop = NULL;
    if (sv->tree.orgs[o].level != PCCS_LEVEL_NONE &&
        table_json(sv, st, "populations", &q, &pop, &err) == PCCS_OK)
        json_object_set_new(j, "populations", pop);
    reply_json(r, 200, j);
}

static const char *
arg(struct MHD_Connection *c, const char *k)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, k);
    return v && *v ? v : NULL;
}

static bool
flag(struct MHD_Connection *c, const char *k)
{
    const char *v = arg(c, k);
    return v && (!strcmp(v, "1") || !strcmp(v, "true"));
}

/*
 * A table as an xlsx workbook. libxlsxwriter (1.1 in Debian 12) writes
 * only to a file, so the workbook goes through a temporary file in
 * $TMPDIR (else /tmp), read back and removed at once.
 */
static void
reply_xlsx(struct reply *r, const struct pccs_table *t)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof(path), "%s/pccs-serve-XXXXXX",
             dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        reply_error(r, 500, "cannot write the workbook (no temporary file)");
        return;
    }
    close(fd);
    struct pccs_err err = PCCS_ERR_INIT;
    FILE *f = NULL;
    if (pccs_table_write_xlsx(t, path, &err) == PCCS_OK)
        f = fopen(path, "rb");
    if (f) {
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        r->body = pccs_xmalloc(n > 0 ? (size_t)n + 1 : 1);
        r->len = n > 0 ? fread(r->body, 1, (size_t)n, f) : 0;
        fclose(f);
        r->status = 200;
        r->type = "application/vnd.openxmlformats-officedocument."
                  "spreadsheetml.sheet";
    }
    else
        reply_error(r, 500, "cannot write the workbook");
    unlink(path);
}

/* The format= of a table's answer (JSON when absent). True, with a 400
 * in r, when it is not json, csv or xlsx. */
static bool
answer_format(const char *format, enum pccs_format *fmt, struct reply *r)
{
    *fmt = PCCS_FMT_JSON;
    if (format && (pccs_format_parse(format, fmt) || *fmt == PCCS_FMT_TEXT)) {
        reply_error(r, 400, "format must be json, csv or xlsx");
        return true;
    }
    return false;
}

/* A table as the answer, in JSON, CSV or an xlsx workbook. */
static void
reply_table(struct reply *r, const struct pccs_table *t, enum pccs_format fmt)
{
    if (fmt == PCCS_FMT_XLSX) {
        reply_xlsx(r, t);
        return;
    }
    struct pccs_err err = PCCS_ERR_INIT;
    FILE *f = open_memstream(&r->body, &r->len);
    pccs_table_write(t, fmt, f, &err);
    fclose(f);
    r->status = 200;
    r->type = fmt == PCCS_FMT_CSV ? "text/csv; charset=utf-8"
                                  : "application/json; charset=utf-8";
}

static void keep_register_rows(const struct server *sv,
                               const struct request *rq, int in,
                               const char *group, struct pccs_table *t);

/* /api/tables/NAME */
static void
route_table(struct server *sv, const struct request *rq,
            struct pccs_store *st, const char *name, struct reply *r)
{
    struct MHD_Connection *c = rq->c;
    const struct pccs_table_def *def = pccs_table_def_find(name);
    if (!def) {
        reply_error(r, 404, "no such table (GET /api/tables lists them)");
        return;
    }
    struct pccs_table_query q = {
        PCCS_LEVEL_NONE,    arg(c, "in"),
        PCCS_DAY_NONE,      arg(c, "period"),
        arg(c, "group"),    arg(c, "compare"),
        flag(c, "explain"), flag(c, "suppress"),
        arg(c, "contract"), flag(c, "include_synthetic")};
    const char *level = arg(c, "level"), *year = arg(c, "year");
    const char *at = arg(c, "at"), *format = arg(c, "format");
    if (year && q.period) {
        reply_error(r, 400, "give year or period, not both");
        return;
    }
    if (year)
        q.period = year;
    if (level && (q.level = pccs_level_parse(level)) == PCCS_LEVEL_NONE) {
        reply_error(r, 400,
                    "level must be practice, pcn, place, sub_icb, icb, "
                    "region or england");
        return;
    }
    /* The command line's checks and messages, with the API's names. */
    struct pccs_err err = PCCS_ERR_INIT;
    struct pccs_period_buf pbuf[2];
    if ((at && pccs_query_date("at", at, &q.at, &err)) ||
        pccs_query_check_periods(def, &q, "", year != NULL, pbuf, &err)) {
        reply_error(r, 400, err.msg);
        return;
    }
    enum pccs_format fmt;
    if (answer_format(format, &fmt, r))
        return;
    /*
     * Scope: the rows are the organisations at the level under in. Within
     * the user's subtree anything goes; above it, only the aggregate
     * itself, and never a local register's rows. Without in, a user who
     * is not an admin asks about their scope.
     */
    int in = q.in ? pccs_query_org(&sv->tree, "in: ", q.in, &err)
                  : sv->england;
    if (q.in && in < 0) {
        reply_error(r, 404, err.msg);
        return;
    }
    if (q.in)
        q.in = sv->tree.orgs[in].code;
    if (!q.in && rq->sess.role != PCCS_ROLE_ADMIN && rq->scope >= 0) {
        in = rq->scope;
        q.in = sv->tree.orgs[in].code;
        if (q.level == PCCS_LEVEL_NONE &&
            def->default_level > sv->tree.orgs[in].level)
            q.level = sv->tree.orgs[in].level;
    }
    enum pccs_level lv =
        q.level != PCCS_LEVEL_NONE ? q.level : def->default_level;
    enum visibility vis = visibility(
        sv, rq, in, q.at != PCCS_DAY_NONE ? q.at : pccs_tree_default_day(&sv->tree));
    if (vis == VIS_NONE ||
        (vis == VIS_ABOVE && (def->local || lv != sv->tree.orgs[in].level))) {
        deny(sv, rq, sv->tree.orgs[in].code, r);
        return;
    }
    /* The tables of registers that name no organisation, as the registers
     * themselves (route_registers): admins only. */
    if ((!strcmp(def->name, "budget") || !strcmp(def->name, "milestones")) &&
        rq->sess.role != PCCS_ROLE_ADMIN) {
        deny(sv, rq, def->name, r);
        return;
    }
    /* Disclosure control for everyone but the owning practice. */
    if (!(rq->sess.role == PCCS_ROLE_PRACTICE && in == rq->scope))
        q.suppress = true;
    struct pccs_table t;
    memset(&t, 0, sizeof(t));
    int rc = pccs_table_run(def, st, &sv->tree, &q, &t, &err);
    if (rc) {
        reply_error(r, status_of(rc), err.msg);
        pccs_table_release(&t);
        return;
    }
    /* The register's rows as loaded: only those the user may see, in in. */
    if (!strcmp(def->name, "register"))
        keep_register_rows(sv, rq, in, q.group, &t);
    reply_table(r, &t, fmt);
    pccs_table_release(&t);
}

/* /api/spc/METRIC/CODE */
static void
route_spc(struct server *sv, const struct request *rq, struct pccs_store *st,
          const char *rest, struct reply *r)
{
    char metric[64], code[32];
    const char *slash = strchr(rest, '/');
    if (!slash || (size_t)(slash - rest) >= sizeof(metric) ||
        strlen(slash + 1) >= sizeof(code)) {
        reply_error(r, 404, "use /api/spc/METRIC/CODE");
        return;
    }
    snprintf(metric, sizeof(metric), "%.*s", (int)(slash - rest), rest);
    snprintf(code, sizeof(code), "%s", slash + 1);
    const struct pccs_metric_def *m = pccs_metric_find(metric);
    if (!m) {
        reply_error(r, 404, "no such metric");
        return;
    }
    enum pccs_format fmt;
    if (answer_format(arg(rq->c, "format"), &fmt, r))
        return;
    int org = pccs_query_org(&sv->tree, "", code, NULL);
    if (org >= 0)
        snprintf(code, sizeof(code), "%s", sv->tree.orgs[org].code);
    if (org >= 0 &&
        visibility(sv, rq, org, pccs_tree_default_day(&sv->tree)) == VIS_NONE) {
        deny(sv, rq, code, r);
        return;
    }
    struct pccs_series s;
    struct pccs_err err = PCCS_ERR_INIT;
    int rc = pccs_metric_series(st, &sv->tree, m, code, &s, &err);
    if (rc) {
        reply_error(r, status_of(rc), err.msg);
        return;
    }
    struct pccs_spc_options o = PCCS_SPC_OPTIONS_INIT;
    o.direction = m->improvement;
    struct pccs_table t;
    struct pccs_spc_point *p;
    enum pccs_spc_assurance a;
    bool short_group;
    pccs_spc_table((const char *const *)s.date, s.y, s.n, &o, &t, &p, &a,
                   &short_group);
    for (size_t i = 0; i < s.nnotes; i++)
        pccs_table_note(&t, "%s", s.notes[i]);
    reply_table(r, &t, fmt);
    pccs_table_release(&t);
    free(p);
    pccs_series_release(&s);
}

static int
source_cb(void *ctx, const struct pccs_source_info *s)
{
    json_t *j = json_object();
    json_object_set_new(j, "id", json_integer(s->id));
    json_object_set_new(j, "kind", json_string(s->kind));
    json_object_set_new(j, "publication",
                        json_string(s->publication ? s->publication : ""));
    json_object_set_new(j, "provenance",
                        s->provenance ? json_string(s->provenance)
                                      : json_null());
    json_object_set_new(
        j, "provenance_note",
        json_string(s->provenance_note ? s->provenance_note : ""));
    json_object_set_new(j, "period", json_string(s->period ? s->period : ""));
    json_object_set_new(j, "rows", json_integer(s->rows_loaded));
    json_object_set_new(j, "sha256", json_string(s->sha256 ? s->sha256 : ""));
    json_object_set_new(j, "loaded_at",
                        json_string(s->loaded_at ? s->loaded_at : ""));
    json_array_append_new(ctx, j);
    return 0;
}

/* A file of the dashboard: a path under --web that starts with one '/'
 * (so never a name beside the directory), no "..", no hidden files, no
 * backslashes. */
static void
route_static(struct server *sv, const char *url, struct reply *r)
{
    if (!sv->o->web || url[0] != '/' || url[1] == '/' || strstr(url, "..") ||
        strstr(url, "/.") || strchr(url, '\\')) {
        reply_error(r, 404, "not found");
        return;
    }
    char path[4096];
    snprintf(path, sizeof(path), "%s%s%s", sv->o->web, url,
             url[strlen(url) - 1] == '/' ? "index.html" : "");
    FILE *f = fopen(path, "rb");
    struct stat sb;
    if (!f || fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode)) {
        if (f)
            fclose(f);
        reply_error(r, 404, "not found");
        return;
    }
    r->body = pccs_xmalloc((size_t)sb.st_size + 1);
    r->len = fread(r->body, 1, (size_t)sb.st_size, f);
    fclose(f);
    r->status = 200;
    const char *dot = strrchr(path, '.');
    r->type = !dot                    ? "application/octet-stream"
              : !strcmp(dot, ".html") ? "text/html; charset=utf-8"
              : !strcmp(dot, ".css")  ? "text/css"
              : !strcmp(dot, ".js")   ? "text/javascript"
              : !strcmp(dot, ".svg")  ? "image/svg+xml"
              : !strcmp(dot, ".png")  ? "image/png"
              : !strcmp(dot, ".ico")  ? "image/x-icon"
              : !strcmp(dot, ".json") ? "application/json"
                                      : "application/octet-stream";
}

/* The session as JSON: who is signed in, their scope and CSRF token. */
static void
reply_session(struct server *sv, const struct pccs_session *x, struct reply *r)
{
    json_t *j = json_object();
    json_object_set_new(j, "user", json_string(x->user));
    json_object_set_new(j, "role", json_string(pccs_role_name(x->role)));
    json_object_set_new(j, "scope", json_string(x->scope));
    int o = pccs_tree_find(&sv->tree, x->scope);
    json_object_set_new(j, "scope_name",
                        o >= 0 && sv->tree.orgs[o].name
                            ? json_string(sv->tree.orgs[o].name)
                            : json_null());
    json_object_set_new(
        j, "scope_level",
        json_string(o >= 0 ? sv->tree.orgs[o].level_name : "none"));
    json_object_set_new(j, "csrf", json_string(x->csrf));
    json_object_set_new(j, "expires_in", json_integer(x->expires - time(NULL)));
    reply_json(r, 200, j);
}

struct login_user {
    char hash[256];
    char role[32];
    char scope[32];
};

static int
login_user_cb(void *ctx, const struct pccs_user_row *u)
{
    struct login_user *l = ctx;
    snprintf(l->hash, sizeof(l->hash), "%s", u->hash);
    snprintf(l->role, sizeof(l->role), "%s", u->role);
    snprintf(l->scope, sizeof(l->scope), "%s", u->scope);
    return 0;
}

/*
 * POST /api/login with {"user": ..., "password": ...} as JSON (a form
 * from another site cannot send that without the browser asking first).
 * A user who does not exist costs the same Argon2id check as one who does.
 */
static void
route_login(struct server *sv, struct request *rq, struct pccs_store *st,
            struct reply *r)
{
    const char *ct = MHD_lookup_connection_value(rq->c, MHD_HEADER_KIND,
                                                 "Content-Type");
    if (!ct || strncasecmp(ct, "application/json", 16) != 0) {
        reply_error(r, 415, "send the login as application/json");
        return;
    }
    json_error_t je;
    json_t *j = json_loadb(rq->body, rq->body_len, 0, &je);
    const char *user = j ? json_string_value(json_object_get(j, "user")) : NULL;
    const char *pw = j ? json_string_value(json_object_get(j, "password")) : NULL;
    if (!user || !pw || strlen(user) > 64 || strlen(pw) > 256) {
        json_decref(j);
        reply_error(r, 400,
                    "give {\"user\": NAME, \"password\": PASSWORD} as JSON");
        return;
    }
    unsigned wait;
    if (!pccs_login_allowed(sv->sessions, user, rq->addr, &wait)) {
        audit(sv, rq, user, "login-throttled", "");
        char msg[128];
        snprintf(msg, sizeof(msg),
                 "too many failed logins: try again in %u s", wait);
        r->retry_after = wait;
        reply_error(r, 429, msg);
        json_decref(j);
        return;
    }
    struct login_user lu;
    memset(&lu, 0, sizeof(lu));
    struct pccs_err err = PCCS_ERR_INIT;
    bool known = pccs_store_users_each(st, user, login_user_cb, &lu, &err) ==
                 PCCS_OK;
    if (!known) /* the same work for an unknown name */
        snprintf(lu.hash, sizeof(lu.hash), "%s", sv->dummy_hash);
    bool ok = crypto_pwhash_str_verify(lu.hash, pw, strlen(pw)) == 0 && known;
    enum pccs_role role = pccs_role_parse(lu.role);
    ok = ok && role != PCCS_ROLE_NONE;
    pccs_login_record(sv->sessions, user, rq->addr, ok);
    struct pccs_session x;
    if (ok && !pccs_session_start(sv->sessions, user, role, lu.scope, &x)) {
        reply_error(r, 503, "too many sessions");
        json_decref(j);
        return;
    }
    audit(sv, rq, user, ok ? "login" : "login-failed", "");
    sodium_memzero(lu.hash, sizeof(lu.hash));
    json_decref(j);
    if (!ok) {
        reply_error(r, 401, "wrong user name or password");
        return;
    }
    snprintf(r->cookie, sizeof(r->cookie),
             "pccs_session=%s; Path=/; HttpOnly; SameSite=Strict; "
             "Max-Age=%d%s",
             x.token, PCCS_SESSION_SECONDS, sv->o->secure ? "; Secure" : "");
    reply_session(sv, &x, r);
}

static uint64_t
fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static enum MHD_Result
add_arg(void *ctx, enum MHD_ValueKind kind, const char *k, const char *v)
{
    (void)kind;
    struct pccs_buf *b = ctx;
    pccs_buf_addf(b, "&%s=%s", k, v ? v : "");
    return MHD_YES;
}

/* The cache key of a request: role, scope, path and query. */
static char *
cache_key(struct server *sv, const struct request *rq)
{
    struct pccs_buf b = PCCS_BUF_INIT;
    pccs_buf_addf(&b, "%u|%s|%s|%s?",
                  __atomic_load_n(&sv->generation, __ATOMIC_ACQUIRE),
                  pccs_role_name(rq->sess.role), rq->sess.scope, rq->url);
    MHD_get_connection_values(rq->c, MHD_GET_ARGUMENT_KIND, add_arg, &b);
    return pccs_buf_detach(&b, NULL);
}

static bool
cache_get(struct cache *c, const char *key, struct reply *r)
{
    uint64_t h = fnv1a(key) % CACHE_BUCKETS;
    bool hit = false;
    pthread_rwlock_rdlock(&c->lock);
    for (struct cache_entry *e = c->bucket[h]; e && !hit; e = e->next)
        if (!strcmp(e->key, key)) {
            r->status = 200;
            r->type = e->type;
            r->body = e->body;
            r->len = e->len;
            r->cached = hit = true;
        }
    pthread_rwlock_unlock(&c->lock);
    __atomic_add_fetch(hit ? &c->hits : &c->misses, 1, __ATOMIC_RELAXED);
    return hit;
}

static void
cache_put(struct cache *c, const char *key, const struct reply *r)
{
    uint64_t h = fnv1a(key) % CACHE_BUCKETS;
    pthread_rwlock_wrlock(&c->lock);
    bool there = false;
    for (struct cache_entry *e = c->bucket[h]; e && !there; e = e->next)
        there = !strcmp(e->key, key);
    if (!there && c->bytes + r->len + strlen(key) <= CACHE_MAX_BYTES) {
        struct cache_entry *e = pccs_xmalloc(sizeof(*e));
        e->key = pccs_xstrdup(key);
        e->body = pccs_xmalloc(r->len + 1);
        memcpy(e->body, r->body, r->len);
        e->len = r->len;
        e->type = r->type;
        e->next = c->bucket[h];
        c->bucket[h] = e;
        c->bytes += r->len + strlen(key);
    }
    pthread_rwlock_unlock(&c->lock);
}

static void
cache_free(struct cache *c)
{
    for (size_t i = 0; i < CACHE_BUCKETS; i++)
        for (struct cache_entry *e = c->bucket[i], *next; e; e = next) {
            next = e->next;
            free(e->key);
            free(e->body);
            free(e);
        }
    pthread_rwlock_destroy(&c->lock);
}

static void route_data(struct server *sv, struct request *rq,
                       struct pccs_store *st, struct reply *r);

/* ===== Local registers: read in scope; changes by commissioners ===== */

static const char *const register_names[] = {
    "places", "programmes", "milestones", "risks", "estates", "budget",
    "list_closures", "support_payments", "visits", "care_home_beds", NULL};

struct reg_cols {
    struct pccs_register_col c[16];
    size_t n;
    bool has_org;
};

static bool
reg_cols(const char *name, struct reg_cols *rc)
{
    rc->n = 0;
    rc->has_org = false;
    while (rc->n < 16 && pccs_register_col(name, rc->n, &rc->c[rc->n])) {
        rc->has_org |= rc->c[rc->n].org;
        rc->n++;
    }
    return rc->n > 0;
}

static bool
can_edit(const struct request *rq)
{
    return rq->sess.role == PCCS_ROLE_ADMIN ||
           rq->sess.role == PCCS_ROLE_COMMISSIONER;
}

/* May the user see (or change) a row with these values? Every
 * organisation in it must be within their scope. */
static bool
row_visible(const struct server *sv, const struct request *rq,
            const struct reg_cols *rc, const char *const *v)
{
    pccs_day at = pccs_tree_default_day(&sv->tree);
    for (size_t k = 0; k < rc->n; k++)
        if (rc->c[k].org && v[k] && v[k][0] &&
            visibility(sv, rq, pccs_tree_find(&sv->tree, v[k]), at) !=
                VIS_WITHIN)
            return false;
    return true;
}

/*
 * The rows of the register table (a register's rows as loaded) that the
 * user may see and that lie within in: the same rule as GET
 * /api/registers/NAME, applied once for the user and once as if in were
 * the scope.
 */
static void
keep_register_rows(const struct server *sv, const struct request *rq, int in,
                   const char *group, struct pccs_table *t)
{
    struct reg_cols rc;
    bool *keep = pccs_xcalloc(t->nrows + 1, sizeof(*keep));
    if (group && reg_cols(group, &rc)) {
        struct request sub = *rq;
        sub.scope = in;
        sub.sess.role = PCCS_ROLE_COMMISSIONER;
        int idx[16];
        for (size_t k = 0; k < rc.n; k++)
            idx[k] = pccs_table_col_index(t, rc.c[k].name);
        for (size_t i = 0; i < t->nrows; i++) {
            const char *v[16] = {NULL};
            for (size_t k = 0; k < rc.n; k++) {
                const struct pccs_cell *c =
                    idx[k] >= 0 ? pccs_table_cell(t, i, (size_t)idx[k]) : NULL;
                v[k] = c && !c->null && c->text ? c->text : "";
            }
            keep[i] = (rc.has_org || rq->sess.role == PCCS_ROLE_ADMIN) &&
                      row_visible(sv, rq, &rc, v) &&
                      (in == sv->england || row_visible(sv, &sub, &rc, v));
        }
    }
    pccs_table_keep_rows(t, keep);
    free(keep);
}

struct reg_list {
    const struct server *sv;
    const struct request *rq;
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
    if (!row_visible(l->sv, l->rq, l->rc, r->values))
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

/*
 * GET    /api/registers                 the registers and their columns
 * GET    /api/registers/NAME            its rows within the user's scope
 * POST   /api/registers/NAME            {"values": {...}, "version": V}
 * PUT    /api/registers/NAME/KEY        {"values": {...}, "version": V}
 * DELETE /api/registers/NAME/KEY        {"version": V} (optional body)
 */
static void
route_registers(struct server *sv, struct request *rq, struct pccs_store *st,
                const char *rest, struct reply *r)
{
    bool get = !strcmp(rq->method, "GET") || !strcmp(rq->method, "HEAD");
    if (!*rest || !strcmp(rest, "/")) {
        if (!get) {
            reply_error(r, 405, "GET the list of registers");
            return;
        }
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
        reply_json(r, 200, j);
        return;
    }
    char name[32], key[24] = "";
    const char *slash = strchr(rest + 1, '/');
    size_t nl = slash ? (size_t)(slash - rest - 1) : strlen(rest + 1);
    if (nl >= sizeof(name) || (slash && strlen(slash + 1) >= sizeof(key))) {
        reply_error(r, 404, "no such register");
        return;
    }
    snprintf(name, sizeof(name), "%.*s", (int)nl, rest + 1);
    if (slash)
        snprintf(key, sizeof(key), "%s", slash + 1);
    struct reg_cols rc;
    if (!reg_cols(name, &rc)) {
        reply_error(r, 404, "no such register (GET /api/registers lists them)");
        return;
    }
    /* Registers that name no organisation (milestones, budget): a row
     * belongs to the organisation that loaded it; the loads of the command
     * line name none, so only admins read and change them. */
    if (!rc.has_org && rq->sess.role != PCCS_ROLE_ADMIN) {
        deny(sv, rq, name, r);
        return;
    }
    struct pccs_err err = PCCS_ERR_INIT;
    if (get) {
        if (key[0]) {
            reply_error(r, 405, "GET the whole register");
            return;
        }
        struct reg_list l = {sv, rq, &rc, json_array(), NULL, {NULL}, false};
        int64_t version = 0;
        int rcode = pccs_register_rows(st, name, reg_row_cb, &l, &version, &err);
        if (rcode && rcode != PCCS_ENOTFOUND) {
            json_decref(l.rows);
            reply_error(r, status_of(rcode), err.msg);
            return;
        }
        json_t *j = json_object();
        json_object_set_new(j, "register", json_string(name));
        json_object_set_new(j, "version", json_integer(version));
        json_object_set_new(j, "columns", reg_columns_json(&rc));
        json_object_set_new(j, "rows", l.rows);
        json_object_set_new(j, "can_edit", json_boolean(can_edit(rq)));
        reply_json(r, 200, j);
        return;
    }
    enum pccs_register_op op = !strcmp(rq->method, "POST")     ? PCCS_REG_CREATE
                               : !strcmp(rq->method, "PUT")    ? PCCS_REG_UPDATE
                               : !strcmp(rq->method, "DELETE") ? PCCS_REG_DELETE
                                                               : (enum pccs_register_op)-1;
    if ((int)op < 0 || (op == PCCS_REG_CREATE) != !key[0]) {
        reply_error(r, 405,
                    "POST /api/registers/NAME, PUT or DELETE "
                    "/api/registers/NAME/KEY");
        return;
    }
    if (!can_edit(rq)) {
        deny(sv, rq, name, r);
        return;
    }
    /* The body: {"values": {"column": "text", ...}, "version": V}. */
    json_error_t je;
    json_t *body = rq->body_len ? json_loadb(rq->body, rq->body_len, 0, &je)
                                : json_object();
    json_t *vals = body ? json_object_get(body, "values") : NULL;
    json_t *ver = body ? json_object_get(body, "version") : NULL;
    if (!json_is_object(body) || (ver && !json_is_integer(ver)) ||
        (op != PCCS_REG_DELETE && !json_is_object(vals))) {
        json_decref(body);
        reply_error(r, 400,
                    "give {\"values\": {COLUMN: TEXT, ...}, \"version\": "
                    "N} as JSON");
        return;
    }
    const char *v[16] = {NULL};
    char numbuf[16][32];
    const char *col;
    json_t *x;
    json_object_foreach(vals, col, x)
    {
        size_t k = 0;
        while (k < rc.n && strcmp(rc.c[k].name, col))
            k++;
        char msg[160];
        if (k == rc.n) {
            snprintf(msg, sizeof(msg), "%s: the %s register has no such column",
                     col, name);
            json_decref(body);
            reply_error(r, 400, msg);
            return;
        }
        if (json_is_string(x))
            v[k] = json_string_value(x);
        else if (json_is_number(x)) {
            snprintf(numbuf[k], sizeof(numbuf[k]), "%.10g", json_number_value(x));
            v[k] = numbuf[k];
        }
        else if (json_is_null(x))
            v[k] = "";
        else {
            snprintf(msg, sizeof(msg), "%s: give text or a number", col);
            json_decref(body);
            reply_error(r, 400, msg);
            return;
        }
    }
    pthread_mutex_lock(&sv->edit_lock);
    /* The row as it is (update, delete) and as it will be must both be
     * within the user's scope. */
    struct reg_list old = {sv, rq, &rc, NULL, key, {NULL}, false};
    int64_t version = 0;
    int rcode = PCCS_OK;
    if (op != PCCS_REG_CREATE) {
        rcode = pccs_register_rows(st, name, reg_row_cb, &old, &version, &err);
        if (!rcode && !old.found_any)
            rcode = pccs_err_set(&err, PCCS_ENOTFOUND,
                                 "no row %s in the %s register", key, name);
    }
    const char *after[16];
    for (size_t k = 0; k < rc.n; k++)
        after[k] = v[k] ? v[k] : old.found[k] ? old.found[k] : "";
    bool allowed = !rcode &&
                   (op == PCCS_REG_CREATE ||
                    row_visible(sv, rq, &rc, (const char *const *)old.found)) &&
                   row_visible(sv, rq, &rc, after);
    char newkey[24] = "";
    int64_t newver = 0;
    if (!rcode && allowed) {
        struct pccs_register_edit e = {name, op, key[0] ? key : NULL,
                                       op == PCCS_REG_DELETE ? NULL : v,
                                       ver ? json_integer_value(ver) : 0, NULL};
        rcode = pccs_register_change(st, &e, &newver, newkey, &err);
    }
    if (!rcode && allowed)
        __atomic_add_fetch(&sv->generation, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&sv->edit_lock);
    for (size_t k = 0; k < 16; k++)
        free(old.found[k]);
    json_decref(body);
    if (rcode) {
        reply_error(r, status_of(rcode), err.msg);
        return;
    }
    if (!allowed) {
        deny(sv, rq, name, r);
        return;
    }
    static const char *const ops[] = {"register-create", "register-update",
                                      "register-delete"};
    char detail[160];
    snprintf(detail, sizeof(detail), "%s %s -> version %lld key %s", name,
             key[0] ? key : "new", (long long)newver,
             newkey[0] ? newkey : "-");
    audit(sv, rq, rq->sess.user, ops[op], detail);
    json_t *j = json_object();
    json_object_set_new(j, "register", json_string(name));
    json_object_set_new(j, "version", json_integer(newver));
    if (op != PCCS_REG_DELETE)
        json_object_set_new(j, "key", json_string(newkey));
    reply_json(r, op == PCCS_REG_CREATE ? 201 : 200, j);
}

static void
route_api(struct server *sv, struct request *rq, struct reply *r)
{
    struct pccs_err err = PCCS_ERR_INIT;
    struct pccs_store *st = worker_store(sv, &err);
    if (!st) {
        reply_error(r, 500, err.msg);
        return;
    }
    const char *url = rq->url;
    bool get = !strcmp(rq->method, "GET") || !strcmp(rq->method, "HEAD");
    if (!strcmp(url, "/api/login")) {
        if (strcmp(rq->method, "POST") != 0)
            reply_error(r, 405, "log in with POST");
        else
            route_login(sv, rq, st, r);
        return;
    }
    if (!rq->signed_in) {
        reply_error(r, 401, "log in first (POST /api/login)");
        return;
    }
    if (!get) {
        const char *t = MHD_lookup_connection_value(rq->c, MHD_HEADER_KIND,
                                                    "X-CSRF-Token");
        if (!t || !pccs_token_equal(t, rq->sess.csrf)) {
            audit(sv, rq, rq->sess.user, "csrf-refused", rq->method);
            reply_error(r, 403, "missing or wrong X-CSRF-Token");
            return;
        }
    }
    if (!strcmp(url, "/api/logout")) {
        if (get)
            reply_error(r, 405, "log out with POST");
        else {
            pccs_session_end(sv->sessions, rq->sess.token);
            audit(sv, rq, rq->sess.user, "logout", "");
            snprintf(r->cookie, sizeof(r->cookie),
                     "pccs_session=; Path=/; HttpOnly; SameSite=Strict; "
                     "Max-Age=0");
            json_t *j = json_object();
            json_object_set_new(j, "signed_out", json_string(rq->sess.user));
            reply_json(r, 200, j);
        }
        return;
    }
    if (!strncmp(url, "/api/registers", 14) &&
        (url[14] == '/' || url[14] == '\0')) {
        route_registers(sv, rq, st, url + 14, r);
        return;
    }
    if (!get) {
        reply_error(r, 405, "only GET here");
        return;
    }
    if (!strcmp(url, "/api/session")) {
        reply_session(sv, &rq->sess, r);
        return;
    }
    char *key = cache_key(sv, rq);
    if (!cache_get(&sv->cache, key, r)) {
        route_data(sv, rq, st, r);
        if (r->status == 200 && r->body)
            cache_put(&sv->cache, key, r);
    }
    free(key);
}

/* The data: the same answer for the same role, scope and question. */
static void
route_data(struct server *sv, struct request *rq, struct pccs_store *st,
           struct reply *r)
{
    struct pccs_err err = PCCS_ERR_INIT;
    const char *url = rq->url;
    if (!strcmp(url, "/api/orgs"))
        route_search(sv, rq, r);
    else if (!strncmp(url, "/api/orgs/", 10))
        route_org(sv, rq, st, url + 10, r);
    else if (!strcmp(url, "/api/tables")) {
        json_t *a = json_array();
        for (size_t i = 0; pccs_table_defs[i]; i++) {
            json_t *j = json_object();
            json_object_set_new(j, "name",
                                json_string(pccs_table_defs[i]->name));
            json_object_set_new(j, "summary",
                                json_string(pccs_table_defs[i]->summary));
            json_object_set_new(j, "local",
                                json_boolean(pccs_table_defs[i]->local));
            json_array_append_new(a, j);
        }
        reply_json(r, 200, a);
    }
    else if (!strncmp(url, "/api/tables/", 12))
        route_table(sv, rq, st, url + 12, r);
    else if (!strncmp(url, "/api/spc/", 9))
        route_spc(sv, rq, st, url + 9, r);
    else if (!strcmp(url, "/api/sources")) {
        json_t *a = json_array();
        if (pccs_store_sources_each(st, source_cb, a, &err)) {
            json_decref(a);
            reply_error(r, 500, err.msg);
        }
        else
            reply_json(r, 200, a);
    }
    else
        reply_error(r, 404, "no such API path");
}

static void
route(struct server *sv, struct request *rq, struct reply *r)
{
    if (!strcmp(rq->url, "/healthz")) {
        r->status = 200;
        r->type = "text/plain";
        r->body = pccs_xstrdup("ok\n");
        r->len = 3;
        return;
    }
    if (strncmp(rq->url, "/api/", 5) != 0) {
        if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0)
            reply_error(r, 405, "only GET");
        else
            route_static(sv, rq->url, r);
        return;
    }
    const char *token = MHD_lookup_connection_value(rq->c, MHD_COOKIE_KIND,
                                                    "pccs_session");
    rq->signed_in = token && pccs_session_find(sv->sessions, token, &rq->sess);
    rq->scope = rq->signed_in ? pccs_tree_find(&sv->tree, rq->sess.scope) : -1;
    route_api(sv, rq, r);
}

static void
completed(void *cls, struct MHD_Connection *c, void **state,
          enum MHD_RequestTerminationCode why)
{
    (void)cls;
    (void)c;
    (void)why;
    struct upload *u = *state;
    if (u) {
        pccs_buf_release(&u->body);
        free(u);
        *state = NULL;
    }
}

static void
client_addr(struct MHD_Connection *c, char *out, size_t n)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, n, "?");
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
                  out, (socklen_t)n);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6,
                  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                  out, (socklen_t)n);
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
       const char *version, const char *upload, size_t *upload_size,
       void **state)
{
    (void)version;
    struct server *sv = cls;
    struct upload *u = *state;
    if (!u) { /* the headers: the body, if any, comes next */
        *state = pccs_xcalloc(1, sizeof(*u));
        ((struct upload *)*state)->body = (struct pccs_buf)PCCS_BUF_INIT;
        return MHD_YES;
    }
    if (*upload_size) {
        if (u->body.len + *upload_size > MAX_BODY)
            u->too_big = true;
        else
            pccs_buf_add(&u->body, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    struct reply r;
    memset(&r, 0, sizeof(r));
    struct request rq;
    memset(&rq, 0, sizeof(rq));
    rq.c = c;
    rq.method = method;
    rq.url = url;
    rq.body = u->body.p;
    rq.body_len = u->body.len;
    rq.scope = -1;
    client_addr(c, rq.addr, sizeof(rq.addr));
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (u->too_big)
        reply_error(&r, 413, "the body is too large");
    else
        route(sv, &rq, &r);
    if (!r.body)
        reply_error(&r, 500, "no answer");
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r.len, r.body,
        r.cached ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(resp, "Content-Type", r.type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; "
                            "style-src 'self' 'unsafe-inline'; "
                            "frame-ancestors 'none'");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r.cookie[0])
        MHD_add_response_header(resp, "Set-Cookie", r.cookie);
    if (r.retry_after) {
        char ra[16];
        snprintf(ra, sizeof(ra), "%u", r.retry_after);
        MHD_add_response_header(resp, "Retry-After", ra);
    }
    enum MHD_Result ok = MHD_queue_response(c, r.status, resp);
    MHD_destroy_response(resp);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!sv->o->quiet) {
        double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
                    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        pthread_mutex_lock(&sv->log_lock);
        fprintf(stderr, "%s %s %s %u %zu %.1fms\n",
                rq.signed_in ? rq.sess.user : "-", method, url, r.status,
                r.len, ms);
        pthread_mutex_unlock(&sv->log_lock);
    }
    return ok;
}

static int
parse_listen(const char *s, struct sockaddr_in *sa, struct pccs_err *err)
{
    char host[64];
    const char *colon = strrchr(s, ':');
    if (!colon || (size_t)(colon - s) >= sizeof(host))
        return pccs_err_set(err, PCCS_EINVAL,
                            "--listen must be HOST:PORT, such as "
                            "127.0.0.1:8080, not %s",
                            s);
    snprintf(host, sizeof(host), "%.*s", (int)(colon - s), s);
    char *end;
    long port = strtol(colon + 1, &end, 10);
    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (*end || port < 0 || port > 65535 ||
        inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return pccs_err_set(err, PCCS_EINVAL,
                            "--listen must be an IPv4 address and a port, "
                            "such as 127.0.0.1:8080, not %s",
                            s);
    return PCCS_OK;
}

int
pccs_serve(const struct pccs_serve_options *o, struct pccs_err *err)
{
    static struct server sv; /* large (sessions live elsewhere) */
    memset(&sv, 0, sizeof(sv));
    sv.o = o;
    sv.tree = (struct pccs_tree)PCCS_TREE_INIT;
    pthread_mutex_init(&sv.log_lock, NULL);
    if (sodium_init() < 0)
        return pccs_err_set(err, PCCS_EIO, "libsodium would not start");
    struct sockaddr_in sa;
    int rc = parse_listen(o->listen, &sa, err);
    if (rc)
        return rc;
    struct pccs_store *st;
    if ((rc = pccs_store_open(&st, o->store, err)))
        return rc;
    rc = pccs_tree_load(&sv.tree, st, err);
    pccs_store_free(st);
    if (rc)
        return rc;
    sv.england = pccs_tree_find(&sv.tree, "ENG");
    {
        unsigned char pw[32];
        randombytes_buf(pw, sizeof(pw));
        if (crypto_pwhash_str(sv.dummy_hash, (const char *)pw, sizeof(pw),
                              crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE)) {
            pccs_tree_release(&sv.tree);
            return pccs_err_set(err, PCCS_EIO, "out of memory hashing");
        }
    }
    sv.sessions = pccs_sessions_new();
    pthread_rwlock_init(&sv.cache.lock, NULL);
    pthread_mutex_init(&sv.edit_lock, NULL);
    pthread_key_create(&sv.store_key, close_store);
    /* SIGTERM and SIGINT wait for sigwait below, in every thread. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = o->threads ? o->threads : ncpu > 0 ? (unsigned)ncpu : 2;
    /*
     * One thread is the polling thread itself: libmicrohttpd refuses a
     * pool of one (with a warning), so the pool is asked for only when
     * there are two or more.
     */
    struct MHD_OptionItem pool[] = {
        {MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)threads, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    if (threads < 2)
        pool[0].option = MHD_OPTION_END;
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0,
        NULL, NULL, handle, &sv, MHD_OPTION_SOCK_ADDR, &sa,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_ARRAY, pool,
        MHD_OPTION_END);
    if (!d) {
        pccs_tree_release(&sv.tree);
        pccs_sessions_free(sv.sessions);
        cache_free(&sv.cache);
        return pccs_err_set(err, PCCS_EIO, "cannot listen on %s", o->listen);
    }
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char addr[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof(addr));
    printf("pccs serve: listening on http://%s:%u/ (%u threads, store %s)\n",
           addr, info ? info->port : ntohs(sa.sin_port), threads, o->store);
    fflush(stdout);
    int sig;
    sigwait(&sigs, &sig);
    MHD_stop_daemon(d);
    fprintf(stderr, "pccs serve: stopped (%s)\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT");
    pthread_key_delete(sv.store_key);
    pccs_tree_release(&sv.tree);
    pccs_sessions_free(sv.sessions);
    fprintf(stderr, "pccs serve: %lu answers from the cache, %lu computed\n",
            sv.cache.hits, sv.cache.misses);
    cache_free(&sv.cache);
    return PCCS_OK;
}
