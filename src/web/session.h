/* SPDX-License-Identifier: MIT */
/*
 * Sessions and login throttling for pccs serve, held in memory (a restart
 * signs everyone out). A session is a random 256-bit token sent as an
 * HttpOnly, SameSite=Strict cookie, with its own random CSRF token that
 * state-changing requests must echo in the X-CSRF-Token header. Failed
 * logins are slowed per user name and per client address: after a few,
 * each further attempt must wait twice as long as the last (up to a
 * limit), and is refused with 429 before the password is looked at.
 */
#ifndef PCCS_SESSION_H
#define PCCS_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define PCCS_TOKEN_HEX 65 /* 32 random bytes as hex, and a NUL */
#define PCCS_SESSION_SECONDS (8 * 60 * 60)

enum pccs_role { PCCS_ROLE_ADMIN, PCCS_ROLE_COMMISSIONER, PCCS_ROLE_PCN,
                 PCCS_ROLE_PRACTICE, PCCS_ROLE_NONE = -1 };

struct pccs_session {
    char token[PCCS_TOKEN_HEX];
    char csrf[PCCS_TOKEN_HEX];
    char user[65];
    enum pccs_role role;
    char scope[32]; /* an organisation code */
    time_t expires;
};

struct pccs_sessions;

/** "admin" ... "practice" to the role, or PCCS_ROLE_NONE. */
enum pccs_role pccs_role_parse(const char *s);
const char *pccs_role_name(enum pccs_role r);

struct pccs_sessions *pccs_sessions_new(void);
void pccs_sessions_free(struct pccs_sessions *s);

/** Start a session for user; its copy goes to *out. False when full. */
bool pccs_session_start(struct pccs_sessions *s, const char *user,
                        enum pccs_role role, const char *scope,
                        struct pccs_session *out);
/** The live session with this token, copied to *out; false if none. */
bool pccs_session_find(struct pccs_sessions *s, const char *token,
                       struct pccs_session *out);
void pccs_session_end(struct pccs_sessions *s, const char *token);

/**
 * May a login for user from addr be tried now? When not, *retry_after
 * is the seconds to wait.
 */
bool pccs_login_allowed(struct pccs_sessions *s, const char *user,
                        const char *addr, unsigned *retry_after);
/** Record the outcome of a login attempt (success clears the user's
 *  failures). */
void pccs_login_record(struct pccs_sessions *s, const char *user,
                       const char *addr, bool ok);

/** Do two NUL-terminated tokens match (in constant time)? */
bool pccs_token_equal(const char *a, const char *b);

#endif
