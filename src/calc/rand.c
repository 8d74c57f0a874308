/* SPDX-License-Identifier: MIT */
/* SplitMix64 (Steele, Lea and Flood 2014), as java.util.SplittableRandom. */
#include "calc/rand.h"

uint64_t
pccs_rand_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

double
pccs_rand_uniform(uint64_t *state)
{
    return (double)(pccs_rand_next(state) >> 11) / 9007199254740992.0;
}
