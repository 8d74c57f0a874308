/* SPDX-License-Identifier: MIT */
/* Reference data read once per process (see refdata.h). */
#include "model/refdata.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "base/arena.h"
#include "base/path.h"
#include "base/xalloc.h"
#include "formats/csv.h"
#include "model/rates.h"

struct entry {
    struct pccs_refdata r;
    unsigned flags;
    struct pccs_arena arena; /* the records' text */
    struct entry *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *entries, **tail = &entries;

/* The whole file into *data (owned), its length into *len. */
static int
slurp(const char *path, char **data, size_t *len, struct pccs_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return pccs_err_at(err, PCCS_EIO, path, 0, 0, "cannot open: %s",
                           strerror(errno));
    size_t cap = 8192, n = 0;
    char *buf = pccs_xmalloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = pccs_xrealloc(buf, cap);
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return pccs_err_at(err, PCCS_EIO, path, 0, 0, "cannot read");
    }
    *data = buf;
    *len = n;
    return PCCS_OK;
}

/* Parse data into e's records (copied into e's arena). */
static int
parse(struct entry *e, const char *data, size_t len, struct pccs_err *err)
{
    struct pccs_csv_reader *r;
    int rc = pccs_csv_open_mem(&r, data, len, e->r.path, e->flags, err);
    if (rc)
        return rc;
    struct pccs_refdata_record *recs = NULL;
    size_t n = 0, cap = 0;
    struct pccs_csv_record rec;
    while ((rc = pccs_csv_next(r, &rec, err)) == 1) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            recs = pccs_xreallocarray(recs, cap, sizeof(*recs));
        }
        struct pccs_str *f =
            pccs_arena_calloc(&e->arena, rec.nfields + 1, sizeof(*f));
        for (size_t i = 0; i < rec.nfields; i++) {
            f[i].p = pccs_arena_strndup(&e->arena, rec.fields[i].p,
                                        rec.fields[i].len);
            f[i].len = rec.fields[i].len;
        }
        recs[n++] = (struct pccs_refdata_record){
            .fields = f, .nfields = rec.nfields, .line = rec.line};
    }
    pccs_csv_free(r);
    e->r.records = recs;
    e->r.nrecords = n;
    return rc < 0 ? rc : PCCS_OK;
}

static struct entry *
find(const char *path, unsigned flags)
{
    for (struct entry *e = entries; e; e = e->next)
        if (e->flags == flags && !strcmp(e->r.path, path))
            return e;
    return NULL;
}

static void
entry_free(struct entry *e)
{
    free((void *)e->r.records);
    free((void *)e->r.path);
    pccs_arena_release(&e->arena);
    free(e);
}

int
pccs_refdata_get(const char *path, unsigned flags,
                 const struct pccs_refdata **out, struct pccs_err *err)
{
    pthread_mutex_lock(&lock);
    struct entry *e = find(path, flags);
    int rc = PCCS_OK;
    if (!e) {
        char *data = NULL;
        size_t len = 0;
        rc = slurp(path, &data, &len, err);
        if (!rc) {
            e = pccs_xcalloc(1, sizeof(*e));
            e->r.path = pccs_xstrdup(path);
            e->flags = flags;
            unsigned char h[crypto_hash_sha256_BYTES];
            crypto_hash_sha256(h, (const unsigned char *)data, len);
            sodium_bin2hex(e->r.sha256, sizeof(e->r.sha256), h, sizeof(h));
            rc = parse(e, data, len, err);
        }
        free(data);
        if (!rc) {
            *tail = e;
            tail = &e->next;
        }
        else if (e) {
            entry_free(e);
            e = NULL;
        }
    }
    pthread_mutex_unlock(&lock);
    if (e)
        *out = &e->r;
    return rc;
}

int
pccs_refdata_each(pccs_refdata_fn fn, void *ctx)
{
    pthread_mutex_lock(&lock);
    int rc = 0;
    for (struct entry *e = entries; e && !rc; e = e->next)
        rc = fn(ctx, &e->r);
    pthread_mutex_unlock(&lock);
    return rc;
}

/* The rules files may be replaced one by one from a local directory. */
#define RULES_DIR_ENV "PCCS_RULES"

/* A file a variable may name instead, its rows all of one width. */
#define ENV_FILE(r, e, w)                                                      \
    {                                                                          \
        .rel = r, .env = e, .flags = PCCS_CSV_SAME_WIDTH, .what = w            \
    }

const struct pccs_refdata_file pccs_refdata_files[] = {
    {.rel = "rules/levels.csv", .what = "when each level of the tree began"},
    {.rel = "rules/risk.csv", .what = "risk score bands and their RAG"},
    {.rel = "rules/resilience.csv", .what = "resilience thresholds and RAG"},
    {.rel = "rules/disclosure.csv", .what = "disclosure control"},
    {.rel = "rules/payments.csv", .what = "payments per patient: exclusions"},
    ENV_FILE("maps/pcn_lines.csv", "PCCS_PCN_LINES",
             "PCN entitlement lines: labels and who is paid"),
    ENV_FILE("maps/arrs_roles.csv", "PCCS_ARRS_ROLES",
             "PCN workforce staff roles to ARRS roles"),
    {.rel = "maps/arrs_role_labels.csv", .what = "ARRS role titles"},
    {.rel = "maps/qof_groups.csv", .what = "QOF group names"},
    ENV_FILE("weights/age_sex.csv", "PCCS_WEIGHTS", "age-sex workload weights"),
    {.rel = "rules/phm.csv", .what = "population health: eFI parameters"},
    {.rel = "rules/efi.csv", .what = "eFI deficits and their code lists"},
    {.rel = "rules/cohorts.csv", .what = "population health cohorts"},
    {.rel = "rules/phm_codes.csv", .what = "code lists the rules define"},
    {.rel = NULL},
};

