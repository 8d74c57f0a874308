/* SPDX-License-Identifier: MIT */
/*
 * xlsx reader on libzip and expat (both opened on first use:
 * zip_load.c, expat_load.c).
 *
 * Opening reads the workbook part (sheet names and relationship ids), its
 * relationships (sheet part paths) and the shared strings table. A sheet
 * is then parsed in chunks with a suspendable expat parser: the parser is
 * stopped at the end of each row, the row is handed out, and parsing
 * resumes on the next call, so a sheet is never held whole in memory.
 */
#include "formats/xlsx.h"

#include <expat.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/xalloc.h"

#define XLSX_CHUNK 65536
#define XLSX_MAX_PART ((zip_uint64_t)2 << 30)
#define XLSX_MAX_COLS 16384

/* A sheet of the workbook: its name, relationship id and part (arena). */
struct sheet_ref {
    const char *name, *rid;
    const char *path; /* NULL until the relationships name it */
};

struct pccs_xlsx {
    zip_t *zip;
    char *name;
    struct sheet_ref *sheets;
    size_t nsheets, sheets_cap;
    struct pccs_str *sst;
    size_t nsst, sst_cap;
    struct pccs_arena arena;
};

/* ===== Small helpers ===== */

static const char *
attr(const XML_Char **a, const char *name)
{
    for (; a && a[0]; a += 2) {
        if (strcmp(a[0], name) == 0)
            return a[1];
    }
    return NULL;
}

/* An attribute by local name, whatever its prefix ("r:id" for "id"). */
static const char *
attr_local(const XML_Char **a, const char *local)
{
    size_t n = strlen(local);
    for (; a && a[0]; a += 2) {
        size_t k = strlen(a[0]);
        if (k > n && a[0][k - n - 1] == ':' && strcmp(a[0] + k - n, local) == 0)
            return a[1];
    }
    return NULL;
}

/* Element name without a namespace prefix. */
static const char *
local(const XML_Char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

typedef int (*part_fn)(XML_Parser p, void *ctx);

/*
 * Parse a whole zip part with the handlers set up by setup(). Returns
 * PCCS_ENOTFOUND if the part does not exist.
 */
static int
parse_part(struct pccs_xlsx *x, const char *part,
           void (*setup)(XML_Parser p, void *ctx), void *ctx,
           struct pccs_err *err)
{
    zip_stat_t zs;
    if (zip_stat(x->zip, part, 0, &zs) != 0)
        return PCCS_ENOTFOUND;
    if ((zs.valid & ZIP_STAT_SIZE) && zs.size > XLSX_MAX_PART)
        return pccs_err_at(err, PCCS_EPARSE, x->name, 1, 1,
                           "%s is larger than 2 GiB uncompressed; refused",
                           part);
    zip_file_t *zf = zip_fopen(x->zip, part, 0);
    if (!zf)
        return pccs_err_at(err, PCCS_EPARSE, x->name, 1, 1,
                           "cannot read %s: %s", part, zip_strerror(x->zip));
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p) {
        zip_fclose(zf);
        return pccs_err_at(err, PCCS_EPARSE, x->name, 1, 1,
                           "%s: cannot create an XML parser", part);
    }
    setup(p, ctx);
    int rc = PCCS_OK;
    for (;;) {
        void *buf = XML_GetBuffer(p, XLSX_CHUNK);
        if (!buf) {
            rc = pccs_err_at(err, PCCS_EPARSE, x->name, 1, 1,
                             "%s: out of parser memory", part);
            break;
        }
        zip_int64_t n = zip_fread(zf, buf, XLSX_CHUNK);
        if (n < 0) {
            rc = pccs_err_at(err, PCCS_EPARSE, x->name, 1, 1,
                             "cannot read %s: %s", part, zip_file_strerror(zf));
            break;
        }
        if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
            rc = pccs_err_at(err, PCCS_EPARSE, x->name,
                             (int64_t)XML_GetCurrentLineNumber(p),
                             (int64_t)XML_GetCurrentColumnNumber(p) + 1,
                             "%s: malformed XML: %s", part,
                             XML_ErrorString(XML_GetErrorCode(p)));
            break;
        }
        if (n == 0)
            break;
    }
    XML_ParserFree(p);
    zip_fclose(zf);
    return rc;
}

