/* SPDX-License-Identifier: MIT */
/*
 * Included first by the SQLite backend's files (sqlite.c, sqlite_phm.c),
 * before store.h: their definitions of store.h's functions become
 * pccs__sqlite_*, which the SQLite operations table (backend.h) points
 * at, while store.c keeps the public names and calls through it.
 * Function-like macros, so the struct tags that share a name
 * (struct pccs_store_counts) are left alone.
 */
#ifndef PCCS_SQLITE_NAMES_H
#define PCCS_SQLITE_NAMES_H

#define pccs_store_free(...) pccs__sqlite_free(__VA_ARGS__)
#define pccs_store_readonly(...) pccs__sqlite_readonly(__VA_ARGS__)
#define pccs_store_schema_version(...) pccs__sqlite_schema_version(__VA_ARGS__)
#define pccs_store_begin(...) pccs__sqlite_begin(__VA_ARGS__)
#define pccs_store_commit(...) pccs__sqlite_commit(__VA_ARGS__)
#define pccs_store_rollback(...) pccs__sqlite_rollback(__VA_ARGS__)
#define pccs_store_bulk(...) pccs__sqlite_bulk(__VA_ARGS__)
#define pccs_store_source_find(...) pccs__sqlite_source_find(__VA_ARGS__)
#define pccs_store_source_add(...) pccs__sqlite_source_add(__VA_ARGS__)
#define pccs_store_source_finish(...) pccs__sqlite_source_finish(__VA_ARGS__)
#define pccs_store_sources_each(...) pccs__sqlite_sources_each(__VA_ARGS__)
#define pccs_store_put_org(...) pccs__sqlite_put_org(__VA_ARGS__)
#define pccs_store_put_link(...) pccs__sqlite_put_link(__VA_ARGS__)
#define pccs_store_put_fact(...) pccs__sqlite_put_fact(__VA_ARGS__)
#define pccs_store_put_attr(...) pccs__sqlite_put_attr(__VA_ARGS__)
#define pccs_store_put_ref(...) pccs__sqlite_put_ref(__VA_ARGS__)
#define pccs_store_org_get(...) pccs__sqlite_org_get(__VA_ARGS__)
#define pccs_store_orgs_each(...) pccs__sqlite_orgs_each(__VA_ARGS__)
#define pccs_store_links_each(...) pccs__sqlite_links_each(__VA_ARGS__)
#define pccs_store_org_names_each(...) pccs__sqlite_org_names_each(__VA_ARGS__)
#define pccs_store_attrs_each(...) pccs__sqlite_attrs_each(__VA_ARGS__)
#define pccs_store_attrs_of_source(...)                                        \
    pccs__sqlite_attrs_of_source(__VA_ARGS__)
#define pccs_store_facts_each(...) pccs__sqlite_facts_each(__VA_ARGS__)
#define pccs_store_periods_each(...) pccs__sqlite_periods_each(__VA_ARGS__)
#define pccs_store_refs_each(...) pccs__sqlite_refs_each(__VA_ARGS__)
#define pccs_store_track(...) pccs__sqlite_track(__VA_ARGS__)
#define pccs_store_source_get(...) pccs__sqlite_source_get(__VA_ARGS__)
#define pccs_store_user_put(...) pccs__sqlite_user_put(__VA_ARGS__)
#define pccs_store_user_set_role(...) pccs__sqlite_user_set_role(__VA_ARGS__)
#define pccs_store_user_set_disabled(...)                                      \
    pccs__sqlite_user_set_disabled(__VA_ARGS__)
#define pccs_store_user_delete(...) pccs__sqlite_user_delete(__VA_ARGS__)
#define pccs_store_user_state(...) pccs__sqlite_user_state(__VA_ARGS__)
#define pccs_store_stamp(...) pccs__sqlite_stamp(__VA_ARGS__)
#define pccs_store_users_each(...) pccs__sqlite_users_each(__VA_ARGS__)
#define pccs_store_audit(...) pccs__sqlite_audit(__VA_ARGS__)
#define pccs_store_audit_each(...) pccs__sqlite_audit_each(__VA_ARGS__)
#define pccs_store_cache_get(...) pccs__sqlite_cache_get(__VA_ARGS__)
#define pccs_store_cache_put(...) pccs__sqlite_cache_put(__VA_ARGS__)
#define pccs_store_counts(...) pccs__sqlite_counts(__VA_ARGS__)
#define pccs_store_phm_writer(...) pccs__sqlite_phm_writer(__VA_ARGS__)
#define pccs_phm_writer_free(...) pccs__sqlite_phm_writer_free(__VA_ARGS__)
#define pccs_phm_put_patient(...) pccs__sqlite_phm_put_patient(__VA_ARGS__)
#define pccs_phm_put_registration(...)                                         \
    pccs__sqlite_phm_put_registration(__VA_ARGS__)
#define pccs_phm_put_event(...) pccs__sqlite_phm_put_event(__VA_ARGS__)
#define pccs_phm_writer_flush(...) pccs__sqlite_phm_writer_flush(__VA_ARGS__)
#define pccs_store_patients_each(...) pccs__sqlite_patients_each(__VA_ARGS__)
#define pccs_store_registrations_each(...)                                     \
    pccs__sqlite_registrations_each(__VA_ARGS__)
#define pccs_store_events_each(...) pccs__sqlite_events_each(__VA_ARGS__)
#define pccs_store_booking_session_put(...)                                    \
    pccs__sqlite_booking_session_put(__VA_ARGS__)
#define pccs_store_slot_put(...) pccs__sqlite_slot_put(__VA_ARGS__)
#define pccs_store_slots_each(...) pccs__sqlite_slots_each(__VA_ARGS__)
#define pccs_store_appt_book(...) pccs__sqlite_appt_book(__VA_ARGS__)
#define pccs_store_appt_set_status(...)                                        \
    pccs__sqlite_appt_set_status(__VA_ARGS__)
#define pccs_store_appts_each(...) pccs__sqlite_appts_each(__VA_ARGS__)
#define pccs_store_idem_get(...) pccs__sqlite_idem_get(__VA_ARGS__)
#define pccs_store_idem_put(...) pccs__sqlite_idem_put(__VA_ARGS__)
#define pccs_store_slot_withdraw(...) pccs__sqlite_slot_withdraw(__VA_ARGS__)
#define pccs_store_patient_practice(...)                                       \
    pccs__sqlite_patient_practice(__VA_ARGS__)

#endif
