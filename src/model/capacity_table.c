/* SPDX-License-Identifier: MIT */
/*
 * The capacity table: per organisation and month, appointments (GPAD) per
 * 1,000 registered patients, attended per 1,000, the DNA, face-to-face and
 * GP shares, and the growth in appointments over 12 months beside the
 * growth in the registered list over the same 12 months. The registered
 * list of a month is the latest registrations snapshot on or before it (or
 * the earliest one); list growth needs two different snapshots.
 */
#include "model/tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hmap.h"
#include "base/xalloc.h"

int pccs_capacity_table(struct pccs_store *st, const struct pccs_tree *t,
                        const struct pccs_table_query *q,
                        struct pccs_table *out, struct pccs_err *err);

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
    int snap; /* snapshot used for the list */
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
        snprintf(c->last, sizeof(c->last), "%s", f->org);
        c->group = -1;
        int o = pccs_tree_find(c->t, f->org);
        if (o < 0)
            return 0;
        if (c->in_org >= 0 &&
            pccs_tree_ancestor(c->t, o, c->t->orgs[c->in_org].level, c->at,
                               f->source_id) != c->in_org)
            return 0;
        c->group = pccs_tree_ancestor(c->t, o, c->level, c->at, f->source_id);
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
    /* The loader's per-month marginals: "all", "APPT_STATUS=DNA", ... */
    static const struct {
        const char *dim;
        int slot;
    } want[] = {{"all", S_TOTAL},
                {"APPT_STATUS=Attended", S_ATT},
                {"APPT_STATUS=DNA", S_DNA},
                {"APPT_MODE=Face-to-Face", S_F2F},
                {"HCP_TYPE=GP", S_GP}};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        if (strcmp(f->dim, want[i].dim) == 0) {
            cl->v[want[i].slot] += f->value;
            break;
        }
    c->source = f->source_id;
    return 0;
}

