/* SPDX-License-Identifier: MIT */
/*
 * The age-bands table: registered patients by five-year age band and sex
 * per organisation, rolled up from practices, from a registrations
 * snapshot by band (gp-reg-pat-prac-quin-age) or by single year of age
 * (sing-age, summed into bands). The population pyramid draws it.
 */
#include "model/tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "calc/ratio.h"
#include "model/build.h"
#include "model/period.h"
#include "model/population.h"

#define NBANDS PCCS_AGE_NBANDS

struct actx {
    const struct pccs_tree *t;
    enum pccs_level level;
    int in_org;
    pccs_day at;
    double (*v)[2][NBANDS]; /* per org: male, female */
    bool *any;
    int64_t source;
    struct pccs_build_memo memo;
};

/* atoi(s), the one or two digits an age starts with read inline. */
static int
one_or_two_digits(const char *s)
{
#define DIGIT(c) ((c) >= '0' && (c) <= '9')
    if (DIGIT(s[0]) && !DIGIT(s[1]))
        return s[0] - '0';
    if (DIGIT(s[0]) && DIGIT(s[1]) && !DIGIT(s[2]))
        return (s[0] - '0') * 10 + (s[1] - '0');
#undef DIGIT
    return atoi(s);
}

/* dim "M:0_4" / "F:95+" (bands) or "M:37" / "F:95+" (single years). */
static int
band_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct actx *c = ctx;
    int sex = f->dim[0] == 'M' ? 0 : f->dim[0] == 'F' ? 1 : -1;
    if (sex < 0 || f->dim[1] != ':')
        return 0;
    const char *a = f->dim + 2;
    int age = strcmp(a, "95+") == 0 ? 95 : one_or_two_digits(a);
    int b = age >= 95 ? NBANDS - 1 : age / 5;
    if (b < 0 || b >= NBANDS)
        return 0;
    int g = pccs_build_group_memo(&c->memo, c->t, f->org, c->in_org, c->level,
                                  c->at, f->source_id);
    if (g < 0)
        return 0;
    c->v[g][sex][b] += f->value;
    c->any[g] = true;
    c->source = f->source_id;
    return 0;
}

struct latest {
    char period[32];
    pccs_day d;
};

/* The latest snapshot of measure (model/period.h). */
static int
latest(struct pccs_store *st, const char *measure, struct latest *l,
       struct pccs_err *err)
{
    struct pccs_period_pick p;
    int rc = pccs_period_latest(st, measure, &p, err);
    if (!rc && p.found) {
        snprintf(l->period, sizeof(l->period), "%s", p.period);
        pccs_date_parse(pccs_str_from(p.period), &l->d);
    }
    return rc;
}

/* Registrations by band if loaded for the snapshot, else by single year. */
static int
gather(struct pccs_store *st, const struct pccs_table_query *q, struct actx *c,
       struct latest *l, const char **measure, struct pccs_err *err)
{
    int rc = PCCS_OK;
    *measure = "registered_band";
    if (q->period) {
        snprintf(l->period, sizeof(l->period), "%s", q->period);
        if (pccs_date_parse(pccs_str_from(q->period), &l->d))
            return pccs_err_set(err, PCCS_EINVAL,
                                "--period for age bands is a snapshot date "
                                "such as 2021-01-01, not %s",
                                q->period);
    }
    else {
        rc = latest(st, *measure, l, err);
        if (rc)
            return rc;
    }
    c->at = q->at != PCCS_DAY_NONE ? q->at : l->d;
    if (l->period[0])
        rc = pccs_store_facts_each(st, *measure, l->period, NULL, band_cb, c,
                                   err);
    if (!rc && !c->source) {
        *measure = "registered_age";
        if (!q->period)
            rc = latest(st, *measure, l, err);
        if (rc)
            return rc;
        c->at = q->at != PCCS_DAY_NONE ? q->at : l->d;
        if (l->period[0])
            rc = pccs_store_facts_each(st, *measure, l->period, NULL, band_cb,
                                       c, err);
    }
    if (rc)
        return rc;
    if (!c->source)
        return pccs_err_set(err, PCCS_ENOTFOUND,
                            "no registrations by age and sex%s%s: load "
                            "gp-reg-pat-prac-quin-age or the sing-age files",
                            q->period ? " for " : "",
                            q->period ? q->period : "");
    return PCCS_OK;
}

static const struct pccs_build_col age_cols[] = {
    PCCS_BUILD_ORG_COLS,
    PCCS_BUILD_TEXT("band"),
    PCCS_BUILD_NUM("male", 0),
    PCCS_BUILD_NUM("female", 0),
    PCCS_BUILD_NUM("total", 0),
    PCCS_BUILD_NUM("male_pct", 2),
    PCCS_BUILD_NUM("female_pct", 2),
    PCCS_BUILD_TEXT("snapshot")};

