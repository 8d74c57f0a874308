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

void
pccs_web_auth_identify(struct pccs_web_server *sv, struct pccs_web_request *rq)
{
    const char *token =
        MHD_lookup_connection_value(rq->c, MHD_COOKIE_KIND, "pccs_session");
    rq->signed_in = token && pccs_session_find(sv->sessions, token, &rq->sess);
    rq->scope = rq->signed_in ? pccs_tree_find(&sv->tree, rq->sess.scope) : -1;
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
};

static int
login_user_cb(void *ctx, const struct pccs_user_row *u)
{
    struct login_user *l = ctx;
    snprintf(l->hash, sizeof(l->hash), "%s", u->hash);
    snprintf(l->role, sizeof(l->role), "%s", u->role);
    snprintf(l->scope, sizeof(l->scope), "%s", u->scope);
    return 0;
}

/*
 * Check user's password (a user who does not exist costs the same
 * Argon2id check as one who does) and start a session into *x.
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
    pccs_login_record(sv->sessions, user, rq->addr, ok);
    if (ok && !pccs_session_start(sv->sessions, user, role, lu.scope, x))
        return pccs_err_set(err, PCCS_WEB_EFULL, "too many sessions");
    pccs_web_audit(sv, rq, user, ok ? "login" : "login-failed", "");
    if (!ok)
        return pccs_err_set(err, PCCS_WEB_ESIGNIN,
                            "wrong user name or password");
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
    unsigned wait;
    struct pccs_session x;
    if (!user || !pw || strlen(user) > 64 || strlen(pw) > 256)
        rc = pccs_err_set(err, PCCS_EINVAL,
                          "give {\"user\": NAME, \"password\": PASSWORD} "
                          "as JSON");
    else if (!pccs_login_allowed(sv->sessions, user, rq->addr, &wait)) {
        pccs_web_audit(sv, rq, user, "login-throttled", "");
        r->retry_after = wait;
        rc = pccs_err_set(err, PCCS_WEB_ETHROTTLED,
                          "too many failed logins: try again in %u s", wait);
    }
    else
        rc = check_password(sv, rq, user, pw, &x, err);
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