/* ===== Workbook, relationships, shared strings ===== */

static void
workbook_start(void *ctx, const XML_Char *name, const XML_Char **a)
{
    struct pccs_xlsx *x = ctx;
    if (strcmp(local(name), "sheet") != 0)
        return;
    const char *n = attr(a, "name");
    const char *rid = attr_local(a, "id");
    if (!rid)
        rid = attr(a, "id");
    if (!n || !rid)
        return;
    x->sheets = pccs_xgrow(x->sheets, &x->sheets_cap, x->nsheets + 1,
                           sizeof(*x->sheets));
    x->sheets[x->nsheets++] = (struct sheet_ref){
        .name = pccs_arena_strdup(&x->arena, n),
        .rid = pccs_arena_strdup(&x->arena, rid),
    };
}

static void
workbook_setup(XML_Parser p, void *ctx)
{
    XML_SetUserData(p, ctx);
    XML_SetStartElementHandler(p, workbook_start);
}

static void
rels_start(void *ctx, const XML_Char *name, const XML_Char **a)
{
    struct pccs_xlsx *x = ctx;
    if (strcmp(local(name), "Relationship") != 0)
        return;
    const char *id = attr(a, "Id"), *target = attr(a, "Target");
    if (!id || !target)
        return;
    for (size_t i = 0; i < x->nsheets; i++) {
        if (strcmp(x->sheets[i].rid, id) != 0)
            continue;
        char path[512];
        if (target[0] == '/')
            snprintf(path, sizeof(path), "%s", target + 1);
        else
            snprintf(path, sizeof(path), "xl/%s", target);
        x->sheets[i].path = pccs_arena_strdup(&x->arena, path);
    }
}

static void
rels_setup(XML_Parser p, void *ctx)
{
    XML_SetUserData(p, ctx);
    XML_SetStartElementHandler(p, rels_start);
}

struct sst_state {
    struct pccs_xlsx *x;
    struct pccs_buf text;
    int depth_rph; /* inside phonetic runs, whose text is not the value */
    bool in_si, in_t;
};

static void
sst_start(void *ctx, const XML_Char *name, const XML_Char **a)
{
    (void)a;
    struct sst_state *s = ctx;
    const char *n = local(name);
    if (strcmp(n, "si") == 0) {
        s->in_si = true;
        pccs_buf_reset(&s->text);
    }
    else if (strcmp(n, "rPh") == 0) {
        s->depth_rph++;
    }
    else if (strcmp(n, "t") == 0 && s->in_si && !s->depth_rph) {
        s->in_t = true;
    }
}

/* The shared string just read, appended to the workbook's table. */
static void
sst_add(struct sst_state *s)
{
    struct pccs_xlsx *x = s->x;
    x->sst = pccs_xgrow(x->sst, &x->sst_cap, x->nsst + 1, sizeof(*x->sst));
    x->sst[x->nsst++] = (struct pccs_str){
        .p = pccs_arena_strndup(&x->arena, s->text.p, s->text.len),
        .len = s->text.len};
    s->in_si = false;
}

static void
sst_end(void *ctx, const XML_Char *name)
{
    struct sst_state *s = ctx;
    const char *n = local(name);
    if (strcmp(n, "si") == 0)
        sst_add(s);
    else if (strcmp(n, "rPh") == 0)
        s->depth_rph--;
    else
        s->in_t = s->in_t && strcmp(n, "t") != 0;
}

static void
sst_text(void *ctx, const XML_Char *t, int len)
{
    struct sst_state *s = ctx;
    if (s->in_t)
        pccs_buf_add(&s->text, t, (size_t)len);
}

static void
sst_setup(XML_Parser p, void *ctx)
{
    XML_SetUserData(p, ctx);
    XML_SetElementHandler(p, sst_start, sst_end);
    XML_SetCharacterDataHandler(p, sst_text);
}