/* An organisation's twenty bands, in percent of its patients. */
static void
emit_org(struct pccs_table *out, const struct pccs_tree *t,
         const struct actx *c, int o, const char *snapshot)
{
    double all = 0;
    for (int b = 0; b < NBANDS; b++)
        all += c->v[o][0][b] + c->v[o][1][b];
    int parent = pccs_tree_up(t, o, c->at, 0);
    for (int b = 0; b < NBANDS; b++) {
        char band[16];
        if (b == NBANDS - 1)
            snprintf(band, sizeof(band), "95+");
        else
            snprintf(band, sizeof(band), "%d-%d", b * 5, b * 5 + 4);
        double m = c->v[o][0][b], f = c->v[o][1][b];
        pccs_build_org_row(out, t, o, parent, c->at);
        pccs_table_text(out, band);
        pccs_table_num(out, m);
        pccs_table_num(out, f);
        pccs_table_num(out, m + f);
        pccs_table_num(out, all > 0 ? pccs_pct(m, all) : 0);
        pccs_table_num(out, all > 0 ? pccs_pct(f, all) : 0);
        pccs_table_text(out, snapshot);
    }
}

static void
emit(struct pccs_store *st, const struct pccs_tree *t, const struct actx *c,
     const char *measure, const char *snapshot, struct pccs_table *out,
     struct pccs_err *err)
{
    int *rows = pccs_xcalloc(t->norgs + 1, sizeof(*rows));
    size_t n = 0;
    for (size_t o = 0; o < t->norgs; o++)
        if (c->any[o])
            rows[n++] = (int)o;
    pccs_tree_sort_by_code(t, rows, n);
    PCCS_BUILD_COLS(out, age_cols);
    for (size_t k = 0; k < n; k++)
        emit_org(out, t, c, rows[k], snapshot);
    free(rows);
    pccs_build_source_note(out, st, c->source, "registered by age and sex",
                           snapshot, err);
    pccs_table_note(out,
                    "%s; percentages of the organisation's registered "
                    "patients of known age and sex",
                    strcmp(measure, "registered_age") == 0
                        ? "single years of age summed into five-year bands"
                        : "five-year bands as published");
    pccs_build_ogl_note(out);
}

int
pccs_age_bands_table(struct pccs_store *st, const struct pccs_tree *t,
                     const struct pccs_table_query *q, struct pccs_table *out,
                     struct pccs_err *err)
{
    struct actx c = {.t = t,
                     .level = q->level == PCCS_LEVEL_NONE ? PCCS_ICB : q->level,
                     .in_org = -1,
                     .at = PCCS_DAY_NONE,
                     .v = pccs_xcalloc(t->norgs + 1, sizeof(*c.v)),
                     .any = pccs_xcalloc(t->norgs + 1, sizeof(*c.any)),
                     .source = 0};
    struct latest l = {.period = "", .d = PCCS_DAY_NONE};
    const char *measure = NULL;
    pccs_table_init(out, "age-bands");
    int rc = pccs_build_in(t, q->in, &c.in_org, err);
    if (!rc)
        rc = gather(st, q, &c, &l, &measure, err);
    if (!rc)
        emit(st, t, &c, measure, l.period, out, err);
    free(c.v);
    free(c.any);
    return rc;
}

void
pccs_age_pyramid_of(const struct pccs_table *t, const char *code,
                    struct pccs_age_pyramid *out)
{
    enum { CODE, BAND, MALE, FEMALE, SNAPSHOT, NCOL };
    static const char *const names[NCOL] = {"code", "band", "male", "female",
                                            "snapshot"};
    int col[NCOL];
    memset(out, 0, sizeof(*out));
    out->snapshot = "";
    for (int k = 0; k < NCOL; k++) {
        col[k] = pccs_table_col_index(t, names[k]);
        if (col[k] < 0)
            return;
    }
    for (size_t r = 0; r < t->nrows && out->n < PCCS_AGE_NBANDS; r++) {
        const struct pccs_cell *c = pccs_table_cell(t, r, (size_t)col[CODE]);
        if (c->null || !c->text || strcmp(c->text, code) != 0)
            continue;
        out->band[out->n] = pccs_table_cell(t, r, (size_t)col[BAND])->text;
        out->male[out->n] = pccs_table_cell(t, r, (size_t)col[MALE])->num;
        out->female[out->n] = pccs_table_cell(t, r, (size_t)col[FEMALE])->num;
        out->snapshot = pccs_table_cell(t, r, (size_t)col[SNAPSHOT])->text;
        out->n++;
    }
}
