/* SPDX-License-Identifier: MIT */
/* Loader for this format family: being written (kinds declared so the registry links). */
#include "sources/sources.h"

const struct pccs_source_kind pccs_source_qof_prevalence = { "qof_prevalence", "(loader being written)", NULL, 0, NULL, NULL, NULL, NULL };
const struct pccs_source_kind pccs_source_qof_geographies = { "qof_geographies", "(loader being written)", NULL, 0, NULL, NULL, NULL, NULL };
const struct pccs_source_kind pccs_source_qof_org_reference = { "qof_org_reference", "(loader being written)", NULL, 0, NULL, NULL, NULL, NULL };
const struct pccs_source_kind pccs_source_qof_indicators = { "qof_indicators", "(loader being written)", NULL, 0, NULL, NULL, NULL, NULL };
const struct pccs_source_kind pccs_source_qof_validation = { "qof_validation", "(loader being written)", NULL, 0, NULL, NULL, NULL, NULL };
