/* SPDX-License-Identifier: MIT */
/*
 * pccs_xgrow (base/xalloc.c): room for what is asked, capacity doubling
 * from 16, the array kept when it already fits, its contents kept when it
 * moves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "base/xalloc.h"

static void
test_xgrow_doubles_from_16(void **state)
{
    (void)state;
    int *a = NULL;
    size_t cap = 0;
    a = pccs_xgrow(a, &cap, 1, sizeof(*a));
    assert_non_null(a);
    assert_int_equal(cap, 16);
    for (int i = 0; i < 16; i++)
        a[i] = i * 3;
    int *same = pccs_xgrow(a, &cap, 16, sizeof(*a));
    assert_ptr_equal(same, a);
    assert_int_equal(cap, 16);
    a = pccs_xgrow(a, &cap, 17, sizeof(*a));
    assert_int_equal(cap, 32);
    for (int i = 0; i < 16; i++)
        assert_int_equal(a[i], i * 3);
    free(a);
}

static void
test_xgrow_to_what_is_needed(void **state)
{
    (void)state;
    char *p = NULL;
    size_t cap = 0;
    p = pccs_xgrow(p, &cap, 1000, 1);
    assert_int_equal(cap, 1024);
    p = pccs_xgrow(p, &cap, 5000, 1);
    assert_int_equal(cap, 8192);
    p[8191] = 'x';
    free(p);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xgrow_doubles_from_16),
        cmocka_unit_test(test_xgrow_to_what_is_needed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
