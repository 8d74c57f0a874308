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
 * A practice's own sessions are not the PCN's enhanced access. A week
 * with none between a PCN's first week and its last of a financial year
 * is a row of 0 minutes: no session that week, as the committee paper
 * counts it.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "calc/booking.h"
#include "calc/entitlements.h"
#include "model/build.h"
#include "model/enhanced_access.h"
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
    int by_pcn = (x->pcn > y->pcn) - (x->pcn < y->pcn);
    return by_pcn ? by_pcn : (x->week > y->week) - (x->week < y->week);
}

/*
 * A week without a slot or appointment between a PCN's first week and
 * its last of a financial year (its service period that year) is a week
 * of 0 minutes offered, booked and delivered: a row, so the SPC series
 * has its point at 0 as the committee paper counts it. A gap across
 * financial years is not filled (a service not yet started).
 */
static bool
same_period(const struct ea_week *a, const struct ea_week *b)
{
    return a->pcn == b->pcn && pccs_fy_of(a->week) == pccs_fy_of(b->week);
}

/* e->w is sorted by PCN, then week. */
static void
fill_empty_weeks(struct ea *e)
{
    size_t n = e->n;
    for (size_t i = 0; i + 1 < e->n; i++)
        if (same_period(&e->w[i], &e->w[i + 1]))
            n += (size_t)(e->w[i + 1].week - e->w[i].week) / 7 - 1;
    if (n == e->n)
        return;
    struct ea_week *w = pccs_xcalloc(n, sizeof(*w));
    size_t k = 0;
    for (size_t i = 0; i < e->n; i++) {
        w[k++] = e->w[i];
        if (i + 1 == e->n || !same_period(&e->w[i], &e->w[i + 1]))
            continue;
        for (pccs_day d = e->w[i].week + 7; d < e->w[i + 1].week; d += 7)
            w[k++] = (struct ea_week){.pcn = e->w[i].pcn, .week = d};
    }
    PCCS_ASSERT(k == n);
    free(e->w);
    e->w = w;
    e->n = e->cap = n;
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
        fill_empty_weeks(&e);
        emit(st, &e, out);
        pccs_table_note(out, "offered: the minutes of the slots of the PCN's "
                             "own (hub) sessions, local register "
                             "access_sessions; booked: appointments not "
                             "cancelled; delivered: attended (fulfilled); a "
                             "week with no session between a PCN's first "
                             "week and its last of a financial year is a "
                             "row of 0 minutes");
        pccs_table_note(out, "required = adjusted population / 1000 x "
                             "enhanced_access_minutes_per_1000 a week "
                             "(data/rates/pcn.csv: Network Contract DES, "
                             "60 minutes per 1,000 adjusted population; "
                             "reference rules.md 2.4)");
    }
    free(e.w);
    return rc;
}

/* ===== Over a financial year, for the committee report ===== */

enum { EA_CODE, EA_WEEK = 3, EA_REQ, EA_OFF, EA_BOOKED, EA_DELIV };

/* The week of row r of the enhanced-access table, as a day. */
static pccs_day
row_week(const struct pccs_table *tab, size_t r)
{
    pccs_day d;
    const char *w = pccs_table_cell(tab, r, EA_WEEK)->text;
    return w && !pccs_date_parse(pccs_str_from(w), &d) ? d : PCCS_DAY_NONE;
}

/*
 * The financial year: year if a row falls in it; else today's if one
 * does; else the latest with a row up to today's; else the latest.
 */
static int
period_fy(const struct pccs_table *tab, const char *year, const char *today)
{
    int want = 0, now = 0, upto = 0, latest = 0;
    pccs_day d;
    if (year)
        pccs_fy_parse(pccs_str_from(year), &want);
    if (today && !pccs_date_parse(pccs_str_from(today), &d))
        now = pccs_fy_of(d);
    bool seen = false;
    for (size_t r = 0; r < tab->nrows; r++) {
        d = row_week(tab, r);
        if (d == PCCS_DAY_NONE)
            continue;
        int fy = pccs_fy_of(d);
        seen |= want && fy == want;
        latest = fy > latest ? fy : latest;
        if (now && fy <= now && fy > upto)
            upto = fy;
    }
    return seen ? want : upto ? upto : latest;
}

static const struct pccs_build_col period_cols[] = {
    PCCS_BUILD_ORG_COLS,
    PCCS_BUILD_NUM("weeks", 0),
    PCCS_BUILD_NUM("required_minutes", 0),
    PCCS_BUILD_NUM("offered_minutes", 0),
    PCCS_BUILD_NUM("delivered_minutes", 0),
    PCCS_BUILD_NUM("offered_pct_required", 1),
    PCCS_BUILD_NUM("delivered_pct_required", 1),
};

