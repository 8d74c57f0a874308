/* SPDX-License-Identifier: MIT */
/*
 * pccs synth appointments: write Appointments in General Practice
 * practice-level files in the published layout for the practices and list
 * sizes in the store, deterministically from a seed. Each practice gets
 * its own rate per 1,000 patients, a winter peak, slow growth, and one in
 * twenty a step change half way; the split by staff type, mode, status,
 * category and booking time follows fixed national-like shares. For tests,
 * demos and benchmarks: it is not published data, and says so in GP_NAME.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hmap.h"
#include "base/xalloc.h"
#include "calc/rand.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "model/build.h"
#include "model/tree.h"

struct share {
    const char *name;
    double p;
};

static const struct share hcp[] = {
    {"GP", 0.48},
    {"Other Practice staff", 0.52},
};
static const struct share mode[] = {
    {"Face-to-Face", 0.68},
    {"Telephone", 0.27},
    {"Video Conference/Online", 0.02},
    {"Home Visit", 0.03},
};
static const struct share status[] = {
    {"Attended", 0.91},
    {"DNA", 0.04},
    {"Unknown", 0.05},
};
static const struct share category[] = {
    {"General Consultation Routine", 0.6},
    {"General Consultation Acute", 0.4},
};
static const struct share timing[] = {{"Same Day", 0.45},
                                      {"1 Day", 0.10},
                                      {"2 to 7 Days", 0.25},
                                      {"8  to 14 Days", 0.20}};

#define N(a) (sizeof(a) / sizeof(a[0]))

struct prac {
    char code[8];
    double registered;
    int org;
};

struct gather {
    struct prac *p;
    size_t n, cap;
    int64_t source;
    char period[32];
};

static int
reg_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct gather *g = ctx;
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 8192;
        g->p = pccs_xreallocarray(g->p, g->cap, sizeof(*g->p));
    }
    struct prac *p = &g->p[g->n++];
    snprintf(p->code, sizeof(p->code), "%s", f->org);
    p->registered = f->value;
    g->source = f->source_id;
    return 0;
}

struct snapshot {
    char *period;
    size_t n;
};

static int
snapshot_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct snapshot *s = ctx;
    pccs_day d;
    if (strlen(f->period) == 10 &&
        !pccs_date_parse(pccs_str_from(f->period), &d))
        snprintf(s->period, s->n, "%s", f->period);
    return 0;
}

int
pccs__synth_snapshot(struct pccs_store *st, char *period, size_t n,
                     struct pccs_err *err)
{
    struct snapshot s = {.period = period, .n = n};
    period[0] = '\0';
    int rc = pccs_store_periods_each(st, "registered", snapshot_cb, &s, err);
    if (!rc && !period[0])
        rc = pccs_err_set(err, PCCS_ENOTFOUND,
                          "no registrations snapshot loaded: load "
                          "gp-reg-pat-prac-all first");
    return rc;
}

static const char *
code_at(const struct pccs_tree *t, int org, enum pccs_level l, pccs_day at,
        int64_t src)
{
    int p = pccs_tree_ancestor(t, org, l, at, src);
    return p >= 0 ? t->orgs[p].code : "";
}

/* The command line: what to make, for how long, from which seed. */
struct args {
    const char *months_s, *start_s, *seed_s, *in, *outpath;
    int64_t months, seed;
    pccs_day start;
};

