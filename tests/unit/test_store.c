/* SPDX-License-Identifier: MIT */
/* Tests for the store interface on its SQLite backend. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/sqlite.h"
#include "store/store.h"

/* The schema version a new store is at: one per migration in sqlite.c. */
#define SCHEMA_LATEST ((int)pccs__sqlite_migrations())

static char dir[64], path[128];

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/pccs-store-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof(path), "%s/s.db", dir);
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

static struct pccs_store *
open_store(void)
{
    struct pccs_store *st;
    struct pccs_err err = PCCS_ERR_INIT;
    if (pccs_store_open(&st, path, &err))
        fail_msg("%s", err.msg);
    return st;
}

static struct pccs_source_info last_source;

static int64_t
add_source(struct pccs_store *st, const char *sha, const char *period)
{
    struct pccs_err err = PCCS_ERR_INIT;
    struct pccs_source_info s = {.kind = "test",
                                 .publication = "Test",
                                 .period = period,
                                 .path = "x.csv",
                                 .sha256 = sha,
                                 .encoding = "ascii"};
    assert_int_equal(pccs_store_source_add(st, &s, &err), PCCS_OK);
    last_source = s;
    return s.id;
}

static void
finish_source(struct pccs_store *st)
{
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_store_source_finish(st, &last_source, &err), PCCS_OK);
}

static void
fact(struct pccs_store *st, int64_t src, const char *period, const char *org,
     double v)
{
    struct pccs_err err = PCCS_ERR_INIT;
    struct pccs_fact_row f = {"registered", period, org, "", v, src};
    assert_int_equal(pccs_store_put_fact(st, &f, &err), PCCS_OK);
}

struct sum {
    double total;
    int n;
    int64_t source;
};

static int
sum_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct sum *s = ctx;
    s->total += f->value;
    s->n++;
    s->source = f->source_id;
    return 0;
}

static void
test_store_creates_and_migrates(void **state)
{
    (void)state;
    struct pccs_store *st = open_store();
    assert_int_equal(pccs_store_schema_version(st), SCHEMA_LATEST);
    pccs_store_free(st);
    st = open_store(); /* reopening finds the schema in place */
    assert_int_equal(pccs_store_schema_version(st), SCHEMA_LATEST);
    pccs_store_free(st);
}

struct order {
    int n, bad;
    double want;
};

static int
order_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct order *o = ctx;
    o->bad += f->value != o->want;
    o->want += 1;
    o->n++;
    return 0;
}

static int
count_rows(void *ctx, int ncol, char **val, char **name)
{
    (void)ncol;
    (void)name;
    *(long *)ctx = atol(val[0]);
    return 0;
}

/*
 * The facts of test_store_sets_in_chunks as schema 1 held them: one
 * fact_values row per fact at its chunk's row numbers (the k-th chunk of
 * a measure holds facts 1000k ..), P%05d the org of fact i, valued i for
 * m_one and -i for m_two.
 */
#define SCHEMA1_ROWS                                                           \
    "WITH RECURSIVE c AS (SELECT measure_id, period, source_id, first_row, "   \
    "last_row, 1000 * (SELECT count(*) FROM fact_chunks d WHERE "              \
    "d.measure_id = x.measure_id AND d.first_row < x.first_row) AS base "      \
    "FROM fact_chunks x), r(m, p, s, row, last, i) AS (SELECT measure_id, "    \
    "period, source_id, first_row, last_row, base FROM c UNION ALL SELECT "    \
    "m, p, s, row + 1, last, i + 1 FROM r WHERE row < last) INSERT INTO "      \
    "fact_values (rowid, source_id, measure_id, period, org, dim, value) "     \
    "SELECT row, s, m, p, printf('P%05d', i), '', CASE WHEN (SELECT name "     \
    "FROM measures WHERE id = m) = 'm_one' THEN i ELSE -i END FROM r"

