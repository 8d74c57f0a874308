/* SPDX-License-Identifier: MIT */
/* Gathers registered and weighted figures and rolls them up the tree. */
#include "model/population.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/hmap.h"
#include "base/xalloc.h"
#include "calc/rollup.h"
#include "calc/period.h"
#include "model/period.h"

#define MAX_PERIODS 256

struct periods {
    char p[MAX_PERIODS][32];
    size_t n;
};

static int
period_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct periods *ps = ctx;
    if (ps->n < MAX_PERIODS)
        snprintf(ps->p[ps->n++], sizeof(ps->p[0]), "%s", f->period);
    return 0;
}

static bool
is_date_period(const char *p, pccs_day *d)
{
    return strlen(p) == 10 && pccs_date_parse(pccs_str_from(p), d) == 0;
}

static bool
is_fy_period(const char *p, int *y)
{
    return pccs_fy_parse(pccs_str_from(p), y) == 0;
}

static void
list_periods(struct pccs_buf *b, const struct periods *ps)
{
    for (size_t i = 0; i < ps->n; i++)
        pccs_buf_addf(b, "%s%s", i ? ", " : "", ps->p[i]);
    if (!ps->n)
        pccs_buf_addstr(b, "none");
}

/* Choose the registered period for the query. */
static int
choose_registered(const struct periods *ps, const struct pccs_pop_query *q,
                  char *out, struct pccs_err *err)
{
    struct pccs_buf b = PCCS_BUF_INIT;
    int rc = PCCS_OK;
    if (q->period) {
        for (size_t i = 0; i < ps->n; i++) {
            if (strcmp(ps->p[i], q->period) == 0) {
                strcpy(out, ps->p[i]);
                return PCCS_OK;
            }
        }
        list_periods(&b, ps);
        rc = pccs_err_set(err, PCCS_ENOTFOUND,
                          "no registered patients loaded for period %s "
                          "(loaded: %s): load Patients Registered at a GP "
                          "Practice for that date, or NHS Payments to "
                          "General Practice for that year",
                          q->period, b.p);
        pccs_buf_release(&b);
        return rc;
    }
    pccs_day best = PCCS_DAY_NONE;
    const char *fy = NULL;
    for (size_t i = 0; i < ps->n; i++) {
        pccs_day d;
        int y;
        if (is_date_period(ps->p[i], &d)) {
            if ((q->at == PCCS_DAY_NONE || d <= q->at) &&
                (best == PCCS_DAY_NONE || d > best)) {
                best = d;
                strcpy(out, ps->p[i]);
            }
        }
        else if (is_fy_period(ps->p[i], &y)) {
            if (q->at == PCCS_DAY_NONE || pccs_fy_start(y) <= q->at)
                fy = ps->p[i]; /* periods come oldest first */
        }
    }
    if (best != PCCS_DAY_NONE)
        return PCCS_OK;
    if (fy) {
        strcpy(out, fy);
        return PCCS_OK;
    }
    list_periods(&b, ps);
    if (q->at != PCCS_DAY_NONE) {
        char d[16];
        pccs_date_format(q->at, d);
        rc = pccs_err_set(err, PCCS_ENOTFOUND,
                          "no registered patients loaded on or before %s "
                          "(loaded: %s)",
                          d, b.p);
    }
    else {
        rc = pccs_err_set(err, PCCS_ENOTFOUND,
                          "no registered patients loaded: load a "
                          "registrations or payments file first");
    }
    pccs_buf_release(&b);
    return rc;
}

/* The weighted period: the same financial year, or the latest earlier. */
static bool
choose_weighted(const struct periods *ps, int fy, char *out)
{
    int best = -1;
    for (size_t i = 0; i < ps->n; i++) {
        int y;
        if (is_fy_period(ps->p[i], &y) && y <= fy && y > best) {
            best = y;
            strcpy(out, ps->p[i]);
        }
    }
    return best >= 0;
}

struct member {
    int org;
    double registered, weighted;
    bool has_weighted;
};

struct gather {
    const struct pccs_tree *t;
    struct pccs_hmap index; /* practice code -> member index + 1 */
    struct member *m;
    size_t n, cap;
    int64_t source;
    bool weighted_pass;
};

static int
fact_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct gather *g = ctx;
    size_t klen = strlen(f->org);
    if (g->weighted_pass) {
        struct pccs_hmap_entry *e = pccs_hmap_get(&g->index, f->org, klen);
        if (e) {
            g->m[e->ival - 1].weighted = f->value;
            g->m[e->ival - 1].has_weighted = true;
        }
        g->source = f->source_id;
        return 0;
    }
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 8192;
        g->m = pccs_xreallocarray(g->m, g->cap, sizeof(*g->m));
    }
    struct pccs_hmap_entry *e = pccs_hmap_put(&g->index, f->org, klen, NULL);
    e->ival = (int64_t)g->n + 1;
    g->m[g->n++] =
        (struct member){pccs_tree_find(g->t, f->org), f->value, 0, false};
    g->source = f->source_id;
    return 0;
}

