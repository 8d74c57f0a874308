/* SPDX-License-Identifier: MIT */
/*
 * Borrowed string slices (pointer and length, not NUL-terminated) and the
 * strict number parsers the loaders use on them.
 */
#ifndef PCCS_STR_H
#define PCCS_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pccs_str {
    const char *p;
    size_t len;
};

#define PCCS_STR_LIT(s) ((struct pccs_str){(s), sizeof(s) - 1})
#define PCCS_STR_EMPTY ((struct pccs_str){"", 0})

/** A slice of a NUL-terminated string (borrowed). */
struct pccs_str pccs_str_from(const char *s);
/** The slice without leading and trailing spaces, tabs, CR and LF. */
struct pccs_str pccs_str_trim(struct pccs_str s);
/** Exact comparison with a C string. */
bool pccs_str_eq(struct pccs_str s, const char *c);
/** ASCII case-insensitive comparison with a C string. */
bool pccs_str_ieq(struct pccs_str s, const char *c);
/**
 * Header-name comparison: case-insensitive, ignoring spaces, underscores,
 * line breaks and a trailing dot, so "Sub ICB\nLoc Code" matches
 * "SUB_ICB_LOC_CODE".
 */
bool pccs_str_name_eq(struct pccs_str s, const char *c);
/**
 * Parse a whole field as a signed decimal integer (surrounding spaces
 * allowed, nothing else). Returns PCCS_OK or PCCS_EPARSE.
 */
int pccs_str_to_i64(struct pccs_str s, int64_t *out);
/**
 * Parse a whole field as a finite decimal number ("12", "-3.5", "1e3";
 * thousands separators are refused). Returns PCCS_OK or PCCS_EPARSE.
 */
int pccs_str_to_double(struct pccs_str s, double *out);
/** Copy into dst (size n, always NUL-terminated, truncating). */
void pccs_str_copy(struct pccs_str s, char *dst, size_t n);

#endif
