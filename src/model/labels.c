/* SPDX-License-Identifier: MIT */
/*
 * Readable labels beside coded columns: a QOF group code (AF) gets its
 * name (Atrial fibrillation), an ARRS role code its title. The codes stay
 * as they are (scripts and --group use them); the label is a column of
 * its own, the last, so that every other column keeps its place, from a
 * map in data/maps/ that names its source.
 */
#include "model/labels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hmap.h"
#include "base/xalloc.h"
#include "model/refdata.h"

static const struct {
    const char *table, *column, *map, *what;
} label_maps[] = {
    {"qof-prevalence", "group", "maps/qof_groups.csv", "QOF group names"},
    {"arrs", "arrs_role", "maps/arrs_role_labels.csv", "ARRS role titles"},
};

/* A code,label,source map (read once: model/refdata.c) into m. */
static int
read_map(const char *rel, struct pccs_hmap *m, char *source, size_t sn,
         struct pccs_err *err)
{
    static const char *const cols[] = {"code", "label", "source"};
    const struct pccs_refdata *f;
    source[0] = '\0';
    int rc = pccs_refdata_load_cols(rel, cols, PCCS_LEN(cols), &f, err);
    if (rc)
        return rc;
    for (size_t k = 1; k < f->nrecords; k++) {
        const struct pccs_refdata_record *rec = &f->records[k];
        if (rec->nfields < 3)
            continue;
        bool created;
        /* The label lives as long as the file's records: the process. */
        pccs_hmap_put(m, rec->fields[0].p, rec->fields[0].len, &created)->ptr =
            (void *)rec->fields[1].p;
        snprintf(source, sn, "%.*s", (int)rec->fields[2].len, rec->fields[2].p);
    }
    return PCCS_OK;
}

int
pccs_labels_add(const char *table, struct pccs_table *t, struct pccs_err *err)
{
    for (size_t i = 0; i < sizeof(label_maps) / sizeof(label_maps[0]); i++) {
        if (strcmp(label_maps[i].table, table) != 0)
            continue;
        int col = pccs_table_col_index(t, label_maps[i].column);
        if (col < 0)
            continue;
        char source[512], name[64];
        struct pccs_hmap m = PCCS_HMAP_INIT;
        int rc = read_map(label_maps[i].map, &m, source, sizeof(source), err);
        if (rc) {
            pccs_hmap_release(&m);
            return rc;
        }
        snprintf(name, sizeof(name), "%s_label", label_maps[i].column);
        size_t lc = t->ncols;
        pccs_table_insert_col(t, lc, name);
        for (size_t r = 0; r < t->nrows; r++) {
            const struct pccs_cell *c = pccs_table_cell(t, r, (size_t)col);
            if (c->null || !c->text)
                continue;
            struct pccs_hmap_entry *e =
                pccs_hmap_get(&m, c->text, strlen(c->text));
            /* A row that is not a code (a total) keeps its own words. */
            pccs_table_set_text(t, r, lc, e ? (const char *)e->ptr : c->text);
        }
        pccs_table_note(t, "%s: %s from data/%s (%s)", name, label_maps[i].what,
                        label_maps[i].map, source);
        pccs_hmap_release(&m);
    }
    return PCCS_OK;
}

/* ===== Column labels ===== */

