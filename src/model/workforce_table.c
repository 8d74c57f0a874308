/* SPDX-License-Identifier: MIT */
/*
 * The workforce table: FTE and headcount by staff group (or, with
 * --group, by role within one staff group) per organisation and rolled
 * up, with FTE per 10,000 weighted patients, from two publications:
 *   PCN workforce  Primary Care Networks workforce (staff employed or
 *                  contracted by PCNs, counted by PCN: --level pcn or up)
 *   GP workforce   General Practice Workforce, practice level (staff of
 *                  the practices: any level)
 * The publication is a column, so the two are never summed together. The
 * weighted population is the contractor weighted population from the
 * payments file of the census's financial year (or the latest earlier
 * one), through the populations table: PCNs' for PCN workforce, the
 * level's own for GP workforce; a parent's rate is its summed FTE over
 * its summed weighted population.
 */
#include "model/tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hmap.h"
#include "base/xalloc.h"
#include "calc/workforce.h"
#include "model/build.h"
#include "model/population.h"

enum { PUB_PCN, PUB_GP, PUB_N };

static const char *const pub_names[PUB_N] = {"PCN workforce", "GP workforce"};
static const char *const pub_fte[PUB_N] = {"workforce_fte", "gpw_fte"};
static const char *const pub_role_fte[PUB_N] = {"workforce_fte",
                                                "gpw_role_fte"};
static const char *const pub_role_heads[PUB_N] = {"workforce_headcount",
                                                  "gpw_role_headcount"};
static const char *const pub_heads[PUB_N] = {"workforce_headcount",
                                             "gpw_headcount"};

struct wrow {
    int org, pub;
    char *key; /* staff group, or role within the group */
    double fte, heads, contracted;
    int next; /* the next row of the same org, or -1 */
};

/* What a fact adds to its row. */
enum wpass { PASS_FTE, PASS_HEADS, PASS_PERSON, PASS_CONTRACTED };

struct wctx {
    const struct pccs_tree *t;
    enum pccs_level level;
    pccs_day at;
    const char *group;
    int in_org;
    int *first;              /* per tree org: its first row, or -1 */
    struct pccs_hmap people; /* (row, id): each person once a row */
    struct wrow *r;
    size_t n, cap;
    enum wpass pass;
    int64_t persons;
    int pub;
    int64_t source[PUB_N];
    struct pccs_build_memo memo;
};

/* Copy the n bytes at s into out (size bytes), cut to fit, NUL-ended. */
static void
copy_part(char *out, size_t size, const char *s, size_t n)
{
    if (n >= size)
        n = size - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

/* dim = "Data_source|STAFF_GROUP|STAFF_ROLE|DETAILED_STAFF_ROLE" */
static bool
split_dim(const char *dim, char *group, size_t gn, char *role, size_t rn)
{
    const char *a = strchr(dim, '|');
    const char *b = a ? strchr(a + 1, '|') : NULL;
    const char *c = b ? strchr(b + 1, '|') : NULL;
    if (!c)
        return false;
    copy_part(group, gn, a + 1, (size_t)(b - a - 1));
    copy_part(role, rn, b + 1, (size_t)(c - b - 1));
    return true;
}

/*
 * A hash key: the two numbers' bytes then the text (the keys are only
 * compared, never shown). Returns its length.
 */
static size_t
row_key(char *out, size_t size, int64_t a, int b, const char *text)
{
    memcpy(out, &a, sizeof(a));
    memcpy(out + sizeof(a), &b, sizeof(b));
    size_t n = sizeof(a) + sizeof(b);
    size_t tl = strlen(text);
    if (tl > size - n)
        tl = size - n;
    memcpy(out + n, text, tl);
    return n + tl;
}

static int
fact_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct wctx *w = ctx;
    char group[128], role[128];
    if (!split_dim(f->dim, group, sizeof(group), role, sizeof(role)))
        return 0;
    if (w->group && strcmp(w->group, group) != 0)
        return 0;
    /* GP workforce: group totals, or the roles that partition them. */
    if (w->pub == PUB_GP &&
        (w->group ? role[0] == '(' : strcmp(role, "(all)") != 0))
        return 0;
    int g = pccs_build_group_memo(&w->memo, w->t, f->org, w->in_org, w->level,
                                  w->at, 0);
    if (g < 0)
        return 0;
    const char *key = w->group ? role : group;
    /* An org has a few rows (one a group or role): look along them. */
    if (!w->first) {
        w->first =
            pccs_xmalloc((w->t->norgs ? w->t->norgs : 1) * sizeof(*w->first));
        for (size_t i = 0; i < w->t->norgs; i++)
            w->first[i] = -1;
    }
    int ri = w->first[g], prev = -1;
    while (ri >= 0 &&
           (w->r[ri].pub != w->pub || strcmp(w->r[ri].key, key) != 0)) {
        prev = ri;
        ri = w->r[ri].next;
    }
    if (ri < 0) {
        if (w->n == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 256;
            w->r = pccs_xreallocarray(w->r, w->cap, sizeof(*w->r));
        }
        w->r[w->n] = (struct wrow){g, w->pub, pccs_xstrdup(key), 0, 0, 0, -1};
        ri = (int)w->n++;
        if (prev < 0)
            w->first[g] = ri;
        else
            w->r[prev].next = ri;
    }
    struct wrow *r = &w->r[ri];
    if (w->pass == PASS_PERSON) {
        /* dim "source|group|role|detail|id": a person once per row. */
        const char *id = strrchr(f->dim, '|');
        char pk[320];
        bool created;
        size_t pl = row_key(pk, sizeof(pk), ri, 0, id ? id + 1 : "");
        pccs_hmap_put(&w->people, pk, pl, &created);
        if (created)
            r->heads++;
        w->persons++;
    }
    else if (w->pass == PASS_HEADS)
        r->heads += f->value;
    else if (w->pass == PASS_CONTRACTED)
        r->contracted += f->value;
    else
        r->fte += f->value;
    w->source[w->pub] = f->source_id;
    return 0;
}

