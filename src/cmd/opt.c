/* SPDX-License-Identifier: MIT */
/* Long-option parsing for the commands. */
#include "cmd/opt.h"

#include <stdio.h>
#include <string.h>

int
pccs_opt_parse(int argc, char **argv, const struct pccs_opt *opts, size_t nopts,
               char **pos, size_t maxpos, size_t *npos, bool *help)
{
    bool only_pos = false;
    *npos = 0;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (!only_pos && strcmp(a, "--") == 0) {
            only_pos = true;
            continue;
        }
        if (!only_pos && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
            if (help)
                *help = true;
            continue;
        }
        if (only_pos || a[0] != '-' || a[1] == '\0') {
            if (*npos >= maxpos) {
                fprintf(stderr, "pccs %s: unexpected argument '%s'\n", argv[0],
                        a);
                return 2;
            }
            pos[(*npos)++] = a;
            continue;
        }
        if (a[1] != '-') {
            fprintf(stderr, "pccs %s: unknown option '%s'\n", argv[0], a);
            return 2;
        }
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const struct pccs_opt *o = NULL;
        for (size_t k = 0; k < nopts; k++) {
            if (strlen(opts[k].name) == len &&
                strncmp(opts[k].name, name, len) == 0) {
                o = &opts[k];
                break;
            }
        }
        if (!o) {
            fprintf(stderr, "pccs %s: unknown option '--%.*s'\n", argv[0],
                    (int)len, name);
            return 2;
        }
        if (o->flag) {
            if (eq) {
                fprintf(stderr, "pccs %s: --%s takes no value\n", argv[0],
                        o->name);
                return 2;
            }
            *o->flag = true;
            continue;
        }
        if (eq) {
            *o->value = eq + 1;
        }
        else if (i + 1 < argc) {
            *o->value = argv[++i];
        }
        else {
            fprintf(stderr, "pccs %s: --%s needs a value\n", argv[0], o->name);
            return 2;
        }
    }
    return 0;
}
