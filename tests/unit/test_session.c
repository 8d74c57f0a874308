/* SPDX-License-Identifier: MIT */
/* Tests for the sessions and login throttle of pccs serve (web/session). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "web/session.h"

/* One account cannot fill the table: its oldest sessions end instead. */
static void
test_session_cap_per_user(void **state)
{
    (void)state;
    struct pccs_sessions *s = pccs_sessions_new();
    struct pccs_session first, x;
    assert_true(
        pccs_session_start(s, "ann", PCCS_ROLE_PCN, "U89141", 1, &first));
    for (int i = 0; i < PCCS_SESSIONS_MAX + 100; i++)
        assert_true(
            pccs_session_start(s, "ann", PCCS_ROLE_PCN, "U89141", 1, &x));
    assert_int_equal(pccs_session_count(s, "ann"), PCCS_SESSIONS_PER_USER);
    assert_int_equal(pccs_session_count(s, NULL), PCCS_SESSIONS_PER_USER);
    struct pccs_session got;
    assert_false(pccs_session_find(s, first.token, &got));
    assert_true(pccs_session_find(s, x.token, &got));
    assert_string_equal(got.user, "ann");
    assert_int_equal(got.generation, 1);
    /* Everyone else still logs in: the table is far from full. */
    for (int i = 0; i < 100; i++) {
        char name[16];
        snprintf(name, sizeof(name), "u%d", i);
        assert_true(pccs_session_start(s, name, PCCS_ROLE_ADMIN, "ENG", 7, &x));
    }
    assert_int_equal(pccs_session_count(s, NULL), PCCS_SESSIONS_PER_USER + 100);
    /* The oldest of ann's 8 went on the 9th login, in order. */
    struct pccs_session a[PCCS_SESSIONS_PER_USER + 1];
    for (int i = 0; i <= PCCS_SESSIONS_PER_USER; i++)
        assert_true(
            pccs_session_start(s, "bob", PCCS_ROLE_PCN, "U89141", 1, &a[i]));
    assert_false(pccs_session_find(s, a[0].token, &got));
    for (int i = 1; i <= PCCS_SESSIONS_PER_USER; i++)
        assert_true(pccs_session_find(s, a[i].token, &got));
    assert_int_equal(pccs_session_end_user(s, "bob"), PCCS_SESSIONS_PER_USER);
    assert_int_equal(pccs_session_count(s, "bob"), 0);
    assert_int_equal(pccs_session_count(s, "ann"), PCCS_SESSIONS_PER_USER);
    pccs_sessions_free(s);
}

/* The table of all users still has a limit. */
static void
test_session_table_full(void **state)
{
    (void)state;
    struct pccs_sessions *s = pccs_sessions_new();
    struct pccs_session x;
    for (int i = 0; i < PCCS_SESSIONS_MAX; i++) {
        char name[16];
        snprintf(name, sizeof(name), "u%d", i);
        assert_true(pccs_session_start(s, name, PCCS_ROLE_ADMIN, "ENG", 1, &x));
    }
    assert_false(pccs_session_start(s, "late", PCCS_ROLE_ADMIN, "ENG", 1, &x));
    /* a user with sessions gives up their own oldest instead */
    assert_true(pccs_session_start(s, "u0", PCCS_ROLE_ADMIN, "ENG", 1, &x));
    pccs_sessions_free(s);
}

struct guess {
    struct pccs_sessions *s;
    pthread_barrier_t *go;
    const char *user, *addr;
    bool tried;
};

static void *
guess(void *p)
{
    struct guess *g = p;
    pthread_barrier_wait(g->go);
    unsigned wait, unlogged;
    g->tried = pccs_login_begin(g->s, g->user, g->addr, &wait, &unlogged) ==
               PCCS_LOGIN_TRY;
    if (g->tried) {
        struct timespec check = {.tv_nsec = 20000000}; /* the password */
        nanosleep(&check, NULL);
        pccs_login_end(g->s, g->user, g->addr, false);
    }
    return NULL;
}

/* 16 wrong passwords at once: no more checked than the limit. */
static void
test_throttle_atomic(void **state)
{
    (void)state;
    struct pccs_sessions *s = pccs_sessions_new();
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, 16);
    pthread_t th[16];
    struct guess g[16];
    for (int i = 0; i < 16; i++) {
        g[i] = (struct guess){
            .s = s, .go = &go, .user = "ann", .addr = "10.0.0.1"};
        pthread_create(&th[i], NULL, guess, &g[i]);
    }
    int tried = 0;
    for (int i = 0; i < 16; i++) {
        pthread_join(th[i], NULL);
        tried += g[i].tried;
    }
    assert_int_equal(tried, PCCS_FREE_TRIES_PAIR);
    pthread_barrier_destroy(&go);
    pccs_sessions_free(s);
}

static enum pccs_login_verdict
try_login(struct pccs_sessions *s, const char *user, const char *addr, bool ok)
{
    unsigned wait, unlogged;
    enum pccs_login_verdict v =
        pccs_login_begin(s, user, addr, &wait, &unlogged);
    if (v == PCCS_LOGIN_TRY)
        pccs_login_end(s, user, addr, ok);
    return v;
}

/*
 * Failures from many addresses hold a user name only where it has not
 * logged in before; failures of many names from one address hold only
 * the names new to it.
 */
