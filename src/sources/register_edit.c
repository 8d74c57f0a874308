/* SPDX-License-Identifier: MIT */
/*
 * Reading a register's rows (the one reader: the tables, the API and the
 * edits all read through pccs_register_read), and changing them one at a
 * time (the API's create, update and delete). A change is a new version
 * of the register: the latest rows with the change applied are written
 * as the register's CSV template and loaded through the same loader as a
 * file a user loads, so every rule (codes known on the row's date, real
 * dates, enumerations) holds for edits too, the change is atomic, and the
 * sources list says when each version was made.
 *
 * Rows are keyed by a stable identifier: a file's rows get their line
 * numbers, the rewrite carries every row's identifier in its column
 * pccs_row_id, and a new row gets one more than the largest any version
 * ever had (a reloaded file's rows count on from there too). A change
 * made without a version after someone else's delete finds its row or
 * none, never a neighbour.
 *
 * The rewrite lives in memory (memfd_create): nothing is written to a
 * temporary directory, so a server killed during an edit leaves no file.
 * The version is checked inside the load's transaction (under the
 * store's write lock), so two servers sharing a store keep the rule.
 */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "formats/csv.h"
#include "sources/register_defs.h"
#include "sources/sources.h"

/* ===== Reading ===== */

/* The versions (source ids) a register has, newest first. */
struct versions {
    int64_t *ids;
    size_t n, cap;
};

static int
versions_cb(void *ctx, const struct pccs_ref_row *r)
{
    struct versions *v = ctx;
    for (size_t i = 0; i < v->n; i++)
        if (v->ids[i] == r->source_id)
            return 0;
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 8;
        v->ids = pccs_xreallocarray(v->ids, v->cap, sizeof(*v->ids));
    }
    v->ids[v->n++] = r->source_id;
    return 0;
}

static int
cmp_desc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/*
 * The versions read: for each owner (newest first; NULL for loads without
 * --org) its latest (latest[i]) and the one before (previous[i], 0 when
 * none).
 */
struct picked {
    char (*owner)[32];
    bool *none; /* owner[i] is a load without --org */
    int64_t *latest, *previous;
    size_t n;
};

static void
picked_release(struct picked *p)
{
    free(p->owner);
    free(p->none);
    free(p->latest);
    free(p->previous);
    memset(p, 0, sizeof(*p));
}

/* The versions of kind's owners that keep says yes to. */
static int
pick_versions(struct pccs_store *st, const char *kind,
              pccs_register_owner_fn *keep, void *ctx, struct picked *p,
              struct pccs_err *err)
{
    struct versions v = {NULL, 0, 0};
    memset(p, 0, sizeof(*p));
    int rc = pccs_store_refs_each(st, kind, versions_cb, &v, err);
    if (v.n)
        qsort(v.ids, v.n, sizeof(*v.ids), cmp_desc);
    p->owner = pccs_xcalloc(v.n + 1, sizeof(*p->owner));
    p->none = pccs_xcalloc(v.n + 1, sizeof(*p->none));
    p->latest = pccs_xcalloc(v.n + 1, sizeof(*p->latest));
    p->previous = pccs_xcalloc(v.n + 1, sizeof(*p->previous));
    for (size_t i = 0; !rc && i < v.n; i++) {
        struct pccs_source_info si;
        rc = pccs_store_source_get(st, v.ids[i], &si, err);
        if (rc || (keep && !keep(ctx, si.owner)))
            continue;
        size_t g = 0;
        while (g < p->n &&
               !(p->none[g] ? !si.owner
                            : si.owner && !strcmp(p->owner[g], si.owner)))
            g++;
        if (g == p->n) {
            p->none[g] = !si.owner;
            snprintf(p->owner[g], sizeof(p->owner[g]), "%s",
                     si.owner ? si.owner : "");
            p->latest[p->n++] = v.ids[i];
        }
        else if (!p->previous[g])
            p->previous[g] = v.ids[i];
    }
    free(v.ids);
    return rc;
}

