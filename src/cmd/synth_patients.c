/* SPDX-License-Identifier: MIT */
/*
 * pccs synth patients: patient-level records for every practice of an
 * organisation (an ICB, a PCN ...), in both layouts pccs reads (the
 * ehrQL-like CSV files and FHIR R4 bulk NDJSON), deterministically from
 * a seed. Each practice gets as many patients as its real registered
 * list (the latest gp-reg-pat-prac-all snapshot), ages and sexes drawn
 * from an approximate national shape; exactly round(prevalence x list)
 * patients on each disease register at the practice's real QOF
 * prevalence (the ICB's where the practice has no QOF row), older people
 * more likely; frailty deficits rising with age and a per-patient
 * propensity; recorded values the eFI reads (eGFR, haemoglobin, TSH,
 * ABPM, Barthel, ABPI, MUST: data/rules/efi-values.csv's lists), some
 * past its thresholds; care home residence; dementia care plan reviews
 * and learning disability health checks; repeat medicines. Codes come from the
 * user's code lists ($PCCS_CODELISTS); medicine codes are made up (not real
 * dm+d codes). Synthetic: every file says so in its first row.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/xalloc.h"
#include "calc/rand.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "model/build.h"
#include "model/tree.h"
#include "sources/codelists.h"

/* QOF register -> the code list its diagnosis codes come from. */
struct grp {
    const char *qof, *list;
    int min_age;
    double age_pow; /* older patients weigh (1 + age/30)^age_pow */
};

static const struct grp groups[] = {
    {"AF", "efi-atrial-fibrillation", 18, 3},
    {"CHD", "efi-chd", 18, 3},
    {"CKD", "efi-ckd", 18, 3},
    {"DM", "efi-diabetes", 17, 2},
    {"HF", "efi-heart-failure", 18, 3},
    {"HYP", "efi-hypertension", 18, 2},
    {"STIA", "efi-stroke-tia", 18, 3},
    {"COPD", "efi-respiratory-disease", 35, 2},
    {"DEM", "dementia", 40, 6},
    {"LD", "learning-disability", 0, 0},
    {"OST", "efi-osteoporosis", 50, 3},
    {"PAD", "efi-pvd", 18, 3},
    {"RA", "efi-arthritis", 16, 1},
};
#define NGROUPS (sizeof(groups) / sizeof(groups[0]))

/* Approximate share of a list by five-year band (0-4 ... 95+). */
static const double band_share[20] = {5.6, 6.0, 6.0, 5.6, 6.0, 6.6, 6.8,
                                      6.6, 6.2, 6.5, 6.9, 6.6, 5.7, 5.0,
                                      5.0, 3.6, 2.6, 1.6, 0.7, 0.2};

struct prac {
    char code[8];
    int64_t registered;
    double prev[NGROUPS]; /* < 0: none of its own */
};

struct codes {
    int64_t *v;
    size_t n;
};

/*
 * Recorded values the eFI reads (data/rules/efi-values.csv's lists): a
 * typical value and one past the rule's threshold, for the generator only.
 */
struct measure {
    const char *list;
    double normal, abnormal;
};

static const struct measure measures[] = {
    {"efi-value-egfr", 82, 48},           {"efi-value-haemoglobin", 138, 104},
    {"efi-value-tsh", 2.1, 7.4},          {"efi-value-abpm-systolic", 128, 146},
    {"efi-value-abpm-diastolic", 76, 91}, {"efi-value-barthel", 20, 14},
    {"efi-value-abpi", 1.08, 0.82},       {"efi-value-must", 0, 2},
};
#define NMEASURES (sizeof(measures) / sizeof(measures[0]))

struct sp {
    const char *in, *outdir, *seed_s, *at_s, *history_s, *layout;
    int64_t seed, history;
    pccs_day at;
    bool csv, ndjson;
    struct prac *p;
    size_t n, cap;
    char period[32];
    struct codes grp_codes[NGROUPS];
    struct codes deficit[40]; /* the efi-* lists not a register's */
    size_t ndeficit;
    struct codes care_home, care_plan, ld_check;
    struct codes value_codes[NMEASURES];
    int64_t falls_list;
    FILE *f[8];
    char prov[256];
    bool first[8];
    uint64_t nevents, nmeds, npatients;
};

