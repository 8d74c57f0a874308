/* SPDX-License-Identifier: MIT */
/*
 * Direct booking over FHIR R4 (issue 19), after GP Connect Appointment
 * Management: GET /fhir/Slot (a searchset Bundle of the slots the user
 * may book into), POST /fhir/Appointment (book one slot, with an
 * Idempotency-Key), GET /fhir/Appointment (search) and
 * /fhir/Appointment/ID (read), PATCH /fhir/Appointment/ID (a JSON Patch
 * replacing /status with cancelled, fulfilled or noshow). Errors are
 * OperationOutcome resources.
 *
 * A booking is one store transaction: the Idempotency-Key is looked up,
 * the slot turns busy only if free, the appointment, the key's first
 * answer and the audit line are written, and only then is it committed
 * and acknowledged. The slot is never given twice (store.h says how).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "calc/booking.h"
#include "model/booking.h"
#include "web/web.h"

#define NHS_NUMBER_SYSTEM "https://fhir.nhs.uk/Id/nhs-number"
#define ODS_SYSTEM "https://fhir.nhs.uk/Id/ods-organization-code"
#define FHIR_JSON "application/fhir+json; charset=utf-8"

/* ===== Resources ===== */

static json_t *
identifier(const char *system, const char *value)
{
    return json_pack("{s:s, s:s}", "system", system, "value", value);
}

static json_t *
slot_resource(const struct pccs_slot_row *s)
{
    char id[24], sched[64], start[40], end[40];
    snprintf(id, sizeof(id), "%lld", (long long)s->id);
    snprintf(sched, sizeof(sched), "Schedule/%s", s->session_key);
    pccs_booking_instant(s->start, start);
    pccs_booking_instant(s->end, end);
    json_t *j = json_pack(
        "{s:s, s:s, s:[{s:s}], s:{s:s, s:s}, s:s, s:s, s:s, s:s}",
        "resourceType", "Slot", "id", id, "serviceType", "text", s->service,
        "schedule", "reference", sched, "display", s->org, "status", s->status,
        "start", start, "end", end, "comment", "");
    char comment[256];
    snprintf(comment, sizeof(comment), "%s, %s at %s; bookable by %s",
             s->service, s->staff_role, s->site, s->bookable);
    json_object_set_new(j, "comment", json_string(comment));
    return j;
}

/* The text an appointment in a withdrawn slot carries. */
#define REBOOK_COMMENT                                                         \
    "to rebook: its slot was withdrawn (entered-in-error), its session "       \
    "removed or changed in the access_sessions register"

static json_t *
appt_resource(const struct pccs_appt_row *a, bool rebook)
{
    char id[24], slot[40], start[40], end[40], org[64];
    snprintf(id, sizeof(id), "%lld", (long long)a->id);
    snprintf(slot, sizeof(slot), "Slot/%lld", (long long)a->slot_id);
    snprintf(org, sizeof(org), "Organization/%s", a->org);
    pccs_booking_instant(a->start, start);
    pccs_booking_instant(a->end, end);
    json_t *patient = json_pack("{s:s, s:s, s:[o], s:[{s:o}]}", "resourceType",
                                "Patient", "id", "patient", "identifier",
                                identifier(NHS_NUMBER_SYSTEM, a->nhs_number),
                                "generalPractitioner", "identifier",
                                identifier(ODS_SYSTEM, a->practice));
    json_t *j = json_pack(
        "{s:s, s:s, s:[o], s:s, s:s, s:s, s:I, s:[{s:s}], s:s, "
        "s:[{s:{s:s}, s:s}, {s:{s:s, s:o}, s:s}]}",
        "resourceType", "Appointment", "id", id, "contained", patient, "status",
        a->status, "start", start, "end", end, "minutesDuration",
        (json_int_t)a->minutes, "slot", "reference", slot, "created",
        a->created_at, "participant", "actor", "reference", "#patient",
        "status", "accepted", "actor", "reference", org, "identifier",
        identifier(ODS_SYSTEM, a->org), "status", "accepted");
    if (rebook && !strcmp(a->status, "booked"))
        json_object_set_new(j, "comment", json_string(REBOOK_COMMENT));
    return j;
}

