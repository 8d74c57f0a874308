/* SPDX-License-Identifier: MIT */
/*
 * The capacity table: per organisation and month, appointments (GPAD) per
 * 1,000 registered patients, attended per 1,000, the DNA, face-to-face and
 * GP shares, and the growth in appointments over 12 months beside the
 * growth in the registered list over the same 12 months. The registered
 * list of a month is the month's own registrations snapshot, else the
 * nearest earlier one (else, before the first snapshot, the earliest),
 * named in the column list_at and in a note for each run of months; list
 * growth needs two different snapshots 330 to 400 days apart.
 */
#include "model/tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hmap.h"
#include "base/xalloc.h"
#include "calc/capacity.h"
#include "model/build.h"

#define MAX_MONTHS 240
#define MAX_SNAPS 64

struct periods {
    char p[MAX_MONTHS][16];
    pccs_day d[MAX_MONTHS];
    size_t n;
};

static int
period_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct periods *ps = ctx;
    pccs_day d;
    if (ps->n < MAX_MONTHS && strlen(f->period) == 10 &&
        !pccs_date_parse(pccs_str_from(f->period), &d)) {
        snprintf(ps->p[ps->n], 16, "%s", f->period);
        ps->d[ps->n++] = d;
    }
    return 0;
}

struct snap_load {
    struct pccs_hmap *m; /* practice -> registered */
};

static int
reg_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct snap_load *s = ctx;
    pccs_hmap_put(s->m, f->org, strlen(f->org), NULL)->ival =
        (int64_t)llround(f->value * 100);
    return 0;
}

enum { S_TOTAL, S_ATT, S_DNA, S_F2F, S_GP, S_REG, S_PRAC, S_N };

struct cell {
    double v[S_N];
    int snap;          /* snapshot used for the list */
    pccs_day list_day; /* its date */
};

struct mctx {
    const struct pccs_tree *t;
    enum pccs_level level;
    int in_org;
    pccs_day at;
    struct pccs_hmap *reg;  /* the month's snapshot */
    struct pccs_hmap seenp; /* practices counted this month */
    struct cell *cells;     /* norgs */
    int64_t source;
    char last[32]; /* the practice of the previous fact */
    int group;     /* its organisation at the level, or -1 */
};

static int
appt_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct mctx *c = ctx;
    /* A practice's marginals come together: look it up once. */
    if (strcmp(f->org, c->last) != 0) {
        size_t n = strlen(f->org);
        if (n >= sizeof(c->last))
            n = sizeof(c->last) - 1;
        memcpy(c->last, f->org, n);
        c->last[n] = '\0';
        c->group = pccs_build_group(c->t, f->org, c->in_org, c->level, c->at,
                                    f->source_id);
        if (c->group < 0)
            return 0;
        bool created;
        pccs_hmap_put(&c->seenp, f->org, strlen(f->org), &created);
        if (created) {
            struct pccs_hmap_entry *r =
                pccs_hmap_get(c->reg, f->org, strlen(f->org));
            if (r)
                c->cells[c->group].v[S_REG] += (double)r->ival / 100.0;
            c->cells[c->group].v[S_PRAC] += 1;
        }
    }
    if (c->group < 0)
        return 0;
    struct cell *cl = &c->cells[c->group];
    c->source = f->source_id;
    /* The loader's per-month marginals: "all", "APPT_STATUS=DNA", ...;
     * the five summed told apart with one string comparison. */
    static const char status[] = "APPT_STATUS=";
    const char *d = f->dim, *want = NULL;
    int slot = -1;
    if (d[0] == 'a') {
        want = "all";
        slot = S_TOTAL;
    }
    else if (d[0] == 'H') {
        want = "HCP_TYPE=GP";
        slot = S_GP;
    }
    else if (strncmp(d, status, sizeof(status) - 1) == 0) {
        d += sizeof(status) - 1;
        want = d[0] == 'A' ? "Attended" : "DNA";
        slot = d[0] == 'A' ? S_ATT : S_DNA;
    }
    else if (d[0] == 'A') {
        want = "APPT_MODE=Face-to-Face";
        slot = S_F2F;
    }
    if (want && strcmp(d, want) == 0)
        cl->v[slot] += f->value;
    return 0;
}

