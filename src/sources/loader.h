/* SPDX-License-Identifier: MIT */
/*
 * What a dataset loader is, and the helpers every loader shares.
 *
 * A loader knows one published format (all its known variants): how to
 * recognise it from its header or shape, and how to turn its rows into
 * store rows (orgs, links, facts, attrs, refs). It knows nothing of
 * metrics. It never opens the store or a transaction: pccs_load_file()
 * does that, so a load is all or nothing.
 *
 * Errors name FILE:LINE:COL (COL is the 1-based field number) and what
 * was expected; the first error ends the load and nothing is kept.
 */
#ifndef PCCS_LOADER_H
#define PCCS_LOADER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/hmap.h"
#include "formats/csv.h"
#include "formats/xlsx.h"
#include "store/store.h"

struct pccs_load;

/**
 * A column a loader wants, by header name. names lists the accepted
 * header spellings separated by '|' ("CCG_CODE|SUB_ICB_LOCATION_CODE");
 * comparison ignores case, spaces, underscores and line breaks.
 */
struct pccs_col {
    const char *names;
    bool optional;
};

struct pccs_source_kind {
    const char *kind;        /* short name stored in sources.kind */
    const char *publication; /* human name of the publication */
    /*
     * Header-recognised CSV: the columns that identify the format (all
     * non-optional ones must be present). NULL for headerless formats.
     */
    const struct pccs_col *cols;
    size_t ncols;
    /*
     * Extra check on the first record after the columns matched (for
     * example a header column with no default), or the whole recognition
     * of a headerless format. NULL means "the columns are enough".
     * Returns true if the file is this kind.
     */
    bool (*sniff_csv)(const struct pccs_csv_record *first);
    /*
     * Load a CSV. first is the first record (the header, or the first
     * data row of a headerless file); its fields are valid only until
     * the next pccs_csv_next().
     */
    int (*load_csv)(struct pccs_load *ld, struct pccs_csv_reader *r,
                    const struct pccs_csv_record *first, struct pccs_err *err);
    /* xlsx: recognise from sheet names or headers, and load. */
    bool (*sniff_xlsx)(struct pccs_xlsx *x);
    int (*load_xlsx)(struct pccs_load *ld, struct pccs_xlsx *x,
                     struct pccs_err *err);
    /*
     * NDJSON (one JSON object a line, a FHIR bulk data export): recognise
     * from the first line, and load the file read from its start.
     */
    bool (*sniff_ndjson)(const char *line, size_t len);
    int (*load_ndjson)(struct pccs_load *ld, FILE *f, struct pccs_err *err);
};

/*
 * The definition of a kind recognised by its header columns (columns: an
 * array, all of it the columns) and read by one CSV loader: how every
 * such kind is declared (var is its pccs_source_* name).
 */
#define PCCS_CSV_KIND(var, name, pub, columns, load)                           \
    const struct pccs_source_kind var = {                                      \
        .kind = (name),                                                        \
        .publication = (pub),                                                  \
        .cols = (columns),                                                     \
        .ncols = sizeof(columns) / sizeof((columns)[0]),                       \
        .load_csv = (load),                                                    \
    }

/** Every known kind, NULL-terminated (sources/registry.c). */
extern const struct pccs_source_kind *const pccs_source_kinds[];

struct pccs_load_options {
    const char *period; /* --period: override what the file implies */
    bool quiet;         /* no progress line */
    bool progress;      /* allowed to draw a progress line (a tty) */
    const char *again;  /* load even when the same bytes were loaded before
                           (an edit back to an earlier version); the
                           source's sha256 is then that of the bytes and
                           this text, which names the change */
    const char *name;   /* the name messages and the sources list give the
                           file, when path is not it (an edit's rewrite,
                           read from memory); NULL: path */
    const char *owner;  /* the organisation the source belongs to (pccs
                           load --org); NULL: none */
};

/** The context a loader writes through. */
struct pccs_load {
    struct pccs_store *st;
    struct pccs_source_info src; /* src.id is valid during the load */
    const char *name;            /* file name for messages (borrowed) */
    const struct pccs_load_options *opt;
    char period[32];         /* set by the loader (pccs_load_set_period) */
    char prov_note[200];     /* src.provenance_note's storage */
    struct pccs_arena arena; /* released after the load */
    int64_t rows, rejected;
    /*
     * The file's SHA-256 is computed in a thread while it loads; once
     * known, a file loaded before stops the load (duplicate) early.
     */
    struct pccs_hash_job *hash;
    bool duplicate;
    /* Progress. */
    uint64_t size;
    double started, last_draw;
    double progress_after; /* seconds before the first progress line */
    bool drawn;
    /*
     * What this load has written (load.c): per code, the organisation
     * row last written; every membership. A row the same as that is not
     * written again (the store would change nothing).
     */
    struct pccs_hmap seen_orgs, seen_links;
};

/**
 * The column a generated or example file carries on its rows, in any
 * layout: its value is "synthetic: WHO MADE IT" or "example: ...". No
 * published file has it; a row where it is empty is real data.
 */
