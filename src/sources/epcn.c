/* SPDX-License-Identifier: MIT */
/* Loader for this format family: being written (kinds declared so the registry links). */
#include "sources/sources.h"

const struct pccs_source_kind pccs_source_epcn = { "epcn", "(loader being written)", NULL, 0, NULL, NULL, NULL, NULL };
