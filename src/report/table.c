/* SPDX-License-Identifier: MIT */
/* Result tables and their text, CSV and JSON writers. */
#include "report/table.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "model/labels.h"
#include "report/chart.h"

int
pccs_format_parse(const char *s, enum pccs_format *out)
{
    if (strcmp(s, "text") == 0)
        *out = PCCS_FMT_TEXT;
    else if (strcmp(s, "csv") == 0)
        *out = PCCS_FMT_CSV;
    else if (strcmp(s, "json") == 0)
        *out = PCCS_FMT_JSON;
    else if (strcmp(s, "xlsx") == 0)
        *out = PCCS_FMT_XLSX;
    else
        return PCCS_EINVAL;
    return PCCS_OK;
}

/* ===== Formatting numbers ===== */

/*
 * Plain machine form for CSV: plain decimal, never exponent notation
 * (a spreadsheet or a script reads 1.02300948e+10 as text or loses
 * digits). Integers without a decimal point; other numbers with the
 * fewest decimals that give the value back to 13 significant digits, so
 * a sum of pounds and pence prints as pounds to at most 2 dp without the
 * noise of binary sums (4368731529.76, not 4368731529.75999) and a ratio
 * keeps the digits it has.
 */
#define PLAIN_DIGITS 15
#define PLAIN_REL 1e-13

__extension__ typedef unsigned __int128 plain_u128;

/*
 * v 10^d rounded half to even, as printf's "%.*f" rounds it, by exact
 * integer arithmetic (v = m 2^e, so v 10^d = m 5^d 2^(e+d)) into *q;
 * false when that needs printf's multiple precision (v not finite or 0,
 * d > 22, v 10^d over 127 bits).
 */
static bool
fixed_scaled(int d, double v, plain_u128 *q)
{
    if (!isfinite(v) || d < 0 || d > 22 || v == 0)
        return false;
    /* m 2^(e - 53) = |v|, m < 2^53 (frexp's fraction times 2^53); read
     * from the bits when v is normal */
    uint64_t bits, m;
    int e;
    memcpy(&bits, &v, sizeof(bits));
    int biased = (int)((bits >> 52) & 0x7ff);
    if (biased) {
        m = (bits & ((1ULL << 52) - 1)) | (1ULL << 52);
        e = biased - 1022;
    }
    else {
        m = (uint64_t)ldexp(frexp(fabs(v), &e), 53);
    }
    int k = 53 - e - d; /* v 10^d = m 5^d / 2^k */
    if (k < -22)        /* v 10^d would not fit 127 bits (v > 2^75) */
        return false;
    static const uint64_t pow5[23] = {
        1ULL,
        5ULL,
        25ULL,
        125ULL,
        625ULL,
        3125ULL,
        15625ULL,
        78125ULL,
        390625ULL,
        1953125ULL,
        9765625ULL,
        48828125ULL,
        244140625ULL,
        1220703125ULL,
        6103515625ULL,
        30517578125ULL,
        152587890625ULL,
        762939453125ULL,
        3814697265625ULL,
        19073486328125ULL,
        95367431640625ULL,
        476837158203125ULL,
        2384185791015625ULL,
    };
    *q = (plain_u128)m * pow5[d];
    if (k <= 0)
        *q <<= -k;
    else if (k >= 120)
        *q = 0; /* under a half: m 5^d < 2^105 */
    else {
        plain_u128 rem = *q & (((plain_u128)1 << k) - 1),
                   half = (plain_u128)1 << (k - 1);
        *q >>= k;
        if (rem > half || (rem == half && (*q & 1)))
            (*q)++;
    }
    return true;
}