/* 0 to go on; else *stop and the exit code to return. */
static int
parse_args(struct pccs_global *g, int argc, char **argv, struct args *a,
           bool *stop)
{
    *stop = true;
    size_t npos;
    struct pccs_opt opts[] = {
        {"months", &a->months_s, NULL}, {"start", &a->start_s, NULL},
        {"seed", &a->seed_s, NULL},     {"in", &a->in, NULL},
        {"out", &a->outpath, NULL},
    };
    char *pos[1];
    int rc = pccs_cmd_args(g, argc, argv, opts, PCCS_LEN(opts), pos, 1, &npos);
    if (rc != PCCS_CMD_GO)
        return rc;
    if (npos != 1 || strcmp(pos[0], "appointments") != 0)
        return pccs_cmd_usage("synth", "what to make? (appointments)");
    if (pccs_str_to_i64(pccs_str_from(a->months_s), &a->months) ||
        a->months < 1 || a->months > 120)
        return pccs_cmd_usage("synth", "--months must be 1 to 120");
    if (pccs_str_to_i64(pccs_str_from(a->seed_s), &a->seed))
        return pccs_cmd_usage("synth", "--seed must be a whole number");
    if (pccs_date_parse(pccs_str_from(a->start_s), &a->start))
        return pccs_cmd_usage("synth", "--start must be a date");
    if (!a->outpath)
        return pccs_cmd_usage("synth", "give --out FILE.csv");
    *stop = false;
    return 0;
}

/* The practices and lists of the latest registrations snapshot. */
static int
gather_practices(struct pccs_store *st, struct gather *ga, struct pccs_err *err)
{
    int rc = pccs__synth_snapshot(st, ga->period, sizeof(ga->period), err);
    if (!rc)
        rc = pccs_store_facts_each(st, "registered", ga->period, NULL, reg_cb,
                                   ga, err);
    return rc;
}

/* A practice's own random stream and its made-up profile. */
struct pstate {
    int org;
    uint64_t s;
    double rate, growth;
    bool step;
    const char *pcn, *sub;
};

/*
 * Each practice (within in_org) keeps its own random stream: the same
 * seed gives the same file. Returns how many.
 */
static size_t
init_states(const struct pccs_tree *t, const struct gather *ga, int in_org,
            int64_t seed, struct pstate *ps)
{
    pccs_day snap;
    pccs_date_parse(pccs_str_from(ga->period), &snap);
    size_t np = 0;
    for (size_t i = 0; i < ga->n; i++) {
        const struct prac *p = &ga->p[i];
        int org = pccs_tree_find(t, p->code);
        if (org < 0)
            continue;
        if (!pccs_build_within(t, org, in_org, snap, ga->source))
            continue;
        struct pstate *q = &ps[np++];
        q->org = (int)i;
        q->s = (uint64_t)seed * 0x100000001B3ULL;
        for (const char *c = p->code; *c; c++)
            q->s = q->s * 31 + (unsigned char)*c;
        q->rate =
            380.0 * (0.75 + 0.55 * pccs_rand_uniform(&q->s)); /* per 1,000 */
        q->growth = 0.002 * pccs_rand_uniform(&q->s);         /* per month */
        q->step = pccs_rand_uniform(&q->s) < 0.05;
        q->pcn = code_at(t, org, PCCS_PCN, snap, ga->source);
        q->sub = code_at(t, org, PCCS_SUB_ICB, snap, ga->source);
    }
    return np;
}

/* One practice's month: total split by every combination of shares. */
static size_t
write_practice(FILE *f, const char *month, const struct prac *p,
               const struct pstate *q, double total)
{
    size_t written = 0;
    for (size_t a = 0; a < N(hcp); a++)
        for (size_t b = 0; b < N(mode); b++)
            for (size_t c = 0; c < N(status); c++)
                for (size_t d = 0; d < N(category); d++)
                    for (size_t e = 0; e < N(timing); e++) {
                        double share = hcp[a].p * mode[b].p * status[c].p *
                                       category[d].p * timing[e].p;
                        long n = lround(total * share);
                        if (n <= 0)
                            continue;
                        fprintf(f,
                                "%s,%s,SYNTHETIC PRACTICE %s,"
                                "SYNTH,%s,,%s,,%s,%s,%s,%s,%ld,%s\r\n",
                                month, p->code, p->code, q->pcn, q->sub,
                                hcp[a].name, mode[b].name, category[d].name,
                                timing[e].name, n, status[c].name);
                        written++;
                    }
    return written;
}