static int
open_zip(struct pccs_xlsx **out, zip_t *zip, const char *name,
         struct pccs_err *err)
{
    struct pccs_xlsx *x = pccs_xcalloc(1, sizeof(*x));
    x->zip = zip;
    x->name = pccs_xstrdup(name);
    int rc = parse_part(x, "xl/workbook.xml", workbook_setup, x, err);
    if (rc == PCCS_ENOTFOUND)
        rc = pccs_err_at(err, PCCS_EPARSE, name, 1, 1,
                         "not an xlsx workbook: no xl/workbook.xml in it");
    if (!rc) {
        rc = parse_part(x, "xl/_rels/workbook.xml.rels", rels_setup, x, err);
        if (rc == PCCS_ENOTFOUND)
            rc = pccs_err_at(err, PCCS_EPARSE, name, 1, 1,
                             "not an xlsx workbook: no "
                             "xl/_rels/workbook.xml.rels in it");
    }
    if (!rc) {
        struct sst_state s = {x, PCCS_BUF_INIT, 0, false, false};
        rc = parse_part(x, "xl/sharedStrings.xml", sst_setup, &s, err);
        if (rc == PCCS_ENOTFOUND)
            rc = PCCS_OK; /* a workbook without strings has none */
        pccs_buf_release(&s.text);
    }
    if (rc) {
        pccs_xlsx_free(x);
        return rc;
    }
    *out = x;
    return PCCS_OK;
}

int
pccs_xlsx_open(struct pccs_xlsx **out, const char *path, const char *name,
               struct pccs_err *err)
{
    *out = NULL;
    if (!name)
        name = path;
    int zerr = 0;
    zip_t *zip = zip_open(path, ZIP_RDONLY, &zerr);
    if (!zip) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        int rc = pccs_err_at(err,
                             zerr == ZIP_ER_OPEN || zerr == ZIP_ER_NOENT
                                 ? PCCS_EIO
                                 : PCCS_EPARSE,
                             name, 1, 1, "not a readable xlsx (zip) file: %s",
                             zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return rc;
    }
    return open_zip(out, zip, name, err);
}

int
pccs_xlsx_open_mem(struct pccs_xlsx **out, const void *data, size_t len,
                   const char *name, struct pccs_err *err)
{
    *out = NULL;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *zip = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!zip) {
        int rc = pccs_err_at(err, PCCS_EPARSE, name ? name : "<memory>", 1, 1,
                             "not a readable xlsx (zip) file: %s",
                             zip_error_strerror(&ze));
        if (src)
            zip_source_free(src);
        zip_error_fini(&ze);
        return rc;
    }
    zip_error_fini(&ze);
    return open_zip(out, zip, name ? name : "<memory>", err);
}

size_t
pccs_xlsx_sheet_count(const struct pccs_xlsx *x)
{
    return x->nsheets;
}

const char *
pccs_xlsx_sheet_name(const struct pccs_xlsx *x, size_t i)
{
    return i < x->nsheets ? x->sheets[i].name : NULL;
}

void
pccs_xlsx_free(struct pccs_xlsx *x)
{
    if (!x)
        return;
    if (x->zip)
        zip_discard(x->zip);
    free(x->name);
    free(x->sheets);
    free(x->sst);
    pccs_arena_release(&x->arena);
    free(x);
}

/* ===== Sheets ===== */

enum cell_kind { K_NUMBER, K_SST, K_INLINE, K_STR, K_BOOL, K_ERROR };

struct pending {
    size_t col;
    enum cell_kind kind;
    size_t off, len; /* text in s->text */
};

struct pccs_xlsx_sheet {
    struct pccs_xlsx *x;
    char *label; /* "FILE[SHEET]" for messages */
    zip_file_t *zf;
    XML_Parser p;
    bool suspended, done, row_ready, failed;
    struct pccs_err perr; /* an error found inside a handler */
    int64_t row, next_row;
    size_t next_col;
    /* The row being built. */
    struct pending *pend;
    size_t npend, pend_cap;
    struct pccs_buf text;
    bool in_cell, in_v, in_is, in_t;
    enum cell_kind kind;
    size_t col;
    size_t cell_off;
    /* The row handed out. */
    struct pccs_xlsx_cell *cells;
    size_t cells_cap;
    struct pccs_buf out_text;
};

