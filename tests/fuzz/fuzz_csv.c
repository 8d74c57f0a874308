/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the CSV reader: every input is read to the end (or
 * the first error) twice, with and without the same-width rule, and every
 * byte of every field is touched so ASan sees any slice out of bounds.
 */
#include <stddef.h>
#include <stdint.h>

#include "formats/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
read_all(const uint8_t *data, size_t size, unsigned flags)
{
    struct pccs_csv_reader *r;
    struct pccs_err err = PCCS_ERR_INIT;
    if (pccs_csv_open_mem(&r, (const char *)data, size, "fuzz", flags, &err))
        return;
    struct pccs_csv_record rec;
    volatile unsigned sum = 0;
    while (pccs_csv_next(r, &rec, &err) == 1) {
        for (size_t f = 0; f < rec.nfields; f++) {
            for (size_t i = 0; i < rec.fields[f].len; i++)
                sum += (unsigned char)rec.fields[f].p[i];
        }
    }
    (void)pccs_csv_encoding(r);
    pccs_csv_free(r);
    (void)sum;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    read_all(data, size, 0);
    read_all(data, size, PCCS_CSV_SAME_WIDTH);
    return 0;
}