/* ===== Withdrawn slots ===== */

/* The ids of the slots withdrawn (n of them in v, room for cap). */
struct ids {
    size_t n, cap;
    int64_t *v;
};

static int
withdrawn_row(void *ctx, const struct pccs_slot_row *s)
{
    struct ids *w = ctx;
    w->v = pccs_xgrow(w->v, &w->cap, w->n + 1, sizeof(*w->v));
    w->v[w->n++] = s->id;
    return 0;
}

/* The slots withdrawn because their sessions went from the register. */
static int
withdrawn_slots(struct pccs_store *st, struct ids *w, struct pccs_err *err)
{
    struct pccs_booking_filter f = {.status = "entered-in-error"};
    return pccs_store_slots_each(st, &f, withdrawn_row, w, err);
}

static bool
ids_has(const struct ids *w, int64_t id)
{
    for (size_t i = 0; i < w->n; i++)
        if (w->v[i] == id)
            return true;
    return false;
}

static json_t *
bundle_new(void)
{
    return json_pack("{s:s, s:s, s:i, s:[]}", "resourceType", "Bundle", "type",
                     "searchset", "total", 0, "entry");
}

static void
bundle_add(json_t *b, const char *type, json_int_t id, json_t *res)
{
    char url[64];
    snprintf(url, sizeof(url), "/fhir/%s/%lld", type, (long long)id);
    json_array_append_new(json_object_get(b, "entry"),
                          json_pack("{s:s, s:o, s:{s:s}}", "fullUrl", url,
                                    "resource", res, "search", "mode",
                                    "match"));
    json_object_set_new(
        b, "total",
        json_integer((json_int_t)json_array_size(json_object_get(b, "entry"))));
}

static void
reply_fhir(struct pccs_web_reply *r, json_t *j)
{
    pccs_web_reply_json(r, j);
    r->type = FHIR_JSON;
}

void
pccs_web_fhir_outcome(struct pccs_web_reply *r, int code, const char *msg)
{
    const char *issue = code == PCCS_ECONFLICT     ? "conflict"
                        : code == PCCS_EFORBIDDEN  ? "forbidden"
                        : code == PCCS_ENOTFOUND   ? "not-found"
                        : code == PCCS_WEB_ESIGNIN ? "login"
                        : code == PCCS_EINVAL      ? "invalid"
                        : code == PCCS_WEB_EMETHOD ? "not-supported"
                                                   : "exception";
    free(r->body);
    r->body = NULL;
    reply_fhir(r, json_pack("{s:s, s:[{s:s, s:s, s:s}]}", "resourceType",
                            "OperationOutcome", "issue", "severity", "error",
                            "code", issue, "diagnostics", msg));
}

/* ===== GET /fhir/Slot ===== */

struct slot_search {
    struct pccs_web_server *sv;
    struct pccs_web_request *rq;
    struct pccs_booking_filter f;
    char from[32], to[32];
    const char *bad;
    json_t *bundle;
};

/* A search date: ge/gt/le/lt/eq and a date or local date-time. */
static enum MHD_Result
start_arg(void *ctx, enum MHD_ValueKind kind, const char *k, const char *v)
{
    (void)kind;
    struct slot_search *q = ctx;
    if (strcmp(k, "start") || !v)
        return MHD_YES;
    char op[3] = "eq";
    if (strlen(v) > 2 && v[0] >= 'a' && v[0] <= 'z') {
        memcpy(op, v, 2);
        v += 2;
    }
    pccs_day d;
    size_t n = strlen(v);
    if (n < 10 || n > 19 ||
        pccs_date_parse((struct pccs_str){.p = v, .len = 10}, &d)) {
        q->bad = v;
        return MHD_NO;
    }
    bool date_only = n == 10;
    if (!strcmp(op, "ge") || !strcmp(op, "gt") || !strcmp(op, "eq"))
        snprintf(q->from, sizeof(q->from), "%s", v);
    if (!strcmp(op, "le") || !strcmp(op, "lt") || !strcmp(op, "eq"))
        snprintf(q->to, sizeof(q->to), "%s%s", v, date_only ? "T23:59:59" : "");
    if (strcmp(op, "ge") && strcmp(op, "gt") && strcmp(op, "le") &&
        strcmp(op, "lt") && strcmp(op, "eq"))
        q->bad = op;
    return q->bad ? MHD_NO : MHD_YES;
}

