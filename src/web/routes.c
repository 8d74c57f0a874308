/* SPDX-License-Identifier: MIT */
/*
 * The route table of pccs serve: one line per route, like the command
 * table of cmd/cmd.c. The first route whose path matches decides whether
 * a session is needed; the first whose path and method match answers.
 * A new API route is one line here and its handler in the api_*.c file
 * of its area.
 */
#include <stdio.h>
#include <string.h>

#include "web/web.h"

static int
healthz(struct pccs_web_server *sv, struct pccs_web_request *rq,
        struct pccs_web_reply *r, struct pccs_err *err)
{
    (void)sv;
    (void)rq;
    (void)err;
    pccs_web_reply_text(r, "text/plain", "ok\n");
    return PCCS_OK;
}

/* An /api/ path no other route answers. */
static int
api_unknown(struct pccs_web_server *sv, struct pccs_web_request *rq,
            struct pccs_web_reply *r, struct pccs_err *err)
{
    (void)sv;
    (void)r;
    if (!pccs_web_is_get(rq->method))
        return pccs_err_set(err, PCCS_WEB_EMETHOD, "only GET here");
    return pccs_err_set(err, PCCS_ENOTFOUND, "no such API path");
}

/* Short names for the table's columns. */
#define PREFIX PCCS_ROUTE_PREFIX
#define AUTH PCCS_ROUTE_AUTH
#define CSRF PCCS_ROUTE_CSRF
#define CACHE PCCS_ROUTE_CACHE
#define ANY PCCS_WEB_ANY_ROLE
#define BOOKING PCCS_WEB_BOOKING_ROLES
#define EDITORS PCCS_WEB_EDITORS
#define HUB PCCS_WEB_ROLE(PCCS_ROLE_HUB)

/*
 * One route a row: method (NULL: any), path, PCCS_ROUTE_* flags, roles,
 * what it answers, what it is asked about, the query parameters it takes,
 * its handler and what it answers, as pccs serve --routes lists them.
 */