enum { O_PAT, O_REG, O_EV, O_MED, O_NPAT, O_NCOND, O_NOBS, O_NMED, O_N };

static const char *const out_names[O_N] = {
    "patients.csv",        "practice_registrations.csv",
    "clinical_events.csv", "medications.csv",
    "Patient.ndjson",      "Condition.ndjson",
    "Observation.ndjson",  "MedicationRequest.ndjson"};

static const char *const csv_headers[4] = {
    "patient_id,date_of_birth,sex,date_of_death,pccs_provenance",
    "patient_id,practice_code,start_date,end_date,pccs_provenance",
    "patient_id,date,snomedct_code,numeric_value,pccs_provenance",
    "patient_id,date,dmd_code,pccs_provenance"};

/* The provenance: on the first row of every file only. */
static const char *
prov_csv(struct sp *s, int o)
{
    if (!s->first[o])
        return "";
    s->first[o] = false;
    return s->prov;
}

static void
prov_json(struct sp *s, int o)
{
    if (!s->first[o])
        return;
    s->first[o] = false;
    fprintf(s->f[o],
            ",\"meta\":{\"tag\":[{\"system\":\"urn:pccs:provenance\","
            "\"code\":\"synthetic\",\"display\":\"%s\"}]}",
            s->prov);
}

static void
day_text(pccs_day d, char *buf)
{
    pccs_date_format(d, buf);
}

static void
emit_patient(struct sp *s, const char *id, const char *prac, char sex,
             pccs_day birth, pccs_day reg_start)
{
    char b[16], r[16];
    day_text(birth, b);
    day_text(reg_start, r);
    const char *g = sex == 'M' ? "male" : sex == 'F' ? "female" : "unknown";
    if (s->csv) {
        fprintf(s->f[O_PAT], "%s,%s,%c,,%s\n", id, b, sex, prov_csv(s, O_PAT));
        fprintf(s->f[O_REG], "%s,%s,%s,,%s\n", id, prac, r, prov_csv(s, O_REG));
    }
    if (s->ndjson) {
        fprintf(s->f[O_NPAT], "{\"resourceType\":\"Patient\",\"id\":\"%s\"",
                id);
        prov_json(s, O_NPAT);
        fprintf(s->f[O_NPAT],
                ",\"gender\":\"%s\",\"birthDate\":\"%s\","
                "\"generalPractitioner\":[{\"identifier\":{\"system\":"
                "\"https://fhir.nhs.uk/Id/ods-organization-code\","
                "\"value\":\"%s\"}}]}\n",
                g, b, prac);
    }
    s->npatients++;
}

/* A clinical event: a Condition, or an Observation when it has a value. */
static void
emit_event(struct sp *s, const char *id, int64_t code, pccs_day day,
           double value)
{
    char d[16];
    day_text(day, d);
    if (s->csv) {
        if (value >= 0)
            fprintf(s->f[O_EV], "%s,%s,%lld,%g,%s\n", id, d, (long long)code,
                    value, prov_csv(s, O_EV));
        else
            fprintf(s->f[O_EV], "%s,%s,%lld,,%s\n", id, d, (long long)code,
                    prov_csv(s, O_EV));
    }
    if (s->ndjson) {
        int o = value >= 0 ? O_NOBS : O_NCOND;
        fprintf(s->f[o], "{\"resourceType\":\"%s\",\"id\":\"%s-%llu\"",
                value >= 0 ? "Observation" : "Condition", id,
                (unsigned long long)s->nevents);
        prov_json(s, o);
        fprintf(s->f[o],
                ",\"subject\":{\"reference\":\"Patient/%s\"},\"code\":{"
                "\"coding\":[{\"system\":\"http://snomed.info/sct\","
                "\"code\":\"%lld\"}]},",
                id, (long long)code);
        if (value >= 0)
            fprintf(s->f[o],
                    "\"effectiveDateTime\":\"%s\",\"valueQuantity\":{"
                    "\"value\":%g}}\n",
                    d, value);
        else
            fprintf(s->f[o], "\"recordedDate\":\"%s\"}\n", d);
    }
    s->nevents++;
}

