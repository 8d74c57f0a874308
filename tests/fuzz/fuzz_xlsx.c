/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the xlsx reader: open the bytes as a workbook and
 * read every row of every sheet, touching every cell's text.
 */
#include <stddef.h>
#include <stdint.h>

#include "formats/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pccs_xlsx *x;
    struct pccs_err err = PCCS_ERR_INIT;
    if (pccs_xlsx_open_mem(&x, data, size, "fuzz", &err))
        return 0;
    volatile unsigned sum = 0;
    for (size_t i = 0; i < pccs_xlsx_sheet_count(x); i++) {
        struct pccs_xlsx_sheet *s;
        if (pccs_xlsx_sheet_open(x, pccs_xlsx_sheet_name(x, i), &s, &err))
            continue;
        struct pccs_xlsx_row row;
        while (pccs_xlsx_sheet_next(s, &row, &err) == 1) {
            for (size_t c = 0; c < row.ncells; c++) {
                for (size_t k = 0; k < row.cells[c].text.len; k++)
                    sum += (unsigned char)row.cells[c].text.p[k];
            }
        }
        pccs_xlsx_sheet_free(s);
    }
    pccs_xlsx_free(x);
    (void)sum;
    return 0;
}
