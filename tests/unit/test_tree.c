/* SPDX-License-Identifier: MIT */
/* Tests for the organisation tree's as-at membership rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/tree.h"

static pccs_day
day(int y, int m, int d)
{
    return pccs_date_from_ymd(y, m, d);
}

static void
org(struct pccs_tree *t, const char *code, const char *level, pccs_day open,
    pccs_day close)
{
    struct pccs_org_row o = {.code = code,
                             .level = level,
                             .name = code,
                             .open_date = open,
                             .close_date = close};
    pccs_tree_add_org(t, &o);
}

static void
link(struct pccs_tree *t, const char *child, const char *parent,
     const char *level, pccs_day start, pccs_day end, bool observed,
     int64_t source)
{
    struct pccs_link_row l = {child, parent,   level, start,
                              end,   observed, source};
    pccs_tree_add_link(t, &l);
}

/*
 * A practice that moved PCN on 2021-04-01 (declared dates), a snapshot
 * that places it in a CCG in 2020 and a sub-ICB in 2022, and the chain up
 * to a region.
 */
static void
build(struct pccs_tree *t)
{
    const pccs_day none = PCCS_DAY_NONE;
    org(t, "A81001", "practice", day(1974, 4, 1), none);
    org(t, "A81099", "practice", day(1974, 4, 1), day(2020, 12, 31));
    org(t, "U00001", "pcn", none, none);
    org(t, "U00002", "pcn", none, none);
    org(t, "00K", "sub_icb", none, none);
    org(t, "16C", "sub_icb", none, none);
    org(t, "QHM", "icb", none, none);
    org(t, "Y63", "region", none, none);
    link(t, "A81001", "U00001", "pcn", day(2019, 7, 1), day(2021, 3, 31), false,
         1);
    link(t, "A81001", "U00002", "pcn", day(2021, 4, 1), none, false, 1);
    link(t, "A81001", "00K", "sub_icb", day(2020, 9, 1), none, true, 2);
    link(t, "A81001", "16C", "sub_icb", day(2022, 7, 1), none, true, 3);
    link(t, "A81099", "U00001", "pcn", day(2019, 7, 1), none, false, 1);
    link(t, "U00001", "00K", "sub_icb", day(2020, 9, 1), none, true, 2);
    link(t, "U00002", "16C", "sub_icb", day(2022, 7, 1), none, true, 3);
    link(t, "00K", "QHM", "icb", day(2020, 9, 1), none, true, 2);
    link(t, "16C", "QHM", "icb", day(2022, 7, 1), none, true, 3);
    link(t, "QHM", "Y63", "region", day(2020, 9, 1), none, true, 2);
    pccs_tree_finish(t);
}

static void
test_tree_declared_dates_decide_the_pcn(void **state)
{
    (void)state;
    struct pccs_tree t = PCCS_TREE_INIT;
    build(&t);
    int p = pccs_tree_find(&t, "A81001");
    assert_int_equal(pccs_tree_parent(&t, p, PCCS_PCN, day(2021, 3, 31), 0),
                     pccs_tree_find(&t, "U00001"));
    assert_int_equal(pccs_tree_parent(&t, p, PCCS_PCN, day(2021, 4, 1), 0),
                     pccs_tree_find(&t, "U00002"));
    /* Before the first declared membership there is no PCN. */
    assert_int_equal(pccs_tree_parent(&t, p, PCCS_PCN, day(2019, 6, 30), 0),
                     -1);
    pccs_tree_release(&t);
}

static void
test_tree_latest_snapshot_wins_and_earliest_backfills(void **state)
{
    (void)state;
    struct pccs_tree t = PCCS_TREE_INIT;
    build(&t);
    int p = pccs_tree_find(&t, "A81001");
    assert_int_equal(pccs_tree_parent(&t, p, PCCS_SUB_ICB, day(2021, 1, 1), 0),
                     pccs_tree_find(&t, "00K"));
    assert_int_equal(pccs_tree_parent(&t, p, PCCS_SUB_ICB, day(2023, 1, 1), 0),
                     pccs_tree_find(&t, "16C"));
    /* Before any snapshot, the earliest observation is the evidence. */
    assert_int_equal(pccs_tree_parent(&t, p, PCCS_SUB_ICB, day(2019, 1, 1), 0),
                     pccs_tree_find(&t, "00K"));
    /* A preferred source's link wins over a later snapshot. */
    assert_int_equal(pccs_tree_parent(&t, p, PCCS_SUB_ICB, day(2023, 1, 1), 2),
                     pccs_tree_find(&t, "00K"));
    pccs_tree_release(&t);
}

