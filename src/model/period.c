/* SPDX-License-Identifier: MIT */
/* Which loaded period a question uses (see model/period.h). */
#include "model/period.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "calc/period.h"

/* The loaded periods of a measure: dated snapshots and financial years. */
struct loaded {
    pccs_day *day;
    size_t nday, capday;
    int *fy;
    size_t nfy, capfy;
};

static int
loaded_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct loaded *l = ctx;
    pccs_day d;
    int y;
    if (strlen(f->period) == 10 &&
        pccs_date_parse(pccs_str_from(f->period), &d) == 0) {
        if (l->nday == l->capday) {
            l->capday = l->capday ? l->capday * 2 : 16;
            l->day = pccs_xreallocarray(l->day, l->capday, sizeof(*l->day));
        }
        l->day[l->nday++] = d;
    }
    else if (pccs_fy_parse(pccs_str_from(f->period), &y) == 0) {
        if (l->nfy == l->capfy) {
            l->capfy = l->capfy ? l->capfy * 2 : 16;
            l->fy = pccs_xreallocarray(l->fy, l->capfy, sizeof(*l->fy));
        }
        l->fy[l->nfy++] = y;
    }
    return 0;
}

static int
load(struct pccs_store *st, const char *measure, struct loaded *l,
     struct pccs_err *err)
{
    memset(l, 0, sizeof(*l));
    return pccs_store_periods_each(st, measure, loaded_cb, l, err);
}

static void
release(struct loaded *l)
{
    free(l->day);
    free(l->fy);
    memset(l, 0, sizeof(*l));
}

static void
clear(struct pccs_period_pick *p)
{
    memset(p, 0, sizeof(*p));
}

static void
set_day(char *buf, size_t len, pccs_day d)
{
    char s[16];
    pccs_date_format(d, s);
    snprintf(buf, len, "%s", s);
}

static void
set_fy(char *buf, size_t len, int y)
{
    char s[8];
    pccs_fy_format(y, s);
    snprintf(buf, len, "%s", s);
}

/* The pick found period (exact: the one wanted); returns exact. */
static bool
found(struct pccs_period_pick *out, const char *period, bool exact)
{
    out->found = true;
    snprintf(out->period, sizeof(out->period), "%s", period);
    out->exact = exact;
    return exact;
}

static bool
found_day(struct pccs_period_pick *out, pccs_day d, bool exact)
{
    char s[16];
    pccs_date_format(d, s);
    return found(out, s, exact);
}

static bool
found_fy(struct pccs_period_pick *out, int y, bool exact)
{
    char s[8];
    pccs_fy_format(y, s);
    return found(out, s, exact);
}

int
pccs_period_latest(struct pccs_store *st, const char *measure,
                   struct pccs_period_pick *out, struct pccs_err *err)
{
    return pccs_period_as_at(st, measure, PCCS_DAY_NONE, out, err);
}

/* What a pick asks for: the measure, and the day or year wanted. */
struct ask {
    const char *measure;
    pccs_day day;
    int fy;
};

typedef void pick_fn(const struct loaded *l, const struct ask *a,
                     struct pccs_period_pick *out);

/* Load the measure's periods and pick from them with fn. */
static int
pick(struct pccs_store *st, pick_fn *fn, const struct ask *a,
     struct pccs_period_pick *out, struct pccs_err *err)
{
    struct loaded l;
    clear(out);
    int rc = load(st, a->measure, &l, err);
    if (!rc)
        fn(&l, a, out);
    release(&l);
    return rc;
}

static void
as_at_in(const struct loaded *l, const struct ask *a,
         struct pccs_period_pick *out)
{
    pccs_day day = a->day;
    int i = pccs_period_on_or_before(l->day, l->nday, day);
    if (i >= 0)
        found_day(out, l->day[i], day == PCCS_DAY_NONE || l->day[i] == day);
    if (day != PCCS_DAY_NONE)
        set_day(out->wanted, sizeof(out->wanted), day);
    else
        snprintf(out->wanted, sizeof(out->wanted), "%s", out->period);
    if (out->found && !out->exact)
        snprintf(out->note, sizeof(out->note), "%s at %s used in place of %s",
                 a->measure, out->period, out->wanted);
}

int
pccs_period_as_at(struct pccs_store *st, const char *measure, pccs_day day,
                  struct pccs_period_pick *out, struct pccs_err *err)
{
    return pick(st, as_at_in, &(struct ask){.measure = measure, .day = day},
                out, err);
}

static void
year_earlier_in(const struct loaded *l, const struct ask *a,
                struct pccs_period_pick *out)
{
    int i = pccs_period_year_before(l->day, l->nday, a->day);
    int y, m, d;
    pccs_date_to_ymd(a->day, &y, &m, &d);
    pccs_day want = pccs_date_valid(y - 1, m, d)
                        ? pccs_date_from_ymd(y - 1, m, d)
                        : a->day - 365;
    set_day(out->wanted, sizeof(out->wanted), want);
    if (i >= 0 && !found_day(out, l->day[i], l->day[i] == want))
        snprintf(out->note, sizeof(out->note),
                 "%s at %s used in place of %s (12 months earlier)", a->measure,
                 out->period, out->wanted);
}

