/* SPDX-License-Identifier: MIT */
/*
 * Sessions and login throttling for pccs serve, held in memory (a restart
 * signs everyone out). A session is a random 256-bit token sent as an
 * HttpOnly, SameSite=Strict cookie, with its own random CSRF token that
 * state-changing requests must echo in the X-CSRF-Token header.
 *
 * Sessions: at most PCCS_SESSIONS_PER_USER per user (a new login ends the
 * user's oldest), PCCS_SESSIONS_MAX in all. A session remembers the
 * account's generation (store.h); pccs_session_check() compares it with
 * the store's on every request and ends every session of a user whose
 * account changed, was disabled or deleted, even by another process.
 *
 * Throttling (docs/API.md, "Slowed logins"): failures are counted per
 * user name and address pair, per user name and per address. After a
 * few, each further attempt must wait twice as long as the last (1 s up
 * to 5 minutes) and is refused with 429 before the password is looked
 * at. A pair where that user has logged in before (since the server
 * started) is held only by its own count, so neither rotating addresses
 * against a user name nor other users behind the same address can lock a
 * user out of where they usually log in. The check and the recording of
 * an attempt are one step under one mutex: an attempt is counted as a
 * failure when it is let through, and refunded if the password was
 * right, so concurrent guesses get no more tries than the limit.
 */
#ifndef PCCS_SESSION_H
#define PCCS_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "store/store.h"

#define PCCS_TOKEN_HEX 65 /* 32 random bytes as hex, and a NUL */
#define PCCS_SESSION_SECONDS (8 * 60 * 60)
#define PCCS_SESSIONS_MAX 4096
#define PCCS_SESSIONS_PER_USER 8

/* Failures let through before an attempt must wait. */
#define PCCS_FREE_TRIES_PAIR 3  /* a user name from one address */
#define PCCS_FREE_TRIES_USER 10 /* a user name from addresses new to it */
#define PCCS_FREE_TRIES_ADDR 10 /* an address, for user names new to it */

enum pccs_role {
    PCCS_ROLE_ADMIN,
    PCCS_ROLE_COMMISSIONER,
    PCCS_ROLE_PCN,
    PCCS_ROLE_PRACTICE,
    PCCS_ROLE_HUB,    /* a PCN's hub administrator: its booking sessions */
    PCCS_ROLE_NHS111, /* NHS 111 of an ICB: books into slots that allow it */
    PCCS_ROLE_NONE = -1
};

struct pccs_session {
    char token[PCCS_TOKEN_HEX];
    char csrf[PCCS_TOKEN_HEX];
    char user[65];
    enum pccs_role role;
    char scope[32]; /* an organisation code */
    time_t expires;
    int64_t generation; /* of the account when the session began */
    uint64_t serial;    /* order of starting: the oldest is the lowest */
    /* when pccs_session_check() last read the account: the store's
     * epoch then (see below), and the time (monotonic ms) */
    uint64_t checked_epoch;
    int64_t checked_ms;
};

struct pccs_sessions;

/** "admin" ... "practice" to the role, or PCCS_ROLE_NONE. */
enum pccs_role pccs_role_parse(const char *s);
const char *pccs_role_name(enum pccs_role r);

struct pccs_sessions *pccs_sessions_new(void);
void pccs_sessions_free(struct pccs_sessions *s);

/**
 * Start a session for user (its account at generation); its copy goes to
 * *out. The user's oldest sessions end to keep PCCS_SESSIONS_PER_USER.
 * False when PCCS_SESSIONS_MAX sessions of other users are live.
 */
bool pccs_session_start(struct pccs_sessions *s, const char *user,
                        enum pccs_role role, const char *scope,
                        int64_t generation, struct pccs_session *out);
/** The live session with this token, copied to *out; false if none. */
bool pccs_session_find(struct pccs_sessions *s, const char *token,
                       struct pccs_session *out);
void pccs_session_end(struct pccs_sessions *s, const char *token);
/** End every session of user; returns how many there were. */
size_t pccs_session_end_user(struct pccs_sessions *s, const char *user);
/** Live sessions of user (NULL: of everyone). */
size_t pccs_session_count(struct pccs_sessions *s, const char *user);
/**
 * Does the account of session x (as pccs_session_find() gave it) still
 * stand as it began (same generation, not disabled)? PCCS_OK;
 * PCCS_ENOTFOUND when it changed, was disabled or deleted, after ending
 * every session of the user; a store error (nothing ended) if the store
 * could not be read. The account is read again only when the store's
 * files have changed since the session's last check (pccs_store_stamp(),
 * looked at every 5 ms at most) or a second has passed: a change is seen
 * within milliseconds, and most requests cost a mutex and a clock read.
 */
int pccs_session_check(struct pccs_sessions *s, struct pccs_store *st,
                       const struct pccs_session *x, struct pccs_err *err);

enum pccs_login_verdict {
    PCCS_LOGIN_TRY,     /* check the password, then pccs_login_end() */
    PCCS_LOGIN_REFUSED, /* 429, to be written to the audit log */
    /* 429, not written: counted, and the number given with the next
     * refusal that is written (one line per wait, not per attempt) */
    PCCS_LOGIN_REFUSED_QUIET,
};

/**
 * May a login for user from addr be tried now? Decided and, when it may,
 * counted as a failure in one step. When refused, *retry_after is the
 * seconds to wait and, for PCCS_LOGIN_REFUSED, *unlogged the number of
 * refusals since the last one written to the audit log.
 */
enum pccs_login_verdict pccs_login_begin(struct pccs_sessions *s,
                                         const char *user, const char *addr,
                                         unsigned *retry_after,
                                         unsigned *unlogged);
/** The outcome of an attempt pccs_login_begin() let through: a failure
 *  (counted already) starts its wait now, when it is known; ok clears
 *  the counts of the user (and refunds the address its attempt) and
 *  remembers the pair as one where the user logs in. */
void pccs_login_end(struct pccs_sessions *s, const char *user, const char *addr,
                    bool ok);

/** Do two NUL-terminated tokens match (in constant time)? */
bool pccs_token_equal(const char *a, const char *b);

#endif
