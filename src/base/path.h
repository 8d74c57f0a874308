/* SPDX-License-Identifier: MIT */
/*
 * Where pccs finds its bundled data (rates, rules, weights, maps): the
 * directory $PCCS_DATA, else ./data, else next to the binary (DIR/data,
 * DIR/../data, DIR/../../data for build trees, DIR/../share/pccs once
 * installed), so pccs works from any working directory.
 */
#ifndef PCCS_PATH_H
#define PCCS_PATH_H

#include <stdbool.h>
#include <stddef.h>

/**
 * The path of rel ("rates", "rules/resilience.csv") under the first data
 * directory where it exists, into out. False (out holds ./data/rel) when
 * it exists nowhere.
 */
bool pccs_data_path(const char *rel, char *out, size_t n);

struct pccs_err;

/**
 * Finish a file written whole to tmp beside path: when rc is PCCS_OK,
 * rename tmp to path; when rc is not, or the rename fails, remove tmp.
 * Returns rc, or the rename's PCCS_EIO ("PATH: cannot write: why").
 */
int pccs_path_commit(const char *tmp, const char *path, int rc,
                     struct pccs_err *err);

#endif
