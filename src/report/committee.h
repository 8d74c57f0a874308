/* SPDX-License-Identifier: MIT */
/*
 * The committee report: one self-contained HTML file (styles and SVG
 * charts inline, nothing fetched) for an organisation with children,
 * laid out for A4 print. Every figure in it comes from the paper's
 * figures gathered by model/paper.c (each a `pccs table` through
 * pccs_table_run), formatted as the terminal shows it, with the table's
 * sources under each section. This module only formats.
 */
#ifndef PCCS_COMMITTEE_H
#define PCCS_COMMITTEE_H

#include <stdio.h>

#include "base/err.h"
#include "model/paper.h"

struct pccs_committee_options {
    const char *generated; /* "2026-11-22", shown on the cover */
};

/** Write the paper p (model/paper.h) to f. PCCS_EIO if f fails. */
int pccs_committee_write(FILE *f, const struct pccs_paper *p,
                         const struct pccs_committee_options *o,
                         struct pccs_err *err);

#endif
