/* SPDX-License-Identifier: MIT */
/*
 * GET /api/orgs?q=TEXT     organisations by code or name
 * GET /api/orgs/CODE       parents, children, populations
 */
#include <string.h>
#include <strings.h>

#include "model/query.h"
#include "web/web.h"

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

int
pccs_web_orgs_search(struct pccs_web_server *sv, struct pccs_web_request *rq,
                     struct pccs_web_reply *r, struct pccs_err *err)
{
    const char *q =
        MHD_lookup_connection_value(rq->c, MHD_GET_ARGUMENT_KIND, "q");
    if (!q || strlen(q) < 2)
        return pccs_err_set(err, PCCS_EINVAL,
                            "q: give at least 2 characters of a code or name");
    json_t *a = json_array();
    size_t ql = strlen(q);
    pccs_day at = pccs_tree_default_day(&sv->tree);
    for (size_t i = 0; i < sv->tree.norgs && json_array_size(a) < 50; i++) {
        const struct pccs_tree_org *o = &sv->tree.orgs[i];
        if (o->level == PCCS_LEVEL_NONE)
            continue;
        struct pccs_web_ask ask = {.org = (int)i, .at = at};
        if ((!strncasecmp(o->code, q, ql) ||
             pccs_tree_names_contain(&sv->tree, (int)i, q)) &&
            pccs_web_allowed(sv, rq, &ask))
            json_array_append_new(a, org_brief(o));
    }
    json_t *j = json_object();
    json_object_set_new(j, "query", json_string(q));
    json_object_set_new(j, "results", a);
    pccs_web_reply_json(r, j);
    return PCCS_OK;
}

/* The parents of o up to England, and its children the user may see. */
static void
org_family(struct pccs_web_server *sv, const struct pccs_web_request *rq, int o,
           pccs_day at, json_t *j)
{
    json_t *parents = json_array();
    for (int p = pccs_tree_up(&sv->tree, o, at, 0), guard = 0;
         p >= 0 && guard < PCCS_NLEVELS;
         p = pccs_tree_up(&sv->tree, p, at, 0), guard++)
        json_array_append_new(parents, org_brief(&sv->tree.orgs[p]));
    json_object_set_new(j, "parents", parents);
    json_t *children = json_array();
    for (size_t i = 0; i < sv->tree.norgs; i++) {
        struct pccs_web_ask ask = {.org = (int)i, .at = at};
        if ((int)i != o && pccs_tree_up(&sv->tree, (int)i, at, 0) == o &&
            pccs_web_allowed(sv, rq, &ask))
            json_array_append_new(children, org_brief(&sv->tree.orgs[i]));
    }
    json_object_set_new(j, "children", children);
}

int
pccs_web_org(struct pccs_web_server *sv, struct pccs_web_request *rq,
             struct pccs_web_reply *r, struct pccs_err *err)
{
    int o = pccs_query_org(&sv->tree, "", rq->rest, err);
    if (o < 0)
        return PCCS_ENOTFOUND;
    const char *code = sv->tree.orgs[o].code;
    pccs_day at = pccs_tree_default_day(&sv->tree);
    bool above = false;
    struct pccs_web_ask ask = {
        .what = code, .org = o, .at = at, .above = &above};
    int rc = pccs_web_authorise(sv, rq, &ask, err);
    if (rc)
        return rc;
    json_t *j = org_brief(&sv->tree.orgs[o]);
    org_family(sv, rq, o, at, j);
    json_object_set_new(j, "access",
                        json_string(above ? "above scope" : "within scope"));
    struct pccs_table_query q = {
        .level = sv->tree.orgs[o].level, .in = code, .at = PCCS_DAY_NONE};
    json_t *pop = NULL;
    struct pccs_err perr = PCCS_ERR_INIT;
    if (sv->tree.orgs[o].level != PCCS_LEVEL_NONE &&
        pccs_web_table_json(sv, rq->st, "populations", &q, &pop, &perr) ==
            PCCS_OK)
        json_object_set_new(j, "populations", pop);
    pccs_web_reply_json(r, j);
    return PCCS_OK;
}
