/* SPDX-License-Identifier: MIT */
/*
 * A small deterministic random stream (SplitMix64) for the synthetic
 * files: the same seed gives the same file on every machine.
 */
#ifndef PCCS_RAND_H
#define PCCS_RAND_H

#include <stdint.h>

/** The next 64 random bits; advances *state. */
uint64_t pccs_rand_next(uint64_t *state);

/** A number in [0, 1) from the top 53 bits of pccs_rand_next(). */
double pccs_rand_uniform(uint64_t *state);

#endif