/* The decimal digits of q with a point before the last d, at o; the end. */
static char *
put_scaled(char *o, plain_u128 q, int d)
{
    static const char pairs[] =
        "00010203040506070809101112131415161718192021222324"
        "25262728293031323334353637383940414243444546474849"
        "50515253545556575859606162636465666768697071727374"
        "75767778798081828384858687888990919293949596979899";
    char dig[48];
    char *end = dig + sizeof(dig), *p = end;
    while (q > UINT64_MAX) {
        *--p = (char)('0' + (int)(q % 10));
        q /= 10;
    }
    uint64_t q64 = (uint64_t)q;
    while (q64 >= 100) {
        p -= 2;
        memcpy(p, &pairs[(q64 % 100) * 2], 2);
        q64 /= 100;
    }
    if (q64 >= 10) {
        p -= 2;
        memcpy(p, &pairs[q64 * 2], 2);
    }
    else {
        *--p = (char)('0' + (int)q64);
    }
    while (end - p <= d)
        *--p = '0';
    size_t whole = (size_t)(end - p) - (size_t)d;
    memcpy(o, p, whole);
    o += whole;
    if (d > 0) {
        *o++ = '.';
        memcpy(o, p + whole, (size_t)d);
        o += d;
    }
    *o = '\0';
    return o;
}

void
pccs__table_fixed(char *out, size_t size, int d, double v)
{
    plain_u128 q;
    if (size < 64 || !fixed_scaled(d, v, &q)) {
        snprintf(out, size, "%.*f", d, v);
        return;
    }
    char *o = out;
    if (signbit(v))
        *o++ = '-';
    put_scaled(o, q, d);
}

