/* SPDX-License-Identifier: MIT */
/* pccs table NAME: the named tables, in text, CSV or JSON. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "model/tables.h"

static int
list_tables(void)
{
    for (size_t i = 0; pccs_table_defs[i]; i++)
        printf("%-16s %s\n", pccs_table_defs[i]->name,
               pccs_table_defs[i]->summary);
    return 0;
}

int
pccs_cmd_table(struct pccs_global *g, int argc, char **argv)
{
    const char *format = NULL, *level = NULL, *in = NULL, *at = NULL;
    const char *period = NULL, *group = NULL, *year = NULL, *compare = NULL;
    const char *outpath = NULL;
    bool help = false, list = false, explain = false, suppress = false;
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
    };
    char *pos[1];
    size_t npos;
    int rc = pccs_opt_parse(argc, argv, opts, 13, pos, 1, &npos, &help);
    if (rc)
        return rc;
    if (help)
        return pccs_cmd_help("table");
    if (list)
        return list_tables();
    if (!npos)
        return pccs_cmd_usage("table", "which table? (pccs table --list)");
    const struct pccs_table_def *def = pccs_table_def_find(pos[0]);
    if (!def)
        return pccs_cmd_usage("table",
                              "no table called '%s' (pccs table "
                              "--list)",
                              pos[0]);
    if (year && period)
        return pccs_cmd_usage("table", "give --year or --period, not both");
    if (year)
        period = year;
    int fmt;
    struct pccs_table_query q = {PCCS_LEVEL_NONE, in,      PCCS_DAY_NONE,
                                 period,          group,   compare,
                                 explain,         suppress};
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
    struct pccs_err err = PCCS_ERR_INIT;
    pccs_table_init(&t, def->name);
    rc = pccs_tree_load(&tree, st, &err);
    if (!rc) {
        pccs_table_release(&t);
        rc = pccs_table_run(def, st, &tree, &q, &t, &err);
    }
    if (!rc && fmt == PCCS_FMT_XLSX) {
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
