/* SPDX-License-Identifier: MIT */
/* The organisation tree in memory and its as-at membership rules. */
#include "model/tree.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/xalloc.h"

static const char *const level_names[PCCS_NLEVELS] = {
    "practice", "pcn", "place", "sub_icb", "icb", "region", "england",
};

enum pccs_level
pccs_level_parse(const char *s)
{
    for (int i = 0; i < PCCS_NLEVELS; i++) {
        if (strcmp(s, level_names[i]) == 0)
            return (enum pccs_level)i;
    }
    if (strcmp(s, "ccg") == 0 || strcmp(s, "sub-icb") == 0)
        return PCCS_SUB_ICB;
    if (strcmp(s, "stp") == 0)
        return PCCS_ICB;
    return PCCS_LEVEL_NONE;
}

const char *
pccs_level_name(enum pccs_level l)
{
    if (l < 0 || l >= PCCS_NLEVELS)
        return "other";
    return level_names[l];
}

/* ===== The index of codes ===== */

uint32_t
pccs_tree_code_hash(const char *code)
{
    uint32_t h = 2166136261u; /* FNV-1a: codes are a few bytes */
    for (const unsigned char *p = (const unsigned char *)code; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

int
pccs_tree_find(const struct pccs_tree *t, const char *code)
{
    if (!t->nslots)
        return -1;
    size_t mask = t->nslots - 1;
    for (size_t i = pccs_tree_code_hash(code) & mask;; i = (i + 1) & mask) {
        int32_t k = t->slots[i];
        if (k < 0 || !strcmp(t->orgs[k].code, code))
            return k;
    }
}

/* Put org k in the index (its code not there yet). */
static void
index_put(int32_t *slots, size_t nslots, const char *code, int32_t k)
{
    size_t mask = nslots - 1, i = pccs_tree_code_hash(code) & mask;
    while (slots[i] >= 0)
        i = (i + 1) & mask;
    slots[i] = k;
}

/*
 * Make room in the index for one more org, owned: a new table, twice as
 * many slots, when the index would be over half full or is borrowed.
 */
static void
index_reserve(struct pccs_tree *t)
{
    if (t->slots_owned && (t->norgs + 1) * 2 <= t->nslots)
        return;
    size_t n = t->nslots ? t->nslots : 1024;
    while ((t->norgs + 1) * 2 > n)
        n *= 2;
    int32_t *slots = pccs_xreallocarray(NULL, n, sizeof(*slots));
    memset(slots, 0xff, n * sizeof(*slots)); /* -1 */
    for (size_t k = 0; k < t->norgs; k++)
        index_put(slots, n, t->orgs[k].code, (int32_t)k);
    if (t->slots_owned)
        free(t->slots);
    t->slots = slots;
    t->nslots = n;
    t->slots_owned = true;
}

static char *
dup_or_null(const char *s)
{
    return s ? pccs_xstrdup(s) : NULL;
}

/* ===== The ancestors asked for ===== */

/*
 * pccs_tree_ancestor's answers, one array per (day, source, level) asked
 * for, indexed by org and filled as asked: a table asks the same few
 * questions of thousands of rows. An entry holds the ancestor + 2, so 0
 * (calloc) is "not asked yet". One lock for every tree: the server's
 * request threads share its tree.
 */
#define MEMO_SLOTS 16

struct pccs_tree_memo {
    struct memo_slot {
        pccs_day at;
        int64_t source;
        int level;
        int *up;
    } slot[MEMO_SLOTS];
    size_t n, next;
};

static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;

/* Forget every answer: the tree changed. */
static void
memo_clear(struct pccs_tree *t)
{
    if (!t->memo)
        return;
    pthread_mutex_lock(&memo_lock);
    for (size_t i = 0; i < t->memo->n; i++)
        free(t->memo->slot[i].up);
    free(t->memo);
    t->memo = NULL;
    pthread_mutex_unlock(&memo_lock);
}

/*
 * The answers for (at, source, level), made when first asked; memo_lock
 * held. The memo is a cache beside the tree's value, so a const tree
 * (never defined const: trees are built at run time) takes one.
 */
static int *
memo_row(const struct pccs_tree *t, enum pccs_level level, pccs_day at,
         int64_t source)
{
    struct pccs_tree_memo *m = t->memo;
    if (!m) {
        m = pccs_xcalloc(1, sizeof(*m));
        ((struct pccs_tree *)t)->memo = m;
    }
    for (size_t i = 0; i < m->n; i++) {
        struct memo_slot *s = &m->slot[i];
        if (s->at == at && s->source == source && s->level == (int)level)
            return s->up;
    }
    struct memo_slot *s;
    if (m->n < MEMO_SLOTS)
        s = &m->slot[m->n++];
    else {
        s = &m->slot[m->next];
        m->next = (m->next + 1) % MEMO_SLOTS;
        free(s->up);
    }
    *s = (struct memo_slot){at, source, (int)level,
                            pccs_xcalloc(t->norgs, sizeof(int))};
    return s->up;
}

int
pccs_tree_add_org(struct pccs_tree *t, const struct pccs_org_row *o)
{
    memo_clear(t);
    if (t->norgs == t->cap) {
        /* cap 0 with orgs: borrowed from the blob; copy them. */
        size_t cap = t->norgs >= 512 ? t->norgs * 2 : 1024;
        struct pccs_tree_org *n =
            pccs_xreallocarray(t->cap ? t->orgs : NULL, cap, sizeof(*t->orgs));
        if (!t->cap && t->norgs)
            memcpy(n, t->orgs, t->norgs * sizeof(*t->orgs));
        t->orgs = n;
        t->cap = cap;
    }
    struct pccs_tree_org *n = &t->orgs[t->norgs];
    memset(n, 0, sizeof(*n));
    n->code = pccs_xstrdup(o->code);
    n->name = dup_or_null(o->name);
    n->postcode = dup_or_null(o->postcode);
    n->ons_code = dup_or_null(o->ons_code);
    n->status = dup_or_null(o->status);
    n->level_name = pccs_xstrdup(o->level);
    n->level = pccs_level_parse(o->level);
    n->open_date = o->open_date;
    n->close_date = o->close_date;
    n->as_of = o->as_of;
    n->source_id = o->source_id;
    index_reserve(t);
    index_put(t->slots, t->nslots, n->code, (int32_t)t->norgs);
    return (int)t->norgs++;
}

static int
org_cb(void *ctx, const struct pccs_org_row *o)
{
    pccs_tree_add_org(ctx, o);
    return 0;
}

void
pccs_tree_add_link(struct pccs_tree *t, const struct pccs_link_row *l)
{
    memo_clear(t);
    t->edited = true;
    int c = pccs_tree_find(t, l->child);
    bool none = !l->parent || !*l->parent;
    int p = none ? -1 : pccs_tree_find(t, l->parent);
    if (p < 0 && !none) {
        /* A parent known only from a link: add it with no name. */
        struct pccs_org_row o = {.code = l->parent,
                                 .level = l->parent_level,
                                 .open_date = PCCS_DAY_NONE,
                                 .close_date = PCCS_DAY_NONE,
                                 .source_id = l->source_id};
        p = pccs_tree_add_org(t, &o);
    }
    if (c < 0)
        return;
    if (l->observed && l->start != PCCS_DAY_NONE &&
        (t->latest == PCCS_DAY_NONE || l->start > t->latest))
        t->latest = l->start;
    enum pccs_level pl =
        none ? pccs_level_parse(l->parent_level) : t->orgs[p].level;
    if (l->source_id > 0 && pl >= 0 && pl < PCCS_NLEVELS) {
        size_t sid = (size_t)l->source_id;
        if (sid >= t->nsource_levels) {
            size_t n = sid + 16;
            t->source_levels = pccs_xreallocarray(t->source_levels, n,
                                                  sizeof(*t->source_levels));
            memset(t->source_levels + t->nsource_levels, 0,
                   (n - t->nsource_levels) * sizeof(*t->source_levels));
            t->nsource_levels = n;
        }
        t->source_levels[sid] |= 1u << pl;
    }
    struct pccs_tree_org *o = &t->orgs[c];
    if (o->nlinks >= o->links_cap) {
        /* links_cap 0 with links: borrowed from the blob; copy them. */
        size_t cap = o->nlinks >= 2 ? o->nlinks * 2 : 4;
        struct pccs_tree_link *n = pccs_xreallocarray(
            o->links_cap ? o->links : NULL, cap, sizeof(*o->links));
        if (!o->links_cap && o->nlinks)
            memcpy(n, o->links, o->nlinks * sizeof(*o->links));
        o->links = n;
        o->links_cap = cap;
    }
    /* After the links of its level and those below (see tree.h). */
    size_t at = o->nlinks;
    while (at > 0 && o->links[at - 1].level > (int8_t)pl)
        at--;
    memmove(o->links + at + 1, o->links + at,
            (o->nlinks - at) * sizeof(*o->links));
    o->nlinks++;
    o->links[at] = (struct pccs_tree_link){.parent = p,
                                           .start = l->start,
                                           .end = l->end,
                                           .source_id = (int32_t)l->source_id,
                                           .level = (int8_t)pl,
                                           .observed = l->observed};
}

void
pccs_tree_add_name(struct pccs_tree *t, const struct pccs_name_row *n)
{
    memo_clear(t);
    t->edited = true;
    int c = n->org ? pccs_tree_find(t, n->org) : -1;
    if (c < 0 || !n->name || !*n->name)
        return;
    struct pccs_tree_org *o = &t->orgs[c];
    if (o->nnames == o->names_cap) {
        /* names_cap 0 with names: borrowed from the blob; copy them. */
        size_t cap = o->nnames >= 2 ? o->nnames * 2 : 2;
        struct pccs_tree_name *v = pccs_xreallocarray(
            o->names_cap ? o->names : NULL, cap, sizeof(*o->names));
        if (!o->names_cap && o->nnames)
            memcpy(v, o->names, o->nnames * sizeof(*o->names));
        o->names = v;
        o->names_cap = cap;
    }
    o->names[o->nnames++] = (struct pccs_tree_name){
        pccs_xstrdup(n->name), n->from, (int32_t)n->source_id};
}

static bool
contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        if (!strncasecmp(hay, needle, n))
            return true;
    }
    return false;
}