void
pccs__table_int(char *out, long long v)
{
    char dig[24];
    int n = 0;
    unsigned long long u =
        v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        dig[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    if (v < 0)
        *out++ = '-';
    while (n > 0)
        *out++ = dig[--n];
    *out = '\0';
}

/* 10^k exactly, as doubles (k <= 22). */
static const double plain_pow10[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/*
 * Does the decimal text of v to d places give v back (PLAIN_REL)? *q is
 * v 10^d rounded (fixed_scaled) when *have says it was worked out.
 */
static bool
plain_ok(char *tmp, size_t size, int d, double v, plain_u128 *q, bool *have)
{
    double back;
    *have = d >= 0 && d < (int)PCCS_LEN(plain_pow10) && fixed_scaled(d, v, q);
    /*
     * q and 10^d exact in a double: their quotient is correctly rounded,
     * the value strtod reads from the text (Clinger's fast path).
     */
    if (*have && *q < ((plain_u128)1 << 53)) {
        back = (double)(uint64_t)*q / plain_pow10[d];
        if (signbit(v))
            back = -back;
    }
    else {
        pccs__table_fixed(tmp, size, d, v);
        back = strtod(tmp, NULL);
    }
    return fabs(back - v) <= fabs(v) * PLAIN_REL;
}

/*
 * The fewest decimals d, up to limit and max, whose rounding of a (> 0)
 * in floating point gives it back (cheap), or -1: a guess that
 * plain_number checks with the decimal text.
 */
static int
plain_first(double a, int max, int limit)
{
    for (int d = 0; d <= max && d <= limit; d++) {
        double r = nearbyint(a * plain_pow10[d]);
        if (fabs(r / plain_pow10[d] - a) <= a * PLAIN_REL)
            return d;
    }
    return -1;
}

/* A guess at the fewest decimals that give v back (max when none do). */
static int
plain_guess(double v, int max)
{
    int d = plain_first(fabs(v), max, (int)PCCS_LEN(plain_pow10) - 1);
    return d < 0 ? max : d;
}

/* 10^k exactly, as 64-bit integers (k <= 19). */
static const uint64_t plain_pow10u[] = {1ULL,
                                        10ULL,
                                        100ULL,
                                        1000ULL,
                                        10000ULL,
                                        100000ULL,
                                        1000000ULL,
                                        10000000ULL,
                                        100000000ULL,
                                        1000000000ULL,
                                        10000000000ULL,
                                        100000000000ULL,
                                        1000000000000ULL,
                                        10000000000000ULL,
                                        100000000000000ULL,
                                        1000000000000000ULL,
                                        10000000000000000ULL,
                                        100000000000000000ULL,
                                        1000000000000000000ULL,
                                        10000000000000000000ULL};

/* Does q 10^-d give a back (the test of plain_ok, in the same doubles)? */
static bool
plain_back(uint64_t q, int d, double a)
{
    return fabs((double)q / plain_pow10[d] - a) <= a * PLAIN_REL;
}

/*
 * Does a to d decimals give it back, where a 10^max rounded is
 * hi unit + lo (lo < unit, a power of ten)? 1 yes, 0 no, -1 when that
 * cannot tell: lo is exactly half a unit, so the exact product may lie
 * either side, and the two roundings answer apart. *q is a 10^d
 * rounded (when not -1).
 */
static int
plain_ok_at(uint64_t hi, uint64_t lo, uint64_t unit, int d, double a,
            uint64_t *q)
{
    *q = hi + (lo > unit / 2);
    if (unit == 1 || lo != unit / 2)
        return plain_back(*q, d, a);
    bool down = plain_back(hi, d, a), up = plain_back(hi + 1, d, a);
    return down == up ? down : -1;
}

/*
 * plain_number's answer from one exact product, |v| 10^max (qmax, fewer
 * than 16 digits): drop its last digits while rounding them away moves
 * it by no more than PLAIN_REL of v, then check d as plain_number does
 * (d gives v back, d - 1 does not), from the digits the loop kept and
 * dropped. False when it cannot decide so (v too small or too large, a
 * rounding tie, a wrong guess): the caller takes the long way.
 */
static bool
plain_fast(struct pccs_buf *b, double v, int max)
{
    plain_u128 wide;
    if (max >= (int)PCCS_LEN(plain_pow10) || !fixed_scaled(max, v, &wide) ||
        wide >= ((plain_u128)1 << 53))
        return false;
    double a = fabs(v), tol = a * PLAIN_REL * plain_pow10[max];
    /* qmax = rest unit + cut; next, step: the same one digit further */
    uint64_t qmax = (uint64_t)wide, rest = qmax, cut = 0, unit = 1, next = 0,
             step = 10;
    /* pounds and pence, FTE: a few decimals, found at once */
    int d = plain_first(a, max, 3);
    if (d >= 0) {
        if (max - d > 18)
            return false;
        unit = plain_pow10u[max - d];
        rest = qmax / unit;
        cut = qmax % unit;
        step = unit * 10;
        next = cut + rest % 10 * unit;
    }
    else {
        for (d = max; d > 0 && unit < plain_pow10u[18]; d--) {
            next = cut + rest % 10 * unit;
            step = unit * 10;
            if ((double)(next < step - next ? next : step - next) > tol)
                break;
            cut = next;
            rest /= 10;
            unit = step;
        }
        if (d > 0 && unit >= plain_pow10u[18])
            return false; /* next and step are not d - 1's */
    }
    if (unit > 1 && cut == unit / 2)
        return false; /* a tie: which way the digits round is not known */
    uint64_t q, q1;
    int ok = plain_ok_at(rest, cut, unit, d, a, &q);
    if ((d < max && ok != 1) ||
        (d > 0 && plain_ok_at(rest / 10, next, step, d - 1, a, &q1) != 0))
        return false;
    while (d > 0 && q % 10 == 0) {
        q /= 10;
        d--;
    }
    if (q == 0) {
        pccs_buf_addch(b, '0');
        return true;
    }
    char tmp[48], *o = tmp;
    if (signbit(v))
        *o++ = '-';
    o = put_scaled(o, q, d);
    pccs_buf_add(b, tmp, (size_t)(o - tmp));
    return true;
}

/*
 * floor(log10(a)), a > 0 finite, as libm's log10 gives it: from exact
 * powers of ten for 1 <= a < 1e22 away from them (libm may round a
 * hair either side of one to it), else from log10.
 */
static int
plain_mag(double a)
{
    if (a >= 1 && a < 1e22) {
        int k = 0;
        while (a >= plain_pow10[k + 1])
            k++;
        if (a >= plain_pow10[k] * (1 + 1e-13) &&
            a < plain_pow10[k + 1] * (1 - 1e-13))
            return k;
    }
    return (int)floor(log10(a));
}

static void
plain_number(struct pccs_buf *b, double v)
{
    if (v == floor(v) && fabs(v) < 9e15) {
        char tmp[24];
        pccs__table_int(tmp, (long long)v);
        pccs_buf_addstr(b, tmp);
        return;
    }
    int mag = plain_mag(fabs(v));
    int max = PLAIN_DIGITS - 1 - mag;
    if (max < 0)
        max = 0;
    if (max > 330)
        max = 330;
    if (plain_fast(b, v, max))
        return;
    /*
     * The fewest decimals d that give v back: more decimals never round
     * further from v, so d is right when it gives v back and d - 1 does
     * not; when the guess is not, count up from 0.
     */
    char tmp[400];
    int d = plain_guess(v, max);
    plain_u128 q, q1;
    bool have, have1;
    if (!(plain_ok(tmp, sizeof(tmp), d, v, &q, &have) || d == max) ||
        (d > 0 && plain_ok(tmp, sizeof(tmp), d - 1, v, &q1, &have1))) {
        for (d = 0; d < max && !plain_ok(tmp, sizeof(tmp), d, v, &q, &have);
             d++)
            ;
        if (d == max) /* the loop ended without asking d */
            have = fixed_scaled(d, v, &q);
    }
    if (have) {
        /* the text of pccs__table_fixed, its trailing zeros dropped, at
         * once: "-0" is "0" */
        while (d > 0 && q > UINT64_MAX && q % 10 == 0) {
            q /= 10;
            d--;
        }
        uint64_t q64 = (uint64_t)q;
        if (q64 == q) {
            while (d > 0 && q64 % 10 == 0) {
                q64 /= 10;
                d--;
            }
            q = q64;
        }
        if (q == 0) {
            pccs_buf_addch(b, '0');
            return;
        }
        char *o = tmp;
        if (signbit(v))
            *o++ = '-';
        o = put_scaled(o, q, d);
        pccs_buf_add(b, tmp, (size_t)(o - tmp));
        return;
    }
    pccs__table_fixed(tmp, sizeof(tmp), d, v);
    char *dot = strchr(tmp, '.');
    if (dot) {
        char *end = tmp + strlen(tmp);
        while (end > dot + 1 && end[-1] == '0')
            *--end = '\0';
        if (end == dot + 1)
            *dot = '\0';
    }
    if (strcmp(tmp, "-0") == 0)
        pccs_buf_addstr(b, "0");
    else
        pccs_buf_addstr(b, tmp);
}

void
pccs__table_plain(struct pccs_buf *b, double v)
{
    plain_number(b, v);
}

/* Human form: thousands separators and a fixed number of decimals. */
static void
human_number(struct pccs_buf *b, double v, int decimals)
{
    char tmp[400];
    pccs__table_fixed(tmp, sizeof(tmp), decimals, fabs(v));
    char *dot = strchr(tmp, '.');
    size_t intlen = dot ? (size_t)(dot - tmp) : strlen(tmp);
    if (v < 0 && strspn(tmp, "0.") != strlen(tmp))
        pccs_buf_addch(b, '-');
    for (size_t i = 0; i < intlen; i++) {
        if (i && (intlen - i) % 3 == 0)
            pccs_buf_addch(b, ',');
        pccs_buf_addch(b, tmp[i]);
    }
    if (dot)
        pccs_buf_addstr(b, dot);
}

static void
cell_text(struct pccs_buf *b, const struct pccs_table_col *col,
          const struct pccs_cell *c, bool human)
{
    if (c->null) {
        if (c->text)
            pccs_buf_addstr(b, c->text);
        return;
    }
    if (col->type == PCCS_COL_TEXT)
        pccs_buf_addstr(b, c->text);
    else if (human)
        human_number(b, c->num, col->type == PCCS_COL_INT ? 0 : col->decimals);
    else
        plain_number(b, c->num);
}

void
pccs_table_format_cell(struct pccs_buf *b, const struct pccs_table *t,
                       size_t row, size_t col)
{
    cell_text(b, &t->cols[col], pccs_table_cell(t, row, col), true);
}

/* Is v whole when shown to decimals places (52039.00)? */
static bool
whole_at(double v, int decimals)
{
    char tmp[400];
    pccs__table_fixed(tmp, sizeof(tmp), decimals, v);
    const char *dot = strchr(tmp, '.');
    return !dot || strspn(dot + 1, "0") == strlen(dot + 1);
}

/*
 * The decimals a number column shows in text: its own, or none when
 * every value of the column is whole at them (a payments-year list size
 * of 52,039, not 52,039.00), so a column never mixes the two.
 */
static int
text_decimals(const struct pccs_table *t, size_t col)
{
    const struct pccs_table_col *c = &t->cols[col];
    if (c->type == PCCS_COL_TEXT || c->type == PCCS_COL_INT)
        return 0;
    for (size_t r = 0; r < t->nrows; r++) {
        const struct pccs_cell *x = pccs_table_cell(t, r, col);
        if (!x->null && !whole_at(x->num, c->decimals))
            return c->decimals;
    }
    return 0;
}

void
pccs_table_format_text(struct pccs_buf *b, const struct pccs_table *t,
                       size_t row, size_t col)
{
    struct pccs_table_col c = t->cols[col];
    const struct pccs_cell *x = pccs_table_cell(t, row, col);
    if (c.type != PCCS_COL_TEXT && !x->null && whole_at(x->num, c.decimals))
        c.decimals = 0;
    cell_text(b, &c, x, true);
}

/* ===== Writers ===== */

/* Display width of UTF-8 text: count code points, not bytes. */
static size_t
width(const char *s)
{
    size_t w = 0;
    for (; *s; s++) {
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    }
    return w;
}

static int
write_text(const struct pccs_table *t, FILE *f)
{
    size_t *w = pccs_xcalloc(t->ncols ? t->ncols : 1, sizeof(*w));
    struct pccs_table_col *cols =
        pccs_xcalloc(t->ncols ? t->ncols : 1, sizeof(*cols));
    struct pccs_buf b = PCCS_BUF_INIT;
    for (size_t c = 0; c < t->ncols; c++) {
        w[c] = width(t->cols[c].name);
        cols[c] = t->cols[c];
        cols[c].decimals = text_decimals(t, c);
    }
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            pccs_buf_reset(&b);
            cell_text(&b, &cols[c], pccs_table_cell(t, r, c), true);
            size_t n = width(b.p);
            if (n > w[c])
                w[c] = n;
        }
    }
    for (size_t c = 0; c < t->ncols; c++) {
        bool right = t->cols[c].type != PCCS_COL_TEXT;
        size_t pad = w[c] - width(t->cols[c].name);
        fprintf(f, "%s%*s%s%*s", c ? "  " : "", right ? (int)pad : 0, "",
                t->cols[c].name, right || c + 1 == t->ncols ? 0 : (int)pad, "");
    }
    fputc('\n', f);
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            pccs_buf_reset(&b);
            cell_text(&b, &cols[c], pccs_table_cell(t, r, c), true);
            bool right = t->cols[c].type != PCCS_COL_TEXT;
            size_t pad = w[c] - width(b.p);
            fprintf(f, "%s%*s%s%*s", c ? "  " : "", right ? (int)pad : 0, "",
                    b.p, right || c + 1 == t->ncols ? 0 : (int)pad, "");
        }
        fputc('\n', f);
    }
    for (size_t i = 0; i < t->nnotes; i++)
        fprintf(f, "%s%s\n", i ? "" : "\n", t->notes[i]);
    pccs_buf_release(&b);
    free(cols);
    free(w);
    return 0;
}