static void
emit_med(struct sp *s, const char *id, int64_t code, pccs_day day)
{
    char d[16];
    day_text(day, d);
    if (s->csv)
        fprintf(s->f[O_MED], "%s,%s,%lld,%s\n", id, d, (long long)code,
                prov_csv(s, O_MED));
    if (s->ndjson) {
        fprintf(s->f[O_NMED],
                "{\"resourceType\":\"MedicationRequest\",\"id\":\"%s-m%llu\"",
                id, (unsigned long long)s->nmeds);
        prov_json(s, O_NMED);
        fprintf(s->f[O_NMED],
                ",\"status\":\"active\",\"intent\":\"order\",\"subject\":{"
                "\"reference\":\"Patient/%s\"},\"medicationCodeableConcept\":"
                "{\"coding\":[{\"system\":\"https://dmd.nhs.uk\",\"code\":"
                "\"%lld\"}]},\"authoredOn\":\"%s\"}\n",
                id, (long long)code, d);
    }
    s->nmeds++;
}

/* One generated patient. */
struct pat {
    pccs_day birth;
    int age;
    char sex;
    double frail;
    uint32_t groups; /* bit g: on register groups[g] */
    double key;
};

static void
make_people(uint64_t *rs, struct pat *p, int64_t n, pccs_day at)
{
    double total = 0;
    for (int b = 0; b < 20; b++)
        total += band_share[b];
    for (int64_t i = 0; i < n; i++) {
        double u = pccs_rand_uniform(rs) * total, acc = 0;
        int b = 0;
        while (b < 19 && (acc += band_share[b]) < u)
            b++;
        int age = b * 5 + (int)(pccs_rand_uniform(rs) * (b == 19 ? 8 : 5));
        double female = age < 60 ? 0.49 : age < 80 ? 0.52 : 0.6;
        p[i].sex = pccs_rand_uniform(rs) < female ? 'F' : 'M';
        p[i].birth =
            at - (pccs_day)(age * 365.25 + pccs_rand_uniform(rs) * 364);
        p[i].age = age;
        p[i].frail = pccs_rand_uniform(rs) * pccs_rand_uniform(rs) *
                     pccs_rand_uniform(rs) * 4;
        p[i].groups = 0;
    }
}

static int
by_key(const void *a, const void *b)
{
    const struct pat *x = *(struct pat *const *)a, *y = *(struct pat *const *)b;
    return (x->key < y->key) - (x->key > y->key);
}

/* Exactly round(prev x n) of the eligible, older ones more likely. */
static void
registers(uint64_t *rs, struct pat *p, int64_t n, const struct prac *pr,
          struct pat **order)
{
    for (size_t g = 0; g < NGROUPS; g++) {
        if (pr->prev[g] <= 0)
            continue;
        int64_t k = llround(pr->prev[g] * (double)n), m = 0;
        for (int64_t i = 0; i < n; i++) {
            double w = pow(1.0 + p[i].age / 30.0, groups[g].age_pow);
            p[i].key = p[i].age >= groups[g].min_age
                           ? pow(pccs_rand_uniform(rs), 1.0 / w)
                           : -1.0 - pccs_rand_uniform(rs);
            order[m++] = &p[i];
        }
        qsort(order, (size_t)m, sizeof(*order), by_key);
        for (int64_t i = 0; i < k && i < m && order[i]->key >= 0; i++)
            order[i]->groups |= 1u << g;
    }
}

static int64_t
pick(uint64_t *rs, const struct codes *c)
{
    return c->n ? c->v[pccs_rand_next(rs) % c->n] : 0;
}

/* A day in the patient's adult past (the last 20 years, > 30 days ago). */
static pccs_day
past_day(uint64_t *rs, const struct pat *p, pccs_day at, int min_age)
{
    pccs_day lo = p->birth + (pccs_day)(min_age * 365.25);
    if (lo < at - 7305)
        lo = at - 7305;
    if (lo > at - 30)
        lo = at - 30;
    return lo + (pccs_day)(pccs_rand_uniform(rs) * (double)(at - 30 - lo));
}

