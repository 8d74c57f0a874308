/* SPDX-License-Identifier: MIT */
/*
 * The Network Contract DES payment lines of a financial year, as data:
 * the lines of data/maps/pcn_lines.csv (line, label, paid_to, source) in
 * that order, then any other line the rates name (`<line>_per_<base>`,
 * `<line>_national_sum`, calc/entitlements.h), with their rates for the
 * year from data/rates. A new line or year is a new row, not new code.
 */
#ifndef PCCS_MODEL_ENTITLEMENTS_H
#define PCCS_MODEL_ENTITLEMENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "calc/entitlements.h"
#include "model/rates.h"

struct pccs_ent_line_info {
    char name[48];  /* "pcn_core" */
    char label[96]; /* "Core PCN funding" */
    bool practices; /* paid to practices: not in the PCN's total */
    struct pccs_ent_line_rates r;
    bool applies;     /* a rate row exists for the year */
    bool known;       /* every rate the line needs is known */
    bool derived;     /* from a national sum by weighted share */
    char basis[200];  /* "1.5 per registered" or "national sum 746000000" */
    char reason[300]; /* why not known, or why it does not apply */
};

struct pccs_ent_lines {
    struct pccs_ent_line_info *l;
    size_t n;
};

/**
 * The lines and their rates for financial year fy from rates (borrowed).
 * Release with pccs_ent_lines_release().
 */
int pccs_ent_lines_load(struct pccs_ent_lines *out,
                        const struct pccs_rates *rates, int fy,
                        struct pccs_err *err);
void pccs_ent_lines_release(struct pccs_ent_lines *ls);

#endif
