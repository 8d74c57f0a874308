/* SPDX-License-Identifier: MIT */
/*
 * ODS ePCN workbook (xlsx only): the Primary Care Networks and their core
 * partner practices.
 *
 * Sheet "PCNDetails": PCN Code, PCN Name, the PCN's current CCG (later
 * releases: "Sub ICB Loc") code and name, Open Date, Close Date, address
 * lines and Postcode. Sheet "PCN Core Partner Details": the partner
 * practice's code and name, its parent CCG / sub-ICB, the PCN, the PCN's
 * parent, and the practice-to-PCN relationship's start and end dates.
 * Header cells contain line breaks ("Partner\nOrganisation\nCode"), which
 * column matching ignores. Dates are YYYYMMDD text, or Excel serials in
 * releases that store them as numbers.
 *
 * The workbook carries no extract date: its period is the latest date
 * found in it (an open, close, start or end date), unless --period says.
 *
 * Writes PCN orgs (name, postcode, open and close dates), practice orgs
 * (name), links practice->pcn with the declared start and end dates
 * (observed = false), and practice->sub_icb and pcn->sub_icb as observed
 * on the period date.
 */
#include "sources/sources.h"

#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "base/xalloc.h"

#define DETAILS_SHEET "PCNDetails"
#define PARTNERS_SHEET "PCN Core Partner Details"

enum { D_CODE, D_NAME, D_SUB, D_SUB_NAME, D_OPEN, D_CLOSE, D_POSTCODE, D_N };

static const struct pccs_col details_cols[D_N] = {
    {"PCN Code", false},
    {"PCN Name", false},
    {"Current Clinical Commissioning Group Code|Current Sub ICB Loc Code|"
     "Current Sub ICB Location Code|Current Sub ICB Code",
     false},
    {"Clinical Commissioning Group Name|Sub ICB Loc Name|"
     "Sub ICB Location Name|Current Sub ICB Loc Name",
     true},
    {"Open Date", false},
    {"Close Date", false},
    {"Postcode", true},
};

enum {
    P_CODE,
    P_NAME,
    P_SUB,
    P_SUB_NAME,
    P_PCN,
    P_PCN_NAME,
    P_PCN_SUB,
    P_PCN_SUB_NAME,
    P_START,
    P_END,
    P_N
};

static const struct pccs_col partner_cols[P_N] = {
    {"Partner Organisation Code", false},
    {"Partner Name", true},
    {"Practice Parent CCG Code|Practice Parent Sub ICB Loc Code|"
     "Practice Parent Sub ICB Location Code",
     false},
    {"Practice Parent CCG Name|Practice Parent Sub ICB Loc Name|"
     "Practice Parent Sub ICB Location Name",
     true},
    {"PCN Code", false},
    {"PCN Name", true},
    {"PCN Parent CCG Code|PCN Parent Sub ICB Loc Code|"
     "PCN Parent Sub ICB Location Code",
     false},
    {"PCN Parent CCG Name|PCN Parent Sub ICB Loc Name|"
     "PCN Parent Sub ICB Location Name",
     true},
    {"Practice to PCN Relationship Start Date", false},
    {"Practice to PCN Relationship End Date", false},
};

/* An xlsx row seen as a CSV record, so the field getters apply. */
struct rowrec {
    struct pccs_csv_record rec;
    struct pccs_str *fields;
    size_t cap;
};

static void
to_record(struct rowrec *rr, const struct pccs_xlsx_row *row)
{
    if (rr->cap < row->ncells) {
        rr->cap = row->ncells * 2;
        rr->fields =
            pccs_xreallocarray(rr->fields, rr->cap, sizeof(*rr->fields));
    }
    for (size_t i = 0; i < row->ncells; i++)
        rr->fields[i] = row->cells[i].text;
    rr->rec.fields = rr->fields;
    rr->rec.nfields = row->ncells;
    rr->rec.line = row->row;
}

/*
 * A date cell: YYYYMMDD (or another NHS style) as text, or an Excel serial
 * number. Empty gives PCCS_DAY_NONE.
 */
