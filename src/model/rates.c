/* SPDX-License-Identifier: MIT */
/* Reading the rates files. */
#include "model/rates.h"
#include "base/path.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "base/xalloc.h"
#include "formats/csv.h"
#include "model/refdata.h"

enum { R_YEAR, R_ITEM, R_VALUE, R_UNIT, R_SOURCE, R_CONFIDENCE, R_N };

static const char *const rate_cols[R_N] = {
    "financial_year", "item", "value", "unit", "source", "confidence",
};

static char *
dup_field(struct pccs_str s)
{
    s = pccs_str_trim(s);
    return pccs_xstrndup(s.p, s.len);
}

static void
free_rate(struct pccs_rate *r)
{
    PCCS_FREE(r->item, r->unit, r->source, r->confidence, r->file);
}

static void
put_rate(struct pccs_rates *rs, struct pccs_rate *nr)
{
    for (size_t i = 0; i < rs->n; i++) {
        if (rs->r[i].year == nr->year && strcmp(rs->r[i].item, nr->item) == 0) {
            free_rate(&rs->r[i]);
            rs->r[i] = *nr;
            return;
        }
    }
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 64;
        rs->r = pccs_xreallocarray(rs->r, rs->cap, sizeof(*rs->r));
    }
    rs->r[rs->n++] = *nr;
}

/* One rate row of record rec of path into *nr. */
static int
rate_row(const char *path, const struct pccs_refdata_record *rec,
         struct pccs_rate *nr, struct pccs_err *err)
{
    memset(nr, 0, sizeof(*nr));
    if (pccs_fy_parse(rec->fields[R_YEAR], &nr->year))
        return pccs_err_at(err, PCCS_EPARSE, path, rec->line, R_YEAR + 1,
                           "financial_year: expected a year such as "
                           "2022-23");
    struct pccs_str v = pccs_str_trim(rec->fields[R_VALUE]);
    nr->known = v.len > 0;
    if (nr->known && pccs_str_to_double(v, &nr->value))
        return pccs_err_at(err, PCCS_EPARSE, path, rec->line, R_VALUE + 1,
                           "value: expected a number or nothing");
    if (!pccs_str_trim(rec->fields[R_ITEM]).len)
        return pccs_err_at(err, PCCS_EPARSE, path, rec->line, R_ITEM + 1,
                           "item: expected a name");
    nr->item = dup_field(rec->fields[R_ITEM]);
    nr->unit = dup_field(rec->fields[R_UNIT]);
    nr->source = dup_field(rec->fields[R_SOURCE]);
    nr->confidence = dup_field(rec->fields[R_CONFIDENCE]);
    nr->file = pccs_xstrdup(path);
    return PCCS_OK;
}

/* A rates file (read once per process: model/refdata.c). */
static int
load_file(struct pccs_rates *rs, const char *path, struct pccs_err *err)
{
    const struct pccs_refdata *f;
    int rc = pccs_refdata_get(path, PCCS_CSV_SAME_WIDTH, &f, err);
    if (rc || !f->nrecords)
        return rc;
    const struct pccs_refdata_record *hdr = &f->records[0];
    for (size_t i = 0; i < R_N; i++)
        if (i >= hdr->nfields ||
            !pccs_str_ieq(pccs_str_trim(hdr->fields[i]), rate_cols[i]))
            return pccs_err_at(err, PCCS_EPARSE, path, hdr->line,
                               (int64_t)i + 1, "expected the column \"%s\"",
                               rate_cols[i]);
    for (size_t k = 1; k < f->nrecords; k++) {
        struct pccs_rate nr;
        rc = rate_row(path, &f->records[k], &nr, err);
        if (rc)
            return rc;
        put_rate(rs, &nr);
    }
    return PCCS_OK;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.csv of dir in name order, to fn(ctx, path); a missing dir has
 * none. Stops at fn's first non-zero answer and returns it. */
static int
each_csv(const char *dir, int (*fn)(void *ctx, const char *path), void *ctx)
{
    DIR *d = opendir(dir);
    if (!d)
        return PCCS_OK;
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l > 4 && strcmp(e->d_name + l - 4, ".csv") == 0) {
            names = pccs_xreallocarray(names, n + 1, sizeof(*names));
            names[n++] = pccs_xstrdup(e->d_name);
        }
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), cmp_str);
    int rc = PCCS_OK;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        if (!rc)
            rc = fn(ctx, path);
        free(names[i]);
    }
    free(names);
    return rc;
}