/* Slots within the scope, or that the user may book into. */
static int
slot_row(void *ctx, const struct pccs_slot_row *s)
{
    struct slot_search *q = ctx;
    pccs_day at = pccs_tree_default_day(&q->sv->tree);
    bool within = pccs_web_org_within(
        q->sv, pccs_tree_find(&q->sv->tree, s->org), q->rq->scope, at);
    if (q->rq->sess.role == PCCS_ROLE_NHS111)
        within = false; /* 111 sees the slots it may book into */
    if (within || pccs_web_may_book(q->sv, q->rq, s->org, s->bookable, NULL))
        bundle_add(q->bundle, "Slot", s->id, slot_resource(s));
    return 0;
}

/* "Organization/CODE" or "CODE". */
static const char *
actor_code(const char *v)
{
    if (v && !strncmp(v, "Organization/", 13))
        return v + 13;
    return v;
}

int
pccs_web_fhir_slots(struct pccs_web_server *sv, struct pccs_web_request *rq,
                    struct pccs_web_reply *r, struct pccs_err *err)
{
    struct slot_search q = {.sv = sv, .rq = rq};
    MHD_get_connection_values(rq->c, MHD_GET_ARGUMENT_KIND, start_arg, &q);
    if (q.bad)
        return pccs_err_set(err, PCCS_EINVAL,
                            "start: a date (YYYY-MM-DD) or local date-time "
                            "after ge, gt, le, lt or eq, not %.40s",
                            q.bad);
    q.f.org = actor_code(pccs_web_arg(rq->c, "schedule.actor"));
    q.f.status = pccs_web_arg(rq->c, "status");
    q.f.from = q.from[0] ? q.from : NULL;
    q.f.to = q.to[0] ? q.to : NULL;
    if (q.f.status && strcmp(q.f.status, "free") &&
        strcmp(q.f.status, "busy") && strcmp(q.f.status, "entered-in-error"))
        return pccs_err_set(err, PCCS_EINVAL,
                            "status: free, busy or entered-in-error, not "
                            "%.20s",
                            q.f.status);
    q.bundle = bundle_new();
    int rc = pccs_store_slots_each(rq->st, &q.f, slot_row, &q, err);
    if (rc) {
        json_decref(q.bundle);
        return rc;
    }
    reply_fhir(r, q.bundle);
    return PCCS_OK;
}

/* ===== Appointments: reading ===== */

/* May the user see appointment a (patient-level data)? */
static bool
may_see(struct pccs_web_server *sv, const struct pccs_web_request *rq,
        const struct pccs_appt_row *a)
{
    pccs_day at = pccs_tree_default_day(&sv->tree);
    switch (rq->sess.role) {
    case PCCS_ROLE_ADMIN:
        return true;
    case PCCS_ROLE_PRACTICE:
        return !strcmp(a->practice, rq->sess.scope) ||
               !strcmp(a->org, rq->sess.scope);
    case PCCS_ROLE_HUB:
        return pccs_web_org_within(sv, pccs_tree_find(&sv->tree, a->org),
                                   rq->scope, at);
    case PCCS_ROLE_NHS111:
        return !strcmp(a->booked_by, rq->sess.user);
    default:
        return false;
    }
}

struct appt_search {
    struct pccs_web_server *sv;
    struct pccs_web_request *rq;
    json_t *bundle;
    size_t n;
    struct ids withdrawn;
    bool rebook_only;
};

