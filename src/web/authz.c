/* SPDX-License-Identifier: MIT */
/*
 * Who may see what: one decision for every answer of pccs serve.
 *
 * The route table says what each route needs (a session, the roles it
 * admits), what it answers (published figures, a table, local register
 * rows) and which organisation or row it is asked about; the handler
 * names that organisation or row and decide() alone says yes or no:
 *
 *   - admins see everything;
 *   - within the scope (the user's organisation and its subtree) anything
 *     goes;
 *   - outside it (above or beside) published figures of any
 *     organisation at any level, never local register data, patient-level
 *     data nor places,
 *     and tables resting partly on a register only for an aggregate above
 *     the scope, at its own level (PUBLISHED FIGURES OUTSIDE THE SCOPE);
 *   - a register row only when every organisation it names is within the
 *     scope; a register that names no organisation (milestones, budget)
 *     belongs to the organisation that loaded it (pccs load --org): its
 *     rows and tables to commissioners whose scope holds that owner, and
 *     admins; one loaded without an owner to admins only.
 */
#include <stdio.h>
#include <string.h>

#include "web/web.h"

enum position { POS_NONE, POS_ABOVE, POS_WITHIN };

bool
pccs_web_org_within(const struct pccs_web_server *sv, int org, int top,
                    pccs_day at)
{
    if (org < 0 || top < 0)
        return false;
    if (org == top)
        return true;
    const struct pccs_tree_org *o = &sv->tree.orgs[org];
    const struct pccs_tree_org *t = &sv->tree.orgs[top];
    return o->level != PCCS_LEVEL_NONE && t->level != PCCS_LEVEL_NONE &&
           o->level < t->level &&
           pccs_tree_ancestor(&sv->tree, org, t->level, at, 0) == top;
}

/* Where org stands for the user: within their scope, above it (an
 * aggregate that contains it) or neither. */
static enum position
position(const struct pccs_web_server *sv, const struct pccs_web_request *rq,
         int org, pccs_day at)
{
    if (org < 0 || !rq->signed_in)
        return POS_NONE;
    if (rq->sess.role == PCCS_ROLE_ADMIN ||
        pccs_web_org_within(sv, org, rq->scope, at))
        return POS_WITHIN;
    if (pccs_web_org_within(sv, rq->scope, org, at))
        return POS_ABOVE;
    return POS_NONE;
}

/* Tables of the registers that name no organisation. */
static bool
unowned_table(const struct pccs_table_def *t)
{
    return t && (!strcmp(t->name, "budget") || !strcmp(t->name, "milestones"));
}

/* A register that names no organisation: is its owner within the scope of
 * a commissioner? */
static bool
owner_within(const struct pccs_web_server *sv,
             const struct pccs_web_request *rq, const struct pccs_web_ask *ask,
             pccs_day at)
{
    return rq->sess.role == PCCS_ROLE_COMMISSIONER && ask->owner &&
           position(sv, rq, pccs_tree_find(&sv->tree, ask->owner), at) ==
               POS_WITHIN;
}

/* Every organisation a register row names is within the scope. */
static bool
row_within(const struct pccs_web_server *sv, const struct pccs_web_request *rq,
           const struct pccs_web_ask *ask, pccs_day at)
{
    for (size_t k = 0; k < ask->ncodes; k++)
        if (ask->codes[k] && ask->codes[k][0] &&
            position(sv, rq, pccs_tree_find(&sv->tree, ask->codes[k]), at) !=
                POS_WITHIN)
            return false;
    return true;
}

/*
 * Tables built from published files and a local register: entitlements
 * (the care home premium counts the care_home_beds register) and
 * resilience (list closures, and ratings by local rules).
 */
static bool
partly_local(const struct pccs_web_route *rt, const struct pccs_web_ask *ask)
{
    return rt->data == PCCS_DATA_TABLE && ask->table &&
           (!strcmp(ask->table->name, "entitlements") ||
            !strcmp(ask->table->name, "resilience"));
}

/* Tables derived from patient-level records: the scope only. */
static bool
patient_level(const struct pccs_web_route *rt, const struct pccs_web_ask *ask)
{
    return rt->data == PCCS_DATA_TABLE && ask->table &&
           !strcmp(ask->table->name, "cohorts");
}

