/* SPDX-License-Identifier: MIT */
/*
 * The list-growth table: registered and weighted patients per
 * organisation at two loaded periods (--from and --to: registrations
 * snapshots YYYY-MM-DD or payments financial years; by default the
 * earliest and the latest snapshot), the change in patients and in
 * percent, and the practices that opened, closed or (by their premises)
 * merged in between, named in the row of their organisation.
 *
 * Each side is the populations table of its period (model/population.c:
 * the same figures, the same weighted year, the tree as at that side's
 * date, so a practice that moved counts in its organisation of the time).
 * The periods are chosen by model/period.c, which says when a period
 * stands in for the one asked; the arithmetic is calc/ratio.c.
 */
#include "model/tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/hmap.h"
#include "base/xalloc.h"
#include "calc/ratio.h"
#include "model/build.h"
#include "model/period.h"
#include "model/population.h"

/* One side of the comparison. */
struct side {
    const char *opt;            /* "from" or "to" */
    struct pccs_period_pick pk; /* the loaded period used */
    bool fy;                    /* a financial year (payments file) */
    struct pccs_pop pop;        /* the organisations at the level */
    struct pccs_hmap prac;      /* practice code -> 1 (has a list) */
    int64_t source;             /* the file of the practices' lists */
};

struct growth {
    struct pccs_store *st;
    const struct pccs_tree *t;
    enum pccs_level level;
    int in_org;
    struct side s[2];
    struct pccs_buf *opened, *closed, *merged; /* per organisation */
};

/* The earliest dated registrations snapshot. */
static int
earliest_cb(void *ctx, const struct pccs_fact_row *f)
{
    char *first = ctx;
    pccs_day d;
    if (!first[0] && strlen(f->period) == 10 &&
        !pccs_date_parse(pccs_str_from(f->period), &d))
        snprintf(first, 16, "%s", f->period);
    return 0;
}

/* The loaded period for one side: a snapshot as at a date, or a year. */
static int
pick_side(struct pccs_store *st, const char *want, bool latest, struct side *sd,
          struct pccs_err *err)
{
    char first[16] = "";
    int y, rc;
    pccs_day d;
    if (!want && !latest) {
        rc = pccs_store_periods_each(st, "registered", earliest_cb, first, err);
        if (rc)
            return rc;
        want = first[0] ? first : NULL;
    }
    if (want && pccs_fy_parse(pccs_str_from(want), &y) == PCCS_OK) {
        sd->fy = true;
        rc = pccs_period_fy_for(st, "registered", pccs_fy_start(y), &sd->pk,
                                err);
    }
    else if (want && !pccs_date_parse(pccs_str_from(want), &d))
        rc = pccs_period_as_at(st, "registered", d, &sd->pk, err);
    else
        rc = pccs_period_latest(st, "registered", &sd->pk, err);
    if (!rc && !sd->pk.found)
        rc = pccs_err_set(err, PCCS_ENOTFOUND,
                          "--%s %s: no registrations snapshot on or before "
                          "it, nor payments year, loaded",
                          sd->opt, want ? want : "(latest)");
    return rc;
}

/* The practices with a list in the side's period. */
static int
prac_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct side *sd = ctx;
    pccs_hmap_put(&sd->prac, f->org, strlen(f->org), NULL)->ival = 1;
    sd->source = f->source_id;
    return 0;
}

/* Both sides: the organisations' figures, and every practice's list. */
static int
gather(struct growth *g, const struct pccs_table_query *q, struct pccs_err *err)
{
    for (int k = 0; k < 2; k++) {
        struct side *sd = &g->s[k];
        int rc = pick_side(g->st, k ? q->to : q->from, k == 1, sd, err);
        struct pccs_pop_query pq = {.level = g->level,
                                    .in = q->in,
                                    .at = PCCS_DAY_NONE,
                                    .period = sd->pk.period};
        if (!rc)
            rc = pccs_population_rows(g->st, g->t, &pq, &sd->pop, err);
        if (!rc)
            rc = pccs_store_facts_each(g->st, "registered", sd->pk.period, NULL,
                                       prac_cb, sd, err);
        if (rc)
            return rc;
    }
    return PCCS_OK;
}

/* "CODE NAME" appended to b, "; " between. */
static void
add_name(struct pccs_buf *b, const struct pccs_tree *t, int o, pccs_day at)
{
    pccs_buf_addf(b, "%s%s %s", b->len ? "; " : "", t->orgs[o].code,
                  pccs_tree_name(t, o, at));
}

/* A practice with a list on one side only, and its organisation. */
struct lone {
    int org, grp;
    const char *code;
};

struct walk {
    struct growth *g;
    int k; /* the side walked: 0 from (closed), 1 to (opened) */
    struct lone *v;
    size_t n, cap;
};

