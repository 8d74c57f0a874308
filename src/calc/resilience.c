/* SPDX-License-Identifier: MIT */
#include "calc/resilience.h"
#include "calc/ratio.h"
#include "calc/stats.h"

#include <math.h>
#include <stdlib.h>

#include "base/xalloc.h"

void
pccs_res_rules_add(struct pccs_res_rules *rs, const struct pccs_res_rule *ru)
{
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 16;
        rs->r = pccs_xreallocarray(rs->r, rs->cap, sizeof(*rs->r));
    }
    rs->r[rs->n++] = *ru;
}

void
pccs_res_rules_release(struct pccs_res_rules *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        free(rs->r[i].source);
    free(rs->r);
    rs->r = NULL;
    rs->n = rs->cap = 0;
}

static int
matches(enum pccs_res_cmp cmp, double v, double against)
{
    if (isnan(against))
        return 0;
    switch (cmp) {
    case PCCS_RES_BELOW_VALUE:
    case PCCS_RES_BELOW_PCT:
        return v < against;
    case PCCS_RES_ABOVE_VALUE:
    case PCCS_RES_ABOVE_PCT:
        return v > against;
    case PCCS_RES_COUNT_RED:
    case PCCS_RES_COUNT_AMBER:
        return v >= against;
    }
    return 0;
}

struct pccs_res_result
pccs_res_rate(const struct pccs_res_rules *rs, int ind, double v,
              const double *against)
{
    struct pccs_res_result res = {PCCS_RAG_NONE, -1, NAN};
    if (isnan(v))
        return res;
    res.rag = PCCS_RAG_GREEN;
    for (int want = PCCS_RAG_RED; want >= PCCS_RAG_AMBER; want--)
        for (size_t k = 0; k < rs->n; k++) {
            const struct pccs_res_rule *ru = &rs->r[k];
            if (ru->indicator == ind && (int)ru->rag == want &&
                matches(ru->cmp, v, against[k])) {
                res.rag = ru->rag;
                res.rule = (int)k;
                res.against = against[k];
                return res;
            }
        }
    return res;
}

struct pccs_res_overall
pccs_res_overall(const struct pccs_res_rules *rs,
                 const struct pccs_res_result res[PCCS_RES_NIND])
{
    struct pccs_res_overall ov = {PCCS_RAG_NONE, 0, 0, -1};
    int rated = 0;
    for (int i = 0; i < PCCS_RES_NIND; i++) {
        rated += res[i].rag != PCCS_RAG_NONE;
        ov.reds += res[i].rag == PCCS_RAG_RED;
        ov.ambers += res[i].rag == PCCS_RAG_AMBER;
    }
    if (!rated)
        return ov;
    ov.rag = PCCS_RAG_GREEN;
    for (int want = PCCS_RAG_RED; want >= PCCS_RAG_AMBER; want--)
        for (size_t k = 0; k < rs->n; k++) {
            const struct pccs_res_rule *ru = &rs->r[k];
            if (ru->indicator != PCCS_RES_OVERALL || (int)ru->rag != want)
                continue;
            double count = ru->cmp == PCCS_RES_COUNT_RED ? ov.reds : ov.ambers;
            if (matches(ru->cmp, count, ru->threshold)) {
                ov.rag = ru->rag;
                ov.rule = (int)k;
                return ov;
            }
        }
    return ov;
}

void
pccs_res_against(const struct pccs_res_rules *rs,
                 const double (*peers)[PCCS_RES_NIND], size_t n, double *col,
                 double *against)
{
    for (size_t k = 0; k < rs->n; k++) {
        const struct pccs_res_rule *ru = &rs->r[k];
        if (ru->cmp != PCCS_RES_BELOW_PCT && ru->cmp != PCCS_RES_ABOVE_PCT) {
            against[k] = ru->threshold;
            continue;
        }
        for (size_t j = 0; j < n; j++)
            col[j] = peers[j][ru->indicator];
        against[k] = pccs_percentile(col, n, ru->threshold);
    }
}

const char *
pccs_rag_name(enum pccs_rag rag)
{
    switch (rag) {
    case PCCS_RAG_GREEN:
        return "green";
    case PCCS_RAG_AMBER:
        return "amber";
    case PCCS_RAG_RED:
        return "red";
    case PCCS_RAG_NONE:
        break;
    }
    return "none";
}

double
pccs_res_change_pct(double now, double before)
{
    return pccs_change_pct(now, before);
}

double
pccs_res_per_patient(double amount, double patients)
{
    return patients > 0 ? amount / patients : NAN;
}
