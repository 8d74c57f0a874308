/* SPDX-License-Identifier: MIT */
/*
 * An organisation's profile (model/profile.h) as JSON, for `pccs show
 * --format json` and GET /api/orgs/CODE. Each function returns a new
 * reference (owned: json_decref()).
 */
#ifndef PCCS_REPORT_PROFILE_H
#define PCCS_REPORT_PROFILE_H

#include <jansson.h>
#include <stdbool.h>

#include "model/profile.h"

/** {code, name, level}, and source (the file placing it) if asked. */
json_t *pccs_profile_org_json(const struct pccs_profile_org *o,
                              bool with_source);

/**
 * Set in j what every front end says of the profile p alike: names
 * ([{from, name, source}], its names over time), as_at, and parents
 * ([{code, name, level, source}], nearest first).
 */
void pccs_profile_head_json(json_t *j, const struct pccs_profile *p);

/** [{period, practices, registered, weighted, source}]: every period. */
json_t *pccs_profile_pops_json(const struct pccs_profile *p);

/** The table t as its JSON writer writes it; NULL if that fails. */
json_t *pccs_table_json(const struct pccs_table *t);

#endif
