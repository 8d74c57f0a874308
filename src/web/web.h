/* SPDX-License-Identifier: MIT */
/*
 * What the files of pccs serve share (internal; web/http.h is the public
 * interface). server.c runs libmicrohttpd and dispatches each request
 * through the route table of routes.c; a handler answers one route and
 * returns PCCS_OK or a PCCS_E* code with a message, and pccs_web_status()
 * alone turns a code into an HTTP status.
 */
#ifndef PCCS_WEB_H
#define PCCS_WEB_H

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "model/tables.h"
#include "model/tree.h"
#include "report/table.h"
#include "store/store.h"
#include "web/http.h"
#include "web/session.h"

/*
 * Codes of the web layer beside those of base/err.h (more negative than
 * any of them), each with its own HTTP status in pccs_web_status().
 */
enum {
    PCCS_WEB_CREATED = 1,       /* a new register row */
    PCCS_WEB_ESIGNIN = -101,    /* no session */
    PCCS_WEB_EMETHOD = -102,    /* not this method here */
    PCCS_WEB_ETHROTTLED = -103, /* too many failed logins */
    PCCS_WEB_EFULL = -104,      /* too many sessions; no audit log */
    PCCS_WEB_ETOOLARGE = -105,  /* the body is too large */
    PCCS_WEB_EHEADERS = -106,   /* too many arguments or headers */
};

struct pccs_web_cache_entry;

/* The most query arguments a request may carry (more: 431). */
#define PCCS_WEB_MAX_ARGS 32

/*
 * Answers already given (cache.c): a segmented LRU over the canonical
 * question, at most max_bytes.
 */
struct pccs_web_cache {
    pthread_mutex_t lock;
    struct pccs_web_cache_entry **bucket;
    struct pccs_web_cache_entry *probation_head, *probation_tail;
    struct pccs_web_cache_entry *protected_head, *protected_tail;
    size_t bytes, protected_bytes, max_bytes;
    unsigned long hits, misses, evictions;
};

struct pccs_web_server {
    const struct pccs_serve_options *o;
    struct pccs_tree tree;
    pthread_mutex_t log_lock;
    pthread_key_t store_key;
    struct pccs_sessions *sessions;
    int england;                             /* the root of the tree */
    char dummy_hash[crypto_pwhash_STRBYTES]; /* of a random password */
    struct pccs_web_cache cache;
    unsigned generation;       /* bumped by every register change */
    pthread_mutex_t edit_lock; /* one register change at a time */
};

struct pccs_web_reply {
    unsigned status; /* set by the dispatcher from the handler's code */
    const char *type;
    char *body; /* owned */
    size_t len;
    char cookie[160]; /* a Set-Cookie header, or "" */
    unsigned retry_after;
    void *cached;           /* the cache's body r->body points into */
    const char *cache_said; /* "hit", "miss" or NULL (not cacheable) */
};

/* One request: who asks, and what they sent. */
struct pccs_web_request {
    struct MHD_Connection *c;
    const char *method, *url;
    const char *rest; /* the url after the route's prefix */
    const char *body;
    size_t body_len;
    char addr[INET6_ADDRSTRLEN];
    bool signed_in;
    struct pccs_session sess;
    int scope; /* the user's scope in the tree, or -1 */
    struct pccs_store *st;
    const struct pccs_web_route *route; /* the route answering */
};

/* A handler fills the reply's body and type and returns PCCS_OK (or
 * PCCS_WEB_CREATED), or returns a code with a message in err. Handlers
 * are declared with the function type: pccs_web_handler_fn name; */
typedef int pccs_web_handler_fn(struct pccs_web_server *sv,
                                struct pccs_web_request *rq,
                                struct pccs_web_reply *r, struct pccs_err *err);
typedef pccs_web_handler_fn *pccs_web_handler;

