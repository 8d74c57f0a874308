/* SPDX-License-Identifier: MIT */
#include "web/session.h"

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/xalloc.h"

#define MAX_THROTTLE 4096
#define MAX_KNOWN 1024
#define MAX_WAIT_MS 300000 /* 5 minutes */
#define RECHECK_MS 1000    /* read an account again after this at most */
#define STAMP_MS 5         /* look at the store's files after this at most */
#define KEY_LEN 128

/* The failures of a pair, a user name or an address. */
struct throttle {
    char key[KEY_LEN]; /* "p:NAME ADDRESS", "u:NAME", "a:ADDRESS"; "" free */
    unsigned failures;
    int64_t last, until; /* ms: the last failure; no try before until */
    int64_t logged;      /* the until whose first refusal was audited */
    unsigned quiet;      /* refusals since the last audited one */
};

/* A user name and address a login succeeded from ("NAME ADDRESS"). */
struct known {
    char key[KEY_LEN];
    int64_t last;
};

struct pccs_sessions {
    pthread_mutex_t lock;
    struct pccs_session live[PCCS_SESSIONS_MAX];
    size_t n;
    uint64_t serial;
    uint64_t stamp, epoch; /* the store's stamp, and how often it changed */
    int64_t stamp_ms;      /* when the stamp was taken */
    struct throttle th[MAX_THROTTLE];
    struct known known[MAX_KNOWN];
};

static int64_t
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *const role_names[] = {"admin",    "commissioner", "pcn",
                                         "practice", "hub",          "nhs111"};
#define NROLES (sizeof(role_names) / sizeof(role_names[0]))

enum pccs_role
pccs_role_parse(const char *s)
{
    for (int i = 0; s && i < (int)NROLES; i++)
        if (!strcmp(s, role_names[i]))
            return (enum pccs_role)i;
    return PCCS_ROLE_NONE;
}

const char *
pccs_role_name(enum pccs_role r)
{
    return r >= 0 && r < (int)NROLES ? role_names[r] : "none";
}

struct pccs_sessions *
pccs_sessions_new(void)
{
    struct pccs_sessions *s = pccs_xcalloc(1, sizeof(*s));
    pthread_mutex_init(&s->lock, NULL);
    return s;
}

void
pccs_sessions_free(struct pccs_sessions *s)
{
    if (!s)
        return;
    pthread_mutex_destroy(&s->lock);
    sodium_memzero(s->live, sizeof(s->live));
    free(s);
}

bool
pccs_token_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && n > 0 && sodium_memcmp(a, b, n) == 0;
}

static void
random_hex(char out[PCCS_TOKEN_HEX])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(out, PCCS_TOKEN_HEX, raw, sizeof(raw));
    sodium_memzero(raw, sizeof(raw));
}

/* Drop expired sessions; the caller holds the lock. */
static void
sweep(struct pccs_sessions *s, time_t now)
{
    for (size_t i = 0; i < s->n;)
        if (s->live[i].expires <= now)
            s->live[i] = s->live[--s->n];
        else
            i++;
}

/* The caller holds the lock. */
static size_t
user_sessions(const struct pccs_sessions *s, const char *user)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        n += !strcmp(s->live[i].user, user);
    return n;
}

/* End sessions of user, the oldest first, until keep are left; the
 * caller holds the lock. Returns how many ended. */
static size_t
trim_user(struct pccs_sessions *s, const char *user, size_t keep)
{
    size_t ended = 0;
    for (;;) {
        size_t n = 0, oldest = 0;
        for (size_t i = 0; i < s->n; i++)
            if (!strcmp(s->live[i].user, user) &&
                (!n++ || s->live[i].serial < s->live[oldest].serial))
                oldest = i;
        if (n <= keep)
            return ended;
        sodium_memzero(&s->live[oldest], sizeof(s->live[oldest]));
        s->live[oldest] = s->live[--s->n];
        ended++;
    }
}

bool
pccs_session_start(struct pccs_sessions *s, const char *user,
                   enum pccs_role role, const char *scope, int64_t generation,
                   struct pccs_session *out)
{
    time_t now = time(NULL);
    pthread_mutex_lock(&s->lock);
    sweep(s, now);
    trim_user(s, user, PCCS_SESSIONS_PER_USER - 1);
    size_t mine = user_sessions(s, user);
    if (s->n == PCCS_SESSIONS_MAX && mine) /* full: the user's oldest goes */
        trim_user(s, user, mine - 1);
    bool ok = s->n < PCCS_SESSIONS_MAX;
    if (ok) {
        struct pccs_session *x = &s->live[s->n++];
        memset(x, 0, sizeof(*x));
        random_hex(x->token);
        random_hex(x->csrf);
        snprintf(x->user, sizeof(x->user), "%s", user);
        snprintf(x->scope, sizeof(x->scope), "%s", scope);
        x->role = role;
        x->expires = now + PCCS_SESSION_SECONDS;
        x->generation = generation;
        x->serial = ++s->serial;
        *out = *x;
    }
    pthread_mutex_unlock(&s->lock);
    return ok;
}