static void
sheet_fail(struct pccs_xlsx_sheet *s, int64_t col, const char *what,
           const char *arg)
{
    if (s->failed)
        return;
    s->failed = true;
    pccs_err_at(&s->perr, PCCS_EPARSE, s->label, s->row, col, "%s \"%.40s\"",
                what, arg);
    XML_StopParser(s->p, XML_FALSE);
}

/* "C5" -> column 2 (0-based); returns false if there are no letters. */
static bool
ref_col(const char *r, size_t *col)
{
    size_t c = 0;
    bool any = false;
    for (; *r >= 'A' && *r <= 'Z'; r++) {
        c = c * 26 + (size_t)(*r - 'A' + 1);
        any = true;
        if (c > XLSX_MAX_COLS)
            return false;
    }
    if (!any)
        return false;
    *col = c - 1;
    return true;
}

static void
sheet_start(void *ctx, const XML_Char *name, const XML_Char **a)
{
    struct pccs_xlsx_sheet *s = ctx;
    const char *n = local(name);
    if (strcmp(n, "row") == 0) {
        const char *r = attr(a, "r");
        s->row = r ? atoll(r) : s->next_row;
        if (s->row < 1)
            s->row = s->next_row;
        s->next_row = s->row + 1;
        s->next_col = 0;
        s->npend = 0;
        pccs_buf_reset(&s->text);
    }
    else if (strcmp(n, "c") == 0) {
        const char *r = attr(a, "r");
        const char *t = attr(a, "t");
        size_t col = s->next_col;
        if (r && !ref_col(r, &col)) {
            sheet_fail(s, (int64_t)s->next_col + 1, "bad cell reference", r);
            return;
        }
        s->col = col;
        s->next_col = col + 1;
        s->kind = !t                            ? K_NUMBER
                  : strcmp(t, "s") == 0         ? K_SST
                  : strcmp(t, "inlineStr") == 0 ? K_INLINE
                  : strcmp(t, "str") == 0       ? K_STR
                  : strcmp(t, "b") == 0         ? K_BOOL
                  : strcmp(t, "e") == 0         ? K_ERROR
                                                : K_NUMBER;
        s->in_cell = true;
        s->cell_off = s->text.len;
    }
    else if (s->in_cell && strcmp(n, "v") == 0) {
        s->in_v = true;
    }
    else if (s->in_cell && strcmp(n, "is") == 0) {
        s->in_is = true;
    }
    else if (s->in_is && strcmp(n, "t") == 0) {
        s->in_t = true;
    }
}

static void
sheet_end(void *ctx, const XML_Char *name)
{
    struct pccs_xlsx_sheet *s = ctx;
    const char *n = local(name);
    if (strcmp(n, "v") == 0) {
        s->in_v = false;
    }
    else if (strcmp(n, "t") == 0) {
        s->in_t = false;
    }
    else if (strcmp(n, "is") == 0) {
        s->in_is = false;
    }
    else if (strcmp(n, "c") == 0 && s->in_cell) {
        s->in_cell = false;
        size_t len = s->text.len - s->cell_off;
        if (!len && s->kind != K_INLINE)
            return; /* a styled empty cell */
        s->pend =
            pccs_xgrow(s->pend, &s->pend_cap, s->npend + 1, sizeof(*s->pend));
        s->pend[s->npend++] = (struct pending){
            .col = s->col, .kind = s->kind, .off = s->cell_off, .len = len};
    }
    else if (strcmp(n, "row") == 0) {
        if (s->npend) {
            s->row_ready = true;
            XML_StopParser(s->p, XML_TRUE);
        }
    }
}

static void
sheet_text(void *ctx, const XML_Char *t, int len)
{
    struct pccs_xlsx_sheet *s = ctx;
    if (s->in_cell && (s->in_v || (s->in_is && s->in_t)))
        pccs_buf_add(&s->text, t, (size_t)len);
}

