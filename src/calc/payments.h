/* SPDX-License-Identifier: MIT */
/*
 * The arithmetic of the payments table (NHS Payments to General
 * Practice): the core contract, the other payments, the PCN's own DES
 * payments, payment per patient, which practices are left out of deciles
 * and percentiles, and whether a figure lies outside a percentile band.
 * Pure.
 */
#ifndef PCCS_CALC_PAYMENTS_H
#define PCCS_CALC_PAYMENTS_H

#include <stdbool.h>
#include <stddef.h>

/** Core contract: global sum + MPIG correction + balance of PMS. */
double pccs_pay_core_contract(double global_sum, double mpig,
                              double pms_balance);

/** What the total holds beyond the core contract and QOF. */
double pccs_pay_other(double total, double core_contract, double qof);

/** The sum of v[0..n), in order (the PCN's own DES payments). */
double pccs_pay_sum(const double *v, size_t n);

/** GBP per patient; NaN when there are no patients. */
double pccs_pay_per_patient(double amount, double patients);

/* Why a practice is left out of deciles and percentiles. */
enum pccs_pay_exclusion {
    PCCS_PAY_KEPT,
    PCCS_PAY_NO_REGISTERED,  /* none, or not given */
    PCCS_PAY_FEW_REGISTERED, /* fewer than the minimum */
    PCCS_PAY_NO_WEIGHTED,    /* none, or not given */
    PCCS_PAY_FEW_WEIGHTED,   /* fewer than the minimum */
};

/**
 * The first reason that applies to a practice with registered (has_reg:
 * given) and weighted (has_w) patients, against the minimums.
 */
enum pccs_pay_exclusion pccs_pay_exclude(bool has_reg, double registered,
                                         bool has_w, double weighted,
                                         double min_registered,
                                         double min_weighted);

/**
 * -1 when v is below lo, 1 when above hi, else 0 (also when any is NaN).
 */
int pccs_pay_outside(double v, double lo, double hi);

#endif
