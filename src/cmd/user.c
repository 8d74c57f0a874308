/* SPDX-License-Identifier: MIT */
/*
 * pccs user add NAME --role ROLE --scope CODE | passwd NAME | check NAME |
 * list | disable NAME | enable NAME | delete NAME | role NAME ROLE
 * [--scope CODE]: the accounts of pccs serve. Passwords are read from the
 * terminal without echo, or a line of standard input, and stored only as
 * Argon2id hashes (libsodium's crypto_pwhash_str with its interactive
 * limits, 64 MiB and 2 passes: meant for logins to an online service, and
 * they keep the server's memory bounded while it checks one).
 *
 * Every change goes in one transaction with its audit line, and gives the
 * account a new generation, which ends the user's sessions in a running
 * pccs serve at their next request.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "model/tree.h"

#define MIN_PASSWORD 10  /* characters (UTF-8 code points) */
#define MAX_PASSWORD 256 /* bytes: the most POST /api/login takes */

/* The number of code points in s (n bytes), or -1 if not UTF-8. */
static long
utf8_chars(const unsigned char *s, size_t n)
{
    long chars = 0;
    for (size_t i = 0; i < n; chars++) {
        unsigned c = s[i];
        size_t len = c < 0x80             ? 1
                     : (c & 0xE0) == 0xC0 ? 2
                     : (c & 0xF0) == 0xE0 ? 3
                     : (c & 0xF8) == 0xF0 ? 4
                                          : 0;
        if (!len || i + len > n || (len == 2 && c < 0xC2) ||
            (len == 4 && c > 0xF4))
            return -1;
        for (size_t k = 1; k < len; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return -1;
        if ((len == 3 && c == 0xE0 && s[i + 1] < 0xA0) ||
            (len == 3 && c == 0xED && s[i + 1] >= 0xA0) ||
            (len == 4 && c == 0xF0 && s[i + 1] < 0x90) ||
            (len == 4 && c == 0xF4 && s[i + 1] >= 0x90))
            return -1; /* overlong, a surrogate, or past U+10FFFF */
        i += len;
    }
    return chars;
}

/* One line of standard input, without echo on a terminal; NULL at EOF.
 * *n is its length without the line end. Free with free(3). */
static char *
read_line(const char *prompt, size_t *n)
{
    bool tty = isatty(STDIN_FILENO);
    struct termios old, quiet;
    if (tty) {
        fprintf(stderr, "%s", prompt);
        tcgetattr(STDIN_FILENO, &old);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t got = getline(&line, &cap, stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (got < 0) {
        free(line);
        return NULL;
    }
    size_t len = (size_t)got;
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    *n = len;
    return line;
}

/*
 * Read a password into pw: whole, or refused with a message (never cut
 * short): longer than MAX_PASSWORD bytes, with a NUL in it, not UTF-8,
 * or, for a new one, shorter than MIN_PASSWORD characters. 0, or an exit
 * status.
 */
static int
read_password(char pw[MAX_PASSWORD + 1], bool new_one)
{
    size_t n = 0;
    char *line = read_line("password: ", &n);
    int rc = 0;
    long chars = line ? utf8_chars((const unsigned char *)line, n) : 0;
    if (!line)
        rc = pccs_cmd_fail(PCCS_EXIT_INPUT, "no password given");
    else if (n > MAX_PASSWORD)
        rc = pccs_cmd_fail(PCCS_EXIT_INPUT,
                           "the password is %zu bytes long: at most %d "
                           "bytes are taken (and none is cut off)",
                           n, MAX_PASSWORD);
    else if (memchr(line, '\0', n))
        rc =
            pccs_cmd_fail(PCCS_EXIT_INPUT, "the password has a NUL byte in it");
    else if (chars < 0)
        rc = pccs_cmd_fail(PCCS_EXIT_INPUT,
                           "the password is not UTF-8 text (a login could "
                           "not send it)");
    else if (new_one && chars < MIN_PASSWORD)
        rc = pccs_cmd_fail(PCCS_EXIT_INPUT,
                           "the password needs at least %d characters, not "
                           "%ld",
                           MIN_PASSWORD, chars);
    else
        memcpy(pw, line, n + 1);
    if (line) {
        sodium_memzero(line, n);
        free(line);
    }
    return rc;
}

/* Ask for a new password and hash it; 0, or an exit status. */
static int
new_hash(char hash[crypto_pwhash_STRBYTES])
{
    char pw[MAX_PASSWORD + 1];
    int rc = read_password(pw, true);
    if (rc)
        return rc;
    int r = crypto_pwhash_str(hash, pw, strlen(pw),
                              crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE);
    sodium_memzero(pw, sizeof(pw));
    return r ? pccs_cmd_fail(PCCS_EXIT_INPUT, "out of memory hashing") : 0;
}

static int
list_cb(void *ctx, const struct pccs_user_row *u)
{
    (void)ctx;
    printf("%-20s %-13s %-8s %s%s\n", u->name, u->role, u->scope, u->created_at,
           u->disabled ? " disabled" : "");
    return 0;
}

struct check {
    char pw[MAX_PASSWORD + 1];
    bool ok;
};

static int
check_cb(void *ctx, const struct pccs_user_row *u)
{
    struct check *c = ctx;
    c->ok = crypto_pwhash_str_verify(u->hash, c->pw, strlen(c->pw)) == 0;
    return 0;
}

static bool
valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 64)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '-' || *s == '@'))
            return false;
    return true;
}

