/* SPDX-License-Identifier: MIT */
/*
 * A small option parser for commands: long options only ("--name VALUE"
 * or "--name=VALUE", and flags), positional arguments collected in order,
 * "--" ends the options.
 */
#ifndef PCCS_OPT_H
#define PCCS_OPT_H

#include <stdbool.h>
#include <stddef.h>

struct pccs_opt {
    const char *name;   /* without the leading "--" */
    const char **value; /* set for options with a value, else NULL */
    bool *flag;         /* set for flags, else NULL */
};

/**
 * Parse argv[1..argc-1] (argv[0] is the command name). Positionals are
 * stored in pos (at most maxpos; *npos set). Returns 0, or 2 (usage
 * error, message printed) for an unknown option, a missing value or too
 * many positionals. "--help" and "-h" set *help if help is not NULL.
 */
int pccs_opt_parse(int argc, char **argv, const struct pccs_opt *opts,
                   size_t nopts, char **pos, size_t maxpos, size_t *npos,
                   bool *help);

#endif
