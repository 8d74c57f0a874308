/* SPDX-License-Identifier: MIT */
/*
 * The synthetic files' random stream. Expected values: SplitMix64's
 * published outputs for seed 0 (the reference C of Vigna's
 * splitmix64.c; java.util.SplittableRandom gives the same), computed
 * independently with python3 integers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "calc/rand.h"

static void
test_rand_stream(void **state)
{
    (void)state;
    uint64_t s = 0;
    assert_true(pccs_rand_next(&s) == UINT64_C(0xE220A8397B1DCDAF));
    assert_true(pccs_rand_next(&s) == UINT64_C(0x6E789E6AA1B965F4));
    assert_true(pccs_rand_next(&s) == UINT64_C(0x06C45D188009454F));
}

static void
test_rand_uniform(void **state)
{
    (void)state;
    uint64_t s = 0;
    /* 0xE220A8397B1DCDAF >> 11 = 7956156453446585, over 2^53 */
    assert_true(pccs_rand_uniform(&s) ==
                7956156453446585.0 / 9007199254740992.0);
    for (int i = 0; i < 1000; i++) {
        double u = pccs_rand_uniform(&s);
        assert_true(u >= 0 && u < 1);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rand_stream),
        cmocka_unit_test(test_rand_uniform),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
