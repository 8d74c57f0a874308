/* SPDX-License-Identifier: MIT */
/* Workforce rates: full-time equivalents per 10,000 weighted patients. */
#ifndef PCCS_CALC_WORKFORCE_H
#define PCCS_CALC_WORKFORCE_H

/** FTE per 10,000 patients of pop; NaN if pop is not positive. */
double pccs_workforce_per_10k(double fte, double pop);

#endif
