/* SPDX-License-Identifier: MIT */
/*
 * The enhanced-access table (issue 19): for each PCN (within --in) and
 * each week (Monday to Sunday, --from to --to, else the weeks its slots
 * span), the minutes the Network Contract DES requires (minutes per
 * 1,000 adjusted population per week, data/rates/pcn.csv, times the
 * PCN's adjusted population estimate of the week's financial year, as
 * the entitlements table has them), against the minutes its hub offered
 * (the slots of its sessions in the access_sessions register, less
 * those withdrawn when their session left the register), booked
 * (appointments not cancelled) and delivered (appointments attended).
 * A practice's own sessions are not the PCN's enhanced access.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "calc/booking.h"
#include "calc/entitlements.h"
#include "model/build.h"
#include "model/entitlements.h"
#include "model/tables.h"

/* Minutes of one PCN in one week. */
struct ea_week {
    int pcn;
    pccs_day week;
    double offered, booked, delivered;
};

struct ea {
    const struct pccs_tree *t;
    int in;
    pccs_day at, from, to;
    struct ea_week *w;
    size_t n, cap;
};

static struct ea_week *
week_of(struct ea *e, int pcn, pccs_day week)
{
    for (size_t i = e->n; i-- > 0;)
        if (e->w[i].pcn == pcn && e->w[i].week == week)
            return &e->w[i];
    e->w = pccs_xgrow(e->w, &e->cap, e->n + 1, sizeof(*e->w));
    e->w[e->n] = (struct ea_week){.pcn = pcn, .week = week};
    return &e->w[e->n++];
}

/* The PCN and week of a slot of org at local time start, or NULL. */
static struct ea_week *
slot_week(struct ea *e, const char *org, const char *start)
{
    int o = pccs_tree_find(e->t, org);
    pccs_day d;
    if (o < 0 || e->t->orgs[o].level != PCCS_PCN ||
        pccs_date_parse((struct pccs_str){.p = start, .len = 10}, &d))
        return NULL;
    if ((e->from != PCCS_DAY_NONE && d < e->from) ||
        (e->to != PCCS_DAY_NONE && d > e->to))
        return NULL;
    if (!pccs_build_within(e->t, o, e->in, e->at, 0))
        return NULL;
    return week_of(e, o, pccs_week_start(d));
}

static int
offered_row(void *ctx, const struct pccs_slot_row *s)
{
    if (!strcmp(s->status, "entered-in-error"))
        return 0; /* withdrawn: its session left the register */
    struct ea_week *w = slot_week(ctx, s->org, s->start);
    if (w)
        w->offered += (double)s->minutes;
    return 0;
}

static int
booked_row(void *ctx, const struct pccs_appt_row *a)
{
    struct ea_week *w = slot_week(ctx, a->org, a->start);
    if (w && strcmp(a->status, "cancelled"))
        w->booked += (double)a->minutes;
    if (w && !strcmp(a->status, "fulfilled"))
        w->delivered += (double)a->minutes;
    return 0;
}

static int
cmp_week(const void *a, const void *b)
{
    const struct ea_week *x = a, *y = b;
    if (x->pcn != y->pcn)
        return x->pcn < y->pcn ? -1 : 1;
    return (x->week > y->week) - (x->week < y->week);
}

/* The required minutes of pcn for financial year fy, from the latest
 * year up to fy whose rate and population are known; *used that year. */
static double
required(struct pccs_store *st, const struct pccs_tree *t, int pcn, int fy,
         int *used)
{
    for (int y = fy; y > fy - 4; y--) {
        struct pccs_ent_year ey;
        struct pccs_err err = PCCS_ERR_INIT;
        int rc = pccs_ent_year_load(st, t, t->orgs[pcn].code, y, &ey, &err);
        double v = NAN;
        for (size_t i = 0; !rc && i < ey.npcns; i++)
            if (ey.pcns[i].row->org == pcn && !isnan(ey.minutes_rate))
                v = pccs_ent_minutes(ey.pcns[i].pop.adjusted, ey.minutes_rate);
        pccs_ent_year_release(&ey);
        if (!isnan(v)) {
            *used = y;
            return v;
        }
    }
    *used = 0;
    return NAN;
}