static int
date_cell(struct pccs_load *ld, struct pccs_err *err,
          const struct pccs_xlsx_row *row, const struct rowrec *rr, int idx,
          const char *colname, pccs_day *out)
{
    *out = PCCS_DAY_NONE;
    if (idx < 0 || (size_t)idx >= row->ncells)
        return PCCS_OK;
    const struct pccs_xlsx_cell *c = &row->cells[idx];
    struct pccs_str t = pccs_str_trim(c->text);
    if (!t.len)
        return PCCS_OK;
    if (c->type == PCCS_XLSX_NUMBER && c->num < 200000) {
        if (pccs_xlsx_serial_to_day(c->num, out))
            return pccs_load_field_err(ld, err, &rr->rec, idx, colname,
                                       "a date");
        return PCCS_OK;
    }
    return pccs_load_date(ld, err, &rr->rec, idx, colname, true, out);
}

static void
note_latest(pccs_day d, pccs_day *latest)
{
    if (d != PCCS_DAY_NONE && (*latest == PCCS_DAY_NONE || d > *latest))
        *latest = d;
}

/* Read the header row of a sheet and bind its columns. */
static int
bind_sheet(struct pccs_load *ld, struct pccs_xlsx_sheet *sh,
           const struct pccs_col *cols, size_t ncols, int *idx,
           struct rowrec *rr, struct pccs_err *err)
{
    struct pccs_xlsx_row row;
    int rc = pccs_xlsx_sheet_next(sh, &row, err);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return pccs_err_at(err, PCCS_EPARSE, ld->name, 1, 1,
                           "empty sheet, expected a header row");
    to_record(rr, &row);
    if (pccs_cols_bind(cols, ncols, &rr->rec, idx)) {
        for (size_t i = 0; i < ncols; i++) {
            if (idx[i] < 0 && !cols[i].optional) {
                char want[80];
                const char *bar = strchr(cols[i].names, '|');
                snprintf(want, sizeof(want), "%.*s",
                         bar ? (int)(bar - cols[i].names) : 60, cols[i].names);
                return pccs_err_at(err, PCCS_EPARSE, ld->name, row.row,
                                   (int64_t)row.ncells + 1,
                                   "expected a column \"%s\"", want);
            }
        }
    }
    return PCCS_OK;
}

struct pcn_row {
    char code[8], sub[8];
    char *name, *sub_name, *postcode;
    pccs_day open, close;
};

/*
 * First pass over both sheets to find the period (the latest date), so
 * every row can be written with it; the sheets are small.
 */
static int
scan_period(struct pccs_load *ld, struct pccs_xlsx *x, pccs_day *latest,
            struct pccs_err *err)
{
    static const char *const sheets[2] = {DETAILS_SHEET, PARTNERS_SHEET};
    const struct pccs_col *colsets[2] = {details_cols, partner_cols};
    const size_t ncols[2] = {D_N, P_N};
    const int datecols[2][2] = {{D_OPEN, D_CLOSE}, {P_START, P_END}};
    struct rowrec rr = {.fields = NULL};
    int rc = PCCS_OK;
    for (int s = 0; s < 2 && !rc; s++) {
        struct pccs_xlsx_sheet *sh = NULL;
        int idx[P_N];
        char name[512];
        snprintf(name, sizeof(name), "%s[%s]", ld->src.path, sheets[s]);
        const char *saved = ld->name;
        ld->name = name;
        rc = pccs_xlsx_sheet_open(x, sheets[s], &sh, err);
        if (!rc)
            rc = bind_sheet(ld, sh, colsets[s], ncols[s], idx, &rr, err);
        struct pccs_xlsx_row row;
        while (!rc && (rc = pccs_xlsx_sheet_next(sh, &row, err)) == 1) {
            rc = PCCS_OK;
            to_record(&rr, &row);
            for (int k = 0; k < 2 && !rc; k++) {
                pccs_day d;
                rc = date_cell(ld, err, &row, &rr, idx[datecols[s][k]],
                               colsets[s][datecols[s][k]].names, &d);
                note_latest(d, latest);
            }
        }
        if (rc > 0)
            rc = PCCS_OK;
        ld->name = saved;
        pccs_xlsx_sheet_free(sh);
    }
    free(rr.fields);
    return rc;
}

/* One row of a sheet, as a record, with the sheet's column indexes. */
struct sheet_row {
    const struct pccs_xlsx_row *row;
    struct rowrec *rr;
    const int *idx;
    pccs_day period;
};

typedef int (*sheet_row_fn)(struct pccs_load *ld, const struct sheet_row *s,
                            struct pccs_err *err);

