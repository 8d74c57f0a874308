/* SPDX-License-Identifier: MIT */
/* The local registers, defined once (see register_defs.h). */
#include "sources/register_defs.h"

#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Column shorthands: required or optional, of a type. */
#define REQ(NAME, TYPE)                                                        \
    {                                                                          \
        .name = NAME, .type = PCCS_RT_##TYPE, .required = true, .date_col = -1 \
    }
#define OPT(NAME, TYPE)                                                        \
    {                                                                          \
        .name = NAME, .type = PCCS_RT_##TYPE, .required = false,               \
        .date_col = -1                                                         \
    }
/* An organisation that must be open on the date in column DATE_COL. */
#define ORG_ON(NAME, TYPE, DATE_COL)                                           \
    {                                                                          \
        .name = NAME, .type = PCCS_RT_##TYPE, .required = true,                \
        .date_col = DATE_COL                                                   \
    }
#define ONE_OF(NAME, VALUES)                                                   \
    {                                                                          \
        .name = NAME, .type = PCCS_RT_ENUM, .required = true,                  \
        .values = VALUES, .date_col = -1                                       \
    }
#define WHOLE(NAME, RANGE)                                                     \
    {                                                                          \
        .name = NAME, .type = PCCS_RT_INT, .required = true, .values = RANGE,  \
        .date_col = -1                                                         \
    }
/* A header column that recognises the template. */
#define SNIFF(NAME)                                                            \
    {                                                                          \
        .names = NAME, .optional = false                                       \
    }

static const struct pccs_reg_col places_cols[] = {
    REQ("place_code", TEXT),       REQ("place_name", TEXT),
    ORG_ON("parent_code", ORG, 4), ORG_ON("member_code", ORG, 4),
    REQ("start_date", DATE),       OPT("end_date", DATE)};
const struct pccs_col pccs_reg_sniff_places[] = {
    SNIFF("place_code"), SNIFF("place_name"), SNIFF("parent_code"),
    SNIFF("member_code"), SNIFF("start_date")};

static const struct pccs_reg_col programmes_cols[] = {
    REQ("workstream", TEXT),
    REQ("project", TEXT),
    REQ("owner", TEXT),
    ORG_ON("org_code", ORG, 4),
    REQ("start_date", DATE),
    REQ("due_date", DATE),
    ONE_OF("status", "not started|in progress|achieved and closed"),
    ONE_OF("rag", "red|amber|green")};
const struct pccs_col pccs_reg_sniff_programmes[] = {
    SNIFF("workstream"), SNIFF("project"),  SNIFF("owner"),
    SNIFF("status"),     SNIFF("due_date"), SNIFF("rag")};

static const struct pccs_reg_col milestones_cols[] = {
    REQ("project", TEXT),      REQ("milestone", TEXT),   REQ("measure", TEXT),
    REQ("target", NUM),        REQ("target_date", DATE), OPT("achieved", NUM),
    OPT("achieved_date", DATE)};
const struct pccs_col pccs_reg_sniff_milestones[] = {
    SNIFF("project"), SNIFF("milestone"), SNIFF("measure"), SNIFF("target"),
    SNIFF("target_date")};

static const struct pccs_reg_col risks_cols[] = {
    REQ("risk_id", TEXT),  REQ("title", TEXT),         REQ("owner", TEXT),
    REQ("org_code", ORG),  WHOLE("likelihood", "1|5"), WHOLE("impact", "1|5"),
    OPT("controls", TEXT), REQ("review_date", DATE)};
const struct pccs_col pccs_reg_sniff_risks[] = {
    SNIFF("risk_id"), SNIFF("likelihood"), SNIFF("impact"),
    SNIFF("review_date")};

static const char tenures[] = "freehold|leasehold|NHS Property Services|LIFT";
static const struct pccs_reg_col estates_cols[] = {
    REQ("premises_id", TEXT),    REQ("practice_code", PRACTICE),
    OPT("place", PLACE),         REQ("address", TEXT),
    ONE_OF("tenure", tenures),   REQ("area_m2", NUM),
    REQ("void_m2", NUM),         ONE_OF("condition", "A|B|C|D"),
    REQ("utilisation_pct", NUM), REQ("annual_cost", NUM),
    REQ("void_invoiced", NUM),   REQ("void_agreed", NUM)};
const struct pccs_col pccs_reg_sniff_estates[] = {
    SNIFF("premises_id"), SNIFF("tenure"), SNIFF("area_m2"), SNIFF("void_m2")};

static const struct pccs_reg_col budget_cols[] = {
    REQ("line", TEXT), REQ("month", DATE), REQ("plan", SNUM),
    REQ("actual", SNUM), REQ("forecast", SNUM)};
const struct pccs_col pccs_reg_sniff_budget[] = {
    SNIFF("line"),   SNIFF("month"),    SNIFF("plan"),
    SNIFF("actual"), SNIFF("forecast"),
};

static const struct pccs_reg_col closures_cols[] = {
    ORG_ON("practice_code", PRACTICE, 1),
    REQ("closed_from", DATE),
    REQ("closed_to", DATE),
    REQ("approval_body", TEXT),
    REQ("approval_date", DATE),
    REQ("review_date", DATE)};
const struct pccs_col pccs_reg_sniff_list_closures[] = {
    SNIFF("practice_code"), SNIFF("closed_from"), SNIFF("closed_to"),
    SNIFF("approval_body")};

static const struct pccs_reg_col support_cols[] = {
    ORG_ON("practice_code", PRACTICE, 1), REQ("payment_date", DATE),
    REQ("amount", NUM), REQ("reason", TEXT)};