bool
pccs_session_find(struct pccs_sessions *s, const char *token,
                  struct pccs_session *out)
{
    if (!token || strlen(token) != PCCS_TOKEN_HEX - 1)
        return false;
    time_t now = time(NULL);
    bool found = false;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->n && !found; i++)
        if (s->live[i].expires > now &&
            pccs_token_equal(s->live[i].token, token)) {
            *out = s->live[i];
            found = true;
        }
    pthread_mutex_unlock(&s->lock);
    return found;
}

void
pccs_session_end(struct pccs_sessions *s, const char *token)
{
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->n; i++)
        if (pccs_token_equal(s->live[i].token, token)) {
            s->live[i] = s->live[--s->n];
            break;
        }
    pthread_mutex_unlock(&s->lock);
}

size_t
pccs_session_end_user(struct pccs_sessions *s, const char *user)
{
    pthread_mutex_lock(&s->lock);
    size_t n = trim_user(s, user, 0);
    pthread_mutex_unlock(&s->lock);
    return n;
}

size_t
pccs_session_count(struct pccs_sessions *s, const char *user)
{
    time_t now = time(NULL);
    size_t n = 0;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->n; i++)
        n += s->live[i].expires > now &&
             (!user || !strcmp(s->live[i].user, user));
    pthread_mutex_unlock(&s->lock);
    return n;
}

/* Note that session token was found standing in epoch at now. */
static void
checked(struct pccs_sessions *s, const char *token, uint64_t epoch, int64_t now)
{
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->n; i++)
        if (pccs_token_equal(s->live[i].token, token)) {
            s->live[i].checked_epoch = epoch;
            s->live[i].checked_ms = now;
            break;
        }
    pthread_mutex_unlock(&s->lock);
}

int
pccs_session_check(struct pccs_sessions *s, struct pccs_store *st,
                   const struct pccs_session *x, struct pccs_err *err)
{
    int64_t now = now_ms();
    pthread_mutex_lock(&s->lock);
    bool look = !s->epoch || now - s->stamp_ms >= STAMP_MS;
    pthread_mutex_unlock(&s->lock);
    uint64_t stamp = look ? pccs_store_stamp(st) : 0;
    pthread_mutex_lock(&s->lock);
    if (look) {
        s->stamp_ms = now;
        if (stamp != s->stamp || !s->epoch) {
            s->stamp = stamp;
            s->epoch++;
        }
    }
    uint64_t epoch = s->epoch;
    pthread_mutex_unlock(&s->lock);
    if (x->checked_epoch == epoch && now - x->checked_ms < RECHECK_MS)
        return PCCS_OK; /* nothing in the store can have changed */
    int64_t generation = 0;
    bool disabled = false;
    int rc = pccs_store_user_state(st, x->user, &generation, &disabled, err);
    if (rc == PCCS_OK && generation == x->generation && !disabled) {
        checked(s, x->token, epoch, now);
        return PCCS_OK;
    }
    if (rc && rc != PCCS_ENOTFOUND)
        return rc;
    pccs_session_end_user(s, x->user);
    return pccs_err_set(err, PCCS_ENOTFOUND,
                        "the account of %s changed: log in again", x->user);
}

/* ===== Throttling ===== */

/* The throttle entry for key, or NULL; the caller holds the lock. */
static struct throttle *
throttle_find(struct pccs_sessions *s, const char *key)
{
    for (size_t i = 0; i < MAX_THROTTLE; i++)
        if (s->th[i].key[0] && !strcmp(s->th[i].key, key))
            return &s->th[i];
    return NULL;
}

/* The throttle entry for key, made if missing in a free slot or else in
 * place of the stalest entry not waiting (the stalest of all if every
 * one is); the caller holds the lock. */
static struct throttle *
throttle_get(struct pccs_sessions *s, const char *key, int64_t now)
{
    struct throttle *t = throttle_find(s, key);
    if (t)
        return t;
    struct throttle *idle = NULL, *any = &s->th[0];
    for (size_t i = 0; i < MAX_THROTTLE; i++) {
        struct throttle *x = &s->th[i];
        if (!x->key[0]) {
            idle = x;
            break;
        }
        if (x->until <= now && (!idle || x->last < idle->last))
            idle = x;
        if (x->last < any->last)
            any = x;
    }
    t = idle ? idle : any;
    memset(t, 0, sizeof(*t));
    snprintf(t->key, sizeof(t->key), "%s", key);
    return t;
}

static bool
is_known(struct pccs_sessions *s, const char *pair)
{
    for (size_t i = 0; i < MAX_KNOWN; i++)
        if (s->known[i].key[0] && !strcmp(s->known[i].key, pair))
            return true;
    return false;
}

