/* SPDX-License-Identifier: MIT */
/*
 * The list of every dataset pccs can load. Order matters only among
 * kinds whose recognition could overlap: the more specific comes first.
 */
#include "sources/loader.h"
#include "sources/sources.h"

const struct pccs_source_kind *const pccs_source_kinds[] = {
    &pccs_source_gp_reg_all,
    &pccs_source_gp_reg_sing_age,
    &pccs_source_gp_reg_quin_age,
    &pccs_source_gp_map,
    &pccs_source_epraccur,
    &pccs_source_etr,
    &pccs_source_epcn,
    &pccs_source_qof_prevalence,
    &pccs_source_qof_geographies,
    &pccs_source_qof_org_reference,
    &pccs_source_qof_indicators,
    &pccs_source_qof_validation,
    &pccs_source_payments,
    &pccs_source_pcn_workforce,
    &pccs_source_gp_workforce,
    &pccs_source_gpad,
    &pccs_source_register_places,
    &pccs_source_register_programmes,
    &pccs_source_register_milestones,
    &pccs_source_register_risks,
    &pccs_source_register_estates,
    &pccs_source_register_budget,
    &pccs_source_register_list_closures,
    &pccs_source_register_support_payments,
    &pccs_source_register_visits,
    &pccs_source_register_care_home_beds,
    /* patient-level records (population health) */
    &pccs_source_phm_patients,
    &pccs_source_phm_registrations,
    &pccs_source_phm_events,
    &pccs_source_phm_medications,
    &pccs_source_fhir_patient,
    &pccs_source_fhir_condition,
    &pccs_source_fhir_observation,
    &pccs_source_fhir_medication_request,
    &pccs_source_register_access_sessions,
    NULL,
};