/* Everything the table is built from. */
struct cap {
    struct periods months, snaps;
    struct pccs_hmap regs[MAX_SNAPS]; /* per snapshot: practice -> list */
    struct cell *all;                 /* months x (norgs + 1) */
    int msnap[MAX_MONTHS];            /* the snapshot of each month */
    int64_t source;
};

/* Keep the month asked for and the same month a year before. */
static int
keep_period(struct periods *months, const char *period, struct pccs_err *err)
{
    pccs_day want;
    if (pccs_date_parse(pccs_str_from(period), &want))
        return pccs_err_set(err, PCCS_EINVAL,
                            "--period for capacity is a month such as "
                            "2022-03-01, not %s",
                            period);
    int wy, wm, wd;
    pccs_date_to_ymd(want, &wy, &wm, &wd);
    pccs_day before = pccs_date_from_ymd(wy - 1, wm, wd);
    size_t k = 0;
    for (size_t i = 0; i < months->n; i++)
        if (months->d[i] == want || months->d[i] == before) {
            memmove(months->p[k], months->p[i], sizeof(months->p[k]));
            months->d[k++] = months->d[i];
        }
    months->n = k;
    if (!k || months->d[k - 1] != want)
        return pccs_err_set(err, PCCS_ENOTFOUND, "no appointments for %s",
                            period);
    return PCCS_OK;
}

/* The months of appointments and the registrations snapshots loaded. */
static int
gather_periods(struct pccs_store *st, const struct pccs_table_query *q,
               struct cap *cp, struct pccs_err *err)
{
    int rc = pccs_store_periods_each(st, "appointments_marginal", period_cb,
                                     &cp->months, err);
    if (!rc)
        rc = pccs_store_periods_each(st, "registered", period_cb, &cp->snaps,
                                     err);
    if (rc)
        return rc;
    if (!cp->months.n)
        return pccs_err_set(err, PCCS_ENOTFOUND,
                            "no appointments loaded: load Appointments in "
                            "General Practice files (or pccs synth "
                            "appointments)");
    if (!cp->snaps.n)
        return pccs_err_set(err, PCCS_ENOTFOUND,
                            "no registrations snapshot loaded");
    if (q->period)
        rc = keep_period(&cp->months, q->period, err);
    if (rc)
        return rc;
    if (cp->snaps.n > MAX_SNAPS)
        cp->snaps.n = MAX_SNAPS;
    for (size_t k = 0; k < cp->snaps.n; k++) {
        struct snap_load sl = {&cp->regs[k]};
        rc = pccs_store_facts_each(st, "registered", cp->snaps.p[k], NULL,
                                   reg_cb, &sl, err);
        if (rc)
            return rc;
    }
    return PCCS_OK;
}

/* Appointments and lists per organisation at level, month by month. */
static int
gather_months(struct pccs_store *st, const struct pccs_tree *t,
              enum pccs_level level, int in_org, struct cap *cp,
              struct pccs_err *err)
{
    size_t no = t->norgs + 1;
    cp->all = pccs_xcalloc(cp->months.n * no, sizeof(*cp->all));
    for (size_t m = 0; m < cp->months.n; m++) {
        int sk = (int)pccs_capacity_snapshot(cp->snaps.d, cp->snaps.n,
                                             cp->months.d[m]);
        struct mctx c = {.t = t,
                         .level = level,
                         .in_org = in_org,
                         .at = cp->months.d[m],
                         .reg = &cp->regs[sk],
                         .seenp = PCCS_HMAP_INIT,
                         .cells = cp->all + m * no,
                         .source = 0,
                         .last = "",
                         .group = -1};
        int rc = pccs_store_facts_each(st, "appointments_marginal",
                                       cp->months.p[m], NULL, appt_cb, &c, err);
        pccs_hmap_release(&c.seenp);
        if (rc)
            return rc;
        cp->msnap[m] = sk;
        for (size_t o = 0; o < t->norgs; o++) {
            c.cells[o].snap = sk;
            c.cells[o].list_day = cp->snaps.d[sk];
        }
        if (c.source)
            cp->source = c.source;
    }
    return PCCS_OK;
}

