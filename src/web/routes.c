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

/* clang-format off */
const struct pccs_web_route pccs_web_routes[] = {
    /* method   path            prefix auth   csrf   cache  handler */
    {"GET",  "/healthz",          false, false, false, false, healthz,
     "\"ok\" while the server runs"},
    {"POST", "/api/login",        false, false, false, false, pccs_web_login,
     "{\"user\", \"password\"}: a session cookie and a CSRF token"},
    {"POST", "/api/logout",       false, true,  true,  false, pccs_web_logout,
     "end the session"},
    {"GET",  "/api/session",      false, true,  false, false, pccs_web_session,
     "who is signed in, their scope and CSRF token"},
    {"GET",  "/api/sources",      false, true,  false, true,  pccs_web_sources,
     "the loaded files"},
    {"GET",  "/api/orgs",         false, true,  false, true,
     pccs_web_orgs_search, "?q=TEXT: organisations by code or name"},
    {"GET",  "/api/orgs/",        true,  true,  false, true,  pccs_web_org,
     "CODE: parents, children, populations"},
    {"GET",  "/api/tables",       false, true,  false, true,  pccs_web_tables,
     "the tables"},
    {"GET",  "/api/tables/",      true,  true,  false, true,  pccs_web_table,
     "NAME?level=&in=&at=&period=&year=&group=&compare=&contract="
     "&explain=&suppress=&format=json|csv|xlsx"},
    {"GET",  "/api/spc/",         true,  true,  false, true,  pccs_web_spc,
     "METRIC/CODE: an SPC series"},
    {"GET",  "/api/registers",    false, true,  false, false,
     pccs_web_registers, "the registers and their columns"},
    {"GET",  "/api/registers/",   true,  true,  false, false,
     pccs_web_register_rows, "NAME: its rows within the user's scope"},
    {"POST", "/api/registers/",   true,  true,  true,  false,
     pccs_web_register_edit, "NAME {\"values\", \"version\"}: a new row"},
    {"PUT",  "/api/registers/",   true,  true,  true,  false,
     pccs_web_register_edit, "NAME/KEY {\"values\", \"version\"}: a change"},
    {"DELETE", "/api/registers/", true,  true,  true,  false,
     pccs_web_register_edit, "NAME/KEY {\"version\"}: a row removed"},
    {NULL,   "/api/",             true,  true,  true,  false, api_unknown,
     "no such API path"},
    {"GET",  "/",                 true,  false, false, false, pccs_web_static,
     "the dashboard's files (--web)"},
    {NULL, NULL, false, false, false, false, NULL, NULL},
};
/* clang-format on */

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