int
pccs_xlsx_sheet_open(struct pccs_xlsx *x, const char *name,
                     struct pccs_xlsx_sheet **out, struct pccs_err *err)
{
    *out = NULL;
    size_t i;
    for (i = 0; i < x->nsheets; i++) {
        if (strcmp(x->sheets[i].name, name) == 0)
            break;
    }
    if (i == x->nsheets) {
        for (i = 0; i < x->nsheets; i++) {
            if (pccs_str_ieq(pccs_str_from(x->sheets[i].name), name))
                break;
        }
    }
    if (i == x->nsheets)
        return pccs_err_at(err, PCCS_ENOTFOUND, x->name, 1, 1,
                           "no sheet called \"%s\"", name);
    if (!x->sheets[i].path)
        return pccs_err_at(err, PCCS_EPARSE, x->name, 1, 1,
                           "sheet \"%s\" has no part in the workbook's "
                           "relationships",
                           name);
    zip_stat_t zs;
    if (zip_stat(x->zip, x->sheets[i].path, 0, &zs) != 0)
        return pccs_err_at(err, PCCS_EPARSE, x->name, 1, 1,
                           "sheet \"%s\": part %s is missing", name,
                           x->sheets[i].path);
    if ((zs.valid & ZIP_STAT_SIZE) && zs.size > XLSX_MAX_PART)
        return pccs_err_at(err, PCCS_EPARSE, x->name, 1, 1,
                           "sheet \"%s\" is larger than 2 GiB "
                           "uncompressed; refused",
                           name);
    zip_file_t *zf = zip_fopen(x->zip, x->sheets[i].path, 0);
    if (!zf)
        return pccs_err_at(err, PCCS_EPARSE, x->name, 1, 1,
                           "cannot read sheet \"%s\": %s", name,
                           zip_strerror(x->zip));
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p) {
        zip_fclose(zf);
        return pccs_err_at(err, PCCS_EPARSE, x->name, 1, 1,
                           "sheet \"%s\": cannot create an XML parser", name);
    }
    struct pccs_xlsx_sheet *s = pccs_xcalloc(1, sizeof(*s));
    s->x = x;
    size_t ln = strlen(x->name) + strlen(name) + 3;
    s->label = pccs_xmalloc(ln);
    snprintf(s->label, ln, "%s[%s]", x->name, name);
    s->zf = zf;
    s->p = p;
    s->next_row = 1;
    s->text = (struct pccs_buf)PCCS_BUF_INIT;
    s->out_text = (struct pccs_buf)PCCS_BUF_INIT;
    XML_SetUserData(s->p, s);
    XML_SetElementHandler(s->p, sheet_start, sheet_end);
    XML_SetCharacterDataHandler(s->p, sheet_text);
    *out = s;
    return PCCS_OK;
}

static int
xml_error(struct pccs_xlsx_sheet *s, struct pccs_err *err)
{
    if (s->failed) {
        if (err)
            *err = s->perr;
        return PCCS_EPARSE;
    }
    return pccs_err_at(err, PCCS_EPARSE, s->label, s->row ? s->row : 1, 1,
                       "malformed XML (line %lu of the sheet part): %s",
                       (unsigned long)XML_GetCurrentLineNumber(s->p),
                       XML_ErrorString(XML_GetErrorCode(s->p)));
}