/*
 * Month by month, as NHS Digital publishes (one file per month), so a
 * month's rows sit together in the store.
 */
static size_t
write_rows(FILE *f, const struct args *a, const struct gather *ga,
           struct pstate *ps, size_t np)
{
    static const char *const mon[12] = {"JAN", "FEB", "MAR", "APR",
                                        "MAY", "JUN", "JUL", "AUG",
                                        "SEP", "OCT", "NOV", "DEC"};
    size_t written = 0;
    int sy, sm, sd;
    pccs_date_to_ymd(a->start, &sy, &sm, &sd);
    fputs("APPOINTMENT_MONTH_START_DATE,GP_CODE,GP_NAME,SUPPLIER,PCN_CODE,"
          "PCN_NAME,SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_NAME,HCP_TYPE,"
          "APPT_MODE,NATIONAL_CATEGORY,TIME_BETWEEN_BOOK_AND_APPT,"
          "COUNT_OF_APPOINTMENTS,APPT_STATUS\r\n",
          f);
    for (int64_t m = 0; m < a->months; m++) {
        int y = sy + (int)((sm - 1 + m) / 12);
        int mo = (int)((sm - 1 + m) % 12) + 1;
        char month[16];
        snprintf(month, sizeof(month), "01%s%04d", mon[mo - 1], y);
        double season =
            1.0 + 0.10 * cos(2.0 * 3.14159265358979323846 * (mo - 12) / 12.0);
        for (size_t i = 0; i < np; i++) {
            struct pstate *q = &ps[i];
            const struct prac *p = &ga->p[q->org];
            double level = q->rate * season * (1.0 + q->growth * (double)m) *
                           (q->step && m >= a->months / 2 ? 1.25 : 1.0);
            double total = p->registered / 1000.0 * level *
                           (0.97 + 0.06 * pccs_rand_uniform(&q->s));
            written += write_practice(f, month, p, q, total);
        }
    }
    return written;
}

int
pccs_cmd_synth(struct pccs_global *g, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "patients"))
            return pccs_cmd_synth_patients(g, argc, argv);
    struct args a = {.months_s = "24", .start_s = "2021-04-01", .seed_s = "1"};
    bool stop;
    int rc = parse_args(g, argc, argv, &a, &stop);
    if (stop)
        return rc;
    struct pccs_cmd_open o;
    rc = pccs_cmd_open_tree(g, &o);
    if (rc)
        return rc;
    struct gather ga = {0};
    FILE *f = NULL;
    int in_org = -1;
    rc = gather_practices(o.st, &ga, &o.err);
    if (!rc && a.in)
        in_org = pccs_tree_find(&o.tree, a.in);
    if (!rc && a.in && in_org < 0)
        rc = pccs_err_set(&o.err, PCCS_ENOTFOUND, "unknown organisation %s",
                          a.in);
    if (rc)
        goto out;
    f = fopen(a.outpath, "w");
    if (!f) {
        rc = pccs_err_set(&o.err, PCCS_EIO, "%s: cannot write", a.outpath);
        goto out;
    }
    struct pstate *ps = pccs_xcalloc(ga.n + 1, sizeof(*ps));
    size_t np = init_states(&o.tree, &ga, in_org, a.seed, ps);
    size_t written = write_rows(f, &a, &ga, ps, np);
    free(ps);
    if (fclose(f) != 0)
        rc = pccs_err_set(&o.err, PCCS_EIO, "%s: cannot write", a.outpath);
    f = NULL;
    if (!rc)
        fprintf(stderr,
                "pccs synth: wrote %zu rows to %s (synthetic, seed "
                "%lld, %lld months from %s)\n",
                written, a.outpath, (long long)a.seed, (long long)a.months,
                a.start_s);
out:
    if (f)
        fclose(f);
    free(ga.p);
    return pccs_cmd_close(&o, rc);
}
