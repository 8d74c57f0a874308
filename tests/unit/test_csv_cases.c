/* SPDX-License-Identifier: MIT */
/* Runs every data-driven case in tests/cases/csv (see its README.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "formats/csv.h"

#define CASES "tests/cases/csv"

static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct pccs_buf b = PCCS_BUF_INIT;
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
        pccs_buf_add(&b, tmp, n);
    fclose(f);
    return pccs_buf_detach(&b, len);
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void
run_case(const char *path)
{
    size_t len;
    char *text = slurp(path, &len);
    char *in = strstr(text, "--- input");
    assert_non_null(in);
    char *flags_end = strchr(in, '\n');
    assert_non_null(flags_end);
    *flags_end = '\0';
    bool crlf = strstr(in, "crlf"), nonl = strstr(in, "nonl");
    bool esc = strstr(in, " esc"), width = strstr(in, "width");
    char *body = flags_end + 1;
    char *mark = strstr(body, "\n--- ");
    assert_non_null(mark);
    mark[1] = '\0'; /* body keeps its last LF */
    char *section = mark + 2;

    struct pccs_buf input = PCCS_BUF_INIT;
    for (char *p = body; *p; p++) {
        if (esc && p[0] == '\\' && p[1] == 'x' && hexval(p[2]) >= 0 &&
            hexval(p[3]) >= 0) {
            pccs_buf_addch(&input, (char)(hexval(p[2]) * 16 + hexval(p[3])));
            p += 3;
        }
        else if (crlf && *p == '\n') {
            pccs_buf_add(&input, "\r\n", 2);
        }
        else {
            pccs_buf_addch(&input, *p);
        }
    }
    if (nonl) {
        if (input.len && input.p[input.len - 1] == '\n')
            input.len--;
        if (crlf && input.len && input.p[input.len - 1] == '\r')
            input.len--;
    }

    struct pccs_csv_reader *r;
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_csv_open_mem(&r, input.p, input.len, "case",
                                       width ? PCCS_CSV_SAME_WIDTH : 0, &err),
                     PCCS_OK);
    json_t *got = json_array();
    struct pccs_csv_record rec;
    int rc;
    while ((rc = pccs_csv_next(r, &rec, &err)) == 1) {
        json_t *row = json_array();
        for (size_t i = 0; i < rec.nfields; i++)
            json_array_append_new(
                row, json_stringn(rec.fields[i].p, rec.fields[i].len));
        json_array_append_new(got, row);
    }
    char *want_line = strchr(section, '\n');
    assert_non_null(want_line);
    *want_line++ = '\0';
    if (strcmp(section, "--- error") == 0 || strcmp(section, "- error") == 0 ||
        strstr(section, "error")) {
        char *nl = strchr(want_line, '\n');
        if (nl)
            *nl = '\0';
        if (rc >= 0)
            fail_msg("%s: expected an error containing \"%s\", got none", path,
                     want_line);
        if (!strstr(err.msg, want_line))
            fail_msg("%s: error \"%s\" does not contain \"%s\"", path, err.msg,
                     want_line);
    }
    else {
        if (rc < 0)
            fail_msg("%s: unexpected error %s", path, err.msg);
        json_error_t je;
        json_t *want = json_loads(want_line, JSON_DISABLE_EOF_CHECK, &je);
        if (!want)
            fail_msg("%s: bad expect JSON: %s", path, je.text);
        if (!json_equal(got, want)) {
            char *g = json_dumps(got, 0);
            fail_msg("%s:\n got  %s\n want %s", path, g, want_line);
        }
        json_decref(want);
    }
    json_decref(got);
    pccs_csv_free(r);
    pccs_buf_release(&input);
    free(text);
}

static void
test_csv_cases_all(void **state)
{
    (void)state;
    DIR *d = opendir(CASES);
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".case") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", CASES, e->d_name);
        run_case(path);
        n++;
    }
    closedir(d);
    assert_true(n >= 25);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_cases_all),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