static void
test_tree_ancestor_uses_direct_link_then_chain(void **state)
{
    (void)state;
    struct pccs_tree t = PCCS_TREE_INIT;
    build(&t);
    int p = pccs_tree_find(&t, "A81001");
    assert_int_equal(pccs_tree_ancestor(&t, p, PCCS_REGION, day(2021, 1, 1), 0),
                     pccs_tree_find(&t, "Y63"));
    assert_int_equal(
        pccs_tree_ancestor(&t, p, PCCS_ENGLAND, day(2021, 1, 1), 0), t.england);
    assert_string_equal(t.orgs[t.england].code, "ENG");
    /* Up from a practice goes to its PCN first. */
    assert_int_equal(pccs_tree_up(&t, p, day(2022, 1, 1), 0),
                     pccs_tree_find(&t, "U00002"));
    pccs_tree_release(&t);
}

static void
test_tree_counts_open_practices(void **state)
{
    (void)state;
    struct pccs_tree t = PCCS_TREE_INIT;
    build(&t);
    int64_t count[32];
    assert_true(t.norgs < 32);
    pccs_tree_count_practices(&t, day(2020, 10, 1), count);
    assert_int_equal(count[pccs_tree_find(&t, "U00001")], 2);
    assert_int_equal(count[pccs_tree_find(&t, "Y63")], 2);
    /* A81099 closed on 2020-12-31. */
    pccs_tree_count_practices(&t, day(2021, 1, 1), count);
    assert_int_equal(count[pccs_tree_find(&t, "U00001")], 1);
    assert_int_equal(count[pccs_tree_find(&t, "A81099")], 0);
    assert_int_equal(t.latest, day(2022, 7, 1));
    pccs_tree_release(&t);
}

static void
test_tree_level_names(void **state)
{
    (void)state;
    assert_int_equal(pccs_level_parse("sub_icb"), PCCS_SUB_ICB);
    assert_int_equal(pccs_level_parse("ccg"), PCCS_SUB_ICB);
    assert_int_equal(pccs_level_parse("trust"), PCCS_LEVEL_NONE);
    assert_string_equal(pccs_level_name(PCCS_ICB), "icb");
}

/*
 * A86027 in the bundled files: in no PCN on the September 2020 map, in
 * U17849 on the QOF 2020-21 mapping (dated 2021-03-31) and the October
 * 2025 map; its CCG is 13T throughout.
 */
static void
build_no_pcn(struct pccs_tree *t)
{
    const pccs_day none = PCCS_DAY_NONE;
    org(t, "A86027", "practice", day(1974, 4, 1), none);
    org(t, "U17849", "pcn", none, none);
    org(t, "13T", "sub_icb", none, none);
    link(t, "A86027", "", "pcn", day(2020, 9, 1), none, true, 1);
    link(t, "A86027", "13T", "sub_icb", day(2020, 9, 1), none, true, 1);
    link(t, "A86027", "U17849", "pcn", day(2021, 3, 31), none, true, 2);
    link(t, "A86027", "U17849", "pcn", day(2025, 10, 1), none, true, 3);
    link(t, "A86027", "13T", "sub_icb", day(2025, 10, 1), none, true, 3);
    link(t, "U17849", "13T", "sub_icb", day(2021, 3, 31), none, true, 2);
    pccs_tree_finish(t);
}

static void
test_tree_no_pcn_is_a_state_with_a_date(void **state)
{
    (void)state;
    struct pccs_tree t = PCCS_TREE_INIT;
    build_no_pcn(&t);
    int p = pccs_tree_find(&t, "A86027");
    int u = pccs_tree_find(&t, "U17849");
    int ccg = pccs_tree_find(&t, "13T");
    /* "U" on 2020-09-01 holds until the next evidence, 2021-03-31. */
    assert_int_equal(pccs_tree_parent(&t, p, PCCS_PCN, day(2021, 1, 1), 0), -1);
    assert_int_equal(pccs_tree_up(&t, p, day(2021, 1, 1), 0), ccg);
    assert_int_equal(
        pccs_tree_ancestor(&t, p, PCCS_SUB_ICB, day(2021, 1, 1), 0), ccg);
    assert_int_equal(pccs_tree_parent(&t, p, PCCS_PCN, day(2021, 3, 31), 0), u);
    /* The "none" source's word is final when preferred. */
    assert_int_equal(pccs_tree_parent(&t, p, PCCS_PCN, day(2022, 1, 1), 1), -1);
    assert_int_equal(pccs_tree_parent(&t, p, PCCS_PCN, day(2022, 1, 1), 0), u);
    /* Before all evidence: none, unless a source is preferred (its own
     * membership holds for its figures on any day). */
    assert_int_equal(pccs_tree_parent(&t, p, PCCS_PCN, day(2019, 8, 1), 0), -1);
    assert_int_equal(pccs_tree_parent(&t, p, PCCS_PCN, day(2019, 8, 1), 2), u);
    int64_t count[8];
    assert_true(t.norgs <= 8);
    pccs_tree_count_practices(&t, day(2021, 1, 1), count);
    assert_int_equal(count[u], 0);
    assert_int_equal(count[ccg], 1);
    pccs_tree_release(&t);
}

