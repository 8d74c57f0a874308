/* SPDX-License-Identifier: MIT */
/*
 * Streaming CSV reader for published NHS files.
 *
 * RFC 4180 quoting (doubled quotes, separators and line breaks inside
 * quotes), LF or CRLF line ends, a UTF-8 byte-order mark, blank lines
 * skipped. Fields are slices into the reader's buffer (no copy per field);
 * a quoted field with doubled quotes is unescaped in place. Text that is
 * not valid UTF-8 is taken to be Windows-1252 from that point on and such
 * records are transcoded to UTF-8; pccs_csv_encoding() tells which was
 * found. It does not know what the columns mean.
 *
 * Errors carry FILE:LINE:COL where COL is the 1-based field number:
 * an unterminated quote, a character after a closing quote, a NUL byte,
 * bytes defined in neither UTF-8 nor Windows-1252, and (with
 * PCCS_CSV_SAME_WIDTH) a record whose field count differs from the first.
 */
#ifndef PCCS_CSV_H
#define PCCS_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "base/str.h"

struct pccs_csv_reader;

/** Refuse records whose field count differs from the first record's. */
#define PCCS_CSV_SAME_WIDTH 0x1

struct pccs_csv_record {
    struct pccs_str *fields; /* borrowed: valid until the next call */
    size_t nfields;
    int64_t line; /* line on which the record starts, 1-based */
};

/**
 * Open path for reading. name (borrowed, copied) is used in messages; NULL
 * means path. Returns PCCS_OK, PCCS_EIO (missing, unreadable, a directory).
 * *out is owned by the caller: free with pccs_csv_free().
 */
int pccs_csv_open(struct pccs_csv_reader **out, const char *path,
                  const char *name, unsigned flags, struct pccs_err *err);

/**
 * Read from memory (borrowed; must outlive the reader). Used by tests and
 * the fuzzer.
 */
int pccs_csv_open_mem(struct pccs_csv_reader **out, const char *data,
                      size_t len, const char *name, unsigned flags,
                      struct pccs_err *err);

/**
 * Read the next record into rec. Returns 1 when a record was read, 0 at
 * the end of the input, or a negative PCCS_E* code (err says where).
 */
int pccs_csv_next(struct pccs_csv_reader *r, struct pccs_csv_record *rec,
                  struct pccs_err *err);

/**
 * The unread bytes up to and including the last line break in the
 * buffer (refilled first when it holds no whole line), for a caller that
 * splits plain lines itself (a file of millions of short records). Empty
 * at the end of the input, before the first record, or when only a last
 * line without a line break is left: read on with pccs_csv_next().
 * Consumes nothing (pccs_csv_skip() does); *out is borrowed, valid until
 * the next call on r.
 */
int pccs_csv_peek_lines(struct pccs_csv_reader *r, struct pccs_str *out,
                        struct pccs_err *err);
/**
 * Consume the first n bytes of what pccs_csv_peek_lines() gave, holding
 * lines line breaks. The caller vouches that they are whole records that
 * pccs_csv_next() would have read the same way: no quote, NUL or byte
 * above 0x7F, no blank line (the encoding stays what it was).
 */
void pccs_csv_skip(struct pccs_csv_reader *r, size_t n, int64_t lines);

/** "ascii", "utf-8" or "windows-1252": what the bytes so far were. */
const char *pccs_csv_encoding(const struct pccs_csv_reader *r);
/** Bytes consumed so far (for progress). */
uint64_t pccs_csv_offset(const struct pccs_csv_reader *r);
/** Total size of the input if known, else 0. */
uint64_t pccs_csv_size(const struct pccs_csv_reader *r);
/** The name given at open (borrowed, valid until free). */
const char *pccs_csv_name(const struct pccs_csv_reader *r);
/** Close and free. pccs_csv_free(NULL) does nothing. */
void pccs_csv_free(struct pccs_csv_reader *r);

/**
 * Write s as one CSV field (RFC 4180): in double quotes, with quotes
 * doubled, when it holds a comma, a quote or a line break; else as it
 * is. The one quoting rule of every CSV pccs writes (what a spreadsheet
 * should not take for a formula is the caller's: report/table.c).
 */
void pccs_csv_write_field(FILE *f, const char *s);

/**
 * Decode one Windows-1252 byte to a Unicode code point; returns 0 for the
 * five bytes the code page leaves undefined (0x81 0x8D 0x8F 0x90 0x9D).
 */
uint32_t pccs_cp1252_decode(unsigned char c);

#endif