/*
 * Dementia care plan reviews and learning disability health checks (when
 * the user's code lists have an ld-health-check list): about two in
 * three in the last 12 months, the others earlier.
 */
static void
reviews(struct sp *s, uint64_t *rs, const char *id, const struct pat *p)
{
    for (size_t g = 0; g < NGROUPS; g++) {
        bool dem = !strcmp(groups[g].qof, "DEM");
        bool ld = !strcmp(groups[g].qof, "LD") && p->age >= 14;
        const struct codes *c = dem ? &s->care_plan : &s->ld_check;
        if (!((p->groups >> g) & 1u) || !(dem || ld) || !c->n)
            continue;
        pccs_day d =
            pccs_rand_uniform(rs) < 0.65
                ? s->at - (pccs_day)(pccs_rand_uniform(rs) * 360)
                : s->at - 400 - (pccs_day)(pccs_rand_uniform(rs) * 300);
        emit_event(s, id, pick(rs, c), d, -1);
    }
}

/* Frailty deficits, care home, dementia reviews; returns deficits. */
static int
frailty(struct sp *s, uint64_t *rs, const char *id, const struct pat *p)
{
    int nd = 0;
    double pd = 0.09 * p->frail * exp((p->age - 65) / 15.0);
    for (size_t d = 0; p->age >= 40 && d < s->ndeficit; d++) {
        if (pccs_rand_uniform(rs) >= (pd < 0.9 ? pd : 0.9))
            continue;
        bool falls = (int64_t)d == s->falls_list;
        emit_event(s, id, pick(rs, &s->deficit[d]), past_day(rs, p, s->at, 40),
                   falls ? 1 + (int)(pccs_rand_next(rs) % 3) : -1);
        nd++;
    }
    for (size_t k = 0; p->age >= 50 && k < NMEASURES; k++) {
        if (!s->value_codes[k].n || pccs_rand_uniform(rs) >= 0.25)
            continue;
        bool bad = pccs_rand_uniform(rs) < (pd < 0.6 ? pd : 0.6);
        emit_event(s, id, pick(rs, &s->value_codes[k]),
                   past_day(rs, p, s->at, 50),
                   bad ? measures[k].abnormal : measures[k].normal);
    }
    double pc = 0.004 * exp((p->age - 65) / 8.0) * (0.5 + p->frail);
    if (p->age >= 65 && pccs_rand_uniform(rs) < (pc < 0.3 ? pc : 0.3) &&
        s->care_home.n)
        emit_event(s, id, pick(rs, &s->care_home), past_day(rs, p, s->at, 60),
                   -1);
    reviews(s, rs, id, p);
    return nd;
}

/* Repeat medicines, issued every 8 weeks over the last year. */
static void
medicines(struct sp *s, uint64_t *rs, const char *id, const struct pat *p,
          int nconds, int ndef)
{
    int nm = (int)(nconds * 1.3 + ndef * 0.25 + (p->age >= 65) +
                   pccs_rand_uniform(rs) * 1.5);
    for (int m = 0; m < nm; m++) {
        int64_t code = 3000000 + (int64_t)(pccs_rand_next(rs) % 400);
        for (int t = (int)(pccs_rand_next(rs) % 56); t < 365; t += 56)
            emit_med(s, id, code, s->at - t);
    }
}