bool
pccs_tree_names_contain(const struct pccs_tree *t, int org, const char *needle)
{
    if (org < 0 || (size_t)org >= t->norgs)
        return false;
    const struct pccs_tree_org *o = &t->orgs[org];
    if (o->name && contains_ci(o->name, needle))
        return true;
    for (size_t i = 0; i < o->nnames; i++) {
        if (contains_ci(o->names[i].name, needle))
            return true;
    }
    return false;
}

static int
name_cb(void *ctx, const struct pccs_name_row *n)
{
    pccs_tree_add_name(ctx, n);
    return 0;
}

static bool outranks(const struct pccs_tree *t, int64_t a, int64_t b);

const char *
pccs_tree_name(const struct pccs_tree *t, int org, pccs_day at)
{
    if (org < 0 || (size_t)org >= t->norgs)
        return "";
    const struct pccs_tree_org *o = &t->orgs[org];
    const struct pccs_tree_name *best = NULL, *early = NULL;
    for (size_t i = 0; at != PCCS_DAY_NONE && i < o->nnames; i++) {
        const struct pccs_tree_name *n = &o->names[i];
        if (n->from == PCCS_DAY_NONE)
            continue;
        if (n->from <= at) {
            if (!best || n->from > best->from ||
                (n->from == best->from &&
                 outranks(t, n->source_id, best->source_id)))
                best = n;
        }
        else if (!early || n->from < early->from ||
                 (n->from == early->from &&
                  outranks(t, n->source_id, early->source_id)))
            early = n;
    }
    if (!best)
        best = early;
    if (best)
        return best->name;
    return o->name ? o->name : "";
}

