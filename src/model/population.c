/* SPDX-License-Identifier: MIT */
/* Gathers registered and weighted figures and rolls them up the tree. */
#include "model/population.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/hmap.h"
#include "base/xalloc.h"
#include "calc/rollup.h"
#include "calc/period.h"
#include "model/build.h"
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
                snprintf(out, sizeof(ps->p[i]), "%s", ps->p[i]);
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
                snprintf(out, sizeof(ps->p[i]), "%s", ps->p[i]);
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
        snprintf(out, sizeof(ps->p[0]), "%s", fy);
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
            snprintf(out, sizeof(ps->p[i]), "%s", ps->p[i]);
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
    int *at_org;            /* tree org -> member index + 1 */
    struct pccs_hmap index; /* the same for codes not in the tree */
    struct member *m;
    bool weighted_pass;
    size_t n, cap;
    int64_t source;
};

static int
fact_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct gather *g = ctx;
    int org = pccs_tree_find(g->t, f->org);
    if (g->weighted_pass) {
        int64_t k = org >= 0 ? g->at_org[org] : 0;
        if (org < 0) {
            struct pccs_hmap_entry *e =
                pccs_hmap_get(&g->index, f->org, strlen(f->org));
            k = e ? e->ival : 0;
        }
        if (k) {
            g->m[k - 1].weighted = f->value;
            g->m[k - 1].has_weighted = true;
        }
        g->source = f->source_id;
        return 0;
    }
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 8192;
        g->m = pccs_xreallocarray(g->m, g->cap, sizeof(*g->m));
    }
    if (org >= 0)
        g->at_org[org] = (int)g->n + 1;
    else
        pccs_hmap_put(&g->index, f->org, strlen(f->org), NULL)->ival =
            (int64_t)g->n + 1;
    g->m[g->n++] = (struct member){org, f->value, 0, false};
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