/*
 * Two measures written in turn, 2,500 facts each: each measure's rows go
 * in as chunks of its own (3 each), read back whole and in order; a store
 * of schema 1 (no chunks) migrates and reads the same.
 */
static void
test_store_sets_in_chunks(void **state)
{
    (void)state;
    struct pccs_store *st = open_store();
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_store_begin(st, &err), PCCS_OK);
    int64_t a = add_source(st, "c1", "2021-01-01");
    for (int i = 0; i < 2500; i++) {
        char org[16];
        snprintf(org, sizeof(org), "P%05d", i);
        struct pccs_fact_row f1 = {"m_one", "2021-01-01", org, "", i, a};
        struct pccs_fact_row f2 = {"m_two", "2021-01-01", org, "", -i, a};
        assert_int_equal(pccs_store_put_fact(st, &f1, &err), PCCS_OK);
        assert_int_equal(pccs_store_put_fact(st, &f2, &err), PCCS_OK);
    }
    finish_source(st);
    assert_int_equal(pccs_store_commit(st, &err), PCCS_OK);
    for (int pass = 0; pass < 2; pass++) {
        struct order o = {0, 0, 0};
        assert_int_equal(pccs_store_facts_each(st, "m_one", NULL, NULL,
                                               order_cb, &o, &err),
                         PCCS_OK);
        assert_int_equal(o.n, 2500);
        assert_int_equal(o.bad, 0);
        pccs_store_free(st);
        sqlite3 *db;
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        long chunks = -1;
        sqlite3_exec(db, "SELECT count(*) FROM fact_chunks", count_rows,
                     &chunks, NULL);
        assert_int_equal(chunks, pass == 0 ? 6 : 2);
        long rows = -1;
        sqlite3_exec(db, "SELECT count(*) FROM fact_values", count_rows, &rows,
                     NULL);
        /* A load writes packs only; schema 1 had the rows. */
        assert_int_equal(rows, pass == 0 ? 0 : 5000);
        if (pass == 0)
            /* Back to schema 1: the rows the packs hold at their row
             * numbers, and the next open migrates again. */
            assert_int_equal(sqlite3_exec(db, SCHEMA1_ROWS, NULL, NULL, NULL),
                             SQLITE_OK);
        if (pass == 0)
            assert_int_equal(sqlite3_exec(db,
                                          "DROP TABLE fact_chunks; DROP "
                                          "TABLE users; DROP TABLE audit; "
                                          "DROP TABLE org_names; "
                                          "ALTER TABLE sources DROP COLUMN "
                                          "provenance; ALTER TABLE sources "
                                          "DROP COLUMN provenance_note; "
                                          "ALTER TABLE sources DROP COLUMN "
                                          "owner; PRAGMA user_version = 1",
                                          NULL, NULL, NULL),
                             SQLITE_OK);
        sqlite3_close(db);
        st = open_store();
        assert_int_equal(pccs_store_schema_version(st), SCHEMA_LATEST);
    }
    pccs_store_free(st);
}

static void
test_store_rollback_leaves_everything_as_before(void **state)
{
    (void)state;
    struct pccs_store *st = open_store();
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_store_begin(st, &err), PCCS_OK);
    int64_t a = add_source(st, "aaaa", "2021-01-01");
    fact(st, a, "2021-01-01", "A81001", 4100);
    assert_int_equal(pccs_store_commit(st, &err), PCCS_OK);
    struct pccs_store_counts before, after;
    assert_int_equal(pccs_store_counts(st, &before, &err), PCCS_OK);

    assert_int_equal(pccs_store_begin(st, &err), PCCS_OK);
    int64_t b = add_source(st, "bbbb", "2021-02-01");
    fact(st, b, "2021-02-01", "A81001", 4200);
    struct pccs_org_row o = {.code = "A81001",
                             .level = "practice",
                             .name = "X",
                             .open_date = PCCS_DAY_NONE,
                             .close_date = PCCS_DAY_NONE,
                             .source_id = b};
    assert_int_equal(pccs_store_put_org(st, &o, &err), PCCS_OK);
    pccs_store_rollback(st);
    assert_int_equal(pccs_store_counts(st, &after, &err), PCCS_OK);
    assert_memory_equal(&before, &after, sizeof(before));
    struct pccs_source_info s;
    assert_int_equal(pccs_store_source_find(st, "bbbb", &s, &err),
                     PCCS_ENOTFOUND);
    assert_int_equal(pccs_store_source_find(st, "aaaa", &s, &err), PCCS_OK);
    assert_string_equal(s.period, "2021-01-01");
    pccs_store_free(st);
}

