/* SPDX-License-Identifier: MIT */
/*
 * The committee paper's figures, gathered in one place: every table it
 * shows (through pccs_table_run, so each is the table `pccs table`
 * prints for the same question), the list growth, the SPC runs of the
 * capacity section, the PCN entitlement lines of the year and the files
 * loaded. report/committee.c only formats this struct.
 */
#ifndef PCCS_PAPER_H
#define PCCS_PAPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "model/result.h"
#include "model/spc_run.h"
#include "model/tree.h"
#include "store/store.h"

/* The tables of the paper, in the order it shows them. */
enum pccs_paper_part {
    PCCS_PAPER_POP,               /* populations at the organisation's level */
    PCCS_PAPER_POP_PCN,           /* its PCNs (above PCN level) */
    PCCS_PAPER_POP_PRACTICE,      /* and their practices (with the PCNs) */
    PCCS_PAPER_AGE,               /* age-bands */
    PCCS_PAPER_CAPACITY,          /* capacity */
    PCCS_PAPER_ENT_PCN,           /* entitlements by PCN for the year */
    PCCS_PAPER_ENT_AREA,          /* entitlements at its level (with lines) */
    PCCS_PAPER_ARRS,              /* arrs by PCN */
    PCCS_PAPER_WORKFORCE,         /* workforce at its level */
    PCCS_PAPER_WORKFORCE_PCN,     /* by PCN (above PCN level) */
    PCCS_PAPER_QOF,               /* qof-prevalence */
    PCCS_PAPER_PAYMENTS,          /* payments by PCN, or practice for a PCN */
    PCCS_PAPER_PAYMENTS_PRACTICE, /* payments by practice */
    PCCS_PAPER_RESILIENCE,        /* resilience by practice */
    PCCS_PAPER_PROGRAMMES,        /* the local registers' tables */
    PCCS_PAPER_RISKS,
    PCCS_PAPER_ESTATES,
    PCCS_PAPER_BUDGET,
    PCCS_PAPER_CLOSURES,
    PCCS_PAPER_VISITS,
    PCCS_PAPER_ENT_AREA_PREV, /* entitlements at its level, the year before */
    PCCS_PAPER_LIST_GROWTH,   /* list-growth, first to latest snapshot */
    PCCS_PAPER_NPARTS
};

struct pccs_paper_table {
    bool asked;     /* the paper shows it (its level, its section's data) */
    bool ok;        /* it was built; else why says why not */
    char why[1024]; /* the table's error message */
    struct pccs_table t;
    /* The same question as `pccs table NAME ARGS`: "populations" and
     * "--level icb --in QHM", for the report to cite and tests to ask. */
    char name[32], args[160];
};

/* A loaded file, as the paper lists it. */
struct pccs_paper_source {
    int64_t id;   /* the store's source id (pccs_table.sources) */
    char *title;  /* publication, else the loader's kind */
    char *mark;   /* NULL, or its mark (SYNTHETIC, EXAMPLE) */
    bool example; /* the mark is a template's example rows */
    char *period; /* "" when none */
    int64_t rows;
    char *file; /* the file's base name */
};

/* Growth of the registered list over the 12 months to the latest
 * registrations snapshot (model/period.h). */
struct pccs_paper_growth {
    size_t nsnaps;            /* 0: no snapshot loaded */
    bool found;               /* a snapshot about 12 months before the latest */
    char before[16], now[16]; /* their days */
    struct pccs_table t;      /* one row: before, now, growth (%) */
    char note[200];           /* what stands in for what, or "" */
};

/* The PCN workforce series of the workforce section: every census. */
#define PCCS_PAPER_NWF 2
extern const char *const pccs_paper_wf_metrics[PCCS_PAPER_NWF];

/* The SPC runs of the capacity section (with the capacity table). */
#define PCCS_PAPER_NSPC 2
extern const char *const pccs_paper_spc_metrics[PCCS_PAPER_NSPC];

