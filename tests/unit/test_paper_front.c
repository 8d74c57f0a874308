/* SPDX-License-Identifier: MIT */
/*
 * The committee paper's cover (model/paper_front.c): the defaults, each
 * key of the paper file, the first recommendation replacing the default
 * ones, and bad input named with its line and column.
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

#include "model/paper.h"

static void
test_front_defaults(void **state)
{
    (void)state;
    struct pccs_paper_front f;
    pccs_paper_front_init(&f);
    assert_string_equal(f.meeting, "Primary Care Commissioning Committee");
    assert_string_equal(f.date, "");
    assert_int_equal(f.purpose, PCCS_PURPOSE_ASSURANCE);
    assert_int_equal(f.nrecs, 3);
    assert_false(f.recs_given);
    assert_non_null(strstr(f.impl[5], "Not assessed"));
    assert_string_equal(pccs_paper_impl_keys[5], "baf_risks");
    assert_string_equal(pccs_paper_impl_labels[5],
                        "Board Assurance Framework risks");
}

static void
test_front_set(void **state)
{
    (void)state;
    struct pccs_paper_front f;
    struct pccs_err err = PCCS_ERR_INIT;
    pccs_paper_front_init(&f);
    assert_int_equal(pccs_paper_front_set(&f, "purpose", "Decision", &err),
                     PCCS_OK);
    assert_int_equal(f.purpose, PCCS_PURPOSE_DECISION);
    assert_int_equal(pccs_paper_front_set(&f, "recommendation", "approve X",
                                          &err),
                     PCCS_OK);
    assert_int_equal(pccs_paper_front_set(&f, "recommendation", "note Y",
                                          &err),
                     PCCS_OK);
    assert_int_equal(f.nrecs, 2);
    assert_string_equal(f.recs[0], "approve X");
    assert_string_equal(f.recs[1], "note Y");
    assert_int_equal(pccs_paper_front_set(&f, "finance", "None", &err),
                     PCCS_OK);
    assert_string_equal(f.impl[1], "None");
    assert_int_equal(pccs_paper_front_set(&f, "date", "2026-12-10", &err),
                     PCCS_OK);
    assert_int_equal(pccs_paper_front_set(&f, "date", "10 Dec", &err),
                     PCCS_EINVAL);
    assert_int_equal(pccs_paper_front_set(&f, "purpose", "maybe", &err),
                     PCCS_EINVAL);
    assert_non_null(strstr(err.msg, "decision, assurance or information"));
    assert_int_equal(pccs_paper_front_set(&f, "colour", "blue", &err),
                     PCCS_EINVAL);
    char longv[300];
    memset(longv, 'x', sizeof(longv) - 1);
    longv[sizeof(longv) - 1] = '\0';
    assert_int_equal(pccs_paper_front_set(&f, "meeting", longv, &err),
                     PCCS_EINVAL);
    assert_non_null(strstr(err.msg, "at most 159 characters"));
}

/* Write text to a fresh file; its path in path (64 bytes). */
static void
write_file(char *path, const char *text)
{
    snprintf(path, 64, "/tmp/pccs-paper-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static void
test_front_load(void **state)
{
    (void)state;
    struct pccs_paper_front f;
    struct pccs_err err = PCCS_ERR_INIT;
    char path[64];
    pccs_paper_front_init(&f);
    write_file(path, "key,value\nagenda_item,7.2\n"
                     "lead,\"Director of Primary Care, ICB\"\n");
    assert_int_equal(pccs_paper_front_load(&f, path, &err), PCCS_OK);
    assert_string_equal(f.agenda_item, "7.2");
    assert_string_equal(f.lead, "Director of Primary Care, ICB");
    unlink(path);

    write_file(path, "key,value\nmeeting,Board\npurpose,maybe\n");
    assert_int_equal(pccs_paper_front_load(&f, path, &err), PCCS_EPARSE);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 2);
    unlink(path);

    write_file(path, "name,text\nmeeting,Board\n");
    assert_int_equal(pccs_paper_front_load(&f, path, &err), PCCS_EPARSE);
    assert_int_equal(err.line, 1);
    assert_non_null(strstr(err.msg, "key,value"));
    unlink(path);

    write_file(path, "key,value\nmeeting\n");
    assert_int_equal(pccs_paper_front_load(&f, path, &err), PCCS_EPARSE);
    assert_int_equal(err.line, 2);
    unlink(path);

    assert_int_equal(pccs_paper_front_load(&f, "/nonexistent/p.csv", &err),
                     PCCS_EIO);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_front_defaults),
        cmocka_unit_test(test_front_set),
        cmocka_unit_test(test_front_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
