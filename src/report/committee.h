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

#include <stdbool.h>
#include <stdio.h>

#include "base/err.h"
#include "model/paper.h"

struct pccs_ea_period;

struct pccs_committee_options {
    const char *generated;                /* "2026-11-22", shown on the cover */
    const struct pccs_paper_front *front; /* the cover; NULL: defaults */
    const struct pccs_table *phm; /* cohorts by PCN, or NULL: no section */
    const struct pccs_ea_period *access; /* enhanced access, or NULL */
};

/** Write the paper p (model/paper.h) to f. PCCS_EIO if f fails. */
int pccs_committee_write(FILE *f, const struct pccs_paper *p,
                         const struct pccs_committee_options *o,
                         struct pccs_err *err);

/* What pccs report committee (and the dashboard's paper page) asks. */
struct pccs_committee_request {
    const char *in;   /* the organisation: PCN or above, code in any case */
    const char *year; /* "2022-23"; NULL: the latest payments year */
    bool include_synthetic; /* resilience rates on generated files too */
    const struct pccs_paper_front *front; /* NULL: the defaults */
    const char *generated;                /* the day it is made, "2026-12-02" */
};

/**
 * Gather the paper (pccs_paper_gather()) and write it to f as one HTML
 * file. The errors of pccs_paper_gather() (PCCS_ENOTFOUND, PCCS_EINVAL,
 * err says why) and PCCS_EIO if f fails. st and tree are borrowed.
 * Print it to PDF with pccs_report_pdf() (report/pdf.h).
 */
int pccs_committee_report(FILE *f, struct pccs_store *st,
                          const struct pccs_tree *tree,
                          const struct pccs_committee_request *rq,
                          struct pccs_err *err);

#endif