static void
one_patient(struct sp *s, uint64_t *rs, const struct prac *pr,
            const struct pat *p, int64_t seq)
{
    char id[32];
    snprintf(id, sizeof(id), "%s-%06lld", pr->code, (long long)seq);
    pccs_day start =
        p->birth + (pccs_day)(pccs_rand_uniform(rs) * (s->at - p->birth));
    emit_patient(s, id, pr->code, p->sex, p->birth, start);
    int nconds = 0;
    int64_t mine[NGROUPS];
    for (size_t g = 0; g < NGROUPS; g++) {
        if (!((p->groups >> g) & 1u) || !s->grp_codes[g].n)
            continue;
        mine[nconds++] = pick(rs, &s->grp_codes[g]);
        emit_event(s, id, mine[nconds - 1],
                   past_day(rs, p, s->at, groups[g].min_age), -1);
    }
    int ndef = frailty(s, rs, id, p);
    for (int64_t h = 0; nconds && h < s->history; h++)
        emit_event(s, id, mine[pccs_rand_next(rs) % (uint64_t)nconds],
                   past_day(rs, p, s->at, 0), (int)(pccs_rand_next(rs) % 100));
    medicines(s, rs, id, p, nconds, ndef);
}

static void
one_practice(struct sp *s, const struct prac *pr)
{
    uint64_t rs = (uint64_t)s->seed * 0x100000001B3ULL;
    for (const char *c = pr->code; *c; c++)
        rs = rs * 31 + (unsigned char)*c;
    int64_t n = pr->registered;
    struct pat *p = pccs_xcalloc((size_t)n + 1, sizeof(*p));
    struct pat **order = pccs_xcalloc((size_t)n + 1, sizeof(*order));
    make_people(&rs, p, n, s->at);
    registers(&rs, p, n, pr, order);
    for (int64_t i = 0; i < n; i++)
        one_patient(s, &rs, pr, &p[i], i + 1);
    free(order);
    free(p);
}

struct gath {
    struct sp *s;
    const struct pccs_tree *t;
    int in_org;
    pccs_day snap;
    struct pccs_hmap idx; /* practice -> index + 1 */
    double (*reg)[NGROUPS], (*list)[NGROUPS];
    double all_reg[NGROUPS], all_list[NGROUPS];
};

static int
prac_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct gath *g = ctx;
    struct sp *s = g->s;
    int org = pccs_tree_find(g->t, f->org);
    if (org < 0 || g->t->orgs[org].level != PCCS_PRACTICE || f->value < 1 ||
        !pccs_build_within(g->t, org, g->in_org, g->snap, f->source_id))
        return 0;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->p = pccs_xreallocarray(s->p, s->cap, sizeof(*s->p));
    }
    struct prac *p = &s->p[s->n++];
    snprintf(p->code, sizeof(p->code), "%s", f->org);
    p->registered = (int64_t)f->value;
    bool created;
    pccs_hmap_put(&g->idx, f->org, strlen(f->org), &created)->ival =
        (int64_t)s->n;
    return 0;
}

static int
qof_cb(void *ctx, const struct pccs_fact_row *f, bool is_list)
{
    struct gath *g = ctx;
    size_t k = 0;
    while (k < NGROUPS && strcmp(groups[k].qof, f->dim))
        k++;
    if (k == NGROUPS)
        return 0;
    const struct pccs_hmap_entry *e =
        pccs_hmap_get(&g->idx, f->org, strlen(f->org));
    if (!e)
        return 0;
    (is_list ? g->list : g->reg)[e->ival - 1][k] = f->value;
    return 0;
}

static int
qof_reg_cb(void *ctx, const struct pccs_fact_row *f)
{
    return qof_cb(ctx, f, false);
}

static int
qof_list_cb(void *ctx, const struct pccs_fact_row *f)
{
    return qof_cb(ctx, f, true);
}

/* Each practice's prevalence, else that of the practices that have one. */
static void
prevalences(struct gath *g)
{
    struct sp *s = g->s;
    for (size_t i = 0; i < s->n; i++)
        for (size_t k = 0; k < NGROUPS; k++)
            if (g->list[i][k] > 0) {
                g->all_reg[k] += g->reg[i][k];
                g->all_list[k] += g->list[i][k];
            }
    for (size_t i = 0; i < s->n; i++)
        for (size_t k = 0; k < NGROUPS; k++)
            s->p[i].prev[k] = g->list[i][k] > 0 ? g->reg[i][k] / g->list[i][k]
                              : g->all_list[k] > 0
                                  ? g->all_reg[k] / g->all_list[k]
                                  : 0;
}