static void
test_store_latest_source_wins_per_period(void **state)
{
    (void)state;
    struct pccs_store *st = open_store();
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_store_begin(st, &err), PCCS_OK);
    int64_t a = add_source(st, "s1", "2022-23");
    fact(st, a, "2022-23", "A1", 10);
    fact(st, a, "2022-23", "A2", 20);
    finish_source(st);
    int64_t b = add_source(st, "s2", "2022-23");
    fact(st, b, "2022-23", "A1", 11);
    finish_source(st);
    int64_t c = add_source(st, "s3", "2023-24");
    fact(st, c, "2023-24", "A1", 5);
    finish_source(st);
    assert_int_equal(pccs_store_commit(st, &err), PCCS_OK);

    struct sum s = {0};
    assert_int_equal(pccs_store_facts_each(st, "registered", "2022-23", NULL,
                                           sum_cb, &s, &err),
                     PCCS_OK);
    assert_int_equal(s.n, 1); /* only the later file's rows */
    assert_true(s.total == 11);
    assert_int_equal(s.source, b);
    /* One organisation only. */
    memset(&s, 0, sizeof(s));
    assert_int_equal(
        pccs_store_facts_each(st, "registered", NULL, "A1", sum_cb, &s, &err),
        PCCS_OK);
    assert_int_equal(s.n, 2); /* 2022-23 from b, 2023-24 from c */
    assert_true(s.total == 16);
    memset(&s, 0, sizeof(s));
    assert_int_equal(
        pccs_store_periods_each(st, "registered", sum_cb, &s, &err), PCCS_OK);
    assert_int_equal(s.n, 2);
    pccs_store_free(st);
}

static void
test_store_org_upsert_and_level_conflict(void **state)
{
    (void)state;
    struct pccs_store *st = open_store();
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_store_begin(st, &err), PCCS_OK);
    int64_t a = add_source(st, "o1", "x");
    pccs_day d21 = pccs_date_from_ymd(2021, 1, 1);
    pccs_day d19 = pccs_date_from_ymd(2019, 1, 1);
    struct pccs_org_row o = {.code = "U00001",
                             .level = "pcn",
                             .name = "NEW NAME",
                             .open_date = PCCS_DAY_NONE,
                             .close_date = PCCS_DAY_NONE,
                             .as_of = d21,
                             .source_id = a};
    assert_int_equal(pccs_store_put_org(st, &o, &err), PCCS_OK);
    o.name = "OLD NAME";
    o.postcode = "TS1 1AA";
    o.as_of = d19;
    assert_int_equal(pccs_store_put_org(st, &o, &err), PCCS_OK);
    o.level = "practice";
    assert_int_equal(pccs_store_put_org(st, &o, &err), PCCS_ECONFLICT);
    assert_non_null(strstr(err.msg, "already known as a pcn"));
    /* practice and other are one family: practice wins. */
    struct pccs_org_row p = {.code = "Y00001",
                             .level = "other",
                             .open_date = PCCS_DAY_NONE,
                             .close_date = PCCS_DAY_NONE,
                             .as_of = d19,
                             .source_id = a};
    assert_int_equal(pccs_store_put_org(st, &p, &err), PCCS_OK);
    p.level = "practice";
    assert_int_equal(pccs_store_put_org(st, &p, &err), PCCS_OK);
    p.level = "other";
    assert_int_equal(pccs_store_put_org(st, &p, &err), PCCS_OK);
    assert_int_equal(pccs_store_commit(st, &err), PCCS_OK);
    pccs_store_free(st);

    /* Read back with the sqlite3 shell's view of the file. */
    char cmd[256];
    snprintf(cmd, sizeof(cmd),
             "sqlite3 %s \"select name||'/'||postcode from orgs where "
             "code='U00001'; select level from orgs where code='Y00001'\"",
             path);
    FILE *f = popen(cmd, "r");
    char line[128];
    assert_non_null(fgets(line, sizeof(line), f));
    assert_string_equal(line, "NEW NAME/TS1 1AA\n");
    assert_non_null(fgets(line, sizeof(line), f));
    assert_string_equal(line, "practice\n");
    pclose(f);
}

