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
    pccs_heap_huge((size_t)64 << 20);
    return pccs_cmd_main(argc, argv);
}
