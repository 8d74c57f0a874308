/* SPDX-License-Identifier: MIT */
/*
 * Checking a question before it is answered: period forms and
 * organisation codes, with suggestions for codes that do not exist.
 */
#include "model/query.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "model/refdata.h"

/* ===== Periods ===== */

static const char fy_form[] = "a financial year such as 2022-23";

/* The forms of the tables whose --period is not a financial year. */
static const struct {
    const char *table;
    unsigned forms;
    const char *describe;
} period_forms[] = {
    {"populations", PCCS_PERIOD_FY | PCCS_PERIOD_DATE,
     "a financial year such as 2022-23 or a snapshot date YYYY-MM-DD such "
     "as 2021-01-01"},
    {"payments", PCCS_PERIOD_FY, fy_form},
    {"entitlements", PCCS_PERIOD_FY, fy_form},
    {"arrs", PCCS_PERIOD_FY, fy_form},
    {"qof-prevalence", PCCS_PERIOD_FY, "a QOF financial year such as 2020-21"},
    {"resilience", PCCS_PERIOD_FY, "a payments financial year such as 2022-23"},
    {"workforce", PCCS_PERIOD_DATE,
     "a census date YYYY-MM-DD such as 2022-09-30"},
    {"weighting", PCCS_PERIOD_DATE,
     "a snapshot date YYYY-MM-DD such as 2021-01-01"},
    {"age-bands", PCCS_PERIOD_DATE,
     "a snapshot date YYYY-MM-DD such as 2021-01-01"},
    {"capacity", PCCS_PERIOD_DATE,
     "a month, its first day YYYY-MM-DD, such as 2022-03-01"},
};

unsigned
pccs_query_period_forms(const struct pccs_table_def *def, const char **describe)
{
    if (def->local) {
        *describe = "--at DATE sets the day";
        return PCCS_PERIOD_NONE;
    }
    for (size_t i = 0; i < sizeof(period_forms) / sizeof(period_forms[0]); i++)
        if (!strcmp(period_forms[i].table, def->name)) {
            *describe = period_forms[i].describe;
            return period_forms[i].forms;
        }
    *describe = "a financial year such as 2022-23 or a date YYYY-MM-DD";
    return PCCS_PERIOD_FY | PCCS_PERIOD_DATE;
}

/* Only YYYY-MM-DD, a real day: the stored periods are written so. */
static bool
iso_date(const char *s, pccs_day *out)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return false;
    return pccs_date_parse(pccs_str_from(s), out) == PCCS_OK;
}

int
pccs_query_date(const char *opt, const char *s, pccs_day *out,
                struct pccs_err *err)
{
    if (!iso_date(s, out))
        return pccs_err_set(err, PCCS_EINVAL,
                            "%s must be a date YYYY-MM-DD such as "
                            "2022-04-01, not '%.64s'",
                            opt, s);
    return PCCS_OK;
}

int
pccs_query_period(const char *opt, const char *s, unsigned forms,
                  const char *describe, struct pccs_period_buf *out,
                  struct pccs_err *err)
{
    int y;
    pccs_day d;
    if ((forms & PCCS_PERIOD_FY) && strlen(s) < 16 &&
        !isspace((unsigned char)s[0]) &&
        pccs_fy_parse(pccs_str_from(s), &y) == PCCS_OK) {
        pccs_fy_format(y, out->s);
        return PCCS_OK;
    }
    if ((forms & PCCS_PERIOD_DATE) && iso_date(s, &d)) {
        snprintf(out->s, sizeof(out->s), "%s", s);
        return PCCS_OK;
    }
    return pccs_err_set(err, PCCS_EINVAL, "%s must be %s, not '%.64s'", opt,
                        describe, s);
}

/*
 * Check *v (when given) as a period of forms for option names+name, and
 * point it at its canonical form in buf.
 */
static int
check_period(const char *names, const char *name, const char **v,
             unsigned forms, const char *describe, struct pccs_period_buf *buf,
             struct pccs_err *err)
{
    char opt[32];
    snprintf(opt, sizeof(opt), "%s%s", names, name);
    int rc = *v ? pccs_query_period(opt, *v, forms, describe, buf, err) : 0;
    if (!rc && *v)
        *v = buf->s;
    return rc;
}