const struct pccs_web_route pccs_web_routes[] = {
    {"GET", "/healthz", 0, 0, PCCS_DATA_NONE, PCCS_SUBJECT_NONE, "*", healthz,
     "\"ok\" while the server runs"},
    {"POST", "/api/login", 0, 0, PCCS_DATA_NONE, PCCS_SUBJECT_NONE, NULL,
     pccs_web_login,
     "{\"user\", \"password\"}: a session cookie and a CSRF token"},
    {"POST", "/api/logout", AUTH | CSRF, BOOKING, PCCS_DATA_NONE,
     PCCS_SUBJECT_NONE, NULL, pccs_web_logout, "end the session"},
    {"GET", "/api/session", AUTH, BOOKING, PCCS_DATA_NONE, PCCS_SUBJECT_NONE,
     NULL, pccs_web_session, "who is signed in, their scope and CSRF token"},
    {"GET", "/api/sources", AUTH | CACHE, ANY, PCCS_DATA_NONE,
     PCCS_SUBJECT_NONE, "reference", pccs_web_sources,
     "the loaded files; ?reference=1: the reference files in use"},
    {"GET", "/api/orgs", AUTH | CACHE, ANY, PCCS_DATA_PUBLISHED,
     PCCS_SUBJECT_EACH, "q", pccs_web_orgs_search,
     "?q=TEXT: organisations by code or name"},
    {"GET", "/api/orgs/", PREFIX | AUTH | CACHE, ANY, PCCS_DATA_PUBLISHED,
     PCCS_SUBJECT_PATH, "compare", pccs_web_org,
     "CODE?compare=1: parents, children, populations (and benchmarks)"},
    {"GET", "/api/tables", AUTH | CACHE, ANY, PCCS_DATA_NONE, PCCS_SUBJECT_NONE,
     NULL, pccs_web_tables, "the tables"},
    {"GET", "/api/tables/", PREFIX | AUTH | CACHE, ANY, PCCS_DATA_TABLE,
     PCCS_SUBJECT_IN,
     "level,in,at,period,year,group,compare,contract,explain,suppress,"
     "include_synthetic,format,from,to",
     pccs_web_table,
     "NAME?level=&in=&at=&period=&year=&group=&compare=&contract=&explain=&"
     "suppress=&format=json|csv|xlsx&from=&to="},
    {"GET", "/api/spc", AUTH | CACHE, ANY, PCCS_DATA_NONE, PCCS_SUBJECT_NONE,
     NULL, pccs_web_spc_metrics, "the metrics /api/spc/METRIC/CODE charts"},
    {"GET", "/api/spc/", PREFIX | AUTH | CACHE, ANY, PCCS_DATA_PUBLISHED,
     PCCS_SUBJECT_PATH, "format", pccs_web_spc,
     "METRIC/CODE?format=: an SPC series"},
    {"GET", "/api/registers", AUTH, ANY | HUB, PCCS_DATA_NONE,
     PCCS_SUBJECT_NONE, NULL, pccs_web_registers,
     "the registers and their columns"},
    {"GET", "/api/registers/", PREFIX | AUTH, ANY | HUB, PCCS_DATA_LOCAL,
     PCCS_SUBJECT_ROW, NULL, pccs_web_register_rows,
     "NAME: its rows within the user's scope"},
    {"POST", "/api/registers/", PREFIX | AUTH | CSRF, EDITORS | HUB,
     PCCS_DATA_LOCAL, PCCS_SUBJECT_ROW, NULL, pccs_web_register_edit,
     "NAME {\"values\", \"version\"}: a new row"},
    {"PUT", "/api/registers/", PREFIX | AUTH | CSRF, EDITORS | HUB,
     PCCS_DATA_LOCAL, PCCS_SUBJECT_ROW, NULL, pccs_web_register_edit,
     "NAME/KEY {\"values\", \"version\"}: a row changed"},
    {"DELETE", "/api/registers/", PREFIX | AUTH | CSRF, EDITORS | HUB,
     PCCS_DATA_LOCAL, PCCS_SUBJECT_ROW, NULL, pccs_web_register_edit,
     "NAME/KEY {\"version\"}: a row removed"},
    {"GET", "/api/patients/", PREFIX | AUTH, ANY, PCCS_DATA_PATIENT,
     PCCS_SUBJECT_PATH, "cohort,at,format", pccs_web_patients,
     "PRACTICE?cohort=&at=&format=: its patients (its own users only; "
     "audited)"},
    {"GET", "/api/report/committee", AUTH, ANY, PCCS_DATA_LOCAL,
     PCCS_SUBJECT_IN,
     "in,year,format,meeting,date,agenda_item,title,author,lead,purpose,"
     "recommendation",
     pccs_web_report,
     "?in=&year=&format=html|pdf&meeting=&date=&agenda_item=&title=&author=&"
     "lead=&purpose=&recommendation=: the committee paper (within the scope: "
     "it holds the registers)"},
    {"GET", "/fhir/Slot", AUTH, BOOKING, PCCS_DATA_NONE, PCCS_SUBJECT_NONE,
     "schedule.actor,start,status", pccs_web_fhir_slots,
     "?schedule.actor=&start=geDATE&start=leDATE&status=free: a FHIR searchset "
     "Bundle of the slots one may book or sees"},
    {"POST", "/fhir/Appointment", AUTH | CSRF, BOOKING, PCCS_DATA_NONE,
     PCCS_SUBJECT_NONE, NULL, pccs_web_fhir_book,
     "a FHIR Appointment for one slot, with an Idempotency-Key: 201 booked, "
     "409 the slot is taken"},
    {"GET", "/fhir/Appointment", AUTH, BOOKING, PCCS_DATA_NONE,
     PCCS_SUBJECT_NONE, "actor,status,patient.identifier,rebook",
     pccs_web_fhir_appts,
     "?actor=&status=&patient.identifier=&rebook=true: the appointments one "
     "may see (audited); rebook=true: those in slots withdrawn from the "
     "register"},
    {"GET", "/fhir/Appointment/", PREFIX | AUTH, BOOKING, PCCS_DATA_NONE,
     PCCS_SUBJECT_NONE, NULL, pccs_web_fhir_appt,
     "ID: one appointment (audited)"},
    {"PATCH", "/fhir/Appointment/", PREFIX | AUTH | CSRF, BOOKING,
     PCCS_DATA_NONE, PCCS_SUBJECT_NONE, NULL, pccs_web_fhir_appt,
     "ID [{\"op\": \"replace\", \"path\": \"/status\", \"value\": "
     "cancelled|fulfilled|noshow}]"},
    {NULL, "/api/", PREFIX | AUTH | CSRF, ANY, PCCS_DATA_NONE,
     PCCS_SUBJECT_NONE, NULL, api_unknown,
     "no such API path: 404 (GET) or 405"},
    {"GET", "/", PREFIX, 0, PCCS_DATA_NONE, PCCS_SUBJECT_NONE, "*",
     pccs_web_static, "the dashboard's files (--web)"},
    {.path = NULL},
};

#undef PREFIX
#undef AUTH
#undef CSRF
#undef CACHE
#undef ANY
#undef BOOKING
#undef EDITORS
#undef HUB