/* The roles a route admits, as bits of enum pccs_role. */
#define PCCS_WEB_ROLE(r) (1u << (unsigned)(r))
#define PCCS_WEB_ANY_ROLE                                                      \
    (PCCS_WEB_ROLE(PCCS_ROLE_ADMIN) | PCCS_WEB_ROLE(PCCS_ROLE_COMMISSIONER) |  \
     PCCS_WEB_ROLE(PCCS_ROLE_PCN) | PCCS_WEB_ROLE(PCCS_ROLE_PRACTICE))
/* Those who use direct booking (the FHIR routes). */
#define PCCS_WEB_BOOKING_ROLES                                                 \
    (PCCS_WEB_ANY_ROLE | PCCS_WEB_ROLE(PCCS_ROLE_HUB) |                        \
     PCCS_WEB_ROLE(PCCS_ROLE_NHS111))
#define PCCS_WEB_EDITORS                                                       \
    (PCCS_WEB_ROLE(PCCS_ROLE_ADMIN) | PCCS_WEB_ROLE(PCCS_ROLE_COMMISSIONER))

/* What a route answers: the rule pccs_web_authorise() applies. */
enum pccs_web_data {
    PCCS_DATA_NONE,      /* nothing of any organisation */
    PCCS_DATA_PUBLISHED, /* published figures of the organisation asked */
    PCCS_DATA_TABLE,     /* a table: published or local as it says */
    PCCS_DATA_LOCAL,     /* local registers' rows */
    PCCS_DATA_PATIENT,   /* patient-level rows: the practice's users only */
};

/* Which organisation or row a route is asked about. */
enum pccs_web_subject {
    PCCS_SUBJECT_NONE,
    PCCS_SUBJECT_PATH, /* the code in the path (/api/orgs/CODE) */
    PCCS_SUBJECT_IN,   /* in= (else the user's scope) and level= */
    PCCS_SUBJECT_EACH, /* each organisation of the answer (search) */
    PCCS_SUBJECT_ROW,  /* each register row, by its organisations */
};

/* How a route matches and what it needs (struct pccs_web_route flags). */
enum pccs_web_route_flag {
    PCCS_ROUTE_PREFIX = 1u << 0, /* the path is the url's beginning */
    PCCS_ROUTE_AUTH = 1u << 1,   /* a session is needed (else 401) */
    PCCS_ROUTE_CSRF = 1u << 2,   /* the session's X-CSRF-Token (else 403) */
    PCCS_ROUTE_CACHE = 1u << 3,  /* answers are kept in the answer cache */
};

struct pccs_web_route {
    const char *method; /* GET (also HEAD), POST, PUT, DELETE; NULL: any */
    const char *path;   /* the path, or its beginning when PCCS_ROUTE_PREFIX */
    unsigned flags;     /* PCCS_ROUTE_* bits */
    unsigned roles;     /* PCCS_WEB_ROLE bits of the roles admitted (auth) */
    enum pccs_web_data data;
    enum pccs_web_subject subject;
    const char *params; /* the query parameters it takes, comma-separated;
                           NULL none, "*" any */
    pccs_web_handler handler;
    const char *summary;
};

/*
 * What a handler asks pccs_web_authorise() about, beside the route: the
 * organisation (tables: in= and the rows' level) or the organisations a
 * register row names.
 */
struct pccs_web_ask {
    const char *what;      /* named in a refusal: a code, a register */
    int org;               /* the organisation asked about; -1: none known */
    pccs_day at;           /* the tree as at; PCCS_DAY_NONE: the latest */
    enum pccs_level level; /* tables: the rows' level */
    const struct pccs_table_def *table; /* tables */
    bool no_org;              /* a register that names no organisation */
    const char *owner;        /* its owner (or an unowned table's), or NULL:
                                 admins only */
    const char *const *codes; /* a register row's organisations, or NULL */
    size_t ncodes;
    bool *suppress; /* set: disclosure control applies to the answer */
    bool *above;    /* set: the organisation is above the user's scope */
};