/*
 * Append a CSV field to line: the text from byte `at` on (already in
 * line) in double quotes, quotes doubled, when it holds a comma, quote
 * or line break (as pccs_csv_write_field writes it).
 */
static void
csv_quote_from(struct pccs_buf *line, size_t at)
{
    /* a byte loop: the fields are short, and strpbrk's setup was 7% of
     * a table by practice */
    static const bool special[256] = {
        [','] = true, ['"'] = true, ['\r'] = true, ['\n'] = true};
    const char *p = line->p + at, *stop = line->p + line->len;
    while (p < stop && !special[(unsigned char)*p])
        p++;
    if (p == stop)
        return;
    size_t n = line->len - at, quotes = 0;
    for (size_t i = at; i < line->len; i++)
        quotes += line->p[i] == '"';
    pccs_buf_grow(line, quotes + 2);
    char *src = line->p + at, *end = src + n + quotes + 2;
    line->len += quotes + 2;
    *end = '\0';
    *--end = '"';
    for (size_t i = n; i-- > 0;) {
        *--end = src[i];
        if (src[i] == '"')
            *--end = '"';
    }
    *--end = '"';
}

/*
 * Text a spreadsheet would take for a formula (= + - @, or a tab or
 * carriage return before one): a CSV text cell so beginning gets a single
 * quote in front, so Excel and LibreOffice show it as text. Number cells
 * are never touched (-3.5 stays a number).
 */