static const struct pccs_tree *sort_t;

static int
cmp_wrow(const void *a, const void *b)
{
    const struct wrow *x = a, *y = b;
    int c = strcmp(sort_t->orgs[x->org].code, sort_t->orgs[y->org].code);
    if (!c)
        c = x->pub - y->pub;
    return c ? c : strcmp(x->key, y->key);
}

/*
 * Sort the rows by organisation code, publication and key. They come
 * grouped by organisation, in the order the file lists them (by code, in
 * the published files): then only each organisation's few rows are
 * sorted, among themselves (half the rows were out of place, a group's
 * roles; a whole sort of 26,116 practice rows took 1.4-2 ms). Else, or
 * when an organisation's rows are apart, the whole sort. The rows are
 * distinct in (org, publication, key), so both give the same order.
 */
static void
sort_rows(const struct pccs_tree *t, struct wrow *r, size_t n)
{
    sort_t = t;
    for (size_t i = 1; i < n; i++) {
        if (r[i].org != r[i - 1].org &&
            strcmp(t->orgs[r[i - 1].org].code, t->orgs[r[i].org].code) >= 0) {
            qsort(r, n, sizeof(*r), cmp_wrow);
            return;
        }
    }
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        for (; b < n && r[b].org == r[a].org; b++) {
            struct wrow x = r[b];
            size_t j = b;
            for (; j > a && cmp_wrow(&r[j - 1], &x) > 0; j--)
                r[j] = r[j - 1];
            r[j] = x;
        }
        a = b;
    }
}

struct latest {
    char period[32];
};

static int
latest_cb(void *ctx, const struct pccs_fact_row *f)
{
    snprintf(((struct latest *)ctx)->period, 32, "%s", f->period);
    return 0;
}

/* Weighted population at level, by output organisation (norgs + 1). */
static bool
weighted_at(struct pccs_store *st, const struct pccs_tree *t,
            enum pccs_level popl, enum pccs_level level, pccs_day at,
            const char *fy, double *wpop, struct pccs_table *notes,
            const char *what)
{
    struct pccs_pop pop;
    struct pccs_err e = PCCS_ERR_INIT;
    struct pccs_pop_query pq = {
        .level = popl, .in = NULL, .at = PCCS_DAY_NONE, .period = fy};
    bool have = pccs_population_rows(st, t, &pq, &pop, &e) == PCCS_OK;
    for (size_t i = 0; have && i < pop.nrows; i++) {
        const struct pccs_pop_row *r = &pop.rows[i];
        int g = pccs_tree_ancestor(t, r->org, level, at, 0);
        if (g >= 0 && !isnan(r->weighted))
            wpop[g] += r->weighted;
    }
    for (size_t i = 0; have && i < pop.nnotes; i++)
        if (strncmp(pop.notes[i], "weighted:", 9) == 0)
            pccs_table_note(notes, "%s (%s)", pop.notes[i], what);
    pccs_pop_release(&pop);
    pccs_err_clear(&e);
    return have;
}

/* The census of each publication: --period, else the latest loaded. */
struct census {
    struct latest l[PUB_N];
    pccs_day day[PUB_N]; /* PCCS_DAY_NONE: publication not used */
};

