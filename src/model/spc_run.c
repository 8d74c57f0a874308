/* SPDX-License-Identifier: MIT */
/* One SPC run: its series, calc/spc.c over it, and the result table. */
#include "model/spc_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/xalloc.h"
#include "formats/csv.h"
#include "model/build.h"

int
pccs_spc_run_metric(struct pccs_spc_run *run, struct pccs_store *st,
                    const struct pccs_tree *t, const char *metric,
                    const char *org, struct pccs_err *err)
{
    memset(run, 0, sizeof(*run));
    run->o = (struct pccs_spc_options)PCCS_SPC_OPTIONS_INIT;
    const struct pccs_metric_def *m = pccs_metric_find(metric);
    if (!m) {
        struct pccs_buf b = PCCS_BUF_INIT;
        for (size_t i = 0; pccs_metric_defs[i]; i++)
            pccs_buf_addf(&b, "%s%s", i ? ", " : "", pccs_metric_defs[i]->name);
        int rc =
            pccs_err_set(err, PCCS_ENOTFOUND,
                         "no metric called '%s' (metrics: %s)", metric, b.p);
        pccs_buf_release(&b);
        return rc;
    }
    run->metric = m;
    run->what = pccs_xstrdup(org);
    run->o.direction = m->improvement;        /* the metric's own direction */
    run->o.has_floor = m->floor_zero != NULL; /* and its floor */
    int rc = pccs_metric_series(st, t, m, org, &run->s, err);
    if (!rc && run->s.has_target) { /* the metric's own target */
        run->o.has_target = true;
        run->o.target = run->s.target;
    }
    return rc;
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

/* One row of the file: its date (after prev) and value, added to s. */
static int
add_point(struct pccs_series *s, size_t *cap, const char *path,
          const struct pccs_csv_record *rec, int di, int vi,
          const char *date_col, const char *value_col, pccs_day *prev,
          struct pccs_err *err)
{
    pccs_day d;
    double v;
    if ((size_t)di >= rec->nfields || pccs_date_parse(rec->fields[di], &d))
        return pccs_err_at(err, PCCS_EPARSE, path, rec->line, di + 1,
                           "%s: expected a date (YYYY-MM-DD)", date_col);
    if ((size_t)vi >= rec->nfields || pccs_str_to_double(rec->fields[vi], &v))
        return pccs_err_at(err, PCCS_EPARSE, path, rec->line, vi + 1,
                           "%s: expected a number", value_col);
    if (*prev != PCCS_DAY_NONE && d <= *prev)
        return pccs_err_at(err, PCCS_EPARSE, path, rec->line, di + 1,
                           "%s: expected dates in increasing order", date_col);
    *prev = d;
    if (s->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        s->date = pccs_xreallocarray(s->date, *cap, sizeof(*s->date));
        s->y = pccs_xreallocarray(s->y, *cap, sizeof(*s->y));
    }
    char buf[16];
    pccs_date_format(d, buf);
    s->date[s->n] = pccs_xstrdup(buf);
    s->y[s->n++] = v;
    return PCCS_OK;
}

int
pccs_spc_run_file(struct pccs_spc_run *run, const char *path,
                  const char *date_col, const char *value_col,
                  struct pccs_err *err)
{
    memset(run, 0, sizeof(*run));
    run->o = (struct pccs_spc_options)PCCS_SPC_OPTIONS_INIT;
    run->what = pccs_xstrdup(path);
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
    size_t cap = 0;
    while ((rc = pccs_csv_next(r, &rec, err)) == 1) {
        rc = add_point(&run->s, &cap, path, &rec, di, vi, date_col, value_col,
                       &prev, err);
        if (rc)
            goto out;
    }
    if (rc == 0 && !run->s.n)
        rc = pccs_err_at(err, PCCS_EPARSE, path, 2, 1,
                         "no data rows: expected one row per point");
out:
    pccs_csv_free(r);
    return rc < 0 ? rc : PCCS_OK;
}

/* "2022-04-01,2023-04-01" -> the indices of the points starting a phase. */
static int
parse_rebase(struct pccs_spc_run *run, const char *arg, const char *names,
             struct pccs_err *err)
{
    char *copy = pccs_xstrdup(arg);
    size_t cap = 0;
    int rc = PCCS_OK;
    for (char *tok = strtok(copy, ","); tok && !rc; tok = strtok(NULL, ",")) {
        pccs_day d;
        if (pccs_date_parse(pccs_str_from(tok), &d)) {
            rc = pccs_err_set(err, PCCS_EINVAL,
                              "%srebase takes dates, not '%s'", names, tok);
            break;
        }
        char buf[16];
        pccs_date_format(d, buf);
        size_t i = 0;
        while (i < run->s.n && strcmp(run->s.date[i], buf) < 0)
            i++;
        if (i == 0 || i >= run->s.n) {
            rc = pccs_err_set(err, PCCS_EINVAL,
                              "%srebase %s is not after the first point "
                              "and on or before the last",
                              names, tok);
            break;
        }
        if (run->o.nrebase == cap) {
            cap = cap ? cap * 2 : 4;
            run->rebase =
                pccs_xreallocarray(run->rebase, cap, sizeof(*run->rebase));
        }
        run->rebase[run->o.nrebase++] = i;
    }
    run->o.rebase = run->rebase;
    free(copy);
    return rc;
}

/* calc/spc.c over the series, and the run as a table with its notes. */
static void
compute_table(struct pccs_spc_run *run)
{
    const struct pccs_series *s = &run->s;
    struct pccs_table *t = &run->table;
    run->points = pccs_xcalloc(s->n + 1, sizeof(*run->points));
    pccs_spc_compute(s->y, s->n, &run->o, run->points, &run->assurance,
                     &run->short_group);
    pccs_table_init(t, "spc");
    static const struct pccs_build_col cols[] = {
        PCCS_BUILD_TEXT("date"),   PCCS_BUILD_NUM("value", 4),
        PCCS_BUILD_NUM("mean", 4), PCCS_BUILD_NUM("lpl", 4),
        PCCS_BUILD_NUM("upl", 4),  PCCS_BUILD_TEXT("point_type")};
    PCCS_BUILD_COLS(t, cols);
    for (size_t i = 0; i < s->n; i++) {
        const struct pccs_spc_point *p = &run->points[i];
        pccs_table_row(t);
        pccs_table_text(t, s->date[i]);
        pccs_table_num(t, s->y[i]);
        pccs_table_num(t, p->mean);
        pccs_table_num(t, p->lpl);
        pccs_table_num(t, p->upl);
        pccs_table_text(t, pccs_spc_type_name(p->type));
    }
    pccs_table_note(t, "assurance: %s",
                    pccs_spc_assurance_name(run->assurance));
    if (run->short_group)
        pccs_table_note(t,
                        "warning: fewer than %d points in a group; "
                        "limits are less reliable",
                        PCCS_SPC_MIN_POINTS);
}

int
pccs_spc_run_compute(struct pccs_spc_run *run, const char *rebase,
                     const char *names, struct pccs_err *err)
{
    run->o.rebase = NULL;
    run->o.nrebase = 0;
    if (rebase) {
        int rc = parse_rebase(run, rebase, names, err);
        if (rc)
            return rc;
    }
    const struct pccs_series *s = &run->s;
    compute_table(run);
    if (run->metric) {
        pccs_table_note(&run->table, "series: %s for %s (%zu points), %s",
                        run->metric->name, run->what, s->n,
                        run->metric->summary);
        bool own = s->has_target && run->o.target == s->target;
        if (run->o.has_target && run->metric->target_col && own)
            pccs_table_note(&run->table, "target: %.0f (%s of the last point)",
                            run->o.target, run->metric->target_col);
        else if (run->o.has_target)
            pccs_table_note(&run->table, "target: %g (given)", run->o.target);
        if (run->o.has_floor && run->metric->floor_zero)
            pccs_table_note(&run->table, "lower limits floored at %g: %s",
                            run->o.floor, run->metric->floor_zero);
        for (size_t i = 0; i < s->nnotes; i++)
            pccs_table_note(&run->table, "%s", s->notes[i]);
    }
    else
        pccs_table_note(&run->table, "input: %s (%zu points)", run->what, s->n);
    return PCCS_OK;
}

void
pccs_spc_run_release(struct pccs_spc_run *run)
{
    free(run->what);
    pccs_series_release(&run->s);
    free(run->rebase);
    free(run->points);
    pccs_table_release(&run->table);
    memset(run, 0, sizeof(*run));
}
