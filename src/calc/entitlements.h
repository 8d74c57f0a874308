/* SPDX-License-Identifier: MIT */
/*
 * PCN Network Contract DES entitlements for one PCN and one year
 * (reference/rules.md section 2): each line is a population times a rate
 * from data/rates/pcn.csv. A line applies in a year when the rates file has
 * a row for it; it is unknown when that row's value is empty. Pure.
 */
#ifndef PCCS_CALC_ENTITLEMENTS_H
#define PCCS_CALC_ENTITLEMENTS_H

#include <stdbool.h>

enum pccs_ent_item {
    PCCS_ENT_CORE_REG,
    PCCS_ENT_CORE_ADJ,
    PCCS_ENT_CD_REG,
    PCCS_ENT_NPP_W,
    PCCS_ENT_EH_REG,
    PCCS_ENT_EA_ADJ,
    PCCS_ENT_EA_MONTHS,
    PCCS_ENT_EA_MINUTES,
    PCCS_ENT_ARRS_W,
    PCCS_ENT_CHP_BED,
    PCCS_ENT_NITEMS
};

/* The item names used in the rates file, indexed by enum pccs_ent_item. */
extern const char *const pccs_ent_item_names[PCCS_ENT_NITEMS];

struct pccs_ent_rate {
    bool present; /* the year has a row for the item */
    bool known;   /* and its value is known */
    double value;
};

enum pccs_ent_line {
    PCCS_ENT_CORE,
    PCCS_ENT_CLINICAL_DIRECTOR,
    PCCS_ENT_NETWORK_PARTICIPATION,
    PCCS_ENT_EXTENDED_HOURS,
    PCCS_ENT_ENHANCED_ACCESS,
    PCCS_ENT_ARRS,
    PCCS_ENT_CARE_HOME_PREMIUM,
    PCCS_ENT_NLINES
};

struct pccs_ent_pop {
    double registered; /* PCN registered list */
    double weighted;   /* PCN contractor weighted population */
    double adjusted;   /* PCN adjusted population */
    bool has_beds;
    double beds; /* care home beds */
};

struct pccs_ent_result {
    bool applies[PCCS_ENT_NLINES];
    bool known[PCCS_ENT_NLINES];
    double value[PCCS_ENT_NLINES]; /* pounds for the year */
    bool minutes_known;
    double ea_minutes_per_week; /* required enhanced access minutes */
    double total_known;         /* sum of the known lines */
    bool complete;              /* every line that applies is known */
};

/** Compute the entitlements of one PCN from its populations and rates. */
void pccs_ent_compute(const struct pccs_ent_pop *pop,
                      const struct pccs_ent_rate rates[PCCS_ENT_NITEMS],
                      struct pccs_ent_result *out);

#endif
