/* SPDX-License-Identifier: MIT */
/*
 * Streaming CSV reader. A record is found by a resumable state machine
 * that records field boundaries as offsets from the record's start, so a
 * refill of the buffer in the middle of a record loses nothing; only once
 * the whole record is in the buffer are quoted fields unescaped in place
 * and the slices handed out.
 */
#include "formats/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/xalloc.h"

#define CSV_CHUNK (1 << 20)

enum scan_state { S_FIELD_START, S_UNQUOTED, S_QUOTED, S_QUOTE_IN_QUOTED };

enum enc { ENC_ASCII, ENC_UTF8, ENC_CP1252 };

struct field_span {
    size_t start, end; /* offsets from the record start */
    bool quoted;       /* needs unescaping of doubled quotes */
};

struct pccs_csv_reader {
    int fd;
    char *name;
    unsigned flags;
    char *buf;
    size_t cap;
    size_t pos; /* start of the unconsumed data in buf */
    size_t end; /* end of the valid data in buf */
    bool eof;
    bool started;
    uint64_t consumed; /* bytes before buf[0] */
    uint64_t size;
    int64_t line; /* line number of the next unread byte */
    enum enc enc;
    size_t width; /* field count of the first record, 0 before it */

    /* Scan state of the current record, kept across refills. */
    size_t scan;
    enum scan_state state;
    struct field_span *spans;
    size_t nspans, spans_cap;
    int64_t lines_in;
    bool high;
    int64_t quote_line;
    size_t quote_field;
    size_t fstart; /* offset of the open field's first byte */

    struct pccs_str *fields;
    size_t fields_cap;
    struct pccs_buf xcode;
};

/* Windows-1252 0x80-0x9F; 0 marks the five undefined bytes. */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

uint32_t
pccs_cp1252_decode(unsigned char c)
{
    if (c >= 0x80 && c < 0xA0)
        return cp1252_hi[c - 0x80];
    return c;
}

static struct pccs_csv_reader *
reader_new(const char *name, unsigned flags)
{
    struct pccs_csv_reader *r = pccs_xcalloc(1, sizeof(*r));
    r->fd = -1;
    r->name = pccs_xstrdup(name);
    r->flags = flags;
    r->line = 1;
    r->xcode = (struct pccs_buf)PCCS_BUF_INIT;
    return r;
}

int
pccs_csv_open(struct pccs_csv_reader **out, const char *path, const char *name,
              unsigned flags, struct pccs_err *err)
{
    *out = NULL;
    if (!name)
        name = path;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return pccs_err_at(err, PCCS_EIO, name, 0, 0, "cannot open: %s",
                           strerror(errno));
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int e = errno;
        close(fd);
        return pccs_err_at(err, PCCS_EIO, name, 0, 0, "cannot stat: %s",
                           strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return pccs_err_at(err, PCCS_EIO, name, 0, 0,
                           "is a directory, expected a file");
    }
    struct pccs_csv_reader *r = reader_new(name, flags);
    r->fd = fd;
    r->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
    r->cap = CSV_CHUNK;
    r->buf = pccs_xmalloc(r->cap);
    *out = r;
    return PCCS_OK;
}

int
pccs_csv_open_mem(struct pccs_csv_reader **out, const char *data, size_t len,
                  const char *name, unsigned flags, struct pccs_err *err)
{
    (void)err;
    struct pccs_csv_reader *r = reader_new(name ? name : "<memory>", flags);
    r->cap = len + 1;
    r->buf = pccs_xmalloc(r->cap);
    if (len)
        memcpy(r->buf, data, len);
    r->end = len;
    r->eof = true;
    r->size = len;
    *out = r;
    return PCCS_OK;
}

/* Make more bytes available after r->end; sets r->eof at the end. */
static int
refill(struct pccs_csv_reader *r, struct pccs_err *err)
{
    if (r->eof)
        return PCCS_OK;
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->end - r->pos);
        r->consumed += r->pos;
        r->end -= r->pos;
        r->pos = 0;
    }
    if (r->end == r->cap) {
        r->cap *= 2;
        r->buf = pccs_xrealloc(r->buf, r->cap);
    }
    for (;;) {
        ssize_t n = read(r->fd, r->buf + r->end, r->cap - r->end);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return pccs_err_at(err, PCCS_EIO, r->name, r->line, 0,
                               "read failed: %s", strerror(errno));
        if (n == 0)
            r->eof = true;
        r->end += (size_t)n;
        return PCCS_OK;
    }
}

