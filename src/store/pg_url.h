/* SPDX-License-Identifier: MIT */
/* PostgreSQL store names (internal to the store module): no libpq here. */
#ifndef PCCS_PG_URL_H
#define PCCS_PG_URL_H

#include <stdbool.h>
#include <stddef.h>

/** Does spec name a PostgreSQL store (postgres:// or postgresql://)? */
bool pccs__pg_url_is(const char *spec);
/**
 * url without its password, for messages: "postgresql://ann:s3cret@db/x"
 * and "postgresql://ann@db/x?password=s3cret" both give
 * "postgresql://ann@db/x"; the other query parameters stay. Into buf
 * (n bytes, cut short if need be); returns buf.
 */
char *pccs__pg_url_safe(const char *url, char *buf, size_t n);

#endif
