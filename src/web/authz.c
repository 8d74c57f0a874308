/* SPDX-License-Identifier: MIT */
/*
 * Who may see what: where an organisation stands for the user (within
 * their scope, above it, beside it), refusals and the audit log.
 */
#include <stdio.h>

#include "web/web.h"

/*
 * Where org stands for the user: within their scope's subtree, above it
 * (an aggregate that contains it) or beside it. Admins see everything.
 */
enum pccs_web_visibility
pccs_web_visibility(const struct pccs_web_server *sv,
                    const struct pccs_web_request *rq, int org, pccs_day at)
{
    if (org < 0 || !rq->signed_in)
        return PCCS_VIS_NONE;
    if (rq->sess.role == PCCS_ROLE_ADMIN || org == rq->scope)
        return PCCS_VIS_WITHIN;
    if (rq->scope < 0)
        return PCCS_VIS_NONE;
    const struct pccs_tree_org *o = &sv->tree.orgs[org];
    const struct pccs_tree_org *s = &sv->tree.orgs[rq->scope];
    if (o->level == PCCS_LEVEL_NONE || s->level == PCCS_LEVEL_NONE)
        return PCCS_VIS_NONE;
    if (o->level < s->level &&
        pccs_tree_ancestor(&sv->tree, org, s->level, at, 0) == rq->scope)
        return PCCS_VIS_WITHIN;
    if (o->level > s->level &&
        pccs_tree_ancestor(&sv->tree, rq->scope, o->level, at, 0) == org)
        return PCCS_VIS_ABOVE;
    return PCCS_VIS_NONE;
}

void
pccs_web_audit(struct pccs_web_server *sv, const struct pccs_web_request *rq,
               const char *user, const char *action, const char *detail)
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

int
pccs_web_deny(struct pccs_web_server *sv, const struct pccs_web_request *rq,
              const char *code, struct pccs_err *err)
{
    pccs_web_audit(sv, rq, rq->sess.user, "denied", code);
    return pccs_err_set(
        err, PCCS_EFORBIDDEN, "%s is outside the scope of %s (%s %s)", code,
        rq->sess.user, pccs_role_name(rq->sess.role), rq->sess.scope);
}