#define PCCS_PROVENANCE_COL "pccs_provenance"
/**
 * The column a register's rewrite (an edit) carries: each row's stable
 * identifier, kept from version to version (local registers only).
 */
#define PCCS_ROW_ID_COL "pccs_row_id"
/**
 * Mark the source as synthetic or example from a provenance value
 * ("synthetic: written by scripts/gen-gpw"); an empty value or one that
 * starts with neither word changes nothing. The first mark stays.
 */
void pccs_load_mark(struct pccs_load *ld, struct pccs_str value);
/** Set the period the file describes ("2021-01-01" or "2020-21"). */
void pccs_load_set_period(struct pccs_load *ld, const char *period);
/**
 * The load's period (ld->period) as a day; else PCCS_EINVAL, "--period
 * for FILE must be a date, not PERIOD" (file: "an ODS file").
 */
int pccs_load_period_day(struct pccs_load *ld, const char *file, pccs_day *out,
                         struct pccs_err *err);
/**
 * The load's period as a financial year (its first calendar year); else
 * PCCS_EINVAL, "--period for FILE must be a financial year such as
 * EXAMPLE, not PERIOD".
 */
int pccs_load_period_fy(struct pccs_load *ld, const char *file,
                        const char *example, int *year, struct pccs_err *err);
/** Set the period from a day (formatted YYYY-MM-DD). */
void pccs_load_set_period_day(struct pccs_load *ld, pccs_day day);
/**
 * Count one loaded row; offset is the bytes read so far (for the
 * progress line). Cheap: call it on every row.
 */
void pccs_load_row(struct pccs_load *ld, uint64_t offset);
/** Count one row skipped on purpose (reported as rejected). */
void pccs_load_reject(struct pccs_load *ld);

/**
 * Map the header hdr to cols: idx[i] is the 0-based field index of
 * cols[i], or -1. Returns the number of required columns missing.
 */
size_t pccs_cols_bind(const struct pccs_col *cols, size_t ncols,
                      const struct pccs_csv_record *hdr, int *idx);

/**
 * Error for field idx of rec: "FILE:LINE:COL: COLNAME: expected WHAT,
 * found "VALUE"". colname may be NULL. Returns PCCS_EPARSE.
 */
int pccs_load_field_err(struct pccs_load *ld, struct pccs_err *err,
                        const struct pccs_csv_record *rec, int idx,
                        const char *colname, const char *what);

/**
 * The getters of a text field: field idx of rec (the column colname,
 * named in errors) into *out, borrowed like the record's fields, or
 * PCCS_EPARSE. Loaders use these getters so every parse error names the
 * place and the column.
 */
typedef int pccs_load_str_fn(struct pccs_load *ld, struct pccs_err *err,
                             const struct pccs_csv_record *rec, int idx,
                             const char *colname, struct pccs_str *out);
/** Field idx of rec, or an error if the record is too short. */
pccs_load_str_fn pccs_load_field;
/** A non-empty field. */
pccs_load_str_fn pccs_load_text;
/** An ODS practice code: a letter and five digits ("A81001"). */
pccs_load_str_fn pccs_load_practice_code;
/** An ODS organisation code: 3 to 6 letters and digits, upper case. */
pccs_load_str_fn pccs_load_ods_code;
/** A non-negative whole number. */
int pccs_load_count(struct pccs_load *ld, struct pccs_err *err,
                    const struct pccs_csv_record *rec, int idx,
                    const char *colname, int64_t *out);
/**
 * One field a loader reads with pccs_load_fields(): the column idx[col],
 * named name in errors, through the text getter get into *s, or with no
 * get as a count (pccs_load_count) into *n. An optional field is passed
 * over when the file lacks its column (idx[col] < 0).
 */
struct pccs_load_spec {
    int col;
    const char *name;
    pccs_load_str_fn *get;
    struct pccs_str *s;
    int64_t *n;
    bool optional;
};
/* The entries of a spec table: a text field, one the file may lack, a count. */
#define PCCS_LOAD_STR(col, name, get, out)                                     \
    {                                                                          \
        (col), (name), (get), (out), NULL, false                               \
    }
#define PCCS_LOAD_OPT(col, name, get, out)                                     \
    {                                                                          \
        (col), (name), (get), (out), NULL, true                                \
    }
#define PCCS_LOAD_COUNT(col, name, out)                                        \
    {                                                                          \
        (col), (name), NULL, NULL, (out), false                                \
    }
/**
 * Read the n fields of specs from rec in order; the first error stops
 * the reading and is returned (PCCS_EPARSE with the place in err).
 */
int pccs_load_fields(struct pccs_load *ld, struct pccs_err *err,
                     const struct pccs_csv_record *rec, const int *idx,
                     const struct pccs_load_spec *specs, size_t n);
/** A finite number; if nonneg, it must be >= 0. Empty allowed if
 *  empty_ok (then *out = 0 and *present = false). present may be NULL. */
int pccs_load_number(struct pccs_load *ld, struct pccs_err *err,
                     const struct pccs_csv_record *rec, int idx,
                     const char *colname, bool nonneg, bool empty_ok,
                     double *out, bool *present);
