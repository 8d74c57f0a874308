/* SPDX-License-Identifier: MIT */
/* One PCN entitlement line: populations x rates (calc/entitlements.h). */
#include "calc/entitlements.h"

#include <math.h>
#include <string.h>

const char *const pccs_ent_base_names[PCCS_ENT_NBASES] = {
    [PCCS_ENT_REGISTERED] = "registered",
    [PCCS_ENT_ADJUSTED] = "adjusted",
    [PCCS_ENT_WEIGHTED] = "weighted",
    [PCCS_ENT_BED] = "bed",
    [PCCS_ENT_PCN] = "pcn",
};

double
pccs_ent_base_pop(const struct pccs_ent_pop *pop, enum pccs_ent_base base)
{
    switch (base) {
    case PCCS_ENT_REGISTERED:
        return pop->registered;
    case PCCS_ENT_ADJUSTED:
        return pop->adjusted;
    case PCCS_ENT_WEIGHTED:
        return pop->weighted;
    case PCCS_ENT_BED:
        return pop->beds;
    case PCCS_ENT_PCN:
        return 1;
    case PCCS_ENT_NBASES:
        break;
    }
    return 0;
}

void
pccs_ent_line(const struct pccs_ent_pop *pop,
              const struct pccs_ent_line_rates *r, struct pccs_ent_value *out)
{
    memset(out, 0, sizeof(*out));
    bool any = false, all_known = true;
    double v = 0;
    for (int b = 0; b < PCCS_ENT_NBASES; b++) {
        const struct pccs_ent_rate *x = &r->per[b];
        if (!x->present)
            continue;
        any = true;
        if (!x->known || (b == PCCS_ENT_BED && !pop->has_beds))
            all_known = false;
        else
            v += pccs_ent_base_pop(pop, (enum pccs_ent_base)b) * x->value;
    }
    out->applies = any || r->national_sum.present;
    if (!out->applies)
        return;
    if (!(any && all_known)) {
        /* No per-patient figure: the weighted share of a national sum. */
        const struct pccs_ent_rate *n = &r->national_sum;
        if (!n->present || !n->known || !(pop->national_weighted > 0))
            return;
        out->derived = true;
        v = pccs_ent_national_share(n->value, pop->weighted,
                                    pop->national_weighted);
    }
    if (r->months.present) {
        if (!r->months.known)
            return;
        v = pccs_ent_pro_rata(v, r->months.value);
    }
    out->known = true;
    out->value = v;
}

double
pccs_ent_minutes(double adjusted, double per_1000)
{
    return adjusted / 1000.0 * per_1000;
}

double
pccs_ent_adjusted_scale(double national_registered, double national_weighted)
{
    return national_weighted > 0 ? national_registered / national_weighted
                                 : NAN;
}

double
pccs_ent_adjusted(double weighted, double scale)
{
    return weighted * scale;
}

double
pccs_ent_national_share(double national_sum, double weighted,
                        double national_weighted)
{
    if (!(national_weighted > 0))
        return NAN;
    return national_sum * weighted / national_weighted;
}

double
pccs_ent_pro_rata(double annual, double months)
{
    return annual * (months / 12.0);
}

void
pccs_ent_add_known(const struct pccs_ent_value *v, const bool *to_practices,
                   size_t n, double *pcn, double *practices)
{
    for (size_t i = 0; i < n; i++) {
        if (!v[i].known)
            continue;
        if (to_practices[i])
            *practices += v[i].value;
        else
            *pcn += v[i].value;
    }
}