/* Remember a pair a login succeeded from, forgetting the stalest. */
static void
remember(struct pccs_sessions *s, const char *pair, int64_t now)
{
    struct known *k = &s->known[0];
    for (size_t i = 0; i < MAX_KNOWN; i++) {
        if (!strcmp(s->known[i].key, pair)) {
            k = &s->known[i];
            break;
        }
        if (s->known[i].last < k->last)
            k = &s->known[i];
    }
    size_t n = strnlen(pair, sizeof(k->key) - 1);
    memcpy(k->key, pair, n);
    k->key[n] = '\0';
    k->last = now;
}

/* No attempt before: after free_tries failures, 1 s, doubling with each
 * further failure up to MAX_WAIT_MS, from the last failure. */
static void
set_until(struct throttle *t, unsigned free_tries)
{
    t->until = 0;
    if (t->failures >= free_tries) {
        unsigned shift = t->failures - free_tries;
        int64_t wait = shift >= 9 ? MAX_WAIT_MS : (int64_t)1000 << shift;
        t->until = t->last + (wait > MAX_WAIT_MS ? MAX_WAIT_MS : wait);
    }
}

static void
fail(struct throttle *t, unsigned free_tries, int64_t now)
{
    t->failures++;
    t->last = now;
    set_until(t, free_tries);
}

/* Whole seconds left to wait, rounded up. */
static unsigned
wait_left(const struct throttle *t, int64_t now)
{
    return t && t->until > now ? (unsigned)((t->until - now + 999) / 1000) : 0;
}

/* The keys of an attempt. */
struct keys {
    char pair[KEY_LEN], user[KEY_LEN], addr[KEY_LEN];
};

static void
make_keys(struct keys *k, const char *user, const char *addr)
{
    snprintf(k->pair, sizeof(k->pair), "p:%s %s", user, addr);
    snprintf(k->user, sizeof(k->user), "u:%s", user);
    snprintf(k->addr, sizeof(k->addr), "a:%s", addr);
}

/* Refused by t (waiting): is this the refusal to audit? */
static enum pccs_login_verdict
refuse(struct throttle *t, unsigned *unlogged)
{
    if (t->logged == t->until) {
        t->quiet++;
        return PCCS_LOGIN_REFUSED_QUIET;
    }
    t->logged = t->until;
    *unlogged = t->quiet;
    t->quiet = 0;
    return PCCS_LOGIN_REFUSED;
}

enum pccs_login_verdict
pccs_login_begin(struct pccs_sessions *s, const char *user, const char *addr,
                 unsigned *retry_after, unsigned *unlogged)
{
    struct keys k = {.pair = ""};
    make_keys(&k, user, addr);
    int64_t now = now_ms();
    *retry_after = 0;
    *unlogged = 0;
    enum pccs_login_verdict v = PCCS_LOGIN_TRY;
    pthread_mutex_lock(&s->lock);
    /* a user who logs in from here is held only by the pair's count */
    bool known = is_known(s, k.pair + 2);
    struct throttle *by[3] = {throttle_find(s, k.pair),
                              known ? NULL : throttle_find(s, k.user),
                              known ? NULL : throttle_find(s, k.addr)};
    struct throttle *worst = NULL;
    for (int i = 0; i < 3; i++) {
        unsigned w = wait_left(by[i], now);
        if (w > *retry_after) {
            *retry_after = w;
            worst = by[i];
        }
    }
    if (worst)
        v = refuse(worst, unlogged);
    else { /* counted now, refunded if the password is right */
        fail(throttle_get(s, k.pair, now), PCCS_FREE_TRIES_PAIR, now);
        fail(throttle_get(s, k.user, now), PCCS_FREE_TRIES_USER, now);
        fail(throttle_get(s, k.addr, now), PCCS_FREE_TRIES_ADDR, now);
    }
    pthread_mutex_unlock(&s->lock);
    return v;
}

void
pccs_login_end(struct pccs_sessions *s, const char *user, const char *addr,
               bool ok)
{
    struct keys k = {.pair = ""};
    make_keys(&k, user, addr);
    int64_t now = now_ms();
    pthread_mutex_lock(&s->lock);
    if (!ok) { /* counted by pccs_login_begin(); the wait runs from now */
        const char *keys[] = {k.pair, k.user, k.addr};
        const unsigned free_tries[] = {
            PCCS_FREE_TRIES_PAIR, PCCS_FREE_TRIES_USER, PCCS_FREE_TRIES_ADDR};
        for (int i = 0; i < 3; i++) {
            struct throttle *t = throttle_find(s, keys[i]);
            if (t && t->failures) {
                t->last = now;
                set_until(t, free_tries[i]);
            }
        }
        pthread_mutex_unlock(&s->lock);
        return;
    }
    struct throttle *t = throttle_find(s, k.pair);
    if (t)
        memset(t, 0, sizeof(*t));
    t = throttle_find(s, k.user);
    if (t)
        memset(t, 0, sizeof(*t));
    t = throttle_find(s, k.addr);
    if (t && t->failures) {
        t->failures--;
        set_until(t, PCCS_FREE_TRIES_ADDR);
    }
    remember(s, k.pair + 2, now);
    pthread_mutex_unlock(&s->lock);
}