static int
appt_row(void *ctx, const struct pccs_appt_row *a)
{
    struct appt_search *q = ctx;
    bool rebook =
        ids_has(&q->withdrawn, a->slot_id) && !strcmp(a->status, "booked");
    if (q->rebook_only && !rebook)
        return 0;
    if (may_see(q->sv, q->rq, a)) {
        bundle_add(q->bundle, "Appointment", a->id, appt_resource(a, rebook));
        q->n++;
    }
    return 0;
}

int
pccs_web_fhir_appts(struct pccs_web_server *sv, struct pccs_web_request *rq,
                    struct pccs_web_reply *r, struct pccs_err *err)
{
    struct pccs_booking_filter f = {
        .org = actor_code(pccs_web_arg(rq->c, "actor")),
        .status = pccs_web_arg(rq->c, "status"),
        .nhs_number = pccs_web_arg(rq->c, "patient.identifier"),
    };
    const char *nhs = f.nhs_number ? strchr(f.nhs_number, '|') : NULL;
    if (nhs)
        f.nhs_number = nhs + 1;
    const char *rebook = pccs_web_arg(rq->c, "rebook");
    if (rebook && strcmp(rebook, "true") && strcmp(rebook, "false"))
        return pccs_err_set(err, PCCS_EINVAL,
                            "rebook: true or false, not %.20s", rebook);
    struct appt_search q = {
        .sv = sv, .rq = rq, .rebook_only = rebook && !strcmp(rebook, "true")};
    int rc = withdrawn_slots(rq->st, &q.withdrawn, err);
    q.bundle = bundle_new();
    if (!rc)
        rc = pccs_store_appts_each(rq->st, &f, appt_row, &q, err);
    free(q.withdrawn.v);
    if (rc) {
        json_decref(q.bundle);
        return rc;
    }
    char what[64];
    snprintf(what, sizeof(what), "%zu appointments", q.n);
    if (q.n)
        pccs_web_audit(sv, rq, rq->sess.user, "appointments read", what);
    reply_fhir(r, q.bundle);
    return PCCS_OK;
}

struct one_appt {
    const struct ids *withdrawn; /* set by appt_get */
    json_t *res;
    struct pccs_appt_row row;
    char practice[32], org[32], booked_by[65];
};

static int
one_row(void *ctx, const struct pccs_appt_row *a)
{
    struct one_appt *o = ctx;
    o->res =
        appt_resource(a, o->withdrawn && ids_has(o->withdrawn, a->slot_id));
    o->row = *a;
    snprintf(o->practice, sizeof(o->practice), "%s", a->practice);
    snprintf(o->org, sizeof(o->org), "%s", a->org);
    snprintf(o->booked_by, sizeof(o->booked_by), "%s", a->booked_by);
    o->row.practice = o->practice;
    o->row.org = o->org;
    o->row.booked_by = o->booked_by;
    o->row.nhs_number = o->row.status = o->row.created_at = NULL;
    o->row.updated_at = o->row.start = o->row.end = NULL;
    return 1;
}

/* Appointment id into *o (o->res owned by the caller), or ENOTFOUND. */
static int
appt_get(struct pccs_store *st, int64_t id, struct one_appt *o,
         struct pccs_err *err)
{
    struct pccs_booking_filter f = {.id = id};
    struct ids w = {0};
    int rc = withdrawn_slots(st, &w, err);
    o->withdrawn = &w;
    if (!rc)
        rc = pccs_store_appts_each(st, &f, one_row, o, err);
    o->withdrawn = NULL;
    free(w.v);
    if (rc < 0)
        return rc;
    if (!o->res)
        return pccs_err_set(err, PCCS_ENOTFOUND, "no appointment %lld",
                            (long long)id);
    return PCCS_OK;
}

static int
path_id(const char *rest, int64_t *id, struct pccs_err *err)
{
    char *end;
    long long v = strtoll(rest, &end, 10);
    if (!*rest || *end || v <= 0)
        return pccs_err_set(err, PCCS_ENOTFOUND, "no appointment %.40s", rest);
    *id = v;
    return PCCS_OK;
}