/* Column names with a label of their own (units in brackets). */
static const struct {
    const char *name, *label;
} column_labels[] = {
    {"code", "Code"},
    {"name", "Name"},
    {"parent_code", "Parent"},
    {"icb", "ICB"},
    {"pcns", "PCNs"},
    {"practices", "Practices"},
    {"registered", "Registered patients"},
    {"weighted", "Weighted patients"},
    {"list_size", "List size (patients)"},
    {"source", "Source"},
    {"year", "Financial year"},
    {"census", "Census date"},
    {"month", "Month"},
    {"group", "QOF group code"},
    {"group_label", "QOF group"},
    {"register", "QOF register (patients)"},
    {"apdf", "APDF"},
    {"cpi", "CPI"},
    {"contract_type", "Contract"},
    {"total", "Total payments (£)"},
    {"global_sum", "Global sum (£)"},
    {"mpig", "MPIG correction (£)"},
    {"pms_apms_balance", "PMS/APMS balance (£)"},
    {"core_contract", "Core contract (£)"},
    {"qof", "QOF (£)"},
    {"network_participation", "Network participation (£)"},
    {"other", "Other payments (£)"},
    {"pcn_des", "PCN DES (£)"},
    {"total_per_registered", "Payments per registered patient (£)"},
    {"total_per_weighted", "Payments per weighted patient (£)"},
    {"payments_per_weighted", "Payments per weighted patient (£)"},
    {"qof_per_registered", "QOF per registered patient (£)"},
    {"decile", "Decile (1 lowest)"},
    {"adjusted_estimate", "Adjusted population"},
    {"pcn_core", "Core PCN funding (£)"},
    {"clinical_director", "Clinical director (£)"},
    {"leadership_management", "Leadership and management (£)"},
    {"extended_hours", "Extended hours (£)"},
    {"enhanced_access", "Enhanced access (£)"},
    {"capacity_access_support", "Capacity and access support (£)"},
    {"capacity_access_improvement", "Capacity and access improvement (£)"},
    {"arrs", "ARRS (£)"},
    {"arrs_gp", "ARRS GPs (£)"},
    {"care_home_premium", "Care home premium (£)"},
    {"pcn_support", "PCN support (£)"},
    {"enhanced_access_minutes_per_week", "Enhanced access (minutes a week)"},
    {"total_known", "Total known (£)"},
    {"practice_income_known", "Practice income known (£)"},
    {"populations_source", "Populations source"},
    {"staff_group", "Staff group"},
    {"fte", "FTE"},
    {"contracted_services", "Contracted services (FTE)"},
    {"fte_per_10000_weighted", "FTE per 10,000 weighted patients"},
    {"gp_fte_per_10000", "GP FTE per 10,000 patients"},
    {"arrs_role", "ARRS role code"},
    {"arrs_role_label", "ARRS role"},
    {"max_per_wte", "Maximum per WTE (£)"},
    {"cost_in_post", "Cost in post (£)"},
    {"unpriced_fte", "Unpriced FTE"},
    {"arrs_sum", "ARRS sum (£)"},
    {"per_1000", "Appointments per 1,000 patients"},
    {"attended_per_1000", "Attended per 1,000 patients"},
    {"appointments", "Appointments"},
    {"list_at", "List as at"},
    {"reds", "Reds"},
    {"ambers", "Ambers"},
    {"overall", "Overall rating"},
    {"reasons", "Reasons"},
    {"list_closures", "List closures in force"},
    {"dna_pct", "Did not attend (%)"},
    {"gp_pct", "With a GP (%)"},
    {"face_to_face_pct", "Face to face (%)"},
    {"prevalence_pct", "Prevalence (%)"},
    {"national_prevalence_pct", "England prevalence (%)"},
    {"list_change_12m_pct", "List change over 12 months (%)"},
    {"list_growth_12m_pct", "List growth over 12 months (%)"},
    {"appointments_growth_12m_pct", "Appointments growth over 12 months (%)"},
    {"share_pct", "Share (%)"},
    {"pounds_per_point", "£ per QOF point"},
    {"point_value", "QOF point value (£)"},
    {"practice_list", "Practice list (patients)"},
    {"average_list_size", "England average list (patients)"},
    {"week", "Week beginning (Monday)"},
    {"required_minutes", "Enhanced access required (minutes)"},
    {"offered_minutes", "Offered (minutes)"},
    {"booked_minutes", "Booked (minutes)"},
    {"delivered_minutes", "Delivered, attended (minutes)"},
    {"offered_pct_required", "Offered (% of required)"},
    {"delivered_pct_required", "Delivered (% of required)"},
    /* cohorts (population health, issue 18) */
    {"efi_assessed", "eFI assessed (aged 65+)"},
    {"efi_fit", "eFI fit"},
    {"efi_mild", "eFI mild"},
    {"efi_moderate", "eFI moderate"},
    {"efi_severe", "eFI severe"},
    {"severe_frailty", "Severe frailty"},
    {"meds_10", "10 or more medicines"},
    {"smr_priority", "SMR priority"},
    {"anticipatory_care", "Anticipatory care"},
    {"ld_health_check_due", "LD health check due"},
    {"dementia_review_due", "Dementia review due"},
};

static const char *
column_label_of(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof(column_labels) / sizeof(column_labels[0]);
         i++)
        if (strlen(column_labels[i].name) == len &&
            !strncmp(column_labels[i].name, name, len))
            return column_labels[i].label;
    return NULL;
}

void
pccs_labels_column(const char *name, char *buf, size_t n)
{
    size_t len = strlen(name);
    bool rag = len > 4 && !strcmp(name + len - 4, "_rag");
    size_t base = rag ? len - 4 : len;
    const char *l = column_label_of(name, base);
    if (l) {
        snprintf(buf, n, "%s%s", l, rag ? ": rating" : "");
        return;
    }
    /* Else the name in words, its unit from its ending. */
    bool pct = base > 4 && !strncmp(name + base - 4, "_pct", 4);
    size_t words = pct ? base - 4 : base;
    size_t k = 0;
    for (size_t i = 0; i < words && k + 1 < n; i++)
        buf[k++] = name[i] == '_' ? ' '
                   : i == 0       ? (char)(name[i] >= 'a' && name[i] <= 'z'
                                               ? name[i] - 'a' + 'A'
                                               : name[i])
                                  : name[i];
    buf[k] = '\0';
    snprintf(buf + k, n - k, "%s%s", pct ? " (%)" : "", rag ? ": rating" : "");
}