struct names {
    char got[512];
};

static int
names_cb(void *ctx, const struct pccs_name_row *n)
{
    struct names *x = ctx;
    char d[16] = "-";
    if (n->from != PCCS_DAY_NONE)
        pccs_date_format(n->from, d);
    size_t l = strlen(x->got);
    snprintf(x->got + l, sizeof(x->got) - l, "%s=%s@%s;", n->org, n->name, d);
    return 0;
}

static int
none_cb(void *ctx, const struct pccs_link_row *l)
{
    int *n = ctx;
    if (!l->parent && strcmp(l->parent_level, "pcn") == 0)
        (*n)++;
    return 0;
}

/*
 * Every name is kept with its date, not only the newest; a membership
 * with no parent is stored once (NULL parent) and read back as NULL. A
 * store of schema 3 migrates: its links are kept and its one name per
 * organisation becomes a dated name.
 */
static void
test_store_dated_names_and_no_parent(void **state)
{
    (void)state;
    struct pccs_store *st = open_store();
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_store_begin(st, &err), PCCS_OK);
    int64_t a = add_source(st, "n1", "x");
    struct pccs_org_row o = {.code = "02Q",
                             .level = "sub_icb",
                             .name = "NHS Bassetlaw CCG",
                             .open_date = PCCS_DAY_NONE,
                             .close_date = PCCS_DAY_NONE,
                             .as_of = pccs_date_from_ymd(2020, 9, 1),
                             .source_id = a};
    assert_int_equal(pccs_store_put_org(st, &o, &err), PCCS_OK);
    o.name = "NHS Nottingham and Nottinghamshire ICB - 02Q";
    o.as_of = pccs_date_from_ymd(2025, 10, 1);
    assert_int_equal(pccs_store_put_org(st, &o, &err), PCCS_OK);
    assert_int_equal(pccs_store_put_org(st, &o, &err), PCCS_OK);
    struct pccs_link_row l = {"A86027", "", "pcn",
                              pccs_date_from_ymd(2020, 9, 1), PCCS_DAY_NONE,
                              true, a};
    assert_int_equal(pccs_store_put_link(st, &l, &err), PCCS_OK);
    l.parent = NULL; /* the same row: ignored */
    assert_int_equal(pccs_store_put_link(st, &l, &err), PCCS_OK);
    l.parent = "U17849";
    l.start = pccs_date_from_ymd(2025, 10, 1);
    assert_int_equal(pccs_store_put_link(st, &l, &err), PCCS_OK);
    finish_source(st);
    assert_int_equal(pccs_store_commit(st, &err), PCCS_OK);
    struct names x = {""};
    assert_int_equal(pccs_store_org_names_each(st, names_cb, &x, &err),
                     PCCS_OK);
    assert_string_equal(x.got,
                        "02Q=NHS Bassetlaw CCG@2020-09-01;"
                        "02Q=NHS Nottingham and Nottinghamshire ICB - "
                        "02Q@2025-10-01;");
    int none = 0;
    assert_int_equal(pccs_store_links_each(st, none_cb, &none, &err),
                     PCCS_OK);
    assert_int_equal(none, 1);
    pccs_store_free(st);

    /* Back to schema 3 (links.parent NOT NULL, no org_names), reopen. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "DROP TABLE org_names; DELETE FROM links WHERE parent "
                     "IS NULL; CREATE TABLE l3 (child TEXT NOT NULL, parent "
                     "TEXT NOT NULL, parent_level TEXT NOT NULL, start_date "
                     "TEXT, end_date TEXT, observed INTEGER NOT NULL, "
                     "source_id INTEGER NOT NULL); INSERT INTO l3 SELECT * "
                     "FROM links; DROP TABLE links; ALTER TABLE l3 RENAME "
                     "TO links; ALTER TABLE sources DROP COLUMN "
                     "provenance; ALTER TABLE sources DROP COLUMN "
                     "provenance_note; ALTER TABLE users DROP COLUMN "
                     "generation; ALTER TABLE users DROP COLUMN disabled; "
                     "DROP INDEX audit_at; ALTER TABLE sources DROP COLUMN "
                     "owner; PRAGMA user_version = 3",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    st = open_store();
    assert_int_equal(pccs_store_schema_version(st), SCHEMA_LATEST);
    memset(&x, 0, sizeof(x));
    assert_int_equal(pccs_store_org_names_each(st, names_cb, &x, &err),
                     PCCS_OK);
    assert_string_equal(x.got, "02Q=NHS Nottingham and Nottinghamshire ICB - "
                               "02Q@2025-10-01;");
    struct pccs_store_counts c;
    assert_int_equal(pccs_store_counts(st, &c, &err), PCCS_OK);
    assert_int_equal(c.links, 1);
    /* The rebuilt table takes rows with no parent, once. */
    assert_int_equal(pccs_store_begin(st, &err), PCCS_OK);
    int64_t b = add_source(st, "n2", "x");
    l.parent = "";
    l.source_id = b;
    assert_int_equal(pccs_store_put_link(st, &l, &err), PCCS_OK);
    assert_int_equal(pccs_store_put_link(st, &l, &err), PCCS_OK);
    finish_source(st);
    assert_int_equal(pccs_store_commit(st, &err), PCCS_OK);
    none = 0;
    assert_int_equal(pccs_store_links_each(st, none_cb, &none, &err),
                     PCCS_OK);
    assert_int_equal(none, 1);
    pccs_store_free(st);
}

