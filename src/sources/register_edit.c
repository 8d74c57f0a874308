/* SPDX-License-Identifier: MIT */
/*
 * Reading a register's rows, and changing them one at a time (the API's
 * create, update and delete). A change is a new version of the register:
 * the latest rows with the change applied are written as the register's
 * CSV template and loaded through the same loader as a file a user loads,
 * so every rule (codes in the tree on the row's date, real dates,
 * enumerations) holds for edits too, the change is atomic, and the
 * sources list says when each version was made. Row keys are positions
 * in a version: they stay for an update, and an insert goes at the end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "sources/sources.h"

struct rows {
    size_t ncols;
    const char *cols[16];
    int64_t latest;
    char (*keys)[24];
    char **vals; /* n x ncols, owned */
    size_t n, cap;
};

static int
latest_cb(void *ctx, const struct pccs_ref_row *r)
{
    struct rows *g = ctx;
    if (r->source_id > g->latest)
        g->latest = r->source_id;
    return 0;
}

static int
collect_cb(void *ctx, const struct pccs_ref_row *r)
{
    struct rows *g = ctx;
    if (r->source_id != g->latest)
        return 0;
    if (!g->n || strcmp(g->keys[g->n - 1], r->key) != 0) {
        if (g->n == g->cap) {
            g->cap = g->cap ? g->cap * 2 : 32;
            g->keys = pccs_xreallocarray(g->keys, g->cap, sizeof(*g->keys));
            g->vals =
                pccs_xreallocarray(g->vals, g->cap * g->ncols, sizeof(char *));
        }
        snprintf(g->keys[g->n], sizeof(g->keys[0]), "%s", r->key);
        memset(&g->vals[g->n * g->ncols], 0, g->ncols * sizeof(char *));
        g->n++;
    }
    for (size_t k = 0; k < g->ncols; k++)
        if (!strcmp(g->cols[k], r->attr)) {
            char **v = &g->vals[(g->n - 1) * g->ncols + k];
            free(*v);
            *v = pccs_xstrdup(r->value);
        }
    return 0;
}

static void
rows_release(struct rows *g)
{
    for (size_t i = 0; i < g->n * g->ncols; i++)
        free(g->vals[i]);
    free(g->vals);
    free(g->keys);
}

static int
rows_read(struct pccs_store *st, const char *name, struct rows *g,
          struct pccs_err *err)
{
    memset(g, 0, sizeof(*g));
    struct pccs_register_col c;
    while (g->ncols < 16 && pccs_register_col(name, g->ncols, &c))
        g->cols[g->ncols++] = c.name;
    if (!g->ncols)
        return pccs_err_set(err, PCCS_EINVAL,
                            "no register called '%s' (places, programmes, "
                            "milestones, risks, estates, budget, "
                            "list_closures, support_payments, visits, "
                            "care_home_beds)",
                            name);
    char kind[48];
    snprintf(kind, sizeof(kind), "register:%s", name);
    int rc = pccs_store_refs_each(st, kind, latest_cb, g, err);
    if (!rc && !g->latest)
        rc = pccs_err_set(err, PCCS_ENOTFOUND,
                          "no %s register loaded: fill in "
                          "data/templates/%s.csv (or .xlsx) and load it",
                          name, name);
    if (!rc)
        rc = pccs_store_refs_each(st, kind, collect_cb, g, err);
    return rc;
}

int
pccs_register_rows(struct pccs_store *st, const char *name,
                   pccs_register_row_fn fn, void *ctx, int64_t *version,
                   struct pccs_err *err)
{
    struct rows g;
    int rc = rows_read(st, name, &g, err);
    if (!rc)
        *version = g.latest;
    const char *v[16];
    for (size_t i = 0; !rc && i < g.n; i++) {
        for (size_t k = 0; k < g.ncols; k++)
            v[k] = g.vals[i * g.ncols + k] ? g.vals[i * g.ncols + k] : "";
        struct pccs_register_row r = {g.keys[i], v};
        rc = fn(ctx, &r);
    }
    rows_release(&g);
    return rc;
}

