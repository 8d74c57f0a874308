/* SPDX-License-Identifier: MIT */
/*
 * One Network Contract DES payment line for one PCN and one year
 * (reference/rules.md section 2). A line is data: in data/rates/pcn.csv,
 * `<line>_per_<base>` is an annual GBP rate on a population (base one of
 * registered, adjusted, weighted, bed or pcn (a sum per PCN); a line may have
 * several bases in a year and is then their sum), `<line>_months` the months of
 * the year it is paid (default 12) and `<line>_national_sum` a national GBP sum
 * shared by contractor weighted population, used when the year has no
 * per-patient rate for the line (the value is then "derived"). A line applies
 * in a year when the rates file has a row for it; it is unknown when a row it
 * needs has an empty value. Pure.
 */
#ifndef PCCS_CALC_ENTITLEMENTS_H
#define PCCS_CALC_ENTITLEMENTS_H

#include <stdbool.h>
#include <stddef.h>

enum pccs_ent_base {
    PCCS_ENT_REGISTERED,
    PCCS_ENT_ADJUSTED,
    PCCS_ENT_WEIGHTED,
    PCCS_ENT_BED,
    PCCS_ENT_PCN, /* a fixed sum per PCN */
    PCCS_ENT_NBASES
};

/* The base names used in rate items ("registered", ...), by base. */
extern const char *const pccs_ent_base_names[PCCS_ENT_NBASES];

struct pccs_ent_rate {
    bool present; /* the year has a row for the item */
    bool known;   /* and its value is known */
    double value;
};

/* The rates of one line for one year. */
struct pccs_ent_line_rates {
    struct pccs_ent_rate per[PCCS_ENT_NBASES]; /* GBP a year per unit */
    struct pccs_ent_rate months;               /* absent: 12 */
    struct pccs_ent_rate national_sum;         /* GBP for England */
};

struct pccs_ent_pop {
    double registered; /* PCN registered list */
    double weighted;   /* PCN contractor weighted population */
    double adjusted;   /* PCN adjusted population */
    bool has_beds;
    double beds;              /* care home beds */
    double national_weighted; /* England's contractor weighted population */
};

struct pccs_ent_value {
    bool applies; /* the line is paid in the year */
    bool known;   /* its value is known */
    bool derived; /* from the national sum by weighted share */
    double value; /* GBP for the year */
};

/** The population of a base. */
double pccs_ent_base_pop(const struct pccs_ent_pop *pop,
                         enum pccs_ent_base base);
/** The value of one line for a PCN. */
void pccs_ent_line(const struct pccs_ent_pop *pop,
                   const struct pccs_ent_line_rates *r,
                   struct pccs_ent_value *out);
/** Enhanced access minutes a week: adjusted / 1000 x minutes per 1000. */
double pccs_ent_minutes(double adjusted, double per_1000);

/**
 * The ratio that turns a contractor weighted population into the
 * estimated adjusted population: national registered / national weighted
 * (NaN when the national weighted population is not positive).
 */
double pccs_ent_adjusted_scale(double national_registered,
                               double national_weighted);

/** The estimated adjusted population: weighted x scale. */
double pccs_ent_adjusted(double weighted, double scale);

/**
 * A PCN's share of a national sum by contractor weighted population:
 * national_sum x weighted / national_weighted (NaN when the national
 * weighted population is not positive).
 */
double pccs_ent_national_share(double national_sum, double weighted,
                               double national_weighted);

/** An annual value paid for months of the year: value x months / 12. */
double pccs_ent_pro_rata(double annual, double months);

/**
 * Add the known values of the lines v[0..n), in line order, to *pcn or,
 * for the lines paid to practices (to_practices[i]), to *practices. Sums
 * over PCNs made line by line so come out the same however grouped.
 */
void pccs_ent_add_known(const struct pccs_ent_value *v,
                        const bool *to_practices, size_t n, double *pcn,
                        double *practices);

#endif