static void
test_tree_pcn_membership_never_reaches_back(void **state)
{
    (void)state;
    struct pccs_tree t = PCCS_TREE_INIT;
    const pccs_day none = PCCS_DAY_NONE;
    /* Only the October 2025 map is loaded. */
    org(&t, "A86027", "practice", day(1974, 4, 1), none);
    org(&t, "U17849", "pcn", none, none);
    org(&t, "13T", "sub_icb", none, none);
    org(&t, "QHM", "icb", none, none);
    link(&t, "A86027", "U17849", "pcn", day(2025, 10, 1), none, true, 3);
    link(&t, "A86027", "13T", "sub_icb", day(2025, 10, 1), none, true, 3);
    link(&t, "13T", "QHM", "icb", day(2025, 10, 1), none, true, 3);
    pccs_tree_finish(&t);
    int p = pccs_tree_find(&t, "A86027");
    /* Before its first evidence the practice is in no PCN ... */
    assert_int_equal(pccs_tree_parent(&t, p, PCCS_PCN, day(2021, 1, 1), 0), -1);
    assert_int_equal(pccs_tree_up(&t, p, day(2021, 1, 1), 0),
                     pccs_tree_find(&t, "13T"));
    /* ... while its CCG and ICB are the earliest snapshot's. */
    assert_int_equal(pccs_tree_ancestor(&t, p, PCCS_ICB, day(2021, 1, 1), 0),
                     pccs_tree_find(&t, "QHM"));
    assert_int_equal(pccs_tree_parent(&t, p, PCCS_PCN, day(2025, 10, 1), 0),
                     pccs_tree_find(&t, "U17849"));
    pccs_tree_release(&t);
}

static void
name(struct pccs_tree *t, const char *code, const char *nm, pccs_day from,
     int64_t source)
{
    struct pccs_name_row n = {code, nm, from, source};
    pccs_tree_add_name(t, &n);
}

static void
test_tree_name_as_at_a_day(void **state)
{
    (void)state;
    struct pccs_tree t = PCCS_TREE_INIT;
    const pccs_day none = PCCS_DAY_NONE;
    struct pccs_org_row o = {.code = "02Q",
                             .level = "sub_icb",
                             .name = "NHS Nottingham and Nottinghamshire ICB "
                                     "- 02Q",
                             .open_date = none,
                             .close_date = none};
    pccs_tree_add_org(&t, &o);
    org(&t, "U00001", "pcn", none, none);
    name(&t, "02Q", "NHS Nottingham and Nottinghamshire ICB - 02Q",
         day(2025, 10, 1), 3);
    name(&t, "02Q", "NHS BASSETLAW CCG", day(2020, 4, 1), 1);
    name(&t, "02Q", "NHS Bassetlaw CCG", day(2020, 9, 1), 2);
    name(&t, "02Q", "Bassetlaw (same day, later file)", day(2020, 9, 1), 4);
    name(&t, "NOPE", "ignored", day(2020, 9, 1), 2);
    pccs_tree_finish(&t);
    int q = pccs_tree_find(&t, "02Q");
    assert_string_equal(pccs_tree_name(&t, q, day(2020, 6, 1)),
                        "NHS BASSETLAW CCG");
    assert_string_equal(pccs_tree_name(&t, q, day(2021, 1, 1)),
                        "Bassetlaw (same day, later file)");
    assert_string_equal(pccs_tree_name(&t, q, day(2025, 10, 1)),
                        "NHS Nottingham and Nottinghamshire ICB - 02Q");
    /* Before every observation: the earliest. */
    assert_string_equal(pccs_tree_name(&t, q, day(2019, 1, 1)),
                        "NHS BASSETLAW CCG");
    /* No day: the newest. With no dated names: the org's name. */
    assert_string_equal(pccs_tree_name(&t, q, none),
                        "NHS Nottingham and Nottinghamshire ICB - 02Q");
    int u = pccs_tree_find(&t, "U00001");
    assert_string_equal(pccs_tree_name(&t, u, day(2021, 1, 1)), "U00001");
    assert_string_equal(pccs_tree_name(&t, -1, day(2021, 1, 1)), "");
    /* Every name it had is searchable. */
    assert_true(pccs_tree_names_contain(&t, q, "bassetlaw ccg"));
    assert_true(pccs_tree_names_contain(&t, q, "ICB - 02Q"));
    assert_false(pccs_tree_names_contain(&t, q, "Newcastle"));
    assert_false(pccs_tree_names_contain(&t, -1, "x"));
    pccs_tree_release(&t);
}

