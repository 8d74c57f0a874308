/* SPDX-License-Identifier: MIT */
/*
 * Patients Registered at a GP Practice (NHS Digital, monthly): the
 * practice-level files for all persons (gp-reg-pat-prac-all), by single
 * year of age (gp-reg-pat-prac-sing-age-male / -female) and by five-year
 * band (gp-reg-pat-prac-quin-age).
 *
 * All three share one layout family: PUBLICATION, EXTRACT_DATE, TYPE, the
 * CCG or sub-ICB code (ONS and ODS), the practice code (CODE or ORG_CODE),
 * POSTCODE, SEX, AGE (or AGE_GROUP_5) and NUMBER_OF_PATIENTS. The rows
 * say which variant a file is: SEX=ALL and AGE=ALL is a total, SEX=MALE
 * or FEMALE with AGE a year (0..94, "95+") or a band ("0_4", "95+"); the
 * band files name the column AGE_GROUP_5 in some years and AGE in others,
 * so the values, not the column name, decide.
 *
 * Facts written, for the period of EXTRACT_DATE:
 *   registered        dim ""            all persons
 *   registered_sex    dim "M" / "F"     a sex's total (AGE=ALL)
 *   registered_age    dim "M:37"        single year of age ("M:95+")
 *   registered_band   dim "F:5_9"       five-year band
 * and the practice (with postcode) and its CCG / sub-ICB membership as
 * observed on the extract date.
 */
#include "sources/sources.h"

#include <stdio.h>
#include <string.h>

#include "base/hmap.h"
#include "base/xalloc.h"

enum {
    C_PUBLICATION,
    C_EXTRACT_DATE,
    C_TYPE,
    C_SUB_ICB,
    C_ONS_SUB_ICB,
    C_CODE,
    C_POSTCODE,
    C_SEX,
    C_AGE,
    C_PATIENTS,
    C_N
};

#define SUB_ICB_NAMES "CCG_CODE|SUB_ICB_LOCATION_CODE|SUB_ICB_LOC_CODE"
#define ONS_SUB_ICB_NAMES                                                      \
    "ONS_CCG_CODE|ONS_SUB_ICB_LOCATION_CODE|ONS_SUB_ICB_LOC_CODE"

/* The layouts differ only in the name of the age column. */
/* clang-format off */
#define REG_COLS(age_names)                                                    \
    {                                                                          \
        {"PUBLICATION", false},                                                \
        {"EXTRACT_DATE", false},                                               \
        {"TYPE", false},                                                       \
        {SUB_ICB_NAMES, false},                                                \
        {ONS_SUB_ICB_NAMES, true},                                             \
        {"CODE|ORG_CODE|PRACTICE_CODE", false},                                \
        {"POSTCODE", true},                                                    \
        {"SEX", false},                                                        \
        {(age_names), false},                                                  \
        {"NUMBER_OF_PATIENTS", false},                                         \
    }
/* clang-format on */

static const struct pccs_col reg_cols[C_N] = REG_COLS("AGE");
static const struct pccs_col quin_cols[C_N] =
    REG_COLS("AGE_GROUP_5|AGE_GROUP|AGE_BAND");

enum variant { V_UNKNOWN, V_ALL, V_SING, V_QUIN };

/*
 * Which (measure, sex, age) rows a practice has had, as bits, so that a
 * second row for the same practice, sex and age is refused with the line
 * of the first, in a few bytes per practice however large the file.
 * Slot: persons total 0; sex totals 1-2; single ages 3-194 (96 per sex);
 * bands 195-234 (20 per sex).
 */
#define SLOTS 256

struct seen_rows {
    uint64_t bits[SLOTS / 64];
    int64_t first_line; /* line of the practice's first row */
};

static int
age_index(struct pccs_str a)
{
    if (pccs_str_eq(a, "95+"))
        return 95;
    int64_t v;
    if (pccs_str_to_i64(a, &v) == PCCS_OK && v >= 0 && v <= 94)
        return (int)v;
    return -1;
}

static int
band_index(struct pccs_str a)
{
    if (pccs_str_eq(a, "95+"))
        return 19;
    int64_t lo;
    size_t k = 0;
    while (k < a.len && a.p[k] != '_' && a.p[k] != '-')
        k++;
    int64_t hi;
    if (k == a.len || pccs_str_to_i64((struct pccs_str){a.p, k}, &lo) ||
        lo % 5 || lo < 0 || lo > 90 ||
        pccs_str_to_i64((struct pccs_str){a.p + k + 1, a.len - k - 1}, &hi) ||
        hi != lo + 4)
        return -1;
    return (int)(lo / 5);
}

static int
slot_of(const char *measure, int sex, struct pccs_str age)
{
    int s = sex == 'F';
    if (strcmp(measure, "registered") == 0)
        return 0;
    if (strcmp(measure, "registered_sex") == 0)
        return 1 + s;
    if (strcmp(measure, "registered_age") == 0)
        return 3 + s * 96 + age_index(age);
    return 195 + s * 20 + band_index(age);
}

