/* SPDX-License-Identifier: MIT */
/*
 * pccs chart: a table or a series drawn as SVG (report/chart.c). The
 * numbers come from the same tables and metrics `pccs table` and
 * `pccs spc` print.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "model/metrics.h"
#include "model/query.h"
#include "model/tables.h"
#include "report/chart.h"

struct chart_args {
    const char *kind, *table, *column, *level, *in, *year, *period, *group;
    const char *where, *org, *metric, *out;
};

/* The table's first note naming a publication, as the chart's source. */
static const char *
source_note(const struct pccs_table *t)
{
    for (size_t i = 0; i < t->nnotes; i++)
        if (!strstr(t->notes[i], "Open Government") &&
            !strstr(t->notes[i], "explain"))
            return t->notes[i];
    return "";
}

static int
run_table(struct pccs_store *st, const struct pccs_tree *tree, const char *name,
          const struct pccs_table_query *q, struct pccs_table *t,
          struct pccs_err *err)
{
    const struct pccs_table_def *def = pccs_table_def_find(name);
    if (!def)
        return pccs_err_set(err, PCCS_EINVAL,
                            "no table called '%s' (pccs table --list)", name);
    memset(t, 0, sizeof(*t));
    return pccs_table_run(def, st, tree, q, t, err);
}

static int
pyramid(struct pccs_store *st, const struct pccs_tree *tree,
        const struct chart_args *a, FILE *f, struct pccs_err *err)
{
    int o = pccs_query_org(tree, "", a->org, err);
    if (o < 0)
        return o;
    struct pccs_table_query q = {.level = tree->orgs[o].level,
                                 .in = tree->orgs[o].code,
                                 .at = PCCS_DAY_NONE,
                                 .period = a->period};
    struct pccs_table t;
    int rc = run_table(st, tree, "age-bands", &q, &t, err);
    if (!rc) {
        const char *bands[32];
        double m[32], fe[32];
        size_t n = 0;
        for (size_t r = 0; r < t.nrows && n < 32; r++) {
            if (strcmp(pccs_table_cell(&t, r, 0)->text, a->org) != 0)
                continue;
            bands[n] = pccs_table_cell(&t, r, 3)->text;
            m[n] = pccs_table_cell(&t, r, 4)->num;
            fe[n++] = pccs_table_cell(&t, r, 5)->num;
        }
        char title[256];
        snprintf(title, sizeof(title),
                 "Registered patients by age and sex: "
                 "%s %s (%s)",
                 a->org, tree->orgs[o].name ? tree->orgs[o].name : "",
                 t.nrows ? pccs_table_cell(&t, 0, 9)->text : "");
        struct pccs_pyramid c = {.title = title,
                                 .bands = bands,
                                 .male = m,
                                 .female = fe,
                                 .n = n,
                                 .source = source_note(&t)};
        if (pccs_svg_pyramid_write(f, &c))
            rc = pccs_err_set(err, PCCS_EIO, "cannot write the chart");
    }
    pccs_table_release(&t);
    return rc;
}

static int
line(struct pccs_store *st, const struct pccs_tree *tree,
     const struct chart_args *a, FILE *f, struct pccs_err *err)
{
    const struct pccs_metric_def *m = pccs_metric_find(a->metric);
    if (!m)
        return pccs_err_set(err, PCCS_EINVAL,
                            "no metric called '%s' (pccs spc --help)",
                            a->metric);
    char *orgs = pccs_xstrdup(a->org);
    struct pccs_series s[8];
    struct pccs_line_series ls[8];
    size_t ns = 0;
    int rc = PCCS_OK;
    char *save = NULL;
    for (char *code = strtok_r(orgs, ",", &save); code && !rc && ns < 8;
         code = strtok_r(NULL, ",", &save)) {
        rc = pccs_metric_series(st, tree, m, code, &s[ns], err);
        if (!rc) {
            ls[ns].name = pccs_xstrdup(code);
            ns++;
        }
    }
    if (!rc && ns == 0)
        rc = pccs_err_set(err, PCCS_EINVAL,
                          "--org: expected one or more organisation codes, "
                          "separated by commas");
    if (!rc) {
        /* Months of the first series; the others aligned by date. */
        size_t n = s[0].n;
        double *y = pccs_xcalloc(ns * n + 1, sizeof(*y));
        for (size_t k = 0; k < ns; k++) {
            for (size_t i = 0; i < n; i++) {
                y[k * n + i] = NAN;
                for (size_t j = 0; j < s[k].n; j++)
                    if (strcmp(s[k].date[j], s[0].date[i]) == 0)
                        y[k * n + i] = s[k].y[j];
            }
            ls[k].y = y + k * n;
        }
        char title[256];
        snprintf(title, sizeof(title), "%s", m->summary);
        struct pccs_line_chart c = {.title = title,
                                    .unit = "",
                                    .x = (const char *const *)s[0].date,
                                    .n = n,
                                    .s = ls,
                                    .ns = ns,
                                    .decimals = 2,
                                    .source = s[0].nnotes ? s[0].notes[0] : ""};
        if (pccs_svg_line_write(f, &c))
            rc = pccs_err_set(err, PCCS_EIO, "cannot write the chart");
        free(y);
    }
    for (size_t k = 0; k < ns; k++) {
        free((char *)ls[k].name);
        pccs_series_release(&s[k]);
    }
    free(orgs);
    return rc;
}

