/* SPDX-License-Identifier: MIT */
/*
 * SNOMED CT code lists as data: every *.snomed.txt file (one code, a tab,
 * a description per line) in a directory and its subdirectories, named by
 * the file name before ".snomed.txt" ("efi-falls", "dementia"), plus the
 * lists the rules define by code (data/rules/phm_codes.csv: care home
 * residence). pccs ships no clinical code list whose licence is unclear:
 * the user's directory is $PCCS_CODELISTS.
 */
#ifndef PCCS_CODELISTS_H
#define PCCS_CODELISTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define PCCS_CODELISTS_MAX 64

struct pccs_codelists {
    char *names[PCCS_CODELISTS_MAX];
    size_t n;
    /* open addressing: code -> bit mask of the lists holding it */
    int64_t *keys;
    uint64_t *masks;
    size_t cap, len;
    char dir[512];
};

#define PCCS_CODELISTS_INIT                                                    \
    {                                                                          \
        .n = 0                                                                 \
    }

/**
 * Read every *.snomed.txt under dir (one level of subdirectories) and
 * the rules file rules_csv (list,code,description,source; NULL: none).
 * A line whose first field is not a SNOMED CT concept id is refused
 * with FILE:LINE:COL.
 */
int pccs_codelists_load(struct pccs_codelists *cl, const char *dir,
                        const char *rules_csv, struct pccs_err *err);
/**
 * From $PCCS_CODELISTS and $PCCS_RULES/phm_codes.csv (else
 * data/rules/phm_codes.csv). PCCS_EINVAL naming the variable when it is
 * not set.
 */
int pccs_codelists_load_default(struct pccs_codelists *cl,
                                struct pccs_err *err);
void pccs_codelists_release(struct pccs_codelists *cl);
/** The index of list name, or -1. */
int pccs_codelists_find(const struct pccs_codelists *cl, const char *name);
/** The lists holding code, as bits (1 << index); 0 for none. */
uint64_t pccs_codelists_mask(const struct pccs_codelists *cl, int64_t code);
/**
 * The codes of list index i, ascending, into a new array (*out, free it);
 * returns how many.
 */
size_t pccs_codelists_codes(const struct pccs_codelists *cl, int i,
                            int64_t **out);
/** Is s (digits) a SNOMED CT concept id (6 to 18 digits)? */
bool pccs_is_snomed(const char *s, size_t len, int64_t *code);

#endif