/*
 * The index of codes read back with the tree's blob (borrowed from it),
 * then grown by an org added after: every code found at its own index,
 * before and after, and a code not in the tree not found.
 */
static void
test_tree_index_from_blob(void **state)
{
    (void)state;
    struct pccs_tree t = PCCS_TREE_INIT;
    build(&t);
    enum { N = 3000 }; /* past the first 1024 slots: the index grew */
    char code[16];
    for (int i = 0; i < N; i++) {
        snprintf(code, sizeof(code), "P%05d", i);
        org(&t, code, "practice", PCCS_DAY_NONE, PCCS_DAY_NONE);
    }
    size_t norgs = t.norgs;
    assert_true(t.nslots >= 2 * norgs);
    struct pccs_buf b = PCCS_BUF_INIT;
    pccs_tree_to_blob(&t, &b);
    pccs_tree_release(&t);
    char *blob = malloc(b.len);
    assert_non_null(blob);
    memcpy(blob, b.p, b.len);
    struct pccs_tree r;
    assert_true(pccs_tree_from_blob(&r, blob, b.len));
    assert_int_equal(r.norgs, norgs);
    assert_false(r.slots_owned);
    for (size_t i = 0; i < r.norgs; i++)
        assert_int_equal(pccs_tree_find(&r, r.orgs[i].code), (int)i);
    assert_int_equal(pccs_tree_find(&r, "P99999"), -1);
    assert_int_equal(pccs_tree_find(&r, "A81001"), 0);
    /* An insert copies the borrowed index, and it still finds them all. */
    org(&r, "Z00001", "practice", PCCS_DAY_NONE, PCCS_DAY_NONE);
    assert_true(r.slots_owned);
    for (size_t i = 0; i < r.norgs; i++)
        assert_int_equal(pccs_tree_find(&r, r.orgs[i].code), (int)i);
    link(&r, "Z00001", "U00001", "pcn", day(2020, 1, 1), PCCS_DAY_NONE, false,
         1);
    assert_int_equal(pccs_tree_parent(&r, pccs_tree_find(&r, "Z00001"),
                                      PCCS_PCN, day(2021, 1, 1), 0),
                     pccs_tree_find(&r, "U00001"));
    /* Read back again (the grown index in the blob); a cut blob is not. */
    pccs_buf_release(&b);
    pccs_tree_to_blob(&r, &b);
    pccs_tree_release(&r);
    blob = malloc(b.len);
    assert_non_null(blob);
    memcpy(blob, b.p, b.len);
    assert_false(pccs_tree_from_blob(&r, blob, b.len - 8));
    blob = malloc(b.len);
    assert_non_null(blob);
    memcpy(blob, b.p, b.len);
    assert_true(pccs_tree_from_blob(&r, blob, b.len));
    assert_int_equal(pccs_tree_find(&r, "Z00001"), (int)norgs);
    pccs_tree_release(&r);
    pccs_buf_release(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree_declared_dates_decide_the_pcn),
        cmocka_unit_test(test_tree_latest_snapshot_wins_and_earliest_backfills),
        cmocka_unit_test(test_tree_ancestor_uses_direct_link_then_chain),
        cmocka_unit_test(test_tree_counts_open_practices),
        cmocka_unit_test(test_tree_level_names),
        cmocka_unit_test(test_tree_no_pcn_is_a_state_with_a_date),
        cmocka_unit_test(test_tree_pcn_membership_never_reaches_back),
        cmocka_unit_test(test_tree_name_as_at_a_day),
        cmocka_unit_test(test_tree_index_from_blob),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
