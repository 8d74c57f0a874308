/* SPDX-License-Identifier: MIT */
#include "model/metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "model/tables.h"

/* A metric of the capacity table (GPAD), one run keyed by month. */
#define CAPACITY(n, col, imp, sum)                                             \
    &(const struct pccs_metric_def)                                            \
    {                                                                          \
        .name = n, .table = "capacity", .column = col, .improvement = imp,     \
        .summary = sum                                                         \
    }

/* PCN workforce FTE each census: staff whose key_col is key_val. */
#define PCN_FTE(n, grp, col, val, sum)                                         \
    &(const struct pccs_metric_def)                                            \
    {                                                                          \
        .name = n, .table = "workforce", .column = "fte",                      \
        .improvement = PCCS_SPC_INCREASE, .summary = sum,                      \
        .over = "workforce_fte", .group = grp, .key_col = col, .key_val = val  \
    }

/* The direct patient care roles, each a metric pcn_fte_<id>. */
#define PCN_ROLES(X)                                                           \
    X(pharmacists, "Pharmacists")                                              \
    X(pharmacy_technicians, "Pharmacy Technicians")                            \
    X(social_prescribing_link_workers, "Social Prescribing Link Workers")      \
    X(care_coordinators, "Care Coordinators")                                  \
    X(health_and_wellbeing_coaches, "Health and Wellbeing Coaches")            \
    X(physiotherapists, "Physiotherapists")                                    \
    X(paramedics, "Paramedics")                                                \
    X(physician_associates, "Physician Associates")                            \
    X(nursing_associates, "Nursing Associates")                                \
    X(trainee_nursing_associates, "Trainee Nursing Associates")                \
    X(dieticians, "Dieticians")                                                \
    X(podiatrists, "Podiatrists")                                              \
    X(therapists, "Therapists")                                                \
    X(advanced_pharmacist_practitioners, "Advanced Pharmacist Practitioners")  \
    X(advanced_paramedic_practitioners, "Advanced Paramedic Practitioners")    \
    X(advanced_physiotherapist_practitioners,                                  \
      "Advanced Physiotherapist Practitioners")
#define PCN_ROLE(id, role)                                                     \
    PCN_FTE("pcn_fte_" #id, "Other Direct Patient Care staff", "staff_role",   \
            role,                                                              \
            "PCN workforce FTE, " role ", each loaded quarterly census"),

/* Enhanced access (issue 19): weekly minutes of a PCN's hub against the
 * minutes the Network Contract DES requires (the target). */
#define EA_FLOOR                                                               \
    "minutes of slots or appointments cannot be negative (a week with no "     \
    "session is 0)"
#define ENHANCED_ACCESS(n, col, sum)                                           \
    &(const struct pccs_metric_def)                                            \
    {                                                                          \
        .name = n, .table = "enhanced-access", .column = col,                  \
        .improvement = PCCS_SPC_INCREASE, .summary = sum, .date_col = "week",  \
        .target_col = "required_minutes", .floor_zero = EA_FLOOR               \
    }

const struct pccs_metric_def *const pccs_metric_defs[] = {
    CAPACITY("appointments_per_1000", "per_1000", PCCS_SPC_NEUTRAL,
             "appointments per 1,000 registered patients per month (GPAD)"),
    CAPACITY("attended_per_1000", "attended_per_1000", PCCS_SPC_INCREASE,
             "attended appointments per 1,000 registered patients per month"),
    CAPACITY("dna_pct", "dna_pct", PCCS_SPC_DECREASE,
             "did-not-attend share of appointments, %"),
    CAPACITY("face_to_face_pct", "face_to_face_pct", PCCS_SPC_NEUTRAL,
             "face-to-face share of appointments, %"),
    CAPACITY("gp_pct", "gp_pct", PCCS_SPC_NEUTRAL,
             "share of appointments with a GP, %"),
    /* Series over every loaded period (issue 15). */
    &(const struct pccs_metric_def){
        .name = "payments_per_weighted_patient",
        .table = "payments",
        .column = "total_per_weighted",
        .improvement = PCCS_SPC_NEUTRAL,
        .summary = "NHS payments per weighted patient, each loaded financial "
                   "year (NHS Payments to General Practice)",
        .over = "pay_total_nhs_payments_to_general_practice",
        .over_fy = true},
    &(const struct pccs_metric_def){
        .name = "list_size",
        .table = "populations",
        .column = "registered",
        .improvement = PCCS_SPC_NEUTRAL,
        .summary = "registered patients, each loaded registrations snapshot",
        .over = "registered"},
    PCN_FTE("pcn_workforce_fte", NULL, "publication", "PCN workforce",
            "PCN workforce FTE, all staff, each loaded quarterly census"),
    PCN_FTE("pcn_fte_direct_patient_care", NULL, "staff_group",
            "Other Direct Patient Care staff",
            "PCN workforce FTE, direct patient care staff (the ARRS "
            "roles and others), each loaded quarterly census"),
    PCN_ROLES(PCN_ROLE) /* pcn_fte_pharmacists and the other roles */
    ENHANCED_ACCESS("enhanced_access_delivered_minutes", "delivered_minutes",
                    "enhanced access minutes delivered (attended) by the "
                    "PCN's hub each week, against the minutes required"),
    ENHANCED_ACCESS("enhanced_access_offered_minutes", "offered_minutes",
                    "enhanced access minutes offered (slots of the PCN's hub "
                    "sessions) each week, against the minutes required"),
    NULL};