int
pccs_capacity_table(struct pccs_store *st, const struct pccs_tree *t,
                    const struct pccs_table_query *q, struct pccs_table *out,
                    struct pccs_err *err)
{
    struct periods *months = pccs_xcalloc(1, sizeof(*months));
    struct periods *snaps = pccs_xcalloc(1, sizeof(*snaps));
    struct pccs_hmap regs[MAX_SNAPS];
    memset(regs, 0, sizeof(regs));
    struct cell *all = NULL;
    int rc;
    pccs_table_init(out, "capacity");
    enum pccs_level level = q->level == PCCS_LEVEL_NONE ? PCCS_ICB : q->level;
    int in_org = -1;
    if (q->in && (in_org = pccs_tree_find(t, q->in)) < 0) {
        rc =
            pccs_err_set(err, PCCS_ENOTFOUND, "unknown organisation %s", q->in);
        goto out;
    }
    rc = pccs_store_periods_each(st, "appointments_marginal", period_cb, months,
                                 err);
    if (!rc)
        rc = pccs_store_periods_each(st, "registered", period_cb, snaps, err);
    if (rc)
        goto out;
    if (!months->n) {
        rc = pccs_err_set(err, PCCS_ENOTFOUND,
                          "no appointments loaded: load Appointments in "
                          "General Practice files (or pccs synth "
                          "appointments)");
        goto out;
    }
    if (!snaps->n) {
        rc = pccs_err_set(err, PCCS_ENOTFOUND,
                          "no registrations snapshot loaded");
        goto out;
    }
    if (q->period) {
        /* One month (and the same month a year before, for growth). */
        pccs_day want;
        if (pccs_date_parse(pccs_str_from(q->period), &want)) {
            rc = pccs_err_set(err, PCCS_EINVAL,
                              "--period for capacity is a month such as "
                              "2022-03-01, not %s",
                              q->period);
            goto out;
        }
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
        if (!k || months->d[k - 1] != want) {
            rc = pccs_err_set(err, PCCS_ENOTFOUND, "no appointments for %s",
                              q->period);
            goto out;
        }
    }
    if (snaps->n > MAX_SNAPS)
        snaps->n = MAX_SNAPS;
    for (size_t k = 0; k < snaps->n; k++) {
        struct snap_load sl = {&regs[k]};
        rc = pccs_store_facts_each(st, "registered", snaps->p[k], NULL, reg_cb,
                                   &sl, err);
        if (rc)
            goto out;
    }
    size_t no = t->norgs + 1;
    all = pccs_xcalloc(months->n * no, sizeof(*all));
    int64_t source = 0;
    for (size_t m = 0; m < months->n; m++) {
        /* The latest snapshot on or before the month, else the earliest. */
        int sk = 0;
        for (size_t k = 0; k < snaps->n; k++) {
            if (snaps->d[k] <= months->d[m] &&
                (snaps->d[sk] > months->d[m] || snaps->d[k] > snaps->d[sk]))
                sk = (int)k;
            else if (snaps->d[sk] > months->d[m] && snaps->d[k] < snaps->d[sk])
                sk = (int)k;
        }
        struct mctx c = {t,
                         level,
                         in_org,
                         months->d[m],
                         &regs[sk],
                         PCCS_HMAP_INIT,
                         all + m * no,
                         0,
                         "",
                         -1};
        rc = pccs_store_facts_each(st, "appointments_marginal", months->p[m],
                                   NULL, appt_cb, &c, err);
        pccs_hmap_release(&c.seenp);
        if (rc)
            goto out;
        for (size_t o = 0; o < t->norgs; o++)
            c.cells[o].snap = sk;
        if (c.source)
            source = c.source;
    }
    int *rows = pccs_xcalloc(no, sizeof(*rows));
    size_t n = 0;
    for (size_t o = 0; o < t->norgs; o++) {
        for (size_t m = 0; m < months->n; m++) {
            if (all[m * no + o].v[S_TOTAL] > 0) {
                rows[n++] = (int)o;
                break;
            }
        }
    }
    pccs_tree_sort_by_code(t, rows, n);
    const char *cols[] = {"code",
                          "name",
                          "parent_code",
                          "month",
                          "practices",
                          "registered",
                          "appointments",
                          "per_1000",
                          "attended_per_1000",
                          "dna_pct",
                          "face_to_face_pct",
                          "gp_pct",
                          "appointments_growth_12m_pct",
                          "list_growth_12m_pct"};
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
        pccs_table_col(out, cols[i],
                       i < 4   ? PCCS_COL_TEXT
                       : i < 5 ? PCCS_COL_INT
                               : PCCS_COL_NUM,
                       i == 5 || i == 6 ? 0 : 2);
    for (size_t k = 0; k < n; k++) {
        int o = rows[k];
        int parent = pccs_tree_up(t, o, months->d[months->n - 1], 0);
        for (size_t m = 0; m < months->n; m++) {
            const struct cell *c = &all[m * no + (size_t)o];
            if (c->v[S_TOTAL] <= 0 || (q->period && m + 1 != months->n))
                continue;
            double tot = c->v[S_TOTAL], reg = c->v[S_REG];
            pccs_table_row(out);
            pccs_table_text(out, t->orgs[o].code);
            pccs_table_text(out, pccs_tree_name(t, o, months->d[m]));
            pccs_table_text(out, parent >= 0 ? t->orgs[parent].code : "");
            pccs_table_text(out, months->p[m]);
            pccs_table_int(out, (int64_t)c->v[S_PRAC]);
            pccs_table_num(out, reg);
            pccs_table_num(out, tot);
            pccs_table_num(out, reg > 0 ? tot / reg * 1000.0 : NAN);
            pccs_table_num(out, reg > 0 ? c->v[S_ATT] / reg * 1000.0 : NAN);
            pccs_table_num(out, c->v[S_DNA] / tot * 100.0);
            pccs_table_num(out, c->v[S_F2F] / tot * 100.0);
            pccs_table_num(out, c->v[S_GP] / tot * 100.0);
            /* The same month a year before, if loaded. */
            const struct cell *p = NULL;
            for (size_t mm = 0; mm < m; mm++) {
                int y1, m1, d1, y2, m2, d2;
                pccs_date_to_ymd(months->d[mm], &y1, &m1, &d1);
                pccs_date_to_ymd(months->d[m], &y2, &m2, &d2);
                if (y1 + 1 == y2 && m1 == m2)
                    p = &all[mm * no + (size_t)o];
            }
            bool grow = p && p->v[S_TOTAL] > 0;
            pccs_table_num(out, grow ? (tot / p->v[S_TOTAL] - 1) * 100.0 : NAN);
            bool lgrow = grow && p->snap != c->snap && p->v[S_REG] > 0;
            pccs_table_num(out, lgrow ? (reg / p->v[S_REG] - 1) * 100.0 : NAN);
        }
    }
    free(rows);
    struct pccs_source_info si;
    if (pccs_store_source_get(st, source, &si, err) == PCCS_OK)
        pccs_table_note(out, "appointments: %s (%s, latest month %s)",
                        si.publication, si.path ? si.path : "?", si.period);
    pccs_err_clear(err);
    pccs_table_note(out,
                    "registered: the registrations snapshot on or "
                    "before each month (loaded: %zu snapshot%s); list "
                    "growth needs two snapshots 12 months apart",
                    snaps->n, snaps->n == 1 ? "" : "s");
    pccs_table_note(out, "per_1000 = appointments / registered x 1,000 for "
                         "the practices with appointments that month");
    rc = PCCS_OK;
out:
    for (size_t k = 0; k < MAX_SNAPS; k++)
        pccs_hmap_release(&regs[k]);
    free(months);
    free(snaps);
    free(all);
    return rc;
}
