/* SPDX-License-Identifier: MIT */
/*
 * pccs spc: a Making Data Count XmR chart for a series from a CSV file
 * (--input) or one pccs holds (--metric NAME --org CODE): one row per
 * point with its mean, limits and point type, and the assurance of a
 * target.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "calc/spc.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "model/spc_run.h"
#include "model/tree.h"
#include "report/svg.h"
#include "report/table.h"

/* The options of the run that the command line sets. */
struct spc_args {
    const char *input, *date_col, *value_col, *improvement, *target;
    const char *rebase, *fix_after, *format, *metric, *org, *floor;
    bool no_screen, improvement_given, svg, list;
    int fmt;
};

/* Parse the options; false when the command is over (*status says how). */
static bool
parse_args(struct pccs_global *g, int argc, char **argv, struct spc_args *a,
           int *status)
{
    struct pccs_opt opts[] = {
        {"input", &a->input, NULL},
        {"date-col", &a->date_col, NULL},
        {"value-col", &a->value_col, NULL},
        {"improvement", &a->improvement, NULL},
        {"no-screen", NULL, &a->no_screen},
        {"target", &a->target, NULL},
        {"rebase", &a->rebase, NULL},
        {"fix-after", &a->fix_after, NULL},
        {"floor", &a->floor, NULL},
        {"list", NULL, &a->list},
        {"format", &a->format, NULL},
        {"metric", &a->metric, NULL},
        {"org", &a->org, NULL},
        {"in", &a->org, NULL},
    };
    *status = pccs_cmd_args(g, argc, argv, opts, PCCS_LEN(opts), NULL, 0, NULL);
    if (*status != PCCS_CMD_GO)
        return false;
    if (a->list) {
        for (size_t i = 0; pccs_metric_defs[i]; i++)
            printf("%-40s %s\n", pccs_metric_defs[i]->name,
                   pccs_metric_defs[i]->summary);
        *status = 0;
        return false;
    }
    if (!a->input == !a->metric) {
        *status = pccs_cmd_usage("spc", "give --input FILE.csv, or --metric "
                                        "NAME --org CODE");
        return false;
    }
    if (a->metric && !a->org) {
        *status = pccs_cmd_usage("spc", "--metric needs --org CODE");
        return false;
    }
    a->fmt = PCCS_FMT_TEXT;
    a->svg = a->format && strcmp(a->format, "svg") == 0;
    if (!a->svg && (*status = pccs_cmd_format("spc", a->format, &a->fmt)))
        return false;
    for (int i = 1; i < argc; i++)
        a->improvement_given |= strncmp(argv[i], "--improvement", 13) == 0;
    return true;
}

static bool
parse_direction(const char *s, enum pccs_spc_direction *d)
{
    if (strcmp(s, "increase") == 0)
        *d = PCCS_SPC_INCREASE;
    else if (strcmp(s, "decrease") == 0)
        *d = PCCS_SPC_DECREASE;
    else if (strcmp(s, "neutral") == 0)
        *d = PCCS_SPC_NEUTRAL;
    else
        return false;
    return true;
}

/* The command line's options over the run's own (the metric's direction). */
static int
set_options(const struct spc_args *a, struct pccs_spc_options *o)
{
    o->screen = !a->no_screen;
    /* Without --improvement a metric keeps its own direction (the run's). */
    if ((!a->metric || a->improvement_given) &&
        !parse_direction(a->improvement, &o->direction))
        return pccs_cmd_usage("spc", "--improvement must be increase, "
                                     "decrease or neutral");
    if (a->target) {
        if (pccs_str_to_double(pccs_str_from(a->target), &o->target))
            return pccs_cmd_usage("spc", "--target must be a number");
        o->has_target = true;
    }
    if (a->floor) {
        if (pccs_str_to_double(pccs_str_from(a->floor), &o->floor))
            return pccs_cmd_usage("spc", "--floor must be a number");
        o->has_floor = true;
    }
    if (a->fix_after) {
        int64_t k;
        if (pccs_str_to_i64(pccs_str_from(a->fix_after), &k) || k < 2)
            return pccs_cmd_usage("spc", "--fix-after must be a whole "
                                         "number of 2 or more");
        o->fix_after = (size_t)k;
    }
    return 0;
}