static int
audit_cb(void *ctx, const struct pccs_audit_row *a)
{
    char *got = ctx;
    size_t n = strlen(got);
    snprintf(got + n, 256 - n, "%s:%s:%s;", a->user, a->action, a->detail);
    return 0;
}

static int
user_cb(void *ctx, const struct pccs_user_row *u)
{
    char *got = ctx;
    snprintf(got, 256, "%s %s %s %d", u->name, u->role, u->scope,
             u->disabled);
    return 0;
}

/* Every change to an account gives it a new generation; the audit log
 * reads back by user, action (a glob) and time. */
/* Every attribute of the store, as "org key value" lines, counted. */
struct attr_seen {
    int n;
    char lines[600][48];
};

static int
attr_cb(void *ctx, const struct pccs_attr_row *a)
{
    struct attr_seen *s = ctx;
    if (s->n < 600)
        snprintf(s->lines[s->n], sizeof(s->lines[0]), "%s %s %s", a->org,
                 a->key, a->value ? a->value : "-");
    s->n++;
    return 0;
}

static bool
attr_has(const struct attr_seen *s, const char *line)
{
    for (int i = 0; i < s->n && i < 600; i++)
        if (!strcmp(s->lines[i], line))
            return true;
    return false;
}

static void
attr(struct pccs_store *st, int64_t src, const char *org, const char *key,
     const char *value)
{
    struct pccs_err err = PCCS_ERR_INIT;
    struct pccs_attr_row a = {org, key, value, PCCS_DAY_NONE, src};
    assert_int_equal(pccs_store_put_attr(st, &a, &err), PCCS_OK);
}

