/* SPDX-License-Identifier: MIT */
/* Result tables: named, typed columns, rows of cells, provenance notes. */
#include "model/result.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

void
pccs_table_init(struct pccs_table *t, const char *title)
{
    memset(t, 0, sizeof(*t));
    t->title = pccs_arena_strdup(&t->arena, title ? title : "");
}

void
pccs_table_release(struct pccs_table *t)
{
    free(t->cols);
    free(t->cells);
    free(t->notes);
    free(t->sources);
    free(t->sdc.totals);
    pccs_arena_release(&t->arena);
    memset(t, 0, sizeof(*t));
}

void
pccs_table_source(struct pccs_table *t, int64_t id)
{
    for (size_t i = 0; i < t->nsources; i++)
        if (t->sources[i] == id)
            return;
    if (t->nsources == t->sources_cap) {
        t->sources_cap = t->sources_cap ? t->sources_cap * 2 : 8;
        t->sources =
            pccs_xreallocarray(t->sources, t->sources_cap, sizeof(*t->sources));
    }
    t->sources[t->nsources++] = id;
}

void
pccs_table_col(struct pccs_table *t, const char *name, enum pccs_coltype type,
               int decimals)
{
    PCCS_ASSERT(t->nrows == 0);
    if (t->ncols == t->cols_cap) {
        t->cols_cap = t->cols_cap ? t->cols_cap * 2 : 8;
        t->cols = pccs_xreallocarray(t->cols, t->cols_cap, sizeof(*t->cols));
    }
    t->cols[t->ncols++] =
        (struct pccs_table_col){.name = pccs_arena_strdup(&t->arena, name),
                                .type = type,
                                .decimals = decimals};
}

void
pccs_table_cols(struct pccs_table *t, const char *spec)
{
    const char *p = spec;
    while (*p) {
        size_t n = strcspn(p, " :");
        char name[128];
        PCCS_ASSERT(n > 0 && n < sizeof(name));
        memcpy(name, p, n);
        name[n] = '\0';
        p += n;
        enum pccs_coltype type = PCCS_COL_TEXT;
        int decimals = 0;
        if (*p == ':' && p[1] == 'i') {
            type = PCCS_COL_INT;
            p += 2;
        }
        else if (*p == ':') {
            type = PCCS_COL_NUM;
            decimals = (int)strtol(p + 1, (char **)&p, 10);
        }
        pccs_table_col(t, name, type, decimals);
        p += strspn(p, " ");
    }
}

void
pccs_table_row(struct pccs_table *t)
{
    PCCS_ASSERT(t->nrows == 0 || t->cur == t->ncols);
    size_t need = (t->nrows + 1) * t->ncols;
    if (need > t->cells_cap) {
        t->cells_cap = t->cells_cap ? t->cells_cap * 2 : t->ncols * 64;
        while (t->cells_cap < need)
            t->cells_cap *= 2;
        t->cells =
            pccs_xreallocarray(t->cells, t->cells_cap, sizeof(*t->cells));
    }
    t->nrows++;
    t->cur = 0;
}

static struct pccs_cell *
next_cell(struct pccs_table *t)
{
    PCCS_ASSERT(t->nrows > 0 && t->cur < t->ncols);
    struct pccs_cell *c = &t->cells[(t->nrows - 1) * t->ncols + t->cur++];
    memset(c, 0, sizeof(*c));
    return c;
}

void
pccs_table_text(struct pccs_table *t, const char *s)
{
    struct pccs_cell *c = next_cell(t);
    if (!s)
        c->null = true;
    else
        c->text = pccs_arena_strdup(&t->arena, s);
}

void
pccs_table_int(struct pccs_table *t, int64_t v)
{
    next_cell(t)->num = (double)v;
}

void
pccs_table_num(struct pccs_table *t, double v)
{
    struct pccs_cell *c = next_cell(t);
    if (!isfinite(v))
        c->null = true;
    else
        c->num = v;
}

void
pccs_table_null(struct pccs_table *t)
{
    next_cell(t)->null = true;
}

char *
pccs_note_vdup(const char *fmt, va_list ap)
{
    char buf[1024];
    vsnprintf(buf, sizeof(buf), fmt, ap);
    return pccs_xstrdup(buf);
}

void
pccs_table_note(struct pccs_table *t, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (t->nnotes == t->notes_cap) {
        t->notes_cap = t->notes_cap ? t->notes_cap * 2 : 4;
        t->notes =
            pccs_xreallocarray(t->notes, t->notes_cap, sizeof(*t->notes));
    }
    t->notes[t->nnotes++] = pccs_arena_strdup(&t->arena, buf);
}

const struct pccs_cell *
pccs_table_cell(const struct pccs_table *t, size_t row, size_t col)
{
    PCCS_ASSERT(row < t->nrows && col < t->ncols);
    return &t->cells[row * t->ncols + col];
}