/* routes.c */
extern const struct pccs_web_route pccs_web_routes[];
/* The first route for this path (any method), or NULL. */
const struct pccs_web_route *pccs_web_route_path(const char *url);
/* The route for this method and path, or NULL. */
const struct pccs_web_route *pccs_web_route_find(const char *method,
                                                 const char *url);
/* PCCS_OK, or PCCS_EINVAL naming a query parameter rt does not take. */
int pccs_web_route_params(const struct pccs_web_route *rt,
                          struct MHD_Connection *c, struct pccs_err *err);
/* The methods this path answers, as "GET, POST", into buf. */
void pccs_web_route_methods(const char *url, char *buf, size_t n);

/* server.c */
unsigned pccs_web_status(int code);
void pccs_web_reply_json(struct pccs_web_reply *r, json_t *j);
void pccs_web_reply_text(struct pccs_web_reply *r, const char *type,
                         const char *text);
/* The body read from the file at path (its type left to the caller);
 * false when it cannot be opened. */
bool pccs_web_reply_file(struct pccs_web_reply *r, const char *path);
const char *pccs_web_arg(struct MHD_Connection *c, const char *k);
/* Is query argument k on (1 or true)? */
bool pccs_web_flag(struct MHD_Connection *c, const char *k);
bool pccs_web_is_get(const char *method);

/* api_report.c: the committee paper (HTML or PDF) */
int pccs_web_report(struct pccs_web_server *sv, struct pccs_web_request *rq,
                    struct pccs_web_reply *r, struct pccs_err *err);

/* authz.c: who may see what */
/*
 * The one authorisation function: may the user have this answer of their
 * route (ask NULL: the route itself, its session and roles)? PCCS_OK, or
 * PCCS_EFORBIDDEN naming ask->what (else the path), audited.
 */
int pccs_web_authorise(struct pccs_web_server *sv,
                       const struct pccs_web_request *rq,
                       const struct pccs_web_ask *ask, struct pccs_err *err);
/* The same decision, without a refusal: for the items of an answer. */
bool pccs_web_allowed(const struct pccs_web_server *sv,
                      const struct pccs_web_request *rq,
                      const struct pccs_web_ask *ask);
/* Does the route of method and path admit the user's role? */
bool pccs_web_route_admits(const struct pccs_web_request *rq,
                           const char *method, const char *url);
/* Is org top or within top's subtree, as at at? (the tree alone) */
bool pccs_web_org_within(const struct pccs_web_server *sv, int org, int top,
                         pccs_day at);
/* False (and a line on stderr) if the line could not be written. */
bool pccs_web_audit(struct pccs_web_server *sv,
                    const struct pccs_web_request *rq, const char *user,
                    const char *action, const char *detail);

/*
 * Direct booking: may the user book a patient of practice (NULL: any
 * patient, e.g. to list the slots) into a slot of org with bookable_by
 * bookable? The _authorise form audits a refusal and says why.
 */
bool pccs_web_may_book(const struct pccs_web_server *sv,
                       const struct pccs_web_request *rq, const char *org,
                       const char *bookable, const char *practice);
int pccs_web_authorise_booking(struct pccs_web_server *sv,
                               const struct pccs_web_request *rq,
                               const char *org, const char *bookable,
                               const char *practice, struct pccs_err *err);

/* auth.c */
int pccs_web_auth_identify(struct pccs_web_server *sv,
                           struct pccs_web_request *rq, struct pccs_err *err);
/* Behind --trusted-proxy: the client's address from X-Forwarded-For. */
void pccs_web_auth_forwarded(const struct pccs_web_server *sv,
                             struct pccs_web_request *rq);
bool pccs_web_auth_csrf_ok(struct pccs_web_server *sv,
                           const struct pccs_web_request *rq);
pccs_web_handler_fn pccs_web_login;
pccs_web_handler_fn pccs_web_logout;
pccs_web_handler_fn pccs_web_session;