static const struct pccs_refdata_file *
file_def(const char *rel)
{
    for (const struct pccs_refdata_file *f = pccs_refdata_files; f->rel; f++)
        if (!strcmp(f->rel, rel))
            return f;
    return NULL;
}

bool
pccs_refdata_path(const char *rel, char *path, size_t n)
{
    const struct pccs_refdata_file *f = file_def(rel);
    const char *env = f && f->env ? getenv(f->env) : NULL;
    if (env && *env) {
        snprintf(path, n, "%s", env);
        return true;
    }
    const char *dir = getenv(RULES_DIR_ENV);
    if (!strncmp(rel, "rules/", 6) && dir && *dir) {
        snprintf(path, n, "%s/%s", dir, rel + 6);
        if (access(path, R_OK) == 0)
            return true;
    }
    return pccs_data_path(rel, path, n);
}

int
pccs_refdata_load(const char *rel, const struct pccs_refdata **out,
                  struct pccs_err *err)
{
    const struct pccs_refdata_file *f = file_def(rel);
    char path[4096];
    pccs_refdata_path(rel, path, sizeof(path));
    return pccs_refdata_get(path, f ? f->flags : 0, out, err);
}

int
pccs_refdata_load_cols(const char *rel, const char *const *names, size_t n,
                       const struct pccs_refdata **out, struct pccs_err *err)
{
    int rc = pccs_refdata_load(rel, out, err);
    if (rc)
        return rc;
    const struct pccs_refdata *f = *out;
    const struct pccs_refdata_record *h = f->nrecords ? &f->records[0] : NULL;
    for (size_t i = 0; h && i < n; i++)
        if (i >= h->nfields ||
            !pccs_str_ieq(pccs_str_trim(h->fields[i]), names[i]))
            return pccs_err_at(err, PCCS_EPARSE, f->path, h->line,
                               (int64_t)i + 1, "expected the column \"%s\"",
                               names[i]);
    return PCCS_OK;
}

/* The distinct values of f's source column, "; "-joined (at most three
 * named, then how many more), into u->source. */
static void
sources_of(const struct pccs_refdata *f, struct pccs_refdata_use *u)
{
    const struct pccs_refdata_record *h = f->nrecords ? &f->records[0] : NULL;
    size_t col = 0;
    while (h && col < h->nfields &&
           !pccs_str_ieq(pccs_str_trim(h->fields[col]), "source"))
        col++;
    snprintf(u->source, sizeof(u->source), "%s",
             h && col < h->nfields ? "" : "(no source column)");
    const struct pccs_str *seen[3];
    size_t nseen = 0;
    bool more = false;
    for (size_t k = 1; h && col < h->nfields && k < f->nrecords; k++) {
        const struct pccs_refdata_record *r = &f->records[k];
        if (col >= r->nfields || !r->fields[col].len)
            continue;
        const struct pccs_str *v = &r->fields[col];
        bool dup = false;
        for (size_t i = 0; i < nseen && !dup; i++)
            dup = seen[i]->len == v->len && !memcmp(seen[i]->p, v->p, v->len);
        if (dup)
            continue;
        if (nseen == 3) {
            more = true;
            continue;
        }
        seen[nseen++] = v;
        size_t used = strlen(u->source);
        snprintf(u->source + used, sizeof(u->source) - used, "%s%.*s",
                 used ? "; " : "", (int)v->len, v->p);
    }
    if (more) {
        size_t used = strlen(u->source);
        snprintf(u->source + used, sizeof(u->source) - used,
                 "; and other rows' sources");
    }
}

struct list_ctx {
    pccs_refdata_use_fn fn;
    void *ctx;
    struct pccs_err *err;
};

static int
describe(struct list_ctx *c, const char *rel, const char *what,
         const struct pccs_refdata *f)
{
    struct pccs_refdata_use u = {
        .rel = rel, .what = what, .f = f, .rows = f->nrecords - !!f->nrecords};
    sources_of(f, &u);
    return c->fn(c->ctx, &u);
}

static int
list_rates_file(void *ctx, const char *path)
{
    struct list_ctx *c = ctx;
    const struct pccs_refdata *f;
    int rc = pccs_refdata_get(path, PCCS_CSV_SAME_WIDTH, &f, c->err);
    if (rc)
        return rc;
    const char *base = strrchr(path, '/');
    char rel[256];
    snprintf(rel, sizeof(rel), "rates/%s", base ? base + 1 : path);
    return describe(c, rel, "yearly rates (financial_year, item, value)", f);
}

int
pccs_refdata_list(pccs_refdata_use_fn fn, void *ctx, struct pccs_err *err)
{
    struct list_ctx c = {fn, ctx, err};
    int rc = PCCS_OK;
    for (const struct pccs_refdata_file *d = pccs_refdata_files; !rc && d->rel;
         d++) {
        char path[4096];
        const struct pccs_refdata *f;
        if (!pccs_refdata_path(d->rel, path, sizeof(path)))
            continue;
        rc = pccs_refdata_load(d->rel, &f, err);
        if (!rc)
            rc = describe(&c, d->rel, d->what, f);
    }
    return rc ? rc : pccs_rates_each_file(list_rates_file, &c, err);
}
