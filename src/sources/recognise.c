/* SPDX-License-Identifier: MIT */
/*
 * Recognising a file: a zip is a workbook offered to the kinds that read
 * xlsx; a CSV's first record is matched against every kind's column list
 * (then the headerless kinds by shape). Never by the file's name. And the
 * refusal of a file no kind recognises, naming the closest layout and the
 * columns it also needs.
 */
#include "sources/load_internal.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"

/* List up to max header names into b, quoted and comma-separated. */
static void
list_fields(struct pccs_buf *b, const struct pccs_csv_record *rec, size_t max)
{
    for (size_t i = 0; i < rec->nfields && i < max; i++) {
        struct pccs_str f = pccs_str_trim(rec->fields[i]);
        pccs_buf_addf(b, "%s%.*s", i ? "," : "", (int)(f.len > 40 ? 40 : f.len),
                      f.p);
    }
    if (rec->nfields > max)
        pccs_buf_addf(b, ",... (%zu in all)", rec->nfields);
    for (size_t i = 0; i < b->len; i++) {
        if (b->p[i] == '\n' || b->p[i] == '\r')
            b->p[i] = ' ';
    }
}

static void
first_name(char *dst, size_t n, const char *names)
{
    const char *bar = strchr(names, '|');
    size_t k = bar ? (size_t)(bar - names) : strlen(names);
    if (k >= n)
        k = n - 1;
    memcpy(dst, names, k);
    dst[k] = '\0';
}

/* Does header field f name any column of kind sk? */
static bool
known_field(const struct pccs_source_kind *sk, struct pccs_str f)
{
    for (size_t i = 0; i < sk->ncols; i++) {
        if (pccs__load_name_matches(f, sk->cols[i].names))
            return true;
    }
    return false;
}

int
pccs__load_unrecognised_csv(const char *name,
                            const struct pccs_csv_record *first,
                            struct pccs_err *err)
{
    const struct pccs_source_kind *best = NULL;
    size_t best_missing = SIZE_MAX;
    int idx[128];
    for (size_t k = 0; pccs_source_kinds[k]; k++) {
        const struct pccs_source_kind *sk = pccs_source_kinds[k];
        if (!sk->cols || sk->ncols > 128)
            continue;
        size_t missing = pccs_cols_bind(sk->cols, sk->ncols, first, idx);
        if (missing < best_missing) {
            best_missing = missing;
            best = sk;
        }
    }
    struct pccs_buf found = PCCS_BUF_INIT;
    list_fields(&found, first, 12);
    struct pccs_buf want = PCCS_BUF_INIT;
    /* The column to point at: the first header field the layout does not
     * know, else just after the last field (where one is missing). */
    int64_t col = (int64_t)first->nfields + 1;
    if (best) {
        for (size_t f = 0; f < first->nfields; f++) {
            if (!known_field(best, first->fields[f])) {
                col = (int64_t)f + 1;
                break;
            }
        }
        pccs_cols_bind(best->cols, best->ncols, first, idx);
        size_t shown = 0;
        for (size_t i = 0; i < best->ncols; i++) {
            if (idx[i] >= 0 || best->cols[i].optional)
                continue;
            char one[64];
            first_name(one, sizeof(one), best->cols[i].names);
            if (shown++ < 8)
                pccs_buf_addf(&want, "%s%s", shown > 1 ? "," : "", one);
        }
        if (shown > 8)
            pccs_buf_addf(&want, ",... (%zu missing)", shown);
    }
    int rc = pccs_err_at(
        err, PCCS_EPARSE, name, first->line, col,
        "not a recognised file: found columns %s; the closest known "
        "layout, %s (%s), also needs %s",
        found.p, best ? best->kind : "none", best ? best->publication : "-",
        want.len ? want.p : "-");
    pccs_buf_release(&found);
    pccs_buf_release(&want);
    return rc;
}