/* May the user move appointment a to status? */
static bool
may_change(struct pccs_web_server *sv, const struct pccs_web_request *rq,
           const struct pccs_appt_row *a, const char *status)
{
    if (rq->sess.role == PCCS_ROLE_NHS111)
        return !strcmp(status, "cancelled") &&
               !strcmp(a->booked_by, rq->sess.user);
    return may_see(sv, rq, a);
}

/* The status a JSON Patch [{"op": "replace", "path": "/status", ...}]
 * asks for. */
static int
patch_status(const struct pccs_web_request *rq, const char **status,
             struct pccs_err *err)
{
    json_error_t je;
    json_t *j = json_loadb(rq->body ? rq->body : "", rq->body_len, 0, &je);
    json_t *op = json_is_array(j) && json_array_size(j) == 1
                     ? json_array_get(j, 0)
                     : NULL;
    const char *o = json_string_value(json_object_get(op, "op"));
    const char *path = json_string_value(json_object_get(op, "path"));
    const char *v = json_string_value(json_object_get(op, "value"));
    static const char *const ok[] = {"cancelled", "fulfilled", "noshow"};
    *status = NULL;
    for (size_t i = 0; v && i < 3; i++)
        if (!strcmp(v, ok[i]))
            *status = ok[i];
    int rc = PCCS_OK;
    if (!o || strcmp(o, "replace") || !path || strcmp(path, "/status") ||
        !*status)
        rc = pccs_err_set(err, PCCS_EINVAL,
                          "the body must be a JSON Patch of one operation, "
                          "[{\"op\": \"replace\", \"path\": \"/status\", "
                          "\"value\": \"cancelled\" | \"fulfilled\" | "
                          "\"noshow\"}]");
    json_decref(j);
    return rc;
}

static int
appt_patch(struct pccs_web_server *sv, struct pccs_web_request *rq, int64_t id,
           struct pccs_web_reply *r, struct pccs_err *err)
{
    const char *status;
    int rc = patch_status(rq, &status, err);
    struct one_appt o = {0};
    if (!rc)
        rc = appt_get(rq->st, id, &o, err);
    json_decref(o.res);
    char what[96];
    snprintf(what, sizeof(what), "appointment %lld to %s", (long long)id,
             status ? status : "?");
    if (!rc && !may_change(sv, rq, &o.row, status)) {
        pccs_web_audit(sv, rq, rq->sess.user, "booking denied", what);
        return pccs_err_set(err, PCCS_EFORBIDDEN,
                            "%s is outside the scope of %s", what,
                            rq->sess.user);
    }
    if (!rc)
        rc = pccs_store_begin(rq->st, err);
    if (rc)
        return rc;
    rc = pccs_store_appt_set_status(rq->st, id, status, err);
    if (!rc && !pccs_web_audit(sv, rq, rq->sess.user, "appointment", what))
        rc = pccs_err_set(err, PCCS_EIO, "cannot write the audit log");
    if (!rc)
        rc = pccs_store_commit(rq->st, err);
    if (rc) {
        pccs_store_rollback(rq->st);
        return rc;
    }
    o = (struct one_appt){0};
    rc = appt_get(rq->st, id, &o, err);
    if (!rc)
        reply_fhir(r, o.res);
    return rc;
}

int
pccs_web_fhir_appt(struct pccs_web_server *sv, struct pccs_web_request *rq,
                   struct pccs_web_reply *r, struct pccs_err *err)
{
    int64_t id = 0;
    int rc = path_id(rq->rest, &id, err);
    if (rc)
        return rc;
    if (!strcmp(rq->method, "PATCH"))
        return appt_patch(sv, rq, id, r, err);
    struct one_appt o = {0};
    rc = appt_get(rq->st, id, &o, err);
    if (rc)
        return rc;
    char what[64];
    snprintf(what, sizeof(what), "appointment %lld", (long long)id);
    if (!may_see(sv, rq, &o.row)) {
        json_decref(o.res);
        pccs_web_audit(sv, rq, rq->sess.user, "denied", what);
        return pccs_err_set(err, PCCS_EFORBIDDEN,
                            "%s is outside the scope of %s", what,
                            rq->sess.user);
    }
    pccs_web_audit(sv, rq, rq->sess.user, "appointments read", what);
    reply_fhir(r, o.res);
    return PCCS_OK;
}

