#!/usr/bin/python3
"""What the direct booking tests share (issue 19): a small HTTP client for
pccs serve's FHIR routes, the Appointment a booking sends, and checks of
resources against the FHIR R4 structure, written from the specification
(hl7.org/fhir/R4: Bundle, Slot, Appointment, OperationOutcome; their
required elements, cardinalities and required value sets), not from pccs.
"""
import http.client
import json
import re
import urllib.parse

NHS = "https://fhir.nhs.uk/Id/nhs-number"
ODS = "https://fhir.nhs.uk/Id/ods-organization-code"
PASSWORD = "a long enough passphrase"


class Session:
    def __init__(self, url, user, password=PASSWORD):
        self.url = url
        u = urllib.parse.urlparse(url)
        self.host, self.port = u.hostname, u.port
        self.conn = None
        st, body, hdrs = self.call("POST", "/api/login",
                                   {"user": user, "password": password})
        if st != 200:
            raise RuntimeError(f"login {user}: {st} {body}")
        self.csrf = json.loads(body)["csrf"]
        cookie = hdrs.get("Set-Cookie", "")
        self.token = re.search(r"pccs_session=([0-9a-f]+)", cookie).group(1)

    def call(self, method, path, body=None, headers=None, timeout=60):
        h = dict(headers or {})
        if getattr(self, "token", None):
            h["Cookie"] = "pccs_session=" + self.token
            if method not in ("GET", "HEAD"):
                h["X-CSRF-Token"] = self.csrf
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            h["Content-Type"] = ("application/json" if path.startswith("/api/")
                                 else "application/fhir+json")
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port,
                                                       timeout=timeout)
            try:
                self.conn.request(method, path, body=data, headers=h)
                r = self.conn.getresponse()
                return r.status, r.read().decode(), r.headers
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


def appointment(slot, nhs, practice):
    return {
        "resourceType": "Appointment",
        "status": "booked",
        "slot": [{"reference": f"Slot/{slot}"}],
        "contained": [{
            "resourceType": "Patient",
            "id": "patient",
            "identifier": [{"system": NHS, "value": nhs}],
            "generalPractitioner": [{"identifier": {"system": ODS,
                                                    "value": practice}}],
        }],
        "participant": [{"actor": {"reference": "#patient"},
                         "status": "accepted"}],
    }


def book(s, slot, nhs, practice, key):
    st, body, _ = s.call("POST", "/fhir/Appointment",
                         appointment(slot, nhs, practice),
                         {"Idempotency-Key": key})
    return st, body


def nhs_number(seed):
    """A valid NHS number (modulus 11) from seed."""
    n = 900000000 + seed
    while True:
        d = [int(c) for c in f"{n:09d}"]
        c = 11 - sum(x * (10 - i) for i, x in enumerate(d)) % 11
        c = 0 if c == 11 else c
        if c != 10:
            return f"{n:09d}{c}"
        n += 1


# --- FHIR R4 structure (the parts these resources use)
INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
DATETIME = re.compile(r"^\d{4}(-\d\d(-\d\d(T\d\d:\d\d:\d\d(\.\d+)?"
                      r"(Z|[+-]\d\d:\d\d))?)?)?$")
ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
SLOT_STATUS = {"busy", "free", "busy-unavailable", "busy-tentative",
               "entered-in-error"}
APPT_STATUS = {"proposed", "pending", "booked", "arrived", "fulfilled",
               "cancelled", "noshow", "entered-in-error", "checked-in",
               "waitlist"}
PARTICIPATION = {"accepted", "declined", "tentative", "needs-action"}
BUNDLE_TYPE = {"document", "message", "transaction", "transaction-response",
               "batch", "batch-response", "history", "searchset",
               "collection"}
SEVERITY = {"fatal", "error", "warning", "information"}
ISSUE_TYPE = {"invalid", "structure", "required", "value", "invariant",
              "security", "login", "unknown", "expired", "forbidden",
              "suppressed", "processing", "not-supported", "duplicate",
              "multiple-matches", "not-found", "deleted", "too-long",
              "code-invalid", "extension", "too-costly", "business-rule",
              "conflict", "transient", "lock-error", "no-store", "exception",
              "timeout", "incomplete", "throttled", "informational"}