static struct pccs_capacity_month
month_of(const struct cell *c)
{
    return (struct pccs_capacity_month){.total = c->v[S_TOTAL],
                                        .attended = c->v[S_ATT],
                                        .dna = c->v[S_DNA],
                                        .f2f = c->v[S_F2F],
                                        .gp = c->v[S_GP],
                                        .registered = c->v[S_REG],
                                        .practices = c->v[S_PRAC],
                                        .snapshot = c->snap,
                                        .list_day = c->list_day};
}

/* The same month a year before month m, if loaded. */
static const struct cell *
year_before(const struct cap *cp, size_t no, size_t m, int o)
{
    const struct cell *p = NULL;
    for (size_t mm = 0; mm < m; mm++) {
        int y1, m1, d1, y2, m2, d2;
        pccs_date_to_ymd(cp->months.d[mm], &y1, &m1, &d1);
        pccs_date_to_ymd(cp->months.d[m], &y2, &m2, &d2);
        if (y1 + 1 == y2 && m1 == m2)
            p = &cp->all[mm * no + (size_t)o];
    }
    return p;
}

static const struct pccs_build_col cap_cols[] = {
    PCCS_BUILD_ORG_COLS,
    PCCS_BUILD_TEXT("month"),
    PCCS_BUILD_INT("practices"),
    PCCS_BUILD_NUM("registered", 0),
    PCCS_BUILD_NUM("appointments", 0),
    PCCS_BUILD_NUM("per_1000", 2),
    PCCS_BUILD_NUM("attended_per_1000", 2),
    PCCS_BUILD_NUM("dna_pct", 2),
    PCCS_BUILD_NUM("face_to_face_pct", 2),
    PCCS_BUILD_NUM("gp_pct", 2),
    PCCS_BUILD_NUM("appointments_growth_12m_pct", 2),
    PCCS_BUILD_NUM("list_growth_12m_pct", 2),
    PCCS_BUILD_TEXT("list_at")};

/* One organisation's rows: each month with appointments. */
static void
emit_org(struct pccs_table *out, const struct pccs_tree *t,
         const struct cap *cp, int o, bool last_only)
{
    size_t no = t->norgs + 1, nm = cp->months.n;
    int parent = pccs_tree_up(t, o, cp->months.d[nm - 1], 0);
    for (size_t m = 0; m < nm; m++) {
        const struct cell *c = &cp->all[m * no + (size_t)o];
        if (c->v[S_TOTAL] <= 0 || (last_only && m + 1 != nm))
            continue;
        const struct cell *p = year_before(cp, no, m, o);
        struct pccs_capacity_month now = month_of(c);
        struct pccs_capacity_month before = p ? month_of(p) : now;
        struct pccs_capacity_rates r =
            pccs_capacity_rates(&now, p ? &before : NULL);
        pccs_build_org_row(out, t, o, parent, cp->months.d[m]);
        pccs_table_text(out, cp->months.p[m]);
        pccs_table_int(out, (int64_t)now.practices);
        pccs_table_num(out, now.registered);
        pccs_table_num(out, now.total);
        pccs_table_num(out, r.per_1000);
        pccs_table_num(out, r.attended_per_1000);
        pccs_table_num(out, r.dna_pct);
        pccs_table_num(out, r.f2f_pct);
        pccs_table_num(out, r.gp_pct);
        pccs_table_num(out, r.growth_12m_pct);
        pccs_table_num(out, r.list_growth_12m_pct);
        pccs_table_text(out, cp->snaps.p[c->snap]);
    }
}

