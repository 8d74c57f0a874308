/* SPDX-License-Identifier: MIT */
/*
 * The committee report's population health section: the cohorts of the
 * Network Contract DES counted per PCN (pccs table cohorts at PCN level
 * within the organisation, disclosure control applied as for any reader
 * but the owning practice), with the as-at day, the files the counts rest
 * on and SYNTHETIC when they rest on generated patients. Only when
 * patient-level records are loaded.
 */
#ifndef PCCS_REPORT_COMMITTEE_PHM_H
#define PCCS_REPORT_COMMITTEE_PHM_H

#include <stdbool.h>
#include <stdio.h>

#include "base/err.h"
#include "model/result.h"
#include "model/tree.h"

struct pccs_store;

/**
 * The cohorts table by PCN within org code in (suppressed) into out.
 * *have is false (and out empty) when no patient-level records are
 * loaded; other errors are returned. Release out with
 * pccs_table_release().
 */
int pccs__committee_phm_gather(struct pccs_store *st,
                               const struct pccs_tree *tree, const char *in,
                               struct pccs_table *out, bool *have,
                               struct pccs_err *err);
/** Write the section for t (from pccs__committee_phm_gather()) to f,
 * numbered num. */
void pccs__committee_phm_write(FILE *f, const struct pccs_table *t, int num);

#endif