struct group_sort {
    const struct pccs_tree *t;
    int org;
    size_t slot;
};

static int
cmp_group(const void *a, const void *b)
{
    const struct group_sort *x = a, *y = b;
    return strcmp(x->t->orgs[x->org].code, y->t->orgs[y->org].code);
}

static void
describe_source(struct pccs_store *st, int64_t id, const char *what,
                const char *period, struct pccs_table *out, char *brief,
                size_t brief_len)
{
    struct pccs_source_info s;
    struct pccs_err e = PCCS_ERR_INIT;
    if (pccs_store_source_get(st, id, &s, &e) == PCCS_OK) {
        pccs_table_note(out, "%s: %s, %s (%s, sha256 %.12s)", what,
                        s.publication ? s.publication : s.kind, period,
                        s.path ? s.path : "?", s.sha256 ? s.sha256 : "?");
        snprintf(brief, brief_len, "%s %s", s.kind, period);
    }
    else {
        snprintf(brief, brief_len, "%s", period);
    }
}

int
pccs_population_table(struct pccs_store *st, const struct pccs_tree *t,
                      const struct pccs_pop_query *q, struct pccs_table *out,
                      struct pccs_err *err)
{
    struct periods *reg_ps = pccs_xcalloc(1, sizeof(*reg_ps));
    struct periods *w_ps = pccs_xcalloc(1, sizeof(*w_ps));
    struct gather g = {.t = t, .index = PCCS_HMAP_INIT};
    struct pccs_rollup_in *in = NULL;
    struct pccs_rollup_out *sums = NULL;
    int *slot_of = NULL;
    struct group_sort *order = NULL;
    char reg_period[32] = "", w_period[32] = "";
    int rc;

    pccs_table_init(out, "populations");
    int in_org = -1;
    if (q->in) {
        in_org = pccs_tree_find(t, q->in);
        if (in_org < 0) {
            rc = pccs_err_set(err, PCCS_ENOTFOUND, "unknown organisation %s",
                              q->in);
            goto out;
        }
        if (t->orgs[in_org].level == PCCS_LEVEL_NONE ||
            t->orgs[in_org].level < q->level) {
            rc = pccs_err_set(
                err, PCCS_EINVAL, "%s is a %s: --level must be %s or below",
                q->in, t->orgs[in_org].level_name, t->orgs[in_org].level_name);
            goto out;
        }
    }

    rc = pccs_store_periods_each(st, "registered", period_cb, reg_ps, err);
    if (!rc)
        rc = pccs_store_periods_each(st, "weighted", period_cb, w_ps, err);
    struct pccs_period_pick des_reg, des_w;
    memset(&des_reg, 0, sizeof(des_reg));
    memset(&des_w, 0, sizeof(des_w));
    if (!rc && q->des) {
        rc = pccs_period_des_population(st, PCCS_PERIOD_REGISTERED, q->des_fy,
                                        &des_reg, err);
        if (!rc)
            rc = pccs_period_des_population(st, PCCS_PERIOD_WEIGHTED,
                                            q->des_fy, &des_w, err);
        if (!rc && !des_reg.found) {
            struct pccs_buf b = PCCS_BUF_INIT;
            list_periods(&b, reg_ps);
            rc = pccs_err_set(err, PCCS_ENOTFOUND,
                              "no registered list loaded on or before %s "
                              "(loaded: %s): load a registrations or "
                              "payments file of that time",
                              des_reg.wanted, b.p);
            pccs_buf_release(&b);
        }
        if (!rc)
            snprintf(reg_period, sizeof(reg_period), "%s", des_reg.period);
    }
    else if (!rc)
        rc = choose_registered(reg_ps, q, reg_period, err);
    if (rc)
        goto out;

    pccs_day snap;
    int fy;
    pccs_day at;
    if (q->des) {
        fy = q->des_fy;
        at = pccs_period_des_members_day(q->des_fy);
    }
    else if (is_date_period(reg_period, &snap)) {
        fy = pccs_fy_of(snap);
        at = q->at != PCCS_DAY_NONE ? q->at : snap;
    }
    else {
        is_fy_period(reg_period, &fy);
        at = q->at != PCCS_DAY_NONE ? q->at : pccs_fy_start(fy + 1) - 1;
    }
    bool have_w;
    if (q->des) {
        have_w = des_w.found;
        snprintf(w_period, sizeof(w_period), "%s", des_w.period);
    }
    else
        have_w = choose_weighted(w_ps, fy, w_period);

    rc = pccs_store_facts_each(st, "registered", reg_period, NULL, fact_cb, &g,
                               err);
    if (rc)
        goto out;
    int64_t reg_source = g.source;
    int64_t w_source = 0;
    if (have_w) {
        g.weighted_pass = true;
        g.source = 0;
        rc = pccs_store_facts_each(st, "weighted", w_period, NULL, fact_cb, &g,
                                   err);
        if (rc)
            goto out;
        w_source = g.source;
    }

