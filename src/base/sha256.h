/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 (FIPS 180-4) of a stream, for the hash of every file loaded.
 * On x86-64 processors with the SHA extensions the blocks go through
 * those instructions (a file of gigabytes hashes about five times faster
 * than in portable C); elsewhere, portable C. The same digest either way.
 */
#ifndef PCCS_SHA256_H
#define PCCS_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCCS_SHA256_BYTES 32

struct pccs_sha256 {
    uint32_t h[8];
    uint64_t bytes;        /* hashed so far */
    unsigned char buf[64]; /* a block not yet full */
    size_t n;              /* bytes in buf */
};

void pccs_sha256_init(struct pccs_sha256 *s);
/** Hash n more bytes of p (borrowed). */
void pccs_sha256_update(struct pccs_sha256 *s, const void *p, size_t n);
/** The digest of everything given; s must be initialised again after. */
void pccs_sha256_final(struct pccs_sha256 *s,
                       unsigned char out[PCCS_SHA256_BYTES]);

/** Tests: use the portable C even where the SHA extensions are. */
void pccs__sha256_portable(bool on);

#endif