static bool
formula_like(const char *s)
{
    switch (*s) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
        return true;
    default:
        return false;
    }
}

/* Lines are made in a buffer and written 64 KiB at a time (a table by
 * practice has some 300,000 cells; a call per line was 671 writes). */
#define CSV_CHUNK ((size_t)64 << 10)

/*
 * A column's last number and its text: a value repeated down a column (an
 * organisation's weighted population on each of its rows) is turned into
 * text once.
 */
struct csv_memo {
    uint64_t bits;
    unsigned char len; /* 0: none yet */
    char s[47];
};

/* v's plain text at the end of line, from m when v is m's number. */
static void
csv_number(struct pccs_buf *line, struct csv_memo *m, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof(bits));
    if (m->len && m->bits == bits) {
        pccs_buf_add(line, m->s, m->len);
        return;
    }
    size_t at = line->len;
    plain_number(line, v);
    size_t n = line->len - at;
    m->len = n < sizeof(m->s) ? (unsigned char)n : 0;
    m->bits = bits;
    memcpy(m->s, line->p + at, m->len);
}

static int
write_csv(const struct pccs_table *t, FILE *f)
{
    struct pccs_buf line = PCCS_BUF_INIT;
    struct csv_memo *memo =
        pccs_xcalloc(t->ncols ? t->ncols : 1, sizeof(*memo));
    for (size_t c = 0; c < t->ncols; c++) {
        if (c)
            pccs_buf_addch(&line, ',');
        size_t at = line.len;
        pccs_buf_addstr(&line, t->cols[c].name);
        csv_quote_from(&line, at);
    }
    pccs_buf_add(&line, "\r\n", 2);
    for (size_t r = 0; r < t->nrows; r++) {
        if (line.len >= CSV_CHUNK) {
            fwrite(line.p, 1, line.len, f);
            pccs_buf_reset(&line);
        }
        for (size_t c = 0; c < t->ncols; c++) {
            if (c)
                pccs_buf_addch(&line, ',');
            size_t at = line.len;
            const struct pccs_cell *x = pccs_table_cell(t, r, c);
            bool number = t->cols[c].type != PCCS_COL_TEXT && !x->null;
            if (t->cols[c].type == PCCS_COL_TEXT && !x->null && x->text &&
                formula_like(x->text))
                pccs_buf_addch(&line, '\'');
            if (number) /* its text has no comma, quote or break */
                csv_number(&line, &memo[c], x->num);
            else {
                cell_text(&line, &t->cols[c], x, false);
                csv_quote_from(&line, at);
            }
        }
        pccs_buf_add(&line, "\r\n", 2);
    }
    fwrite(line.p, 1, line.len, f);
    pccs_buf_release(&line);
    free(memo);
    return 0;
}