    /* Place each practice in its group at the wanted level. */
    slot_of = pccs_xmalloc((t->norgs ? t->norgs : 1) * sizeof(*slot_of));
    for (size_t i = 0; i < t->norgs; i++)
        slot_of[i] = -1;
    in = pccs_xcalloc(g.n ? g.n : 1, sizeof(*in));
    order = pccs_xcalloc(g.n ? g.n : 1, sizeof(*order));
    size_t ngroups = 0;
    int64_t outside = 0;
    for (size_t i = 0; i < g.n; i++) {
        const struct member *m = &g.m[i];
        in[i].group = -1;
        in[i].value[0] = m->registered;
        in[i].has[0] = true;
        in[i].value[1] = m->weighted;
        in[i].has[1] = m->has_weighted;
        if (in_org >= 0 && pccs_tree_ancestor(t, m->org, t->orgs[in_org].level,
                                              at, reg_source) != in_org) {
            in[i].has[0] = in[i].has[1] = false;
            in[i].group = -2;
            outside++;
            continue;
        }
        int grp = pccs_tree_ancestor(t, m->org, q->level, at, reg_source);
        if (grp < 0)
            continue;
        if (slot_of[grp] < 0) {
            order[ngroups] = (struct group_sort){t, grp, ngroups};
            slot_of[grp] = (int)ngroups++;
        }
        in[i].group = slot_of[grp];
    }
    sums = pccs_xcalloc(ngroups ? ngroups : 1, sizeof(*sums));
    struct pccs_rollup_out none;
    pccs_rollup(in, g.n, sums, ngroups, &none);
    qsort(order, ngroups, sizeof(*order), cmp_group);

    char reg_brief[96] = "", w_brief[96] = "";
    describe_source(st, reg_source, "registered", reg_period, out, reg_brief,
                    sizeof(reg_brief));
    if (have_w)
        describe_source(st, w_source, "weighted", w_period, out, w_brief,
                        sizeof(w_brief));
    else
        pccs_table_note(out,
                        "weighted: no NHS Payments to General "
                        "Practice file loaded for %d-%02d or before",
                        fy, (fy + 1) % 100);
    if (q->des) {
        char fyname[8];
        pccs_fy_format(q->des_fy, fyname);
        pccs_table_note(out,
                        "populations for %s: the registered list and "
                        "contractor weighted population at %s (Network "
                        "Contract DES)",
                        fyname, des_reg.wanted);
        if (des_reg.note[0])
            pccs_table_note(out, "registered: %s", des_reg.note);
        if (des_w.note[0])
            pccs_table_note(out, "weighted: %s", des_w.note);
    }
    char atbuf[16];
    pccs_date_format(at, atbuf);
    pccs_table_note(out, "organisations as at %s", atbuf);
    int64_t unplaced = (int64_t)none.members - outside;
    if (unplaced > 0)
        pccs_table_note(out,
                        "%lld practices (%.0f registered) have no %s as "
                        "at %s and are in no row",
                        (long long)unplaced, none.sum[0],
                        pccs_level_name(q->level), atbuf);
    pccs_table_note(out, "Contains public sector information licensed "
                         "under the Open Government Licence v3.0.");
    char src_col[200];
    bool same = have_w && strcmp(reg_brief, w_brief) == 0;
    snprintf(src_col, sizeof(src_col), "%s%s%s", reg_brief,
             have_w && !same ? "; " : "", same ? "" : w_brief);

    bool fy_reg = !is_date_period(reg_period, &snap);
    pccs_table_col(out, "code", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "name", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "parent_code", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "practices", PCCS_COL_INT, 0);
    pccs_table_col(out, "registered", PCCS_COL_NUM, fy_reg ? 2 : 0);
    pccs_table_col(out, "weighted", PCCS_COL_NUM, 2);
    pccs_table_col(out, "source", PCCS_COL_TEXT, 0);
    for (size_t i = 0; i < ngroups; i++) {
        const struct pccs_tree_org *o = &t->orgs[order[i].org];
        const struct pccs_rollup_out *s = &sums[order[i].slot];
        int parent = pccs_tree_up(t, order[i].org, at, reg_source);
        pccs_table_row(out);
        pccs_table_text(out, o->code);
        pccs_table_text(out, pccs_tree_name(t, order[i].org, at));
        pccs_table_text(out, parent >= 0 ? t->orgs[parent].code : "");
        pccs_table_int(out, s->members);
        pccs_table_num(out, s->sum[0]);
        if (s->present[1])
            pccs_table_num(out, s->sum[1]);
        else
            pccs_table_null(out);
        pccs_table_text(out, src_col);
    }
    rc = PCCS_OK;
out:
    free(reg_ps);
    free(w_ps);
    free(g.m);
    pccs_hmap_release(&g.index);
    free(in);
    free(sums);
    free(slot_of);
    free(order);
    return rc;
}