static void
push_span(struct pccs_csv_reader *r, size_t start, size_t end, bool quoted)
{
    if (r->nspans == r->spans_cap) {
        r->spans_cap = r->spans_cap ? r->spans_cap * 2 : 32;
        r->spans =
            pccs_xreallocarray(r->spans, r->spans_cap, sizeof(*r->spans));
    }
    r->spans[r->nspans++] = (struct field_span){start, end, quoted};
}

/* Length of the UTF-8 sequence at p (at most n bytes), 0 if invalid. */
static size_t
utf8_seq(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    size_t len;
    uint32_t min, cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
        min = 0x80;
    }
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
        min = 0x800;
    }
    else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
        min = 0x10000;
    }
    else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

static bool
valid_utf8(const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t i = 0;
    while (i < n) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = utf8_seq(u + i, n - i);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

static void
put_utf8(struct pccs_buf *b, uint32_t cp)
{
    char tmp[3];
    if (cp < 0x80) {
        pccs_buf_addch(b, (char)cp);
    }
    else if (cp < 0x800) {
        tmp[0] = (char)(0xC0 | (cp >> 6));
        tmp[1] = (char)(0x80 | (cp & 0x3F));
        pccs_buf_add(b, tmp, 2);
    }
    else {
        tmp[0] = (char)(0xE0 | (cp >> 12));
        tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        tmp[2] = (char)(0x80 | (cp & 0x3F));
        pccs_buf_add(b, tmp, 3);
    }
}

/* Unescape "" to " in place; returns the new length. */
static size_t
unescape(char *p, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        p[w++] = p[i];
        if (p[i] == '"' && i + 1 < n && p[i + 1] == '"')
            i++;
    }
    return w;
}

/* What follows a closing quote decides (see after_quote). */
enum { AQ_MORE = 0, AQ_RECORD = 1, AQ_FIELD = 2 };

/* A byte after a closing quote that is not ',' or a line break. */
static int
bad_after_quote(struct pccs_csv_reader *r, unsigned char c,
                struct pccs_err *err)
{
    if (r->quote_line != r->line + r->lines_in)
        /* A quote that ran over lines: blame where it opened. */
        return pccs_err_at(
            err, PCCS_EPARSE, r->name, r->quote_line, (int64_t)r->quote_field,
            "unbalanced quote: the quoted field opened here runs "
            "to line %lld, where its closing quote is followed "
            "by '%c' instead of ',' or the end of the line",
            (long long)(r->line + r->lines_in),
            c >= 0x20 && c < 0x7F ? c : '?');
    return pccs_err_at(err, PCCS_EPARSE, r->name, r->line + r->lines_in,
                       (int64_t)r->nspans + 1,
                       "expected ',' or end of line after closing quote, "
                       "found '%c'",
                       c >= 0x20 && c < 0x7F ? c : '?');
}

/*
 * The byte at *ip follows a closing quote (and is not another quote):
 * close the quoted field. AQ_FIELD when a ',' ends it, AQ_RECORD when a
 * line break ends the record too (*rec_len set, *ip past a CRLF's CR),
 * AQ_MORE when a CR is the last byte so far, or an error.
 */
static int
after_quote(struct pccs_csv_reader *r, const char *base, size_t avail,
            size_t *ip, size_t fstart, size_t *rec_len, struct pccs_err *err)
{
    size_t i = *ip;
    unsigned char c = (unsigned char)base[i];
    if (c == ',') {
        push_span(r, fstart, i - 1, true);
        return AQ_FIELD;
    }
    if (c != '\n' && c != '\r')
        return bad_after_quote(r, c, err);
    if (c == '\r' && (i + 1 >= avail ? !r->eof : base[i + 1] != '\n')) {
        if (i + 1 >= avail)
            return AQ_MORE;
        return pccs_err_at(err, PCCS_EPARSE, r->name, r->line + r->lines_in,
                           (int64_t)r->nspans + 1,
                           "expected ',' or end of line after closing quote");
    }
    push_span(r, fstart, i - 1, true);
    if (c == '\r')
        i++;
    if (i < avail) {
        *rec_len = i + 1;
        r->lines_in++;
    }
    else {
        *rec_len = avail;
    }
    *ip = i;
    r->state = S_FIELD_START;
    return AQ_RECORD;
}