const struct pccs_metric_def *
pccs_metric_find(const char *name)
{
    for (size_t i = 0; pccs_metric_defs[i]; i++)
        if (strcmp(pccs_metric_defs[i]->name, name) == 0)
            return pccs_metric_defs[i];
    return NULL;
}

/* The loaded periods of a measure of one form, oldest first. */
struct plist {
    char (*p)[32];
    size_t n, cap;
    bool fy;
};

static int
plist_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct plist *pl = ctx;
    int y;
    pccs_day d;
    bool ok = pl->fy ? pccs_fy_parse(pccs_str_from(f->period), &y) == 0
                     : strlen(f->period) == 10 &&
                           pccs_date_parse(pccs_str_from(f->period), &d) == 0;
    if (!ok)
        return 0;
    if (pl->n == pl->cap) {
        pl->cap = pl->cap ? pl->cap * 2 : 16;
        pl->p = pccs_xreallocarray(pl->p, pl->cap, sizeof(*pl->p));
    }
    snprintf(pl->p[pl->n++], sizeof(pl->p[0]), "%s", f->period);
    return 0;
}

/* A note of the series, once. */
static void
series_note(struct pccs_series *s, const char *note)
{
    for (size_t i = 0; i < s->nnotes; i++)
        if (!strcmp(s->notes[i], note))
            return;
    s->notes = pccs_xreallocarray(s->notes, s->nnotes + 1, sizeof(*s->notes));
    s->notes[s->nnotes++] = pccs_xstrdup(note);
}

/* The metric's value for org in one table: its rows (key matching) summed. */
static bool
org_value(const struct pccs_table *tab, const struct pccs_metric_def *m,
          const char *org, double *v)
{
    int vc = pccs_table_col_index(tab, m->column);
    int kc = m->key_col ? pccs_table_col_index(tab, m->key_col) : -1;
    bool found = false;
    *v = 0;
    for (size_t r = 0; vc >= 0 && r < tab->nrows; r++) {
        const struct pccs_cell *c = pccs_table_cell(tab, r, 0);
        const struct pccs_cell *x = pccs_table_cell(tab, r, (size_t)vc);
        if (c->null || strcmp(c->text, org) != 0 || x->null)
            continue;
        if (m->key_col) {
            const struct pccs_cell *k =
                kc >= 0 ? pccs_table_cell(tab, r, (size_t)kc) : NULL;
            if (!k || k->null || strcmp(k->text, m->key_val) != 0)
                continue;
        }
        *v += x->num;
        found = true;
    }
    return found;
}

/* One point of a series over periods: the table run for period p. */
static void
period_point(struct pccs_store *st, const struct pccs_tree *t,
             const struct pccs_metric_def *m, int o, const char *p,
             struct pccs_series *out)
{
    struct pccs_table_query q = {.level = t->orgs[o].level,
                                 .in = t->orgs[o].code,
                                 .at = PCCS_DAY_NONE,
                                 .period = p,
                                 .group = m->group};
    struct pccs_table tab;
    struct pccs_err e = PCCS_ERR_INIT;
    memset(&tab, 0, sizeof(tab));
    double v;
    if (pccs_table_run(pccs_table_def_find(m->table), st, t, &q, &tab, &e) ==
            PCCS_OK &&
        org_value(&tab, m, t->orgs[o].code, &v)) {
        char date[16];
        int y;
        if (m->over_fy && !pccs_fy_parse(pccs_str_from(p), &y))
            pccs_date_format(pccs_fy_start(y), date);
        else
            snprintf(date, sizeof(date), "%s", p);
        out->date[out->n] = pccs_xstrdup(date);
        out->y[out->n++] = v;
        for (size_t i = 0; i < tab.nnotes; i++)
            series_note(out, tab.notes[i]);
    }
    pccs_err_clear(&e);
    pccs_table_release(&tab);
}

