/* SPDX-License-Identifier: MIT */
/* The electronic Frailty Index (efi.h). */
#include "calc/efi.h"

#include <stdlib.h>
#include <string.h>

static const char *const names[PCCS_EFI_NCAT] = {"fit", "mild", "moderate",
                                                 "severe"};

const char *
pccs_efi_cat_name(enum pccs_efi_cat c)
{
    return c < PCCS_EFI_NCAT ? names[c] : "?";
}

int
pccs_efi_cat_parse(const char *name)
{
    for (int i = 0; i < PCCS_EFI_NCAT; i++)
        if (!strcmp(names[i], name))
            return i;
    return -1;
}

double
pccs_efi_score(int deficits)
{
    return (double)deficits / PCCS_EFI_DEFICITS;
}

enum pccs_efi_cat
pccs_efi_category(int deficits, const double bounds[3])
{
    /* deficits / 36 <= bound  <=>  deficits <= bound x 36 (+ a hair for
     * bounds like 0.24 x 36 = 8.64 that are not exact in binary) */
    for (int c = 0; c < 3; c++)
        if ((double)deficits <= bounds[c] * PCCS_EFI_DEFICITS + 1e-9)
            return (enum pccs_efi_cat)c;
    return PCCS_EFI_SEVERE;
}

bool
pccs_efi_value_counts(const struct pccs_efi_value_rule *r, char sex, double v)
{
    if (r->sex && r->sex != sex)
        return false;
    if (r->has_above && !(v > r->above))
        return false;
    return !r->has_below || v < r->below;
}

static int
cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

size_t
pccs_distinct_in_window(int64_t *codes, int32_t *days, size_t n, int32_t from,
                        int32_t to)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (days[i] >= from && days[i] <= to)
            codes[k++] = codes[i];
    qsort(codes, k, sizeof(*codes), cmp_i64);
    size_t d = 0;
    for (size_t i = 0; i < k; i++)
        if (i == 0 || codes[i] != codes[i - 1])
            d++;
    return d;
}