static int
bar(struct pccs_store *st, const struct pccs_tree *tree,
    const struct chart_args *a, FILE *f, struct pccs_err *err)
{
    struct pccs_table_query q = {.level = PCCS_LEVEL_NONE,
                                 .in = a->in,
                                 .at = PCCS_DAY_NONE,
                                 .period = a->year ? a->year : a->period,
                                 .group = a->group};
    if (a->level)
        q.level = pccs_level_parse(a->level);
    if (a->level && q.level == PCCS_LEVEL_NONE)
        return pccs_err_set(err, PCCS_EINVAL, "unknown --level %s", a->level);
    if (a->in) {
        int o = pccs_query_org(tree, "", a->in, err);
        if (o < 0)
            return o;
        q.in = tree->orgs[o].code;
    }
    struct pccs_table t;
    int rc = run_table(st, tree, a->table, &q, &t, err);
    if (rc) {
        pccs_table_release(&t);
        return rc;
    }
    int c = pccs_table_col_index(&t, a->column);
    char wcol[64] = "";
    const char *wval = NULL;
    if (a->where) {
        const char *eq = strchr(a->where, '=');
        if (eq) {
            snprintf(wcol, sizeof(wcol), "%.*s", (int)(eq - a->where),
                     a->where);
            wval = eq + 1;
        }
    }
    int wc = wval ? pccs_table_col_index(&t, wcol) : -1;
    if (c < 0 || t.cols[c].type == PCCS_COL_TEXT)
        rc = pccs_err_set(err, PCCS_EINVAL,
                          "--column: %s is not a number column of %s",
                          a->column, a->table);
    else if (a->where && wc < 0)
        rc = pccs_err_set(err, PCCS_EINVAL,
                          "--where must be COLUMN=VALUE with a column of %s",
                          a->table);
    if (!rc) {
        const char **labels = pccs_xcalloc(t.nrows + 1, sizeof(*labels));
        double *v = pccs_xcalloc(t.nrows + 1, sizeof(*v));
        char **own = pccs_xcalloc(t.nrows + 1, sizeof(*own));
        size_t n = 0;
        for (size_t r = 0; r < t.nrows; r++) {
            const struct pccs_cell *w =
                wc >= 0 ? pccs_table_cell(&t, r, (size_t)wc) : NULL;
            if (w && (!w->text || strcmp(w->text, wval) != 0))
                continue;
            const struct pccs_cell *cell = pccs_table_cell(&t, r, (size_t)c);
            const char *code = pccs_table_cell(&t, r, 0)->text;
            const char *name =
                t.ncols > 1 ? pccs_table_cell(&t, r, 1)->text : NULL;
            struct pccs_buf b = PCCS_BUF_INIT;
            pccs_buf_addf(&b, "%s%s%.24s", code, name && *name ? " " : "",
                          name ? name : "");
            own[n] = pccs_buf_detach(&b, NULL);
            labels[n] = own[n];
            v[n++] = cell->null ? NAN : cell->num;
        }
        char title[256];
        snprintf(title, sizeof(title), "%s: %s%s%s", a->table, a->column,
                 a->where ? ", " : "", a->where ? a->where : "");
        struct pccs_bar_chart ch = {.title = title,
                                    .unit = "",
                                    .labels = labels,
                                    .v = v,
                                    .n = n,
                                    .decimals = t.cols[c].decimals,
                                    .source = source_note(&t)};
        if (!n)
            rc = pccs_err_set(err, PCCS_ENOTFOUND, "no rows to draw");
        else if (pccs_svg_bar_write(f, &ch))
            rc = pccs_err_set(err, PCCS_EIO, "cannot write the chart");
        for (size_t i = 0; i < n; i++)
            free(own[i]);
        free(own);
        free(labels);
        free(v);
    }
    pccs_table_release(&t);
    return rc;
}