struct params {
    const char *takes;
    const char *bad;
};

static enum MHD_Result
param_known(void *ctx, enum MHD_ValueKind kind, const char *k, const char *v)
{
    (void)kind;
    (void)v;
    struct params *p = ctx;
    size_t n = strlen(k);
    for (const char *t = p->takes; t && *t;
         t += strcspn(t, ",") + (t[strcspn(t, ",")] != 0))
        if (strcspn(t, ",") == n && !strncmp(t, k, n))
            return MHD_YES;
    p->bad = k;
    return MHD_NO;
}

int
pccs_web_route_params(const struct pccs_web_route *rt, struct MHD_Connection *c,
                      struct pccs_err *err)
{
    if (rt->params && !strcmp(rt->params, "*"))
        return PCCS_OK;
    struct params p = {.takes = rt->params};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, param_known, &p);
    if (!p.bad)
        return PCCS_OK;
    return pccs_err_set(err, PCCS_EINVAL,
                        "%.64s: %s takes no such parameter%s%s%s", p.bad,
                        rt->path, rt->params ? " (it takes " : "",
                        rt->params ? rt->params : "", rt->params ? ")" : "");
}

static bool
path_matches(const struct pccs_web_route *rt, const char *url)
{
    return (rt->flags & PCCS_ROUTE_PREFIX)
               ? !strncmp(url, rt->path, strlen(rt->path))
               : !strcmp(url, rt->path);
}

static bool
method_matches(const struct pccs_web_route *rt, const char *method)
{
    return !rt->method || !strcmp(rt->method, method) ||
           (!strcmp(rt->method, "GET") && !strcmp(method, "HEAD"));
}

const struct pccs_web_route *
pccs_web_route_path(const char *url)
{
    for (const struct pccs_web_route *rt = pccs_web_routes; rt->path; rt++)
        if (path_matches(rt, url))
            return rt;
    return NULL;
}

/* Is rt of the same path as first (the first route matching the url)? */
static bool
same_path(const struct pccs_web_route *rt, const struct pccs_web_route *first)
{
    return (rt->flags & PCCS_ROUTE_PREFIX) ==
               (first->flags & PCCS_ROUTE_PREFIX) &&
           !strcmp(rt->path, first->path);
}

const struct pccs_web_route *
pccs_web_route_find(const char *method, const char *url)
{
    const struct pccs_web_route *first = pccs_web_route_path(url);
    for (const struct pccs_web_route *rt = first; rt && rt->path; rt++)
        if (same_path(rt, first) && method_matches(rt, method))
            return rt;
    return NULL;
}

void
pccs_web_route_methods(const char *url, char *buf, size_t n)
{
    const struct pccs_web_route *first = pccs_web_route_path(url);
    size_t used = 0;
    buf[0] = '\0';
    for (const struct pccs_web_route *rt = first; rt && rt->path; rt++)
        if (same_path(rt, first) && rt->method && used < n)
            used += (size_t)snprintf(buf + used, n - used, "%s%s",
                                     used ? ", " : "", rt->method);
}

static const char *
yes(bool b)
{
    return b ? "yes" : "no";
}

void
pccs_serve_list_routes(FILE *f)
{
    static const char *const data[] = {"none", "published", "table", "local",
                                       "patient"};
    static const char *const subject[] = {"none", "path", "in", "each", "row"};
    fprintf(f, "method\tpath\tmatch\tauth\tcsrf\tcache\troles\tdata\t"
               "subject\tparams\tsummary\n");
    for (const struct pccs_web_route *rt = pccs_web_routes; rt->path; rt++) {
        char roles[64] = "";
        size_t used = 0;
        for (int r = PCCS_ROLE_ADMIN; r <= PCCS_ROLE_NHS111; r++)
            if (rt->roles & PCCS_WEB_ROLE(r))
                used += (size_t)snprintf(roles + used, sizeof(roles) - used,
                                         "%s%s", used ? "," : "",
                                         pccs_role_name((enum pccs_role)r));
        fprintf(f, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
                rt->method ? rt->method : "*", rt->path,
                (rt->flags & PCCS_ROUTE_PREFIX) ? "prefix" : "exact",
                yes(rt->flags & PCCS_ROUTE_AUTH),
                yes(rt->flags & PCCS_ROUTE_CSRF),
                yes(rt->flags & PCCS_ROUTE_CACHE), used ? roles : "-",
                data[rt->data], subject[rt->subject],
                rt->params ? rt->params : "-", rt->summary);
    }
}