static int
link_cb(void *ctx, const struct pccs_link_row *l)
{
    pccs_tree_add_link(ctx, l);
    return 0;
}

/* The day a source's period describes: a date, or a financial year's end. */
static pccs_day
period_day(const char *period)
{
    pccs_day d;
    int fy;
    if (!period)
        return PCCS_DAY_NONE;
    if (pccs_date_parse(pccs_str_from(period), &d) == 0)
        return d;
    if (pccs_fy_parse(pccs_str_from(period), &fy) == 0)
        return pccs_fy_start(fy + 1) - 1;
    return PCCS_DAY_NONE;
}

static void
set_asof(struct pccs_tree *t, int64_t source_id, pccs_day day)
{
    if (source_id <= 0)
        return;
    size_t sid = (size_t)source_id;
    if (sid >= t->nasof) {
        size_t n = sid + 16;
        t->asof = pccs_xreallocarray(t->asof, n, sizeof(*t->asof));
        for (size_t i = t->nasof; i < n; i++)
            t->asof[i] = PCCS_DAY_NONE;
        t->nasof = n;
    }
    t->asof[sid] = day;
}

static pccs_day
asof(const struct pccs_tree *t, int64_t source_id)
{
    if (source_id <= 0 || (size_t)source_id >= t->nasof)
        return PCCS_DAY_NONE;
    return t->asof[source_id];
}

