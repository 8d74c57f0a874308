/* SPDX-License-Identifier: MIT */
/*
 * Rolling practice figures up the tree: pure sums over plain arrays. A
 * parent's figure is always the sum of its members' figures (never an
 * average of averages); a missing figure is counted, not taken as 0.
 */
#ifndef PCCS_ROLLUP_H
#define PCCS_ROLLUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pccs_rollup_in {
    int group; /* index of the group this member belongs to; <0 none */
    double value[2];
    bool has[2]; /* is value[i] present? */
};

struct pccs_rollup_out {
    int64_t members;    /* members in the group */
    double sum[2];      /* sums of the present values */
    int64_t present[2]; /* how many members had value[i] */
};

/**
 * Sum in[] into out[0..ngroups-1] (zeroed first). Members with a group
 * outside [0, ngroups) are counted in *unassigned (may be NULL).
 */
void pccs_rollup(const struct pccs_rollup_in *in, size_t n,
                 struct pccs_rollup_out *out, size_t ngroups,
                 struct pccs_rollup_out *unassigned);

#endif