/* cache.c */
void pccs_web_cache_init(struct pccs_web_cache *c, size_t max_bytes);
/* An answer from the cache has been sent: its body may go. */
void pccs_web_cache_done(void *body);
char *pccs_web_cache_key(struct pccs_web_server *sv,
                         const struct pccs_web_request *rq);
bool pccs_web_cache_get(struct pccs_web_cache *c, const char *key,
                        struct pccs_web_reply *r);
void pccs_web_cache_put(struct pccs_web_cache *c, const char *key,
                        const struct pccs_web_reply *r);
void pccs_web_cache_free(struct pccs_web_cache *c);

/* static.c */
pccs_web_handler_fn pccs_web_static;

/* api_tables.c */
pccs_web_handler_fn pccs_web_tables;
pccs_web_handler_fn pccs_web_spc_metrics;
pccs_web_handler_fn pccs_web_table;
/* A table's JSON (as pccs_table_write writes it) for q, into *out. */
int pccs_web_table_json(struct pccs_web_server *sv, struct pccs_store *st,
                        const char *name, const struct pccs_table_query *q,
                        json_t **out, struct pccs_err *err);
/* The format= of an answer: json (the default), csv or xlsx. */
int pccs_web_answer_format(const char *format, enum pccs_format *fmt,
                           struct pccs_err *err);
/* A table as the answer, in fmt. */
int pccs_web_reply_table(struct pccs_web_reply *r, const struct pccs_table *t,
                         enum pccs_format fmt, struct pccs_err *err);

/* api_orgs.c */
pccs_web_handler_fn pccs_web_orgs_search;
pccs_web_handler_fn pccs_web_org;

/* api_fhir.c: FHIR R4 Slot and Appointment (direct booking) */
int pccs_web_fhir_slots(struct pccs_web_server *sv, struct pccs_web_request *rq,
                        struct pccs_web_reply *r, struct pccs_err *err);
int pccs_web_fhir_book(struct pccs_web_server *sv, struct pccs_web_request *rq,
                       struct pccs_web_reply *r, struct pccs_err *err);
int pccs_web_fhir_appts(struct pccs_web_server *sv, struct pccs_web_request *rq,
                        struct pccs_web_reply *r, struct pccs_err *err);
int pccs_web_fhir_appt(struct pccs_web_server *sv, struct pccs_web_request *rq,
                       struct pccs_web_reply *r, struct pccs_err *err);
/* An error as a FHIR OperationOutcome (the body of r replaced). */
void pccs_web_fhir_outcome(struct pccs_web_reply *r, int code, const char *msg);

/* api_spc.c */
pccs_web_handler_fn pccs_web_spc;

/* api_sources.c */
pccs_web_handler_fn pccs_web_sources;

/* api_patients.c */
int pccs_web_patients(struct pccs_web_server *sv, struct pccs_web_request *rq,
                      struct pccs_web_reply *r, struct pccs_err *err);

/* api_registers.c */
pccs_web_handler_fn pccs_web_registers;
pccs_web_handler_fn pccs_web_register_rows;
pccs_web_handler_fn pccs_web_register_edit;
/*
 * The organisation whose version of a register that names none
 * (milestones, budget; name may also be a table's name) the user reads:
 * each organisation that loads one has its own (pccs load --org; an edit
 * keeps it); the newest owner within the user's scope (an admin: the
 * newest of all), in buf (n bytes); NULL for a register that names
 * organisations, or when there is none (or the newest has no owner).
 */
const char *pccs_web_register_owner(const struct pccs_web_server *sv,
                                    const struct pccs_web_request *rq,
                                    const char *name, char *buf, size_t n);
/* Keep the rows of the register table the user may see within in. */
void pccs_web_keep_register_rows(const struct pccs_web_server *sv,
                                 const struct pccs_web_request *rq, int in,
                                 const char *group, struct pccs_table *t);

#endif