/* ===== POST /fhir/Appointment ===== */

struct booking {
    int64_t slot;
    const char *nhs, *practice;
    char digest[crypto_hash_sha256_BYTES * 2 + 1];
    const char *key;
    char nhs_buf[16], practice_buf[32]; /* copies out of the request */
    char note[256]; /* what the patient records said, for the answer */
};

/* The contained Patient the participant "#..." names. */
static json_t *
contained_patient(json_t *j)
{
    json_t *c;
    size_t i;
    json_array_foreach(json_object_get(j, "contained"), i, c)
    {
        const char *t = json_string_value(json_object_get(c, "resourceType"));
        if (t && !strcmp(t, "Patient"))
            return c;
    }
    return NULL;
}

/* The slot, NHS number and practice of a booking request. */
static int
parse_booking(json_t *j, struct booking *b, struct pccs_err *err)
{
    const char *t = json_string_value(json_object_get(j, "resourceType"));
    const char *ref = json_string_value(json_object_get(
        json_array_get(json_object_get(j, "slot"), 0), "reference"));
    json_t *p = contained_patient(j);
    json_t *id = json_array_get(json_object_get(p, "identifier"), 0);
    const char *sys = json_string_value(json_object_get(id, "system"));
    b->nhs = json_string_value(json_object_get(id, "value"));
    b->practice = json_string_value(json_object_get(
        json_object_get(
            json_array_get(json_object_get(p, "generalPractitioner"), 0),
            "identifier"),
        "value"));
    char *end = NULL;
    b->slot = ref && !strncmp(ref, "Slot/", 5) ? strtoll(ref + 5, &end, 10) : 0;
    if (!t || strcmp(t, "Appointment"))
        return pccs_err_set(err, PCCS_EINVAL,
                            "resourceType must be "
                            "Appointment");
    if (b->slot <= 0 || !end || *end)
        return pccs_err_set(err, PCCS_EINVAL,
                            "slot[0].reference must be Slot/ID");
    if (!b->nhs || !sys || strcmp(sys, NHS_NUMBER_SYSTEM) ||
        !pccs_nhs_number_valid(b->nhs))
        return pccs_err_set(err, PCCS_EINVAL,
                            "contained Patient: identifier[0] must be a "
                            "valid NHS number (system " NHS_NUMBER_SYSTEM
                            ", ten digits with a right check digit)");
    if (!b->practice)
        return pccs_err_set(err, PCCS_EINVAL,
                            "contained Patient: generalPractitioner[0]."
                            "identifier.value must be the ODS code of the "
                            "patient's practice");
    return PCCS_OK;
}

struct slot_copy {
    bool found, withdrawn;
    char org[32], bookable[16], start[24];
};

static int
slot_copy_row(void *ctx, const struct pccs_slot_row *s)
{
    struct slot_copy *c = ctx;
    c->found = true;
    snprintf(c->org, sizeof(c->org), "%s", s->org);
    snprintf(c->bookable, sizeof(c->bookable), "%s", s->bookable);
    c->withdrawn = !strcmp(s->status, "entered-in-error");
    snprintf(c->start, sizeof(c->start), "%s", s->start);
    return 1;
}

