/* SPDX-License-Identifier: MIT */
/*
 * FHIR R4 bulk data export (NDJSON: one resource a line), the resources
 * population health needs, one file per type as a bulk export writes
 * them:
 *
 *   Patient            id, gender, birthDate, deceasedDateTime, and the
 *                      registered practice as generalPractitioner[]
 *                      .identifier.value (an ODS code in the store)
 *   Condition          subject.reference "Patient/ID", code.coding[]
 *                      (SNOMED CT), onsetDateTime or recordedDate
 *   Observation        subject, code (SNOMED CT), effectiveDateTime,
 *                      valueQuantity.value
 *   MedicationRequest  subject, medicationCodeableConcept.coding[] (dm+d),
 *                      authoredOn
 *
 * Conditions and observations are clinical events; their codes must be
 * in a code list. A resource tagged meta.tag[].code "synthetic" marks the
 * source synthetic (its display says who made it). The first error ends
 * the load with FILE:LINE:COL (COL: the byte of the offending key, or
 * where the JSON broke).
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sources/phm_internal.h"
#include "sources/sources.h"

#define SNOMED_SYSTEM "http://snomed.info/sct"

enum fhir_type { F_PATIENT, F_CONDITION, F_OBSERVATION, F_MEDREQ };

static const char *const type_names[] = {
    [F_PATIENT] = "Patient",
    [F_CONDITION] = "Condition",
    [F_OBSERVATION] = "Observation",
    [F_MEDREQ] = "MedicationRequest",
};

struct fline {
    struct pccs_phm_load *p;
    const char *text;
    size_t len;
    int64_t line;
};

#define NZ(s) ((s) ? (s) : "nothing")

/* An error at key (its first place on the line, else column 1). */
__attribute__((format(printf, 4, 5))) static int
ferr(const struct fline *l, struct pccs_err *err, const char *key,
     const char *fmt, ...)
{
    int64_t col = 1;
    if (key) {
        char q[64];
        snprintf(q, sizeof(q), "\"%s\"", key);
        const char *at = strstr(l->text, q);
        if (at)
            col = at - l->text + 1;
    }
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    return pccs_err_at(err, PCCS_EPARSE, l->p->ld->name, l->line, col, "%s: %s",
                       key ? key : "line", what);
}

