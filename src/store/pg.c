/* SPDX-License-Identifier: MIT */
/* The PostgreSQL backend of the store (not built yet). */
#include "store/backend.h"

int
pccs__pg_open(struct pccs_store **out, const char *url, struct pccs_err *err)
{
    (void)url;
    *out = NULL;
    return pccs_err_set(err, PCCS_EUNSUPPORTED,
                        "the PostgreSQL backend is not built yet; use a "
                        "SQLite file path");
}