/* In the transaction: the first answer of the key, or a new booking. */
static int
book_tx(struct pccs_web_server *sv, struct pccs_web_request *rq,
        const struct booking *b, int64_t *appt, struct pccs_err *err)
{
    char req[80];
    int status;
    int rc = pccs_store_idem_get(rq->st, rq->sess.user, b->key, req,
                                 sizeof(req), &status, appt, err);
    if (!rc) { /* a retry: the first answer */
        if (strcmp(req, b->digest))
            return pccs_err_set(err, PCCS_EINVAL,
                                "Idempotency-Key %.64s was used for a "
                                "different request",
                                b->key);
        return status == 201 ? PCCS_OK
                             : pccs_err_set(err, PCCS_ECONFLICT,
                                            "slot %lld is already booked",
                                            (long long)b->slot);
    }
    if (rc != PCCS_ENOTFOUND)
        return rc;
    pccs_err_clear(err);
    struct pccs_appt_row a = {.slot_id = b->slot,
                              .nhs_number = b->nhs,
                              .practice = b->practice,
                              .booked_by = rq->sess.user};
    rc = pccs_store_appt_book(rq->st, &a, appt, err);
    if (rc && rc != PCCS_ECONFLICT)
        return rc;
    int kept = pccs_store_idem_put(rq->st, rq->sess.user, b->key, b->digest,
                                   rc ? 409 : 201, rc ? 0 : *appt, NULL);
    char what[96];
    snprintf(what, sizeof(what), "slot %lld appointment %lld",
             (long long)b->slot, rc ? 0LL : (long long)*appt);
    if (kept || !pccs_web_audit(sv, rq, rq->sess.user,
                                rc ? "booking refused" : "booked", what))
        return pccs_err_set(err, PCCS_EIO, "cannot keep the booking's record");
    return rc;
}

static void
digest_of(const struct pccs_web_request *rq, char *out)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)(rq->body ? rq->body : ""),
                       rq->body_len);
    sodium_bin2hex(out, crypto_hash_sha256_BYTES * 2 + 1, h, sizeof(h));
}

/* ===== The patient's practice, from the patient records ===== */

/* Not in the records (synthetic records, for one, have no NHS numbers):
 * the practice the request names is used, and the answer says so. */
static void
not_in_records(struct booking *b, const char *day)
{
    snprintf(b->note, sizeof(b->note),
             "patient %s has no registration on %s in the patient records "
             "loaded: the practice the request names (%s) is used",
             b->nhs, day, b->practice);
}

/*
 * The practice the patient is registered with on the slot's day, from
 * the patient records loaded (issue 18's patients and registrations),
 * replaces the one the request names; with no patient records loaded,
 * the request's is used and the answer says so.
 */
static int
patient_practice(struct pccs_web_request *rq, struct booking *b,
                 const char *start, struct pccs_err *err)
{
    pccs_day day;
    char ds[11];
    snprintf(ds, sizeof(ds), "%.10s", start);
    if (pccs_date_parse(pccs_str_from(ds), &day))
        return pccs_err_set(err, PCCS_EINVAL, "slot %lld has no day",
                            (long long)b->slot);
    char held[32];
    bool loaded;
    int rc = pccs_store_patient_practice(rq->st, b->nhs, day, held,
                                         sizeof(held), &loaded, err);
    if (rc && rc != PCCS_ENOTFOUND)
        return rc;
    pccs_err_clear(err);
    if (!loaded) {
        snprintf(b->note, sizeof(b->note),
                 "no patient-level data is loaded: the patient's practice "
                 "(%s) is the one the request names, not checked",
                 b->practice);
        return PCCS_OK;
    }
    if (rc) {
        not_in_records(b, ds);
        return PCCS_OK;
    }
    if (strcmp(held, b->practice))
        snprintf(b->note, sizeof(b->note),
                 "the patient records have patient %s registered with %s on "
                 "%s, not %s as the request says: %s is used",
                 b->nhs, held, ds, b->practice, held);
    snprintf(b->practice_buf, sizeof(b->practice_buf), "%s", held);
    return PCCS_OK;
}