/*
 * Attributes wait and go in sorted by their key (source, key, org): the
 * rows come out as they went in, and where a file gives one twice the
 * later one is kept, in both ways of sorting (a few keys, dealt into
 * groups, and over 64, sorted whole).
 */
static void
test_store_attrs_sorted_batch(void **state)
{
    (void)state;
    struct pccs_store *st = open_store();
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_store_begin(st, &err), PCCS_OK);
    int64_t a = add_source(st, "aaaa", "2021-01-01");
    char org[16], val[32], key[16];
    /* 150 practices out of code order, three keys each, row by row. */
    for (int i = 0; i < 150; i++) {
        snprintf(org, sizeof(org), "P%03d", i * 37 % 150);
        for (int k = 0; k < 3; k++) {
            snprintf(key, sizeof(key), "k%d", k);
            snprintf(val, sizeof(val), "v%s%s", org, key);
            attr(st, a, org, key, val);
        }
    }
    for (int i = 0; i < 10; i++) {
        snprintf(org, sizeof(org), "P%03d", i);
        attr(st, a, org, "k1", "late");
    }
    finish_source(st);
    int64_t b = add_source(st, "bbbb", "2021-02-01");
    for (int k = 99; k >= 0; k--) {
        snprintf(key, sizeof(key), "x%03d", k);
        attr(st, b, "Q1", key, k == 50 ? "early" : "v");
    }
    attr(st, b, "Q1", "x050", "late");
    finish_source(st);
    assert_int_equal(pccs_store_commit(st, &err), PCCS_OK);

    static struct attr_seen seen;
    seen.n = 0;
    assert_int_equal(pccs_store_attrs_each(st, NULL, attr_cb, &seen, &err),
                     PCCS_OK);
    assert_int_equal(seen.n, 150 * 3 + 100);
    assert_true(attr_has(&seen, "P000 k1 late"));
    assert_true(attr_has(&seen, "P009 k1 late"));
    assert_false(attr_has(&seen, "P009 k1 vP009k1"));
    assert_true(attr_has(&seen, "P010 k1 vP010k1"));
    assert_true(attr_has(&seen, "P149 k2 vP149k2"));
    assert_true(attr_has(&seen, "P000 k0 vP000k0"));
    assert_true(attr_has(&seen, "Q1 x050 late"));
    assert_false(attr_has(&seen, "Q1 x050 early"));
    assert_true(attr_has(&seen, "Q1 x000 v"));
    assert_true(attr_has(&seen, "Q1 x099 v"));
    pccs_store_free(st);
}

