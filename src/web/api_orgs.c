/* SPDX-License-Identifier: MIT */
/*
 * GET /api/orgs?q=TEXT     organisations by code or name
 * GET /api/orgs/CODE       its profile (model/profile.h): names, parents,
 *                          children, populations; ?compare=1 (a practice
 *                          or PCN): its benchmarks beside ICB, region,
 *                          England, rank and decile
 */
#include <string.h>
#include <strings.h>

#include "model/profile.h"
#include "model/query.h"
#include "report/profile.h"
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
    const char *q = pccs_web_arg(rq->c, "q");
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

/*
 * The profile (model/profile.h) as pccs show gives it, with the children
 * the user may see, the access they have, and the populations table of
 * the latest period.
 */
static json_t *
profile_json(struct pccs_web_server *sv, const struct pccs_web_request *rq,
             const struct pccs_profile *p, bool above)
{
    json_t *j = pccs_profile_org_json(&p->self, false);
    pccs_profile_head_json(j, p);
    json_t *children = json_array();
    for (size_t i = 0; i < p->nchildren; i++) {
        struct pccs_web_ask ask = {.org = p->children[i].org, .at = p->at};
        if (pccs_web_allowed(sv, rq, &ask))
            json_array_append_new(
                children, pccs_profile_org_json(&p->children[i], false));
    }
    json_object_set_new(j, "children", children);
    bool within = rq->sess.role == PCCS_ROLE_ADMIN ||
                  pccs_web_org_within(sv, p->self.org, rq->scope, p->at);
    json_object_set_new(j, "access",
                        json_string(above    ? "above scope"
                                    : within ? "within scope"
                                             : "outside scope"));
    json_t *pop = p->has_latest ? pccs_table_json(&p->latest) : NULL;
    if (pop)
        json_object_set_new(j, "populations", pop);
    json_object_set_new(j, "population_periods", pccs_profile_pops_json(p));
    return j;
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
    bool above = false, suppress = false;
    struct pccs_web_ask ask = {.what = code,
                               .org = o,
                               .at = at,
                               .suppress = &suppress,
                               .above = &above};
    int rc = pccs_web_authorise(sv, rq, &ask, err);
    if (rc)
        return rc;
    /* Disclosure control as on the tables. */
    struct pccs_profile_query q = {
        .code = code, .at = at, .suppress = suppress, .latest = true};
    struct pccs_profile p;
    rc = pccs_profile_get(rq->st, &sv->tree, &q, &p, err);
    if (!rc) {
        json_t *j = profile_json(sv, rq, &p, above);
        /* A practice's or PCN's benchmarks: ICB, region, England, rank. */
        struct pccs_table cmp;
        struct pccs_err e2 = PCCS_ERR_INIT;
        if ((p.o->level == PCCS_PRACTICE || p.o->level == PCCS_PCN) &&
            pccs_web_arg(rq->c, "compare") &&
            strcmp(pccs_web_arg(rq->c, "compare"), "0") != 0) {
            if (!pccs_profile_compare(rq->st, &sv->tree, &p, suppress, &cmp,
                                      &e2))
                json_object_set_new(j, "comparison", pccs_table_json(&cmp));
            pccs_table_release(&cmp);
        }
        pccs_web_reply_json(r, j);
    }
    pccs_profile_release(&p);
    return rc;
}
