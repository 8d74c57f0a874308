/* SPDX-License-Identifier: MIT */
/* One organisation's profile: gathered once for the CLI and the API. */
#include "model/profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"
#include "model/query.h"
#include "model/tables.h"

/* "kind period" of a loaded file, "" for none. */
static void
source_label(struct pccs_store *st, int64_t id, char *buf, size_t n)
{
    struct pccs_source_info s;
    struct pccs_err err = PCCS_ERR_INIT;
    buf[0] = '\0';
    if (id <= 0)
        return;
    if (pccs_store_source_get(st, id, &s, &err))
        snprintf(buf, n, "source %lld", (long long)id);
    else
        snprintf(buf, n, "%s %s", s.kind, s.period ? s.period : "");
}

static void
org_at(const struct pccs_tree *t, int org, pccs_day day,
       struct pccs_profile_org *out)
{
    memset(out, 0, sizeof(*out));
    out->org = org;
    out->code = t->orgs[org].code;
    out->name = pccs_tree_name(t, org, day);
    out->level = t->orgs[org].level_name;
}

/* Its names over time; a change of case only is not a new name. */
static void
gather_names(struct pccs_store *st, const struct pccs_tree_org *o,
             struct pccs_profile *p)
{
    p->names = pccs_xcalloc(o->nnames + 1, sizeof(*p->names));
    for (size_t i = 0; i < o->nnames; i++) {
        const struct pccs_tree_name *n = &o->names[i];
        if (i > 0 && strcasecmp(n->name, o->names[i - 1].name) == 0)
            continue;
        struct pccs_profile_name *pn = &p->names[p->nnames++];
        if (n->from != PCCS_DAY_NONE)
            pccs_date_format(n->from, pn->from);
        pn->name = n->name;
        source_label(st, n->source_id, pn->source, sizeof(pn->source));
    }
}

static void
gather_parents(struct pccs_store *st, const struct pccs_tree *t,
               struct pccs_profile *p)
{
    p->parents = pccs_xcalloc(PCCS_NLEVELS + 1, sizeof(*p->parents));
    int64_t src;
    int up = pccs_tree_up_via(t, p->self.org, p->at, 0, &src);
    for (int guard = 0; up >= 0 && guard < PCCS_NLEVELS; guard++) {
        struct pccs_profile_org *po = &p->parents[p->nparents++];
        org_at(t, up, p->at, po);
        source_label(st, src, po->source, sizeof(po->source));
        up = pccs_tree_up_via(t, up, p->at, 0, &src);
    }
}

/* The organisations directly under it with practices on the day. */
static void
gather_children(const struct pccs_tree *t, struct pccs_profile *p)
{
    int64_t *count = pccs_xcalloc(t->norgs + 1, sizeof(*count));
    int *kids = pccs_xcalloc(t->norgs + 1, sizeof(*kids));
    pccs_tree_count_practices(t, p->at, count);
    size_t nk = 0;
    for (size_t i = 0; i < t->norgs; i++)
        if (count[i] && (int)i != p->self.org &&
            pccs_tree_up(t, (int)i, p->at, 0) == p->self.org)
            kids[nk++] = (int)i;
    pccs_tree_sort_by_code(t, kids, nk);
    p->children = pccs_xcalloc(nk + 1, sizeof(*p->children));
    for (size_t i = 0; i < nk; i++)
        org_at(t, kids[i], p->at, &p->children[i]);
    p->nchildren = nk;
    free(count);
    free(kids);
}

struct period_list {
    char p[64][32];
    size_t n;
};

static int
period_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct period_list *l = ctx;
    if (l->n < 64)
        snprintf(l->p[l->n++], sizeof(l->p[0]), "%s", f->period);
    return 0;
}

/* The populations table for the organisation in period (NULL: latest). */
static int
populations(struct pccs_store *st, const struct pccs_tree *t,
            const struct pccs_profile_query *pq, const struct pccs_profile *p,
            const char *period, struct pccs_table *out, struct pccs_err *err)
{
    struct pccs_table_query q = {.level = p->o->level,
                                 .in = p->self.code,
                                 .at = PCCS_DAY_NONE,
                                 .period = period,
                                 .explain = pq->explain,
                                 .suppress = pq->suppress};
    memset(out, 0, sizeof(*out));
    return pccs_table_run(pccs_table_def_find("populations"), st, t, &q, out,
                          err);
}

/* Its populations for every loaded period with a row for it. */
static int
gather_pops(struct pccs_store *st, const struct pccs_tree *t,
            const struct pccs_profile_query *q, struct pccs_profile *p,
            struct pccs_err *err)
{
    struct period_list periods = {.n = 0};
    int rc =
        pccs_store_periods_each(st, "registered", period_cb, &periods, err);
    if (rc)
        return rc;
    p->pops = pccs_xcalloc(periods.n + 1, sizeof(*p->pops));
    for (size_t i = 0; i < periods.n; i++) {
        struct pccs_profile_pop *pp = &p->pops[p->npops];
        struct pccs_err e2 = PCCS_ERR_INIT;
        if (populations(st, t, q, p, periods.p[i], &pp->table, &e2) ||
            pp->table.nrows != 1) {
            pccs_table_release(&pp->table);
            continue;
        }
        snprintf(pp->period, sizeof(pp->period), "%s", periods.p[i]);
        pp->practices = pccs_table_col_index(&pp->table, "practices");
        pp->registered = pccs_table_col_index(&pp->table, "registered");
        pp->weighted = pccs_table_col_index(&pp->table, "weighted");
        pp->source = pccs_table_col_index(&pp->table, "source");
        p->npops++;
    }
    return PCCS_OK;
}

int
pccs_profile_get(struct pccs_store *st, const struct pccs_tree *t,
                 const struct pccs_profile_query *q, struct pccs_profile *out,
                 struct pccs_err *err)
{
    memset(out, 0, sizeof(*out));
    int org = pccs_query_org(t, "", q->code, err);
    if (org < 0)
        return org;
    out->at = q->at == PCCS_DAY_NONE ? pccs_tree_default_day(t) : q->at;
    out->o = &t->orgs[org];
    org_at(t, org, out->at, &out->self);
    gather_names(st, out->o, out);
    gather_parents(st, t, out);
    gather_children(t, out);
    if (out->o->level == PCCS_LEVEL_NONE)
        return PCCS_OK;
    int rc = gather_pops(st, t, q, out, err);
    if (!rc && q->latest) {
        struct pccs_err e2 = PCCS_ERR_INIT;
        out->has_latest =
            populations(st, t, q, out, NULL, &out->latest, &e2) == PCCS_OK;
    }
    return rc;
}

void
pccs_profile_release(struct pccs_profile *p)
{
    for (size_t i = 0; i < p->npops; i++)
        pccs_table_release(&p->pops[i].table);
    free(p->pops);
    free(p->names);
    free(p->parents);
    free(p->children);
    pccs_table_release(&p->latest);
    memset(p, 0, sizeof(*p));
}
