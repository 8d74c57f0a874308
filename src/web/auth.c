/* SPDX-License-Identifier: MIT */
/*
 * Signing in and out: the session cookie, the CSRF token, the login with
 * its throttle (web/session.c keeps the sessions themselves).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "web/web.h"

/*
 * The session of the request's cookie, if it is live and its account
 * stands as it began (not changed, disabled or deleted by pccs user, in
 * any process: else every session of the user ends and the request is
 * signed out). A store that cannot be read: its error.
 */
int
pccs_web_auth_identify(struct pccs_web_server *sv, struct pccs_web_request *rq,
                       struct pccs_err *err)
{
    const char *token =
        MHD_lookup_connection_value(rq->c, MHD_COOKIE_KIND, "pccs_session");
    rq->signed_in = token && pccs_session_find(sv->sessions, token, &rq->sess);
    if (rq->signed_in && !rq->st)
        return pccs_err_set(err, PCCS_EIO, "no store to check the session");
    if (rq->signed_in) {
        int rc = pccs_session_check(sv->sessions, rq->st, &rq->sess, err);
        if (rc && rc != PCCS_ENOTFOUND)
            return rc;
        rq->signed_in = rc == PCCS_OK;
    }
    rq->scope = rq->signed_in ? pccs_tree_find(&sv->tree, rq->sess.scope) : -1;
    return PCCS_OK;
}

/* The text of an IPv4 or IPv6 address (len bytes of s) in its usual
 * form, into out; false if it is not one. */
static bool
normal_addr(const char *s, size_t len, char *out, size_t n)
{
    char in[INET6_ADDRSTRLEN];
    unsigned char bin[sizeof(struct in6_addr)];
    if (len >= sizeof(in))
        return false;
    memcpy(in, s, len);
    in[len] = '\0';
    if (inet_pton(AF_INET, in, bin) == 1)
        return inet_ntop(AF_INET, bin, out, (socklen_t)n) != NULL;
    if (inet_pton(AF_INET6, in, bin) == 1)
        return inet_ntop(AF_INET6, bin, out, (socklen_t)n) != NULL;
    return false;
}