/* Turn the pending cells of the finished row into the dense row. */
static int
build_row(struct pccs_xlsx_sheet *s, struct pccs_xlsx_row *row,
          struct pccs_err *err)
{
    size_t ncells = 0;
    for (size_t i = 0; i < s->npend; i++) {
        if (s->pend[i].col + 1 > ncells)
            ncells = s->pend[i].col + 1;
    }
    if (ncells > s->cells_cap) {
        s->cells_cap = ncells * 2;
        s->cells =
            pccs_xreallocarray(s->cells, s->cells_cap, sizeof(*s->cells));
    }
    memset(s->cells, 0, ncells * sizeof(*s->cells));
    for (size_t i = 0; i < ncells; i++)
        s->cells[i].text = (struct pccs_str){"", 0};
    pccs_buf_reset(&s->out_text);
    pccs_buf_add(&s->out_text, s->text.p, s->text.len);
    for (size_t i = 0; i < s->npend; i++) {
        const struct pending *pd = &s->pend[i];
        struct pccs_xlsx_cell *c = &s->cells[pd->col];
        struct pccs_str t = {s->out_text.p + pd->off, pd->len};
        c->text = t;
        switch (pd->kind) {
        case K_SST: {
            int64_t k;
            if (pccs_str_to_i64(t, &k) || k < 0 || (size_t)k >= s->x->nsst)
                return pccs_err_at(
                    err, PCCS_EPARSE, s->label, s->row, (int64_t)pd->col + 1,
                    "shared string index \"%.*s\" out of "
                    "range (the table has %zu)",
                    (int)(t.len > 20 ? 20 : t.len), t.p, s->x->nsst);
            c->type = PCCS_XLSX_STRING;
            c->text = s->x->sst[k];
            break;
        }
        case K_INLINE:
        case K_STR:
            c->type = PCCS_XLSX_STRING;
            break;
        case K_BOOL:
            c->type = PCCS_XLSX_BOOL;
            c->num = pccs_str_eq(t, "1") ? 1 : 0;
            break;
        case K_ERROR:
            c->type = PCCS_XLSX_ERROR;
            break;
        case K_NUMBER:
            c->type = PCCS_XLSX_NUMBER;
            if (pccs_str_to_double(t, &c->num))
                return pccs_err_at(err, PCCS_EPARSE, s->label, s->row,
                                   (int64_t)pd->col + 1,
                                   "expected a number in a numeric cell, "
                                   "found \"%.*s\"",
                                   (int)(t.len > 20 ? 20 : t.len), t.p);
            break;
        }
    }
    row->cells = s->cells;
    row->ncells = ncells;
    row->row = s->row;
    return PCCS_OK;
}

int
pccs_xlsx_sheet_next(struct pccs_xlsx_sheet *s, struct pccs_xlsx_row *row,
                     struct pccs_err *err)
{
    s->row_ready = false;
    if (s->suspended) {
        s->suspended = false;
        enum XML_Status st = XML_ResumeParser(s->p);
        if (st == XML_STATUS_ERROR)
            return xml_error(s, err);
        if (st == XML_STATUS_SUSPENDED)
            s->suspended = true;
    }
    while (!s->row_ready && !s->done && !s->suspended) {
        void *buf = XML_GetBuffer(s->p, XLSX_CHUNK);
        if (!buf)
            return pccs_err_at(err, PCCS_EPARSE, s->label, s->row, 1,
                               "out of parser memory");
        zip_int64_t n = zip_fread(s->zf, buf, XLSX_CHUNK);
        if (n < 0)
            return pccs_err_at(err, PCCS_EPARSE, s->label, s->row, 1,
                               "cannot read the sheet: %s",
                               zip_file_strerror(s->zf));
        enum XML_Status st = XML_ParseBuffer(s->p, (int)n, n == 0);
        if (st == XML_STATUS_ERROR)
            return xml_error(s, err);
        if (st == XML_STATUS_SUSPENDED)
            s->suspended = true;
        else if (n == 0)
            s->done = true;
    }
    if (!s->row_ready)
        return 0;
    int rc = build_row(s, row, err);
    return rc ? rc : 1;
}

void
pccs_xlsx_sheet_free(struct pccs_xlsx_sheet *s)
{
    if (!s)
        return;
    XML_ParserFree(s->p);
    zip_fclose(s->zf);
    pccs_buf_release(&s->text);
    pccs_buf_release(&s->out_text);
    free(s->label);
    free(s->pend);
    free(s->cells);
    free(s);
}

int
pccs_xlsx_serial_to_day(double serial, pccs_day *out)
{
    if (!isfinite(serial) || serial < 1 || serial >= 2958466)
        return PCCS_EPARSE;
    int64_t d = (int64_t)floor(serial);
    if (d == 60)
        return PCCS_EPARSE; /* 29 February 1900 never happened */
    pccs_day base = d < 60 ? pccs_date_from_ymd(1899, 12, 31)
                           : pccs_date_from_ymd(1899, 12, 30);
    *out = base + (pccs_day)d;
    return PCCS_OK;
}
