/* SPDX-License-Identifier: MIT */
#include "calc/disclosure.h"

#include <math.h>

enum pccs_sdc_result
pccs_sdc_count(const struct pccs_sdc_rule *r, double n, bool national,
               double *shown)
{
    *shown = n;
    if (national || !isfinite(n) || n <= 0)
        return PCCS_SDC_SHOWN;
    /* A fractional count (an FTE) below 1 is still one individual. */
    if (n <= r->suppress_max)
        return PCCS_SDC_SUPPRESSED;
    if (r->round_to > 0)
        *shown = round(n / r->round_to) * r->round_to;
    return PCCS_SDC_SHOWN;
}

/* How many of group g's cells are hidden. */
static size_t
hidden_in(const struct pccs_sdc_cell *c, const struct pccs_sdc_group *g)
{
    size_t k = c[g->parent].suppressed;
    for (size_t i = 0; i < g->nchildren; i++)
        k += c[g->children[i]].suppressed;
    return k;
}

static bool
can_hide(const struct pccs_sdc_cell *c)
{
    return c->kind == PCCS_SDC_CONTROL && !c->suppressed && isfinite(c->n) &&
           c->n >= 0;
}

/*
 * The cell of g to hide besides the one hidden: the smallest non-zero
 * child (the first of equals), else the parent, else a zero child; -1
 * when none can be.
 */
static long
complement_of(const struct pccs_sdc_cell *c, const struct pccs_sdc_group *g)
{
    long best = -1;
    for (size_t i = 0; i < g->nchildren; i++) {
        size_t k = g->children[i];
        if (can_hide(&c[k]) && c[k].n > 0 && (best < 0 || c[k].n < c[best].n))
            best = (long)k;
    }
    if (best < 0 && can_hide(&c[g->parent]))
        best = (long)g->parent;
    for (size_t i = 0; best < 0 && i < g->nchildren; i++)
        if (can_hide(&c[g->children[i]]))
            best = (long)g->children[i];
    return best;
}

size_t
pccs_sdc_table(const struct pccs_sdc_rule *r, struct pccs_sdc_cell *cells,
               size_t n, const struct pccs_sdc_group *groups, size_t ng,
               size_t *unprotected)
{
    size_t hidden = 0;
    for (size_t i = 0; i < n; i++) {
        struct pccs_sdc_cell *c = &cells[i];
        c->shown = c->n;
        c->suppressed = c->complement = false;
        if (c->kind == PCCS_SDC_CONTROL &&
            pccs_sdc_count(r, c->n, false, &c->shown) == PCCS_SDC_SUPPRESSED) {
            c->suppressed = true;
            hidden++;
        }
    }
    /* Each pass hides at least one more cell, so this ends. */
    for (bool again = true; again;) {
        again = false;
        for (size_t g = 0; g < ng; g++) {
            if (hidden_in(cells, &groups[g]) != 1)
                continue;
            long k = complement_of(cells, &groups[g]);
            if (k < 0)
                continue;
            cells[k].suppressed = cells[k].complement = true;
            hidden++;
            again = true;
        }
    }
    if (unprotected) {
        *unprotected = 0;
        for (size_t g = 0; g < ng; g++)
            *unprotected += hidden_in(cells, &groups[g]) == 1;
    }
    return hidden;
}
