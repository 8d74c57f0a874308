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

const struct pccs_web_route pccs_web_routes[] = {
    {.method = "GET",
     .path = "/healthz",
     .roles = 0,
     .data = PCCS_DATA_NONE,
     .subject = PCCS_SUBJECT_NONE,
     .params = "*",
     .handler = healthz,
     .summary = "\"ok\" while the server runs"},
    {.method = "POST",
     .path = "/api/login",
     .roles = 0,
     .data = PCCS_DATA_NONE,
     .subject = PCCS_SUBJECT_NONE,
     .handler = pccs_web_login,
     .summary = "{\"user\", \"password\"}: a session cookie and a CSRF token"},
    {.method = "POST",
     .path = "/api/logout",
     .auth = true,
     .csrf = true,
     .roles = PCCS_WEB_BOOKING_ROLES,
     .data = PCCS_DATA_NONE,
     .subject = PCCS_SUBJECT_NONE,
     .handler = pccs_web_logout,
     .summary = "end the session"},
    {.method = "GET",
     .path = "/api/session",
     .auth = true,
     .roles = PCCS_WEB_BOOKING_ROLES,
     .data = PCCS_DATA_NONE,
     .subject = PCCS_SUBJECT_NONE,
     .handler = pccs_web_session,
     .summary = "who is signed in, their scope and CSRF token"},
    {.method = "GET",
     .path = "/api/sources",
     .auth = true,
     .cache = true,
     .roles = PCCS_WEB_ANY_ROLE,
     .data = PCCS_DATA_NONE,
     .subject = PCCS_SUBJECT_NONE,
     .params = "reference",
     .handler = pccs_web_sources,
     .summary = "the loaded files; ?reference=1: the reference files in use"},
    {.method = "GET",
     .path = "/api/orgs",
     .auth = true,
     .cache = true,
     .roles = PCCS_WEB_ANY_ROLE,
     .data = PCCS_DATA_PUBLISHED,
     .subject = PCCS_SUBJECT_EACH,
     .params = "q",
     .handler = pccs_web_orgs_search,
     .summary = "?q=TEXT: organisations by code or name"},
    {.method = "GET",
     .path = "/api/orgs/",
     .prefix = true,
     .auth = true,
     .cache = true,
     .roles = PCCS_WEB_ANY_ROLE,
     .data = PCCS_DATA_PUBLISHED,
     .subject = PCCS_SUBJECT_PATH,
     .params = "compare",
     .handler = pccs_web_org,
     .summary = "CODE?compare=1: parents, children, populations (and "
                "benchmarks)"},
    {.method = "GET",
     .path = "/api/tables",
     .auth = true,
     .cache = true,
     .roles = PCCS_WEB_ANY_ROLE,
     .data = PCCS_DATA_NONE,
     .subject = PCCS_SUBJECT_NONE,
     .handler = pccs_web_tables,
     .summary = "the tables"},
    {.method = "GET",
     .path = "/api/tables/",
     .prefix = true,
     .auth = true,
     .cache = true,
     .roles = PCCS_WEB_ANY_ROLE,
     .data = PCCS_DATA_TABLE,
     .subject = PCCS_SUBJECT_IN,
     .params = "level,in,at,period,year,group,compare,contract,explain,"
               "suppress,include_synthetic,format,from,to",
     .handler = pccs_web_table,
     .summary = "NAME?level=&in=&at=&period=&year=&group=&compare=&contract=&"
                "explain=&suppress=&format=json|csv|xlsx&from=&to="},
    {.method = "GET",
     .path = "/api/spc",
     .auth = true,
     .cache = true,
     .roles = PCCS_WEB_ANY_ROLE,
     .data = PCCS_DATA_NONE,
     .subject = PCCS_SUBJECT_NONE,
     .handler = pccs_web_spc_metrics,
     .summary = "the metrics /api/spc/METRIC/CODE charts"},
    {.method = "GET",
     .path = "/api/spc/",
     .prefix = true,
     .auth = true,
     .cache = true,
     .roles = PCCS_WEB_ANY_ROLE,
     .data = PCCS_DATA_PUBLISHED,
     .subject = PCCS_SUBJECT_PATH,
     .params = "format",
     .handler = pccs_web_spc,
     .summary = "METRIC/CODE?format=: an SPC series"},
    {.method = "GET",
     .path = "/api/registers",
     .auth = true,
     .roles = PCCS_WEB_ANY_ROLE | PCCS_WEB_ROLE(PCCS_ROLE_HUB),
     .data = PCCS_DATA_NONE,
     .subject = PCCS_SUBJECT_NONE,
     .handler = pccs_web_registers,
     .summary = "the registers and their columns"},
    {.method = "GET",
     .path = "/api/registers/",
     .prefix = true,
     .auth = true,
     .roles = PCCS_WEB_ANY_ROLE | PCCS_WEB_ROLE(PCCS_ROLE_HUB),
     .data = PCCS_DATA_LOCAL,
     .subject = PCCS_SUBJECT_ROW,
     .handler = pccs_web_register_rows,
     .summary = "NAME: its rows within the user's scope"},
    {.method = "POST",
     .path = "/api/registers/",
     .prefix = true,
     .auth = true,
     .csrf = true,
     .roles = PCCS_WEB_EDITORS | PCCS_WEB_ROLE(PCCS_ROLE_HUB),
     .data = PCCS_DATA_LOCAL,
     .subject = PCCS_SUBJECT_ROW,
     .handler = pccs_web_register_edit,
     .summary = "NAME {\"values\", \"version\"}: a new row"},
    {.method = "PUT",
     .path = "/api/registers/",
     .prefix = true,
     .auth = true,
     .csrf = true,
     .roles = PCCS_WEB_EDITORS | PCCS_WEB_ROLE(PCCS_ROLE_HUB),
     .data = PCCS_DATA_LOCAL,
     .subject = PCCS_SUBJECT_ROW,
     .handler = pccs_web_register_edit,
     .summary = "NAME/KEY {\"values\", \"version\"}: a row changed"},
    {.method = "DELETE",
     .path = "/api/registers/",
     .prefix = true,
     .auth = true,
     .csrf = true,
     .roles = PCCS_WEB_EDITORS | PCCS_WEB_ROLE(PCCS_ROLE_HUB),
     .data = PCCS_DATA_LOCAL,
     .subject = PCCS_SUBJECT_ROW,
     .handler = pccs_web_register_edit,
     .summary = "NAME/KEY {\"version\"}: a row removed"},
    {.method = "GET",
     .path = "/api/patients/",
     .prefix = true,
     .auth = true,
     .roles = PCCS_WEB_ANY_ROLE,
     .data = PCCS_DATA_PATIENT,
     .subject = PCCS_SUBJECT_PATH,
     .params = "cohort,at,format",
     .handler = pccs_web_patients,
     .summary = "PRACTICE?cohort=&at=&format=: its patients (its own users "
                "only; audited)"},
    {.method = "GET",
     .path = "/api/report/committee",
     .auth = true,
     .roles = PCCS_WEB_ANY_ROLE,
     .data = PCCS_DATA_LOCAL,
     .subject = PCCS_SUBJECT_IN,
     .params = "in,year,format,meeting,date,agenda_item,title,author,lead,"
               "purpose,recommendation",
     .handler = pccs_web_report,
     .summary = "?in=&year=&format=html|pdf&meeting=&date=&agenda_item=&"
                "title=&author=&lead=&purpose=&recommendation=: the "
                "committee paper (within the scope: it holds the registers)"},
    {.method = "GET",
     .path = "/fhir/Slot",
     .auth = true,
     .roles = PCCS_WEB_BOOKING_ROLES,
     .data = PCCS_DATA_NONE,
     .subject = PCCS_SUBJECT_NONE,
     .params = "schedule.actor,start,status",
     .handler = pccs_web_fhir_slots,
     .summary = "?schedule.actor=&start=geDATE&start=leDATE&status=free: "
                "a FHIR searchset Bundle of the slots one may book or sees"},
    {.method = "POST",
     .path = "/fhir/Appointment",
     .auth = true,
     .csrf = true,
     .roles = PCCS_WEB_BOOKING_ROLES,
     .data = PCCS_DATA_NONE,
     .subject = PCCS_SUBJECT_NONE,
     .handler = pccs_web_fhir_book,
     .summary = "a FHIR Appointment for one slot, with an Idempotency-Key: "
                "201 booked, 409 the slot is taken"},
    {.method = "GET",
     .path = "/fhir/Appointment",
     .auth = true,
     .roles = PCCS_WEB_BOOKING_ROLES,
     .data = PCCS_DATA_NONE,
     .subject = PCCS_SUBJECT_NONE,
     .params = "actor,status,patient.identifier,rebook",
     .handler = pccs_web_fhir_appts,
     .summary = "?actor=&status=&patient.identifier=&rebook=true: the "
                "appointments one may see (audited); rebook=true: those "
                "in slots withdrawn from the register"},
    {.method = "GET",
     .path = "/fhir/Appointment/",
     .prefix = true,
     .auth = true,
     .roles = PCCS_WEB_BOOKING_ROLES,
     .data = PCCS_DATA_NONE,
     .subject = PCCS_SUBJECT_NONE,
     .handler = pccs_web_fhir_appt,
     .summary = "ID: one appointment (audited)"},
    {.method = "PATCH",
     .path = "/fhir/Appointment/",
     .prefix = true,
     .auth = true,
     .csrf = true,
     .roles = PCCS_WEB_BOOKING_ROLES,
     .data = PCCS_DATA_NONE,
     .subject = PCCS_SUBJECT_NONE,
     .handler = pccs_web_fhir_appt,
     .summary = "ID [{\"op\": \"replace\", \"path\": \"/status\", "
                "\"value\": cancelled|fulfilled|noshow}]"},
    {.method = NULL,
     .path = "/api/",
     .prefix = true,
     .auth = true,
     .csrf = true,
     .roles = PCCS_WEB_ANY_ROLE,
     .data = PCCS_DATA_NONE,
     .subject = PCCS_SUBJECT_NONE,
     .handler = api_unknown,
     .summary = "no such API path: 404 (GET) or 405"},
    {.method = "GET",
     .path = "/",
     .prefix = true,
     .roles = 0,
     .data = PCCS_DATA_NONE,
     .subject = PCCS_SUBJECT_NONE,
     .params = "*",
     .handler = pccs_web_static,
     .summary = "the dashboard's files (--web)"},
    {.path = NULL},
};

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
    return rt->prefix ? !strncmp(url, rt->path, strlen(rt->path))
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
    return rt->prefix == first->prefix && !strcmp(rt->path, first->path);
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
                rt->prefix ? "prefix" : "exact", yes(rt->auth), yes(rt->csrf),
                yes(rt->cache), used ? roles : "-", data[rt->data],
                subject[rt->subject], rt->params ? rt->params : "-",
                rt->summary);
    }
}