static void pop_note(struct pccs_pop *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A provenance note, formatted as pccs_table_note() formats one. */
static void
pop_note(struct pccs_pop *p, const char *fmt, ...)
{
    p->notes = pccs_xreallocarray(p->notes, p->nnotes + 1, sizeof(*p->notes));
    va_list ap;
    va_start(ap, fmt);
    p->notes[p->nnotes++] = pccs_note_vdup(fmt, ap);
    va_end(ap);
}

static void
describe_source(struct pccs_store *st, int64_t id, const char *what,
                const char *period, struct pccs_pop *out, char *brief,
                size_t brief_len)
{
    struct pccs_source_info s;
    struct pccs_err e = PCCS_ERR_INIT;
    if (pccs_store_source_get(st, id, &s, &e) == PCCS_OK) {
        pop_note(out, "%s: %s, %s (%s, sha256 %.12s)", what,
                 s.publication ? s.publication : s.kind, period,
                 s.path ? s.path : "?", s.sha256 ? s.sha256 : "?");
        snprintf(brief, brief_len, "%s %s", s.kind, period);
    }
    else {
        snprintf(brief, brief_len, "%s", period);
    }
}

/* One populations query on its way: the facts gathered, then the rows. */
struct build {
    struct pccs_store *st;
    const struct pccs_tree *t;
    const struct pccs_pop_query *q;
    struct pccs_pop *out;
    int in_org;
    struct periods reg_ps, w_ps;
    struct pccs_period_pick des_reg, des_w;
    char reg_period[32], w_period[32];
    int fy;
    pccs_day at;
    bool have_w;
    struct gather g;
    int64_t reg_source, w_source;
    struct pccs_rollup_out none; /* practices in no row */
    int64_t outside;             /* of which outside --in */
};

/* --in: an organisation at or above the level. */
static int
check_in(struct build *b, struct pccs_err *err)
{
    const struct pccs_tree *t = b->t;
    const struct pccs_pop_query *q = b->q;
    int rc = pccs_build_in(t, q->in, &b->in_org, err);
    if (rc || b->in_org < 0)
        return rc;
    const struct pccs_tree_org *o = &t->orgs[b->in_org];
    if (o->level == PCCS_LEVEL_NONE || o->level < q->level)
        return pccs_err_set(err, PCCS_EINVAL,
                            "%s is a %s: --level must be %s or below", q->in,
                            o->level_name, o->level_name);
    return PCCS_OK;
}

/* The DES populations of the year (model/period.h). */
static int
pick_des(struct build *b, struct pccs_err *err)
{
    int rc = pccs_period_des_population(b->st, PCCS_PERIOD_REGISTERED,
                                        b->q->des_fy, &b->des_reg, err);
    if (!rc)
        rc = pccs_period_des_population(b->st, PCCS_PERIOD_WEIGHTED,
                                        b->q->des_fy, &b->des_w, err);
    if (!rc && !b->des_reg.found) {
        struct pccs_buf l = PCCS_BUF_INIT;
        list_periods(&l, &b->reg_ps);
        rc = pccs_err_set(err, PCCS_ENOTFOUND,
                          "no registered list loaded on or before %s "
                          "(loaded: %s): load a registrations or "
                          "payments file of that time",
                          b->des_reg.wanted, l.p);
        pccs_buf_release(&l);
    }
    if (!rc)
        snprintf(b->reg_period, sizeof(b->reg_period), "%s", b->des_reg.period);
    return rc;
}

/*
 * The registered period; then the financial year, the day the tree is
 * taken at and the weighted period that go with it.
 */
static int
pick_periods(struct build *b, struct pccs_err *err)
{
    const struct pccs_pop_query *q = b->q;
    int rc = pccs_store_periods_each(b->st, "registered", period_cb, &b->reg_ps,
                                     err);
    if (!rc)
        rc = pccs_store_periods_each(b->st, "weighted", period_cb, &b->w_ps,
                                     err);
    if (!rc && q->des)
        rc = pick_des(b, err);
    else if (!rc)
        rc = choose_registered(&b->reg_ps, q, b->reg_period, err);
    if (rc)
        return rc;
    pccs_day snap;
    if (q->des) {
        b->fy = q->des_fy;
        b->at = pccs_period_des_members_day(q->des_fy);
    }
    else if (is_date_period(b->reg_period, &snap)) {
        b->fy = pccs_fy_of(snap);
        b->at = q->at != PCCS_DAY_NONE ? q->at : snap;
    }
    else {
        is_fy_period(b->reg_period, &b->fy);
        b->at = q->at != PCCS_DAY_NONE ? q->at : pccs_fy_start(b->fy + 1) - 1;
    }
    if (q->des) {
        b->have_w = b->des_w.found;
        snprintf(b->w_period, sizeof(b->w_period), "%s", b->des_w.period);
    }
    else
        b->have_w = choose_weighted(&b->w_ps, b->fy, b->w_period);
    return PCCS_OK;
}

/* Every practice's registered, then weighted, figure. */
static int
gather_facts(struct build *b, struct pccs_err *err)
{
    int rc = pccs_store_facts_each(b->st, "registered", b->reg_period, NULL,
                                   fact_cb, &b->g, err);
    if (rc)
        return rc;
    b->reg_source = b->g.source;
    if (!b->have_w)
        return PCCS_OK;
    b->g.weighted_pass = true;
    b->g.source = 0;
    rc = pccs_store_facts_each(b->st, "weighted", b->w_period, NULL, fact_cb,
                               &b->g, err);
    b->w_source = b->g.source;
    return rc;
}

/* Place each practice in its group at the wanted level; -2: outside --in. */
static size_t
place(struct build *b, struct pccs_rollup_in *in, struct group_sort *order)
{
    const struct pccs_tree *t = b->t;
    int *slot_of = pccs_xmalloc((t->norgs ? t->norgs : 1) * sizeof(*slot_of));
    for (size_t i = 0; i < t->norgs; i++)
        slot_of[i] = -1;
    size_t ngroups = 0;
    for (size_t i = 0; i < b->g.n; i++) {
        const struct member *m = &b->g.m[i];
        in[i] = (struct pccs_rollup_in){
            .group = -1,
            .value = {m->registered, m->weighted},
            .has = {true, m->has_weighted},
        };
        if (!pccs_build_within(t, m->org, b->in_org, b->at, b->reg_source)) {
            in[i].has[0] = in[i].has[1] = false;
            in[i].group = -2;
            b->outside++;
            continue;
        }
        int grp =
            pccs_tree_ancestor(t, m->org, b->q->level, b->at, b->reg_source);
        if (grp < 0)
            continue;
        if (slot_of[grp] < 0) {
            order[ngroups] =
                (struct group_sort){.t = t, .org = grp, .slot = ngroups};
            slot_of[grp] = (int)ngroups++;
        }
        in[i].group = slot_of[grp];
    }
    free(slot_of);
    return ngroups;
}

/* Roll the practices up into one row per group, sorted by code. */
static void
roll_up(struct build *b)
{
    const struct pccs_tree *t = b->t;
    size_t n = b->g.n;
    struct pccs_rollup_in *in = pccs_xcalloc(n ? n : 1, sizeof(*in));
    struct group_sort *order = pccs_xcalloc(n ? n : 1, sizeof(*order));
    size_t ngroups = place(b, in, order);
    struct pccs_rollup_out *sums =
        pccs_xcalloc(ngroups ? ngroups : 1, sizeof(*sums));
    pccs_rollup(in, n, sums, ngroups, &b->none);
    qsort(order, ngroups, sizeof(*order), cmp_group);
    b->out->rows = pccs_xcalloc(ngroups ? ngroups : 1, sizeof(*b->out->rows));
    b->out->nrows = ngroups;
    for (size_t i = 0; i < ngroups; i++) {
        int org = order[i].org;
        const struct pccs_rollup_out *s = &sums[order[i].slot];
        int parent = pccs_tree_up(t, org, b->at, b->reg_source);
        b->out->rows[i] = (struct pccs_pop_row){
            .org = org,
            .code = t->orgs[org].code,
            .name = pccs_tree_name(t, org, b->at),
            .parent_code = parent >= 0 ? t->orgs[parent].code : "",
            .practices = s->members,
            .registered = s->sum[0],
            .weighted = s->present[1] ? s->sum[1] : NAN,
        };
    }
    free(in);
    free(order);
    free(sums);
}

static void
des_notes(const struct build *b)
{
    char fyname[8];
    pccs_fy_format(b->q->des_fy, fyname);
    pop_note(b->out,
             "populations for %s: the registered list and "
             "contractor weighted population at %s (Network "
             "Contract DES)",
             fyname, b->des_reg.wanted);
    if (b->des_reg.note[0])
        pop_note(b->out, "registered: %s", b->des_reg.note);
    if (b->des_w.note[0])
        pop_note(b->out, "weighted: %s", b->des_w.note);
}

/*
 * Above the sub-ICB level: the sub-ICBs in no ICB as at the day (a new
 * one no loaded map places, as U2G6B of April 2026), each named with its
 * practices and patients, which a total above counts but no ICB row does.
 */
static void
gap_notes(struct build *b, const char *atbuf)
{
    const struct pccs_tree *t = b->t;
    if (b->q->level < PCCS_ICB)
        return;
    double *reg = pccs_xcalloc(t->norgs + 1, sizeof(*reg));
    int64_t *n = pccs_xcalloc(t->norgs + 1, sizeof(*n));
    for (size_t i = 0; i < b->g.n; i++) {
        const struct member *m = &b->g.m[i];
        if (m->org < 0 ||
            !pccs_build_within(t, m->org, b->in_org, b->at, b->reg_source) ||
            pccs_tree_ancestor(t, m->org, PCCS_ICB, b->at, b->reg_source) >= 0)
            continue;
        int s =
            pccs_tree_ancestor(t, m->org, PCCS_SUB_ICB, b->at, b->reg_source);
        if (s >= 0) {
            reg[s] += m->registered;
            n[s]++;
        }
    }
    for (size_t s = 0; s < t->norgs; s++)
        if (n[s])
            pop_note(b->out,
                     "sub-ICB %s (%lld practices, %.0f registered) is in no "
                     "ICB as at %s (no loaded map places it): %s",
                     t->orgs[s].code, (long long)n[s], reg[s], atbuf,
                     b->q->level == PCCS_ICB
                         ? "its practices are in no row"
                         : "counted here, but in no ICB row");
    free(reg);
    free(n);
}

/* The notes, and the source column that names the files briefly. */
static void
describe(struct build *b)
{
    struct pccs_pop *out = b->out;
    char reg_brief[96] = "", w_brief[96] = "";
    describe_source(b->st, b->reg_source, "registered", b->reg_period, out,
                    reg_brief, sizeof(reg_brief));
    if (b->have_w)
        describe_source(b->st, b->w_source, "weighted", b->w_period, out,
                        w_brief, sizeof(w_brief));
    else
        pop_note(out,
                 "weighted: no NHS Payments to General "
                 "Practice file loaded for %d-%02d or before",
                 b->fy, (b->fy + 1) % 100);
    if (b->q->des)
        des_notes(b);
    char atbuf[16];
    pccs_date_format(b->at, atbuf);
    pop_note(out, "organisations as at %s", atbuf);
    int64_t unplaced = (int64_t)b->none.members - b->outside;
    if (unplaced > 0)
        pop_note(out,
                 "%lld practices (%.0f registered) have no %s as "
                 "at %s and are in no row",
                 (long long)unplaced, b->none.sum[0],
                 pccs_level_name(b->q->level), atbuf);
    gap_notes(b, atbuf);
    pop_note(out, "Contains public sector information licensed "
                  "under the Open Government Licence v3.0.");
    bool same = b->have_w && strcmp(reg_brief, w_brief) == 0;
    snprintf(out->source, sizeof(out->source), "%s%s%s", reg_brief,
             b->have_w && !same ? "; " : "", same ? "" : w_brief);
    pccs_day snap;
    out->registered_fy = !is_date_period(b->reg_period, &snap);
}

int
pccs_population_rows(struct pccs_store *st, const struct pccs_tree *t,
                     const struct pccs_pop_query *q, struct pccs_pop *out,
                     struct pccs_err *err)
{
    memset(out, 0, sizeof(*out));
    struct build *b = pccs_xcalloc(1, sizeof(*b));
    *b = (struct build){
        .st = st,
        .t = t,
        .q = q,
        .out = out,
        .g = {.t = t,
              .at_org = pccs_xcalloc(t->norgs ? t->norgs : 1, sizeof(int)),
              .index = PCCS_HMAP_INIT}};
    int rc = check_in(b, err);
    if (!rc)
        rc = pick_periods(b, err);
    if (!rc)
        rc = gather_facts(b, err);
    if (!rc) {
        roll_up(b);
        out->at = b->at;
        describe(b);
    }
    free(b->g.m);
    free(b->g.at_org);
    pccs_hmap_release(&b->g.index);
    free(b);
    return rc;
}

void
pccs_pop_release(struct pccs_pop *p)
{
    for (size_t i = 0; i < p->nnotes; i++)
        free(p->notes[i]);
    free(p->notes);
    free(p->rows);
    memset(p, 0, sizeof(*p));
}

int
pccs_population_table(struct pccs_store *st, const struct pccs_tree *t,
                      const struct pccs_pop_query *q, struct pccs_table *out,
                      struct pccs_err *err)
{
    struct pccs_pop pop;
    pccs_table_init(out, "populations");
    int rc = pccs_population_rows(st, t, q, &pop, err);
    if (rc) {
        pccs_pop_release(&pop);
        return rc;
    }
    for (size_t i = 0; i < pop.nnotes; i++)
        pccs_table_note(out, "%s", pop.notes[i]);
    const struct pccs_build_col cols[] = {
        PCCS_BUILD_ORG_COLS,
        PCCS_BUILD_INT("practices"),
        PCCS_BUILD_NUM("registered", pop.registered_fy ? 2 : 0),
        PCCS_BUILD_NUM("weighted", 2),
        PCCS_BUILD_TEXT("source"),
    };
    PCCS_BUILD_COLS(out, cols);
    for (size_t i = 0; i < pop.nrows; i++) {
        const struct pccs_pop_row *r = &pop.rows[i];
        pccs_table_row(out);
        pccs_table_text(out, r->code);
        pccs_table_text(out, r->name);
        pccs_table_text(out, r->parent_code);
        pccs_table_int(out, r->practices);
        pccs_table_num(out, r->registered);
        pccs_table_num(out, r->weighted);
        pccs_table_text(out, pop.source);
    }
    pccs_pop_release(&pop);
    return PCCS_OK;
}