static int
gather(struct sp *s, struct pccs_store *st, struct pccs_tree *t,
       struct pccs_err *err)
{
    struct gath g = {.s = s, .t = t, .in_org = -1};
    int rc = pccs_tree_load(t, st, err);
    if (!rc)
        rc = pccs__synth_snapshot(st, s->period, sizeof(s->period), err);
    if (!rc)
        g.in_org = pccs_tree_find(t, s->in);
    if (!rc && g.in_org < 0)
        rc =
            pccs_err_set(err, PCCS_ENOTFOUND, "unknown organisation %s", s->in);
    if (rc)
        return rc;
    pccs_date_parse(pccs_str_from(s->period), &g.snap);
    rc = pccs_store_facts_each(st, "registered", s->period, NULL, prac_cb, &g,
                               err);
    g.reg = pccs_xcalloc(s->n + 1, sizeof(*g.reg));
    g.list = pccs_xcalloc(s->n + 1, sizeof(*g.list));
    if (!rc)
        rc = pccs_store_facts_each(st, "qof_register", NULL, NULL, qof_reg_cb,
                                   &g, err);
    if (!rc)
        rc = pccs_store_facts_each(st, "qof_list_size", NULL, NULL, qof_list_cb,
                                   &g, err);
    if (!rc)
        prevalences(&g);
    if (!rc && !s->n)
        rc = pccs_err_set(err, PCCS_ENOTFOUND,
                          "%s has no practices with registered patients on %s",
                          s->in, s->period);
    free(g.reg);
    free(g.list);
    pccs_hmap_release(&g.idx);
    return rc;
}

/* The codes of list name found in no other list (all if there are none). */
static void
list_codes(const struct pccs_codelists *cl, const char *name, struct codes *c)
{
    int i = pccs_codelists_find(cl, name);
    c->n = pccs_codelists_codes(cl, i, &c->v);
    size_t k = 0;
    for (size_t j = 0; j < c->n; j++)
        if (pccs_codelists_mask(cl, c->v[j]) == (uint64_t)1 << i)
            c->v[k++] = c->v[j];
    if (k)
        c->n = k;
}

/* The codes of every list the generator draws from. */
static void
codes_setup(struct sp *s, const struct pccs_codelists *cl)
{
    for (size_t g = 0; g < NGROUPS; g++)
        list_codes(cl, groups[g].list, &s->grp_codes[g]);
    s->falls_list = -1;
    for (size_t i = 0; i < cl->n && s->ndeficit < 40; i++) {
        const char *name = cl->names[i];
        bool reg = false;
        for (size_t g = 0; g < NGROUPS; g++)
            reg |= !strcmp(groups[g].list, name);
        if (strncmp(name, "efi-", 4) || reg)
            continue;
        if (!strcmp(name, "efi-falls"))
            s->falls_list = (int64_t)s->ndeficit;
        list_codes(cl, name, &s->deficit[s->ndeficit++]);
    }
    list_codes(cl, "care-home-residence", &s->care_home);
    list_codes(cl, "dementia-care-plan", &s->care_plan);
    list_codes(cl, "ld-health-check", &s->ld_check);
    for (size_t k = 0; k < NMEASURES; k++)
        if (pccs_codelists_find(cl, measures[k].list) >= 0)
            list_codes(cl, measures[k].list, &s->value_codes[k]);
}

static void
codes_free(struct sp *s)
{
    for (size_t g = 0; g < NGROUPS; g++)
        free(s->grp_codes[g].v);
    for (size_t d = 0; d < s->ndeficit; d++)
        free(s->deficit[d].v);
    free(s->care_home.v);
    free(s->care_plan.v);
    free(s->ld_check.v);
    for (size_t k = 0; k < NMEASURES; k++)
        free(s->value_codes[k].v);
}

static int
open_outs(struct sp *s, struct pccs_err *err)
{
    mkdir(s->outdir, 0777);
    for (int o = 0; o < O_N; o++) {
        if ((o < O_NPAT && !s->csv) || (o >= O_NPAT && !s->ndjson))
            continue;
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", s->outdir, out_names[o]);
        s->f[o] = fopen(path, "w");
        if (!s->f[o])
            return pccs_err_set(err, PCCS_EIO, "%s: cannot write", path);
        s->first[o] = true;
        if (o < O_NPAT)
            fprintf(s->f[o], "%s\n", csv_headers[o]);
    }
    return PCCS_OK;
}