int
pccs_query_check_periods(const struct pccs_table_def *def,
                         struct pccs_table_query *q, const char *names,
                         bool from_year, struct pccs_period_buf bufs[2],
                         struct pccs_err *err)
{
    const char *describe;
    unsigned forms = pccs_query_period_forms(def, &describe);
    char opt[32];
    snprintf(opt, sizeof(opt), "%s%s", names, from_year ? "year" : "period");
    if (q->period && forms == PCCS_PERIOD_NONE)
        return pccs_err_set(err, PCCS_EINVAL, "%s takes no %s (%s)", def->name,
                            opt, describe);
    if (q->period && from_year && !(forms & PCCS_PERIOD_FY))
        return pccs_err_set(err, PCCS_EINVAL,
                            "%s takes no %s: give %speriod, %s", def->name, opt,
                            names, describe);
    int rc = check_period(names, from_year ? "year" : "period", &q->period,
                          from_year ? PCCS_PERIOD_FY : forms,
                          from_year ? fy_form : describe, &bufs[0], err);
    return rc ? rc
              : check_period(names, "compare", &q->compare, PCCS_PERIOD_FY,
                             fy_form, &bufs[1], err);
}

/* ===== A whole question from name=value pairs ===== */

const char *const pccs_query_names[] = {"level",
                                        "in",
                                        "at",
                                        "period",
                                        "year",
                                        "group",
                                        "compare",
                                        "contract",
                                        "explain",
                                        "suppress",
                                        "include_synthetic",
                                        "from",
                                        "to",
                                        NULL};

/* Their indices; the first eight take a value, then three flags, then
 * from and to (values again). */
enum {
    ARG_LEVEL,
    ARG_IN,
    ARG_AT,
    ARG_PERIOD,
    ARG_YEAR,
    ARG_GROUP,
    ARG_COMPARE,
    ARG_CONTRACT,
    ARG_EXPLAIN,
    ARG_SUPPRESS,
    ARG_SYNTHETIC,
    ARG_FROM,
    ARG_TO,
    ARG_N
};

/* a and b equal, '-' and '_' alike. */
static bool
same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (*a != *b && !(strchr("-_", *a) && strchr("-_", *b)))
            return false;
    return *a == *b;
}

static bool
is_on(const char *v)
{
    return v && (!strcmp(v, "1") || !strcmp(v, "true"));
}

/* The periods of a question for every table at once: financial years. */
static int
check_all_periods(struct pccs_table_query *q, const char *names, bool from_year,
                  struct pccs_period_buf bufs[2], struct pccs_err *err)
{
    int rc = check_period(names, from_year ? "year" : "period", &q->period,
                          PCCS_PERIOD_FY, fy_form, &bufs[0], err);
    return rc ? rc
              : check_period(names, "compare", &q->compare, PCCS_PERIOD_FY,
                             fy_form, &bufs[1], err);
}

/* --from and --to (list-growth; enhanced-access): a snapshot date or a
 * financial year. */
static int
check_from_to(const struct pccs_table_def *def, const char *const *v,
              const char *names, struct pccs_query_parsed *out,
              struct pccs_err *err)
{
    static const char form[] = "a snapshot date YYYY-MM-DD such as "
                               "2021-01-01 or a financial year such as "
                               "2022-23";
    for (int k = 0; k < 2; k++) {
        const char *s = v[k ? ARG_TO : ARG_FROM];
        if (!s)
            continue;
        char opt[32];
        snprintf(opt, sizeof(opt), "%s%s", names, k ? "to" : "from");
        if (!def || (strcmp(def->name, "list-growth") != 0 &&
                     strcmp(def->name, "enhanced-access") != 0))
            return pccs_err_set(err, PCCS_EINVAL,
                                "%s is for the list-growth and "
                                "enhanced-access tables",
                                opt);
        int rc = pccs_query_period(opt, s, PCCS_PERIOD_FY | PCCS_PERIOD_DATE,
                                   form, &out->bufs[2 + k], err);
        if (rc)
            return rc;
        if (k)
            out->q.to = out->bufs[3].s;
        else
            out->q.from = out->bufs[2].s;
    }
    return PCCS_OK;
}