static const struct pccs_build_col ea_cols[] = {
    PCCS_BUILD_ORG_COLS,
    PCCS_BUILD_TEXT("week"),
    PCCS_BUILD_NUM("required_minutes", 0),
    PCCS_BUILD_NUM("offered_minutes", 0),
    PCCS_BUILD_NUM("booked_minutes", 0),
    PCCS_BUILD_NUM("delivered_minutes", 0),
    PCCS_BUILD_NUM("offered_pct_required", 1),
    PCCS_BUILD_NUM("delivered_pct_required", 1),
};

static void
pct(struct pccs_table *out, double v, double of)
{
    if (isnan(of) || of <= 0)
        pccs_table_null(out);
    else
        pccs_table_num(out, 100.0 * v / of);
}

/* One row per PCN and week, with the required minutes of its year. */
static void
emit(struct pccs_store *st, struct ea *e, struct pccs_table *out)
{
    int last_pcn = -1, last_fy = 0, used = 0;
    double req = NAN;
    for (size_t i = 0; i < e->n; i++) {
        const struct ea_week *w = &e->w[i];
        int fy = pccs_fy_of(w->week);
        if (w->pcn != last_pcn || fy != last_fy) {
            req = required(st, e->t, w->pcn, fy, &used);
            char a[8], b[8];
            pccs_fy_format(fy, a);
            pccs_fy_format(used, b);
            if (used && used != fy)
                pccs_table_note(out,
                                "%s %s: required minutes use %s's rate and "
                                "adjusted population (the latest known)",
                                e->t->orgs[w->pcn].code, a, b);
            last_pcn = w->pcn;
            last_fy = fy;
        }
        char week[16];
        pccs_date_format(w->week, week);
        pccs_build_org_row(out, e->t, w->pcn,
                           pccs_tree_up(e->t, w->pcn, e->at, 0), e->at);
        pccs_table_text(out, week);
        if (isnan(req))
            pccs_table_null(out);
        else
            pccs_table_num(out, req);
        pccs_table_num(out, w->offered);
        pccs_table_num(out, w->booked);
        pccs_table_num(out, w->delivered);
        pct(out, w->offered, req);
        pct(out, w->delivered, req);
    }
}

/* --from or --to (checked by query.c): a day, or a financial year's
 * first (or, for to, last) day; PCCS_DAY_NONE when not given. */
static pccs_day
bound(const char *s, bool last)
{
    pccs_day d;
    int fy;
    if (!s)
        return PCCS_DAY_NONE;
    if (!pccs_date_parse(pccs_str_from(s), &d))
        return d;
    if (!pccs_fy_parse(pccs_str_from(s), &fy))
        return last ? pccs_fy_start(fy + 1) - 1 : pccs_fy_start(fy);
    return PCCS_DAY_NONE;
}

int
pccs_enhanced_access_table(struct pccs_store *st, const struct pccs_tree *t,
                           const struct pccs_table_query *q,
                           struct pccs_table *out, struct pccs_err *err)
{
    /* The title names the xlsx sheet: no ':' (nor [ ] * ? / \). */
    pccs_table_init(out, "Enhanced access minutes by PCN and week");
    struct ea e = {.t = t,
                   .at = pccs_tree_default_day(t),
                   .from = bound(q->from, false),
                   .to = bound(q->to, true)};
    int rc = pccs_build_in(t, q->in, &e.in, err);
    if (!rc)
        rc = pccs_store_slots_each(st, NULL, offered_row, &e, err);
    if (!rc)
        rc = pccs_store_appts_each(st, NULL, booked_row, &e, err);
    PCCS_BUILD_COLS(out, ea_cols);
    if (!rc) {
        if (e.n > 1)
            qsort(e.w, e.n, sizeof(*e.w), cmp_week);
        emit(st, &e, out);
        pccs_table_note(out, "offered: the minutes of the slots of the PCN's "
                             "own (hub) sessions, local register "
                             "access_sessions; booked: appointments not "
                             "cancelled; delivered: attended (fulfilled)");
        pccs_table_note(out, "required = adjusted population / 1000 x "
                             "enhanced_access_minutes_per_1000 a week "
                             "(data/rates/pcn.csv: Network Contract DES, "
                             "60 minutes per 1,000 adjusted population; "
                             "reference rules.md 2.4)");
    }
    free(e.w);
    return rc;
}
