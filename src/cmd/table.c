/* SPDX-License-Identifier: MIT */
/* pccs table NAME: the named tables, in text, CSV or JSON. */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/xalloc.h"
#include "cmd/cmd.h"
#include "base/buf.h"
#include "cmd/opt.h"
#include "model/query.h"
#include "model/tables.h"
#include "report/table.h"
#include "sources/register_defs.h"

static int
list_tables(void)
{
    for (size_t i = 0; pccs_table_defs[i]; i++)
        printf("%-16s %s\n", pccs_table_defs[i]->name,
               pccs_table_defs[i]->summary);
    return 0;
}

/* Run def for q into path (xlsx or fmt); its row count and time. */
static int
one_table(struct pccs_store *st, const struct pccs_tree *tree,
          const struct pccs_table_def *def, const struct pccs_table_query *q,
          enum pccs_format fmt, const char *path, struct pccs_err *err)
{
    struct pccs_table t;
    memset(&t, 0, sizeof(t));
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int rc = pccs_table_run(def, st, tree, q, &t, err);
    if (!rc && fmt == PCCS_FMT_XLSX)
        rc = pccs_table_write_xlsx(&t, path, err);
    else if (!rc) {
        FILE *f = fopen(path, "w");
        if (!f)
            rc = pccs_err_set(err, PCCS_EIO, "%s: cannot write: %s", path,
                              strerror(errno));
        else {
            rc = pccs_table_write(&t, fmt, f, err);
            if (fclose(f) && !rc)
                rc = pccs_err_set(err, PCCS_EIO, "%s: cannot write", path);
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ms = (double)(b.tv_sec - a.tv_sec) * 1e3 +
                (double)(b.tv_nsec - a.tv_nsec) / 1e6;
    if (!rc)
        fprintf(stderr, "%-16s %8zu rows %9.1f ms  %s\n", def->name, t.nrows,
                ms, path);
    pccs_table_release(&t);
    return rc;
}

/* A table without data (or without its register): not an error here. */
static bool
skippable(int rc)
{
    return rc == PCCS_ENOTFOUND || rc == PCCS_EINVAL;
}

/*
 * The register table, once per register (register-NAME.ext); those not
 * loaded are named on one line.
 */
static int
register_tables(struct pccs_store *st, const struct pccs_tree *tree,
                const struct pccs_table_def *def,
                const struct pccs_table_query *q0, enum pccs_format fmt,
                const char *dir, size_t *written, struct pccs_err *err)
{
    static const char *const ext[] = {"txt", "csv", "json", "xlsx"};
    struct pccs_buf missing = PCCS_BUF_INIT;
    int rc = PCCS_OK;
    for (size_t i = 0; i < pccs_reg_ndefs && !rc; i++) {
        struct pccs_table_query q = *q0;
        q.group = pccs_reg_defs[i].name;
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s-%s.%s", dir, def->name, q.group,
                 ext[fmt]);
        rc = one_table(st, tree, def, &q, fmt, path, err);
        if (!rc)
            (*written)++;
        else if (skippable(rc)) {
            pccs_buf_addf(&missing, "%s%s", missing.len ? ", " : "", q.group);
            pccs_err_clear(err);
            rc = PCCS_OK;
        }
    }
    if (missing.len)
        fprintf(stderr, "%-16s skipped: registers not loaded: %s\n", def->name,
                missing.p);
    pccs_buf_release(&missing);
    return rc;
}

/*
 * --all: every table with its defaults (and --in, --year) into DIR, one
 * file each (the register table one per loaded register), in one
 * process: the organisation tree is built once, as the server does.
 * Tables without data are reported and skipped.
 */
static int
all_tables(struct pccs_store *st, const struct pccs_tree *tree,
           const struct pccs_table_query *q0, enum pccs_format fmt,
           const char *dir, struct pccs_err *err)
{
    static const char *const ext[] = {"txt", "csv", "json", "xlsx"};
    char fy[8];
    int rc = pccs_latest_payments_year(st, fy, err);
    if (rc)
        return rc;
    size_t written = 0;
    for (size_t i = 0; pccs_table_defs[i] && !rc; i++) {
        const struct pccs_table_def *def = pccs_table_defs[i];
        struct pccs_table_query q = *q0;
        q.period = def->needs_year ? (q0->period ? q0->period
                                      : fy[0]    ? fy
                                                 : NULL)
                                   : NULL;
        if (def->build == pccs_register_table && !q0->group) {
            rc = register_tables(st, tree, def, &q, fmt, dir, &written, err);
            continue;
        }
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s.%s", dir, def->name, ext[fmt]);
        rc = one_table(st, tree, def, &q, fmt, path, err);
        if (!rc)
            written++;
        else if (skippable(rc)) {
            fprintf(stderr, "%-16s skipped: %s\n", def->name, err->msg);
            pccs_err_clear(err);
            rc = PCCS_OK;
        }
    }
    if (!rc && !written)
        return pccs_err_set(err, PCCS_ENOTFOUND,
                            "no table has data: load "
                            "files first");
    return rc;
}

/* Write t to outpath (xlsx or fmt), or to stdout when outpath is NULL. */
static int
write_table(const struct pccs_table *t, enum pccs_format fmt,
            const char *outpath, struct pccs_err *err)
{
    if (fmt == PCCS_FMT_XLSX)
        return pccs_table_write_xlsx(t, outpath, err);
    if (!outpath) {
        /*
         * Into a pipe, room for a whole table by practice (some 3 MB):
         * pccs writes it and ends without waiting on the reader 64 KiB
         * at a time (best effort: the system may allow less).
         */
#ifdef F_SETPIPE_SZ
        struct stat sb;
        if (fstat(fileno(stdout), &sb) == 0 && S_ISFIFO(sb.st_mode))
            (void)fcntl(fileno(stdout), F_SETPIPE_SZ, 1 << 20);
#endif
        return pccs_table_write(t, fmt, stdout, err);
    }
    FILE *f = fopen(outpath, "w");
    if (!f)
        return pccs_err_set(err, PCCS_EIO, "%s: cannot write: %s", outpath,
                            strerror(errno));
    int rc = pccs_table_write(t, fmt, f, err);
    if (fclose(f) && !rc)
        rc = pccs_err_set(err, PCCS_EIO, "%s: cannot write", outpath);
    return rc;
}

/* What pccs table was asked, its options parsed and checked. */
struct table_args {
    const struct pccs_table_def *def; /* NULL with --all */
    struct pccs_query_parsed parsed;
    enum pccs_format fmt;
    const char *outpath;
    const char *viewer; /* --viewer CODE */
    bool all;
};

/* The command is over: its exit status. */
static bool
done(int *status, int code)
{
    *status = code;
    return false;
}

/*
 * The options, as name=value pairs for pccs_query_parse(). False when the
 * command is over already (help, the list, a usage error): *status says how.
 */
static bool
parse_args(struct pccs_global *g, int argc, char **argv, struct table_args *a,
           int *status)
{
    const char *v[13] = {NULL};
    bool flag[3] = {false, false, false};
    const char *format = NULL;
    bool list = false;
    struct pccs_opt opts[] = {
        {"format", &format, NULL},
        {"level", &v[0], NULL},
        {"in", &v[1], NULL},
        {"at", &v[2], NULL},
        {"period", &v[3], NULL},
        {"list", NULL, &list},
        {"group", &v[5], NULL},
        {"year", &v[4], NULL},
        {"compare", &v[6], NULL},
        {"out", &a->outpath, NULL},
        {"explain", NULL, &flag[0]},
        {"suppress", NULL, &flag[1]},
        {"all", NULL, &a->all},
        {"contract", &v[7], NULL},
        {"include-synthetic", NULL, &flag[2]},
        {"from", &v[11], NULL},
        {"to", &v[12], NULL},
        {"viewer", &a->viewer, NULL},
    };
    char *pos[1];
    size_t npos;
    *status = pccs_cmd_args(g, argc, argv, opts, PCCS_LEN(opts), pos, 1, &npos);
    if (*status != PCCS_CMD_GO)
        return false;
    if (list)
        return done(status, list_tables());
    if (a->all && (npos || !a->outpath))
        return done(status,
                    pccs_cmd_usage("table",
                                   "--all writes every table into the "
                                   "directory --out DIR (no table name)"));
    if (!npos && !a->all)
        return done(status, pccs_cmd_usage("table",
                                           "which table? (pccs table --list)"));
    a->def = a->all ? NULL : pccs_table_def_find(pos[0]);
    if (!a->all && !a->def)
        return done(status, pccs_cmd_usage("table",
                                           "no table called '%s' (pccs table "
                                           "--list)",
                                           pos[0]));
    struct pccs_query_arg args[13];
    for (size_t i = 0; pccs_query_names[i]; i++) {
        args[i].name = pccs_query_names[i];
        args[i].value = (i < 8 || i > 10) ? v[i] : flag[i - 8] ? "1" : NULL;
    }
    struct pccs_err err = PCCS_ERR_INIT;
    if (pccs_query_parse(a->def, args, 13, "--", &a->parsed, &err))
        return done(status, pccs_cmd_usage("table", "%s", err.msg));
    int fmt;
    if ((*status = pccs_cmd_format("table", format, &fmt)))
        return false;
    a->fmt = (enum pccs_format)fmt;
    if (a->fmt == PCCS_FMT_XLSX && !a->outpath)
        return done(
            status,
            pccs_cmd_usage("table", "--format xlsx needs --out FILE.xlsx"));
    return true;
}

int
pccs_cmd_table(struct pccs_global *g, int argc, char **argv)
{
    struct table_args a = {.def = NULL};
    int rc;
    if (!parse_args(g, argc, argv, &a, &rc))
        return rc;
    struct pccs_table_query *q = &a.parsed.q;
    struct pccs_cmd_open o;
    rc = pccs_cmd_open_tree(g, &o);
    if (rc)
        return rc;
    struct pccs_table t;
    pccs_table_init(&t, a.all ? "all" : a.def->name);
    int org;
    /* any case; the tree's spelling from here on */
    rc = pccs_query_resolve_in(&o.tree, "", q, &org, &o.err);
    /* Disclosure control as pccs serve applies it to a user of CODE;
     * without --viewer the one running pccs owns the store's data. */
    int who = a.viewer ? pccs_tree_find(&o.tree, a.viewer) : -1;
    if (!rc && a.viewer && who < 0)
        rc = pccs_err_set(&o.err, PCCS_ENOTFOUND,
                          "--viewer: unknown organisation %s", a.viewer);
    q->viewer = who >= 0 ? o.tree.orgs[who].code : NULL;
    if (!rc && a.all) {
        if (mkdir(a.outpath, 0777) && errno != EEXIST)
            rc = pccs_err_set(&o.err, PCCS_EIO, "%s: cannot create: %s",
                              a.outpath, strerror(errno));
        if (!rc)
            rc = all_tables(o.st, &o.tree, q, a.fmt, a.outpath, &o.err);
    }
    else if (!rc) {
        pccs_table_release(&t);
        rc = pccs_table_run(a.def, o.st, &o.tree, q, &t, &o.err);
        if (!rc)
            rc = write_table(&t, a.fmt, a.outpath, &o.err);
    }
    pccs_table_release(&t);
    return pccs_cmd_close(&o, rc);
}