/* The series of a metric pccs holds, from the store. */
static int
metric_run(struct pccs_global *g, const struct spc_args *a,
           struct pccs_spc_run *run, struct pccs_err *err)
{
    struct pccs_store *st;
    memset(run, 0, sizeof(*run));
    int rc = pccs_store_open(&st, g->store, err);
    if (rc)
        return rc;
    struct pccs_tree tree = PCCS_TREE_INIT;
    rc = pccs_tree_load(&tree, st, err);
    if (!rc)
        rc = pccs_spc_run_metric(run, st, &tree, a->metric, a->org, err);
    pccs_tree_release(&tree);
    pccs_store_free(st);
    return rc;
}

/* The run as the table (text, CSV, JSON) or as an SVG chart. */
static int
write_run(const struct spc_args *a, const struct pccs_spc_run *run,
          struct pccs_err *err)
{
    if (a->fmt == PCCS_FMT_CSV || a->svg) {
        fprintf(stderr, "assurance: %s\n",
                pccs_spc_assurance_name(run->assurance));
        if (run->short_group)
            fprintf(stderr, "warning: fewer than %d points in a group\n",
                    PCCS_SPC_MIN_POINTS);
    }
    if (!a->svg)
        return pccs_table_write(&run->table, (enum pccs_format)a->fmt, stdout,
                                err);
    char title[256];
    if (a->metric)
        snprintf(title, sizeof(title), "%s, %s", a->metric, a->org);
    else
        snprintf(title, sizeof(title), "%s", a->input);
    struct pccs_svg_spc chart;
    pccs_svg_spc_of_run(&chart, run, title);
    return pccs_svg_spc_write(stdout, &chart)
               ? pccs_err_set(err, PCCS_EIO, "cannot write the chart")
               : PCCS_OK;
}

int
pccs_cmd_spc(struct pccs_global *g, int argc, char **argv)
{
    struct spc_args a = {
        .date_col = "date", .value_col = "value", .improvement = "increase"};
    int rc;
    if (!parse_args(g, argc, argv, &a, &rc))
        return rc;
    struct pccs_spc_options o = PCCS_SPC_OPTIONS_INIT;
    rc = set_options(&a, &o);
    if (rc)
        return rc;
    struct pccs_spc_run run;
    struct pccs_err err = PCCS_ERR_INIT;
    if (a.metric)
        rc = metric_run(g, &a, &run, &err);
    else
        rc = pccs_spc_run_file(&run, a.input, a.date_col, a.value_col, &err);
    if (rc) {
        pccs_spc_run_release(&run);
        return pccs_cmd_fail(PCCS_EXIT_INPUT, "%s", err.msg);
    }
    struct pccs_spc_options own = run.o;
    run.o = o;
    if (a.metric && !a.improvement_given)
        run.o.direction = own.direction; /* the metric's own */
    if (!a.target && own.has_target) {   /* and its target */
        run.o.has_target = true;
        run.o.target = own.target;
    }
    if (!a.floor && own.has_floor) { /* and its floor */
        run.o.has_floor = true;
        run.o.floor = own.floor;
    }
    if (pccs_spc_run_compute(&run, a.rebase, "--", &err)) {
        pccs_spc_run_release(&run);
        return pccs_cmd_usage("spc", "%s", err.msg);
    }
    rc = write_run(&a, &run, &err);
    if (rc)
        pccs_cmd_fail(PCCS_EXIT_INPUT, "%s", err.msg);
    pccs_spc_run_release(&run);
    return pccs_cmd_exit(rc);
}
