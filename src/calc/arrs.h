/* SPDX-License-Identifier: MIT */
/*
 * The arithmetic of the arrs table (Additional Roles Reimbursement
 * Scheme): roles in post priced at the year's maximum reimbursable amount
 * per whole-time equivalent, and the share of the PCN's ARRS sum that
 * this cost is. NaN where undefined (calc/ratio.h). Pure.
 */
#ifndef PCCS_CALC_ARRS_H
#define PCCS_CALC_ARRS_H

/** The cost of fte in post at max_per_wte GBP a year each. */
double pccs_arrs_cost(double fte, double max_per_wte);

/** The amount per whole-time equivalent of a cost (NaN: none in post). */
double pccs_arrs_per_wte(double cost, double fte);

/** The cost in post as a percentage of the ARRS sum. */
double pccs_arrs_share_pct(double cost, double arrs_sum);

#endif