struct pccs_paper {
    const char *in; /* the organisation's code, as the tree spells it */
    int org;
    enum pccs_level level;
    const char *year;               /* the financial year, or NULL */
    char year_buf[8], prev_year[8]; /* the year before, or "" */
    const char *name;               /* as at the year's end, else the latest */
    struct pccs_paper_source *sources;
    size_t nsources;
    int nsynthetic, nexample; /* files so marked */
    struct pccs_paper_table part[PCCS_PAPER_NPARTS];
    struct pccs_paper_growth growth;
    struct pccs_spc_run spc[PCCS_PAPER_NSPC];
    bool spc_ok[PCCS_PAPER_NSPC];
    /* Section 3: appointments against the list from the first to the
     * latest month of the capacity table, each month's list that of its
     * own registrations snapshot or the nearest earlier: rows
     * appointments, registered, per_1000; columns what, from, to, before,
     * now, change_pct. */
    bool cap_growth_ok;
    struct pccs_table cap_growth;
    /* Section 5: the PCN workforce at every census (pccs_paper_wf_metrics,
     * SPC computed), and FTE by direct patient care role at the first and
     * the latest census: staff_role, fte_first, fte_latest, change,
     * change_pct. */
    struct pccs_spc_run wf[PCCS_PAPER_NWF];
    bool wf_ok[PCCS_PAPER_NWF];
    bool wf_roles_ok;
    struct pccs_table wf_roles;
    /* The Network Contract DES lines of the year: lines_ok when the rates
     * and lines of the year are known. lines: line, paid_to, amount,
     * basis (the area's amount, or why there is none). line_cols: the
     * lines paid that year as "column=Label", for the table by PCN. */
    bool lines_ok;
    struct pccs_table lines;
    char line_cols[32][160];
    size_t nline_cols;
};

struct pccs_paper_options {
    const char *in;         /* the organisation (PCN or above), any case */
    const char *year;       /* "2022-23"; NULL: the latest payments year */
    bool include_synthetic; /* resilience: rate on synthetic files too */
};

/**
 * Gather the paper for o->in (its code in any case, as pccs table takes
 * it). PCCS_ENOTFOUND for an unknown organisation or when nothing is
 * loaded for the year (neither payments nor entitlements have a figure),
 * PCCS_EINVAL for a practice or a year that is not "2022-23"; a table
 * that cannot be built is not an error (its part says why). Release with
 * pccs_paper_release() (also after an error).
 */
int pccs_paper_gather(struct pccs_store *st, const struct pccs_tree *t,
                      const struct pccs_paper_options *o,
                      struct pccs_paper *out, struct pccs_err *err);

void pccs_paper_release(struct pccs_paper *p);

/* ===== The cover sheet: the paper file ===== */

/* What the paper asks of the committee. */
enum pccs_paper_purpose {
    PCCS_PURPOSE_DECISION,
    PCCS_PURPOSE_ASSURANCE,
    PCCS_PURPOSE_INFORMATION
};

/* The implications grid, in the order the cover shows it. */
#define PCCS_PAPER_NIMPL 6
/* Keys of the paper file ("quality" ... "baf_risks") and their labels. */
extern const char *const pccs_paper_impl_keys[PCCS_PAPER_NIMPL];
extern const char *const pccs_paper_impl_labels[PCCS_PAPER_NIMPL];

#define PCCS_PAPER_NRECS 10

/*
 * The front matter of a committee paper: what the paper file (a CSV of
 * key,value rows, data/templates/paper/committee.csv) or the dashboard's
 * form says; pccs_paper_front_init() sets the defaults. An empty date
 * means the day the paper is made.
 */
struct pccs_paper_front {
    char meeting[160], date[40], agenda_item[40], title[200];
    char author[160], lead[160];
    enum pccs_paper_purpose purpose;
    char recs[PCCS_PAPER_NRECS][400]; /* "note ...": after "asked to" */
    size_t nrecs;
    bool recs_given; /* the first recommendation given replaces defaults */
    char impl[PCCS_PAPER_NIMPL][600];
};

/** The defaults: a paper for assurance, its implications not assessed. */
void pccs_paper_front_init(struct pccs_paper_front *f);

/**
 * Set key (meeting, date, agenda_item, title, author, lead, purpose:
 * decision|assurance|information, recommendation: each one adds a line,
 * or an implications key) to value. PCCS_EINVAL naming what was expected
 * for an unknown key, a bad purpose or date, a value too long.
 */
int pccs_paper_front_set(struct pccs_paper_front *f, const char *key,
                         const char *value, struct pccs_err *err);

/**
 * Read the paper file at path (a header key,value then one row per key)
 * over f's defaults. PCCS_EIO if it cannot be read; PCCS_EPARSE naming
 * file:line:col and what was expected.
 */
int pccs_paper_front_load(struct pccs_paper_front *f, const char *path,
                          struct pccs_err *err);

#endif
