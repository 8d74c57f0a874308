/* SPDX-License-Identifier: MIT */
/* The SQLite backend of store.h (internal to the store module). */
#ifndef PCCS_SQLITE_H
#define PCCS_SQLITE_H

#include <stddef.h>

#include "store/backend.h"
#include "store/store.h"

/** The SQLite backend's operations (backend.h). */
extern const struct pccs_store_ops pccs__sqlite_ops;

/** Open or create the SQLite store at path and migrate its schema. */
int pccs__sqlite_open(struct pccs_store **out, const char *path,
                      struct pccs_err *err);

/** The database handle (sqlite3 *) of a SQLite store. */
struct sqlite3;
struct sqlite3 *pccs__sqlite_db(struct pccs_store *st);

/** How many schema migrations this build has: a new store's version. */
size_t pccs__sqlite_migrations(void);

#endif
