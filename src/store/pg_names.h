/* SPDX-License-Identifier: MIT */
/*
 * Included first (through pg_int.h) by the PostgreSQL backend's files,
 * before store.h: their definitions of store.h's functions become
 * pccs__pg_*, which the PostgreSQL operations table (pg.c) points at.
 * See sqlite_names.h.
 */
#ifndef PCCS_PG_NAMES_H
#define PCCS_PG_NAMES_H

#define pccs_store_free(...) pccs__pg_free(__VA_ARGS__)
#define pccs_store_readonly(...) pccs__pg_readonly(__VA_ARGS__)
#define pccs_store_schema_version(...) pccs__pg_schema_version(__VA_ARGS__)
#define pccs_store_begin(...) pccs__pg_begin(__VA_ARGS__)
#define pccs_store_commit(...) pccs__pg_commit(__VA_ARGS__)
#define pccs_store_rollback(...) pccs__pg_rollback(__VA_ARGS__)
#define pccs_store_source_find(...) pccs__pg_source_find(__VA_ARGS__)
#define pccs_store_source_add(...) pccs__pg_source_add(__VA_ARGS__)
#define pccs_store_source_finish(...) pccs__pg_source_finish(__VA_ARGS__)
#define pccs_store_sources_each(...) pccs__pg_sources_each(__VA_ARGS__)
#define pccs_store_put_org(...) pccs__pg_put_org(__VA_ARGS__)
#define pccs_store_put_link(...) pccs__pg_put_link(__VA_ARGS__)
#define pccs_store_put_fact(...) pccs__pg_put_fact(__VA_ARGS__)
#define pccs_store_put_attr(...) pccs__pg_put_attr(__VA_ARGS__)
#define pccs_store_put_ref(...) pccs__pg_put_ref(__VA_ARGS__)
#define pccs_store_org_get(...) pccs__pg_org_get(__VA_ARGS__)
#define pccs_store_orgs_each(...) pccs__pg_orgs_each(__VA_ARGS__)
#define pccs_store_links_each(...) pccs__pg_links_each(__VA_ARGS__)
#define pccs_store_org_names_each(...) pccs__pg_org_names_each(__VA_ARGS__)
#define pccs_store_attrs_each(...) pccs__pg_attrs_each(__VA_ARGS__)
#define pccs_store_attrs_of_source(...) pccs__pg_attrs_of_source(__VA_ARGS__)
#define pccs_store_facts_each(...) pccs__pg_facts_each(__VA_ARGS__)
#define pccs_store_periods_each(...) pccs__pg_periods_each(__VA_ARGS__)
#define pccs_store_refs_each(...) pccs__pg_refs_each(__VA_ARGS__)
#define pccs_store_track(...) pccs__pg_track(__VA_ARGS__)
#define pccs_store_source_get(...) pccs__pg_source_get(__VA_ARGS__)
#define pccs_store_user_put(...) pccs__pg_user_put(__VA_ARGS__)
#define pccs_store_user_set_role(...) pccs__pg_user_set_role(__VA_ARGS__)
#define pccs_store_user_set_disabled(...)                                      \
    pccs__pg_user_set_disabled(__VA_ARGS__)
#define pccs_store_user_delete(...) pccs__pg_user_delete(__VA_ARGS__)
#define pccs_store_user_state(...) pccs__pg_user_state(__VA_ARGS__)
#define pccs_store_stamp(...) pccs__pg_stamp(__VA_ARGS__)
#define pccs_store_users_each(...) pccs__pg_users_each(__VA_ARGS__)
#define pccs_store_audit(...) pccs__pg_audit(__VA_ARGS__)
#define pccs_store_audit_each(...) pccs__pg_audit_each(__VA_ARGS__)
#define pccs_store_cache_get(...) pccs__pg_cache_get(__VA_ARGS__)
#define pccs_store_cache_put(...) pccs__pg_cache_put(__VA_ARGS__)
#define pccs_store_counts(...) pccs__pg_counts(__VA_ARGS__)
#define pccs_store_phm_writer(...) pccs__pg_phm_writer(__VA_ARGS__)
#define pccs_phm_writer_free(...) pccs__pg_phm_writer_free(__VA_ARGS__)
#define pccs_phm_put_patient(...) pccs__pg_phm_put_patient(__VA_ARGS__)
#define pccs_phm_put_registration(...)                                         \
    pccs__pg_phm_put_registration(__VA_ARGS__)
#define pccs_phm_put_event(...) pccs__pg_phm_put_event(__VA_ARGS__)
#define pccs_phm_writer_flush(...) pccs__pg_phm_writer_flush(__VA_ARGS__)
#define pccs_store_patients_each(...) pccs__pg_patients_each(__VA_ARGS__)
#define pccs_store_registrations_each(...)                                     \
    pccs__pg_registrations_each(__VA_ARGS__)
#define pccs_store_events_each(...) pccs__pg_events_each(__VA_ARGS__)
#define pccs_store_booking_session_put(...)                                    \
    pccs__pg_booking_session_put(__VA_ARGS__)
#define pccs_store_slot_put(...) pccs__pg_slot_put(__VA_ARGS__)
#define pccs_store_slots_each(...) pccs__pg_slots_each(__VA_ARGS__)
#define pccs_store_appt_book(...) pccs__pg_appt_book(__VA_ARGS__)
#define pccs_store_appt_set_status(...) pccs__pg_appt_set_status(__VA_ARGS__)
#define pccs_store_appts_each(...) pccs__pg_appts_each(__VA_ARGS__)
#define pccs_store_idem_get(...) pccs__pg_idem_get(__VA_ARGS__)
#define pccs_store_idem_put(...) pccs__pg_idem_put(__VA_ARGS__)
#define pccs_store_slot_withdraw(...) pccs__pg_slot_withdraw(__VA_ARGS__)
#define pccs_store_patient_practice(...) pccs__pg_patient_practice(__VA_ARGS__)

#endif