/*
 * Of two facts that start on the same day, does the one from source a win
 * over the one from source b? The file describing the later day does (the
 * ePCN list of mid-2022 dates G82080's move to U50767 from 2020-09-01;
 * the practice map of 1 September 2020 still shows the old PCN); between
 * files describing the same day, the later loaded.
 */
static bool
outranks(const struct pccs_tree *t, int64_t a, int64_t b)
{
    pccs_day da = asof(t, a), db = asof(t, b);
    if (da != db)
        return db == PCCS_DAY_NONE || (da != PCCS_DAY_NONE && da > db);
    return a > b;
}

static int
source_cb(void *ctx, const struct pccs_source_info *s)
{
    struct pccs_tree *t = ctx;
    set_asof(t, s->id, period_day(s->period));
    if (strcmp(s->kind, "gp_map") != 0 && strcmp(s->kind, "gp_reg_all") != 0)
        return 0;
    pccs_day d;
    if (!s->period || pccs_date_parse(pccs_str_from(s->period), &d))
        return 0;
    pccs_tree_set_census(t, s->id, d);
    return 0;
}

void
pccs_tree_set_census(struct pccs_tree *t, int64_t source_id, pccs_day day)
{
    memo_clear(t);
    if (source_id <= 0)
        return;
    size_t sid = (size_t)source_id;
    if (sid >= t->ncensus) {
        size_t n = sid + 16;
        t->census = pccs_xreallocarray(t->census, n, sizeof(*t->census));
        for (size_t i = t->ncensus; i < n; i++)
            t->census[i] = PCCS_DAY_NONE;
        t->ncensus = n;
    }
    t->census[sid] = day;
}

int
pccs_tree_build(struct pccs_tree *t, struct pccs_store *st,
                struct pccs_err *err)
{
    int rc = pccs_store_sources_each(st, source_cb, t, err);
    if (rc)
        return rc;
    rc = pccs_store_orgs_each(st, org_cb, t, err);
    if (rc)
        return rc;
    rc = pccs_store_links_each(st, link_cb, t, err);
    if (rc)
        return rc;
    rc = pccs_store_org_names_each(st, name_cb, t, err);
    if (rc)
        return rc;
    pccs_tree_finish(t);
    return PCCS_OK;
}

#define CACHE_NAME "tree"

/* The cached tree of the current generation: *hit, and *gen either way. */
static int
read_cached(struct pccs_tree *t, struct pccs_store *st, bool *hit, int64_t *gen,
            struct pccs_err *err)
{
    char *blob;
    size_t len;
    *hit = false;
    int rc = pccs_store_cache_get(st, CACHE_NAME, &blob, &len, gen, err);
    if (!rc && blob)
        *hit = pccs_tree_from_blob(t, blob, len);
    return rc;
}

/* Build t from the tables and cache it for generation gen. */
static int
build_and_cache(struct pccs_tree *t, struct pccs_store *st, int64_t gen,
                struct pccs_err *err)
{
    int rc = pccs_tree_build(t, st, err);
    if (rc || gen <= 0 || pccs_store_readonly(st))
        return rc;
    struct pccs_buf b = PCCS_BUF_INIT;
    pccs_tree_to_blob(t, &b);
    rc = pccs_store_cache_put(st, CACHE_NAME, gen, b.p, b.len, err);
    pccs_buf_release(&b);
    return rc;
}

