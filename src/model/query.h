/* SPDX-License-Identifier: MIT */
/*
 * What a user asks for, checked once for the command line, the API and
 * the report: a period's form (a financial year or a date), the
 * organisation code (any case; an unknown code or a name gets the
 * closest organisations as suggestions). This module only checks and
 * canonicalises the question; which snapshot a period means is decided
 * where the figures are built.
 *
 * Errors: PCCS_EINVAL for a malformed value (a usage error: exit 2, HTTP
 * 400), PCCS_ENOTFOUND for an organisation that does not exist (exit 1,
 * HTTP 404). The message is the same on every front end; opt names the
 * option as the front end spells it ("--period" or "period").
 */
#ifndef PCCS_QUERY_H
#define PCCS_QUERY_H

#include "base/date.h"
#include "base/err.h"
#include "model/tables.h"
#include "model/tree.h"

/* The forms a period may take (a bit set). */
enum pccs_period_form {
    PCCS_PERIOD_NONE = 0, /* the table takes no period */
    PCCS_PERIOD_FY = 1,   /* a financial year: 2022-23 */
    PCCS_PERIOD_DATE = 2  /* a date: YYYY-MM-DD */
};

/* A checked period in its canonical form ("2022-23", "2021-01-01"). */
struct pccs_period_buf {
    char s[16];
};

/**
 * The period forms table def takes with --period (--year is always a
 * financial year), and how they are described in messages (static).
 */
unsigned pccs_query_period_forms(const struct pccs_table_def *def,
                                 const char **describe);

/**
 * Check s as a period of the given forms for option opt ("--period").
 * A financial year may be written 2022-23, 2022/23 or 2022-2023; a date
 * only as YYYY-MM-DD. The canonical form goes to out. PCCS_EINVAL with a
 * message naming the accepted forms ("--period must be a financial year
 * such as 2022-23, not 'banana'").
 */
int pccs_query_period(const char *opt, const char *s, unsigned forms,
                      const char *describe, struct pccs_period_buf *out,
                      struct pccs_err *err);

/** Check s as a date YYYY-MM-DD for option opt. PCCS_EINVAL if not. */
int pccs_query_date(const char *opt, const char *s, pccs_day *out,
                    struct pccs_err *err);

/**
 * Check the periods of q for table def in place (period, compare): q's
 * pointers are replaced by the canonical forms held in bufs (2 entries,
 * borrowed for as long as q is used). names: how options are spelled,
 * "--" (command line) or "" (API); from_year: q->period came from --year
 * (a financial year only).
 */
int pccs_query_check_periods(const struct pccs_table_def *def,
                             struct pccs_table_query *q, const char *names,
                             bool from_year, struct pccs_period_buf bufs[2],
                             struct pccs_err *err);

/*
 * One name=value of a table question: a command-line option (without its
 * "--") or an API query parameter. Both come through pccs_query_parse(),
 * so the checks and the messages are the same on every front end.
 */
struct pccs_query_arg {
    const char *name;  /* one of pccs_query_names ('-' and '_' alike) */
    const char *value; /* NULL or "": absent; a flag is on for 1 or true */
};

/**
 * The names a table question takes, NULL-terminated, as the API spells
 * them: level, in, at, period, year, group, compare, contract, explain,
 * suppress, include_synthetic, from, to (the last two take values).
 */
extern const char *const pccs_query_names[];

/*
 * A checked question: q, whose period and compare point into bufs (use q
 * only while this struct lives; q.in and the others borrow the values of
 * the pairs parsed).
 */
struct pccs_query_parsed {
    struct pccs_table_query q;
    struct pccs_period_buf bufs[4]; /* period, compare, from, to */
    bool from_year;                 /* the period came as year */
};

/**
 * Fill out from the pairs args[0..n) for table def (NULL: every table at
 * once, whose period is then a financial year). names is how the front
 * end spells its options: "--" (command line) or "" (API). Checks: year
 * or period, not both; the period's form for def (and compare's);
 * level; at a date, not with a period; contract for payments only.
 * PCCS_EINVAL with a message naming the option for anything else,
 * including an unknown name. The organisation in q.in is checked later,
 * against the tree (pccs_query_resolve_in()).
 */
int pccs_query_parse(const struct pccs_table_def *def,
                     const struct pccs_query_arg *args, size_t n,
                     const char *names, struct pccs_query_parsed *out,
                     struct pccs_err *err);

/**
 * Find the organisation code in t ignoring case: its index, or
 * PCCS_ENOTFOUND with a message suggesting the closest organisations
 * (codes within a small edit distance, names containing code). what
 * prefixes the message ("in: " for the API's parameter, or "").
 */
int pccs_query_org(const struct pccs_tree *t, const char *what,
                   const char *code, struct pccs_err *err);

/**
 * Check q->in against t (pccs_query_org(), message prefix what) and
 * replace it by the tree's spelling (borrowed from t). *org is its index,
 * or -1 when q->in is NULL.
 */
int pccs_query_resolve_in(const struct pccs_tree *t, const char *what,
                          struct pccs_table_query *q, int *org,
                          struct pccs_err *err);

/**
 * When level began (data/rules/levels.csv, or $PCCS_RULES/levels.csv):
 * *began is PCCS_DAY_NONE when the file gives no date for it; source
 * (n bytes) names where the date comes from. PCCS_EIO/PCCS_EPARSE for
 * an unreadable file.
 */
int pccs_query_level_began(enum pccs_level level, pccs_day *began, char *source,
                           size_t n, struct pccs_err *err);

#endif
