/* SPDX-License-Identifier: MIT */
/*
 * What the parts of loading a file share, inside sources/ only: load.c
 * (the ingest transaction), recognise.c (which kind a file is), fields.c
 * (column binding and field getters) and progress.c (the progress line).
 * Loaders use sources/loader.h, never this header.
 */
#ifndef PCCS_LOAD_INTERNAL_H
#define PCCS_LOAD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "sources/loader.h"

/* ===== fields.c ===== */

/**
 * Does header field match one of names ('|'-separated spellings,
 * compared ignoring case, spaces, underscores and line breaks)?
 */
bool pccs__load_name_matches(struct pccs_str field, const char *names);

/* ===== recognise.c ===== */

/** Is path a zip (an xlsx workbook), from its first four bytes? */
bool pccs__load_is_zip(const char *path);
/** The kind whose header or shape first matches, or NULL. */
const struct pccs_source_kind *
pccs__load_recognise_csv(const struct pccs_csv_record *first);
/** The kind that recognises workbook x, or NULL. */
const struct pccs_source_kind *pccs__load_recognise_xlsx(struct pccs_xlsx *x);
/**
 * The refusal of a CSV no kind recognises: the columns found and what
 * the closest known layout also needs, at FILE:LINE:COL. Returns
 * PCCS_EPARSE.
 */
int pccs__load_unrecognised_csv(const char *name,
                                const struct pccs_csv_record *first,
                                struct pccs_err *err);
/** The refusal of a workbook no kind recognises. Returns PCCS_EPARSE. */
int pccs__load_unrecognised_xlsx(const char *name, struct pccs_xlsx *x,
                                 struct pccs_err *err);

/**
 * An NDJSON file (its first byte after blanks is '{')? Then *kind is the
 * kind whose sniff_ndjson accepts its first line, or NULL.
 */
bool pccs__load_recognise_ndjson(const char *path,
                                 const struct pccs_source_kind **kind);

/* ===== progress.c ===== */

/**
 * Start the clock of ld's progress line for a file of size bytes; the
 * first line waits PCCS_PROGRESS_AFTER seconds (1 by default).
 */
void pccs__load_progress_start(struct pccs_load *ld, uint64_t size);
/** Erase the progress line if one was drawn. */
void pccs__load_progress_clear(struct pccs_load *ld);

/* ===== load.c ===== */

/**
 * Once the file's hash is known, is it already in the store? Sets
 * ld->duplicate; the write helpers then stop the load. Cheap to call
 * often.
 */
void pccs__load_check_duplicate(struct pccs_load *ld);

#endif