int
pccs_cmd_chart(struct pccs_global *g, int argc, char **argv)
{
    struct chart_args a = {0};
    bool help = false;
    struct pccs_opt opts[] = {
        {"column", &a.column, NULL}, {"level", &a.level, NULL},
        {"in", &a.in, NULL},         {"year", &a.year, NULL},
        {"period", &a.period, NULL}, {"group", &a.group, NULL},
        {"where", &a.where, NULL},   {"org", &a.org, NULL},
        {"metric", &a.metric, NULL}, {"out", &a.out, NULL},
        {"store", &g->store, NULL},
    };
    char *pos[2];
    size_t npos;
    int rc = pccs_opt_parse(argc, argv, opts, 11, pos, 2, &npos, &help);
    if (rc)
        return rc;
    if (help)
        return pccs_cmd_help("chart");
    if (!npos)
        return pccs_cmd_usage("chart", "which chart? pyramid, line or bar");
    a.kind = pos[0];
    if (!strcmp(a.kind, "pyramid") || !strcmp(a.kind, "line")) {
        if (!a.org)
            return pccs_cmd_usage("chart", "%s needs --org CODE", a.kind);
        if (!strcmp(a.kind, "line") && !a.metric)
            return pccs_cmd_usage("chart", "line needs --metric NAME");
    }
    else if (!strcmp(a.kind, "bar")) {
        if (npos < 2 || !a.column)
            return pccs_cmd_usage("chart", "bar needs a table and --column");
        a.table = pos[1];
    }
    else
        return pccs_cmd_usage("chart",
                              "no chart called '%s' (pyramid, line, "
                              "bar)",
                              a.kind);
    /* The periods of the table drawn, checked as pccs table checks them. */
    struct pccs_err err = PCCS_ERR_INIT;
    struct pccs_period_buf pbuf[2];
    const struct pccs_table_def *def =
        pccs_table_def_find(!strcmp(a.kind, "pyramid") ? "age-bands"
                            : a.table                  ? a.table
                                                       : "");
    if (a.year && a.period)
        return pccs_cmd_usage("chart", "give --year or --period, not both");
    if (def && (a.year || a.period)) {
        struct pccs_table_query q;
        memset(&q, 0, sizeof(q));
        q.period = a.year ? a.year : a.period;
        if (pccs_query_check_periods(def, &q, "--", a.year != NULL, pbuf, &err))
            return pccs_cmd_usage("chart", "%s", err.msg);
        if (a.year)
            a.year = q.period;
        else
            a.period = q.period;
    }
    struct pccs_store *st;
    rc = pccs_cmd_open_store(g, &st);
    if (rc)
        return rc;
    struct pccs_tree tree = PCCS_TREE_INIT;
    FILE *f = stdout;
    rc = pccs_tree_load(&tree, st, &err);
    if (!rc && a.out && !(f = fopen(a.out, "w")))
        rc = pccs_err_set(&err, PCCS_EIO, "%s: cannot write: %s", a.out,
                          strerror(errno));
    if (!rc)
        rc = !strcmp(a.kind, "pyramid") ? pyramid(st, &tree, &a, f, &err)
             : !strcmp(a.kind, "line")  ? line(st, &tree, &a, f, &err)
                                        : bar(st, &tree, &a, f, &err);
    if (f && f != stdout && fclose(f) && !rc)
        rc = pccs_err_set(&err, PCCS_EIO, "%s: cannot write", a.out);
    if (rc)
        pccs_cmd_fail(PCCS_EXIT_INPUT, "%s", err.msg);
    pccs_tree_release(&tree);
    pccs_store_free(st);
    return pccs_cmd_exit(rc);
}