static int
pick_census(struct pccs_store *st, const struct pccs_table_query *q,
            enum pccs_level level, struct census *cs, struct pccs_err *err)
{
    bool any = false;
    for (int p = 0; p < PUB_N; p++) {
        struct latest *l = &cs->l[p];
        int rc;
        l->period[0] = '\0';
        cs->day[p] = PCCS_DAY_NONE;
        if (p == PUB_PCN && level < PCCS_PCN)
            continue; /* PCN staff have no practice */
        if (q->period)
            snprintf(l->period, sizeof(l->period), "%s", q->period);
        else {
            rc = pccs_store_periods_each(st, pub_fte[p], latest_cb, l, err);
            if (rc)
                return rc;
        }
        if (!l->period[0])
            continue;
        if (pccs_date_parse(pccs_str_from(l->period), &cs->day[p]))
            return pccs_err_set(err, PCCS_EINVAL,
                                "--period for workforce is a census date such "
                                "as 2022-09-30, not %s",
                                l->period);
        any = true;
    }
    if (!any)
        return pccs_err_set(err, PCCS_ENOTFOUND,
                            "no workforce loaded: load a PCN workforce file "
                            "(--level pcn or above) or a GP workforce "
                            "practice-level file first");
    return PCCS_OK;
}

/*
 * PCN workforce: people are counted once per row from the person facts,
 * so a group or a parent never adds its roles' or PCNs' headcounts;
 * contracted services have no person and are counted apart.
 */
static int
gather_pcn_people(struct pccs_store *st, const char *period, struct wctx *w,
                  struct pccs_table *out, struct pccs_err *err)
{
    w->pass = PASS_PERSON;
    w->persons = 0;
    int rc = pccs_store_facts_each(st, "workforce_person", period, NULL,
                                   fact_cb, w, err);
    if (!rc && !w->persons)
        pccs_table_note(out, "PCN workforce headcount: no person "
                             "facts in this store (loaded by an "
                             "older pccs): headcount is the sum of "
                             "each PCN's and role's; load the file "
                             "into a new store for distinct people");
    w->pass = PASS_CONTRACTED;
    if (!rc)
        rc = pccs_store_facts_each(st, "workforce_contracted", period, NULL,
                                   fact_cb, w, err);
    return rc;
}

/* FTE and headcount of publication p at its census. */
static int
gather_pub(struct pccs_store *st, const struct pccs_table_query *q, int p,
           const char *period, struct wctx *w, struct pccs_table *out,
           struct pccs_err *err)
{
    w->pass = PASS_FTE;
    /* Roles are stored apart from group totals (GP workforce). */
    int rc = pccs_store_facts_each(st, q->group ? pub_role_fte[p] : pub_fte[p],
                                   period, NULL, fact_cb, w, err);
    if (!rc && p == PUB_PCN)
        rc = gather_pcn_people(st, period, w, out, err);
    w->pass = PASS_HEADS;
    if (!rc && (p != PUB_PCN || !w->persons))
        rc = pccs_store_facts_each(st,
                                   q->group ? pub_role_heads[p] : pub_heads[p],
                                   period, NULL, fact_cb, w, err);
    return rc;
}

static int
gather(struct pccs_store *st, const struct pccs_table_query *q,
       const struct census *cs, struct wctx *w, struct pccs_table *out,
       struct pccs_err *err)
{
    for (int p = 0; p < PUB_N; p++) {
        if (cs->day[p] == PCCS_DAY_NONE)
            continue;
        w->pub = p;
        w->at = q->at != PCCS_DAY_NONE ? q->at : cs->day[p];
        int rc = gather_pub(st, q, p, cs->l[p].period, w, out, err);
        if (rc)
            return rc;
    }
    if (!w->n)
        return pccs_err_set(err, PCCS_ENOTFOUND, "no workforce for %s%s%s%s",
                            q->in ? q->in : "England", q->group ? " in " : "",
                            q->group ? q->group : "",
                            q->period ? " on that census: load the PCN or GP "
                                        "workforce file of that census"
                                      : "");
    return PCCS_OK;
}

/* Weighted populations of each publication, summed to the output level. */
static void
gather_weighted(struct pccs_store *st, const struct pccs_tree *t,
                const struct pccs_table_query *q, enum pccs_level level,
                const struct census *cs, double *wpop[PUB_N],
                struct pccs_table *out)
{
    for (int p = 0; p < PUB_N; p++) {
        if (cs->day[p] == PCCS_DAY_NONE)
            continue;
        char fy[8];
        pccs_fy_format(pccs_fy_of(cs->day[p]), fy);
        wpop[p] = pccs_xcalloc(t->norgs + 1, sizeof(double));
        pccs_day at = q->at != PCCS_DAY_NONE ? q->at : cs->day[p];
        if (!weighted_at(st, t, p == PUB_PCN ? PCCS_PCN : level, level, at, fy,
                         wpop[p], out,
                         p == PUB_PCN ? "PCN contractor weighted population"
                                      : "practices' weighted population"))
            pccs_table_note(out,
                            "weighted: no payments file for %s or before: "
                            "no rate per 10,000 for %s",
                            fy, pub_names[p]);
    }
}

