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

#define MAX_SESSIONS 4096
#define MAX_THROTTLE 1024
#define FREE_TRIES_USER 3   /* failures before a user name is slowed */
#define FREE_TRIES_ADDR 10  /* and a client address */
#define MAX_WAIT_MS 300000 /* 5 minutes */

struct throttle {
    char key[80]; /* "u:NAME" or "a:ADDRESS"; "" when free */
    unsigned failures;
    int64_t last, until; /* ms: the last failure; no try before until */
};

struct pccs_sessions {
    pthread_mutex_t lock;
    struct pccs_session live[MAX_SESSIONS];
    size_t n;
    struct throttle th[MAX_THROTTLE];
};

static int64_t
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *const role_names[] = {"admin", "commissioner", "pcn",
                                         "practice"};

enum pccs_role
pccs_role_parse(const char *s)
{
    for (int i = 0; s && i < 4; i++)
        if (!strcmp(s, role_names[i]))
            return (enum pccs_role)i;
    return PCCS_ROLE_NONE;
}

const char *
pccs_role_name(enum pccs_role r)
{
    return r >= 0 && r < 4 ? role_names[r] : "none";
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

bool
pccs_session_start(struct pccs_sessions *s, const char *user,
                   enum pccs_role role, const char *scope,
                   struct pccs_session *out)
{
    time_t now = time(NULL);
    pthread_mutex_lock(&s->lock);
    sweep(s, now);
    bool ok = s->n < MAX_SESSIONS;
    if (ok) {
        struct pccs_session *x = &s->live[s->n++];
        memset(x, 0, sizeof(*x));
        random_hex(x->token);
        random_hex(x->csrf);
        snprintf(x->user, sizeof(x->user), "%s", user);
        snprintf(x->scope, sizeof(x->scope), "%s", scope);
        x->role = role;
        x->expires = now + PCCS_SESSION_SECONDS;
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

/* The throttle entry for key, made if missing (replacing the stalest);
 * the caller holds the lock. */
static struct throttle *
throttle_get(struct pccs_sessions *s, const char *key, bool make)
{
    struct throttle *stale = &s->th[0];
    for (size_t i = 0; i < MAX_THROTTLE; i++) {
        if (s->th[i].key[0] && !strcmp(s->th[i].key, key))
            return &s->th[i];
        if (!s->th[i].key[0] || s->th[i].last < stale->last ||
            (stale->key[0] && !s->th[i].key[0]))
            stale = &s->th[i];
    }
    if (!make)
        return NULL;
    memset(stale, 0, sizeof(*stale));
    snprintf(stale->key, sizeof(stale->key), "%s", key);
    return stale;
}

/* Whole seconds left to wait, rounded up. */
static unsigned
wait_left(const struct throttle *t, int64_t now)
{
    return t && t->until > now ? (unsigned)((t->until - now + 999) / 1000) : 0;
}

bool
pccs_login_allowed(struct pccs_sessions *s, const char *user,
                   const char *addr, unsigned *retry_after)
{
    char ku[80], ka[80];
    snprintf(ku, sizeof(ku), "u:%s", user);
    snprintf(ka, sizeof(ka), "a:%s", addr);
    int64_t now = now_ms();
    pthread_mutex_lock(&s->lock);
    unsigned wu = wait_left(throttle_get(s, ku, false), now);
    unsigned wa = wait_left(throttle_get(s, ka, false), now);
    pthread_mutex_unlock(&s->lock);
    *retry_after = wu > wa ? wu : wa;
    return *retry_after == 0;
}

static void
fail(struct throttle *t, unsigned free_tries, int64_t now)
{
    t->failures++;
    t->last = now;
    if (t->failures >= free_tries) {
        unsigned shift = t->failures - free_tries;
        int64_t wait = shift >= 9 ? MAX_WAIT_MS : (int64_t)1000 << shift;
        t->until = now + (wait > MAX_WAIT_MS ? MAX_WAIT_MS : wait);
    }
}

void
pccs_login_record(struct pccs_sessions *s, const char *user, const char *addr,
                  bool ok)
{
    char ku[80], ka[80];
    snprintf(ku, sizeof(ku), "u:%s", user);
    snprintf(ka, sizeof(ka), "a:%s", addr);
    int64_t now = now_ms();
    pthread_mutex_lock(&s->lock);
    if (ok) {
        struct throttle *t = throttle_get(s, ku, false);
        if (t)
            memset(t, 0, sizeof(*t));
    }
    else {
        fail(throttle_get(s, ku, true), FREE_TRIES_USER, now);
        fail(throttle_get(s, ka, true), FREE_TRIES_ADDR, now);
    }
    pthread_mutex_unlock(&s->lock);
}
