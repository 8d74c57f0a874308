/* SPDX-License-Identifier: MIT */
/*
 * pccs spc: a Making Data Count XmR chart for a series from a CSV file
 * (--input) or one pccs holds (--metric NAME --org CODE): one row per
 * point with its mean, limits and point type, and the assurance of a
 * target.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/xalloc.h"
#include "calc/spc.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "formats/csv.h"
#include "model/metrics.h"
#include "model/tree.h"
#include "report/svg.h"
#include "report/table.h"

struct series {
    char **date;
    double *y;
    size_t n, cap;
};

static void
series_free(struct series *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->date[i]);
    free(s->date);
    free(s->y);
}

static int
find_col(const struct pccs_csv_record *hdr, const char *name)
{
    for (size_t i = 0; i < hdr->nfields; i++) {
        if (pccs_str_ieq(pccs_str_trim(hdr->fields[i]), name))
            return (int)i;
    }
    return -1;
}

static int
read_series(const char *path, const char *date_col, const char *value_col,
            struct series *s, struct pccs_err *err)
{
    struct pccs_csv_reader *r;
    int rc = pccs_csv_open(&r, path, NULL, 0, err);
    if (rc)
        return rc;
    struct pccs_csv_record rec;
    rc = pccs_csv_next(r, &rec, err);
    if (rc == 0)
        rc = pccs_err_at(err, PCCS_EPARSE, path, 1, 1,
                         "empty file, expected a header with columns %s "
                         "and %s",
                         date_col, value_col);
    if (rc < 0)
        goto out;
    int di = find_col(&rec, date_col), vi = find_col(&rec, value_col);
    if (di < 0 || vi < 0) {
        rc = pccs_err_at(err, PCCS_EPARSE, path, 1, (int64_t)rec.nfields + 1,
                         "expected columns \"%s\" and \"%s\" in the header",
                         date_col, value_col);
        goto out;
    }
    pccs_day prev = PCCS_DAY_NONE;
    while ((rc = pccs_csv_next(r, &rec, err)) == 1) {
        pccs_day d;
        double v;
        if ((size_t)di >= rec.nfields || pccs_date_parse(rec.fields[di], &d)) {
            rc = pccs_err_at(err, PCCS_EPARSE, path, rec.line, di + 1,
                             "%s: expected a date (YYYY-MM-DD)", date_col);
            goto out;
        }
        if ((size_t)vi >= rec.nfields ||
            pccs_str_to_double(rec.fields[vi], &v)) {
            rc = pccs_err_at(err, PCCS_EPARSE, path, rec.line, vi + 1,
                             "%s: expected a number", value_col);
            goto out;
        }
        if (prev != PCCS_DAY_NONE && d <= prev) {
            rc =
                pccs_err_at(err, PCCS_EPARSE, path, rec.line, di + 1,
                            "%s: expected dates in increasing order", date_col);
            goto out;
        }
        prev = d;
        if (s->n == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 64;
            s->date = pccs_xreallocarray(s->date, s->cap, sizeof(*s->date));
            s->y = pccs_xreallocarray(s->y, s->cap, sizeof(*s->y));
        }
        char buf[16];
        pccs_date_format(d, buf);
        s->date[s->n] = pccs_xstrdup(buf);
        s->y[s->n++] = v;
    }
    if (rc == 0 && !s->n)
        rc = pccs_err_at(err, PCCS_EPARSE, path, 2, 1,
                         "no data rows: expected one row per point");
out:
    pccs_csv_free(r);
    return rc < 0 ? rc : PCCS_OK;
}

/* "2022-04-01,2023-04-01" -> point indices where a group starts. */
/* The series of a metric pccs holds, with its provenance notes. */
static int
metric_series(struct pccs_global *g, const char *metric, const char *org,
              struct series *s, struct pccs_series *ms, struct pccs_err *err)
{
    const struct pccs_metric_def *m = pccs_metric_find(metric);
    if (!m) {
        struct pccs_buf b = PCCS_BUF_INIT;
        for (size_t i = 0; pccs_metric_defs[i]; i++)
            pccs_buf_addf(&b, "%s%s", i ? ", " : "", pccs_metric_defs[i]->name);
        int rc = pccs_err_set(err, PCCS_EINVAL,
                              "no metric called '%s' (metrics: %s)", metric,
                              b.p);
        pccs_buf_release(&b);
        return rc;
    }
    struct pccs_store *st;
    int rc = pccs_store_open(&st, g->store, err);
    if (rc)
        return rc;
    struct pccs_tree tree = PCCS_TREE_INIT;
    rc = pccs_tree_load(&tree, st, err);
    if (!rc)
        rc = pccs_metric_series(st, &tree, m, org, ms, err);
    if (!rc) {
        s->date = pccs_xcalloc(ms->n + 1, sizeof(*s->date));
        s->y = pccs_xcalloc(ms->n + 1, sizeof(*s->y));
        for (size_t i = 0; i < ms->n; i++) {
            s->date[i] = pccs_xstrdup(ms->date[i]);
            s->y[i] = ms->y[i];
        }
        s->n = s->cap = ms->n;
    }
    pccs_tree_release(&tree);
    pccs_store_free(st);
    return rc;
}

