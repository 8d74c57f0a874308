/* SPDX-License-Identifier: MIT */
/* pccs report committee: the committee paper as one HTML file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "model/paper.h"
#include "model/query.h"
#include "model/tables.h"
#include "report/committee.h"

/*
 * Is anything loaded for the financial year? The year's sections are
 * payments and entitlements: one of them must have figures, else the
 * report would be a cover with "financial year 1999-00" over nothing.
 */
static int
year_loaded(struct pccs_store *st, const struct pccs_tree *tree, const char *in,
            const char *year, struct pccs_err *err)
{
    static const struct {
        const char *table;
        enum pccs_level level;
    } year_tables[] = {{"payments", PCCS_PRACTICE}, {"entitlements", PCCS_PCN}};
    char why[2][320];
    for (size_t i = 0; i < 2; i++) {
        const struct pccs_table_def *def =
            pccs_table_def_find(year_tables[i].table);
        struct pccs_table_query q = {.level = year_tables[i].level,
                                     .in = in,
                                     .at = PCCS_DAY_NONE,
                                     .period = year};
        struct pccs_table t;
        struct pccs_err e = PCCS_ERR_INIT;
        memset(&t, 0, sizeof(t));
        int rc = pccs_table_run(def, st, tree, &q, &t, &e);
        int tc = rc ? -1 : pccs_table_col_index(&t, "total_known");
        bool some = false;
        for (size_t r = 0; !rc && r < t.nrows && !some; r++) {
            const struct pccs_cell *c =
                tc >= 0 ? pccs_table_cell(&t, r, (size_t)tc) : NULL;
            some = tc < 0 || (!c->null && c->num > 0);
        }
        pccs_table_release(&t);
        if (some)
            return PCCS_OK;
        if (rc == PCCS_ENOTFOUND || rc == PCCS_EINVAL || !rc)
            snprintf(why[i], sizeof(why[i]), "%.300s",
                     rc ? e.msg
                        : "no row with a figure (no rate known for the "
                          "year)");
        else
            return pccs_err_set(err, rc, "%s", e.msg);
    }
    return pccs_err_set(err, PCCS_ENOTFOUND,
                        "nothing loaded for financial year %s: payments: "
                        "%s; entitlements: %s",
                        year, why[0], why[1]);
}

int
pccs_cmd_report(struct pccs_global *g, int argc, char **argv)
{
    const char *in = NULL, *year = NULL, *out = NULL, *period = NULL;
    bool help = false, include_synthetic = false;
    struct pccs_opt opts[] = {
        {"in", &in, NULL},
        {"year", &year, NULL},
        {"period", &period, NULL},
        {"out", &out, NULL},
        {"store", &g->store, NULL},
        {"include-synthetic", NULL, &include_synthetic},
    };
    char *pos[1];
    size_t npos;
    int rc = pccs_opt_parse(argc, argv, opts, sizeof(opts) / sizeof(opts[0]),
                            pos, 1, &npos, &help);
    if (rc)
        return rc;
    if (help)
        return pccs_cmd_help("report");
    if (!npos || strcmp(pos[0], "committee") != 0)
        return pccs_cmd_usage("report", "which report? committee");
    if (!in || !out)
        return pccs_cmd_usage("report", "give --in CODE and --out FILE.html");
    /* --year or --period: a financial year, checked as pccs table does. */
    struct pccs_err err = PCCS_ERR_INIT;
    struct pccs_query_arg qa[] = {{.name = "year", .value = year},
                                  {.name = "period", .value = period}};
    struct pccs_query_parsed pq; /* year points into it */
    if (pccs_query_parse(NULL, qa, 2, "--", &pq, &err))
        return pccs_cmd_usage("report", "%s", err.msg);
    year = pq.q.period;
    struct pccs_store *st;
    rc = pccs_cmd_open_store(g, &st);
    if (rc)
        return rc;
    struct pccs_tree tree = PCCS_TREE_INIT;
    char fy[8] = "", today[16];
    time_t now = time(NULL);
    struct tm tm;
    strftime(today, sizeof(today), "%Y-%m-%d", gmtime_r(&now, &tm));
    rc = pccs_tree_load(&tree, st, &err);
    if (!rc) {
        int o = pccs_query_org(&tree, "", in, &err);
        if (o < 0)
            rc = o;
        else
            in = tree.orgs[o].code;
    }
    if (!rc && !year) {
        rc = pccs_latest_payments_year(st, fy, &err);
        if (!rc)
            year = fy[0] ? fy : NULL;
    }
    if (!rc && year)
        rc = year_loaded(st, &tree, in, year, &err);
    struct pccs_paper paper;
    memset(&paper, 0, sizeof(paper));
    if (!rc) {
        struct pccs_paper_options po = {
            .in = in, .year = year, .include_synthetic = include_synthetic};
        rc = pccs_paper_gather(st, &tree, &po, &paper, &err);
    }
    FILE *f = NULL;
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.part", out);
    if (!rc && !(f = fopen(tmp, "w")))
        rc = pccs_err_set(&err, PCCS_EIO, "%s: cannot write: %s", tmp,
                          strerror(errno));
    if (!rc) {
        struct pccs_committee_options o = {.generated = today};
        rc = pccs_committee_write(f, &paper, &o, &err);
    }
    pccs_paper_release(&paper);
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
