/* SPDX-License-Identifier: MIT */
/*
 * The Network Contract DES payment lines of a financial year, as data:
 * the lines of data/maps/pcn_lines.csv (line, label, paid_to, source) in
 * that order, then any other line the rates name (`<line>_per_<base>`,
 * `<line>_national_sum`, calc/entitlements.h), with their rates for the
 * year from data/rates. A new line or year is a new row, not new code.
 */
#ifndef PCCS_MODEL_ENTITLEMENTS_H
#define PCCS_MODEL_ENTITLEMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "calc/entitlements.h"
#include "model/population.h"
#include "model/rates.h"
#include "model/result.h"
#include "model/tree.h"
#include "store/store.h"

struct pccs_ent_line_info {
    char name[48];  /* "pcn_core" */
    char label[96]; /* "Core PCN funding" */
    bool practices; /* paid to practices: not in the PCN's total */
    struct pccs_ent_line_rates r;
    bool applies;     /* a rate row exists for the year */
    bool known;       /* every rate the line needs is known */
    bool derived;     /* from a national sum by weighted share */
    char basis[200];  /* "1.5 per registered" or "national sum 746000000" */
    char reason[300]; /* why not known, or why it does not apply */
};

struct pccs_ent_lines {
    struct pccs_ent_line_info *l;
    size_t n;
};

/**
 * The lines and their rates for financial year fy from rates (borrowed).
 * Release with pccs_ent_lines_release().
 */
int pccs_ent_lines_load(struct pccs_ent_lines *out,
                        const struct pccs_rates *rates, int fy,
                        struct pccs_err *err);
void pccs_ent_lines_release(struct pccs_ent_lines *ls);

/* One PCN's populations and the value of each line for it. */
struct pccs_ent_pcn {
    const struct pccs_pop_row *row; /* its populations row */
    struct pccs_ent_pop pop;        /* the populations the lines rest on */
    struct pccs_ent_value *v;       /* one per line, as lines.l */
};

/*
 * A financial year's entitlements, PCN by PCN: the DES populations of
 * the PCNs (within an organisation, or all) and of England, the lines
 * with their rates, care home beds, and each PCN's value of each line.
 */
struct pccs_ent_year {
    int fy;
    char fyname[8];      /* "2022-23" */
    struct pccs_pop pop; /* the PCNs' populations, sorted by code */
    struct pccs_pop nat; /* England's */
    struct pccs_rates rates;
    struct pccs_ent_lines lines;
    bool *to_practices; /* per line: paid to practices */
    double national_weighted;
    double scale;        /* adjusted estimate = weighted x scale */
    double minutes_rate; /* enhanced access minutes per 1,000; NaN */
    bool has_beds;       /* care home beds loaded */
    char beds_period[16];
    int64_t beds_source;
    struct pccs_ent_pcn *pcns; /* one per pop row */
    size_t npcns;
    struct pccs_ent_value *values; /* npcns x lines.n: the pcns' v */
};

/**
 * The entitlements of financial year fy for the PCNs within in (an
 * organisation code, or NULL for all). Release with
 * pccs_ent_year_release(), also after an error.
 */
int pccs_ent_year_load(struct pccs_store *st, const struct pccs_tree *t,
                       const char *in, int fy, struct pccs_ent_year *out,
                       struct pccs_err *err);
void pccs_ent_year_release(struct pccs_ent_year *y);

/** Index of the line called name in y's lines, or -1. */
int pccs_ent_year_line(const struct pccs_ent_year *y, const char *name);

/**
 * The year's provenance notes as the entitlements table gives them: the
 * populations, the adjusted estimate, every line with its rate or why it
 * is empty, and every rate row of the year with its source.
 */
void pccs_ent_year_notes(const struct pccs_ent_year *y, struct pccs_table *out);

#endif
