/* SPDX-License-Identifier: MIT */
/* PostgreSQL store names: recognised, and shown without the password. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "store/pg_url.h"

static const char *
safe(const char *url)
{
    static char buf[256];
    return pccs__pg_url_safe(url, buf, sizeof(buf));
}

static void
test_pg_url_recognised(void **state)
{
    (void)state;
    assert_true(pccs__pg_url_is("postgres://db/x"));
    assert_true(pccs__pg_url_is("postgresql://ann@db/x"));
    assert_false(pccs__pg_url_is("pccs.db"));
    assert_false(pccs__pg_url_is("postgresql:/db"));
    assert_false(pccs__pg_url_is("./postgresql://x"));
    assert_false(pccs__pg_url_is(NULL));
}

static void
test_pg_url_hides_the_password(void **state)
{
    (void)state;
    assert_string_equal(safe("postgresql://ann:s3cret@db.example:5433/pccs"),
                        "postgresql://ann@db.example:5433/pccs");
    assert_string_equal(safe("postgres://ann@db/pccs?password=s3cret"),
                        "postgres://ann@db/pccs");
    assert_string_equal(
        safe("postgresql://ann:pw@/pccs?host=/tmp/s&password=x&port=5"),
        "postgresql://ann@/pccs?host=/tmp/s&port=5");
    /* No user, no password: unchanged. */
    assert_string_equal(safe("postgresql://postgres@/x?host=/tmp/a&port=1"),
                        "postgresql://postgres@/x?host=/tmp/a&port=1");
    assert_string_equal(safe("postgresql:///pccs"), "postgresql:///pccs");
    assert_string_equal(safe("postgresql://db"), "postgresql://db");
    /* An '@' in the path is not a user's. */
    assert_string_equal(safe("postgresql://db/a@b"), "postgresql://db/a@b");
    /* A password holding ':' goes whole. */
    assert_string_equal(safe("postgresql://u:a:b@h/d"), "postgresql://u@h/d");
}

static void
test_pg_url_cut_short(void **state)
{
    (void)state;
    char buf[12];
    pccs__pg_url_safe("postgresql://ann:pw@db/pccs", buf, sizeof(buf));
    assert_string_equal(buf, "postgresql:");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pg_url_recognised),
        cmocka_unit_test(test_pg_url_hides_the_password),
        cmocka_unit_test(test_pg_url_cut_short),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
