/* SPDX-License-Identifier: MIT */
/* pccs report committee: the committee paper as one HTML file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "model/tables.h"
#include "report/committee.h"

int
pccs_cmd_report(struct pccs_global *g, int argc, char **argv)
{
    const char *in = NULL, *year = NULL, *out = NULL, *period = NULL;
    bool help = false;
    struct pccs_opt opts[] = {
        {"in", &in, NULL},          {"year", &year, NULL},
        {"period", &period, NULL},  {"out", &out, NULL},
        {"store", &g->store, NULL},
    };
    char *pos[1];
    size_t npos;
    int rc = pccs_opt_parse(argc, argv, opts, 5, pos, 1, &npos, &help);
    if (rc)
        return rc;
    if (help)
        return pccs_cmd_help("report");
    if (!npos || strcmp(pos[0], "committee") != 0)
        return pccs_cmd_usage("report", "which report? committee");
    if (!in || !out)
        return pccs_cmd_usage("report", "give --in CODE and --out FILE.html");
    if (year && period)
        return pccs_cmd_usage("report", "give --year or --period, not both");
    if (period)
        year = period;
    struct pccs_store *st;
    if ((rc = pccs_cmd_open_store(g, &st)))
        return rc;
    struct pccs_tree tree = PCCS_TREE_INIT;
    struct pccs_err err = PCCS_ERR_INIT;
    char fy[8] = "", today[16];
    time_t now = time(NULL);
    struct tm tm;
    strftime(today, sizeof(today), "%Y-%m-%d", gmtime_r(&now, &tm));
    rc = pccs_tree_load(&tree, st, &err);
    if (!rc && !year && !(rc = pccs_latest_payments_year(st, fy, &err)))
        year = fy[0] ? fy : NULL;
    FILE *f = NULL;
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.part", out);
    if (!rc && !(f = fopen(tmp, "w")))
        rc = pccs_err_set(&err, PCCS_EIO, "%s: cannot write: %s", tmp,
                          strerror(errno));
    if (!rc) {
        struct pccs_committee_options o = {in, year, today};
        rc = pccs_committee_write(f, st, &tree, &o, &err);
    }
    if (f && fclose(f) && !rc)
        rc = pccs_err_set(&err, PCCS_EIO, "%s: cannot write", tmp);
    /* The file appears whole or not at all. */
    if (!rc && rename(tmp, out))
        rc = pccs_err_set(&err, PCCS_EIO, "%s: cannot write: %s", out,
                          strerror(errno));
    if (rc) {
        remove(tmp);
        pccs_cmd_fail(PCCS_EXIT_INPUT, "%s", err.msg);
    }
    else
        fprintf(stderr, "pccs report: wrote %s\n", out);
    pccs_tree_release(&tree);
    pccs_store_free(st);
    return pccs_cmd_exit(rc);
}