const struct pccs_source_kind *
pccs__load_recognise_csv(const struct pccs_csv_record *first)
{
    int idx[128];
    for (size_t k = 0; pccs_source_kinds[k]; k++) {
        const struct pccs_source_kind *sk = pccs_source_kinds[k];
        if (!sk->load_csv)
            continue;
        if (sk->cols) {
            if (sk->ncols > 128 ||
                pccs_cols_bind(sk->cols, sk->ncols, first, idx))
                continue;
            if (sk->sniff_csv && !sk->sniff_csv(first))
                continue;
            return sk;
        }
    }
    for (size_t k = 0; pccs_source_kinds[k]; k++) {
        const struct pccs_source_kind *sk = pccs_source_kinds[k];
        if (sk->load_csv && !sk->cols && sk->sniff_csv && sk->sniff_csv(first))
            return sk;
    }
    return NULL;
}

const struct pccs_source_kind *
pccs__load_recognise_xlsx(struct pccs_xlsx *x)
{
    for (size_t k = 0; pccs_source_kinds[k]; k++) {
        const struct pccs_source_kind *c = pccs_source_kinds[k];
        if (c->load_xlsx && c->sniff_xlsx && c->sniff_xlsx(x))
            return c;
    }
    return NULL;
}

bool
pccs__load_is_zip(const char *path)
{
    unsigned char magic[4] = {0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, magic, sizeof(magic));
    close(fd);
    return n == 4 && memcmp(magic, "PK\x03\x04", 4) == 0;
}

int
pccs__load_unrecognised_xlsx(const char *name, struct pccs_xlsx *x,
                             struct pccs_err *err)
{
    struct pccs_buf names = PCCS_BUF_INIT;
    for (size_t i = 0; i < pccs_xlsx_sheet_count(x); i++)
        pccs_buf_addf(&names, "%s\"%s\"", i ? "," : "",
                      pccs_xlsx_sheet_name(x, i));
    int rc = pccs_err_at(err, PCCS_EPARSE, name, 1, 1,
                         "not a recognised workbook: sheets %s; expected "
                         "the ODS ePCN workbook (sheets \"PCNDetails\" and "
                         "\"PCN Core Partner Details\")",
                         names.p);
    pccs_buf_release(&names);
    return rc;
}

void
pccs_load_kind_of(const char *path, char *kind, size_t n)
{
    kind[0] = '\0';
    struct pccs_err err = PCCS_ERR_INIT;
    const struct pccs_source_kind *sk = NULL;
    if (pccs__load_recognise_ndjson(path, &sk)) {
        /* sk is set, or NULL */
    }
    else if (pccs__load_is_zip(path)) {
        struct pccs_xlsx *x = NULL;
        if (pccs_xlsx_open(&x, path, path, &err))
            return;
        sk = pccs__load_recognise_xlsx(x);
        pccs_xlsx_free(x);
    }
    else {
        struct pccs_csv_reader *r = NULL;
        if (pccs_csv_open(&r, path, path, 0, &err))
            return;
        struct pccs_csv_record first;
        if (pccs_csv_next(r, &first, &err) == 1)
            sk = pccs__load_recognise_csv(&first);
        pccs_csv_free(r);
    }
    if (sk)
        snprintf(kind, n, "%s", sk->kind);
}

bool
pccs__load_recognise_ndjson(const char *path,
                            const struct pccs_source_kind **kind)
{
    *kind = NULL;
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    int c;
    while ((c = getc(f)) == ' ' || c == '\n' || c == '\r' || c == '\t')
        ;
    if (c != '{') {
        fclose(f);
        return false;
    }
    ungetc(c, f);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, f);
    fclose(f);
    for (size_t k = 0; n > 0 && pccs_source_kinds[k]; k++) {
        const struct pccs_source_kind *sk = pccs_source_kinds[k];
        if (sk->sniff_ndjson && sk->sniff_ndjson(line, (size_t)n)) {
            *kind = sk;
            break;
        }
    }
    free(line);
    return true;
}