static int
close_outs(struct sp *s, struct pccs_err *err)
{
    int rc = PCCS_OK;
    for (int o = 0; o < O_N; o++)
        if (s->f[o] && fclose(s->f[o]) != 0 && !rc)
            rc = pccs_err_set(err, PCCS_EIO, "%s/%s: cannot write", s->outdir,
                              out_names[o]);
    return rc;
}

static int
parse(struct pccs_global *g, struct sp *s, int argc, char **argv, bool *stop)
{
    struct pccs_opt opts[] = {
        {"in", &s->in, NULL},
        {"out", &s->outdir, NULL},
        {"seed", &s->seed_s, NULL},
        {"at", &s->at_s, NULL},
        {"history", &s->history_s, NULL},
        {"layout", &s->layout, NULL},
    };
    char *pos[1];
    size_t npos;
    *stop = true;
    int rc = pccs_cmd_args(g, argc, argv, opts, PCCS_LEN(opts), pos, 1, &npos);
    if (rc != PCCS_CMD_GO)
        return rc;
    if (!s->in || !s->outdir)
        return pccs_cmd_usage("synth", "patients needs --in ORG --out DIR");
    if (pccs_str_to_i64(pccs_str_from(s->seed_s), &s->seed) ||
        pccs_str_to_i64(pccs_str_from(s->history_s), &s->history) ||
        s->history < 0)
        return pccs_cmd_usage("synth", "--seed and --history are whole "
                                       "numbers");
    if (pccs_cmd_date("synth", s->at_s, &s->at))
        return PCCS_EXIT_USAGE;
    s->csv = strcmp(s->layout, "ndjson") != 0;
    s->ndjson = strcmp(s->layout, "csv") != 0;
    *stop = false;
    return 0;
}

int
pccs_cmd_synth_patients(struct pccs_global *g, int argc, char **argv)
{
    struct sp s = {.seed_s = "1",
                   .at_s = "2026-04-01",
                   .history_s = "0",
                   .layout = "both"};
    bool stop;
    int rc = parse(g, &s, argc, argv, &stop);
    if (stop)
        return rc;
    struct pccs_store *st;
    rc = pccs_cmd_open_store(g, &st);
    if (rc)
        return rc;
    struct pccs_tree t = PCCS_TREE_INIT;
    struct pccs_err err = PCCS_ERR_INIT;
    struct pccs_codelists cl = PCCS_CODELISTS_INIT;
    rc = pccs_codelists_load_default(&cl, &err);
    if (!rc)
        rc = gather(&s, st, &t, &err);
    snprintf(s.prov, sizeof(s.prov),
             "synthetic: pccs synth patients --in %s --seed %lld --at %s "
             "(made-up patients; medicine codes are not real dm+d codes)",
             s.in, (long long)s.seed, s.at_s);
    if (!rc)
        codes_setup(&s, &cl);
    if (!rc)
        rc = open_outs(&s, &err);
    for (size_t i = 0; !rc && i < s.n; i++)
        one_practice(&s, &s.p[i]);
    int crc = close_outs(&s, &err);
    if (!rc)
        rc = crc;
    if (!rc)
        fprintf(stderr,
                "pccs synth: %zu practices of %s, %llu patients, %llu "
                "clinical events, %llu medication issues in %s (synthetic, "
                "seed %lld, as at %s)\n",
                s.n, s.in, (unsigned long long)s.npatients,
                (unsigned long long)s.nevents, (unsigned long long)s.nmeds,
                s.outdir, (long long)s.seed, s.at_s);
    else
        pccs_cmd_fail(PCCS_EXIT_INPUT, "%s", err.msg);
    codes_free(&s);
    free(s.p);
    pccs_codelists_release(&cl);
    pccs_tree_release(&t);
    pccs_store_free(st);
    return pccs_cmd_exit(rc);
}