static const char *
str_at(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static int
day_of(const struct fline *l, json_t *o, const char *key, const char *key2,
       bool required, pccs_day *out, struct pccs_err *err)
{
    const char *s = str_at(o, key);
    if (!s && key2)
        s = str_at(o, key2);
    *out = PCCS_DAY_NONE;
    if (!s && !required)
        return PCCS_OK;
    if (!s || pccs_date_parse(pccs_str_from(s), out))
        return ferr(l, err, key, "expected a date (YYYY-MM-DD), found %s",
                    NZ(s));
    return PCCS_OK;
}

/* The code of the first coding of concept (in system, if given). */
static const char *
coding_code(json_t *concept, const char *system)
{
    json_t *codings = json_object_get(concept, "coding");
    size_t i;
    json_t *c;
    json_array_foreach(codings, i, c)
    {
        const char *sys = str_at(c, "system");
        if (!system || (sys && !strcmp(sys, system)))
            return str_at(c, "code");
    }
    return NULL;
}

static void
mark(struct pccs_load *ld, json_t *res)
{
    json_t *tags = json_object_get(json_object_get(res, "meta"), "tag");
    size_t i;
    json_t *t;
    json_array_foreach(tags, i, t)
    {
        const char *code = str_at(t, "code");
        const char *disp = str_at(t, "display");
        if (code && !strcmp(code, "synthetic"))
            pccs_load_mark(ld, pccs_str_from(disp ? disp : "synthetic"));
    }
}

/* generalPractitioner[].identifier.value */
static const char *
practice_of(json_t *res)
{
    json_t *gps = json_object_get(res, "generalPractitioner");
    size_t i;
    json_t *g;
    json_array_foreach(gps, i, g)
    {
        const char *v = str_at(json_object_get(g, "identifier"), "value");
        if (v)
            return v;
    }
    return NULL;
}

static int
patient_res(const struct fline *l, json_t *res, struct pccs_err *err)
{
    struct pccs_phm_load *p = l->p;
    const char *id = str_at(res, "id");
    const char *g = str_at(res, "gender");
    if (!id || !*id)
        return ferr(l, err, "id", "expected the patient's id, found %s",
                    "nothing");
    if (pccs__phm_patient(p, id, strlen(id)))
        return ferr(l, err, "id",
                    "expected a patient not loaded before, "
                    "found %s",
                    id);
    struct pccs_patient_row r = {.ext = id, .source_id = p->ld->src.id};
    r.sex = !g                     ? "U"
            : !strcmp(g, "male")   ? "M"
            : !strcmp(g, "female") ? "F"
                                   : "U";
    int rc = day_of(l, res, "birthDate", NULL, false, &r.birth, err);
    if (!rc)
        rc = day_of(l, res, "deceasedDateTime", NULL, false, &r.death, err);
    const char *prac = practice_of(res);
    if (!rc && (!prac || !pccs__phm_practice(p, prac, strlen(prac))))
        rc = ferr(l, err, "generalPractitioner",
                  "expected the ODS code of a practice in the store, found %s",
                  NZ(prac));
    if (!rc)
        rc = pccs_phm_put_patient(p->w, &r, err);
    if (rc)
        return rc;
    bool created;
    pccs_hmap_put(&p->patients, id, strlen(id), &created)->ival = r.id;
    pccs__phm_day(p, r.birth);
    struct pccs_registration_row reg = {.patient = r.id,
                                        .practice = prac,
                                        .start = PCCS_DAY_NONE,
                                        .end = PCCS_DAY_NONE,
                                        .source_id = p->ld->src.id};
    return pccs_phm_put_registration(p->w, &reg, err);
}

static int
subject_of(const struct fline *l, json_t *res, int64_t *id,
           struct pccs_err *err)
{
    const char *ref = str_at(json_object_get(res, "subject"), "reference");
    if (ref && !strncmp(ref, "Patient/", 8))
        *id = pccs__phm_patient(l->p, ref + 8, strlen(ref + 8));
    if (!ref || strncmp(ref, "Patient/", 8) || !*id)
        return ferr(l, err, "subject",
                    "expected \"Patient/ID\" of a patient already loaded "
                    "(load Patient.ndjson first), found %s",
                    NZ(ref));
    return PCCS_OK;
}

static int
event_res(const struct fline *l, json_t *res, enum fhir_type t,
          struct pccs_err *err)
{
    struct pccs_phm_load *p = l->p;
    struct pccs_event_row e = {.source_id = p->ld->src.id};
    int rc = subject_of(l, res, &e.patient, err);
    if (rc)
        return rc;
    bool med = t == F_MEDREQ;
    const char *key = med ? "medicationCodeableConcept" : "code";
    const char *code =
        coding_code(json_object_get(res, key), med ? NULL : SNOMED_SYSTEM);
    if (!code || !pccs_is_snomed(code, strlen(code), &e.code))
        return ferr(l, err, key,
                    med ? "expected a dm+d code in coding[], found %s"
                        : "expected a SNOMED CT code in coding[], found %s",
                    NZ(code));
    if (!med && !pccs_codelists_mask(&p->cl, e.code))
        return ferr(l, err, key,
                    "expected a code in one of the code lists "
                    "($PCCS_CODELISTS, data/rules/phm_codes.csv), found %s",
                    code);
    rc = t == F_CONDITION ? day_of(l, res, "onsetDateTime", "recordedDate",
                                   true, &e.day, err)
         : t == F_OBSERVATION
             ? day_of(l, res, "effectiveDateTime", "issued", true, &e.day, err)
             : day_of(l, res, "authoredOn", NULL, true, &e.day, err);
    json_t *v = json_object_get(json_object_get(res, "valueQuantity"), "value");
    if (!rc && t == F_OBSERVATION && v) {
        if (!json_is_number(v))
            return ferr(l, err, "valueQuantity", "expected a number, found %s",
                        "text");
        e.has_value = true;
        e.value = json_number_value(v);
    }
    if (rc)
        return rc;
    pccs__phm_day(p, e.day);
    return pccs_phm_put_event(
        p->w, med ? PCCS_EVENT_MEDICATION : PCCS_EVENT_CLINICAL, &e, err);
}

static int
one_line(const struct fline *l, enum fhir_type t, struct pccs_err *err)
{
    json_error_t je;
    json_t *res = json_loadb(l->text, l->len, 0, &je);
    if (!res || !json_is_object(res)) {
        json_decref(res);
        return pccs_err_at(err, PCCS_EPARSE, l->p->ld->name, l->line,
                           res             ? 1
                           : je.column > 0 ? je.column
                                           : 1,
                           "expected one FHIR %s resource as a JSON object "
                           "on the line: %s",
                           type_names[t], res ? "not an object" : je.text);
    }
    const char *rt = str_at(res, "resourceType");
    int rc = PCCS_OK;
    if (!rt || strcmp(rt, type_names[t]))
        rc = ferr(l, err, "resourceType",
                  t == F_PATIENT       ? "expected Patient (one type a file), "
                                         "found %s"
                  : t == F_CONDITION   ? "expected Condition (one type a "
                                         "file), found %s"
                  : t == F_OBSERVATION ? "expected Observation (one type a "
                                         "file), found %s"
                                       : "expected MedicationRequest (one "
                                         "type a file), found %s",
                  NZ(rt));
    if (!rc) {
        mark(l->p->ld, res);
        rc = t == F_PATIENT ? patient_res(l, res, err)
                            : event_res(l, res, t, err);
    }
    json_decref(res);
    return rc;
}

static int
load_fhir(struct pccs_load *ld, FILE *f, enum fhir_type t, struct pccs_err *err)
{
    struct pccs_phm_load p;
    int rc = pccs__phm_begin(&p, ld, t == F_CONDITION || t == F_OBSERVATION,
                             true, err);
    p.clinical = t != F_MEDREQ;
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;
    struct fline l = {.p = &p};
    while (!rc && (n = getline(&buf, &cap, f)) >= 0) {
        l.line++;
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
            buf[--n] = '\0';
        if (n == 0)
            continue;
        l.text = buf;
        l.len = (size_t)n;
        rc = one_line(&l, t, err);
        if (!rc)
            pccs_load_row(ld, (uint64_t)ftell(f));
    }
    free(buf);
    return pccs__phm_end(&p, rc, err);
}

/* The first line names its resourceType. */
static bool
sniff(const char *line, size_t len, enum fhir_type t)
{
    json_error_t je;
    json_t *res = json_loadb(line, len, 0, &je);
    const char *rt = str_at(res, "resourceType");
    bool ok = rt && !strcmp(rt, type_names[t]);
    json_decref(res);
    return ok;
}

#define FHIR_KIND(var, t, kname, pub)                                          \
    static bool var##_sniff(const char *line, size_t len)                      \
    {                                                                          \
        return sniff(line, len, t);                                            \
    }                                                                          \
    static int var##_load(struct pccs_load *ld, FILE *f, struct pccs_err *err) \
    {                                                                          \
        return load_fhir(ld, f, t, err);                                       \
    }                                                                          \
    const struct pccs_source_kind var = {                                      \
        .kind = kname,                                                         \
        .publication = pub,                                                    \
        .sniff_ndjson = var##_sniff,                                           \
        .load_ndjson = var##_load,                                             \
    };

FHIR_KIND(pccs_source_fhir_patient, F_PATIENT, "fhir_patient",
          "FHIR R4 bulk data export: Patient (NDJSON)")
FHIR_KIND(pccs_source_fhir_condition, F_CONDITION, "fhir_condition",
          "FHIR R4 bulk data export: Condition (NDJSON)")
FHIR_KIND(pccs_source_fhir_observation, F_OBSERVATION, "fhir_observation",
          "FHIR R4 bulk data export: Observation (NDJSON)")
FHIR_KIND(pccs_source_fhir_medication_request, F_MEDREQ,
          "fhir_medication_request",
          "FHIR R4 bulk data export: MedicationRequest (NDJSON)")