struct load_ctx {
    struct pccs_rates *rs;
    struct pccs_err *err;
};

static int
load_one(void *ctx, const char *path)
{
    struct load_ctx *c = ctx;
    return load_file(c->rs, path, c->err);
}

int
pccs_rates_load(struct pccs_rates *rs, const char *dir, const char *local_dir,
                struct pccs_err *err)
{
    struct load_ctx c = {rs, err};
    int rc = each_csv(dir, load_one, &c);
    if (!rc && local_dir)
        rc = each_csv(local_dir, load_one, &c);
    return rc;
}

/* The rates directories: $PCCS_RATES (else data/rates, found into path)
 * and $PCCS_RATES_LOCAL (else NULL). */
static int
rates_dirs(char *path, size_t n, const char **dir, const char **local,
           struct pccs_err *err)
{
    *dir = getenv("PCCS_RATES");
    *local = getenv("PCCS_RATES_LOCAL");
    if (*local && !**local)
        *local = NULL;
    if (*dir && **dir)
        return PCCS_OK;
    *dir = path;
    if (!pccs_data_path("rates", path, n))
        return pccs_err_set(err, PCCS_ENOTFOUND,
                            "cannot find the rates (data/rates) beside "
                            "pccs or in the working directory: set "
                            "PCCS_DATA to the data directory");
    return PCCS_OK;
}

int
pccs_rates_load_default(struct pccs_rates *rs, struct pccs_err *err)
{
    char path[4096];
    const char *dir, *local;
    int rc = rates_dirs(path, sizeof(path), &dir, &local, err);
    return rc ? rc : pccs_rates_load(rs, dir, local, err);
}

int
pccs_rates_each_file(int (*fn)(void *ctx, const char *path), void *ctx,
                     struct pccs_err *err)
{
    char path[4096];
    const char *dir, *local;
    int rc = rates_dirs(path, sizeof(path), &dir, &local, err);
    if (!rc)
        rc = each_csv(dir, fn, ctx);
    if (!rc && local)
        rc = each_csv(local, fn, ctx);
    return rc;
}

const struct pccs_rate *
pccs_rates_get(const struct pccs_rates *rs, const char *item, int fy)
{
    for (size_t i = 0; i < rs->n; i++) {
        if (rs->r[i].year == fy && strcmp(rs->r[i].item, item) == 0)
            return &rs->r[i];
    }
    return NULL;
}

void
pccs_rates_release(struct pccs_rates *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        free_rate(&rs->r[i]);
    free(rs->r);
    rs->r = NULL;
    rs->n = rs->cap = 0;
}

int
pccs_rules_params(const char *file, const char *const *names, size_t n,
                  double *values, char (*source)[512], char *path, size_t pn,
                  struct pccs_err *err)
{
    char rel[256];
    for (size_t i = 0; i < n; i++) {
        values[i] = NAN;
        source[i][0] = '\0';
    }
    snprintf(rel, sizeof(rel), "rules/%s", file);
    pccs_refdata_path(rel, path, pn);
    const struct pccs_refdata *f;
    int rc = pccs_refdata_get(path, 0, &f, err);
    for (size_t k = 1; !rc && k < f->nrecords; k++) {
        const struct pccs_refdata_record *rec = &f->records[k];
        if (rec->nfields < 3)
            continue;
        char name[64], val[32];
        snprintf(name, sizeof(name), "%.*s", (int)rec->fields[0].len,
                 rec->fields[0].p);
        snprintf(val, sizeof(val), "%.*s", (int)rec->fields[1].len,
                 rec->fields[1].p);
        char *end;
        double d = strtod(val, &end);
        if (!val[0] || *end) {
            rc = pccs_err_set(err, PCCS_EPARSE,
                              "%s:%lld:2: value: expected a number, found "
                              "\"%s\"",
                              path, (long long)rec->line, val);
            break;
        }
        for (size_t i = 0; i < n; i++) {
            if (strcmp(name, names[i]))
                continue;
            values[i] = d;
            snprintf(source[i], 512, "%.*s", (int)rec->fields[2].len,
                     rec->fields[2].p);
        }
    }
    for (size_t i = 0; !rc && i < n; i++)
        if (isnan(values[i]))
            rc = pccs_err_set(err, PCCS_EPARSE, "%s: needs the parameter %s",
                              path, names[i]);
    return rc;
}