/* One CSV field (RFC 4180: quoted when it must be). */
static void
csv_field(FILE *f, const char *s)
{
    if (!s[strcspn(s, ",\"\r\n")] && s[0] != ' ') {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static bool
has_newline(const char *s)
{
    return s && strpbrk(s, "\r\n");
}

int
pccs_register_change(struct pccs_store *st, const struct pccs_register_edit *e,
                     int64_t *version, char key[24], struct pccs_err *err)
{
    struct rows g;
    int rc = rows_read(st, e->name, &g, err);
    if (rc) {
        rows_release(&g);
        return rc;
    }
    if (!strcmp(e->name, "places")) {
        rows_release(&g);
        return pccs_err_set(err, PCCS_EINVAL,
                            "places change the organisation tree: load them "
                            "with pccs load and restart the server");
    }
    if (e->version && e->version != g.latest) {
        rows_release(&g);
        return pccs_err_set(err, PCCS_ECONFLICT,
                            "the %s register changed since version %lld "
                            "(now %lld): read it again",
                            e->name, (long long)e->version,
                            (long long)g.latest);
    }
    size_t at = g.n; /* the row changed; g.n for a new one */
    if (e->op != PCCS_REG_CREATE) {
        for (at = 0; at < g.n && strcmp(g.keys[at], e->key ? e->key : ""); at++)
            ;
        if (at == g.n) {
            rows_release(&g);
            return pccs_err_set(err, PCCS_ENOTFOUND,
                                "no row %s in the %s register (version %lld)",
                                e->key ? e->key : "?", e->name,
                                (long long)g.latest);
        }
    }
    for (size_t k = 0; e->values && k < g.ncols; k++)
        if (has_newline(e->values[k])) {
            rows_release(&g);
            return pccs_err_set(err, PCCS_EINVAL,
                                "%s: one line of text, without line breaks",
                                g.cols[k]);
        }

    /*
     * Rows of an example (or generated) version keep their mark; a new
     * row has none, so a register whose example rows are all replaced is
     * local data again.
     */
    char prov[200] = "";
    struct pccs_source_info si;
    if (pccs_store_source_get(st, g.latest, &si, err) == PCCS_OK &&
        si.provenance)
        snprintf(prov, sizeof(prov), "%s",
                 si.provenance_note ? si.provenance_note : si.provenance);
    pccs_err_clear(err);

    char dir[] = "/tmp/pccs-edit-XXXXXX";
    char path[sizeof(dir) + 64];
    if (!mkdtemp(dir)) {
        rows_release(&g);
        return pccs_err_set(err, PCCS_EIO, "cannot make a directory: %s",
                            strerror(errno));
    }
    /* The file's name is what load errors and the sources list show. */
    snprintf(path, sizeof(path), "%s/%s (edit).csv", dir, e->name);
    FILE *f = fopen(path, "w");
    if (!f) {
        rmdir(dir);
        rows_release(&g);
        return pccs_err_set(err, PCCS_EIO, "cannot write %s", path);
    }
    for (size_t k = 0; k < g.ncols; k++) {
        fputs(k ? "," : "", f);
        csv_field(f, g.cols[k]);
    }
    if (prov[0])
        fputs("," PCCS_PROVENANCE_COL, f);
    fputs("\r\n", f);
    size_t line = 1, changed_line = 0;
    for (size_t i = 0; i <= g.n; i++) {
        bool is_new = i == g.n;
        if (is_new && e->op != PCCS_REG_CREATE)
            break;
        if (i == at && e->op == PCCS_REG_DELETE)
            continue;
        line++;
        if (i == at)
            changed_line = line;
        for (size_t k = 0; k < g.ncols; k++) {
            const char *v = is_new ? NULL : g.vals[i * g.ncols + k];
            if (i == at && e->values && e->values[k])
                v = e->values[k];
            fputs(k ? "," : "", f);
            csv_field(f, v ? v : "");
        }
        if (prov[0]) {
            fputs(",", f);
            csv_field(f, is_new ? "" : prov);
        }
        fputs("\r\n", f);
    }
    int64_t g_latest = g.latest;
    rows_release(&g);
    rc = fclose(f) ? pccs_err_set(err, PCCS_EIO, "cannot write %s", path)
                   : PCCS_OK;
    if (!rc && line == 1) {
        /* The last row went: a register is never empty (the loader needs
         * a row to tell the period), so say so. */
        rc = pccs_err_set(err, PCCS_EINVAL,
                          "this would leave the %s register empty; load an "
                          "empty register's replacement instead",
                          e->name);
    }
    char again[64];
    snprintf(again, sizeof(again), "\nedit of version %lld",
             (long long)g_latest);
    struct pccs_load_options lo = {NULL, true, false, again};
    struct pccs_load_result res;
    if (!rc)
        rc = pccs_load_file(st, path, &lo, &res, err);
    if (!rc) {
        *version = res.src.id;
        snprintf(key, 24, "%08lld", (long long)changed_line);
    }
    else if (err) { /* name the register, not the temporary directory */
        char *p = strstr(err->msg, dir);
        if (p)
            memmove(p, p + strlen(dir) + 1, strlen(p + strlen(dir) + 1) + 1);
    }
    unlink(path);
    rmdir(dir);
    return rc;
}