/* May org's figures of this route be had, standing where it stands? */
static bool
org_allowed(const struct pccs_web_server *sv, const struct pccs_web_request *rq,
            const struct pccs_web_ask *ask, enum position pos)
{
    const struct pccs_web_route *rt = rq->route;
    bool local =
        rt->data == PCCS_DATA_LOCAL ||
        (rt->data == PCCS_DATA_TABLE && ask->table && ask->table->local);
    if (pos == POS_WITHIN)
        return true;
    if (local)
        return false; /* local and derived data: the scope only */
    /* ===== PUBLISHED FIGURES OUTSIDE THE SCOPE =====
     * Benchmarking (issue 16): the published figures of every
     * organisation in England, at every level, to every signed-in user,
     * above the scope and beside it alike (they are public anyway).
     * Outside the scope stays closed: local registers and the tables on
     * them (local, above), places (groupings a commissioner keeps in a
     * local register) and the tables that rest partly on a register
     * (partly_local); of those, an aggregate above the scope shows
     * itself, never its rows below, and one beside it nothing. */
    if (patient_level(rt, ask))
        return false;
    bool place = sv->tree.orgs[ask->org].level == PCCS_PLACE ||
                 (rt->data == PCCS_DATA_TABLE && ask->level == PCCS_PLACE);
    if (!place && !partly_local(rt, ask))
        return true;
    if (pos == POS_ABOVE)
        return rt->data != PCCS_DATA_TABLE ||
               ask->level == sv->tree.orgs[ask->org].level;
    return false;
}

/* A hub administrator's registers: its booking sessions, no other. */
static bool
hub_register_ok(const struct pccs_web_request *rq,
                const struct pccs_web_ask *ask)
{
    return rq->sess.role != PCCS_ROLE_HUB ||
           rq->route->data != PCCS_DATA_LOCAL || !ask->what ||
           !strcmp(ask->what, "access_sessions");
}

static bool
decide(const struct pccs_web_server *sv, const struct pccs_web_request *rq,
       const struct pccs_web_ask *ask)
{
    const struct pccs_web_route *rt = rq->route;
    if (!rt)
        return false;
    if (!(rt->flags & PCCS_ROUTE_AUTH))
        return true;
    if (!rq->signed_in || rq->sess.role < 0 ||
        !(rt->roles & PCCS_WEB_ROLE(rq->sess.role)))
        return false;
    if (!ask)
        return true;
    /* Patient-level rows: the users of that practice, and no one else
     * (not admins, not the PCN or ICB above it). */
    if (rt->data == PCCS_DATA_PATIENT)
        return rq->sess.role == PCCS_ROLE_PRACTICE && ask->org >= 0 &&
               ask->org == rq->scope;
    if (!hub_register_ok(rq, ask))
        return false;
    bool admin = rq->sess.role == PCCS_ROLE_ADMIN;
    pccs_day at =
        ask->at != PCCS_DAY_NONE ? ask->at : pccs_tree_default_day(&sv->tree);
    if ((ask->no_org || unowned_table(ask->table)) && !admin &&
        !owner_within(sv, rq, ask, at))
        return false;
    if (ask->codes)
        return row_within(sv, rq, ask, at);
    if (rt->subject == PCCS_SUBJECT_NONE || rt->subject == PCCS_SUBJECT_ROW)
        return true;
    if (ask->org < 0) /* an unknown code: the handler's 404 */
        return rt->subject == PCCS_SUBJECT_PATH;
    return org_allowed(sv, rq, ask, position(sv, rq, ask->org, at));
}

/* What the answer carries besides: disclosure control for everyone but
 * the owning practice; whether the organisation is above the scope. */
static void
decide_extras(const struct pccs_web_server *sv,
              const struct pccs_web_request *rq, const struct pccs_web_ask *ask)
{
    if (ask->suppress)
        *ask->suppress = !(rq->sess.role == PCCS_ROLE_PRACTICE &&
                           ask->org == rq->scope && ask->org >= 0);
    if (ask->above) {
        pccs_day at = ask->at != PCCS_DAY_NONE
                          ? ask->at
                          : pccs_tree_default_day(&sv->tree);
        *ask->above = position(sv, rq, ask->org, at) == POS_ABOVE;
    }
}