static void
test_store_accounts(void **state)
{
    (void)state;
    struct pccs_store *st = open_store();
    struct pccs_err err = PCCS_ERR_INIT;
    struct pccs_user_row u = {.name = "ann",
                              .role = "commissioner",
                              .scope = "16C",
                              .hash = "h1"};
    assert_int_equal(pccs_store_user_put(st, &u, true, &err), PCCS_OK);
    assert_int_equal(pccs_store_user_put(st, &u, true, &err), PCCS_ECONFLICT);
    int64_t g[5];
    bool off = true;
    assert_int_equal(pccs_store_user_state(st, "ann", &g[0], &off, &err),
                     PCCS_OK);
    assert_false(off);
    u.hash = "h2";
    assert_int_equal(pccs_store_user_put(st, &u, false, &err), PCCS_OK);
    assert_int_equal(pccs_store_user_state(st, "ann", &g[1], &off, &err),
                     PCCS_OK);
    assert_int_equal(
        pccs_store_user_set_role(st, "ann", "pcn", "U89141", &err), PCCS_OK);
    assert_int_equal(pccs_store_user_state(st, "ann", &g[2], &off, &err),
                     PCCS_OK);
    assert_int_equal(pccs_store_user_set_disabled(st, "ann", true, &err),
                     PCCS_OK);
    assert_int_equal(pccs_store_user_state(st, "ann", &g[3], &off, &err),
                     PCCS_OK);
    assert_true(off);
    char got[256] = "";
    assert_int_equal(pccs_store_users_each(st, "ann", user_cb, got, &err),
                     PCCS_OK);
    assert_string_equal(got, "ann pcn U89141 1");
    assert_int_equal(pccs_store_user_set_disabled(st, "ann", false, &err),
                     PCCS_OK);
    assert_int_equal(pccs_store_user_state(st, "ann", &g[4], &off, &err),
                     PCCS_OK);
    assert_false(off);
    for (int i = 0; i < 5; i++)
        for (int k = 0; k < i; k++)
            assert_true(g[i] != g[k]);
    assert_int_equal(pccs_store_user_delete(st, "ann", &err), PCCS_OK);
    assert_int_equal(pccs_store_user_state(st, "ann", &g[0], &off, &err),
                     PCCS_ENOTFOUND);
    assert_int_equal(pccs_store_user_delete(st, "ann", &err), PCCS_ENOTFOUND);
    assert_int_equal(pccs_store_user_set_disabled(st, "bob", true, &err),
                     PCCS_ENOTFOUND);

    assert_int_equal(pccs_store_audit(st, "ann", "login", "a", &err),
                     PCCS_OK);
    assert_int_equal(pccs_store_audit(st, "bob", "login-failed", "b", &err),
                     PCCS_OK);
    assert_int_equal(pccs_store_audit(st, "ann", "logout", "c", &err),
                     PCCS_OK);
    struct pccs_audit_filter f = {.user = "ann"};
    assert_int_equal(pccs_store_audit_each(st, &f, audit_cb, got, &err),
                     PCCS_OK);
    assert_string_equal(got, "ann pcn U89141 1ann:login:a;ann:logout:c;");
    got[0] = '\0';
    f = (struct pccs_audit_filter){.action = "login*"};
    assert_int_equal(pccs_store_audit_each(st, &f, audit_cb, got, &err),
                     PCCS_OK);
    assert_string_equal(got, "ann:login:a;bob:login-failed:b;");
    got[0] = '\0';
    f = (struct pccs_audit_filter){.since = "2000-01-01", .until = "2000-01-02"};
    assert_int_equal(pccs_store_audit_each(st, &f, audit_cb, got, &err),
                     PCCS_OK);
    assert_string_equal(got, "");
    f = (struct pccs_audit_filter){.since = "2000-01-01"};
    assert_int_equal(pccs_store_audit_each(st, &f, audit_cb, got, &err),
                     PCCS_OK);
    assert_string_equal(got,
                        "ann:login:a;bob:login-failed:b;ann:logout:c;");
    pccs_store_free(st);
}

static void
test_store_postgres_refused(void **state)
{
    (void)state;
    struct pccs_store *st;
    struct pccs_err err = PCCS_ERR_INIT;
    /* No server on that socket: a clear error without the password. */
    assert_int_equal(
        pccs_store_open(&st, "postgres://ann:s3cret@/pccs?host=/nonexistent",
                        &err),
        PCCS_EDB);
    assert_null(st);
    assert_non_null(strstr(err.msg, "postgres://ann@/pccs?host=/nonexistent: "
                                    "cannot connect to PostgreSQL"));
    assert_null(strstr(err.msg, "s3cret"));
    assert_int_equal(pccs_store_open(&st, "/nonexistent/dir/x.db", &err),
                     PCCS_EIO);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_creates_and_migrates, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_store_rollback_leaves_everything_as_before, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_store_latest_source_wins_per_period, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_store_org_upsert_and_level_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_sets_in_chunks, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_store_dated_names_and_no_parent,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_accounts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_attrs_sorted_batch, setup,
                                        teardown),
        cmocka_unit_test(test_store_postgres_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
