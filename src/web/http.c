/* SPDX-License-Identifier: MIT */
/*
 * The HTTP server and its routes (GET only so far):
 *   /api/sources                      the loaded files
 *   /api/orgs?q=TEXT                  search by code or name
 *   /api/orgs/CODE                    parents, children, populations
 *   /api/tables                       the tables
 *   /api/tables/NAME?level=&in=&at=&period=&year=&group=&compare=
 *                    &explain=1&suppress=1&format=json|csv|xlsx
 *   /api/spc/METRIC/CODE              an SPC series pccs holds
 *   /healthz                          "ok"
 *   anything else: the dashboard's files from --web, if given
 * Errors are JSON {"error": ...} with 400 (bad parameter), 404 (unknown
 * organisation, table or path), 405 (not GET) or 500.
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
#include "model/tables.h"
#include "model/tree.h"
#include "store/store.h"

struct server {
    const struct pccs_serve_options *o;
    struct pccs_tree tree;
    pthread_mutex_t log_lock;
    pthread_key_t store_key;
};

struct reply {
    unsigned status;
    const char *type;
    char *body; /* owned */
    size_t len;
};

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

static unsigned
status_of(int rc)
{
    return rc == PCCS_ENOTFOUND ? 404 : rc == PCCS_EINVAL ? 400 : 500;
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

/* Does hay contain needle, ignoring ASCII case? */
static bool
contains_ci(const char *hay, const char *needle, size_t nl)
{
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, nl))
            return true;
    return false;
}

