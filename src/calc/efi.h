/* SPDX-License-Identifier: MIT */
/*
 * The electronic Frailty Index (Clegg A et al., Development and
 * validation of an electronic frailty index using routine primary care
 * electronic health record data, Age and Ageing 2016;45(3):353-360):
 * 36 deficits, the score the number present divided by 36, and the
 * categories fit (score <= 0.12), mild (0.12 < score <= 0.24), moderate
 * (0.24 < score <= 0.36) and severe (> 0.36). Pure arithmetic: which
 * deficits a patient has is the caller's (model/cohorts.c).
 */
#ifndef PCCS_CALC_EFI_H
#define PCCS_CALC_EFI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCCS_EFI_DEFICITS 36

enum pccs_efi_cat {
    PCCS_EFI_FIT,
    PCCS_EFI_MILD,
    PCCS_EFI_MODERATE,
    PCCS_EFI_SEVERE,
    PCCS_EFI_NCAT
};

/** "fit", "mild", "moderate", "severe". */
const char *pccs_efi_cat_name(enum pccs_efi_cat c);
/** The category called name, or -1. */
int pccs_efi_cat_parse(const char *name);
/** deficits / 36. */
double pccs_efi_score(int deficits);
/**
 * The category of score with the upper bounds of fit, mild and moderate
 * in bounds[0..2] (0.12, 0.24, 0.36): a score equal to a bound is in the
 * lower category. Scores are compared as deficits against bound x 36, so
 * 0.12 x 36 = 4.32 puts 4 deficits in fit and 5 in mild, with no rounding
 * of a quotient involved.
 */
enum pccs_efi_cat pccs_efi_category(int deficits, const double bounds[3]);
/*
 * A deficit from a recorded value (data/rules/efi-values.csv): it counts
 * when above < value < below, both strict as in the gm-sde eFI SQL
 * (subquery-efi-values.sql), each bound only when given, for patients
 * of sex (M, F; 0 for anyone).
 */
struct pccs_efi_value_rule {
    char sex;
    double above, below;
    bool has_above, has_below;
};

/** Does value v of a patient of sex meet rule r? */
bool pccs_efi_value_counts(const struct pccs_efi_value_rule *r, char sex,
                           double v);
/**
 * The number of distinct codes among codes[i] whose day[i] is in
 * [from, to] (days as numbers). Sorts codes and days in place.
 */
size_t pccs_distinct_in_window(int64_t *codes, int32_t *days, size_t n,
                               int32_t from, int32_t to);

#endif