/* One PCN's row: its sums over rows [a, b) of the table. */
static void
period_row(const struct pccs_tree *t, const struct pccs_table *tab, size_t a,
           size_t b, struct pccs_ea_period *p, pccs_day first)
{
    double req = NAN, off = 0, del = 0;
    for (size_t r = a; r < b; r++) {
        const struct pccs_cell *q = pccs_table_cell(tab, r, EA_REQ);
        if (!q->null)
            req = q->num; /* one value a financial year */
        size_t w = (size_t)(row_week(tab, r) - first) / 7;
        double o = pccs_table_cell(tab, r, EA_OFF)->num;
        double d = pccs_table_cell(tab, r, EA_DELIV)->num;
        off += o;
        del += d;
        p->offered[w] += o;
        p->delivered[w] += d;
    }
    double total = req * (double)p->nweeks;
    for (size_t w = 0; w < p->nweeks; w++)
        p->required[w] += req; /* NaN stays NaN */
    int o = pccs_tree_find(t, pccs_table_cell(tab, a, EA_CODE)->text);
    pccs_day at = pccs_tree_default_day(t);
    pccs_build_org_row(&p->pcns, t, o, pccs_tree_up(t, o, at, 0), at);
    pccs_table_num(&p->pcns, (double)p->nweeks);
    if (isnan(total))
        pccs_table_null(&p->pcns);
    else
        pccs_table_num(&p->pcns, total);
    pccs_table_num(&p->pcns, off);
    pccs_table_num(&p->pcns, del);
    pct(&p->pcns, off, total);
    pct(&p->pcns, del, total);
}

/* The weeks of year fy the table spans, and the rows of each PCN. */
static void
period_fill(const struct pccs_tree *t, const struct pccs_table *tab, int fy,
            struct pccs_ea_period *p)
{
    pccs_day first = PCCS_DAY_NONE, last = PCCS_DAY_NONE;
    for (size_t r = 0; r < tab->nrows; r++) {
        pccs_day d = row_week(tab, r);
        if (d == PCCS_DAY_NONE || pccs_fy_of(d) != fy)
            continue;
        first = first == PCCS_DAY_NONE || d < first ? d : first;
        last = last == PCCS_DAY_NONE || d > last ? d : last;
    }
    pccs_fy_format(fy, p->fy);
    pccs_date_format(first, p->from);
    pccs_date_format(last, p->to);
    p->nweeks = (size_t)(last - first) / 7 + 1;
    p->week = pccs_xcalloc(p->nweeks, sizeof(*p->week));
    p->required = pccs_xcalloc(p->nweeks, sizeof(double));
    p->offered = pccs_xcalloc(p->nweeks, sizeof(double));
    p->delivered = pccs_xcalloc(p->nweeks, sizeof(double));
    for (size_t w = 0; w < p->nweeks; w++)
        pccs_date_format(first + (pccs_day)(7 * w), p->week[w]);
    /* The table's rows come by PCN, then week. */
    for (size_t a = 0; a < tab->nrows;) {
        const char *code = pccs_table_cell(tab, a, EA_CODE)->text;
        size_t b = a, s = SIZE_MAX, e = 0;
        for (; b < tab->nrows &&
               !strcmp(pccs_table_cell(tab, b, EA_CODE)->text, code);
             b++)
            if (row_week(tab, b) != PCCS_DAY_NONE &&
                pccs_fy_of(row_week(tab, b)) == fy) {
                s = s == SIZE_MAX ? b : s;
                e = b + 1;
            }
        if (s != SIZE_MAX)
            period_row(t, tab, s, e, p, first);
        a = b;
    }
}

int
pccs_enhanced_access_period(struct pccs_store *st, const struct pccs_tree *t,
                            const char *in, const char *year, const char *today,
                            struct pccs_ea_period *out, bool *have,
                            struct pccs_err *err)
{
    memset(out, 0, sizeof(*out));
    *have = false;
    struct pccs_table_query q = {
        .level = PCCS_PCN, .in = in, .at = PCCS_DAY_NONE};
    struct pccs_table tab = {0};
    int rc = pccs_table_run(pccs_table_def_find("enhanced-access"), st, t, &q,
                            &tab, err);
    if (!rc && tab.nrows) {
        pccs_table_init(&out->pcns, "Enhanced access minutes by PCN");
        PCCS_BUILD_COLS(&out->pcns, period_cols);
        period_fill(t, &tab, period_fy(&tab, year, today), out);
        out->pcns.marks = tab.marks;
        for (size_t i = 0; i < tab.nnotes; i++)
            pccs_table_note(&out->pcns, "%s", tab.notes[i]);
        for (size_t i = 0; i < tab.nsources; i++)
            pccs_table_source(&out->pcns, tab.sources[i]);
        *have = true;
    }
    pccs_table_release(&tab);
    return rc;
}

void
pccs_ea_period_release(struct pccs_ea_period *p)
{
    pccs_table_release(&p->pcns);
    PCCS_FREE(p->week, p->required, p->offered, p->delivered);
    memset(p, 0, sizeof(*p));
}
