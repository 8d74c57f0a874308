/* SPDX-License-Identifier: MIT */
/*
 * ODS (Organisation Data Service) files in the standard 27-column layout
 * with no header: epraccur (GP practices and other prescribing settings)
 * and etr (NHS trusts). Columns used (1-based):
 *   1 organisation code, 2 name, 3 national grouping, 4 high level health
 *   geography, 5-9 address lines, 10 postcode, 11 open date, 12 close
 *   date, 13 status code, 14 organisation sub-type, 15 commissioner
 *   (parent), 16 join parent date, 17 left parent date, 26 prescribing
 *   setting (4 = GP practice).
 * Status is A/C/D/P (active, closed, dormant, proposed) in most releases
 * and ACTIVE/INACTIVE/DORMANT/PROPOSED in some; dates are YYYYMMDD or ISO.
 * Recognised by shape: 27 fields, an ODS code first; epraccur has
 * 6-character codes and a date in column 11, etr 3- or 5-character codes.
 *
 * The files carry no extract date: the period is the latest date found in
 * them (open, close, join or left), unless --period is given. Rows are
 * held until the end so that every organisation is written "as of" it.
 */
#include "sources/sources.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define ODS_FIELDS 27

struct ods_row {
    const char *code, *name, *postcode, *status, *grouping, *hlhg;
    const char *commissioner, *setting;
    pccs_day open, close, join, left;
};

static bool
sniff_epraccur(const struct pccs_csv_record *f)
{
    if (f->nfields != ODS_FIELDS || f->fields[0].len != 6 ||
        !pccs_is_ods_code(f->fields[0]))
        return false;
    pccs_day d;
    return pccs_date_parse(f->fields[10], &d) == PCCS_OK;
}

static bool
sniff_etr(const struct pccs_csv_record *f)
{
    return f->nfields == ODS_FIELDS &&
           (f->fields[0].len == 3 || f->fields[0].len == 5) &&
           pccs_is_ods_code(f->fields[0]);
}

static const char *
status_name(struct pccs_str s)
{
    s = pccs_str_trim(s);
    if (pccs_str_eq(s, "A") || pccs_str_ieq(s, "ACTIVE"))
        return "active";
    if (pccs_str_eq(s, "C") || pccs_str_ieq(s, "INACTIVE") ||
        pccs_str_ieq(s, "CLOSED"))
        return "closed";
    if (pccs_str_eq(s, "D") || pccs_str_ieq(s, "DORMANT"))
        return "dormant";
    if (pccs_str_eq(s, "P") || pccs_str_ieq(s, "PROPOSED"))
        return "proposed";
    if (!s.len)
        return "";
    return NULL;
}

static void
latest(pccs_day d, pccs_day *l)
{
    if (d != PCCS_DAY_NONE && (*l == PCCS_DAY_NONE || d > *l))
        *l = d;
}

/* Parse one row into r (strings in the load's arena). */
static int
read_row(struct pccs_load *ld, const struct pccs_csv_record *rec,
         bool practices, struct ods_row *r, struct pccs_err *err)
{
    if (rec->nfields != ODS_FIELDS)
        return pccs_err_at(err, PCCS_EPARSE, ld->name, rec->line,
                           (int64_t)(rec->nfields < ODS_FIELDS
                                         ? rec->nfields + 1
                                         : ODS_FIELDS + 1),
                           "expected the 27 fields of an ODS file, found "
                           "%zu",
                           rec->nfields);
    struct pccs_str code, name;
    int rc =
        practices
            ? pccs_load_ods_code(ld, err, rec, 0, "Organisation Code", &code)
            : pccs_load_ods_code(ld, err, rec, 0, "Organisation Code", &code);
    if (!rc && practices && code.len != 6)
        rc = pccs_load_field_err(ld, err, rec, 0, "Organisation Code",
                                 "a 6-character code");
    if (!rc)
        rc = pccs_load_text(ld, err, rec, 1, "Name", &name);
    if (!rc)
        rc = pccs_load_date(ld, err, rec, 10, "Open Date", true, &r->open);
    if (!rc)
        rc = pccs_load_date(ld, err, rec, 11, "Close Date", true, &r->close);
    if (!rc)
        rc = pccs_load_date(ld, err, rec, 15, "Join Parent Date", true,
                            &r->join);
    if (!rc)
        rc = pccs_load_date(ld, err, rec, 16, "Left Parent Date", true,
                            &r->left);
    if (rc)
        return rc;
    r->status = status_name(rec->fields[12]);
    if (!r->status)
        return pccs_load_field_err(ld, err, rec, 12, "Status Code",
                                   "A, C, D or P (or ACTIVE, INACTIVE, "
                                   "DORMANT, PROPOSED)");
    if (!*r->status)
        r->status = NULL;
    struct pccs_str comm = pccs_str_trim(rec->fields[14]);
    if (comm.len && !pccs_is_ods_code(comm))
        return pccs_load_field_err(ld, err, rec, 14, "Commissioner",
                                   "an ODS code or empty");
    r->code = pccs_load_cstr(ld, code);
    r->name = pccs_load_cstr(ld, name);
    r->postcode = pccs_load_opt_cstr(ld, rec, 9);
    r->grouping = pccs_load_opt_cstr(ld, rec, 2);
    r->hlhg = pccs_load_opt_cstr(ld, rec, 3);
    r->commissioner = comm.len ? pccs_load_cstr(ld, comm) : NULL;
    r->setting = pccs_load_opt_cstr(ld, rec, 25);
    return PCCS_OK;
}

