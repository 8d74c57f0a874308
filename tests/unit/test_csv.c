/* SPDX-License-Identifier: MIT */
/*
 * CSV reader tests that the data-driven cases cannot express: records
 * larger than the read buffer, a real Windows-1252 file, files that cannot
 * be opened. (The syntax cases live in tests/cases/csv.)
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

#include "formats/csv.h"

#define WF "data/nhs/pcn-workforce-individual-level_2022-09.csv"

static char tmpdir[64];

static int
setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/pccs-csv-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
    return system(cmd);
}

/* A 3 MiB quoted field with line breaks, then a CRLF record. */
static void
test_csv_record_bigger_than_buffer(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof(path), "%s/big.csv", tmpdir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("a,\"", f);
    size_t big = 3u << 20;
    for (size_t i = 0; i < big; i++)
        fputc(i % 1000 == 999 ? '\n' : (i % 7 == 0 ? '"' : 'x'), f);
    fputs("\",z\r\nlast,row,here\r\n", f);
    fclose(f);
    struct pccs_csv_reader *r;
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_csv_open(&r, path, NULL, 0, &err), PCCS_OK);
    struct pccs_csv_record rec;
    /* Each '"' inside was written once: the file is malformed there. */
    int rc = pccs_csv_next(r, &rec, &err);
    assert_true(rc < 0);
    pccs_csv_free(r);

    f = fopen(path, "wb");
    fputs("a,\"", f);
    for (size_t i = 0; i < big; i++) {
        if (i % 7 == 0)
            fputs("\"\"", f);
        else
            fputc(i % 1000 == 999 ? '\n' : 'x', f);
    }
    fputs("\",z\r\nlast,row,here\r\n", f);
    fclose(f);
    assert_int_equal(pccs_csv_open(&r, path, NULL, 0, &err), PCCS_OK);
    assert_int_equal(pccs_csv_next(r, &rec, &err), 1);
    assert_int_equal(rec.nfields, 3);
    assert_int_equal(rec.fields[1].len, big);
    size_t quotes = 0, newlines = 0;
    for (size_t i = 0; i < rec.fields[1].len; i++) {
        quotes += rec.fields[1].p[i] == '"';
        newlines += rec.fields[1].p[i] == '\n';
    }
    assert_int_equal(quotes, (big + 6) / 7);
    assert_true(newlines > 2000);
    assert_int_equal(rec.fields[2].len, 1);
    assert_int_equal(pccs_csv_next(r, &rec, &err), 1);
    assert_int_equal(rec.line, (int64_t)newlines + 2);
    assert_int_equal(rec.nfields, 3);
    assert_memory_equal(rec.fields[2].p, "here", 4);
    assert_int_equal(pccs_csv_next(r, &rec, &err), 0);
    pccs_csv_free(r);
}

/* Many short records so that CRLF pairs fall on every buffer edge. */
static void
test_csv_crlf_across_refills(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof(path), "%s/many.csv", tmpdir);
    FILE *f = fopen(path, "wb");
    long n = 400000;
    for (long i = 0; i < n; i++)
        fprintf(f, "%ld,\"q%ld\"\r\n", i, i % 97);
    fclose(f);
    struct pccs_csv_reader *r;
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_csv_open(&r, path, NULL, PCCS_CSV_SAME_WIDTH, &err),
                     PCCS_OK);
    struct pccs_csv_record rec;
    long k = 0;
    int rc;
    while ((rc = pccs_csv_next(r, &rec, &err)) == 1) {
        char want[32];
        snprintf(want, sizeof(want), "q%ld", k % 97);
        assert_int_equal(rec.fields[1].len, strlen(want));
        assert_memory_equal(rec.fields[1].p, want, strlen(want));
        assert_int_equal(rec.line, k + 1);
        k++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(k, n);
    assert_string_equal(pccs_csv_encoding(r), "ascii");
    pccs_csv_free(r);
}

/*
 * The real PCN workforce file: 17,240 records (header and 17,239 rows, as
 * SOURCES.md says), Windows-1252. Independently (python3, open with
 * encoding cp1252): the first en dash is on line 7, field 14,
 * "Clinical Director – Medical".
 */
static void
test_csv_real_windows_1252_file(void **state)
{
    (void)state;
    struct pccs_csv_reader *r;
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_csv_open(&r, WF, NULL, PCCS_CSV_SAME_WIDTH, &err),
                     PCCS_OK);
    struct pccs_csv_record rec;
    long n = 0;
    int rc;
    bool seen = false;
    while ((rc = pccs_csv_next(r, &rec, &err)) == 1) {
        n++;
        if (rec.line == 7) {
            const char *want = "Clinical Director \xE2\x80\x93 Medical";
            assert_int_equal(rec.fields[13].len, strlen(want));
            assert_memory_equal(rec.fields[13].p, want, strlen(want));
            seen = true;
        }
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, 17240);
    assert_true(seen);
    assert_string_equal(pccs_csv_encoding(r), "windows-1252");
    pccs_csv_free(r);
}

static void
test_csv_open_errors(void **state)
{
    (void)state;
    struct pccs_csv_reader *r;
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_csv_open(&r, tmpdir, "dir.csv", 0, &err), PCCS_EIO);
    assert_non_null(strstr(err.msg, "dir.csv: is a directory"));
    assert_int_equal(pccs_csv_open(&r, "/nonexistent/x.csv", NULL, 0, &err),
                     PCCS_EIO);
    assert_non_null(strstr(err.msg, "cannot open"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_record_bigger_than_buffer),
        cmocka_unit_test(test_csv_crlf_across_refills),
        cmocka_unit_test(test_csv_real_windows_1252_file),
        cmocka_unit_test(test_csv_open_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