/* Open sheet, bind its header to cols and hand each row to fn. */
static int
each_row(struct pccs_load *ld, struct pccs_xlsx *x, const char *sheet,
         const struct pccs_col *cols, size_t ncols, pccs_day period,
         sheet_row_fn fn, struct pccs_err *err)
{
    struct pccs_xlsx_sheet *sh = NULL;
    struct rowrec rr = {.fields = NULL};
    int idx[16];
    PCCS_ASSERT(ncols <= 16);
    int rc = pccs_xlsx_sheet_open(x, sheet, &sh, err);
    if (!rc)
        rc = bind_sheet(ld, sh, cols, ncols, idx, &rr, err);
    struct pccs_xlsx_row row;
    while (!rc && (rc = pccs_xlsx_sheet_next(sh, &row, err)) == 1) {
        to_record(&rr, &row);
        struct sheet_row s = {
            .row = &row, .rr = &rr, .idx = idx, .period = period};
        rc = fn(ld, &s, err);
        if (rc)
            break;
        pccs_load_row(ld, 0);
    }
    if (rc > 0)
        rc = PCCS_OK;
    pccs_xlsx_sheet_free(sh);
    free(rr.fields);
    return rc;
}

static int
details_row(struct pccs_load *ld, const struct sheet_row *s,
            struct pccs_err *err)
{
    const struct pccs_csv_record *rec = &s->rr->rec;
    const int *idx = s->idx;
    pccs_day period = s->period;
    struct pccs_str code, name, sub, sub_name = {"", 0};
    struct pccs_str postcode = {"", 0};
    pccs_day open = PCCS_DAY_NONE, close = PCCS_DAY_NONE;
    const struct pccs_load_spec f[] = {
        PCCS_LOAD_STR(D_CODE, "PCN Code", pccs_load_ods_code, &code),
        PCCS_LOAD_STR(D_NAME, "PCN Name", pccs_load_text, &name),
        PCCS_LOAD_STR(D_SUB, "Current CCG Code", pccs_load_ods_code, &sub),
    };
    int rc = pccs_load_fields(ld, err, rec, idx, f, PCCS_LEN(f));
    if (!rc) {
        sub_name = pccs_load_opt(rec, idx[D_SUB_NAME]);
        postcode = pccs_load_opt(rec, idx[D_POSTCODE]);
    }
    if (!rc)
        rc = date_cell(ld, err, s->row, s->rr, idx[D_OPEN], "Open Date", &open);
    if (!rc)
        rc = date_cell(ld, err, s->row, s->rr, idx[D_CLOSE], "Close Date",
                       &close);
    if (rc)
        return rc;
    char c[16];
    pccs_str_copy(code, c, sizeof(c));
    struct pccs_org_row o = {
        .code = c,
        .level = PCCS_LEVEL_PCN,
        .name = pccs_load_cstr(ld, name),
        .postcode = postcode.len ? pccs_load_cstr(ld, postcode) : NULL,
        .status = close == PCCS_DAY_NONE ? "active" : "closed",
        .open_date = open,
        .close_date = close,
        .as_of = period,
    };
    rc = pccs_load_org(ld, &o, err);
    if (!rc)
        rc = pccs_load_named_org(ld, sub, PCCS_LEVEL_SUB_ICB, sub_name,
                                 PCCS_STR_EMPTY, period, err);
    if (!rc)
        rc = pccs_load_link(ld, code, sub, PCCS_LEVEL_SUB_ICB,
                            open != PCCS_DAY_NONE ? open : period, close, false,
                            err);
    return rc;
}