/* Parse, authorise: everything before the transaction. */
static int
book_prepare(struct pccs_web_server *sv, struct pccs_web_request *rq,
             struct booking *b, struct pccs_err *err)
{
    b->key =
        MHD_lookup_connection_value(rq->c, MHD_HEADER_KIND, "Idempotency-Key");
    if (!b->key || !*b->key || strlen(b->key) > 128)
        return pccs_err_set(err, PCCS_EINVAL,
                            "an Idempotency-Key header (1 to 128 "
                            "characters) is needed to book");
    json_error_t je;
    json_t *j = json_loadb(rq->body ? rq->body : "", rq->body_len, 0, &je);
    if (!j)
        return pccs_err_set(err, PCCS_EINVAL, "the body is not JSON: %s",
                            je.text);
    int rc = parse_booking(j, b, err);
    /* The strings live in j: keep copies for the transaction. */
    if (!rc) {
        snprintf(b->nhs_buf, sizeof(b->nhs_buf), "%s", b->nhs);
        snprintf(b->practice_buf, sizeof(b->practice_buf), "%s", b->practice);
        b->nhs = b->nhs_buf;
        b->practice = b->practice_buf;
    }
    json_decref(j);
    if (rc)
        return rc;
    digest_of(rq, b->digest);
    struct slot_copy sc = {0};
    struct pccs_booking_filter f = {.id = b->slot};
    rc = pccs_store_slots_each(rq->st, &f, slot_copy_row, &sc, err);
    if (rc < 0)
        return rc;
    if (!sc.found)
        return pccs_err_set(err, PCCS_ENOTFOUND, "no slot %lld",
                            (long long)b->slot);
    rc = patient_practice(rq, b, sc.start, err);
    if (!rc)
        rc = pccs_web_authorise_booking(sv, rq, sc.org, sc.bookable,
                                        b->practice, err);
    if (!rc && sc.withdrawn)
        rc = pccs_err_set(err, PCCS_ECONFLICT,
                          "slot %lld was withdrawn: its session was removed "
                          "or changed in the access_sessions register",
                          (long long)b->slot);
    return rc;
}

/* Prefer: return=OperationOutcome (FHIR R4 RESTful API). */
static bool
prefers_outcome(const struct pccs_web_request *rq)
{
    const char *p =
        MHD_lookup_connection_value(rq->c, MHD_HEADER_KIND, "Prefer");
    return p && strstr(p, "return=OperationOutcome");
}

/* The answer as an OperationOutcome: the booking, and what the patient
 * records said (information). Takes appt. */
static json_t *
booked_outcome(const struct booking *b, json_t *appt)
{
    char msg[96];
    snprintf(msg, sizeof(msg), "booked Appointment/%s in Slot/%lld",
             json_string_value(json_object_get(appt, "id")),
             (long long)b->slot);
    json_t *issues = json_pack("[{s:s, s:s, s:s}]", "severity", "information",
                               "code", "informational", "diagnostics", msg);
    if (b->note[0])
        json_array_append_new(
            issues, json_pack("{s:s, s:s, s:s}", "severity", "information",
                              "code", "informational", "diagnostics", b->note));
    json_decref(appt);
    return json_pack("{s:s, s:o}", "resourceType", "OperationOutcome", "issue",
                     issues);
}

int
pccs_web_fhir_book(struct pccs_web_server *sv, struct pccs_web_request *rq,
                   struct pccs_web_reply *r, struct pccs_err *err)
{
    struct booking b = {0};
    int rc = book_prepare(sv, rq, &b, err);
    if (!rc)
        rc = pccs_store_begin(rq->st, err);
    if (rc)
        return rc;
    int64_t appt = 0;
    rc = book_tx(sv, rq, &b, &appt, err);
    if (rc == PCCS_OK || rc == PCCS_ECONFLICT) {
        /* The answer is only given once it is kept. */
        struct pccs_err cerr = PCCS_ERR_INIT;
        int crc = pccs_store_commit(rq->st, &cerr);
        if (crc) {
            pccs_store_rollback(rq->st);
            *err = cerr;
            return crc;
        }
    }
    else
        pccs_store_rollback(rq->st);
    if (rc)
        return rc;
    struct one_appt o = {0};
    rc = appt_get(rq->st, appt, &o, err);
    if (rc)
        return rc;
    reply_fhir(r, prefers_outcome(rq) ? booked_outcome(&b, o.res) : o.res);
    return PCCS_WEB_CREATED;
}
