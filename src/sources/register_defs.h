/* SPDX-License-Identifier: MIT */
/*
 * The local registers, defined once: for each register of data/templates
 * its columns with their type, whether they are required, what a value
 * must be, which column names the organisation a row belongs to and which
 * identifies a row to people. The loader (registers.c) validates by it,
 * the tables (model/register_tables.c) read by it, the API lists and
 * checks by it.
 */
#ifndef PCCS_REGISTER_DEFS_H
#define PCCS_REGISTER_DEFS_H

#include <stdbool.h>
#include <stddef.h>

#include "sources/loader.h"

enum pccs_reg_type {
    PCCS_RT_TEXT,     /* text */
    PCCS_RT_ORG,      /* an organisation code known to the store */
    PCCS_RT_PRACTICE, /* a practice code known to the store */
    PCCS_RT_PLACE,    /* a place of the places register */
    PCCS_RT_DATE,     /* a real date */
    PCCS_RT_INT,      /* a whole number in [min, max] (values "min|max") */
    PCCS_RT_NUM,      /* a number >= 0 */
    PCCS_RT_SNUM,     /* a number, any sign */
    PCCS_RT_ENUM,     /* one of values ("a|b|c"), matched ignoring case */
};

struct pccs_reg_col {
    const char *name;
    enum pccs_reg_type type;
    bool required;
    const char *values; /* ENUM: "a|b"; INT: "min|max"; else NULL */
    int date_col;       /* ORG/PRACTICE: the column whose date the organisation
                           must be open on, or -1 */
};

/* At most this many columns in a register. */
#define PCCS_REG_MAXCOLS 16

struct pccs_reg_def {
    const char *name;        /* "risks": kind register_risks, refs
                                register:risks */
    const char *publication; /* for the sources list */
    const struct pccs_reg_col *cols;
    size_t ncols;
    /* The header columns that recognise the template. */
    const struct pccs_col *sniff;
    size_t nsniff;
    int org_col; /* the column naming the organisation a row belongs to,
                    or -1: the register belongs to the organisation that
                    loaded it (sources.owner) */
    int key_col; /* the column people know a row by (for messages), or -1 */
};

/*
 * The header columns that recognise each template (sized here so that
 * the loader's kinds can count them).
 */
extern const struct pccs_col pccs_reg_sniff_places[5];
extern const struct pccs_col pccs_reg_sniff_programmes[6];
extern const struct pccs_col pccs_reg_sniff_milestones[5];
extern const struct pccs_col pccs_reg_sniff_risks[4];
extern const struct pccs_col pccs_reg_sniff_estates[4];
extern const struct pccs_col pccs_reg_sniff_budget[5];
extern const struct pccs_col pccs_reg_sniff_list_closures[4];
extern const struct pccs_col pccs_reg_sniff_support_payments[4];
extern const struct pccs_col pccs_reg_sniff_visits[3];
extern const struct pccs_col pccs_reg_sniff_care_home_beds[3];
extern const struct pccs_col pccs_reg_sniff_access_sessions[3];

extern const struct pccs_reg_def pccs_reg_defs[];
extern const size_t pccs_reg_ndefs;

/** The register called name, or NULL. */
const struct pccs_reg_def *pccs_reg_def_find(const char *name);
/** The index of column name in d, or -1. */
int pccs_reg_col_index(const struct pccs_reg_def *d, const char *name);
/** INT, NUM or SNUM. */
bool pccs_reg_col_numeric(const struct pccs_reg_col *c);
/** ORG, PRACTICE or PLACE: checked against the organisations. */
bool pccs_reg_col_is_org(const struct pccs_reg_col *c);
/** "text", "organisation", "practice", "place", "date", "whole number",
 *  "number", "one of": for the API and the dashboard's forms. */
const char *pccs_reg_type_name(enum pccs_reg_type t);
/** "places, programmes, ...": every register's name, for messages. */
const char *pccs_reg_names(void);

#endif