static void
emit_rows(struct pccs_table *out, const struct pccs_tree *t,
          const struct pccs_table_query *q, struct wctx *w,
          const struct census *cs, double *const wpop[PUB_N])
{
    const struct pccs_build_col cols[] = {
        PCCS_BUILD_ORG_COLS,
        PCCS_BUILD_TEXT("publication"),
        PCCS_BUILD_TEXT(q->group ? "staff_role" : "staff_group"),
        PCCS_BUILD_NUM("fte", 2),
        PCCS_BUILD_INT("headcount"),
        PCCS_BUILD_INT("contracted_services"),
        PCCS_BUILD_NUM("weighted", 2),
        PCCS_BUILD_NUM("fte_per_10000_weighted", 3),
        PCCS_BUILD_TEXT("census")};
    sort_rows(t, w->r, w->n);
    PCCS_BUILD_COLS(out, cols);
    /* an org's rows are together: its name and parent looked up once */
    int last = -1, parent = -1;
    pccs_day last_day = PCCS_DAY_NONE;
    const char *name = "";
    for (size_t i = 0; i < w->n; i++) {
        const struct wrow *r = &w->r[i];
        pccs_day day = cs->day[r->pub];
        double wp = wpop[r->pub][r->org];
        if (r->org != last || day != last_day) {
            last = r->org;
            last_day = day;
            parent = pccs_tree_up(t, r->org, day, 0);
            name = pccs_tree_name(t, r->org, day);
        }
        pccs_build_org_row_named(out, t, r->org, name, parent);
        pccs_table_text(out, pub_names[r->pub]);
        pccs_table_text(out, r->key);
        pccs_table_num(out, r->fte);
        pccs_table_int(out, (int64_t)r->heads);
        if (r->pub == PUB_PCN)
            pccs_table_int(out, (int64_t)r->contracted);
        else
            pccs_table_null(out);
        pccs_table_num(out, wp > 0 ? wp : NAN);
        pccs_table_num(out, pccs_workforce_per_10k(r->fte, wp));
        pccs_table_text(out, cs->l[r->pub].period);
    }
}

static void
emit_notes(struct pccs_store *st, struct pccs_table *out, const struct wctx *w,
           const struct census *cs, struct pccs_err *err)
{
    for (int p = 0; p < PUB_N; p++) {
        struct pccs_source_info si;
        if (!w->source[p])
            continue;
        if (pccs_store_source_get(st, w->source[p], &si, err) == PCCS_OK)
            pccs_table_note(out, "%s: %s, census %s (%s)", pub_names[p],
                            si.publication, cs->l[p].period,
                            si.path ? si.path : "?");
        pccs_err_clear(err);
    }
    if (w->source[PUB_PCN])
        pccs_table_note(out, "PCN workforce headcount: distinct people "
                             "(UNIQUE_IDENTIFIER) in the row, each once "
                             "however many roles or PCNs they work in, so "
                             "a group's headcount is not the sum of its "
                             "roles'; contracted_services counts the rows "
                             "with no person identifier (services "
                             "contracted by the PCN), whose FTE is in fte");
    if (w->source[PUB_GP])
        pccs_table_note(out, "GP workforce: as published per practice; "
                             "practices that did not submit (NA) are left "
                             "out; --group GP etc. lists the published roles");
    pccs_build_ogl_note(out);
}

static void
wctx_release(struct wctx *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->r[i].key);
    free(w->r);
    free(w->first);
    pccs_hmap_release(&w->people);
}

int
pccs_workforce_table(struct pccs_store *st, const struct pccs_tree *t,
                     const struct pccs_table_query *q, struct pccs_table *out,
                     struct pccs_err *err)
{
    struct wctx w = {.t = t, .group = q->group, .in_org = -1};
    double *wpop[PUB_N] = {NULL, NULL};
    struct census cs;
    pccs_table_init(out, "workforce");
    w.level = q->level == PCCS_LEVEL_NONE ? PCCS_PCN : q->level;
    int rc = pick_census(st, q, w.level, &cs, err);
    if (!rc)
        rc = pccs_build_in(t, q->in, &w.in_org, err);
    if (!rc)
        rc = gather(st, q, &cs, &w, out, err);
    if (!rc) {
        gather_weighted(st, t, q, w.level, &cs, wpop, out);
        emit_rows(out, t, q, &w, &cs, wpop);
        emit_notes(st, out, &w, &cs, err);
    }
    wctx_release(&w);
    for (int p = 0; p < PUB_N; p++)
        free(wpop[p]);
    return rc;
}