/* PCCS_TREE=check: the cached tree (if any) equals one built afresh. */
static int
check_cached(struct pccs_tree *t, struct pccs_store *st, struct pccs_err *err)
{
    bool hit;
    int64_t gen;
    struct pccs_tree fresh = PCCS_TREE_INIT;
    int rc = read_cached(t, st, &hit, &gen, err);
    if (!rc)
        rc = pccs_tree_build(&fresh, st, err);
    if (rc || !hit) {
        fprintf(stderr, "pccs: tree: no cache for generation %lld\n",
                (long long)gen);
        pccs_tree_release(t);
        *t = fresh;
        return rc;
    }
    struct pccs_buf a = PCCS_BUF_INIT, b = PCCS_BUF_INIT;
    pccs_tree_to_blob(t, &a);
    pccs_tree_to_blob(&fresh, &b);
    bool same = a.len == b.len && !memcmp(a.p, b.p, a.len);
    fprintf(stderr,
            "pccs: tree: cached for generation %lld, %s a fresh build\n",
            (long long)gen, same ? "the same as" : "NOT the same as");
    pccs_buf_release(&a);
    pccs_buf_release(&b);
    pccs_tree_release(&fresh);
    if (!same)
        return pccs_err_set(err, PCCS_EDB,
                            "the cached organisation tree differs from the "
                            "store's tables");
    return PCCS_OK;
}

int
pccs_tree_load(struct pccs_tree *t, struct pccs_store *st, struct pccs_err *err)
{
    const char *mode = getenv("PCCS_TREE");
    if (mode && !strcmp(mode, "rebuild"))
        return pccs_tree_build(t, st, err);
    if (mode && !strcmp(mode, "check"))
        return check_cached(t, st, err);
    bool hit;
    int64_t gen;
    int rc = read_cached(t, st, &hit, &gen, err);
    if (rc || hit)
        return rc;
    return build_and_cache(t, st, gen, err);
}

int
pccs_tree_refresh(struct pccs_store *st, struct pccs_err *err)
{
    if (pccs_store_readonly(st))
        return PCCS_OK;
    struct pccs_tree t = PCCS_TREE_INIT;
    int rc = pccs_tree_load(&t, st, err);
    pccs_tree_release(&t);
    return rc;
}

void
pccs_tree_finish(struct pccs_tree *t)
{
    memo_clear(t);
    int eng = pccs_tree_find(t, "ENG");
    if (eng < 0) {
        struct pccs_org_row o = {.code = "ENG",
                                 .level = "england",
                                 .name = "England",
                                 .open_date = PCCS_DAY_NONE,
                                 .close_date = PCCS_DAY_NONE};
        eng = pccs_tree_add_org(t, &o);
    }
    t->england = eng;
}

/* Free p unless it points into the blob the tree was read from. */
static void
free_owned(const struct pccs_tree *t, void *p)
{
    const char *c = p;
    if (t->blob && c >= t->blob && c < t->blob + t->blob_len)
        return;
    free(p);
}

void
pccs_tree_release(struct pccs_tree *t)
{
    memo_clear(t);
    /* A tree as read from its blob owns nothing org by org. */
    for (size_t i = 0; !(t->blob && !t->cap && !t->edited) && i < t->norgs;
         i++) {
        struct pccs_tree_org *o = &t->orgs[i];
        char *own[] = {o->code,     o->name,   o->postcode,
                       o->ons_code, o->status, o->level_name};
        for (size_t k = 0; k < sizeof(own) / sizeof(own[0]); k++)
            free_owned(t, own[k]);
        free_owned(t, o->links);
        /* A borrowed array (names_cap 0) holds only borrowed names. */
        for (size_t k = 0; o->names_cap && k < o->nnames; k++)
            free_owned(t, o->names[k].name);
        free_owned(t, o->names);
    }
    free_owned(t, t->orgs);
    free(t->blob);
    t->blob = NULL;
    t->blob_len = 0;
    free(t->source_levels);
    t->source_levels = NULL;
    t->nsource_levels = 0;
    free(t->census);
    t->census = NULL;
    t->ncensus = 0;
    free(t->asof);
    t->asof = NULL;
    t->nasof = 0;
    if (t->slots_owned)
        free(t->slots);
    t->slots = NULL;
    t->nslots = 0;
    t->slots_owned = false;
    t->orgs = NULL;
    t->norgs = t->cap = 0;
    t->edited = false;
    t->england = -1;
    t->latest = PCCS_DAY_NONE;
}

bool
pccs_tree_open_at(const struct pccs_tree_org *o, pccs_day at)
{
    if (o->open_date != PCCS_DAY_NONE && at < o->open_date)
        return false;
    if (o->close_date != PCCS_DAY_NONE && at > o->close_date)
        return false;
    return true;
}

static bool
holds(const struct pccs_tree_link *l, pccs_day at)
{
    return (l->start == PCCS_DAY_NONE || l->start <= at) &&
           (l->end == PCCS_DAY_NONE || at <= l->end);
}