static int
partners_row(struct pccs_load *ld, const struct sheet_row *s,
             struct pccs_err *err)
{
    struct pccs_str code, sub, pcn, pcn_sub;
    const struct pccs_load_spec f[] = {
        PCCS_LOAD_STR(P_CODE, "Partner Organisation Code", pccs_load_ods_code,
                      &code),
        PCCS_LOAD_STR(P_SUB, "Practice Parent CCG Code", pccs_load_ods_code,
                      &sub),
        PCCS_LOAD_STR(P_PCN, "PCN Code", pccs_load_ods_code, &pcn),
        PCCS_LOAD_STR(P_PCN_SUB, "PCN Parent CCG Code", pccs_load_ods_code,
                      &pcn_sub),
    };
    const struct pccs_csv_record *rec = &s->rr->rec;
    const int *idx = s->idx;
    pccs_day period = s->period;
    pccs_day start = PCCS_DAY_NONE, end = PCCS_DAY_NONE;
    int rc = pccs_load_fields(ld, err, rec, idx, f, PCCS_LEN(f));
    if (!rc)
        rc = date_cell(ld, err, s->row, s->rr, idx[P_START],
                       "Relationship Start Date", &start);
    if (!rc)
        rc = date_cell(ld, err, s->row, s->rr, idx[P_END],
                       "Relationship End Date", &end);
    if (!rc && start == PCCS_DAY_NONE)
        rc = pccs_load_field_err(ld, err, rec, idx[P_START],
                                 "Relationship Start Date", "a date");
    if (!rc && end != PCCS_DAY_NONE && end < start)
        rc = pccs_load_field_err(ld, err, rec, idx[P_END],
                                 "Relationship End Date",
                                 "a date on or after the start date");
    if (rc)
        return rc;
    rc = pccs_load_named_org(ld, code, PCCS_LEVEL_PRACTICE,
                             pccs_load_opt(rec, idx[P_NAME]), PCCS_STR_EMPTY,
                             period, err);
    if (!rc)
        rc = pccs_load_named_org(ld, sub, PCCS_LEVEL_SUB_ICB,
                                 pccs_load_opt(rec, idx[P_SUB_NAME]),
                                 PCCS_STR_EMPTY, period, err);
    if (!rc)
        rc = pccs_load_named_org(ld, pcn, PCCS_LEVEL_PCN, PCCS_STR_EMPTY,
                                 PCCS_STR_EMPTY, period, err);
    if (!rc)
        rc = pccs_load_link(ld, code, pcn, PCCS_LEVEL_PCN, start, end, false,
                            err);
    /* The practice's current sub-ICB, only for a current membership. */
    if (!rc && end == PCCS_DAY_NONE)
        rc = pccs_load_link(ld, code, sub, PCCS_LEVEL_SUB_ICB, period,
                            PCCS_DAY_NONE, true, err);
    if (!rc && end == PCCS_DAY_NONE)
        rc = pccs_load_link(ld, pcn, pcn_sub, PCCS_LEVEL_SUB_ICB, period,
                            PCCS_DAY_NONE, true, err);
    return rc;
}

static bool
sniff_epcn(struct pccs_xlsx *x)
{
    bool details = false, partners = false;
    for (size_t i = 0; i < pccs_xlsx_sheet_count(x); i++) {
        const char *n = pccs_xlsx_sheet_name(x, i);
        if (strcmp(n, DETAILS_SHEET) == 0)
            details = true;
        else if (strcmp(n, PARTNERS_SHEET) == 0)
            partners = true;
    }
    return details && partners;
}

static int
load_epcn(struct pccs_load *ld, struct pccs_xlsx *x, struct pccs_err *err)
{
    pccs_day latest = PCCS_DAY_NONE;
    int rc = scan_period(ld, x, &latest, err);
    if (rc)
        return rc;
    if (latest == PCCS_DAY_NONE)
        return pccs_err_at(err, PCCS_EPARSE, ld->name, 2, 1,
                           "no dates in the workbook: cannot tell the "
                           "period (give --period)");
    pccs_load_set_period_day(ld, latest);
    pccs_day period;
    rc = pccs_load_period_day(ld, "the ePCN workbook", &period, err);
    if (rc)
        return rc;
    char dname[512], pname[512];
    snprintf(dname, sizeof(dname), "%s[%s]", ld->src.path, DETAILS_SHEET);
    snprintf(pname, sizeof(pname), "%s[%s]", ld->src.path, PARTNERS_SHEET);
    const char *saved = ld->name;
    ld->name = dname;
    rc = each_row(ld, x, DETAILS_SHEET, details_cols, D_N, period, details_row,
                  err);
    ld->name = pname;
    if (!rc)
        rc = each_row(ld, x, PARTNERS_SHEET, partner_cols, P_N, period,
                      partners_row, err);
    ld->name = saved;
    return rc;
}

const struct pccs_source_kind pccs_source_epcn = {
    .kind = "epcn",
    .publication = "ODS ePCN: Primary Care Networks and core partners",
    .sniff_xlsx = sniff_epcn,
    .load_xlsx = load_epcn,
};
