/* SPDX-License-Identifier: MIT */
/* Registry of the named tables. */
#include "model/tables.h"

#include <string.h>

#include "model/population.h"

static int
build_populations(struct pccs_store *st, const struct pccs_tree *t,
                  const struct pccs_table_query *q, struct pccs_table *out,
                  struct pccs_err *err)
{
    struct pccs_pop_query pq = {
        .level = q->level == PCCS_LEVEL_NONE ? PCCS_REGION : q->level,
        .in = q->in,
        .at = q->at,
        .period = q->period,
    };
    return pccs_population_table(st, t, &pq, out, err);
}

static const char *const populations_formulas[] = {
    "registered = sum of the registered lists of its practices (practices)",
    "weighted = sum of the weighted lists of its practices (practices)", NULL};

static const struct pccs_table_def populations = {
    "populations",
    "registered and weighted patients per organisation, rolled up from "
    "practices",
    PCCS_REGION,
    build_populations,
    populations_formulas,
    false,
    false,
};

static const char *const qof_prevalence_formulas[] = {
    "prevalence_pct = register / list_size x 100",
    "apdf = prevalence_pct / national_prevalence_pct",
    "cpi = practice_list / average_list_size (the whole list over the "
    "national average list, data/rates/qof.csv)",
    "point_value = pounds_per_point x cpi x apdf", NULL};

static const struct pccs_table_def qof_prevalence = {
    "qof-prevalence",
    "QOF registers, list sizes and prevalence per disease group; APDF, CPI "
    "and the value of a point for practices",
    PCCS_ICB,
    pccs_qof_prevalence_table,
    qof_prevalence_formulas,
    false,
    false,
};

static const struct pccs_table_def entitlements = {
    "entitlements",
    "PCN Network Contract DES entitlements for a year (--year), per PCN "
    "and rolled up",
    PCCS_PCN,
    pccs_entitlements_table,
    NULL, /* explains itself: every input, rate and source */
    true,
    false,
};

static const char *const workforce_formulas[] = {
    "fte_per_10000_weighted = fte / weighted x 10,000", NULL};

static const struct pccs_table_def workforce = {
    "workforce",
    "PCN workforce FTE and headcount by staff group (--group: by role), "
    "per 10,000 weighted patients",
    PCCS_PCN,
    pccs_workforce_table,
    workforce_formulas,
    false,
    false,
};

static const char *const payments_formulas[] = {
    "core_contract = global_sum + mpig + pms_apms_balance",
    "other = total - core_contract - qof",
    "total_per_registered = total / registered",
    "total_per_weighted = total / weighted",
    "decile = decile of total_per_weighted in England at practice or PCN "
    "level, none for a row left out for too few patients (1 = lowest)",
    NULL};

static const struct pccs_table_def payments = {
    "payments",
    "NHS payments per registered and weighted patient for a year (--year), "
    "contract type (--contract), deciles, ICB outliers, --compare another "
    "year",
    PCCS_PRACTICE,
    pccs_payments_table,
    payments_formulas,
    true,
    false,
};

static const char *const weighting_formulas[] = {
    "published_ratio = published_weighted / registered",
    "estimate_ratio = estimate / registered",
    "difference = estimate - published_weighted",
    "difference_pct = difference / published_weighted x 100", NULL};

static const struct pccs_table_def weighting = {
    "weighting",
    "published global-sum weighted list beside an age-sex estimate, ratios "
    "and differences",
    PCCS_PRACTICE,
    pccs_weighting_table,
    weighting_formulas,
    false,
    false,
};

static const char *const arrs_formulas[] = {
    "cost_in_post = fte x max_per_wte",
    "share_pct = cost_in_post / arrs_sum x 100", NULL};

static const struct pccs_table_def arrs = {
    "arrs",
    "ARRS roles in post priced at the year's maximum reimbursable amounts, "
    "against the ARRS sum (--year)",
    PCCS_PCN,
    pccs_arrs_table,
    arrs_formulas,
    true,
    false,
};

static const char *const capacity_formulas[] = {
    "per_1000 = appointments / registered x 1,000",
    "attended_per_1000 = attended appointments / registered x 1,000",
    "dna_pct = did-not-attend appointments / appointments x 100",
    "face_to_face_pct = face-to-face appointments / appointments x 100",
    "gp_pct = appointments with a GP / appointments x 100",
    "appointments_growth_12m_pct = appointments / appointments of the same "
    "month a year before x 100 - 100",
    "list_growth_12m_pct = registered / registered a year before x 100 - 100",
    "registered = the list at list_at: the month's own registrations "
    "snapshot, else the nearest earlier one; list growth only between "
    "snapshots 330 to 400 days apart",
    NULL};

static const struct pccs_table_def capacity = {
    "capacity",
    "appointments per 1,000 registered patients by month; attended, DNA, "
    "mode, staff; 12-month growth against list growth",
    PCCS_ICB,
    pccs_capacity_table,
    capacity_formulas,
    false,
    false,
};

static const char *const resilience_formulas[] = {
    "list_change_12m_pct = list_size / the list 12 months before x 100 - 100",
    "overall = from reds and ambers by the overall rules of "
    "data/rules/resilience.csv",
    NULL};