void
pccs_table_col_sdc(struct pccs_table *t)
{
    PCCS_ASSERT(t->ncols > 0);
    t->cols[t->ncols - 1].sdc = true;
}

void
pccs_table_col_sdc_total(struct pccs_table *t)
{
    PCCS_ASSERT(t->ncols > 0);
    t->cols[t->ncols - 1].sdc = t->cols[t->ncols - 1].sdc_total = true;
}

void
pccs_table_sdc_orgs(struct pccs_table *t, size_t col, int own_level)
{
    t->sdc.by_owner = false;
    t->sdc.org_col = col;
    t->sdc.own_level = own_level;
    t->sdc.rollup = true;
}

void
pccs_table_sdc_owner(struct pccs_table *t, const char *owner)
{
    t->sdc.by_owner = true;
    t->sdc.owner = owner ? pccs_arena_strdup(&t->arena, owner) : NULL;
}

void
pccs_table_sdc_total_row(struct pccs_table *t, size_t row, size_t first,
                         size_t last)
{
    PCCS_ASSERT(row < t->nrows && first <= last && last <= t->nrows);
    struct pccs_table_sdc *s = &t->sdc;
    if (s->ntotals == s->totals_cap) {
        s->totals_cap = s->totals_cap ? s->totals_cap * 2 : 8;
        s->totals =
            pccs_xreallocarray(s->totals, s->totals_cap, sizeof(*s->totals));
    }
    s->totals[s->ntotals++] =
        (struct pccs_table_sdc_span){.row = row, .first = first, .last = last};
}

void
pccs_table_set_num(struct pccs_table *t, size_t row, size_t col, double v)
{
    PCCS_ASSERT(row < t->nrows && col < t->ncols);
    struct pccs_cell *c = &t->cells[row * t->ncols + col];
    *c = (struct pccs_cell){false, v, NULL};
}

void
pccs_table_set_mark(struct pccs_table *t, size_t row, size_t col,
                    const char *mark)
{
    PCCS_ASSERT(row < t->nrows && col < t->ncols);
    struct pccs_cell *c = &t->cells[row * t->ncols + col];
    *c = (struct pccs_cell){true, 0, pccs_arena_strdup(&t->arena, mark)};
}

void
pccs_table_insert_col(struct pccs_table *t, size_t col, const char *name)
{
    PCCS_ASSERT(col <= t->ncols && (t->nrows == 0 || t->cur == t->ncols));
    size_t old = t->ncols;
    if (t->ncols == t->cols_cap) {
        t->cols_cap = t->cols_cap ? t->cols_cap * 2 : 8;
        t->cols = pccs_xreallocarray(t->cols, t->cols_cap, sizeof(*t->cols));
    }
    memmove(&t->cols[col + 1], &t->cols[col], (old - col) * sizeof(*t->cols));
    t->cols[col] = (struct pccs_table_col){
        .name = pccs_arena_strdup(&t->arena, name), .type = PCCS_COL_TEXT};
    t->ncols++;
    if (!t->nrows)
        return;
    struct pccs_cell *cells = pccs_xcalloc(t->nrows * t->ncols, sizeof(*cells));
    for (size_t r = 0; r < t->nrows; r++) {
        struct pccs_cell *to = &cells[r * t->ncols];
        const struct pccs_cell *from = &t->cells[r * old];
        memcpy(to, from, col * sizeof(*to));
        to[col].null = true;
        memcpy(&to[col + 1], &from[col], (old - col) * sizeof(*to));
    }
    free(t->cells);
    t->cells = cells;
    t->cells_cap = t->nrows * t->ncols;
    t->cur = t->ncols;
}

void
pccs_table_keep_rows(struct pccs_table *t, const bool *keep)
{
    PCCS_ASSERT(t->nrows == 0 || t->cur == t->ncols);
    size_t n = 0;
    for (size_t r = 0; r < t->nrows; r++)
        if (keep[r]) {
            if (n != r)
                memmove(&t->cells[n * t->ncols], &t->cells[r * t->ncols],
                        t->ncols * sizeof(*t->cells));
            n++;
        }
    t->nrows = n;
}

void
pccs_table_set_text(struct pccs_table *t, size_t row, size_t col, const char *s)
{
    PCCS_ASSERT(row < t->nrows && col < t->ncols);
    struct pccs_cell *c = &t->cells[row * t->ncols + col];
    *c = (struct pccs_cell){s == NULL, 0,
                            s ? pccs_arena_strdup(&t->arena, s) : NULL};
}

int
pccs_table_col_index(const struct pccs_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++) {
        if (strcmp(t->cols[i].name, name) == 0)
            return (int)i;
    }
    return -1;
}