int
pccs_period_year_earlier(struct pccs_store *st, const char *measure,
                         pccs_day day, struct pccs_period_pick *out,
                         struct pccs_err *err)
{
    return pick(st, year_earlier_in,
                &(struct ask){.measure = measure, .day = day}, out, err);
}

int
pccs_period_latest_fy(struct pccs_store *st, const char *measure, int *fy,
                      struct pccs_err *err)
{
    struct loaded l;
    *fy = -1;
    int rc = load(st, measure, &l, err);
    for (size_t i = 0; !rc && i < l.nfy; i++)
        if (l.fy[i] > *fy)
            *fy = l.fy[i];
    release(&l);
    return rc;
}

static void
census_in(const struct loaded *l, const struct ask *a,
          struct pccs_period_pick *out)
{
    set_fy(out->wanted, sizeof(out->wanted), a->fy);
    int i = pccs_period_within_fy(l->day, l->nday, a->fy);
    if (i >= 0 && !found_day(out, l->day[i], pccs_fy_of(l->day[i]) == a->fy))
        snprintf(out->note, sizeof(out->note),
                 "census of %s used in place of one within %s (none loaded)",
                 out->period, out->wanted);
}

int
pccs_period_census(struct pccs_store *st, const char *measure, int fy,
                   struct pccs_period_pick *out, struct pccs_err *err)
{
    return pick(st, census_in, &(struct ask){.measure = measure, .fy = fy}, out,
                err);
}

static int
des_registered(struct pccs_store *st, pccs_day day,
               struct pccs_period_pick *out, struct pccs_err *err)
{
    struct loaded l;
    int rc = load(st, "registered", &l, err);
    if (rc) {
        release(&l);
        return rc;
    }
    /* Snapshots first, so a payments year taken as at the same 1 January
     * loses the tie. */
    size_t n = l.nday + l.nfy;
    pccs_day *c = pccs_xcalloc(n + 1, sizeof(*c));
    if (l.nday)
        memcpy(c, l.day, l.nday * sizeof(*c));
    for (size_t i = 0; i < l.nfy; i++)
        c[l.nday + i] = pccs_date_from_ymd(l.fy[i] + 1, 1, 1);
    int i = pccs_period_on_or_before(c, n, day);
    if (i >= 0 && (size_t)i < l.nday) {
        if (!found_day(out, c[i], c[i] == day))
            snprintf(out->note, sizeof(out->note),
                     "list at %s used in place of %s", out->period,
                     out->wanted);
    }
    else if (i >= 0) {
        found_fy(out, l.fy[(size_t)i - l.nday], false);
        snprintf(out->note, sizeof(out->note),
                 "list of the %s payments file (last known figure) used in "
                 "place of the list at %s",
                 out->period, out->wanted);
    }
    free(c);
    release(&l);
    return PCCS_OK;
}

static void
fy_for_in(const struct loaded *l, const struct ask *a,
          struct pccs_period_pick *out)
{
    set_fy(out->wanted, sizeof(out->wanted), pccs_fy_of(a->day));
    int i = pccs_period_fy_for_day(l->fy, l->nfy, a->day);
    if (i < 0 || found_fy(out, l->fy[i], l->fy[i] == pccs_fy_of(a->day)))
        return;
    char d[16];
    pccs_date_format(a->day, d);
    if (strcmp(a->measure, "weighted") == 0)
        snprintf(out->note, sizeof(out->note),
                 "weighted population of the %s payments file "
                 "used in place of %s (the year containing %s)",
                 out->period, out->wanted, d);
    else
        snprintf(out->note, sizeof(out->note),
                 "%s of %s used in place of %s (the year "
                 "containing %s)",
                 a->measure, out->period, out->wanted, d);
}

int
pccs_period_fy_for(struct pccs_store *st, const char *measure, pccs_day day,
                   struct pccs_period_pick *out, struct pccs_err *err)
{
    int rc = pick(st, fy_for_in, &(struct ask){.measure = measure, .day = day},
                  out, err);
    if (rc)
        set_fy(out->wanted, sizeof(out->wanted), pccs_fy_of(day));
    return rc;
}

int
pccs_period_des_population(struct pccs_store *st, enum pccs_period_pop pop,
                           int fy, struct pccs_period_pick *out,
                           struct pccs_err *err)
{
    clear(out);
    pccs_day day = pccs_period_des_day(fy);
    set_day(out->wanted, sizeof(out->wanted), day);
    if (pop == PCCS_PERIOD_REGISTERED)
        return des_registered(st, day, out, err);
    int rc = pccs_period_fy_for(st, "weighted", day, out, err);
    set_day(out->wanted, sizeof(out->wanted), day);
    return rc;
}
