/* SPDX-License-Identifier: MIT */
/*
 * The HTTP server: libmicrohttpd (a thread pool over epoll), each request
 * dispatched through the route table (routes.c), every answer's status
 * decided in one place (pccs_web_status).
 *
 * The dispatcher, for a request to a path of the table: 401 when the
 * route needs a session and there is none; 403 when a request that
 * changes state lacks the session's CSRF token; 405 when no route of the
 * path takes the method; then the answer cache (GET of a cacheable route)
 * or the handler. Errors are JSON {"error": ..., "status": ...}.
 *
 * Each worker thread opens its own store connection (SQLite handles are
 * not shared); the organisation tree is built once at start and read by
 * every thread (restart the server after loading files).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "model/booking.h"
#include "web/web.h"

#define MAX_BODY 65536
/* Connections in all; one address has at most --per-address of them, so
 * that slow clients from one address cannot hold every one. */
#define MAX_CONNECTIONS 1000

/* One request, kept between libmicrohttpd's calls: its upload and what
 * was wrong with it from the start. */
struct upload {
    struct pccs_buf body;
    bool started;  /* the headers are in */
    bool too_big;  /* the body is larger than MAX_BODY */
    bool too_many; /* more than PCCS_WEB_MAX_ARGS query arguments */
};

/*
 * The request target, before libmicrohttpd parses its query: with more
 * than PCCS_WEB_MAX_ARGS arguments, libmicrohttpd (0.9.75) runs out of
 * its per-connection memory parsing them and answers nothing until the
 * connection times out. Such a query is emptied here (the target is the
 * connection's own buffer, its query not yet parsed) and the request
 * answered 431 at once.
 */
static void *
uri_seen(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    struct upload *u = pccs_xcalloc(1, sizeof(*u));
    u->body = (struct pccs_buf)PCCS_BUF_INIT;
    char *q = strchr(uri, '?');
    size_t n = 0;
    for (const char *p = q; p && *p; p++)
        n += *p == '&' || *p == ';';
    if (q && n + 1 > PCCS_WEB_MAX_ARGS) {
        u->too_many = true;
        q[1] = '\0'; /* libmicrohttpd has found the '?': parse nothing */
    }
    return u;
}

/* The one place a code becomes an HTTP status. */
unsigned
pccs_web_status(int code)
{
    switch (code) {
    case PCCS_OK:
        return 200;
    case PCCS_WEB_CREATED:
        return 201;
    case PCCS_EINVAL:
    case PCCS_EPARSE:
        return 400;
    case PCCS_WEB_ESIGNIN:
        return 401;
    case PCCS_EFORBIDDEN:
        return 403;
    case PCCS_ENOTFOUND:
        return 404;
    case PCCS_WEB_EMETHOD:
        return 405;
    case PCCS_ECONFLICT:
        return 409;
    case PCCS_WEB_ETOOLARGE:
        return 413;
    case PCCS_EUNSUPPORTED:
        return 415;
    case PCCS_WEB_ETHROTTLED:
        return 429;
    case PCCS_WEB_EHEADERS:
        return 431;
    case PCCS_WEB_EFULL:
        return 503;
    default:
        return 500;
    }
}

static void
close_store(void *p)
{
    pccs_store_free(p);
}

/* This worker's own connection to the store. */
static struct pccs_store *
worker_store(struct pccs_web_server *sv, struct pccs_err *err)
{
    struct pccs_store *st = pthread_getspecific(sv->store_key);
    if (!st && pccs_store_open(&st, sv->o->store, err) == PCCS_OK)
        pthread_setspecific(sv->store_key, st);
    return st;
}

void
pccs_web_reply_json(struct pccs_web_reply *r, json_t *j)
{
    r->type = "application/json; charset=utf-8";
    r->body = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    r->len = r->body ? strlen(r->body) : 0;
    json_decref(j);
}

void
pccs_web_reply_text(struct pccs_web_reply *r, const char *type,
                    const char *text)
{
    r->type = type;
    r->body = pccs_xstrdup(text);
    r->len = strlen(text);
}