static bool
valid_role(const char *s)
{
    static const char *const roles[] = {"admin",    "commissioner", "pcn",
                                        "practice", "hub",          "nhs111"};
    for (size_t i = 0; s && i < sizeof(roles) / sizeof(roles[0]); i++)
        if (!strcmp(s, roles[i]))
            return true;
    return false;
}

/* What a command line asks for. */
struct user_args {
    const char *what; /* add, passwd, ... */
    const char *name; /* the user, or NULL (list) */
    const char *role, *scope;
    char kept_scope[32]; /* role without --scope: the scope it had */
};

/* Check the words and options of a command; 0, or an exit status. */
static int
check_args(struct user_args *a, char **pos, size_t npos)
{
    static const char *const verbs[] = {"add",     "passwd", "check",  "list",
                                        "disable", "enable", "delete", "role"};
    if (!npos)
        return pccs_cmd_usage("user", "add, passwd, check, list, disable, "
                                      "enable, delete or role?");
    a->what = pos[0];
    bool known = false;
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        known |= !strcmp(a->what, verbs[i]);
    if (!known)
        return pccs_cmd_usage("user",
                              "add, passwd, check, list, disable, "
                              "enable, delete or role, not '%s'",
                              a->what);
    bool role_cmd = !strcmp(a->what, "role");
    if (strcmp(a->what, "list") && npos < 2)
        return pccs_cmd_usage("user", "%s needs a user name", a->what);
    if (npos > (role_cmd ? 3u : strcmp(a->what, "list") ? 2u : 1u))
        return pccs_cmd_usage("user", "too many words for %s", a->what);
    a->name = npos > 1 ? pos[1] : NULL;
    if (role_cmd) {
        if (npos < 3)
            return pccs_cmd_usage("user", "role NAME ROLE [--scope CODE]");
        a->role = pos[2];
    }
    if (!strcmp(a->what, "add") || role_cmd) {
        if (!valid_role(a->role))
            return pccs_cmd_usage("user", "the role must be admin, "
                                          "commissioner, pcn, practice, hub "
                                          "or nhs111");
        if (!a->scope && !role_cmd)
            return pccs_cmd_usage("user", "--scope CODE: the organisation "
                                          "the user sees (ENG for all)");
    }
    if (!strcmp(a->what, "add") && !valid_name(a->name))
        return pccs_cmd_usage("user", "a user name is 2 to 64 of a-z 0-9 . _ "
                                      "- @");
    return 0;
}

/* Is scope an organisation in the tree that fits role? */
static int
check_scope(struct pccs_store *st, const char *role, const char *scope,
            struct pccs_err *err)
{
    struct pccs_tree tree = PCCS_TREE_INIT;
    int rc = pccs_tree_load(&tree, st, err);
    int o = rc ? -1 : pccs_tree_find(&tree, scope);
    if (!rc && o < 0)
        rc = pccs_err_set(err, PCCS_ENOTFOUND,
                          "--scope: no organisation %s in the tree (load the "
                          "NHS files first)",
                          scope);
    else if (!rc && !strcmp(role, "practice") &&
             tree.orgs[o].level != PCCS_PRACTICE)
        rc = pccs_err_set(err, PCCS_EINVAL,
                          "--scope: a practice user's scope is a practice, "
                          "not %s",
                          scope);
    else if (!rc && (!strcmp(role, "pcn") || !strcmp(role, "hub")) &&
             tree.orgs[o].level != PCCS_PCN)
        rc = pccs_err_set(err, PCCS_EINVAL,
                          "--scope: a %s user's scope is a PCN, not %s", role,
                          scope);
    else if (!rc && !strcmp(role, "nhs111") && tree.orgs[o].level != PCCS_ICB)
        rc = pccs_err_set(err, PCCS_EINVAL,
                          "--scope: an nhs111 user's scope is an ICB, not %s",
                          scope);
    pccs_tree_release(&tree);
    return rc;
}

static int
scope_cb(void *ctx, const struct pccs_user_row *u)
{
    snprintf(ctx, 32, "%s", u->scope);
    return 0;
}