/* The input ended inside a record without a final line break. */
static int
end_of_input(struct pccs_csv_reader *r, enum scan_state st, size_t fstart,
             size_t *rec_len, struct pccs_err *err)
{
    const char *base = r->buf + r->pos;
    size_t avail = r->end - r->pos;
    if (st == S_QUOTED)
        return pccs_err_at(err, PCCS_EPARSE, r->name, r->quote_line,
                           (int64_t)r->quote_field,
                           "unterminated quoted field (opened here, "
                           "file ends inside it)");
    if (st == S_QUOTE_IN_QUOTED) {
        push_span(r, fstart, avail - 1, true);
    }
    else if (st == S_UNQUOTED) {
        size_t e = avail;
        if (e > fstart && base[e - 1] == '\r')
            e--;
        push_span(r, fstart, e, false);
    }
    else {
        push_span(r, avail, avail, false);
    }
    *rec_len = avail;
    r->state = S_FIELD_START;
    return 1;
}

static int
nul_byte(struct pccs_csv_reader *r, struct pccs_err *err)
{
    return pccs_err_at(err, PCCS_EPARSE, r->name, r->line + r->lines_in,
                       (int64_t)r->nspans + 1,
                       "NUL byte in text (is this a binary file?)");
}

/*
 * Scan bytes of the current record from r->scan. Returns 1 when the
 * record's end (a line break outside quotes, or the end of input) was
 * found and *rec_len set, 0 when more input is needed, or an error.
 * The common bytes (inside a field) take the fewest branches; closing a
 * quoted field and the end of input are handled out of the loop.
 */
static int
scan_record(struct pccs_csv_reader *r, size_t *rec_len, struct pccs_err *err)
{
    const char *base = r->buf + r->pos;
    size_t avail = r->end - r->pos;
    size_t i = r->scan;
    enum scan_state st = r->state;
    size_t fstart = r->fstart;
    int rc;

    for (; i < avail; i++) {
        unsigned char c = (unsigned char)base[i];
        if (c == 0)
            return nul_byte(r, err);
        if (c >= 0x80)
            r->high = true;
        switch (st) {
        case S_FIELD_START:
            if (c == '"') {
                st = S_QUOTED;
                r->quote_line = r->line + r->lines_in;
                r->quote_field = r->nspans + 1;
                fstart = i + 1;
                break;
            }
            fstart = i;
            st = S_UNQUOTED;
            /* fall through */
        case S_UNQUOTED:
            if (c == ',') {
                push_span(r, fstart, i, false);
                st = S_FIELD_START;
            }
            else if (c == '\n') {
                size_t e = i;
                if (e > fstart && base[e - 1] == '\r')
                    e--;
                push_span(r, fstart, e, false);
                *rec_len = i + 1;
                r->lines_in++;
                r->state = S_FIELD_START;
                return 1;
            }
            break;
        case S_QUOTED:
            if (c == '"')
                st = S_QUOTE_IN_QUOTED;
            else if (c == '\n')
                r->lines_in++;
            break;
        case S_QUOTE_IN_QUOTED:
            if (c == '"') {
                st = S_QUOTED;
                break;
            }
            rc = after_quote(r, base, avail, &i, fstart, rec_len, err);
            if (rc == AQ_FIELD) {
                st = S_FIELD_START;
                break;
            }
            if (rc == AQ_MORE)
                goto more;
            return rc;
        }
    }
more:
    if (!r->eof) {
        r->scan = i;
        r->state = st;
        r->fstart = fstart;
        return 0;
    }
    return end_of_input(r, st, fstart, rec_len, err);
}

static int
transcode_record(struct pccs_csv_reader *r, struct pccs_err *err, int64_t line)
{
    pccs_buf_reset(&r->xcode);
    size_t *offs = pccs_xmalloc(r->nspans * sizeof(*offs) + 1);
    for (size_t f = 0; f < r->nspans; f++) {
        offs[f] = r->xcode.len;
        const unsigned char *p = (const unsigned char *)r->fields[f].p;
        for (size_t i = 0; i < r->fields[f].len; i++) {
            uint32_t cp = pccs_cp1252_decode(p[i]);
            if (!cp && p[i]) {
                free(offs);
                return pccs_err_at(err, PCCS_EPARSE, r->name, line,
                                   (int64_t)f + 1,
                                   "byte 0x%02X is neither UTF-8 nor "
                                   "Windows-1252 text",
                                   p[i]);
            }
            put_utf8(&r->xcode, cp);
        }
    }
    for (size_t f = 0; f < r->nspans; f++) {
        size_t end = f + 1 < r->nspans ? offs[f + 1] : r->xcode.len;
        r->fields[f].p = r->xcode.p + offs[f];
        r->fields[f].len = end - offs[f];
    }
    free(offs);
    return PCCS_OK;
}

static bool
blank_line_at(struct pccs_csv_reader *r, size_t *skip)
{
    const char *p = r->buf + r->pos;
    size_t n = r->end - r->pos;
    if (n >= 1 && p[0] == '\n') {
        *skip = 1;
        return true;
    }
    if (n >= 2 && p[0] == '\r' && p[1] == '\n') {
        *skip = 2;
        return true;
    }
    if (n == 1 && p[0] == '\r' && r->eof) {
        *skip = 1;
        return true;
    }
    return false;
}

