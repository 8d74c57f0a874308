/* SPDX-License-Identifier: MIT */
/*
 * The committee report: one self-contained HTML file (styles and SVG
 * charts inline, nothing fetched) for an organisation with children,
 * laid out for A4 print. Every figure in it comes from a `pccs table`
 * (through pccs_table_run), formatted as the terminal shows it, with the
 * table's sources under each section.
 */
#ifndef PCCS_COMMITTEE_H
#define PCCS_COMMITTEE_H

#include <stdio.h>

#include "base/err.h"
#include "model/tree.h"
#include "store/store.h"

struct pccs_committee_options {
    const char *in;   /* the organisation (ICB, sub-ICB, PCN ...) */
    const char *year; /* financial year for payments and entitlements;
                         NULL: the latest payments year loaded */
    const char *generated; /* "2026-11-22", shown on the cover */
    bool include_synthetic; /* resilience: rate on synthetic files too */
};

/** Write the report to f. PCCS_ENOTFOUND for an unknown organisation. */
int pccs_committee_write(FILE *f, struct pccs_store *st,
                         const struct pccs_tree *t,
                         const struct pccs_committee_options *o,
                         struct pccs_err *err);

#endif