/*
 * Does membership at level reach back before its first observation? Not
 * for PCNs: before the first evidence of a PCN, a practice is in none.
 * A preferred source's own memberships always do: its figures roll up
 * the way that publication placed them, whatever the day asked.
 */
static bool
reaches_back(enum pccs_level level, int64_t only_source)
{
    return level != PCCS_PCN || only_source > 0;
}

/*
 * Index into o->links of the link to level that holds at day (its parent
 * -1 for "in none"), or -1 if nothing is known.
 */
/* The first of o's links at level or above (links are in level order). */
static size_t
level_start(const struct pccs_tree_org *o, int level)
{
    size_t lo = 0, hi = o->nlinks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o->links[mid].level < level)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int
pick(const struct pccs_tree *t, const struct pccs_tree_org *o,
     enum pccs_level level, pccs_day at, int64_t only_source)
{
    int best = -1;
    pccs_day best_start = 0;
    int early = -1;
    pccs_day early_start = 0;
    for (size_t i = level_start(o, (int)level);
         i < o->nlinks && o->links[i].level == (int)level; i++) {
        const struct pccs_tree_link *l = &o->links[i];
        if (only_source > 0 && l->source_id != only_source)
            continue;
        pccs_day s = l->start == PCCS_DAY_NONE ? INT32_MIN + 1 : l->start;
        if (holds(l, at)) {
            /* Latest start wins; on a tie, see outranks(). */
            if (best < 0 || s > best_start ||
                (s == best_start &&
                 outranks(t, l->source_id, o->links[best].source_id))) {
                best = (int)i;
                best_start = s;
            }
        }
        else if (l->observed && s > at && reaches_back(level, only_source) &&
                 (early < 0 || s < early_start)) {
            early = (int)i;
            early_start = s;
        }
    }
    return best >= 0 ? best : early;
}

/*
 * Does source describe org's memberships at level? It does if it gives
 * org some link and gives links at that level to anyone.
 */
static bool
describes(const struct pccs_tree *t, const struct pccs_tree_org *o,
          enum pccs_level level, int64_t source)
{
    if ((size_t)source >= t->nsource_levels ||
        !(t->source_levels[source] & (1u << level)))
        return false;
    for (size_t i = 0; i < o->nlinks; i++) {
        if (o->links[i].source_id == source)
            return true;
    }
    return false;
}

static int
parent_via(const struct pccs_tree *t, int org, enum pccs_level level,
           pccs_day at, int64_t prefer_source, int64_t *source_id)
{
    *source_id = 0;
    if (org < 0)
        return -1;
    const struct pccs_tree_org *o = &t->orgs[org];
    if (level == PCCS_ENGLAND && o->level == PCCS_REGION)
        return t->england;
    int k = -1;
    bool final = false;
    if (prefer_source > 0) {
        k = pick(t, o, level, at, prefer_source);
        final = k < 0 && describes(t, o, level, prefer_source);
    }
    if (k < 0 && !final)
        k = pick(t, o, level, at, 0);
    if (k < 0)
        return -1;
    *source_id = o->links[k].source_id;
    return o->links[k].parent;
}

int
pccs_tree_parent(const struct pccs_tree *t, int org, enum pccs_level level,
                 pccs_day at, int64_t prefer_source)
{
    int64_t src;
    return parent_via(t, org, level, at, prefer_source, &src);
}

/*
 * pccs_tree_ancestor, walking up the tree; each organisation passed on
 * the way keeps its answer in up (memo_lock held), so the practices of
 * one PCN or sub-ICB walk the rest of the way once. depth bounds a walk
 * through links that go round.
 */
static int
ancestor_walk(const struct pccs_tree *t, int *up, int org,
              enum pccs_level level, pccs_day at, int64_t prefer_source,
              int depth)
{
    if (org < 0 || depth >= PCCS_NLEVELS)
        return -1;
    const struct pccs_tree_org *o = &t->orgs[org];
    if (o->level == level)
        return org;
    if (o->level == PCCS_LEVEL_NONE || o->level > level)
        return -1;
    if (up[org])
        return up[org] - 2;
    int a = pccs_tree_parent(t, org, level, at, prefer_source);
    if (a < 0) {
        /* Through the nearest direct parent below the wanted level. */
        int next = -1;
        for (int l = (int)level - 1; l > (int)o->level && next < 0; l--)
            next =
                pccs_tree_parent(t, org, (enum pccs_level)l, at, prefer_source);
        a = ancestor_walk(t, up, next, level, at, prefer_source, depth + 1);
    }
    up[org] = a + 2;
    return a;
}

