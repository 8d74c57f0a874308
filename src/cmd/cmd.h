/* SPDX-License-Identifier: MIT */
/*
 * The command table and what every command shares: global options
 * (--store, --format, --quiet), output format selection and the exit
 * status contract (0 success, 1 bad input or refused file, 2 usage).
 */
#ifndef PCCS_CMD_H
#define PCCS_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "model/tree.h"
#include "store/store.h"

enum pccs_exit { PCCS_EXIT_OK = 0, PCCS_EXIT_INPUT = 1, PCCS_EXIT_USAGE = 2 };

struct pccs_global {
    const char *store; /* --store, $PCCS_STORE or ./pccs.db */
    bool quiet;
    bool tty; /* stderr is a terminal */
};

/* A command: argv[0] is its name. Returns the exit status. */
typedef int pccs_cmd_fn(struct pccs_global *g, int argc, char **argv);

struct pccs_cmd {
    const char *name;
    const char *summary;
    const char *usage; /* full --help text */
    pccs_cmd_fn *run;
};

/** Entry point used by main(). */
int pccs_cmd_main(int argc, char **argv);

/** Open the store named in g; prints the error and returns non-zero. */
int pccs_cmd_open_store(const struct pccs_global *g, struct pccs_store **st);

/* What a command that reads the store and the tree works with. */
struct pccs_cmd_open {
    struct pccs_store *st;
    struct pccs_tree tree;
    struct pccs_err err;
};

/**
 * Open the store named in g and build its organisation tree into o: 0,
 * or the exit status after printing the error (nothing left open).
 */
int pccs_cmd_open_tree(const struct pccs_global *g, struct pccs_cmd_open *o);

/**
 * The end of a command that opened o (pccs_cmd_open_tree): print o's
 * error when rc is set, release the tree and free the store. Returns the
 * exit status for rc.
 */
int pccs_cmd_close(struct pccs_cmd_open *o, int rc);

/* pccs_cmd_close()'s steps for a store and tree (either may be NULL). */
int pccs_cmd_end(struct pccs_store *st, struct pccs_tree *t, int rc,
                 const struct pccs_err *err);

/** Print "pccs: msg" to stderr and return exit. */
int pccs_cmd_fail(int exit, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

struct pccs_opt;

/* What pccs_cmd_args returns when the command goes on. */
#define PCCS_CMD_GO (-1)

/**
 * Parse the arguments of command argv[0]: its options opts (nopts of
 * them) and the global --store (into g), positionals into pos (at most
 * maxpos; *npos set; both NULL for a command that takes none), as
 * pccs_opt_parse does; answer --help. Returns PCCS_CMD_GO for the command
 * to go on, else the exit status to return now: 2 after a usage error
 * (printed), 0 after printing the command's help.
 */
int pccs_cmd_args(struct pccs_global *g, int argc, char **argv,
                  const struct pccs_opt *opts, size_t nopts, char **pos,
                  size_t maxpos, size_t *npos);
struct pccs_table;

/**
 * The end of a command that prints table t (the sources, the audit log
 * ...): when rc is 0 write t to stdout in format fmt, and if that or
 * anything before failed print err's message; then release t and free
 * st (either may be empty or NULL). Returns the exit status for rc.
 */
int pccs_cmd_print(struct pccs_table *t, int fmt, struct pccs_store *st, int rc,
                   struct pccs_err *err);
/** Print the command's usage to stdout (help) and return 0. */
int pccs_cmd_help(const char *name);
/** Print a usage error and the usage line to stderr; returns 2. */
int pccs_cmd_usage(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** Parse a --format value; prints a usage error and returns 2 if bad. */
int pccs_cmd_format(const char *name, const char *s, int *fmt);
/** Parse an --at date; prints a usage error and returns 2 if bad. */
int pccs_cmd_date(const char *name, const char *s, int32_t *day);
/** Map a PCCS_E* code to the exit status (1 for input and data errors). */
int pccs_cmd_exit(int rc);

/* The commands, one file each (cmd/NAME.c). */
pccs_cmd_fn pccs_cmd_load, pccs_cmd_sources, pccs_cmd_orgs, pccs_cmd_show,
    pccs_cmd_table, pccs_cmd_chart, pccs_cmd_report, pccs_cmd_serve,
    pccs_cmd_spc, pccs_cmd_user, pccs_cmd_audit, pccs_cmd_synth;
/* patients.c, synth_patients.c: population health */
pccs_cmd_fn pccs_cmd_patients, pccs_cmd_synth_patients;

/*
 * The latest registrations snapshot (a day, "2023-01-01") into period
 * (n bytes), which synthetic files are drawn from; PCCS_ENOTFOUND when
 * none is loaded (cmd/synth.c).
 */
int pccs__synth_snapshot(struct pccs_store *st, char *period, size_t n,
                         struct pccs_err *err);

extern const struct pccs_cmd pccs_cmds[];

#endif