/* Check the values v[ARG_N] and fill out->q from them. */
static int
check_args(const struct pccs_table_def *def, const char *const *v,
           const char *names, struct pccs_query_parsed *out,
           struct pccs_err *err)
{
    struct pccs_table_query *q = &out->q;
    if (q->contract && (!def || strcmp(def->name, "payments") != 0))
        return pccs_err_set(err, PCCS_EINVAL,
                            "%scontract is for the payments table", names);
    if (v[ARG_YEAR] && v[ARG_PERIOD])
        return pccs_err_set(err, PCCS_EINVAL,
                            "give %syear or %speriod, not both", names, names);
    out->from_year = v[ARG_YEAR] != NULL;
    q->period = out->from_year ? v[ARG_YEAR] : v[ARG_PERIOD];
    int rc = def ? pccs_query_check_periods(def, q, names, out->from_year,
                                            out->bufs, err)
                 : check_all_periods(q, names, out->from_year, out->bufs, err);
    if (!rc)
        rc = check_from_to(def, v, names, out, err);
    if (rc)
        return rc;
    if (v[ARG_AT]) {
        char opt[32];
        snprintf(opt, sizeof(opt), "%sat", names);
        rc = pccs_query_date(opt, v[ARG_AT], &q->at, err);
        if (rc)
            return rc;
    }
    if (v[ARG_LEVEL] &&
        (q->level = pccs_level_parse(v[ARG_LEVEL])) == PCCS_LEVEL_NONE)
        return pccs_err_set(err, PCCS_EINVAL,
                            "%slevel must be practice, pcn, place, sub_icb, "
                            "icb, region or england, not '%.64s'",
                            names, v[ARG_LEVEL]);
    if (v[ARG_AT] && q->period)
        return pccs_err_set(err, PCCS_EINVAL, "give %sat or %speriod, not both",
                            names, names);
    return PCCS_OK;
}

int
pccs_query_parse(const struct pccs_table_def *def,
                 const struct pccs_query_arg *args, size_t n, const char *names,
                 struct pccs_query_parsed *out, struct pccs_err *err)
{
    const char *v[ARG_N] = {NULL};
    memset(out, 0, sizeof(*out));
    out->q.level = PCCS_LEVEL_NONE;
    out->q.at = PCCS_DAY_NONE;
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (k < ARG_N && !same_name(args[i].name, pccs_query_names[k]))
            k++;
        if (k == ARG_N)
            return pccs_err_set(err, PCCS_EINVAL, "no option %s%.32s", names,
                                args[i].name);
        /* The first value given counts, as MHD's lookup answers. */
        if (!v[k] && args[i].value && *args[i].value)
            v[k] = args[i].value;
    }
    out->q.in = v[ARG_IN];
    out->q.group = v[ARG_GROUP];
    out->q.compare = v[ARG_COMPARE];
    out->q.contract = v[ARG_CONTRACT];
    out->q.explain = is_on(v[ARG_EXPLAIN]);
    out->q.suppress = is_on(v[ARG_SUPPRESS]);
    out->q.include_synthetic = is_on(v[ARG_SYNTHETIC]);
    return check_args(def, v, names, out, err);
}

/* ===== Organisations ===== */

/* Levenshtein distance of a and b, ignoring ASCII case (short strings). */
static size_t
edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 64;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = toupper((unsigned char)a[i - 1]) !=
                          toupper((unsigned char)b[j - 1]);
            size_t best = diag + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

struct candidate {
    int org;
    size_t rank; /* 0 for a name match, else by edit distance */
};

static const struct pccs_tree *sort_tree;

/* Closest first, then the higher level, then by code. */
static int
cmp_candidate(const void *pa, const void *pb)
{
    const struct candidate *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    const struct pccs_tree_org *oa = &sort_tree->orgs[a->org];
    const struct pccs_tree_org *ob = &sort_tree->orgs[b->org];
    if (oa->level != ob->level)
        return oa->level > ob->level ? -1 : 1;
    return strcmp(oa->code, ob->code);
}

/* Up to max of the candidates as "CODE Name (level)". */
static void
list_candidates(struct pccs_buf *b, const struct pccs_tree *t,
                struct candidate *c, size_t n, size_t max)
{
    sort_tree = t;
    if (n > 1)
        qsort(c, n, sizeof(*c), cmp_candidate);
    for (size_t i = 0; i < n && i < max; i++) {
        const struct pccs_tree_org *o = &t->orgs[c[i].org];
        pccs_buf_addf(b, "%s%s %.60s (%s)", i ? ", " : "", o->code,
                      o->name ? o->name : "", o->level_name);
    }
    if (n > max)
        pccs_buf_addf(b, " and %zu more", n - max);
}

