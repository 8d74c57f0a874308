/* SPDX-License-Identifier: MIT */
/*
 * The committee report's enhanced access section (issue 19): for each
 * PCN of the organisation, the minutes of enhanced access the Network
 * Contract DES requires against those its hub offered and delivered over
 * the weeks of one financial year (model/enhanced_access.h), a chart of
 * the organisation's weeks, the period and the sources named; SYNTHETIC
 * when the sessions rest on generated files. Only when sessions are
 * loaded.
 */
#ifndef PCCS_REPORT_COMMITTEE_ACCESS_H
#define PCCS_REPORT_COMMITTEE_ACCESS_H

#include <stdio.h>

#include "model/enhanced_access.h"

/** Write the section for p to f, numbered num. */
void pccs__committee_access_write(FILE *f, const struct pccs_ea_period *p,
                                  int num);

#endif
