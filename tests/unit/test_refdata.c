/* SPDX-License-Identifier: MIT */
/*
 * Reference data is read once per process: a file asked for twice is
 * parsed once (a change on disk is not seen), keeps the SHA-256 of the
 * bytes first read, and is listed; a file that cannot be read is an error
 * that is not kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/refdata.h"

static char dir[64], path[128];

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/pccs-refdata-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof(path), "%s/map.csv", dir);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd);
}

static void
write_file(const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int
count(void *ctx, const struct pccs_refdata *r)
{
    if (!strcmp(r->path, path))
        (*(int *)ctx)++;
    return 0;
}

static void
test_refdata_read_once(void **state)
{
    (void)state;
    struct pccs_err err = PCCS_ERR_INIT;
    const struct pccs_refdata *a, *b;
    assert_int_equal(pccs_refdata_get(path, 0, &a, &err), PCCS_EIO);
    write_file("code,label,source\r\nAF,\"Atrial, fibrillation\",QOF\r\n");
    assert_int_equal(pccs_refdata_get(path, 0, &a, &err), PCCS_OK);
    assert_int_equal(a->nrecords, 2);
    assert_int_equal(a->records[1].nfields, 3);
    assert_int_equal(a->records[1].line, 2);
    assert_int_equal(a->records[1].fields[1].len, 20);
    assert_memory_equal(a->records[1].fields[1].p, "Atrial, fibrillation", 20);
    /* sha256sum of the bytes above */
    assert_string_equal(a->sha256, "769436eac1d231b67ab39777d0c61e90a1e88c77"
                                   "0e357afa8326b8b4d3af3f61");
    write_file("code,label,source\r\nXX,Changed,QOF\r\n");
    assert_int_equal(pccs_refdata_get(path, 0, &b, &err), PCCS_OK);
    assert_ptr_equal(a, b);
    assert_memory_equal(b->records[1].fields[0].p, "AF", 2);
    int n = 0;
    pccs_refdata_each(count, &n);
    assert_int_equal(n, 1);
}

static void
test_refdata_bad_csv(void **state)
{
    (void)state;
    char bad[160];
    snprintf(bad, sizeof(bad), "%s/bad.csv", dir);
    FILE *f = fopen(bad, "wb");
    assert_non_null(f);
    fputs("a,b\n1,\"2\n", f);
    fclose(f);
    struct pccs_err err = PCCS_ERR_INIT;
    const struct pccs_refdata *r;
    assert_int_equal(pccs_refdata_get(bad, 0, &r, &err), PCCS_EPARSE);
    assert_non_null(strstr(err.msg, "bad.csv:2:"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refdata_read_once),
        cmocka_unit_test(test_refdata_bad_csv),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