bool
pccs_web_allowed(const struct pccs_web_server *sv,
                 const struct pccs_web_request *rq,
                 const struct pccs_web_ask *ask)
{
    return decide(sv, rq, ask);
}

int
pccs_web_authorise(struct pccs_web_server *sv,
                   const struct pccs_web_request *rq,
                   const struct pccs_web_ask *ask, struct pccs_err *err)
{
    if (decide(sv, rq, ask)) {
        if (ask)
            decide_extras(sv, rq, ask);
        return PCCS_OK;
    }
    const char *what = ask && ask->what ? ask->what : rq->url;
    pccs_web_audit(sv, rq, rq->sess.user, "denied", what);
    return pccs_err_set(
        err, PCCS_EFORBIDDEN, "%s is outside the scope of %s (%s %s)", what,
        rq->sess.user, pccs_role_name(rq->sess.role), rq->sess.scope);
}

bool
pccs_web_route_admits(const struct pccs_web_request *rq, const char *method,
                      const char *url)
{
    struct pccs_web_request probe = *rq;
    probe.route = pccs_web_route_find(method, url);
    return decide(NULL, &probe, NULL);
}

bool
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
        return false;
    }
    return true;
}

/* ===== DIRECT BOOKING (issue 19) =====
 * Who may book a patient registered at practice into a slot of org that
 * bookable_by admits (practice < pcn < 111, each admitting the next):
 *   - admins anyone anywhere;
 *   - NHS 111 of an ICB: into any slot of its ICB that allows 111;
 *   - a practice: its own patients, into its own slots and into those
 *     of its PCN's hub (the PCN) that allow pcn or 111;
 *   - a hub administrator (scope its PCN): patients of the PCN's
 *     practices, into the PCN's slots and its practices'.
 * Commissioners and PCN users read; they do not book. */
bool
pccs_web_may_book(const struct pccs_web_server *sv,
                  const struct pccs_web_request *rq, const char *org,
                  const char *bookable, const char *practice)
{
    pccs_day at = pccs_tree_default_day(&sv->tree);
    int o = pccs_tree_find(&sv->tree, org);
    int p = practice ? pccs_tree_find(&sv->tree, practice) : -1;
    bool wide = !strcmp(bookable, "pcn") || !strcmp(bookable, "111");
    switch (rq->sess.role) {
    case PCCS_ROLE_ADMIN:
        return true;
    case PCCS_ROLE_NHS111:
        return !strcmp(bookable, "111") &&
               pccs_web_org_within(sv, o, rq->scope, at);
    case PCCS_ROLE_PRACTICE:
        if (!practice || p != rq->scope)
            return false;
        return o == rq->scope ||
               (wide && o >= 0 && sv->tree.orgs[o].level == PCCS_PCN &&
                pccs_tree_ancestor(&sv->tree, p, PCCS_PCN, at, 0) == o);
    case PCCS_ROLE_HUB:
        return pccs_web_org_within(sv, o, rq->scope, at) &&
               (!practice || pccs_web_org_within(sv, p, rq->scope, at));
    default:
        return false;
    }
}

int
pccs_web_authorise_booking(struct pccs_web_server *sv,
                           const struct pccs_web_request *rq, const char *org,
                           const char *bookable, const char *practice,
                           struct pccs_err *err)
{
    if (pccs_web_may_book(sv, rq, org, bookable, practice))
        return PCCS_OK;
    char what[160];
    snprintf(what, sizeof(what),
             "booking a patient of %s into a slot of %s "
             "(bookable by %s)",
             practice ? practice : "-", org, bookable);
    pccs_web_audit(sv, rq, rq->sess.user, "booking denied", what);
    return pccs_err_set(err, PCCS_EFORBIDDEN,
                        "%s is outside the scope of %s "
                        "(%s %s)",
                        what, rq->sess.user, pccs_role_name(rq->sess.role),
                        rq->sess.scope);
}