/* Which list the months from..to (one snapshot, sk) use, and why. */
static void
note_run(struct pccs_table *out, const struct cap *cp, size_t from, size_t to,
         int sk)
{
    pccs_day s = cp->snaps.d[sk];
    const char *why;
    if (s > cp->months.d[from])
        why = "the earliest snapshot loaded, later than these months "
              "(none on or before them)";
    else if (s == cp->months.d[from] && from == to)
        why = "the month's own snapshot";
    else if (s == cp->months.d[from])
        why = "the first month's own snapshot, the nearest earlier one for "
              "the others";
    else
        why = "the nearest earlier snapshot (none of their own loaded)";
    if (from == to)
        pccs_table_note(out, "registered, %s: the list at %s, %s",
                        cp->months.p[from], cp->snaps.p[sk], why);
    else
        pccs_table_note(out, "registered, %s to %s: the list at %s, %s",
                        cp->months.p[from], cp->months.p[to], cp->snaps.p[sk],
                        why);
}

/* A note for each run of months on one registrations snapshot. */
static void
note_lists(struct pccs_table *out, const struct cap *cp)
{
    size_t from = 0;
    for (size_t m = 1; m <= cp->months.n; m++) {
        if (m < cp->months.n && cp->msnap[m] == cp->msnap[from] &&
            cp->snaps.d[cp->msnap[m]] != cp->months.d[m])
            continue;
        note_run(out, cp, from, m - 1, cp->msnap[from]);
        from = m;
    }
    pccs_table_note(out,
                    "list_at: the registrations snapshot of the month's "
                    "list (loaded: %zu snapshot%s); list growth needs two "
                    "snapshots 330 to 400 days apart",
                    cp->snaps.n, cp->snaps.n == 1 ? "" : "s");
}

static void
emit(struct pccs_store *st, const struct pccs_tree *t, const struct cap *cp,
     bool last_only, struct pccs_table *out, struct pccs_err *err)
{
    size_t no = t->norgs + 1;
    int *rows = pccs_xcalloc(no, sizeof(*rows));
    size_t n = 0;
    for (size_t o = 0; o < t->norgs; o++) {
        for (size_t m = 0; m < cp->months.n; m++) {
            if (cp->all[m * no + o].v[S_TOTAL] > 0) {
                rows[n++] = (int)o;
                break;
            }
        }
    }
    pccs_tree_sort_by_code(t, rows, n);
    PCCS_BUILD_COLS(out, cap_cols);
    for (size_t k = 0; k < n; k++)
        emit_org(out, t, cp, rows[k], last_only);
    free(rows);
    struct pccs_source_info si;
    if (pccs_store_source_get(st, cp->source, &si, err) == PCCS_OK)
        pccs_table_note(out, "appointments: %s (%s, latest month %s)",
                        si.publication, si.path ? si.path : "?", si.period);
    pccs_err_clear(err);
    note_lists(out, cp);
    pccs_table_note(out, "per_1000 = appointments / registered x 1,000 for "
                         "the practices with appointments that month");
}

int
pccs_capacity_table(struct pccs_store *st, const struct pccs_tree *t,
                    const struct pccs_table_query *q, struct pccs_table *out,
                    struct pccs_err *err)
{
    struct cap *cp = pccs_xcalloc(1, sizeof(*cp));
    pccs_table_init(out, "capacity");
    enum pccs_level level = q->level == PCCS_LEVEL_NONE ? PCCS_ICB : q->level;
    int in_org;
    int rc = pccs_build_in(t, q->in, &in_org, err);
    if (!rc)
        rc = gather_periods(st, q, cp, err);
    if (!rc)
        rc = gather_months(st, t, level, in_org, cp, err);
    if (!rc)
        emit(st, t, cp, q->period != NULL, out, err);
    for (size_t k = 0; k < MAX_SNAPS; k++)
        pccs_hmap_release(&cp->regs[k]);
    free(cp->all);
    free(cp);
    return rc;
}