int
pccs_query_org(const struct pccs_tree *t, const char *what, const char *code,
               struct pccs_err *err)
{
    int o = pccs_tree_find(t, code);
    if (o >= 0)
        return o;
    char up[32];
    size_t len = strlen(code);
    if (len < sizeof(up)) {
        for (size_t i = 0; i <= len; i++)
            up[i] = (char)toupper((unsigned char)code[i]);
        o = pccs_tree_find(t, up);
        if (o >= 0)
            return o;
    }
    for (size_t i = 0; i < t->norgs; i++)
        if (!strcasecmp(t->orgs[i].code, code))
            return (int)i;

    /* Not a code: the closest codes, and the names that contain it. */
    struct candidate *byname = pccs_xcalloc(t->norgs + 1, sizeof(*byname));
    struct candidate *bycode = pccs_xcalloc(t->norgs + 1, sizeof(*bycode));
    size_t nn = 0, nc = 0;
    size_t maxd = len <= 3 ? 1 : 2;
    for (size_t i = 0; i < t->norgs; i++) {
        const struct pccs_tree_org *g = &t->orgs[i];
        if (g->level == PCCS_LEVEL_NONE)
            continue;
        if (len >= 3 && pccs_tree_names_contain(t, (int)i, code))
            byname[nn++] = (struct candidate){(int)i, 0};
        size_t d = edit_distance(code, g->code);
        /* Equally close: the longer common beginning first. */
        size_t pre = 0;
        while (pre < 63 && code[pre] && g->code[pre] &&
               toupper((unsigned char)code[pre]) ==
                   toupper((unsigned char)g->code[pre]))
            pre++;
        if (d <= maxd)
            bycode[nc++] = (struct candidate){(int)i, d * 64 + 63 - pre};
    }
    struct pccs_buf b = PCCS_BUF_INIT;
    pccs_buf_addf(&b, "%sunknown organisation %.64s", what, code);
    if (nn) {
        pccs_buf_addf(&b, "; %zu whose name contains it: ", nn);
        list_candidates(&b, t, byname, nn, 8);
    }
    if (nc) {
        pccs_buf_addstr(&b, nn ? "; codes close to it: " : "; did you mean ");
        list_candidates(&b, t, bycode, nc, 5);
    }
    if (!nn && !nc)
        pccs_buf_addstr(&b, ": no code or name is close to it (pccs orgs "
                            "lists the organisations)");
    int rc = pccs_err_set(err, PCCS_ENOTFOUND, "%s", b.p);
    pccs_buf_release(&b);
    free(byname);
    free(bycode);
    return rc;
}

int
pccs_query_resolve_in(const struct pccs_tree *t, const char *what,
                      struct pccs_table_query *q, int *org,
                      struct pccs_err *err)
{
    *org = -1;
    if (!q->in)
        return PCCS_OK;
    int o = pccs_query_org(t, what, q->in, err);
    if (o < 0)
        return o;
    *org = o;
    q->in = t->orgs[o].code;
    return PCCS_OK;
}

/* ===== When a level began ===== */

int
pccs_query_level_began(enum pccs_level level, pccs_day *began, char *source,
                       size_t n, struct pccs_err *err)
{
    *began = PCCS_DAY_NONE;
    source[0] = '\0';
    const struct pccs_refdata *f;
    int rc = pccs_refdata_load("rules/levels.csv", &f, err);
    const char *want = pccs_level_name(level);
    /* The header first. */
    for (size_t k = 1; !rc && want && k < f->nrecords; k++) {
        const struct pccs_refdata_record *rec = &f->records[k];
        if (rec->nfields < 3 || !pccs_str_eq(rec->fields[0], want))
            continue;
        if (pccs_date_parse(rec->fields[1], began))
            return pccs_err_set(err, PCCS_EPARSE,
                                "%s:%zu:2: began: expected a date YYYY-MM-DD",
                                f->path, (size_t)rec->line);
        snprintf(source, n, "%.*s", (int)rec->fields[2].len, rec->fields[2].p);
    }
    return rc;
}