/* "37", "0", "95+" -> true for a single year of age 0..95+. */
static bool
is_single_age(struct pccs_str a)
{
    if (pccs_str_eq(a, "95+"))
        return true;
    int64_t v;
    return pccs_str_to_i64(a, &v) == PCCS_OK && v >= 0 && v <= 94;
}

static int
sex_code(struct pccs_str s)
{
    if (pccs_str_ieq(s, "MALE") || pccs_str_ieq(s, "M"))
        return 'M';
    if (pccs_str_ieq(s, "FEMALE") || pccs_str_ieq(s, "F"))
        return 'F';
    if (pccs_str_ieq(s, "ALL"))
        return 'A';
    return 0;
}

/* One row of a registrations file, as read and classified. */
struct reg_row {
    struct pccs_str code, sub_icb, sex_s, age, ons, postcode;
    int64_t n;
    int sex;
    const char *measure;
    char dim[32];
};

static int
reg_read_row(struct pccs_load *ld, const int *idx,
             const struct pccs_csv_record *rec, bool quin, pccs_day *extract,
             struct reg_row *row, struct pccs_err *err)
{
    row->ons = row->postcode = PCCS_STR_EMPTY;
    int rc = pccs_load_same_date(ld, err, rec, idx[C_EXTRACT_DATE],
                                 "EXTRACT_DATE", extract);
    if (rc)
        return rc;
    struct pccs_load_spec f[] = {
        PCCS_LOAD_STR(C_CODE, "CODE", pccs_load_practice_code, &row->code),
        PCCS_LOAD_STR(C_SUB_ICB, "CCG_CODE", pccs_load_ods_code, &row->sub_icb),
        PCCS_LOAD_STR(C_SEX, "SEX", pccs_load_text, &row->sex_s),
        PCCS_LOAD_STR(C_AGE, quin ? "AGE_GROUP_5" : "AGE", pccs_load_text,
                      &row->age),
        PCCS_LOAD_COUNT(C_PATIENTS, "NUMBER_OF_PATIENTS", &row->n),
        PCCS_LOAD_OPT(C_ONS_SUB_ICB, "ONS_CCG_CODE", pccs_load_field,
                      &row->ons),
        PCCS_LOAD_OPT(C_POSTCODE, "POSTCODE", pccs_load_field, &row->postcode),
    };
    return pccs_load_fields(ld, err, rec, idx, f, PCCS_LEN(f));
}

/*
 * The measure and dimension of a row from its sex and age; *var is the
 * variant of the file as far as its rows have told it.
 */
static int
reg_classify(struct pccs_load *ld, const int *idx,
             const struct pccs_csv_record *rec, bool quin, enum variant *var,
             struct reg_row *row, struct pccs_err *err)
{
    int sex = sex_code(row->sex_s);
    struct pccs_str age = row->age;
    char *dim = row->dim;
    row->sex = sex;
    if (!sex)
        return pccs_load_field_err(ld, err, rec, idx[C_SEX], "SEX",
                                   "ALL, MALE or FEMALE");
    if (pccs_str_ieq(age, "ALL")) {
        if (sex == 'A') {
            row->measure = "registered";
            dim[0] = '\0';
            if (*var == V_UNKNOWN)
                *var = V_ALL;
        }
        else {
            row->measure = "registered_sex";
            snprintf(dim, sizeof(row->dim), "%c", sex);
        }
    }
    else if (sex != 'A' && (band_index(age) >= 0) &&
             (*var == V_QUIN || !pccs_str_eq(age, "95+"))) {
        row->measure = "registered_band";
        snprintf(dim, sizeof(row->dim), "%c:%.*s", sex, (int)age.len, age.p);
        for (char *p = dim; *p; p++) {
            if (*p == '-')
                *p = '_';
        }
        *var = V_QUIN;
    }
    else if (sex != 'A' && *var != V_QUIN && is_single_age(age)) {
        row->measure = "registered_age";
        snprintf(dim, sizeof(row->dim), "%c:%.*s", sex, (int)age.len, age.p);
        *var = V_SING;
    }
    else {
        return pccs_load_field_err(
            ld, err, rec, idx[C_AGE], quin ? "AGE_GROUP_5" : "AGE",
            "ALL, a single year of age (0 ... 94, 95+) or a five-year "
            "band (0_4 ... 90_94, 95+)");
    }
    return PCCS_OK;
}