/* A series over every loaded period of m->over: one table run each. */
static int
over_series(struct pccs_store *st, const struct pccs_tree *t,
            const struct pccs_metric_def *m, int o, struct pccs_series *out,
            struct pccs_err *err)
{
    struct plist pl = {.fy = m->over_fy};
    int rc = pccs_store_periods_each(st, m->over, plist_cb, &pl, err);
    out->date = pccs_xcalloc(pl.n + 1, sizeof(*out->date));
    out->y = pccs_xcalloc(pl.n + 1, sizeof(*out->y));
    for (size_t i = 0; !rc && i < pl.n; i++)
        period_point(st, t, m, o, pl.p[i], out);
    free(pl.p);
    if (!rc && !out->n)
        rc = pccs_err_set(err, PCCS_ENOTFOUND, "no %s for %s", m->name,
                          t->orgs[o].code);
    if (rc)
        pccs_series_release(out);
    return rc;
}

int
pccs_metric_series(struct pccs_store *st, const struct pccs_tree *t,
                   const struct pccs_metric_def *m, const char *org,
                   struct pccs_series *out, struct pccs_err *err)
{
    memset(out, 0, sizeof(*out));
    int o = pccs_tree_find(t, org);
    if (o < 0)
        return pccs_err_set(err, PCCS_ENOTFOUND, "unknown organisation %s",
                            org);
    if (m->over)
        return over_series(st, t, m, o, out, err);
    struct pccs_table_query q = {
        .level = t->orgs[o].level, .in = org, .at = PCCS_DAY_NONE};
    struct pccs_table tab;
    memset(&tab, 0, sizeof(tab));
    int rc =
        pccs_table_run(pccs_table_def_find(m->table), st, t, &q, &tab, err);
    if (rc) {
        pccs_table_release(&tab);
        return rc;
    }
    int mc = pccs_table_col_index(&tab, m->date_col ? m->date_col : "month");
    int vc = pccs_table_col_index(&tab, m->column);
    int tc = m->target_col ? pccs_table_col_index(&tab, m->target_col) : -1;
    out->date = pccs_xcalloc(tab.nrows + 1, sizeof(*out->date));
    out->y = pccs_xcalloc(tab.nrows + 1, sizeof(*out->y));
    for (size_t r = 0; mc >= 0 && vc >= 0 && r < tab.nrows; r++) {
        const struct pccs_cell *c = pccs_table_cell(&tab, r, 0);
        const struct pccs_cell *v = pccs_table_cell(&tab, r, (size_t)vc);
        if (c->null || strcmp(c->text, org) != 0 || v->null)
            continue;
        out->date[out->n] =
            pccs_xstrdup(pccs_table_cell(&tab, r, (size_t)mc)->text);
        out->y[out->n++] = v->num;
        const struct pccs_cell *g =
            tc >= 0 ? pccs_table_cell(&tab, r, (size_t)tc) : NULL;
        out->has_target = g && !g->null;
        out->target = out->has_target ? g->num : 0;
    }
    out->notes = pccs_xcalloc(tab.nnotes + 1, sizeof(*out->notes));
    for (size_t i = 0; i < tab.nnotes; i++)
        out->notes[out->nnotes++] = pccs_xstrdup(tab.notes[i]);
    pccs_table_release(&tab);
    if (!out->n) {
        pccs_series_release(out);
        return pccs_err_set(err, PCCS_ENOTFOUND, "no %s for %s", m->name, org);
    }
    return PCCS_OK;
}

void
pccs_series_release(struct pccs_series *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->date[i]);
    for (size_t i = 0; i < s->nnotes; i++)
        free(s->notes[i]);
    free(s->date);
    free(s->y);
    free(s->notes);
    memset(s, 0, sizeof(*s));
}