static const struct pccs_table_def resilience = {
    "resilience",
    "practice profile: red/amber/green per indicator by "
    "data/rules/resilience.csv, an overall rating and the reasons",
    PCCS_PRACTICE,
    pccs_resilience_table,
    resilience_formulas,
    false,
    false,
};

static const char *const age_bands_formulas[] = {
    "male_pct = male / the organisation's registered patients x 100",
    "female_pct = female / the organisation's registered patients x 100", NULL};

static const struct pccs_table_def age_bands = {
    "age-bands",
    "registered patients by five-year age band and sex, rolled up (the "
    "population pyramid)",
    PCCS_ICB,
    pccs_age_bands_table,
    age_bands_formulas,
    false,
    false,
};

static const struct pccs_table_def reg_register = {
    "register",
    "a local register's rows as loaded (--group NAME), for export and round "
    "trips",
    PCCS_PRACTICE,
    pccs_register_table,
    NULL,
    false,
    true,
};

static const struct pccs_table_def reg_programme_status = {
    "programme-status",
    "programmes by workstream: not started, achieved and closed, in progress, "
    "overdue, total (--at)",
    PCCS_PRACTICE,
    pccs_programme_status_table,
    NULL,
    false,
    true,
};

static const struct pccs_table_def reg_milestones = {
    "milestones",  "programme milestones: target against achieved by date",
    PCCS_PRACTICE, pccs_milestones_table,
    NULL,          false,
    true,
};

static const struct pccs_table_def reg_risks = {
    "risks",
    "risks by score (likelihood x impact) with RAG and review dates",
    PCCS_PRACTICE,
    pccs_risks_table,
    NULL,
    false,
    true,
};

static const struct pccs_table_def reg_estates = {
    "estates",
    "premises by place: tenure mix in m2 and %, void area and cost",
    PCCS_PRACTICE,
    pccs_estates_table,
    NULL,
    false,
    true,
};

static const struct pccs_table_def reg_budget = {
    "budget",
    "delegated budget: plan, actual, forecast, variance and movement since the "
    "last load",
    PCCS_PRACTICE,
    pccs_budget_table,
    NULL,
    false,
    true,
};

static const struct pccs_table_def reg_list_closures = {
    "list-closures",
    "formal list closures: in force and review dates",
    PCCS_PRACTICE,
    pccs_list_closures_table,
    NULL,
    false,
    true,
};

static const struct pccs_table_def reg_support_payments = {
    "support-payments",
    "support payments to practices, with the total",
    PCCS_PRACTICE,
    pccs_support_payments_table,
    NULL,
    false,
    true,
};

static const struct pccs_table_def reg_visits = {
    "visits",
    "practices not visited in the last 18 months (contract and quality visits)",
    PCCS_PRACTICE,
    pccs_visits_table,
    NULL,
    false,
    true,
};

static const char *const ea_formulas[] = {
    "offered_pct_required = offered_minutes / required_minutes x 100",
    "delivered_pct_required = delivered_minutes / required_minutes x 100",
    NULL};

static const struct pccs_table_def enhanced_access = {
    .name = "enhanced-access",
    .summary = "enhanced access minutes by PCN and week: required (60 per "
               "1,000 adjusted population), offered, booked, delivered "
               "(--from, --to)",
    .default_level = PCCS_PCN,
    .build = pccs_enhanced_access_table,
    .formulas = ea_formulas,
    .local = true,
};

static const struct pccs_table_def cohorts = {
    .name = "cohorts",
    .summary = "population health: patients registered, eFI categories (65 "
               "and over) and the Network Contract DES cohorts (SMR priority "
               "groups, care homes, anticipatory care, LD health checks and "
               "dementia reviews due) from patient-level records (--at)",
    .default_level = PCCS_PRACTICE,
    .build = pccs_cohorts_table,
    .local = true, /* derived from patient-level data: the scope only */
};

static const char *const list_growth_formulas[] = {
    "registered_change = registered_to - registered_from",
    "registered_change_pct = (registered_to - registered_from) / "
    "registered_from x 100",
    "weighted_change = weighted_to - weighted_from",
    "weighted_change_pct = (weighted_to - weighted_from) / weighted_from x "
    "100",
    NULL};

static const struct pccs_table_def list_growth = {
    .name = "list-growth",
    .summary = "registered and weighted patients between two snapshots or "
               "years (--from, --to), the change, practices opened, closed "
               "or merged",
    .default_level = PCCS_ICB,
    .build = pccs_list_growth_table,
    .formulas = list_growth_formulas,
};

const struct pccs_table_def *const pccs_table_defs[] = {
    &populations,
    &payments,
    &entitlements,
    &workforce,
    &qof_prevalence,
    &weighting,
    &arrs,
    &capacity,
    &resilience,
    &age_bands,
    /* local registers */
    &reg_programme_status,
    &reg_milestones,
    &reg_risks,
    &reg_estates,
    &reg_budget,
    &reg_list_closures,
    &reg_support_payments,
    &reg_visits,
    &reg_register,
    &cohorts,
    &list_growth,
    &enhanced_access,
    NULL,
};

const struct pccs_table_def *
pccs_table_def_find(const char *name)
{
    for (size_t i = 0; pccs_table_defs[i]; i++) {
        if (strcmp(pccs_table_defs[i]->name, name) == 0)
            return pccs_table_defs[i];
    }
    return NULL;
}
