/* SPDX-License-Identifier: MIT */
/* The dataset loaders, one per published format family. */
#ifndef PCCS_SOURCES_H
#define PCCS_SOURCES_H

#include "sources/loader.h"

/* gp_reg.c: Patients Registered at a GP Practice. */
extern const struct pccs_source_kind pccs_source_gp_reg_all;
extern const struct pccs_source_kind pccs_source_gp_reg_sing_age;
extern const struct pccs_source_kind pccs_source_gp_reg_quin_age;
/* gp_map.c: practice -> PCN -> CCG/sub-ICB -> STP/ICB -> region map. */
extern const struct pccs_source_kind pccs_source_gp_map;
/* ods.c: ODS epraccur and etr (headerless, 27 columns). */
extern const struct pccs_source_kind pccs_source_epraccur;
extern const struct pccs_source_kind pccs_source_etr;
/* epcn.c: ODS ePCN workbook (xlsx). */
extern const struct pccs_source_kind pccs_source_epcn;
/* qof.c: Quality and Outcomes Framework files. */
extern const struct pccs_source_kind pccs_source_qof_prevalence;
extern const struct pccs_source_kind pccs_source_qof_geographies;
extern const struct pccs_source_kind pccs_source_qof_org_reference;
extern const struct pccs_source_kind pccs_source_qof_indicators;
extern const struct pccs_source_kind pccs_source_qof_validation;
/* payments.c: NHS Payments to General Practice. */
extern const struct pccs_source_kind pccs_source_payments;
/* gpad.c: Appointments in General Practice, practice level. */
extern const struct pccs_source_kind pccs_source_gpad;
/* pcn_workforce.c: PCN workforce, individual level. */
extern const struct pccs_source_kind pccs_source_pcn_workforce;
/* registers.c: local commissioning registers (data/templates). */
extern const struct pccs_source_kind pccs_source_register_places;
extern const struct pccs_source_kind pccs_source_register_programmes;
extern const struct pccs_source_kind pccs_source_register_milestones;
extern const struct pccs_source_kind pccs_source_register_risks;
extern const struct pccs_source_kind pccs_source_register_estates;
extern const struct pccs_source_kind pccs_source_register_budget;
extern const struct pccs_source_kind pccs_source_register_list_closures;
extern const struct pccs_source_kind pccs_source_register_support_payments;
extern const struct pccs_source_kind pccs_source_register_visits;
extern const struct pccs_source_kind pccs_source_register_care_home_beds;
/* gp_workforce.c: General Practice Workforce, practice level. */
extern const struct pccs_source_kind pccs_source_gp_workforce;

#endif
