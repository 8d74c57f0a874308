/* SPDX-License-Identifier: MIT */
/*
 * Readable labels for coded columns (QOF groups, ARRS roles) from the
 * maps in data/maps/, as a column beside the code.
 */
#ifndef PCCS_LABELS_H
#define PCCS_LABELS_H

#include "base/err.h"
#include "model/result.h"

/**
 * Add the label columns table t (built by the table called table) has a
 * map for: "<column>_label" as the last column, and a note
 * naming the map and its source. PCCS_EIO or PCCS_EPARSE for a map that
 * cannot be read.
 */
int pccs_labels_add(const char *table, struct pccs_table *t,
                    struct pccs_err *err);

/**
 * A readable label for a result column, with its unit: "total" -> "Total
 * payments (£)", "list_change_12m_pct_rag" -> "List change over 12
 * months (%): rating"; a name without a label of its own in words, "(%)"
 * for one ending _pct. Written to buf (n bytes). The CLI's CSV, the API's
 * keys and downloads keep the name; the JSON writer gives the labels
 * beside (report/table.c).
 */
void pccs_labels_column(const char *name, char *buf, size_t n);

#endif