static void
test_throttle_keys(void **state)
{
    (void)state;
    struct pccs_sessions *s = pccs_sessions_new();
    assert_int_equal(try_login(s, "ann", "10.0.0.1", true), PCCS_LOGIN_TRY);
    assert_int_equal(try_login(s, "bob", "10.0.0.1", true), PCCS_LOGIN_TRY);
    for (int i = 0; i < 50; i++) {
        char addr[32];
        snprintf(addr, sizeof(addr), "10.1.0.%d", i);
        try_login(s, "ann", addr, false);
    }
    assert_int_not_equal(try_login(s, "ann", "10.2.0.1", true), PCCS_LOGIN_TRY);
    assert_int_equal(try_login(s, "ann", "10.0.0.1", true), PCCS_LOGIN_TRY);
    /* 50 wrong names from bob's address */
    for (int i = 0; i < 50; i++) {
        char name[32];
        snprintf(name, sizeof(name), "nobody%d", i);
        try_login(s, name, "10.0.0.1", false);
    }
    assert_int_not_equal(try_login(s, "carol", "10.0.0.1", true),
                         PCCS_LOGIN_TRY);
    assert_int_equal(try_login(s, "bob", "10.0.0.1", true), PCCS_LOGIN_TRY);
    assert_int_equal(try_login(s, "carol", "10.0.0.2", true), PCCS_LOGIN_TRY);
    /* the pair itself is held after its own free tries */
    for (int i = 0; i < PCCS_FREE_TRIES_PAIR; i++)
        assert_int_equal(try_login(s, "bob", "10.0.0.1", false),
                         PCCS_LOGIN_TRY);
    assert_int_not_equal(try_login(s, "bob", "10.0.0.1", true), PCCS_LOGIN_TRY);
    pccs_sessions_free(s);
}

/* 2,000 attempts in a wait: one refusal to audit, the rest counted. */
static void
test_throttle_log_bounded(void **state)
{
    (void)state;
    struct pccs_sessions *s = pccs_sessions_new();
    int tried = 0, logged = 0, quiet = 0;
    unsigned last_unlogged = 0;
    for (int i = 0; i < 2000; i++) {
        unsigned wait, unlogged;
        enum pccs_login_verdict v =
            pccs_login_begin(s, "ann", "10.0.0.1", &wait, &unlogged);
        if (v == PCCS_LOGIN_TRY) {
            tried++;
            pccs_login_end(s, "ann", "10.0.0.1", false);
        }
        else if (v == PCCS_LOGIN_REFUSED) {
            logged++;
            last_unlogged = unlogged;
        }
        else
            quiet++;
    }
    /* the loop takes well under the first 1 s wait on any machine this
     * runs on; if not, each further wait is one more line, never more */
    assert_true(tried >= PCCS_FREE_TRIES_PAIR);
    assert_true(logged >= 1 && logged <= tried - PCCS_FREE_TRIES_PAIR + 1);
    assert_int_equal(tried + logged + quiet, 2000);
    assert_true(last_unlogged == 0);
    /* the next audited refusal gives the count of the quiet ones */
    pccs_sessions_free(s);
}

/* A change to the account in the store ends all the user's sessions. */
static void
test_session_check_generation(void **state)
{
    (void)state;
    char dir[] = "/tmp/pccs-session-XXXXXX", path[64], cmd[96];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/s.db", dir);
    struct pccs_store *st;
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_store_open(&st, path, &err), PCCS_OK);
    struct pccs_user_row u = {
        .name = "ann", .role = "pcn", .scope = "U89141", .hash = "h"};
    assert_int_equal(pccs_store_user_put(st, &u, true, &err), PCCS_OK);
    int64_t g;
    bool off;
    assert_int_equal(pccs_store_user_state(st, "ann", &g, &off, &err), PCCS_OK);
    struct pccs_sessions *s = pccs_sessions_new();
    struct pccs_session a, b, c;
    assert_true(pccs_session_start(s, "ann", PCCS_ROLE_PCN, "U89141", g, &a));
    assert_true(pccs_session_start(s, "ann", PCCS_ROLE_PCN, "U89141", g, &b));
    assert_true(pccs_session_start(s, "bob", PCCS_ROLE_PCN, "U89141", 5, &c));
    assert_int_equal(pccs_session_check(s, st, &a, &err), PCCS_OK);
    assert_int_equal(pccs_session_count(s, "ann"), 2);
    u.hash = "h2";
    assert_int_equal(pccs_store_user_put(st, &u, false, &err), PCCS_OK);
    assert_int_equal(pccs_session_check(s, st, &a, &err), PCCS_ENOTFOUND);
    assert_int_equal(pccs_session_count(s, "ann"), 0);
    assert_false(pccs_session_find(s, b.token, &a));
    /* bob has no account at all: his session ends too */
    assert_int_equal(pccs_session_check(s, st, &c, &err), PCCS_ENOTFOUND);
    assert_int_equal(pccs_session_count(s, NULL), 0);
    pccs_sessions_free(s);
    pccs_store_free(st);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int
main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_cap_per_user),
        cmocka_unit_test(test_session_table_full),
        cmocka_unit_test(test_session_check_generation),
        cmocka_unit_test(test_throttle_atomic),
        cmocka_unit_test(test_throttle_keys),
        cmocka_unit_test(test_throttle_log_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