bool
pccs_web_reply_file(struct pccs_web_reply *r, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    r->body = pccs_xmalloc(n > 0 ? (size_t)n + 1 : 1);
    r->len = n > 0 ? fread(r->body, 1, (size_t)n, f) : 0;
    fclose(f);
    return true;
}

/* The answer to a refusal: {"error": msg, "status": N}. */
static void
reply_error(struct pccs_web_reply *r, int code, const char *msg)
{
    if (r->cached)
        pccs_web_cache_done(r->cached);
    else
        free(r->body);
    r->body = NULL;
    r->cached = NULL;
    r->cache_said = NULL;
    r->status = pccs_web_status(code);
    json_t *j = json_object();
    json_object_set_new(j, "error", json_string(msg));
    json_object_set_new(j, "status", json_integer(r->status));
    pccs_web_reply_json(r, j);
}

const char *
pccs_web_arg(struct MHD_Connection *c, const char *k)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, k);
    return v && *v ? v : NULL;
}

bool
pccs_web_flag(struct MHD_Connection *c, const char *k)
{
    const char *v = pccs_web_arg(c, k);
    return v && (!strcmp(v, "1") || !strcmp(v, "true"));
}

bool
pccs_web_is_get(const char *method)
{
    return !strcmp(method, "GET") || !strcmp(method, "HEAD");
}

/* The handler's answer, from the cache when the route allows. */
static int
answer(struct pccs_web_server *sv, const struct pccs_web_route *rt,
       struct pccs_web_request *rq, struct pccs_web_reply *r,
       struct pccs_err *err)
{
    if (!(rt->flags & PCCS_ROUTE_CACHE) || !pccs_web_is_get(rq->method))
        return rt->handler(sv, rq, r, err);
    char *key = pccs_web_cache_key(sv, rq);
    int rc = PCCS_OK;
    r->cache_said = "hit";
    if (!pccs_web_cache_get(&sv->cache, key, r)) {
        r->cache_said = "miss";
        rc = rt->handler(sv, rq, r, err);
        if (rc == PCCS_OK && r->body)
            pccs_web_cache_put(&sv->cache, key, r);
    }
    free(key);
    return rc;
}

/* The route table's checks, then the answer. */
static int
dispatch(struct pccs_web_server *sv, struct pccs_web_request *rq,
         struct pccs_web_reply *r, struct pccs_err *err)
{
    const struct pccs_web_route *any = pccs_web_route_path(rq->url);
    if (!any)
        return pccs_err_set(err, PCCS_ENOTFOUND, "not found");
    if ((!strncmp(rq->url, "/api/", 5) || !strncmp(rq->url, "/fhir/", 6)) &&
        !(rq->st = worker_store(sv, err)))
        return err->code ? err->code : PCCS_EIO;
    if (any->flags & PCCS_ROUTE_AUTH) {
        int rc = pccs_web_auth_identify(sv, rq, err);
        if (rc)
            return rc;
        if (!rq->signed_in)
            return pccs_err_set(err, PCCS_WEB_ESIGNIN,
                                "log in first (POST /api/login)");
    }
    const struct pccs_web_route *rt = pccs_web_route_find(rq->method, rq->url);
    bool unsafe = !pccs_web_is_get(rq->method);
    if (unsafe &&
        ((rt && (rt->flags & PCCS_ROUTE_CSRF)) ||
         (!rt && (any->flags & PCCS_ROUTE_AUTH))) &&
        !pccs_web_auth_csrf_ok(sv, rq))
        return pccs_err_set(err, PCCS_EFORBIDDEN,
                            "missing or wrong X-CSRF-Token");
    if (!rt) {
        char methods[64];
        pccs_web_route_methods(rq->url, methods, sizeof(methods));
        return pccs_err_set(err, PCCS_WEB_EMETHOD, "%s: use %s", rq->method,
                            methods);
    }
    rq->rest = rq->url + ((rt->flags & PCCS_ROUTE_PREFIX) ? strlen(rt->path)
                                                          : strlen(rq->url));
    rq->route = rt;
    int rc = pccs_web_authorise(sv, rq, NULL, err);
    if (!rc)
        rc = pccs_web_route_params(rt, rq->c, err);
    if (rc)
        return rc;
    return answer(sv, rt, rq, r, err);
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
        inet_ntop(AF_INET,
                  &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
                  out, (socklen_t)n);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6,
                  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                  out, (socklen_t)n);
}

