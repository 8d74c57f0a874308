/* SPDX-License-Identifier: MIT */
/* PCN entitlement lines: population x rate. */
#include "calc/entitlements.h"

#include <string.h>

const char *const pccs_ent_item_names[PCCS_ENT_NITEMS] = {
    [PCCS_ENT_CORE_REG] = "pcn_core_per_registered",
    [PCCS_ENT_CORE_ADJ] = "pcn_core_per_adjusted",
    [PCCS_ENT_CD_REG] = "clinical_director_per_registered",
    [PCCS_ENT_NPP_W] = "network_participation_per_weighted",
    [PCCS_ENT_EH_REG] = "extended_hours_per_registered",
    [PCCS_ENT_EA_ADJ] = "enhanced_access_per_adjusted",
    [PCCS_ENT_EA_MONTHS] = "enhanced_access_months",
    [PCCS_ENT_EA_MINUTES] = "enhanced_access_minutes_per_1000",
    [PCCS_ENT_ARRS_W] = "arrs_per_weighted",
    [PCCS_ENT_CHP_BED] = "care_home_premium_per_bed",
};

/* One line: population x rate, when the rate applies. */
static void
line(struct pccs_ent_result *o, enum pccs_ent_line l,
     const struct pccs_ent_rate *r, double pop, bool pop_known)
{
    if (!r->present)
        return;
    o->applies[l] = true;
    if (!r->known || !pop_known)
        return;
    o->known[l] = true;
    o->value[l] += pop * r->value;
}

void
pccs_ent_compute(const struct pccs_ent_pop *pop,
                 const struct pccs_ent_rate rates[PCCS_ENT_NITEMS],
                 struct pccs_ent_result *out)
{
    memset(out, 0, sizeof(*out));
    line(out, PCCS_ENT_CORE, &rates[PCCS_ENT_CORE_REG], pop->registered, true);
    if (rates[PCCS_ENT_CORE_ADJ].present) {
        /* Core is two parts from 2024-25: both must be known. */
        bool reg_known =
            out->known[PCCS_ENT_CORE] || !rates[PCCS_ENT_CORE_REG].present;
        struct pccs_ent_result part;
        memset(&part, 0, sizeof(part));
        line(&part, PCCS_ENT_CORE, &rates[PCCS_ENT_CORE_ADJ], pop->adjusted,
             true);
        out->applies[PCCS_ENT_CORE] = true;
        out->known[PCCS_ENT_CORE] = reg_known && part.known[PCCS_ENT_CORE];
        out->value[PCCS_ENT_CORE] += part.value[PCCS_ENT_CORE];
    }
    line(out, PCCS_ENT_CLINICAL_DIRECTOR, &rates[PCCS_ENT_CD_REG],
         pop->registered, true);
    line(out, PCCS_ENT_NETWORK_PARTICIPATION, &rates[PCCS_ENT_NPP_W],
         pop->weighted, true);
    line(out, PCCS_ENT_EXTENDED_HOURS, &rates[PCCS_ENT_EH_REG], pop->registered,
         true);
    line(out, PCCS_ENT_ENHANCED_ACCESS, &rates[PCCS_ENT_EA_ADJ], pop->adjusted,
         true);
    const struct pccs_ent_rate *months = &rates[PCCS_ENT_EA_MONTHS];
    if (out->known[PCCS_ENT_ENHANCED_ACCESS] && months->present) {
        if (months->known)
            out->value[PCCS_ENT_ENHANCED_ACCESS] *= months->value / 12.0;
        else
            out->known[PCCS_ENT_ENHANCED_ACCESS] = false;
    }
    line(out, PCCS_ENT_ARRS, &rates[PCCS_ENT_ARRS_W], pop->weighted, true);
    line(out, PCCS_ENT_CARE_HOME_PREMIUM, &rates[PCCS_ENT_CHP_BED], pop->beds,
         pop->has_beds);
    const struct pccs_ent_rate *min = &rates[PCCS_ENT_EA_MINUTES];
    if (min->present && min->known) {
        out->minutes_known = true;
        out->ea_minutes_per_week = pop->adjusted / 1000.0 * min->value;
    }
    out->complete = true;
    for (int l = 0; l < PCCS_ENT_NLINES; l++) {
        if (!out->applies[l])
            continue;
        if (out->known[l])
            out->total_known += out->value[l];
        else
            out->complete = false;
    }
}