/* The one change a.what asks for; the caller holds a transaction. */
static int
apply(struct pccs_store *st, const struct user_args *a, const char *hash,
      struct pccs_err *err)
{
    const char *w = a->what;
    char detail[96] = "";
    int rc;
    if (!strcmp(w, "add") || !strcmp(w, "passwd")) {
        struct pccs_user_row u = {
            .name = a->name, .role = a->role, .scope = a->scope, .hash = hash};
        rc = pccs_store_user_put(st, &u, !strcmp(w, "add"), err);
        if (a->role)
            snprintf(detail, sizeof(detail), "%s", a->role);
    }
    else if (!strcmp(w, "disable") || !strcmp(w, "enable"))
        rc = pccs_store_user_set_disabled(st, a->name, !strcmp(w, "disable"),
                                          err);
    else if (!strcmp(w, "delete"))
        rc = pccs_store_user_delete(st, a->name, err);
    else {
        rc = pccs_store_user_set_role(st, a->name, a->role, a->scope, err);
        snprintf(detail, sizeof(detail), "%s %s", a->role, a->scope);
    }
    if (!rc)
        rc = pccs_store_audit(st, a->name, w, detail, err);
    return rc;
}

static const char *
done_text(const char *what)
{
    return !strcmp(what, "add")       ? "added"
           : !strcmp(what, "passwd")  ? "password changed"
           : !strcmp(what, "disable") ? "disabled"
           : !strcmp(what, "enable")  ? "enabled"
           : !strcmp(what, "delete")  ? "deleted"
                                      : "role changed";
}

/*
 * A change to an account: checked, the password (if any) read, then the
 * change and its audit line in one transaction. A store error, or an
 * exit status in *exit (a message printed).
 */
static int
change(struct pccs_store *st, struct user_args *a, int *exit,
       struct pccs_err *err)
{
    int rc = 0;
    if (!strcmp(a->what, "role") && !a->scope) { /* keep the scope */
        rc = pccs_store_users_each(st, a->name, scope_cb, a->kept_scope, err);
        a->scope = a->kept_scope;
    }
    if (!rc && (!strcmp(a->what, "add") || !strcmp(a->what, "role")))
        rc = check_scope(st, a->role, a->scope, err);
    char hash[crypto_pwhash_STRBYTES] = "";
    if (!rc && (!strcmp(a->what, "add") || !strcmp(a->what, "passwd")) &&
        (*exit = new_hash(hash)))
        return 0;
    if (!rc)
        rc = pccs_store_begin(st, err);
    if (!rc) {
        rc = apply(st, a, hash, err);
        if (!rc)
            rc = pccs_store_commit(st, err);
        if (rc)
            pccs_store_rollback(st);
    }
    if (!rc)
        fprintf(stderr, "pccs user: %s %s\n", a->name, done_text(a->what));
    return rc;
}

static int
check_password(struct pccs_store *st, const char *name, int *exit,
               struct pccs_err *err)
{
    struct check c = {.ok = false};
    *exit = read_password(c.pw, false);
    if (*exit)
        return 0;
    int rc = pccs_store_users_each(st, name, check_cb, &c, err);
    sodium_memzero(c.pw, sizeof(c.pw));
    if (!rc && !c.ok)
        rc = pccs_err_set(err, PCCS_EPARSE, "wrong password for %s", name);
    if (!rc)
        fprintf(stderr, "pccs user: the password of %s is right\n", name);
    return rc;
}

int
pccs_cmd_user(struct pccs_global *g, int argc, char **argv)
{
    struct user_args a = {.what = NULL};
    struct pccs_opt opts[] = {{"role", &a.role, NULL},
                              {"scope", &a.scope, NULL}};
    char *pos[3];
    size_t npos;
    int rc = pccs_cmd_args(g, argc, argv, opts, PCCS_LEN(opts), pos, 3, &npos);
    if (rc != PCCS_CMD_GO)
        return rc;
    rc = check_args(&a, pos, npos);
    if (rc)
        return rc;
    if (sodium_init() < 0)
        return pccs_cmd_fail(PCCS_EXIT_INPUT, "libsodium would not start");
    struct pccs_store *st;
    rc = pccs_cmd_open_store(g, &st);
    if (rc)
        return rc;
    struct pccs_err err = PCCS_ERR_INIT;
    int exit = 0;
    if (!strcmp(a.what, "list"))
        rc = pccs_store_users_each(st, NULL, list_cb, NULL, &err);
    else if (!strcmp(a.what, "check"))
        rc = check_password(st, a.name, &exit, &err);
    else
        rc = change(st, &a, &exit, &err);
    if (rc)
        pccs_cmd_fail(rc == PCCS_EINVAL ? PCCS_EXIT_USAGE : PCCS_EXIT_INPUT,
                      "%s", err.msg);
    pccs_store_free(st);
    if (exit)
        return exit;
    return rc == PCCS_EINVAL ? PCCS_EXIT_USAGE : pccs_cmd_exit(rc);
}