void
pccs_web_auth_forwarded(const struct pccs_web_server *sv,
                        struct pccs_web_request *rq)
{
    if (!sv->o->trusted_proxy || strcmp(rq->addr, sv->o->trusted_proxy) != 0)
        return;
    const char *xff =
        MHD_lookup_connection_value(rq->c, MHD_HEADER_KIND, "X-Forwarded-For");
    if (!xff)
        return;
    /* the last entry: the one the proxy added */
    const char *end = xff + strlen(xff);
    while (end > xff && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    const char *start = end;
    while (start > xff && start[-1] != ',')
        start--;
    while (start < end && (*start == ' ' || *start == '\t'))
        start++;
    char addr[INET6_ADDRSTRLEN];
    if (normal_addr(start, (size_t)(end - start), addr, sizeof(addr)))
        snprintf(rq->addr, sizeof(rq->addr), "%s", addr);
}

bool
pccs_web_auth_csrf_ok(struct pccs_web_server *sv,
                      const struct pccs_web_request *rq)
{
    const char *t =
        MHD_lookup_connection_value(rq->c, MHD_HEADER_KIND, "X-CSRF-Token");
    if (t && pccs_token_equal(t, rq->sess.csrf))
        return true;
    pccs_web_audit(sv, rq, rq->sess.user, "csrf-refused", rq->method);
    return false;
}

/* The session as JSON: who is signed in, their scope and CSRF token. */
static void
reply_session(struct pccs_web_server *sv, const struct pccs_session *x,
              struct pccs_web_reply *r)
{
    json_t *j = json_object();
    json_object_set_new(j, "user", json_string(x->user));
    json_object_set_new(j, "role", json_string(pccs_role_name(x->role)));
    json_object_set_new(j, "scope", json_string(x->scope));
    int o = pccs_tree_find(&sv->tree, x->scope);
    json_object_set_new(j, "scope_name",
                        o >= 0 && sv->tree.orgs[o].name
                            ? json_string(sv->tree.orgs[o].name)
                            : json_null());
    json_object_set_new(
        j, "scope_level",
        json_string(o >= 0 ? sv->tree.orgs[o].level_name : "none"));
    json_object_set_new(j, "csrf", json_string(x->csrf));
    json_object_set_new(j, "expires_in", json_integer(x->expires - time(NULL)));
    pccs_web_reply_json(r, j);
}

int
pccs_web_session(struct pccs_web_server *sv, struct pccs_web_request *rq,
                 struct pccs_web_reply *r, struct pccs_err *err)
{
    (void)err;
    reply_session(sv, &rq->sess, r);
    return PCCS_OK;
}

int
pccs_web_logout(struct pccs_web_server *sv, struct pccs_web_request *rq,
                struct pccs_web_reply *r, struct pccs_err *err)
{
    (void)err;
    pccs_session_end(sv->sessions, rq->sess.token);
    pccs_web_audit(sv, rq, rq->sess.user, "logout", "");
    snprintf(r->cookie, sizeof(r->cookie),
             "pccs_session=; Path=/; HttpOnly; SameSite=Strict; "
             "Max-Age=0");
    json_t *j = json_object();
    json_object_set_new(j, "signed_out", json_string(rq->sess.user));
    pccs_web_reply_json(r, j);
    return PCCS_OK;
}

struct login_user {
    char hash[256];
    char role[32];
    char scope[32];
    int64_t generation;
    bool disabled;
};

static int
login_user_cb(void *ctx, const struct pccs_user_row *u)
{
    struct login_user *l = ctx;
    snprintf(l->hash, sizeof(l->hash), "%s", u->hash);
    snprintf(l->role, sizeof(l->role), "%s", u->role);
    snprintf(l->scope, sizeof(l->scope), "%s", u->scope);
    l->generation = u->generation;
    l->disabled = u->disabled;
    return 0;
}

/*
 * May this login be tried now? Decided and counted in one step (web/
 * session.c). If not, 429 and, once per wait, its audit line with the
 * number of refusals not written one by one.
 */
static int
throttle(struct pccs_web_server *sv, struct pccs_web_request *rq,
         const char *user, struct pccs_web_reply *r, struct pccs_err *err)
{
    unsigned wait, unlogged;
    enum pccs_login_verdict v =
        pccs_login_begin(sv->sessions, user, rq->addr, &wait, &unlogged);
    if (v == PCCS_LOGIN_TRY)
        return PCCS_OK;
    if (v == PCCS_LOGIN_REFUSED) {
        char d[80];
        snprintf(d, sizeof(d), "retry in %u s; %u more refused", wait,
                 unlogged);
        pccs_web_audit(sv, rq, user, "login-throttled", d);
    }
    r->retry_after = wait;
    return pccs_err_set(err, PCCS_WEB_ETHROTTLED,
                        "too many failed logins: try again in %u s", wait);
}

/*
 * Check user's password (a user who does not exist costs the same
 * Argon2id check as one who does), tell the throttle, and start a
 * session into *x: none without its audit line (503 if it cannot be
 * written), none for a disabled account (403, to the right password).
 */
static int
check_password(struct pccs_web_server *sv, struct pccs_web_request *rq,
               const char *user, const char *pw, struct pccs_session *x,
               struct pccs_err *err)
{
    struct login_user lu;
    memset(&lu, 0, sizeof(lu));
    bool known =
        pccs_store_users_each(rq->st, user, login_user_cb, &lu, err) == PCCS_OK;
    if (!known) /* the same work for an unknown name */
        snprintf(lu.hash, sizeof(lu.hash), "%s", sv->dummy_hash);
    bool ok = crypto_pwhash_str_verify(lu.hash, pw, strlen(pw)) == 0 && known;
    sodium_memzero(lu.hash, sizeof(lu.hash));
    enum pccs_role role = pccs_role_parse(lu.role);
    ok = ok && role != PCCS_ROLE_NONE;
    pccs_login_end(sv->sessions, user, rq->addr, ok && !lu.disabled);
    if (!ok) {
        pccs_web_audit(sv, rq, user, "login-failed", "");
        return pccs_err_set(err, PCCS_WEB_ESIGNIN,
                            "wrong user name or password");
    }
    if (lu.disabled) {
        pccs_web_audit(sv, rq, user, "login-disabled", "");
        return pccs_err_set(err, PCCS_EFORBIDDEN,
                            "the account of %s is disabled", user);
    }
    if (!pccs_session_start(sv->sessions, user, role, lu.scope, lu.generation,
                            x))
        return pccs_err_set(err, PCCS_WEB_EFULL, "too many sessions");
    if (!pccs_web_audit(sv, rq, user, "login", "")) {
        pccs_session_end(sv->sessions, x->token);
        return pccs_err_set(err, PCCS_WEB_EFULL,
                            "the audit log cannot be written: no login "
                            "without it");
    }
    return PCCS_OK;
}

/*
 * POST /api/login with {"user": ..., "password": ...} as JSON (a form
 * from another site cannot send that without the browser asking first).
 */
int
pccs_web_login(struct pccs_web_server *sv, struct pccs_web_request *rq,
               struct pccs_web_reply *r, struct pccs_err *err)
{
    const char *ct =
        MHD_lookup_connection_value(rq->c, MHD_HEADER_KIND, "Content-Type");
    if (!ct || strncasecmp(ct, "application/json", 16) != 0)
        return pccs_err_set(err, PCCS_EUNSUPPORTED,
                            "send the login as application/json");
    json_error_t je;
    json_t *j = json_loadb(rq->body, rq->body_len, 0, &je);
    const char *user = j ? json_string_value(json_object_get(j, "user")) : NULL;
    const char *pw =
        j ? json_string_value(json_object_get(j, "password")) : NULL;
    int rc = PCCS_OK;
    struct pccs_session x;
    if (!user || !pw || strlen(user) > 64 || strlen(pw) > 256)
        rc = pccs_err_set(err, PCCS_EINVAL,
                          "give {\"user\": NAME, \"password\": PASSWORD} "
                          "as JSON");
    else {
        rc = throttle(sv, rq, user, r, err);
        if (!rc)
            rc = check_password(sv, rq, user, pw, &x, err);
    }
    json_decref(j);
    if (rc)
        return rc;
    snprintf(r->cookie, sizeof(r->cookie),
             "pccs_session=%s; Path=/; HttpOnly; SameSite=Strict; "
             "Max-Age=%d%s",
             x.token, PCCS_SESSION_SECONDS, sv->o->secure ? "; Secure" : "");
    reply_session(sv, &x, r);
    return PCCS_OK;
}
