/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 (base/sha256.c): the FIPS 180-4 examples, and the digest of
 * every length from 0 to 1,000 bytes and of a megabyte fed in uneven
 * pieces equal to libsodium's (an independent implementation), on
 * whichever compression this processor uses, and on the portable C.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"

static void
hex(const unsigned char *d, char *out)
{
    for (int i = 0; i < PCCS_SHA256_BYTES; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void
digest_of(const void *p, size_t n, char *out)
{
    struct pccs_sha256 s;
    unsigned char d[PCCS_SHA256_BYTES];
    pccs_sha256_init(&s);
    pccs_sha256_update(&s, p, n);
    pccs_sha256_final(&s, d);
    hex(d, out);
}

static void
test_sha256_fips_examples(void **state)
{
    (void)state;
    char h[65];
    digest_of("abc", 3, h);
    assert_string_equal(
        h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    digest_of("", 0, h);
    assert_string_equal(
        h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    digest_of(two, strlen(two), h);
    assert_string_equal(
        h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void
test_sha256_equals_libsodium(void **state)
{
    (void)state;
    assert_true(sodium_init() >= 0);
    size_t big = 1 << 20;
    unsigned char *buf = malloc(big);
    assert_non_null(buf);
    randombytes_buf(buf, big);
    char mine[65], theirs[65];
    unsigned char d[PCCS_SHA256_BYTES];
    for (size_t n = 0; n <= 1000; n++) {
        digest_of(buf, n, mine);
        crypto_hash_sha256(d, buf, n);
        hex(d, theirs);
        assert_string_equal(mine, theirs);
    }
    struct pccs_sha256 s;
    pccs_sha256_init(&s);
    for (size_t off = 0, k = 1; off < big; off += k, k = k * 7 % 9973 + 1)
        pccs_sha256_update(&s, buf + off, off + k > big ? big - off : k);
    pccs_sha256_final(&s, d);
    hex(d, mine);
    crypto_hash_sha256(d, buf, big);
    hex(d, theirs);
    assert_string_equal(mine, theirs);
    free(buf);
}

static void
test_sha256_portable_equals_libsodium(void **state)
{
    pccs__sha256_portable(true);
    test_sha256_fips_examples(state);
    test_sha256_equals_libsodium(state);
    pccs__sha256_portable(false);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_fips_examples),
        cmocka_unit_test(test_sha256_equals_libsodium),
        cmocka_unit_test(test_sha256_portable_equals_libsodium),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
