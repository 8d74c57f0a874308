/* SPDX-License-Identifier: MIT */
/*
 * Disclosure control applied to a table (model/table_run.c) over a
 * hand-made tree: a practice reading sees its own row as it is and every
 * other row controlled; rows roll up into their PCN, whether the PCN is
 * a row of the table or a total shown by another question, so one hidden
 * practice is never the PCN minus its siblings; England is not
 * controlled; a table over a register belongs to its loader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "model/tables.h"

static void
org(struct pccs_tree *t, const char *code, const char *level)
{
    struct pccs_org_row o = {.code = code,
                             .level = level,
                             .name = code,
                             .open_date = PCCS_DAY_NONE,
                             .close_date = PCCS_DAY_NONE};
    pccs_tree_add_org(t, &o);
}

static void
link(struct pccs_tree *t, const char *child, const char *parent,
     const char *level)
{
    struct pccs_link_row l = {.child = child,
                              .parent = parent,
                              .parent_level = level,
                              .start = pccs_date_from_ymd(2020, 1, 1),
                              .end = PCCS_DAY_NONE,
                              .observed = true,
                              .source_id = 1};
    pccs_tree_add_link(t, &l);
}

/* U1: P1, P2, P3; U2: P4, P5; both in 16C, in England. */
static void
build(struct pccs_tree *t)
{
    static const char *const pr[] = {"P1", "P2", "P3", "P4", "P5"};
    for (size_t i = 0; i < 5; i++)
        org(t, pr[i], "practice");
    org(t, "U1", "pcn");
    org(t, "U2", "pcn");
    org(t, "16C", "sub_icb");
    org(t, "ENG", "england");
    for (size_t i = 0; i < 5; i++)
        link(t, pr[i], i < 3 ? "U1" : "U2", "pcn");
    link(t, "U1", "16C", "sub_icb");
    link(t, "U2", "16C", "sub_icb");
    link(t, "16C", "ENG", "england");
    pccs_tree_finish(t);
}

/* code, patients: P1 5, P2 33, P3 30, P4 20, P5 3, U2 23, ENG 4. */
static void
cohort(struct pccs_table *t)
{
    static const char *const code[] = {"P1", "P2", "P3", "P4",
                                       "P5", "U2", "ENG"};
    static const int n[] = {5, 33, 30, 20, 3, 23, 4};
    pccs_table_init(t, "cohort");
    pccs_table_col(t, "code", PCCS_COL_TEXT, 0);
    pccs_table_col(t, "patients", PCCS_COL_INT, 0);
    pccs_table_col_sdc(t);
    for (size_t i = 0; i < 7; i++) {
        pccs_table_row(t);
        pccs_table_text(t, code[i]);
        pccs_table_int(t, n[i]);
    }
    pccs_table_sdc_orgs(t, 0, 0 /* PCCS_PRACTICE */);
}

/* The column as shown: numbers, "*" for a mark. */
static void
shown(const struct pccs_table *t, char *out, size_t n)
{
    out[0] = '\0';
    for (size_t r = 0; r < t->nrows; r++) {
        const struct pccs_cell *c = pccs_table_cell(t, r, 1);
        size_t used = strlen(out);
        if (c->null)
            snprintf(out + used, n - used, "%s ", c->text ? c->text : "-");
        else
            snprintf(out + used, n - used, "%g ", c->num);
    }
}

static void
read_as(const struct pccs_tree *tree, const char *viewer, bool suppress,
        const char *want)
{
    struct pccs_table t;
    cohort(&t);
    struct pccs_table_query q = {.level = PCCS_LEVEL_NONE,
                                 .at = PCCS_DAY_NONE,
                                 .viewer = viewer,
                                 .suppress = suppress};
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_table_disclose(&t, tree, &q, &err), PCCS_OK);
    char got[256];
    shown(&t, got, sizeof(got));
    assert_string_equal(got, want);
    pccs_table_release(&t);
}

static void
test_rollup(void **state)
{
    (void)state;
    setenv("PCCS_RULES", "data/rules", 1);
    struct pccs_tree tree = PCCS_TREE_INIT;
    build(&tree);
    /*
     * Anyone but P2: P1 (5) hidden; U1's total (68, another question's
     * answer) minus P2 and P3 would give it, so the smaller (P3) goes
     * too. P5 (3) hidden; U2 is a row: P4 goes with it (U2 itself is 23
     * and shown rounded). England's 4 is shown as it is.
     */
    read_as(&tree, "", false, "* 35 * * * 25 4 ");
    read_as(&tree, "16C", false, "* 35 * * * 25 4 ");
    read_as(&tree, "U2", false, "* 35 * * * 25 4 "); /* a PCN owns none */
    /* P2 sees its own 33; P3 still hides P1 from it. */
    read_as(&tree, "P2", false, "* 33 * * * 25 4 ");
    /* --suppress: as for a reader who owns nothing, whoever it is. */
    read_as(&tree, "P2", true, "* 35 * * * 25 4 ");
    /* The data's owner (no viewer, no --suppress): nothing to do here;
     * pccs_table_run() does not call this step. */
    pccs_tree_release(&tree);
}

static void
test_register_owner(void **state)
{
    (void)state;
    setenv("PCCS_RULES", "data/rules", 1);
    struct pccs_tree tree = PCCS_TREE_INIT;
    build(&tree);
    for (int k = 0; k < 3; k++) {
        struct pccs_table t;
        cohort(&t);
        pccs_table_sdc_owner(&t, k == 2 ? NULL : "16C");
        struct pccs_table_query q = {.level = PCCS_LEVEL_NONE,
                                     .at = PCCS_DAY_NONE,
                                     .viewer = k == 1 ? "U1" : "16C"};
        struct pccs_err err = PCCS_ERR_INIT;
        assert_int_equal(pccs_table_disclose(&t, &tree, &q, &err), PCCS_OK);
        char got[256];
        shown(&t, got, sizeof(got));
        /* 16C's own register as it is; U1 and a register of no one's
         * controlled. */
        assert_string_equal(got, k == 0 ? "5 33 30 20 3 23 4 "
                                        : "* 35 * * * 25 4 ");
        bool noted = false;
        for (size_t i = 0; i < t.nnotes; i++)
            noted |= strstr(t.notes[i], "disclosure control") != NULL;
        assert_true(noted == (k != 0));
        pccs_table_release(&t);
    }
    pccs_tree_release(&tree);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rollup),
        cmocka_unit_test(test_register_owner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