static void
walk_cb(void *ctx, struct pccs_hmap_entry *e)
{
    struct walk *w = ctx;
    struct growth *g = w->g;
    const struct side *sd = &g->s[w->k];
    if (pccs_hmap_get(&g->s[!w->k].prac, e->key, e->klen))
        return;
    int grp = pccs_build_group(g->t, e->key, g->in_org, g->level, sd->pop.at,
                               sd->source);
    int o = pccs_tree_find(g->t, e->key);
    if (grp < 0 || o < 0)
        return;
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 64;
        w->v = pccs_xreallocarray(w->v, w->cap, sizeof(*w->v));
    }
    w->v[w->n++] = (struct lone){o, grp, g->t->orgs[o].code};
}

static int
cmp_lone(const void *a, const void *b)
{
    return strcmp(((const struct lone *)a)->code,
                  ((const struct lone *)b)->code);
}

/* Postcode -> index + 1 of a practice with a list on the later side. */
static void
premises(const struct growth *g, struct pccs_hmap *pc)
{
    for (size_t i = 0; i < g->t->norgs; i++) {
        const struct pccs_tree_org *p = &g->t->orgs[i];
        if (p->postcode && *p->postcode &&
            pccs_hmap_get(&g->s[1].prac, p->code, strlen(p->code)))
            pccs_hmap_put(pc, p->postcode, strlen(p->postcode), NULL)->ival =
                (int64_t)i + 1;
    }
}

/* A closed practice o: merged into the practice at its postcode, if any. */
static void
merged_into(struct growth *g, const struct pccs_hmap *pc, const struct lone *l)
{
    const char *code = g->t->orgs[l->org].postcode;
    struct pccs_hmap_entry *e =
        code && *code ? pccs_hmap_get(pc, code, strlen(code)) : NULL;
    if (!e || e->ival - 1 == l->org)
        return;
    int into = (int)e->ival - 1;
    struct pccs_buf *b = &g->merged[l->grp];
    pccs_buf_addf(b, "%s%s into %s %s (same postcode %s)", b->len ? "; " : "",
                  l->code, g->t->orgs[into].code,
                  pccs_tree_name(g->t, into, g->s[1].pop.at), code);
}

/* Name the practices that opened, closed or merged, by organisation. */
static void
name_practices(struct growth *g)
{
    size_t n = g->t->norgs + 1;
    g->opened = pccs_xcalloc(n, sizeof(*g->opened));
    g->closed = pccs_xcalloc(n, sizeof(*g->closed));
    g->merged = pccs_xcalloc(n, sizeof(*g->merged));
    struct pccs_hmap pc = PCCS_HMAP_INIT;
    premises(g, &pc);
    for (int k = 0; k < 2; k++) {
        struct walk w = {.g = g, .k = k};
        pccs_hmap_each(&g->s[k].prac, walk_cb, &w);
        if (w.n)
            qsort(w.v, w.n, sizeof(*w.v), cmp_lone);
        for (size_t i = 0; i < w.n; i++) {
            const struct lone *l = &w.v[i];
            add_name(k ? &g->opened[l->grp] : &g->closed[l->grp], g->t, l->org,
                     g->s[k].pop.at);
            if (!k)
                merged_into(g, &pc, l);
        }
        free(w.v);
    }
    pccs_hmap_release(&pc);
}

/* The organisations of either side, each with its row on each side. */
struct line {
    int org;
    const struct pccs_pop_row *r[2];
};

/* The lines sorted by code (the order of every table). */
static size_t
lines(const struct growth *g, struct line **out)
{
    size_t n = g->t->norgs + 1, nl = 0;
    int *at = pccs_xcalloc(n, sizeof(*at)); /* org -> line index + 1 */
    int *orgs = pccs_xcalloc(n, sizeof(*orgs));
    struct line *v = pccs_xcalloc(n, sizeof(*v));
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < g->s[k].pop.nrows; i++) {
            const struct pccs_pop_row *r = &g->s[k].pop.rows[i];
            if (!at[r->org]) {
                orgs[nl] = r->org;
                at[r->org] = (int)++nl;
            }
            v[at[r->org] - 1].r[k] = r;
        }
    pccs_tree_sort_by_code(g->t, orgs, nl);
    struct line *sorted = pccs_xcalloc(nl + 1, sizeof(*sorted));
    for (size_t i = 0; i < nl; i++) {
        sorted[i] = v[at[orgs[i]] - 1];
        sorted[i].org = orgs[i];
    }
    free(at);
    free(orgs);
    free(v);
    *out = sorted;
    return nl;
}

static void
cols(struct pccs_table *out, const struct growth *g)
{
    int rd = g->s[0].fy || g->s[1].fy ? 2 : 0;
    const struct pccs_build_col c[] = {
        PCCS_BUILD_ORG_COLS,
        PCCS_BUILD_TEXT("from"),
        PCCS_BUILD_TEXT("to"),
        PCCS_BUILD_INT("practices_from"),
        PCCS_BUILD_INT("practices_to"),
        PCCS_BUILD_NUM("registered_from", rd),
        PCCS_BUILD_NUM("registered_to", rd),
        PCCS_BUILD_NUM("registered_change", rd),
        PCCS_BUILD_NUM("registered_change_pct", 2),
        PCCS_BUILD_NUM("weighted_from", 2),
        PCCS_BUILD_NUM("weighted_to", 2),
        PCCS_BUILD_NUM("weighted_change", 2),
        PCCS_BUILD_NUM("weighted_change_pct", 2),
        PCCS_BUILD_TEXT("opened"),
        PCCS_BUILD_TEXT("closed"),
        PCCS_BUILD_TEXT("merged"),
    };
    PCCS_BUILD_COLS(out, c);
}