/** A date in any NHS style; empty gives PCCS_DAY_NONE if empty_ok. */
int pccs_load_date(struct pccs_load *ld, struct pccs_err *err,
                   const struct pccs_csv_record *rec, int idx,
                   const char *colname, bool empty_ok, pccs_day *out);

/**
 * Field idx of rec, trimmed; empty when idx is -1 (an optional column the
 * file lacks) or the row is short. Borrowed like the record's fields.
 */
struct pccs_str pccs_load_opt(const struct pccs_csv_record *rec, int idx);
/** The same as a copy in the load's arena, or NULL when empty. */
const char *pccs_load_opt_cstr(struct pccs_load *ld,
                               const struct pccs_csv_record *rec, int idx);
/**
 * True the first time key is put into seen (a load describes each parent
 * organisation once).
 */
bool pccs_load_first_time(struct pccs_hmap *seen, struct pccs_str key);

/** Is s an ODS practice code (letter + 5 digits)? */
bool pccs_is_practice_code(struct pccs_str s);
/** Is s an ODS organisation code (3-6 upper-case letters and digits)? */
bool pccs_is_ods_code(struct pccs_str s);

/**
 * Write helpers: the arena-free way to put rows with the load's source
 * id and period. Strings are borrowed.
 */
int pccs_load_fact(struct pccs_load *ld, const char *measure,
                   struct pccs_str org, const char *dim, double value,
                   struct pccs_err *err);
/** A fact for another period than the load's (files with many months). */
int pccs_load_fact_at(struct pccs_load *ld, const char *measure,
                      const char *period, struct pccs_str org, const char *dim,
                      double value, struct pccs_err *err);
int pccs_load_org(struct pccs_load *ld, struct pccs_org_row *o,
                  struct pccs_err *err);
/**
 * A membership of child in parent (at parent_level) from start to end. An
 * empty parent records "in none at parent_level" (observed on start), e.g.
 * a practice a map places in no PCN.
 */
int pccs_load_link(struct pccs_load *ld, struct pccs_str child,
                   struct pccs_str parent, const char *parent_level,
                   pccs_day start, pccs_day end, bool observed,
                   struct pccs_err *err);
int pccs_load_attr(struct pccs_load *ld, struct pccs_str org, const char *key,
                   struct pccs_str value, pccs_day as_of, struct pccs_err *err);
int pccs_load_ref(struct pccs_load *ld, const char *kind, struct pccs_str key,
                  const char *attr, struct pccs_str value,
                  struct pccs_err *err);

/**
 * Describe an organisation by code: its level and, where not empty, its
 * name and ONS code (trimmed), as the file describes it on as_of.
 */
int pccs_load_named_org(struct pccs_load *ld, struct pccs_str code,
                        const char *level, struct pccs_str name,
                        struct pccs_str ons, pccs_day as_of,
                        struct pccs_err *err);

/**
 * A snapshot file's date column: the first row's date sets the load's
 * period (*first, PCCS_DAY_NONE before it); every later row must carry the
 * same date, else the row is refused.
 */
int pccs_load_same_date(struct pccs_load *ld, struct pccs_err *err,
                        const struct pccs_csv_record *rec, int idx,
                        const char *colname, pccs_day *first);

/**
 * Refuse a second row with the same key (seen remembers each key's first
 * line): "COL: expected one row per WHAT, found KEY again (first on line
 * N)", at field col of rec. colname may be NULL.
 */
int pccs_load_unique(struct pccs_load *ld, struct pccs_hmap *seen,
                     const struct pccs_csv_record *rec, int col,
                     const char *colname, struct pccs_str key, const char *what,
                     struct pccs_err *err);

/** A NUL-terminated copy of s in the load's arena. */
const char *pccs_load_cstr(struct pccs_load *ld, struct pccs_str s);

/* ===== Loading a file ===== */

struct pccs_load_result {
    bool already_loaded; /* same sha256 as an earlier load: nothing done */
    struct pccs_source_info src;
    char kind[32], period[32], sha256[65], encoding[16];
    char prov_note[200]; /* src.provenance_note's storage */
};

/**
 * The kind path would be loaded as ("gp_map", "register_places", ...),
 * from its header or its workbook's sheets, without loading it or
 * validating its rows. kind (caller-owned, n bytes) is "" when the file
 * cannot be read or is not recognised: pccs_load_file() says why.
 */
void pccs_load_kind_of(const char *path, char *kind, size_t n);

/*
 * For a process that loads files in bulk (the load command): keep freed
 * memory in the heap, grown once in huge pages (see load.c). Process-wide
 * malloc settings, so not for a server that loads a register now and then.
 */
void pccs_load_keep_heap(void);

/**
 * Recognise, validate and load one file in one transaction. On any
 * error the store is left exactly as before. res is filled on success.
 */
int pccs_load_file(struct pccs_store *st, const char *path,
                   const struct pccs_load_options *opt,
                   struct pccs_load_result *res, struct pccs_err *err);

#endif