struct fill {
    struct pccs_register_data *d[2];
    const int64_t *ids[2]; /* the versions of each, n of them */
    size_t n;
};

static void
add_row(struct pccs_register_data *d, const char *key, int64_t from)
{
    size_t nc = d->def->ncols;
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 32;
        d->keys = pccs_xreallocarray(d->keys, d->cap, sizeof(*d->keys));
        d->vals = pccs_xreallocarray(d->vals, d->cap * nc, sizeof(char *));
        d->from = pccs_xreallocarray(d->from, d->cap, sizeof(*d->from));
    }
    snprintf(d->keys[d->n], sizeof(d->keys[0]), "%s", key);
    memset(&d->vals[d->n * nc], 0, nc * sizeof(char *));
    d->from[d->n] = from;
    d->n++;
}

static bool
has(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; id && i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

/*
 * Refs come by key, then attr: a row's values together. Keys are unique
 * across versions but for a row an edit carries over, which the owner's
 * two versions (latest and previous) may both have.
 */
static int
fill_cb(void *ctx, const struct pccs_ref_row *r)
{
    struct fill *f = ctx;
    for (int w = 0; w < 2; w++) {
        struct pccs_register_data *d = f->d[w];
        if (!d || !has(f->ids[w], f->n, r->source_id))
            continue;
        if (!d->n || strcmp(d->keys[d->n - 1], r->key) != 0 ||
            d->from[d->n - 1] != r->source_id)
            add_row(d, r->key, r->source_id);
        int k = pccs_reg_col_index(d->def, r->attr);
        if (k >= 0) {
            char **v = &d->vals[(d->n - 1) * d->def->ncols + (size_t)k];
            free(*v);
            *v = pccs_xstrdup(r->value);
        }
    }
    return 0;
}

static int64_t
newest(const int64_t *ids, size_t n)
{
    int64_t m = 0;
    for (size_t i = 0; i < n; i++)
        m = ids[i] > m ? ids[i] : m;
    return m;
}

int
pccs_register_read_owners(struct pccs_store *st, const char *name,
                          pccs_register_owner_fn *keep, void *ctx,
                          struct pccs_register_data *latest,
                          struct pccs_register_data *previous,
                          struct pccs_err *err)
{
    const struct pccs_reg_def *def = pccs_reg_def_find(name);
    memset(latest, 0, sizeof(*latest));
    if (previous)
        memset(previous, 0, sizeof(*previous));
    if (!def)
        return pccs_err_set(err, PCCS_EINVAL, "no register called '%s' (%s)",
                            name, pccs_reg_names());
    latest->def = def;
    if (previous)
        previous->def = def;
    char kind[48];
    snprintf(kind, sizeof(kind), "register:%s", name);
    struct picked p;
    int rc = pick_versions(st, kind, keep, ctx, &p, err);
    if (!rc && !p.n)
        rc = pccs_err_set(err, PCCS_ENOTFOUND,
                          "no %s register loaded: fill in "
                          "data/templates/%s.csv (or .xlsx) and load it",
                          name, name);
    latest->version = newest(p.latest, p.n);
    if (previous)
        previous->version = newest(p.previous, p.n);
    struct fill f = {{latest, previous}, {p.latest, p.previous}, p.n};
    if (!rc)
        rc = pccs_store_refs_each(st, kind, fill_cb, &f, err);
    picked_release(&p);
    return rc;
}

/* keep: owner is ctx's ("" for none). */
static bool
owner_is(void *ctx, const char *owner)
{
    const char *want = ctx;
    return *want ? owner && !strcmp(owner, want) : !owner;
}

int
pccs_register_read(struct pccs_store *st, const char *name, const char *owner,
                   struct pccs_register_data *latest,
                   struct pccs_register_data *previous, struct pccs_err *err)
{
    int rc = pccs_register_read_owners(st, name, owner ? owner_is : NULL,
                                       (void *)owner, latest, previous, err);
    if (rc == PCCS_ENOTFOUND && owner && *owner)
        rc = pccs_err_set(err, PCCS_ENOTFOUND,
                          "no %s register loaded for %s: fill in "
                          "data/templates/%s.csv (or .xlsx) and load it "
                          "with --org %s",
                          name, owner, name, owner);
    return rc;
}

int
pccs_register_owner(struct pccs_store *st, const char *name, char *owner,
                    size_t n, struct pccs_err *err)
{
    char kind[48];
    snprintf(kind, sizeof(kind), "register:%s", name);
    struct picked p;
    owner[0] = '\0';
    int rc = pick_versions(st, kind, NULL, NULL, &p, err);
    if (!rc && p.n)
        snprintf(owner, n, "%s", p.owner[0]);
    picked_release(&p);
    return rc;
}

int
pccs_register_owners(struct pccs_store *st, const char *name,
                     char (*owners)[32], size_t max, size_t *n,
                     struct pccs_err *err)
{
    char kind[48];
    snprintf(kind, sizeof(kind), "register:%s", name);
    struct picked p;
    *n = 0;
    int rc = pick_versions(st, kind, NULL, NULL, &p, err);
    for (size_t i = 0; !rc && i < p.n && *n < max; i++)
        snprintf(owners[(*n)++], 32, "%s", p.owner[i]);
    picked_release(&p);
    return rc;
}

const char *
pccs_register_val(const struct pccs_register_data *d, size_t row, size_t col)
{
    const char *v = d->vals[row * d->def->ncols + col];
    return v ? v : "";
}

void
pccs_register_data_release(struct pccs_register_data *d)
{
    if (!d->def)
        return;
    for (size_t i = 0; i < d->n * d->def->ncols; i++)
        free(d->vals[i]);
    free(d->vals);
    free(d->keys);
    free(d->from);
    memset(d, 0, sizeof(*d));
}

int
pccs_register_rows(struct pccs_store *st, const char *name, const char *owner,
                   pccs_register_row_fn fn, void *ctx, int64_t *version,
                   struct pccs_err *err)
{
    struct pccs_register_data g;
    int rc = pccs_register_read(st, name, owner, &g, NULL, err);
    if (!rc)
        *version = g.version;
    const char *v[PCCS_REG_MAXCOLS];
    for (size_t i = 0; !rc && i < g.n; i++) {
        for (size_t k = 0; k < g.def->ncols; k++)
            v[k] = pccs_register_val(&g, i, k);
        struct pccs_register_row r = {.key = g.keys[i], .values = v};
        rc = fn(ctx, &r);
    }
    pccs_register_data_release(&g);
    return rc;
}

static int
last_key_cb(void *ctx, const struct pccs_ref_row *r)
{
    int64_t *last = ctx;
    long long k = strtoll(r->key, NULL, 10);
    if (k > *last)
        *last = k;
    return 0;
}

int
pccs_register_last_key(struct pccs_store *st, const char *name, int64_t *last,
                       struct pccs_err *err)
{
    char kind[48];
    snprintf(kind, sizeof(kind), "register:%s", name);
    *last = 0;
    return pccs_store_refs_each(st, kind, last_key_cb, last, err);
}

/* ===== Changing ===== */

static int
check_edit(const struct pccs_register_edit *e,
           const struct pccs_register_data *g, size_t *at, struct pccs_err *err)
{
    if (!strcmp(e->name, "places"))
        return pccs_err_set(err, PCCS_EINVAL,
                            "places change the organisation tree: load them "
                            "with pccs load and restart the server");
    if (e->version && e->version != g->version)
        return pccs_err_set(err, PCCS_ECONFLICT,
                            "the %s register changed since version %lld "
                            "(now %lld): read it again",
                            e->name, (long long)e->version,
                            (long long)g->version);
    *at = g->n; /* the row changed; g->n for a new one */
    if (e->op != PCCS_REG_CREATE) {
        for (*at = 0; *at < g->n && strcmp(g->keys[*at], e->key ? e->key : "");
             (*at)++)
            ;
        if (*at == g->n)
            return pccs_err_set(err, PCCS_ENOTFOUND,
                                "no row %s in the %s register (version %lld)",
                                e->key ? e->key : "?", e->name,
                                (long long)g->version);
    }
    for (size_t k = 0; e->values && k < g->def->ncols; k++)
        if (e->values[k] && strpbrk(e->values[k], "\r\n"))
            return pccs_err_set(err, PCCS_EINVAL,
                                "%s: one line of text, without line breaks",
                                g->def->cols[k].name);
    return PCCS_OK;
}

/*
 * Write the new version as CSV to f: the rows of g with the change at
 * row at applied, each with its identifier (a new row's is next, never
 * used before in any version); key gets the changed row's.
 * prov is the provenance of g's rows ("" for none). Returns the number of
 * rows written.
 */
static size_t
write_version(FILE *f, const struct pccs_register_edit *e,
              const struct pccs_register_data *g, size_t at, const char *prov,
              long long next, char key[24])
{
    const struct pccs_reg_def *d = g->def;
    for (size_t k = 0; k < d->ncols; k++) {
        fputs(k ? "," : "", f);
        pccs_csv_write_field(f, d->cols[k].name);
    }
    fputs("," PCCS_ROW_ID_COL, f);
    if (prov[0])
        fputs("," PCCS_PROVENANCE_COL, f);
    fputs("\r\n", f);
    size_t rows = 0;
    for (size_t i = 0; i <= g->n; i++) {
        bool is_new = i == g->n;
        if ((is_new && e->op != PCCS_REG_CREATE) ||
            (i == at && e->op == PCCS_REG_DELETE))
            continue;
        for (size_t k = 0; k < d->ncols; k++) {
            const char *v = is_new ? "" : pccs_register_val(g, i, k);
            if (i == at && e->values && e->values[k])
                v = e->values[k];
            fputs(k ? "," : "", f);
            pccs_csv_write_field(f, v);
        }
        char id[24];
        snprintf(id, sizeof(id), "%08lld",
                 is_new ? next : strtoll(g->keys[i], NULL, 10));
        if (i == at)
            snprintf(key, 24, "%s", id);
        fprintf(f, ",%s", id);
        if (prov[0]) {
            fputs(",", f);
            pccs_csv_write_field(f, is_new ? "" : prov);
        }
        fputs("\r\n", f);
        rows++;
    }
    return rows;
}

/*
 * Rows of an example (or generated) version keep their mark; a new row
 * has none, so a register whose example rows are all replaced is local
 * data again. The new version keeps the owner of the one it changes.
 */
static void
version_marks(struct pccs_store *st, int64_t version, char *prov, size_t pn,
              char *owner, size_t on)
{
    struct pccs_source_info si;
    struct pccs_err e = PCCS_ERR_INIT;
    prov[0] = owner[0] = '\0';
    if (pccs_store_source_get(st, version, &si, &e) != PCCS_OK)
        return;
    if (si.provenance)
        snprintf(prov, pn, "%s",
                 si.provenance_note ? si.provenance_note : si.provenance);
    if (si.owner)
        snprintf(owner, on, "%s", si.owner);
}

/* Load the rewrite in f (a memory file) as the register's new version. */
static int
load_version(struct pccs_store *st, const struct pccs_register_edit *e, int fd,
             int64_t old, const char *owner, int64_t *version,
             struct pccs_err *err)
{
    char path[64], name[64], again[64];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    /* The name is what load errors and the sources list show. */
    snprintf(name, sizeof(name), "%s (edit).csv", e->name);
    snprintf(again, sizeof(again), "\nedit of version %lld", (long long)old);
    struct pccs_load_options lo = {
        .quiet = true,
        .again = again,
        .name = name,
        .owner = owner[0] ? owner : NULL,
    };
    struct pccs_load_result res;
    int rc = pccs_load_file(st, path, &lo, &res, err);
    if (!rc)
        *version = res.src.id;
    return rc;
}

/*
 * The version a change goes to, read into g with the row changed at *at:
 * the register as asked (every owner's latest, or e->owner's) for the
 * version check and the row; then the version holding that row (a new
 * row: the newest), only whose owner's rows are rewritten, keeping its
 * owner and marks (prov, owner: 200 and 32 bytes).
 */
static int
target_version(struct pccs_store *st, const struct pccs_register_edit *e,
               struct pccs_register_data *g, size_t *at, char *prov,
               char *owner, struct pccs_err *err)
{
    int rc = pccs_register_read(st, e->name, e->owner, g, NULL, err);
    if (!rc)
        rc = check_edit(e, g, at, err);
    if (rc)
        return rc;
    int64_t target = *at < g->n ? g->from[*at] : g->version;
    pccs_register_data_release(g);
    version_marks(st, target, prov, 200, owner, 32);
    rc = pccs_register_read(st, e->name, owner, g, NULL, err);
    struct pccs_register_edit same = *e;
    same.version = 0; /* checked above */
    if (!rc)
        rc = check_edit(&same, g, at, err);
    return rc;
}

static int
change_locked(struct pccs_store *st, const struct pccs_register_edit *e, int fd,
              int64_t *version, char key[24], struct pccs_err *err)
{
    struct pccs_register_data g;
    size_t at = 0;
    char prov[200], owner[32];
    int rc = target_version(st, e, &g, &at, prov, owner, err);
    int64_t last = 0;
    if (!rc)
        rc = pccs_register_last_key(st, e->name, &last, err);
    FILE *f = rc ? NULL : fdopen(dup(fd), "w");
    if (!rc && !f)
        rc = pccs_err_set(err, PCCS_EIO, "cannot hold the %s register: %s",
                          e->name, strerror(errno));
    if (rc) {
        pccs_register_data_release(&g);
        return rc;
    }
    size_t rows = write_version(f, e, &g, at, prov, (long long)last + 1, key);
    int64_t old = g.version;
    pccs_register_data_release(&g);
    if (fclose(f))
        rc = pccs_err_set(err, PCCS_EIO, "cannot write the %s register",
                          e->name);
    else if (!rows)
        /* The last row went: a register is never empty (the loader needs
         * a row to tell the period), so say so. */
        rc = pccs_err_set(err, PCCS_EINVAL,
                          "this would leave the %s register empty; load an "
                          "empty register's replacement instead",
                          e->name);
    if (!rc)
        rc = load_version(st, e, fd, old, owner, version, err);
    return rc;
}

/*
 * The version check, the rewrite and its load in one transaction: the
 * store's write lock is taken before the register is read, so of two
 * changes on one version (two threads, or two servers on one store) the
 * second reads the first's version and gets the conflict; none is lost.
 * The memory file is made before the lock is waited for.
 */
int
pccs_register_change(struct pccs_store *st, const struct pccs_register_edit *e,
                     int64_t *version, char key[24], struct pccs_err *err)
{
    int fd = memfd_create("pccs-edit", MFD_CLOEXEC);
    if (fd < 0)
        return pccs_err_set(err, PCCS_EIO, "cannot hold the %s register: %s",
                            e->name, strerror(errno));
    int rc = pccs_store_begin(st, err);
    if (!rc)
        rc = change_locked(st, e, fd, version, key, err);
    if (!rc)
        rc = pccs_store_commit(st, err);
    if (rc)
        pccs_store_rollback(st);
    close(fd);
    return rc;
}