static void
emit_line(struct pccs_table *out, const struct growth *g, const struct line *l)
{
    const struct pccs_pop_row *a = l->r[0], *b = l->r[1];
    double reg[2] = {a ? a->registered : NAN, b ? b->registered : NAN};
    double w[2] = {a ? a->weighted : NAN, b ? b->weighted : NAN};
    const struct pccs_pop_row *named = b ? b : a;
    PCCS_ASSERT(named); /* a line is made from a row of one side or both */
    pccs_day at = b ? g->s[1].pop.at : g->s[0].pop.at;
    pccs_table_row(out);
    pccs_table_text(out, g->t->orgs[l->org].code);
    pccs_table_text(out, pccs_tree_name(g->t, l->org, at));
    pccs_table_text(out, named->parent_code);
    pccs_table_text(out, g->s[0].pk.period);
    pccs_table_text(out, g->s[1].pk.period);
    pccs_table_int(out, a ? a->practices : 0);
    pccs_table_int(out, b ? b->practices : 0);
    pccs_table_num(out, reg[0]);
    pccs_table_num(out, reg[1]);
    pccs_table_num(out, pccs_change(reg[1], reg[0]));
    pccs_table_num(out, pccs_growth_pct(reg[1], reg[0]));
    pccs_table_num(out, w[0]);
    pccs_table_num(out, w[1]);
    pccs_table_num(out, pccs_change(w[1], w[0]));
    pccs_table_num(out, pccs_growth_pct(w[1], w[0]));
    pccs_table_text(out, g->opened[l->org].p ? g->opened[l->org].p : "");
    pccs_table_text(out, g->closed[l->org].p ? g->closed[l->org].p : "");
    pccs_table_text(out, g->merged[l->org].p ? g->merged[l->org].p : "");
}

static void
notes(struct pccs_table *out, const struct growth *g)
{
    for (int k = 0; k < 2; k++) {
        const struct side *sd = &g->s[k];
        if (sd->pk.note[0])
            pccs_table_note(out, "%s: %s", sd->opt, sd->pk.note);
        for (size_t i = 0; i < sd->pop.nnotes; i++)
            if (strncmp(sd->pop.notes[i], "Contains public", 15) != 0)
                pccs_table_note(out, "%s %s: %s", sd->opt, sd->pk.period,
                                sd->pop.notes[i]);
    }
    pccs_table_note(out, "each side is the populations table of its period, "
                         "organisations as at its own date: a practice that "
                         "moved counts in its organisation of the time");
    pccs_table_note(out,
                    "opened: practices with a list at %s and none at %s; "
                    "closed: a list at %s and none at %s, named in the "
                    "organisation of their own side",
                    g->s[1].pk.period, g->s[0].pk.period, g->s[0].pk.period,
                    g->s[1].pk.period);
    pccs_table_note(out,
                    "merged: a closed practice whose last postcode is that "
                    "of a practice with a list at %s (same premises; the "
                    "ODS successor file is not loaded, so a merger across "
                    "premises is only listed as closed)",
                    g->s[1].pk.period);
    pccs_build_ogl_note(out);
}

int
pccs_list_growth_table(struct pccs_store *st, const struct pccs_tree *t,
                       const struct pccs_table_query *q, struct pccs_table *out,
                       struct pccs_err *err)
{
    pccs_table_init(out, "list-growth");
    struct growth *g = pccs_xcalloc(1, sizeof(*g));
    g->st = st;
    g->t = t;
    g->level = q->level == PCCS_LEVEL_NONE ? PCCS_ICB : q->level;
    g->s[0] = (struct side){.opt = "from", .prac = PCCS_HMAP_INIT};
    g->s[1] = (struct side){.opt = "to", .prac = PCCS_HMAP_INIT};
    int rc = pccs_build_in(t, q->in, &g->in_org, err);
    if (!rc)
        rc = gather(g, q, err);
    if (!rc) {
        name_practices(g);
        struct line *v;
        size_t n = lines(g, &v);
        cols(out, g);
        for (size_t i = 0; i < n; i++)
            emit_line(out, g, &v[i]);
        free(v);
        notes(out, g);
    }
    for (size_t i = 0; g->opened && i <= t->norgs; i++) {
        pccs_buf_release(&g->opened[i]);
        pccs_buf_release(&g->closed[i]);
        pccs_buf_release(&g->merged[i]);
    }
    free(g->opened);
    free(g->closed);
    free(g->merged);
    for (int k = 0; k < 2; k++) {
        pccs_pop_release(&g->s[k].pop);
        pccs_hmap_release(&g->s[k].prac);
    }
    free(g);
    return rc;
}