/* Queue r on c with the headers every answer carries. */
static enum MHD_Result
send_reply(struct MHD_Connection *c, struct pccs_web_reply *r)
{
    struct MHD_Response *resp =
        r->cached ? MHD_create_response_from_buffer_with_free_callback_cls(
                        r->len, r->body, pccs_web_cache_done, r->cached)
                  : MHD_create_response_from_buffer(r->len, r->body,
                                                    MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(resp, "Content-Type", r->type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; "
                            "style-src 'self' 'unsafe-inline'; "
                            "frame-ancestors 'none'");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r->cookie[0])
        MHD_add_response_header(resp, "Set-Cookie", r->cookie);
    if (r->cache_said)
        MHD_add_response_header(resp, "X-Pccs-Cache", r->cache_said);
    if (r->retry_after) {
        char ra[16];
        snprintf(ra, sizeof(ra), "%u", r->retry_after);
        MHD_add_response_header(resp, "Retry-After", ra);
    }
    enum MHD_Result ok = MHD_queue_response(c, r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static void
log_request(struct pccs_web_server *sv, const struct pccs_web_request *rq,
            const struct pccs_web_reply *r, const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
                (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
    pthread_mutex_lock(&sv->log_lock);
    fprintf(stderr, "%s %s %s %u %zu %.1fms\n",
            rq->signed_in ? rq->sess.user : "-", rq->method, rq->url, r->status,
            r->len, ms);
    pthread_mutex_unlock(&sv->log_lock);
}

/* Gather the upload; false while more of it is to come. */
static bool
upload_done(void **state, const char *upload, size_t *upload_size)
{
    struct upload *u = *state;
    if (!u->started) { /* the headers: the body, if any, comes next */
        u->started = true;
        return false;
    }
    if (*upload_size) {
        if (u->body.len + *upload_size > MAX_BODY)
            u->too_big = true;
        else
            pccs_buf_add(&u->body, upload, *upload_size);
        *upload_size = 0;
        return false;
    }
    return true;
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
       const char *version, const char *upload, size_t *upload_size,
       void **state)
{
    (void)version;
    struct pccs_web_server *sv = cls;
    if (!upload_done(state, upload, upload_size))
        return MHD_YES;
    struct upload *u = *state;
    struct pccs_web_reply r = {.status = 0};
    struct pccs_web_request rq = {.c = c,
                                  .method = method,
                                  .url = url,
                                  .body = u->body.p,
                                  .body_len = u->body.len,
                                  .scope = -1};
    client_addr(c, rq.addr, sizeof(rq.addr));
    pccs_web_auth_forwarded(sv, &rq);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct pccs_err err = PCCS_ERR_INIT;
    int rc =
        u->too_many
            ? pccs_err_set(&err, PCCS_WEB_EHEADERS,
                           "more than %d query arguments", PCCS_WEB_MAX_ARGS)
        : u->too_big
            ? pccs_err_set(&err, PCCS_WEB_ETOOLARGE, "the body is too large")
            : dispatch(sv, &rq, &r, &err);
    if (rc < 0)
        reply_error(&r, rc, err.msg[0] ? err.msg : pccs_strerror(rc));
    if (rc < 0 && !strncmp(url, "/fhir/", 6))
        pccs_web_fhir_outcome(&r, rc, err.msg[0] ? err.msg : pccs_strerror(rc));
    else if (!r.body)
        reply_error(&r, PCCS_EIO, "no answer");
    else
        r.status = pccs_web_status(rc);
    enum MHD_Result ok = send_reply(c, &r);
    if (!sv->o->quiet)
        log_request(sv, &rq, &r, &t0);
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

/* The tree, the sessions, the cache: what the server holds. */
static int
server_init(struct pccs_web_server *sv, const struct pccs_serve_options *o,
            struct pccs_err *err)
{
    memset(sv, 0, sizeof(*sv));
    sv->o = o;
    sv->tree = (struct pccs_tree)PCCS_TREE_INIT;
    pthread_mutex_init(&sv->log_lock, NULL);
    if (sodium_init() < 0)
        return pccs_err_set(err, PCCS_EIO, "libsodium would not start");
    struct pccs_store *st;
    int rc = pccs_store_open(&st, o->store, err);
    if (rc)
        return rc;
    rc = pccs_tree_load(&sv->tree, st, err);
    /* The slots of the booking sessions loaded since the last start. */
    if (!rc && !pccs_store_readonly(st))
        rc = pccs_booking_sync(st, NULL, err);
    pccs_store_free(st);
    if (rc)
        return rc;
    sv->england = pccs_tree_find(&sv->tree, "ENG");
    unsigned char pw[32];
    randombytes_buf(pw, sizeof(pw));
    if (crypto_pwhash_str(sv->dummy_hash, (const char *)pw, sizeof(pw),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE)) {
        pccs_tree_release(&sv->tree);
        return pccs_err_set(err, PCCS_EIO, "out of memory hashing");
    }
    sv->sessions = pccs_sessions_new();
    pccs_web_cache_init(&sv->cache, (size_t)(o->cache_mb ? o->cache_mb : 64)
                                        << 20);
    pthread_mutex_init(&sv->edit_lock, NULL);
    pthread_key_create(&sv->store_key, close_store);
    return PCCS_OK;
}

static void
server_release(struct pccs_web_server *sv)
{
    pthread_key_delete(sv->store_key);
    pccs_tree_release(&sv->tree);
    pccs_sessions_free(sv->sessions);
    pccs_web_cache_free(&sv->cache);
}

static struct MHD_Daemon *
start_daemon(struct pccs_web_server *sv, struct sockaddr_in *sa,
             unsigned threads)
{
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
    return MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0,
        NULL, NULL, handle, sv, MHD_OPTION_SOCK_ADDR, sa,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)(sv->o->per_address ? sv->o->per_address : 128),
        MHD_OPTION_URI_LOG_CALLBACK, uri_seen, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_ARRAY, pool,
        MHD_OPTION_END);
}

int
pccs_serve(const struct pccs_serve_options *o, struct pccs_err *err)
{
    static struct pccs_web_server sv; /* large (sessions live elsewhere) */
    struct sockaddr_in sa;
    if (o->threads > PCCS_SERVE_MAX_THREADS)
        return pccs_err_set(err, PCCS_EINVAL,
                            "--threads must be from 1 to %d, not %u",
                            PCCS_SERVE_MAX_THREADS, o->threads);
    if (o->per_address >= MAX_CONNECTIONS)
        return pccs_err_set(err, PCCS_EINVAL,
                            "--per-address must be from 1 to %d, not %u",
                            MAX_CONNECTIONS - 1, o->per_address);
    int rc = parse_listen(o->listen, &sa, err);
    if (!rc)
        rc = server_init(&sv, o, err);
    if (rc)
        return rc;
    /* SIGTERM and SIGINT wait for sigwait below, in every thread. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = o->threads ? o->threads : ncpu > 0 ? (unsigned)ncpu : 2;
    struct MHD_Daemon *d = start_daemon(&sv, &sa, threads);
    if (!d) {
        server_release(&sv);
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
    fprintf(stderr,
            "pccs serve: %lu answers from the cache, %lu computed, %lu "
            "evicted\n",
            sv.cache.hits, sv.cache.misses, sv.cache.evictions);
    server_release(&sv);
    return PCCS_OK;
}
