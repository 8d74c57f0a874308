/* SPDX-License-Identifier: MIT */
#include "model/metrics.h"

#include <string.h>

#include "base/xalloc.h"
#include "model/tables.h"

static const struct pccs_metric_def appts = {
    .name = "appointments_per_1000",
    .table = "capacity",
    .column = "per_1000",
    .improvement = PCCS_SPC_NEUTRAL,
    .summary = "appointments per 1,000 registered patients per month (GPAD)"};
static const struct pccs_metric_def attended = {
    .name = "attended_per_1000",
    .table = "capacity",
    .column = "attended_per_1000",
    .improvement = PCCS_SPC_INCREASE,
    .summary = "attended appointments per 1,000 registered patients per month"};
static const struct pccs_metric_def dna = {
    .name = "dna_pct",
    .table = "capacity",
    .column = "dna_pct",
    .improvement = PCCS_SPC_DECREASE,
    .summary = "did-not-attend share of appointments, %"};
static const struct pccs_metric_def f2f = {
    .name = "face_to_face_pct",
    .table = "capacity",
    .column = "face_to_face_pct",
    .improvement = PCCS_SPC_NEUTRAL,
    .summary = "face-to-face share of appointments, %"};
static const struct pccs_metric_def gp = {
    .name = "gp_pct",
    .table = "capacity",
    .column = "gp_pct",
    .improvement = PCCS_SPC_NEUTRAL,
    .summary = "share of appointments with a GP, %"};

const struct pccs_metric_def *const pccs_metric_defs[] = {
    &appts, &attended, &dna, &f2f, &gp, NULL};

const struct pccs_metric_def *
pccs_metric_find(const char *name)
{
    for (size_t i = 0; pccs_metric_defs[i]; i++)
        if (strcmp(pccs_metric_defs[i]->name, name) == 0)
            return pccs_metric_defs[i];
    return NULL;
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
    int mc = pccs_table_col_index(&tab, "month");
    int vc = pccs_table_col_index(&tab, m->column);
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