static json_t *
cell_json(const struct pccs_table_col *col, const struct pccs_cell *c)
{
    if (c->null)
        return c->text ? json_string(c->text) : json_null();
    if (col->type == PCCS_COL_TEXT)
        return json_string(c->text);
    if (col->type == PCCS_COL_INT ||
        (c->num == floor(c->num) && fabs(c->num) < 9e15))
        return json_integer((json_int_t)c->num);
    /* The digits the CSV shows, without the noise of binary sums. */
    struct pccs_buf b = PCCS_BUF_INIT;
    plain_number(&b, c->num);
    json_t *v = json_real(strtod(b.p, NULL));
    pccs_buf_release(&b);
    return v;
}

static int
write_json(const struct pccs_table *t, FILE *f)
{
    json_t *root = json_object();
    json_object_set_new(root, "title", json_string(t->title));
    json_t *cols = json_array();
    for (size_t c = 0; c < t->ncols; c++)
        json_array_append_new(cols, json_string(t->cols[c].name));
    json_object_set_new(root, "columns", cols);
    json_t *labels = json_object();
    for (size_t c = 0; c < t->ncols; c++) {
        char l[160];
        pccs_labels_column(t->cols[c].name, l, sizeof(l));
        json_object_set_new(labels, t->cols[c].name, json_string(l));
    }
    json_object_set_new(root, "labels", labels);
    json_t *rows = json_array();
    for (size_t r = 0; r < t->nrows; r++) {
        json_t *row = json_object();
        for (size_t c = 0; c < t->ncols; c++)
            json_object_set_new(
                row, t->cols[c].name,
                cell_json(&t->cols[c], pccs_table_cell(t, r, c)));
        json_array_append_new(rows, row);
    }
    json_object_set_new(root, "rows", rows);
    json_t *notes = json_array();
    for (size_t i = 0; i < t->nnotes; i++)
        json_array_append_new(notes, json_string(t->notes[i]));
    json_object_set_new(root, "sources", notes);
    if (t->marks & PCCS_TABLE_SYNTHETIC)
        json_object_set_new(root, "synthetic", json_true());
    if (t->marks & PCCS_TABLE_EXAMPLE)
        json_object_set_new(root, "example", json_true());
    int rc = json_dumpf(root, f,
                        JSON_INDENT(1) | JSON_PRESERVE_ORDER |
                            JSON_REAL_PRECISION(15));
    fputc('\n', f);
    json_decref(root);
    return rc;
}

