/* SPDX-License-Identifier: MIT */
/* Sums of member figures per group. */
#include "calc/rollup.h"

#include <string.h>

static void
add(struct pccs_rollup_out *o, const struct pccs_rollup_in *m)
{
    o->members++;
    for (int i = 0; i < 2; i++) {
        if (m->has[i]) {
            o->sum[i] += m->value[i];
            o->present[i]++;
        }
    }
}

void
pccs_rollup(const struct pccs_rollup_in *in, size_t n,
            struct pccs_rollup_out *out, size_t ngroups,
            struct pccs_rollup_out *unassigned)
{
    memset(out, 0, ngroups * sizeof(*out));
    if (unassigned)
        memset(unassigned, 0, sizeof(*unassigned));
    for (size_t i = 0; i < n; i++) {
        if (in[i].group >= 0 && (size_t)in[i].group < ngroups)
            add(&out[in[i].group], &in[i]);
        else if (unassigned)
            add(unassigned, &in[i]);
    }
}