/* Refuse a second row for the same practice, sex and age. */
static int
reg_once(struct pccs_load *ld, struct pccs_hmap *seen, const int *idx,
         const struct pccs_csv_record *rec, const struct reg_row *row,
         struct pccs_err *err)
{
    bool created;
    struct pccs_hmap_entry *e =
        pccs_hmap_put(seen, row->code.p, row->code.len, &created);
    if (created) {
        e->ptr = pccs_arena_calloc(&ld->arena, 1, sizeof(struct seen_rows));
        ((struct seen_rows *)e->ptr)->first_line = rec->line;
    }
    struct seen_rows *sr = e->ptr;
    int slot = slot_of(row->measure, row->sex, row->age);
    if (sr->bits[slot / 64] & (UINT64_C(1) << (slot % 64)))
        return pccs_err_at(
            err, PCCS_EPARSE, ld->name, rec->line, idx[C_CODE] + 1,
            "CODE: expected one row per practice%s, found "
            "%.*s again (its rows start on line %lld)",
            row->dim[0] ? ", sex and age" : "", (int)row->code.len, row->code.p,
            (long long)sr->first_line);
    sr->bits[slot / 64] |= UINT64_C(1) << (slot % 64);
    return PCCS_OK;
}

/* The practice (with postcode) and its CCG / sub-ICB on the extract date. */
static int
reg_describe(struct pccs_load *ld, const struct reg_row *row, const char *code,
             pccs_day extract, struct pccs_err *err)
{
    struct pccs_org_row prac = {
        .code = code,
        .level = PCCS_LEVEL_PRACTICE,
        .postcode =
            row->postcode.len ? pccs_load_cstr(ld, row->postcode) : NULL,
        .open_date = PCCS_DAY_NONE,
        .close_date = PCCS_DAY_NONE,
        .as_of = extract,
    };
    int rc = pccs_load_org(ld, &prac, err);
    if (!rc)
        rc = pccs_load_named_org(ld, row->sub_icb, PCCS_LEVEL_SUB_ICB,
                                 PCCS_STR_EMPTY, row->ons, extract, err);
    if (!rc)
        rc = pccs_load_link(ld, row->code, row->sub_icb, PCCS_LEVEL_SUB_ICB,
                            extract, PCCS_DAY_NONE, true, err);
    return rc;
}

static int
load_reg(struct pccs_load *ld, struct pccs_csv_reader *r,
         const struct pccs_csv_record *first, const struct pccs_col *cols,
         bool quin, struct pccs_err *err)
{
    int idx[C_N];
    pccs_cols_bind(cols, C_N, first, idx);
    struct pccs_hmap seen = PCCS_HMAP_INIT;
    struct pccs_csv_record rec;
    enum variant var = quin ? V_QUIN : V_UNKNOWN;
    pccs_day extract = PCCS_DAY_NONE;
    char last_practice[8] = "";
    int rc;

    while ((rc = pccs_csv_next(r, &rec, err)) == 1) {
        struct reg_row row;
        rc = reg_read_row(ld, idx, &rec, quin, &extract, &row, err);
        if (!rc)
            rc = reg_classify(ld, idx, &rec, quin, &var, &row, err);
        if (!rc)
            rc = reg_once(ld, &seen, idx, &rec, &row, err);
        /* Rows come grouped by practice: describe each practice once. */
        if (!rc && !pccs_str_eq(row.code, last_practice)) {
            pccs_str_copy(row.code, last_practice, sizeof(last_practice));
            rc = reg_describe(ld, &row, last_practice, extract, err);
        }
        if (!rc)
            rc = pccs_load_fact(ld, row.measure, row.code, row.dim,
                                (double)row.n, err);
        if (rc)
            break;
        pccs_load_row(ld, pccs_csv_offset(r));
    }
    if (rc > 0)
        rc = PCCS_OK;
    if (!rc && var == V_SING) {
        ld->src.kind = pccs_source_gp_reg_sing_age.kind;
        ld->src.publication = pccs_source_gp_reg_sing_age.publication;
    }
    else if (!rc && var == V_QUIN) {
        ld->src.kind = pccs_source_gp_reg_quin_age.kind;
        ld->src.publication = pccs_source_gp_reg_quin_age.publication;
    }
    pccs_hmap_release(&seen);
    return rc;
}

static int
load_reg_all(struct pccs_load *ld, struct pccs_csv_reader *r,
             const struct pccs_csv_record *first, struct pccs_err *err)
{
    return load_reg(ld, r, first, reg_cols, false, err);
}

static int
load_reg_quin(struct pccs_load *ld, struct pccs_csv_reader *r,
              const struct pccs_csv_record *first, struct pccs_err *err)
{
    return load_reg(ld, r, first, quin_cols, true, err);
}

PCCS_CSV_KIND(pccs_source_gp_reg_all, "gp_reg_all",
              "Patients Registered at a GP Practice", reg_cols, load_reg_all);

/*
 * Same header as the all-persons file: recognised as gp_reg_all and
 * renamed by the loader once the rows show single years of age.
 */
const struct pccs_source_kind pccs_source_gp_reg_sing_age = {
    .kind = "gp_reg_sing_age",
    .publication =
        "Patients Registered at a GP Practice, by single year of age",
};

PCCS_CSV_KIND(pccs_source_gp_reg_quin_age, "gp_reg_quin_age",
              "Patients Registered at a GP Practice, by five-year age band",
              quin_cols, load_reg_quin);
