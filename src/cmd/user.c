/* SPDX-License-Identifier: MIT */
/*
 * pccs user add NAME --role ROLE --scope CODE | passwd NAME | check NAME |
 * list: the
 * accounts of pccs serve. Passwords are read from the terminal without
 * echo, or a line of standard input, and stored only as Argon2id hashes
 * (libsodium's crypto_pwhash_str with its interactive limits, 64 MiB and
 * 2 passes: meant for logins to an online service, and they keep the
 * server's memory bounded while it checks one).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "model/tree.h"

#define MIN_PASSWORD 10

static int
read_password(char *buf, size_t n, const char *prompt)
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
    char *got = fgets(buf, (int)n, stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (!got)
        return -1;
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
}

/* Ask for a password and hash it; 0, or an exit status. */
static int
new_hash(char hash[crypto_pwhash_STRBYTES])
{
    char pw[256];
    if (read_password(pw, sizeof(pw), "password: "))
        return pccs_cmd_fail(PCCS_EXIT_INPUT, "no password given");
    if (strlen(pw) < MIN_PASSWORD) {
        sodium_memzero(pw, sizeof(pw));
        return pccs_cmd_fail(PCCS_EXIT_INPUT,
                             "the password needs at least %d characters",
                             MIN_PASSWORD);
    }
    int r =
        crypto_pwhash_str(hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE);
    sodium_memzero(pw, sizeof(pw));
    return r ? pccs_cmd_fail(PCCS_EXIT_INPUT, "out of memory hashing") : 0;
}

static int
list_cb(void *ctx, const struct pccs_user_row *u)
{
    (void)ctx;
    printf("%-20s %-13s %-8s %s\n", u->name, u->role, u->scope, u->created_at);
    return 0;
}

struct check {
    char pw[256];
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

int
pccs_cmd_user(struct pccs_global *g, int argc, char **argv)
{
    const char *role = NULL, *scope = NULL;
    bool help = false;
    struct pccs_opt opts[] = {
        {"role", &role, NULL},
        {"scope", &scope, NULL},
        {"store", &g->store, NULL},
    };
    char *pos[2];
    size_t npos;
    int rc = pccs_opt_parse(argc, argv, opts, 3, pos, 2, &npos, &help);
    if (rc)
        return rc;
    if (help)
        return pccs_cmd_help("user");
    if (!npos)
        return pccs_cmd_usage("user", "add, passwd or list?");
    const char *what = pos[0];
    if (strcmp(what, "list") && npos < 2)
        return pccs_cmd_usage("user", "%s needs a user name", what);
    if (!strcmp(what, "add")) {
        static const char *const roles[] = {"admin", "commissioner", "pcn",
                                            "practice"};
        bool ok = false;
        for (size_t i = 0; role && i < 4; i++)
            ok |= !strcmp(role, roles[i]);
        if (!ok)
            return pccs_cmd_usage("user", "--role must be admin, "
                                          "commissioner, pcn or practice");
        if (!scope)
            return pccs_cmd_usage("user", "--scope CODE: the organisation "
                                          "the user sees (ENG for all)");
        if (!valid_name(pos[1]))
            return pccs_cmd_usage("user",
                                  "a user name is 2 to 64 of a-z 0-9 . _ "
                                  "- @");
    }
    else if (strcmp(what, "passwd") && strcmp(what, "list") &&
             strcmp(what, "check"))
        return pccs_cmd_usage("user", "add, passwd, check or list, not '%s'",
                              what);
    if (sodium_init() < 0)
        return pccs_cmd_fail(PCCS_EXIT_INPUT, "libsodium would not start");
    struct pccs_store *st;
    if ((rc = pccs_cmd_open_store(g, &st)))
        return rc;
    struct pccs_err err = PCCS_ERR_INIT;
    if (!strcmp(what, "list"))
        rc = pccs_store_users_each(st, NULL, list_cb, NULL, &err);
    else if (!strcmp(what, "check")) {
        struct check c = {"", false};
        if (read_password(c.pw, sizeof(c.pw), "password: "))
            c.pw[0] = '\0';
        rc = pccs_store_users_each(st, pos[1], check_cb, &c, &err);
        sodium_memzero(c.pw, sizeof(c.pw));
        if (!rc && !c.ok)
            rc = pccs_err_set(&err, PCCS_EPARSE, "wrong password for %s",
                              pos[1]);
        if (!rc)
            fprintf(stderr, "pccs user: the password of %s is right\n", pos[1]);
    }
    else {
        struct pccs_tree tree = PCCS_TREE_INIT;
        if (!strcmp(what, "add")) {
            rc = pccs_tree_load(&tree, st, &err);
            int o = rc ? -1 : pccs_tree_find(&tree, scope);
            if (!rc && o < 0)
                rc = pccs_err_set(&err, PCCS_ENOTFOUND,
                                  "--scope: no organisation %s in the tree "
                                  "(load the NHS files first)",
                                  scope);
            else if (!rc && !strcmp(role, "practice") &&
                     tree.orgs[o].level != PCCS_PRACTICE)
                rc = pccs_err_set(&err, PCCS_EINVAL,
                                  "--scope: a practice user's scope is a "
                                  "practice, not %s",
                                  scope);
            else if (!rc && !strcmp(role, "pcn") &&
                     tree.orgs[o].level != PCCS_PCN)
                rc = pccs_err_set(&err, PCCS_EINVAL,
                                  "--scope: a pcn user's scope is a PCN, "
                                  "not %s",
                                  scope);
            pccs_tree_release(&tree);
        }
        char hash[crypto_pwhash_STRBYTES];
        if (!rc && (rc = new_hash(hash))) {
            pccs_store_free(st);
            return rc;
        }
        struct pccs_user_row u = {pos[1], role, scope, hash, NULL};
        if (!rc)
            rc = pccs_store_user_put(st, &u, !strcmp(what, "add"), &err);
        if (!rc)
            rc = pccs_store_audit(st, pos[1], what, role ? role : "", &err);
        if (!rc)
            fprintf(stderr, "pccs user: %s %s\n", pos[1],
                    !strcmp(what, "add") ? "added" : "password changed");
    }
    if (rc)
        pccs_cmd_fail(rc == PCCS_EINVAL ? PCCS_EXIT_USAGE : PCCS_EXIT_INPUT,
                      "%s", err.msg);
    pccs_store_free(st);
    return rc == PCCS_EINVAL ? PCCS_EXIT_USAGE : pccs_cmd_exit(rc);
}