/* /api/orgs?q= */
static void
route_search(struct server *sv, struct MHD_Connection *c, struct reply *r)
{
    const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q");
    if (!q || strlen(q) < 2) {
        reply_error(r, 400, "q: give at least 2 characters of a code or name");
        return;
    }
    json_t *a = json_array();
    size_t ql = strlen(q);
    for (size_t i = 0; i < sv->tree.norgs && json_array_size(a) < 50; i++) {
        const struct pccs_tree_org *o = &sv->tree.orgs[i];
        if (o->level == PCCS_LEVEL_NONE)
            continue;
        if (!strncasecmp(o->code, q, ql) || (o->name && contains_ci(o->name, q, ql)))
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
route_org(struct server *sv, struct pccs_store *st, const char *code,
          struct reply *r)
{
    int o = pccs_tree_find(&sv->tree, code);
    if (o < 0) {
        char msg[128];
        snprintf(msg, sizeof(msg), "unknown organisation %s", code);
        reply_error(r, 404, msg);
        return;
    }
    pccs_day at = pccs_tree_default_day(&sv->tree);
    json_t *j = org_brief(&sv->tree.orgs[o]);
    json_t *parents = json_array();
    for (int p = pccs_tree_up(&sv->tree, o, at, 0), guard = 0;
         p >= 0 && guard < PCCS_NLEVELS;
         p = pccs_tree_up(&sv->tree, p, at, 0), guard++)
        json_array_append_new(parents, org_brief(&sv->tree.orgs[p]));
    json_object_set_new(j, "parents", parents);
    json_t *children = json_array();
    for (size_t i = 0; i < sv->tree.norgs; i++)
        if ((int)i != o && pccs_tree_up(&sv->tree, (int)i, at, 0) == o)
            json_array_append_new(children, org_brief(&sv->tree.orgs[i]));
    json_object_set_new(j, "children", children);
    struct pccs_table_query q = {sv->tree.orgs[o].level,
                                 code,
                                 PCCS_DAY_NONE,
                                 NULL,
                                 NULL,
                                 NULL,
                                 false,
                                 false};
    struct pccs_err err = PCCS_ERR_INIT;
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

/* /api/tables/NAME */
static void
route_table(struct server *sv, struct pccs_store *st, struct MHD_Connection *c,
            const char *name, struct reply *r)
{
    const struct pccs_table_def *def = pccs_table_def_find(name);
    if (!def) {
        reply_error(r, 404, "no such table (GET /api/tables lists them)");
        return;
    }
    struct pccs_table_query q = {PCCS_LEVEL_NONE,    arg(c, "in"),
                                 PCCS_DAY_NONE,      arg(c, "period"),
                                 arg(c, "group"),    arg(c, "compare"),
                                 flag(c, "explain"), flag(c, "suppress")};
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
    if (at && pccs_date_parse(pccs_str_from(at), &q.at)) {
        reply_error(r, 400, "at must be a date such as 2022-04-01");
        return;
    }
    enum pccs_format fmt = PCCS_FMT_JSON;
    if (format && (pccs_format_parse(format, &fmt) || fmt == PCCS_FMT_TEXT)) {
        reply_error(r, 400, "format must be json, csv or xlsx");
        return;
    }
    struct pccs_table t;
    memset(&t, 0, sizeof(t));
    struct pccs_err err = PCCS_ERR_INIT;
    int rc = pccs_table_run(def, st, &sv->tree, &q, &t, &err);
    if (rc) {
        reply_error(r, status_of(rc), err.msg);
        pccs_table_release(&t);
        return;
    }
    if (fmt == PCCS_FMT_XLSX) {
        char path[] = "/tmp/pccs-serve-XXXXXX";
        int fd = mkstemp(path);
        if (fd >= 0)
            close(fd);
        rc = fd < 0 ? PCCS_EIO : pccs_table_write_xlsx(&t, path, &err);
        FILE *f = rc ? NULL : fopen(path, "rb");
        if (f) {
            fseek(f, 0, SEEK_END);
            long n = ftell(f);
            fseek(f, 0, SEEK_SET);
            r->body = pccs_xmalloc((size_t)n + 1);
            r->len = fread(r->body, 1, (size_t)n, f);
            fclose(f);
            r->status = 200;
            r->type = "application/vnd.openxmlformats-officedocument."
                      "spreadsheetml.sheet";
        }
        else
            reply_error(r, 500, "cannot write the workbook");
        if (fd >= 0)
            unlink(path);
    }
    else {
        FILE *f = open_memstream(&r->body, &r->len);
        pccs_table_write(&t, fmt, f, &err);
        fclose(f);
        r->status = 200;
        r->type = fmt == PCCS_FMT_CSV ? "text/csv; charset=utf-8"
                                      : "application/json; charset=utf-8";
    }
    pccs_table_release(&t);
}

/* /api/spc/METRIC/CODE */
static void
route_spc(struct server *sv, struct pccs_store *st, const char *rest,
          struct reply *r)
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
    FILE *f = open_memstream(&r->body, &r->len);
    pccs_table_write(&t, PCCS_FMT_JSON, f, &err);
    fclose(f);
    r->status = 200;
    r->type = "application/json; charset=utf-8";
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
    json_object_set_new(j, "period", json_string(s->period ? s->period : ""));
    json_object_set_new(j, "rows", json_integer(s->rows_loaded));
    json_object_set_new(j, "sha256", json_string(s->sha256 ? s->sha256 : ""));
    json_object_set_new(j, "loaded_at",
                        json_string(s->loaded_at ? s->loaded_at : ""));
    json_array_append_new(ctx, j);
    return 0;
}

/* A file of the dashboard (no "..", no hidden files). */
static void
route_static(struct server *sv, const char *url, struct reply *r)
{
    if (!sv->o->web || strstr(url, "..") || strstr(url, "/.")) {
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
                                      : "application/octet-stream";
}

static void
route(struct server *sv, struct MHD_Connection *c, const char *url,
      struct reply *r)
{
    if (!strcmp(url, "/healthz")) {
        r->status = 200;
        r->type = "text/plain";
        r->body = pccs_xstrdup("ok\n");
        r->len = 3;
        return;
    }
    if (strncmp(url, "/api/", 5) != 0) {
        route_static(sv, url, r);
        return;
    }
    struct pccs_err err = PCCS_ERR_INIT;
    struct pccs_store *st = worker_store(sv, &err);
    if (!st) {
        reply_error(r, 500, err.msg);
        return;
    }
    if (!strcmp(url, "/api/orgs"))
        route_search(sv, c, r);
    else if (!strncmp(url, "/api/orgs/", 10))
        route_org(sv, st, url + 10, r);
    else if (!strcmp(url, "/api/tables")) {
        json_t *a = json_array();
        for (size_t i = 0; pccs_table_defs[i]; i++) {
            json_t *j = json_object();
            json_object_set_new(j, "name",
                                json_string(pccs_table_defs[i]->name));
            json_object_set_new(j, "summary",
                                json_string(pccs_table_defs[i]->summary));
            json_array_append_new(a, j);
        }
        reply_json(r, 200, a);
    }
    else if (!strncmp(url, "/api/tables/", 12))
        route_table(sv, st, c, url + 12, r);
    else if (!strncmp(url, "/api/spc/", 9))
        route_spc(sv, st, url + 9, r);
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

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
       const char *version, const char *upload, size_t *upload_size,
       void **state)
{
    (void)version;
    (void)upload;
    struct server *sv = cls;
    if (!*state) { /* the headers: wait for the (refused) body, if any */
        *state = sv;
        return MHD_YES;
    }
    struct reply r = {0, NULL, NULL, 0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (*upload_size) {
        *upload_size = 0; /* no request takes a body yet */
        reply_error(&r, 413, "no request takes a body");
    }
    else if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        reply_error(&r, 405, "only GET");
    else
        route(sv, c, url, &r);
    if (!r.body)
        reply_error(&r, 500, "no answer");
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(r.len, r.body, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(resp, "Content-Type", r.type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    enum MHD_Result ok = MHD_queue_response(c, r.status, resp);
    MHD_destroy_response(resp);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!sv->o->quiet) {
        double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
                    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        pthread_mutex_lock(&sv->log_lock);
        fprintf(stderr, "%s %s %u %zu %.1fms\n", method, url, r.status, r.len,
                ms);
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
    struct server sv = {o, PCCS_TREE_INIT, PTHREAD_MUTEX_INITIALIZER, 0};
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
    pthread_key_create(&sv.store_key, close_store);
    /* SIGTERM and SIGINT wait for sigwait below, in every thread. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = o->threads ? o->threads : ncpu > 0 ? (unsigned)ncpu : 2;
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0,
        NULL, NULL, handle, &sv, MHD_OPTION_SOCK_ADDR, &sa,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)10, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000, MHD_OPTION_END);
    if (!d) {
        pccs_tree_release(&sv.tree);
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
    return PCCS_OK;
}