int
pccs_tree_ancestor(const struct pccs_tree *t, int org, enum pccs_level level,
                   pccs_day at, int64_t prefer_source)
{
    if (org < 0 || (size_t)org >= t->norgs)
        return -1;
    const struct pccs_tree_org *o = &t->orgs[org];
    if (o->level == level)
        return org;
    if (o->level == PCCS_LEVEL_NONE || o->level > level)
        return -1;
    pthread_mutex_lock(&memo_lock);
    int *up = memo_row(t, level, at, prefer_source);
    int a = ancestor_walk(t, up, org, level, at, prefer_source, 0);
    pthread_mutex_unlock(&memo_lock);
    return a;
}

int
pccs_tree_up_via(const struct pccs_tree *t, int org, pccs_day at,
                 int64_t prefer_source, int64_t *source_id)
{
    *source_id = 0;
    const struct pccs_tree_org *o = &t->orgs[org];
    if (o->level == PCCS_LEVEL_NONE || o->level == PCCS_ENGLAND)
        return -1;
    for (int l = (int)o->level + 1; l < PCCS_NLEVELS; l++) {
        int p = parent_via(t, org, (enum pccs_level)l, at, prefer_source,
                           source_id);
        if (p >= 0)
            return p;
    }
    return -1;
}

int
pccs_tree_up(const struct pccs_tree *t, int org, pccs_day at,
             int64_t prefer_source)
{
    int64_t src;
    return pccs_tree_up_via(t, org, at, prefer_source, &src);
}

/*
 * Is practice o current on the latest full list of practices (census)? It
 * is if the list has it, or if it opened after the list was taken.
 */
static bool
current(const struct pccs_tree *t, const struct pccs_tree_org *o,
        pccs_day census)
{
    if (census == PCCS_DAY_NONE)
        return true;
    for (size_t i = 0; i < o->nlinks; i++) {
        size_t sid = (size_t)o->links[i].source_id;
        if (sid < t->ncensus && t->census[sid] == census)
            return true;
    }
    return o->open_date != PCCS_DAY_NONE && o->open_date > census;
}

void
pccs_tree_count_practices(const struct pccs_tree *t, pccs_day at,
                          int64_t *practices)
{
    memset(practices, 0, t->norgs * sizeof(*practices));
    pccs_day census = PCCS_DAY_NONE;
    for (size_t i = 0; i < t->ncensus; i++) {
        if (t->census[i] != PCCS_DAY_NONE && t->census[i] <= at &&
            (census == PCCS_DAY_NONE || t->census[i] > census))
            census = t->census[i];
    }
    for (size_t i = 0; i < t->norgs; i++) {
        const struct pccs_tree_org *o = &t->orgs[i];
        if (o->level != PCCS_PRACTICE || !pccs_tree_open_at(o, at) ||
            !current(t, o, census))
            continue;
        int p = pccs_tree_up(t, (int)i, at, 0);
        if (p < 0)
            continue;
        practices[i] = 1;
        for (int guard = 0; p >= 0 && guard < PCCS_NLEVELS; guard++) {
            practices[p]++;
            p = pccs_tree_up(t, p, at, 0);
        }
    }
}

pccs_day
pccs_tree_default_day(const struct pccs_tree *t)
{
    if (t->latest != PCCS_DAY_NONE)
        return t->latest;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    return pccs_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

struct code_idx {
    const char *code;
    int idx;
};

static int
cmp_code_idx(const void *a, const void *b)
{
    return strcmp(((const struct code_idx *)a)->code,
                  ((const struct code_idx *)b)->code);
}

void
pccs_tree_sort_by_code(const struct pccs_tree *t, int *idx, size_t n)
{
    struct code_idx *v = pccs_xcalloc(n ? n : 1, sizeof(*v));
    for (size_t i = 0; i < n; i++)
        v[i] = (struct code_idx){t->orgs[idx[i]].code, idx[i]};
    qsort(v, n, sizeof(*v), cmp_code_idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = v[i].idx;
    free(v);
}
