/* SPDX-License-Identifier: MIT */
/*
 * Direct booking (issue 19): the slots of the access_sessions register.
 * A session (a hub's or a practice's) becomes slots of its slot length;
 * the store keeps them, and a slot, once made, keeps its id.
 */
#ifndef PCCS_MODEL_BOOKING_H
#define PCCS_MODEL_BOOKING_H

#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

/**
 * Make the slots of every session of the latest access_sessions register
 * that has none yet, in one transaction (a session with a time that is
 * not HH:MM, or that ends before it starts, is refused, naming its row:
 * nothing is written). *made (may be NULL) counts the new slots.
 * PCCS_OK also when no register is loaded.
 */
int pccs_booking_sync(struct pccs_store *st, int64_t *made,
                      struct pccs_err *err);

/**
 * A local slot time "2026-12-05T18:30:00" as a FHIR instant with its UK
 * offset, "2026-12-05T18:30:00+00:00", into out (40 bytes).
 */
void pccs_booking_instant(const char *local, char out[40]);

#endif