static int
parse_rebase(const char *arg, const struct series *s, size_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!arg)
        return 0;
    char *copy = pccs_xstrdup(arg);
    size_t cap = 0;
    int rc = 0;
    for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
        pccs_day d;
        if (pccs_date_parse(pccs_str_from(tok), &d)) {
            rc = pccs_cmd_usage("spc", "--rebase takes dates, not '%s'", tok);
            break;
        }
        char buf[16];
        pccs_date_format(d, buf);
        size_t i = 0;
        while (i < s->n && strcmp(s->date[i], buf) < 0)
            i++;
        if (i == 0 || i >= s->n) {
            rc = pccs_cmd_usage("spc",
                                "--rebase %s is not after the first point "
                                "and on or before the last",
                                tok);
            break;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 4;
            *out = pccs_xreallocarray(*out, cap, sizeof(**out));
        }
        (*out)[(*n)++] = i;
    }
    free(copy);
    return rc;
}

int
pccs_cmd_spc(struct pccs_global *g, int argc, char **argv)
{
    const char *input = NULL, *date_col = "date", *value_col = "value";
    const char *improvement = "increase", *target = NULL, *rebase = NULL;
    const char *fix_after = NULL, *format = NULL, *metric = NULL;
    const char *org = NULL;
    bool no_screen = false, help = false;
    struct pccs_opt opts[] = {
        {"input", &input, NULL},         {"date-col", &date_col, NULL},
        {"value-col", &value_col, NULL}, {"improvement", &improvement, NULL},
        {"target", &target, NULL},       {"rebase", &rebase, NULL},
        {"fix-after", &fix_after, NULL}, {"no-screen", NULL, &no_screen},
        {"format", &format, NULL},       {"store", &g->store, NULL},
        {"metric", &metric, NULL},       {"org", &org, NULL},
    };
    char *pos[1];
    size_t npos;
    int rc = pccs_opt_parse(argc, argv, opts, 12, pos, 0, &npos, &help);
    if (rc)
        return rc;
    if (help)
        return pccs_cmd_help("spc");
    if (!input == !metric)
        return pccs_cmd_usage("spc", "give --input FILE.csv, or --metric NAME "
                                     "--org CODE");
    if (metric && !org)
        return pccs_cmd_usage("spc", "--metric needs --org CODE");
    int fmt = PCCS_FMT_TEXT;
    bool svg = format && strcmp(format, "svg") == 0;
    if (!svg) {
        rc = pccs_cmd_format("spc", format, &fmt);
        if (rc)
            return rc;
    }
    struct pccs_spc_options o = PCCS_SPC_OPTIONS_INIT;
    o.screen = !no_screen;
    const struct pccs_metric_def *md = metric ? pccs_metric_find(metric) : NULL;
    bool improvement_given = false;
    for (int i = 1; i < argc; i++)
        improvement_given |= strncmp(argv[i], "--improvement", 13) == 0;
    if (md && !improvement_given)
        o.direction = md->improvement; /* the metric's own direction */
    else if (strcmp(improvement, "increase") == 0)
        o.direction = PCCS_SPC_INCREASE;
    else if (strcmp(improvement, "decrease") == 0)
        o.direction = PCCS_SPC_DECREASE;
    else if (strcmp(improvement, "neutral") == 0)
        o.direction = PCCS_SPC_NEUTRAL;
    else
        return pccs_cmd_usage("spc", "--improvement must be increase, "
                                     "decrease or neutral");
    if (target) {
        if (pccs_str_to_double(pccs_str_from(target), &o.target))
            return pccs_cmd_usage("spc", "--target must be a number");
        o.has_target = true;
    }
    if (fix_after) {
        int64_t k;
        if (pccs_str_to_i64(pccs_str_from(fix_after), &k) || k < 2)
            return pccs_cmd_usage("spc", "--fix-after must be a whole "
                                         "number of 2 or more");
        o.fix_after = (size_t)k;
    }

    struct series s = {0};
    struct pccs_series ms = {0};
    struct pccs_err err = PCCS_ERR_INIT;
    char title[256];
    if (metric) {
        rc = metric_series(g, metric, org, &s, &ms, &err);
        snprintf(title, sizeof(title), "%s, %s", metric, org);
    }
    else {
        rc = read_series(input, date_col, value_col, &s, &err);
        snprintf(title, sizeof(title), "%s", input);
    }
    if (rc) {
        series_free(&s);
        pccs_series_release(&ms);
        return pccs_cmd_fail(PCCS_EXIT_INPUT, "%s", err.msg);
    }
    size_t *rb = NULL, nrb = 0;
    rc = parse_rebase(rebase, &s, &rb, &nrb);
    if (rc) {
        series_free(&s);
        return rc;
    }
    o.rebase = rb;
    o.nrebase = nrb;
    struct pccs_spc_point *p;
    enum pccs_spc_assurance a;
    bool short_group;
    struct pccs_table t;
    pccs_spc_table((const char *const *)s.date, s.y, s.n, &o, &t, &p, &a,
                   &short_group);
    if (metric) {
        pccs_table_note(&t, "series: %s for %s (%zu points), %s", metric, org,
                        s.n, md->summary);
        for (size_t i = 0; i < ms.nnotes; i++)
            pccs_table_note(&t, "%s", ms.notes[i]);
    }
    else
        pccs_table_note(&t, "input: %s (%zu points)", input, s.n);
    if (fmt == PCCS_FMT_CSV || svg) {
        fprintf(stderr, "assurance: %s\n", pccs_spc_assurance_name(a));
        if (short_group)
            fprintf(stderr, "warning: fewer than %d points in a group\n",
                    PCCS_SPC_MIN_POINTS);
    }
    if (svg) {
        struct pccs_svg_spc chart = {
            title, (const char *const *)s.date, s.y, p, s.n, &o, a};
        rc = pccs_svg_spc_write(stdout, &chart)
                 ? pccs_err_set(&err, PCCS_EIO, "cannot write the chart")
                 : PCCS_OK;
    }
    else {
        rc = pccs_table_write(&t, (enum pccs_format)fmt, stdout, &err);
    }
    if (rc)
        pccs_cmd_fail(PCCS_EXIT_INPUT, "%s", err.msg);
    pccs_table_release(&t);
    free(p);
    free(rb);
    series_free(&s);
    pccs_series_release(&ms);
    return pccs_cmd_exit(rc);
}