int
pccs_table_write(const struct pccs_table *t, enum pccs_format fmt, FILE *f,
                 struct pccs_err *err)
{
    int rc;
    switch (fmt) {
    case PCCS_FMT_CSV:
        rc = write_csv(t, f);
        break;
    case PCCS_FMT_JSON:
        rc = write_json(t, f);
        break;
    case PCCS_FMT_XLSX:
        return pccs_err_set(err, PCCS_EINVAL,
                            "xlsx is written to a file: pccs table NAME "
                            "--format xlsx --out FILE.xlsx");
    default:
        rc = write_text(t, f);
        break;
    }
    if (rc || fflush(f) || ferror(f))
        return pccs_err_set(err, PCCS_EIO, "cannot write output: %s",
                            strerror(errno));
    return PCCS_OK;
}

void
pccs_table_write_html_cols(FILE *f, const struct pccs_table *t,
                           const char *const *cols, const char *unknown)
{
    int idx[32];
    size_t n = 0;
    fputs("<table>\n<thead><tr>", f);
    for (size_t c = 0; cols[c] && n < 32; c++) {
        const char *eq = strchr(cols[c], '=');
        char name[48];
        snprintf(name, sizeof(name), "%.*s", (int)(eq - cols[c]), cols[c]);
        idx[n] = pccs_table_col_index(t, name);
        if (idx[n] < 0)
            continue;
        fprintf(f, "<th%s>", n > 1 ? " class=\"n\"" : "");
        pccs_xml_escape(f, eq + 1);
        fputs("</th>", f);
        n++;
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    /* t with one number of decimals a column, as text shows it. */
    struct pccs_table_col *tc =
        pccs_xcalloc(t->ncols ? t->ncols : 1, sizeof(*tc));
    for (size_t c = 0; c < t->ncols; c++) {
        tc[c] = t->cols[c];
        tc[c].decimals = text_decimals(t, c);
    }
    struct pccs_table view = *t;
    view.cols = tc;
    struct pccs_buf b = PCCS_BUF_INIT;
    for (size_t r = 0; r < t->nrows; r++) {
        fputs("<tr>", f);
        for (size_t c = 0; c < n; c++) {
            pccs_buf_reset(&b);
            pccs_table_format_cell(&b, &view, r, (size_t)idx[c]);
            fprintf(f, "<td%s>", c > 1 ? " class=\"n\"" : "");
            pccs_xml_escape(f, b.len ? b.p : (c > 1 ? unknown : ""));
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    pccs_buf_release(&b);
    free(tc);
    fputs("</tbody></table>\n", f);
}
