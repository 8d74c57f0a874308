/* SPDX-License-Identifier: MIT */
/*
 * QOF prevalence and the factors of a point's value (reference/rules.md
 * section 3): prevalence = register / list size (a parent's from its
 * summed registers and lists, never an average of percentages); APDF =
 * practice prevalence / national prevalence; CPI = practice list /
 * national average list; the value of one point in a disease area =
 * pounds per point x CPI x APDF. Pure functions; NaN where undefined.
 */
#ifndef PCCS_CALC_QOF_H
#define PCCS_CALC_QOF_H

/** Prevalence in percent; NaN if the list is not positive. */
double pccs_qof_prevalence(double reg, double list);
/** Adjusted practice disease factor; NaN if national prevalence is 0. */
double pccs_qof_apdf(double practice_prev, double national_prev);
/** Contractor population index; NaN if the average is not positive. */
double pccs_qof_cpi(double list, double average_list);
/** Pounds for one point in the disease area, for the practice. */
double pccs_qof_point_value(double pounds_per_point, double cpi, double apdf);

/** The factors of a practice's point value in one disease area. */
struct pccs_qof_factors {
    double apdf, cpi, point_value;
};

/**
 * From the practice's prevalence prev, the national prevalence nat, the
 * practice's whole list, the national average list avg and the pounds
 * per point ppp (each NaN when unknown): APDF, CPI and the value of one
 * point, NaN where an input is missing.
 */
struct pccs_qof_factors pccs_qof_factors(double prev, double nat, double list,
                                         double avg, double ppp);

#endif
