/* SPDX-License-Identifier: MIT */
/*
 * Tables of results (model/result.c): pccs_table_cols() declares the
 * same columns, in the same order, as one pccs_table_col() call each;
 * pccs_note_vdup() formats a note as pccs_table_note() does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "model/result.h"

static void
test_result_cols_spec(void **state)
{
    (void)state;
    struct pccs_table t;
    pccs_table_init(&t, "spec");
    pccs_table_cols(&t, "what  n:i before:2 pct:1 amount:0 basis");
    static const struct {
        const char *name;
        enum pccs_coltype type;
        int decimals;
    } want[] = {{"what", PCCS_COL_TEXT, 0},  {"n", PCCS_COL_INT, 0},
                {"before", PCCS_COL_NUM, 2}, {"pct", PCCS_COL_NUM, 1},
                {"amount", PCCS_COL_NUM, 0}, {"basis", PCCS_COL_TEXT, 0}};
    assert_int_equal(t.ncols, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < t.ncols; i++) {
        assert_string_equal(t.cols[i].name, want[i].name);
        assert_int_equal(t.cols[i].type, want[i].type);
        assert_int_equal(t.cols[i].decimals, want[i].decimals);
        assert_false(t.cols[i].sdc);
    }
    pccs_table_release(&t);
}

static void
test_result_cols_empty(void **state)
{
    (void)state;
    struct pccs_table t;
    pccs_table_init(&t, "empty");
    pccs_table_cols(&t, "");
    assert_int_equal(t.ncols, 0);
    pccs_table_cols(&t, "code");
    assert_int_equal(t.ncols, 1);
    assert_int_equal(t.cols[0].type, PCCS_COL_TEXT);
    pccs_table_release(&t);
}

static char *
note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = pccs_note_vdup(fmt, ap);
    va_end(ap);
    return s;
}

static void
test_result_note_vdup(void **state)
{
    (void)state;
    char *s = note("%s: %d rows", "registered", 42);
    assert_string_equal(s, "registered: 42 rows");
    free(s);
    char big[2000];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    s = note("%s", big);
    assert_int_equal(strlen(s), 1023);
    free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_result_cols_spec),
        cmocka_unit_test(test_result_cols_empty),
        cmocka_unit_test(test_result_note_vdup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
