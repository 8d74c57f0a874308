/* SPDX-License-Identifier: MIT */
/* pccs_path_commit: a file written beside its path is put in place whole,
 * or removed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "base/path.h"

static char dir[64];

static void
write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static bool
exists(const char *path)
{
    return access(path, F_OK) == 0;
}

static void
test_commit_ok(void **state)
{
    (void)state;
    char tmp[128], path[128];
    snprintf(tmp, sizeof(tmp), "%s/a.part", dir);
    snprintf(path, sizeof(path), "%s/a", dir);
    write_file(tmp, "whole");
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_path_commit(tmp, path, PCCS_OK, &err), PCCS_OK);
    assert_false(exists(tmp));
    char buf[16] = "";
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(buf, sizeof(buf), f));
    fclose(f);
    assert_string_equal(buf, "whole");
    remove(path);
}

static void
test_commit_failed(void **state)
{
    (void)state;
    char tmp[128], path[128];
    snprintf(tmp, sizeof(tmp), "%s/b.part", dir);
    snprintf(path, sizeof(path), "%s/b", dir);
    write_file(tmp, "half");
    struct pccs_err err = PCCS_ERR_INIT;
    /* The writer's own error comes back; nothing is left. */
    assert_int_equal(pccs_path_commit(tmp, path, PCCS_EPARSE, &err),
                     PCCS_EPARSE);
    assert_false(exists(tmp));
    assert_false(exists(path));
    /* A rename that fails is an EIO naming the path. */
    snprintf(path, sizeof(path), "%s/no/such/dir/c", dir);
    write_file(tmp, "whole");
    assert_int_equal(pccs_path_commit(tmp, path, PCCS_OK, &err), PCCS_EIO);
    assert_non_null(strstr(err.msg, "/no/such/dir/c: cannot write"));
    assert_false(exists(tmp));
}

int
main(void)
{
    snprintf(dir, sizeof(dir), "%s/pccs-path-XXXXXX",
             getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commit_ok),
        cmocka_unit_test(test_commit_failed),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rmdir(dir);
    return rc;
}
