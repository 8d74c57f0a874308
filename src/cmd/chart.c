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
#include "model/population.h"
#include "model/query.h"
#include "model/tables.h"
#include "report/chart.h"

struct chart_args {
    const char *kind, *table, *column, *where, *org, *metric, *out;
    /* The table drawn (age-bands for the pyramid; NULL for a line) and
     * its question, checked as pccs table checks it. */
    const struct pccs_table_def *def;
    struct pccs_query_parsed parsed;
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
pyramid(struct pccs_store *st, const struct pccs_tree *tree,
        const struct chart_args *a, FILE *f, struct pccs_err *err)
{
    int o = pccs_query_org(tree, "", a->org, err);
    if (o < 0)
        return o;
    struct pccs_table_query q = a->parsed.q;
    q.level = tree->orgs[o].level;
    q.in = tree->orgs[o].code;
    struct pccs_table t;
    memset(&t, 0, sizeof(t));
    int rc = pccs_table_run(a->def, st, tree, &q, &t, err);
    if (!rc) {
        struct pccs_age_pyramid ap;
        pccs_age_pyramid_of(&t, q.in, &ap);
        char title[256];
        snprintf(title, sizeof(title),
                 "Registered patients by age and sex: "
                 "%s %s (%s)",
                 a->org, tree->orgs[o].name ? tree->orgs[o].name : "",
                 ap.snapshot);
        struct pccs_pyramid c = {.title = title,
                                 .bands = ap.band,
                                 .male = ap.male,
                                 .female = ap.female,
                                 .n = ap.n,
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
    struct pccs_table_query q = a->parsed.q;
    int in_org;
    struct pccs_table t;
    memset(&t, 0, sizeof(t));
    int rc = pccs_query_resolve_in(tree, "", &q, &in_org, err);
    if (!rc)
        rc = pccs_table_run(a->def, st, tree, &q, &t, err);
    if (rc) {
        pccs_table_release(&t);
        return rc;
    }
    int c = pccs_table_col_index(&t, a->column);
    /* Each bar is labelled by the row's code and name (a table without
     * a code column: its first column). */
    int code_col = pccs_table_col_index(&t, "code");
    int name_col = pccs_table_col_index(&t, "name");
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
            const char *code =
                pccs_table_cell(&t, r, code_col < 0 ? 0 : (size_t)code_col)
                    ->text;
            const char *name =
                name_col >= 0 ? pccs_table_cell(&t, r, (size_t)name_col)->text
                              : NULL;
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

/* The chart asked for by its positionals pos (npos); 0, or the usage exit
 * status. */
static int
chart_kind(struct chart_args *a, char **pos, size_t npos)
{
    if (!npos)
        return pccs_cmd_usage("chart", "which chart? pyramid, line or bar");
    a->kind = pos[0];
    if (!strcmp(a->kind, "pyramid") || !strcmp(a->kind, "line")) {
        if (!a->org)
            return pccs_cmd_usage("chart", "%s needs --org CODE", a->kind);
        if (!strcmp(a->kind, "line") && !a->metric)
            return pccs_cmd_usage("chart", "line needs --metric NAME");
    }
    else if (!strcmp(a->kind, "bar")) {
        if (npos < 2 || !a->column)
            return pccs_cmd_usage("chart", "bar needs a table and --column");
        a->table = pos[1];
    }
    else
        return pccs_cmd_usage("chart",
                              "no chart called '%s' (pyramid, line, "
                              "bar)",
                              a->kind);
    a->def = pccs_table_def_find(!strcmp(a->kind, "pyramid") ? "age-bands"
                                 : a->table                  ? a->table
                                                             : "");
    if (a->table && !a->def)
        return pccs_cmd_usage("chart",
                              "no table called '%s' (pccs table "
                              "--list)",
                              a->table);
    return 0;
}

/* The arguments; PCCS_CMD_GO, or the exit status to return now. */
static int
parse_args(struct pccs_global *g, int argc, char **argv, struct chart_args *a)
{
    /* The table question, as pccs table's: level, in, period, year, group. */
    struct pccs_query_arg q[] = {{"level", NULL},
                                 {"in", NULL},
                                 {"period", NULL},
                                 {"year", NULL},
                                 {"group", NULL}};
    struct pccs_opt opts[] = {
        {"column", &a->column, NULL},  {"level", &q[0].value, NULL},
        {"in", &q[1].value, NULL},     {"year", &q[3].value, NULL},
        {"period", &q[2].value, NULL}, {"group", &q[4].value, NULL},
        {"where", &a->where, NULL},    {"org", &a->org, NULL},
        {"metric", &a->metric, NULL},  {"out", &a->out, NULL},
    };
    char *pos[2];
    size_t npos;
    int rc = pccs_cmd_args(g, argc, argv, opts, PCCS_LEN(opts), pos, 2, &npos);
    if (rc != PCCS_CMD_GO)
        return rc;
    rc = chart_kind(a, pos, npos);
    if (rc)
        return rc;
    struct pccs_err err = PCCS_ERR_INIT;
    if (pccs_query_parse(a->def, q, a->def ? PCCS_LEN(q) : 0, "--", &a->parsed,
                         &err))
        return pccs_cmd_usage("chart", "%s", err.msg);
    return PCCS_CMD_GO;
}

int
pccs_cmd_chart(struct pccs_global *g, int argc, char **argv)
{
    struct chart_args a;
    struct pccs_cmd_open o;
    memset(&a, 0, sizeof(a));
    int rc = parse_args(g, argc, argv, &a);
    if (rc != PCCS_CMD_GO)
        return rc;
    rc = pccs_cmd_open_tree(g, &o);
    if (rc)
        return rc;
    FILE *f = a.out ? fopen(a.out, "w") : stdout;
    if (!f)
        rc = pccs_err_set(&o.err, PCCS_EIO, "%s: cannot write: %s", a.out,
                          strerror(errno));
    if (!rc)
        rc = !strcmp(a.kind, "pyramid") ? pyramid(o.st, &o.tree, &a, f, &o.err)
             : !strcmp(a.kind, "line")  ? line(o.st, &o.tree, &a, f, &o.err)
                                        : bar(o.st, &o.tree, &a, f, &o.err);
    if (f && f != stdout && fclose(f) && !rc)
        rc = pccs_err_set(&o.err, PCCS_EIO, "%s: cannot write", a.out);
    return pccs_cmd_close(&o, rc);
}