const struct pccs_col pccs_reg_sniff_support_payments[] = {
    SNIFF("practice_code"), SNIFF("payment_date"), SNIFF("amount"),
    SNIFF("reason")};

static const struct pccs_reg_col visits_cols[] = {
    ORG_ON("practice_code", PRACTICE, 1), REQ("visit_date", DATE),
    ONE_OF("visit_type", "contract|quality|CQC follow-up|other")};
const struct pccs_col pccs_reg_sniff_visits[] = {
    SNIFF("practice_code"), SNIFF("visit_date"), SNIFF("visit_type")};

static const struct pccs_reg_col beds_cols[] = {
    ORG_ON("beds_org_code", ORG, 3), REQ("care_home", TEXT),
    WHOLE("beds", "0|10000"), REQ("as_of", DATE), REQ("beds_source", TEXT)};
const struct pccs_col pccs_reg_sniff_care_home_beds[] = {
    SNIFF("beds_org_code"), SNIFF("beds"), SNIFF("as_of")};

/*
 * Direct booking (issue 19): the sessions a PCN's hub or a practice runs,
 * from which pccs makes slots of slot_minutes. bookable_by widens in
 * order: practice (the running practice's own patients), pcn (patients
 * of the PCN's practices) and 111 (those, and NHS 111 of the ICB).
 */
static const char staff_roles[] = "GP|nurse|pharmacist|physiotherapist|"
                                  "paramedic|healthcare assistant|other";
static const struct pccs_reg_col sessions_cols[] = {
    ORG_ON("session_org_code", ORG, 3),
    REQ("site", TEXT),
    REQ("service", TEXT),
    REQ("session_date", DATE),
    REQ("start_time", TEXT),
    REQ("end_time", TEXT),
    ONE_OF("staff_role", staff_roles),
    WHOLE("slot_minutes", "5|240"),
    ONE_OF("bookable_by", "practice|pcn|111")};
const struct pccs_col pccs_reg_sniff_access_sessions[] = {
    SNIFF("session_org_code"), SNIFF("slot_minutes"), SNIFF("bookable_by")};

#define DEF(NAME, PUB, COLS, SNIFFS, ORG, KEY)                                 \
    {                                                                          \
        .name = NAME, .publication = PUB, .cols = COLS, .ncols = N(COLS),      \
        .sniff = SNIFFS, .nsniff = N(SNIFFS), .org_col = ORG, .key_col = KEY   \
    }

const struct pccs_reg_def pccs_reg_defs[] = {
    DEF("places", "Local register: places and localities", places_cols,
        pccs_reg_sniff_places, 3, 0),
    DEF("programmes", "Local register: programmes", programmes_cols,
        pccs_reg_sniff_programmes, 3, 1),
    DEF("milestones", "Local register: programme milestones", milestones_cols,
        pccs_reg_sniff_milestones, -1, 1),
    DEF("risks", "Local register: risks", risks_cols, pccs_reg_sniff_risks, 3,
        0),
    DEF("estates", "Local register: estates", estates_cols,
        pccs_reg_sniff_estates, 1, 0),
    DEF("budget", "Local register: delegated budget", budget_cols,
        pccs_reg_sniff_budget, -1, 0),
    DEF("list_closures", "Local register: list closures", closures_cols,
        pccs_reg_sniff_list_closures, 0, 0),
    DEF("support_payments", "Local register: support payments", support_cols,
        pccs_reg_sniff_support_payments, 0, 0),
    DEF("visits", "Local register: contract and quality visits", visits_cols,
        pccs_reg_sniff_visits, 0, 0),
    DEF("care_home_beds", "Local register: care home beds", beds_cols,
        pccs_reg_sniff_care_home_beds, 0, 1),
    DEF("access_sessions", "Local register: hub and practice booking sessions",
        sessions_cols, pccs_reg_sniff_access_sessions, 0, 3),
};

const size_t pccs_reg_ndefs = N(pccs_reg_defs);

const struct pccs_reg_def *
pccs_reg_def_find(const char *name)
{
    for (size_t i = 0; name && i < N(pccs_reg_defs); i++)
        if (!strcmp(pccs_reg_defs[i].name, name))
            return &pccs_reg_defs[i];
    return NULL;
}

int
pccs_reg_col_index(const struct pccs_reg_def *d, const char *name)
{
    size_t k = 0;
    while (k < d->ncols && strcmp(d->cols[k].name, name) != 0)
        k++;
    return k < d->ncols ? (int)k : -1;
}

bool
pccs_reg_col_numeric(const struct pccs_reg_col *c)
{
    return c->type == PCCS_RT_INT || c->type == PCCS_RT_NUM ||
           c->type == PCCS_RT_SNUM;
}

bool
pccs_reg_col_is_org(const struct pccs_reg_col *c)
{
    return c->type == PCCS_RT_ORG || c->type == PCCS_RT_PRACTICE ||
           c->type == PCCS_RT_PLACE;
}

const char *
pccs_reg_type_name(enum pccs_reg_type t)
{
    static const char *const names[] = {
        [PCCS_RT_TEXT] = "text",         [PCCS_RT_ORG] = "organisation",
        [PCCS_RT_PRACTICE] = "practice", [PCCS_RT_PLACE] = "place",
        [PCCS_RT_DATE] = "date",         [PCCS_RT_INT] = "whole number",
        [PCCS_RT_NUM] = "number",        [PCCS_RT_SNUM] = "number",
        [PCCS_RT_ENUM] = "one of",
    };
    return names[t];
}

const char *
pccs_reg_names(void)
{
    return "places, programmes, milestones, risks, estates, budget, "
           "list_closures, support_payments, visits, care_home_beds";
}
