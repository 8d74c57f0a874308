/* SPDX-License-Identifier: MIT */
/* pccs table NAME: the named tables, in text, CSV or JSON. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "model/query.h"
#include "model/tables.h"
#include "report/table.h"

static int
list_tables(void)
{
    for (size_t i = 0; pccs_table_defs[i]; i++)
        printf("%-16s %s\n", pccs_table_defs[i]->name,
               pccs_table_defs[i]->summary);
    return 0;
}

/*
 * --all: every table with its defaults (and --in, --year) into DIR, one
 * file each, in one process: the organisation tree is built once, as the
 * server does. Tables without data are reported and skipped.
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
    for (size_t i = 0; pccs_table_defs[i]; i++) {
        const struct pccs_table_def *def = pccs_table_defs[i];
        struct pccs_table_query q = *q0;
        q.period = def->needs_year ? (q0->period ? q0->period
                                      : fy[0]    ? fy
                                                 : NULL)
                                   : NULL;
        struct pccs_table t;
        memset(&t, 0, sizeof(t));
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        rc = pccs_table_run(def, st, tree, &q, &t, err);
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s.%s", dir, def->name, ext[fmt]);
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
        if (rc == PCCS_ENOTFOUND || rc == PCCS_EINVAL) {
            fprintf(stderr, "%-16s skipped: %s\n", def->name, err->msg);
            pccs_err_clear(err);
            rc = PCCS_OK;
        }
        else if (!rc) {
            fprintf(stderr, "%-16s %8zu rows %9.1f ms  %s\n", def->name,
                    t.nrows, ms, path);
            written++;
        }
        pccs_table_release(&t);
        if (rc)
            return rc;
    }
    if (!written)
        return pccs_err_set(err, PCCS_ENOTFOUND,
                            "no table has data: load "
                            "files first");
    return PCCS_OK;
}

int
pccs_cmd_table(struct pccs_global *g, int argc, char **argv)
{
    const char *format = NULL, *level = NULL, *in = NULL, *at = NULL;
    const char *period = NULL, *group = NULL, *year = NULL, *compare = NULL;
    const char *outpath = NULL, *contract = NULL;
    bool help = false, list = false, explain = false, suppress = false;
    bool all = false, include_synthetic = false;
    struct pccs_opt opts[] = {
        {"format", &format, NULL},
        {"level", &level, NULL},
        {"in", &in, NULL},
        {"at", &at, NULL},
        {"period", &period, NULL},
        {"list", NULL, &list},
        {"store", &g->store, NULL},
        {"group", &group, NULL},
        {"year", &year, NULL},
        {"compare", &compare, NULL},
        {"out", &outpath, NULL},
        {"explain", NULL, &explain},
        {"suppress", NULL, &suppress},
        {"all", NULL, &all},
        {"contract", &contract, NULL},
        {"include-synthetic", NULL, &include_synthetic},
    };
    char *pos[1];
    size_t npos;
    int rc = pccs_opt_parse(argc, argv, opts, 16, pos, 1, &npos, &help);
    if (rc)
        return rc;
    if (help)
        return pccs_cmd_help("table");
    if (list)
        return list_tables();
    if (all && (npos || !outpath))
        return pccs_cmd_usage("table", "--all writes every table into the "
                                       "directory --out DIR (no table name)");
    if (!npos && !all)
        return pccs_cmd_usage("table", "which table? (pccs table --list)");
    const struct pccs_table_def *def =
        all ? pccs_table_defs[0] : pccs_table_def_find(pos[0]);
    if (!def)
        return pccs_cmd_usage("table",
                              "no table called '%s' (pccs table "
                              "--list)",
                              pos[0]);
    if (contract && (all || strcmp(def->name, "payments") != 0))
        return pccs_cmd_usage("table", "--contract is for the payments table");
    if (year && period)
        return pccs_cmd_usage("table", "give --year or --period, not both");
    if (year)
        period = year;
    int fmt;
    struct pccs_table_query q = {
        PCCS_LEVEL_NONE, in,      PCCS_DAY_NONE, period,   group,
        compare,         explain, suppress,      contract, include_synthetic};
    struct pccs_period_buf pbuf[2];
    struct pccs_err err = PCCS_ERR_INIT;
    /* --all gives the year to the year tables only. */
    if (all && period &&
        pccs_query_period(year ? "--year" : "--period", period,
                          PCCS_PERIOD_FY, "a financial year such as 2022-23",
                          &pbuf[0], &err))
        return pccs_cmd_usage("table", "%s", err.msg);
    if (all && period)
        q.period = pbuf[0].s;
    if (!all && pccs_query_check_periods(def, &q, "--", year != NULL, pbuf,
                                         &err))
        return pccs_cmd_usage("table", "%s", err.msg);
    rc = pccs_cmd_format("table", format, &fmt);
    if (!rc)
        rc = pccs_cmd_date("table", at, &q.at);
    if (rc)
        return rc;
    if (level) {
        q.level = pccs_level_parse(level);
        if (q.level == PCCS_LEVEL_NONE)
            return pccs_cmd_usage("table",
                                  "--level must be practice, pcn, sub_icb, "
                                  "icb, region or england, not '%s'",
                                  level);
    }
    if (fmt == PCCS_FMT_XLSX && !outpath)
        return pccs_cmd_usage("table", "--format xlsx needs --out FILE.xlsx");
    if (at && period)
        return pccs_cmd_usage("table", "give --at or --period, not both");

    struct pccs_store *st;
    rc = pccs_cmd_open_store(g, &st);
    if (rc)
        return rc;
    struct pccs_tree tree = PCCS_TREE_INIT;
    struct pccs_table t;
    pccs_table_init(&t, def->name);
    rc = pccs_tree_load(&tree, st, &err);
    if (!rc && in) {
        /* Any case; the tree's spelling from here on. */
        int o = pccs_query_org(&tree, "", in, &err);
        if (o < 0)
            rc = o;
        else
            q.in = tree.orgs[o].code;
    }
    if (!rc && all) {
        if (mkdir(outpath, 0777) && errno != EEXIST)
            rc = pccs_err_set(&err, PCCS_EIO, "%s: cannot create: %s", outpath,
                              strerror(errno));
        if (!rc)
            rc =
                all_tables(st, &tree, &q, (enum pccs_format)fmt, outpath, &err);
    }
    else if (!rc) {
        pccs_table_release(&t);
        rc = pccs_table_run(def, st, &tree, &q, &t, &err);
    }
    if (all) {
        /* written above */
    }
    else if (!rc && fmt == PCCS_FMT_XLSX) {
        rc = pccs_table_write_xlsx(&t, outpath, &err);
    }
    else if (!rc && outpath) {
        FILE *f = fopen(outpath, "w");
        if (!f) {
            rc = pccs_err_set(&err, PCCS_EIO, "%s: cannot write: %s", outpath,
                              strerror(errno));
        }
        else {
            rc = pccs_table_write(&t, (enum pccs_format)fmt, f, &err);
            if (fclose(f) && !rc)
                rc = pccs_err_set(&err, PCCS_EIO, "%s: cannot write", outpath);
        }
    }
    else if (!rc) {
        rc = pccs_table_write(&t, (enum pccs_format)fmt, stdout, &err);
    }
    if (rc)
        pccs_cmd_fail(PCCS_EXIT_INPUT, "%s", err.msg);
    pccs_table_release(&t);
    pccs_tree_release(&tree);
    pccs_store_free(st);
    return pccs_cmd_exit(rc);
}