def _reference(r, where, errs):
    if not isinstance(r, dict) or not (set(r) <= {"reference", "type",
                                                  "identifier", "display"}):
        errs.append(f"{where}: not a Reference")


def check_slot(r, errs, where="Slot"):
    if r.get("resourceType") != "Slot":
        errs.append(f"{where}: resourceType")
    if "id" in r and not ID.match(r["id"]):
        errs.append(f"{where}: id")
    _reference(r.get("schedule"), f"{where}.schedule (1..1)", errs)
    if r.get("status") not in SLOT_STATUS:
        errs.append(f"{where}.status (1..1, SlotStatus)")
    for k in ("start", "end"):
        if not INSTANT.match(str(r.get(k, ""))):
            errs.append(f"{where}.{k} (1..1 instant)")
    for st in r.get("serviceType", []):
        if not isinstance(st, dict):
            errs.append(f"{where}.serviceType: CodeableConcept")


def check_appointment(r, errs, where="Appointment"):
    if r.get("resourceType") != "Appointment":
        errs.append(f"{where}: resourceType")
    if r.get("status") not in APPT_STATUS:
        errs.append(f"{where}.status (1..1, AppointmentStatus)")
    parts = r.get("participant")
    if not isinstance(parts, list) or not parts:
        errs.append(f"{where}.participant (1..*)")
    for i, p in enumerate(parts or []):
        if p.get("status") not in PARTICIPATION:
            errs.append(f"{where}.participant[{i}].status (1..1)")
        if "actor" not in p and "type" not in p:
            errs.append(f"{where}.participant[{i}]: app-1 (type or actor)")
        if "actor" in p:
            _reference(p["actor"], f"{where}.participant[{i}].actor", errs)
    for k in ("start", "end"):
        if k in r and not INSTANT.match(r[k]):
            errs.append(f"{where}.{k}: instant")
    if ("start" in r) != ("end" in r):
        errs.append(f"{where}: app-2 (start and end together)")
    if "created" in r and not DATETIME.match(r["created"]):
        errs.append(f"{where}.created: dateTime")
    if "minutesDuration" in r and not (isinstance(r["minutesDuration"], int)
                                       and r["minutesDuration"] > 0):
        errs.append(f"{where}.minutesDuration: positiveInt")
    for s in r.get("slot", []):
        _reference(s, f"{where}.slot", errs)
    for c in r.get("contained", []):
        if not ID.match(c.get("id", "")):
            errs.append(f"{where}.contained: id")
        if "contained" in c or "meta" in c:
            errs.append(f"{where}.contained: dom-2/dom-4")


def check_outcome(r, errs, where="OperationOutcome"):
    if r.get("resourceType") != "OperationOutcome":
        errs.append(f"{where}: resourceType")
    issues = r.get("issue")
    if not isinstance(issues, list) or not issues:
        errs.append(f"{where}.issue (1..*)")
    for i, x in enumerate(issues or []):
        if x.get("severity") not in SEVERITY:
            errs.append(f"{where}.issue[{i}].severity")
        if x.get("code") not in ISSUE_TYPE:
            errs.append(f"{where}.issue[{i}].code")


def check_bundle(r, errs, check_entry):
    if r.get("resourceType") != "Bundle":
        errs.append("Bundle: resourceType")
    if r.get("type") not in BUNDLE_TYPE:
        errs.append("Bundle.type (1..1)")
    entries = r.get("entry", [])
    if r.get("type") == "searchset" and r.get("total") != len(entries):
        errs.append("Bundle.total: the matches")
    for i, e in enumerate(entries):
        if "resource" not in e:
            errs.append(f"Bundle.entry[{i}].resource")
        else:
            check_entry(e["resource"], errs, f"Bundle.entry[{i}].resource")
        if e.get("search", {}).get("mode") not in (None, "match", "include",
                                                    "outcome"):
            errs.append(f"Bundle.entry[{i}].search.mode")