int
pccs_csv_next(struct pccs_csv_reader *r, struct pccs_csv_record *rec,
              struct pccs_err *err)
{
    int rc;
    for (;;) {
        if (r->end - r->pos < 3 && !r->eof) {
            rc = refill(r, err);
            if (rc)
                return rc;
            continue;
        }
        if (!r->started) {
            r->started = true;
            if (r->end - r->pos >= 3 &&
                memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0) {
                r->pos += 3;
                r->enc = ENC_UTF8;
            }
        }
        size_t skip;
        if (blank_line_at(r, &skip)) {
            r->pos += skip;
            r->line++;
            continue;
        }
        if (r->pos == r->end && r->eof)
            return 0;
        break;
    }

    r->scan = 0;
    r->state = S_FIELD_START;
    r->nspans = 0;
    r->lines_in = 0;
    r->high = false;
    size_t rec_len = 0;
    for (;;) {
        rc = scan_record(r, &rec_len, err);
        if (rc < 0)
            return rc;
        if (rc == 1)
            break;
        rc = refill(r, err);
        if (rc)
            return rc;
    }

    int64_t line = r->line;
    char *base = r->buf + r->pos;
    if (r->fields_cap < r->nspans) {
        r->fields_cap = r->nspans * 2;
        r->fields =
            pccs_xreallocarray(r->fields, r->fields_cap, sizeof(*r->fields));
    }
    for (size_t f = 0; f < r->nspans; f++) {
        struct field_span *s = &r->spans[f];
        size_t len = s->end - s->start;
        if (s->quoted)
            len = unescape(base + s->start, len);
        r->fields[f] = (struct pccs_str){base + s->start, len};
    }
    r->pos += rec_len;
    r->line += r->lines_in;
    if (r->lines_in == 0)
        r->line++;

    if (r->high) {
        if (r->enc != ENC_CP1252 && valid_utf8(base, rec_len)) {
            r->enc = ENC_UTF8;
        }
        else {
            r->enc = ENC_CP1252;
            rc = transcode_record(r, err, line);
            if (rc)
                return rc;
        }
    }

    if ((r->flags & PCCS_CSV_SAME_WIDTH) && r->width && r->nspans != r->width) {
        return pccs_err_at(
            err, PCCS_EPARSE, r->name, line,
            (int64_t)(r->nspans < r->width ? r->nspans + 1 : r->width + 1),
            "expected %zu fields, found %zu%s", r->width, r->nspans,
            r->nspans < r->width ? " (short row)" : "");
    }
    if (!r->width)
        r->width = r->nspans;
    rec->fields = r->fields;
    rec->nfields = r->nspans;
    rec->line = line;
    return 1;
}

int
pccs_csv_peek_lines(struct pccs_csv_reader *r, struct pccs_str *out,
                    struct pccs_err *err)
{
    *out = PCCS_STR_EMPTY;
    if (!r->started)
        return PCCS_OK;
    for (;;) {
        const char *p = r->buf + r->pos;
        size_t n = r->end - r->pos;
        while (n && p[n - 1] != '\n')
            n--;
        if (n) {
            *out = (struct pccs_str){p, n};
            return PCCS_OK;
        }
        if (r->eof)
            return PCCS_OK;
        int rc = refill(r, err);
        if (rc)
            return rc;
    }
}

void
pccs_csv_skip(struct pccs_csv_reader *r, size_t n, int64_t lines)
{
    r->pos += n;
    r->line += lines;
}

const char *
pccs_csv_encoding(const struct pccs_csv_reader *r)
{
    switch (r->enc) {
    case ENC_UTF8:
        return "utf-8";
    case ENC_CP1252:
        return "windows-1252";
    default:
        return "ascii";
    }
}

uint64_t
pccs_csv_offset(const struct pccs_csv_reader *r)
{
    return r->consumed + r->pos;
}

uint64_t
pccs_csv_size(const struct pccs_csv_reader *r)
{
    return r->size;
}

const char *
pccs_csv_name(const struct pccs_csv_reader *r)
{
    return r->name;
}

void
pccs_csv_free(struct pccs_csv_reader *r)
{
    if (!r)
        return;
    if (r->fd >= 0)
        close(r->fd);
    free(r->name);
    free(r->buf);
    pccs_buf_release(&r->xcode);
    free(r->spans);
    free(r->fields);
    free(r);
}

void
pccs_csv_write_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}