static int
write_row(struct pccs_load *ld, const struct ods_row *r, bool practices,
          pccs_day as_of, struct pccs_err *err)
{
    const char *level = PCCS_LEVEL_TRUST;
    if (practices)
        level = r->setting && strcmp(r->setting, "4") == 0 ? PCCS_LEVEL_PRACTICE
                                                           : PCCS_LEVEL_OTHER;
    struct pccs_org_row o = {
        .code = r->code,
        .level = level,
        .name = r->name,
        .postcode = r->postcode,
        .status = r->status,
        .open_date = r->open,
        .close_date = r->close,
        .as_of = as_of,
    };
    int rc = pccs_load_org(ld, &o, err);
    struct pccs_str code = pccs_str_from(r->code);
    if (!rc && r->grouping)
        rc = pccs_load_attr(ld, code, "national_grouping",
                            pccs_str_from(r->grouping), as_of, err);
    if (!rc && r->hlhg)
        rc = pccs_load_attr(ld, code, "high_level_health_geography",
                            pccs_str_from(r->hlhg), as_of, err);
    if (!rc && r->setting)
        rc = pccs_load_attr(ld, code, "prescribing_setting",
                            pccs_str_from(r->setting), as_of, err);
    /* Only CCG / sub-ICB commissioners (3 characters) join the tree. */
    if (!rc && r->commissioner && practices && strlen(r->commissioner) == 3) {
        struct pccs_org_row c = {.code = r->commissioner,
                                 .level = PCCS_LEVEL_SUB_ICB,
                                 .open_date = PCCS_DAY_NONE,
                                 .close_date = PCCS_DAY_NONE,
                                 .as_of = as_of};
        rc = pccs_load_org(ld, &c, err);
        if (!rc)
            rc = pccs_load_link(ld, code, pccs_str_from(r->commissioner),
                                PCCS_LEVEL_SUB_ICB, r->join, r->left, false,
                                err);
    }
    else if (!rc && r->commissioner) {
        rc = pccs_load_attr(ld, code, "commissioner",
                            pccs_str_from(r->commissioner), as_of, err);
    }
    return rc;
}

static int
load_ods(struct pccs_load *ld, struct pccs_csv_reader *r,
         const struct pccs_csv_record *first, bool practices,
         struct pccs_err *err)
{
    struct ods_row *rows = NULL;
    size_t n = 0, cap = 0;
    pccs_day last = PCCS_DAY_NONE;
    struct pccs_csv_record rec = *first;
    int rc = 1;
    while (rc == 1) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            rows = pccs_xreallocarray(rows, cap, sizeof(*rows));
        }
        rc = read_row(ld, &rec, practices, &rows[n], err);
        if (rc)
            break;
        latest(rows[n].open, &last);
        latest(rows[n].close, &last);
        latest(rows[n].join, &last);
        latest(rows[n].left, &last);
        n++;
        pccs_load_row(ld, pccs_csv_offset(r));
        rc = pccs_csv_next(r, &rec, err);
    }
    if (rc == 0 && last == PCCS_DAY_NONE && !(ld->opt && ld->opt->period))
        rc = pccs_err_at(err, PCCS_EPARSE, ld->name, 1, 11,
                         "no dates in the file: cannot tell the period "
                         "(give --period)");
    pccs_day as_of = last;
    if (rc == 0) {
        pccs_load_set_period_day(ld, last == PCCS_DAY_NONE ? 0 : last);
        rc = pccs_load_period_day(ld, "an ODS file", &as_of, err);
    }
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = write_row(ld, &rows[i], practices, as_of, err);
    free(rows);
    return rc;
}

/* An ODS kind: its name, what it is, and whether it lists practices. */
#define ODS_KIND(name, pub, practices)                                         \
    static int load_##name(struct pccs_load *ld, struct pccs_csv_reader *r,    \
                           const struct pccs_csv_record *first,                \
                           struct pccs_err *err)                               \
    {                                                                          \
        return load_ods(ld, r, first, practices, err);                         \
    }                                                                          \
    const struct pccs_source_kind pccs_source_##name = {                       \
        .kind = #name,                                                         \
        .publication = pub,                                                    \
        .sniff_csv = sniff_##name,                                             \
        .load_csv = load_##name,                                               \
    }

ODS_KIND(epraccur, "ODS epraccur: GP practices and prescribing settings", true);
ODS_KIND(etr, "ODS etr: NHS trusts", false);
