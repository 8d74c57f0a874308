#!/usr/bin/env python3
"""Population health cohorts computed independently of pccs, from a FHIR
R4 NDJSON export (Patient, Condition, Observation, MedicationRequest), the
code lists (one code, tab, description) and the rules files
data/rules/{efi,phm,cohorts,phm_codes}.csv. Prints CSV: practice, then
registered, efi_assessed, efi_fit, efi_mild, efi_moderate, efi_severe and
one column per cohort, as pccs table cohorts --format csv does.

usage: cohorts.py NDJSON_DIR CODELISTS_DIR RULES_DIR AT(YYYY-MM-DD)
"""
import calendar
import csv
import datetime
import glob
import json
import os
import sys

ndj, cldir, rules, at_s = sys.argv[1:5]
at = datetime.date.fromisoformat(at_s)

lists = {}
for path in glob.glob(os.path.join(cldir, "*.snomed.txt")) + glob.glob(
        os.path.join(cldir, "*", "*.snomed.txt")):
    name = os.path.basename(path)[: -len(".snomed.txt")]
    with open(path) as f:
        lists.setdefault(name, set()).update(
            int(l.split("\t")[0]) for l in f if l.strip())
for r in csv.DictReader(open(os.path.join(rules, "phm_codes.csv"))):
    lists.setdefault(r["list"], set()).add(int(r["code"]))

params = {r["parameter"]: float(r["value"])
          for r in csv.DictReader(open(os.path.join(rules, "phm.csv")))}
efi_rows = list(csv.DictReader(open(os.path.join(rules, "efi.csv"))))
efi_lists = [r["codelist"] for r in efi_rows if r["codelist"]]
deficit_list = {r["deficit"]: r["codelist"] for r in efi_rows}
# Deficits from a recorded value: above < value < below, strictly, for the
# sex named (PHM_NO_VALUES=1 leaves them out, to show they count).
values = [] if os.environ.get("PHM_NO_VALUES") else [
    r for r in csv.DictReader(open(os.path.join(rules, "efi-values.csv")))
    if r["list"] in lists]
cohorts = list(csv.DictReader(open(os.path.join(rules, "cohorts.csv"))))


def months_before(d, n):
    t = d.year * 12 + d.month - 1 - n
    y, m = divmod(t, 12)
    m += 1
    return datetime.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def day(s):
    return datetime.date.fromisoformat(s[:10])


def lines(name):
    with open(os.path.join(ndj, name)) as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


patients = {}
for r in lines("Patient.ndjson"):
    prac = r["generalPractitioner"][0]["identifier"]["value"]
    patients[r["id"]] = {"practice": prac, "birth": day(r["birthDate"]),
                         "sex": {"male": "M", "female": "F"}.get(
                             r.get("gender"), "U"),
                         "events": [], "values": [], "meds": []}


def subject(r):
    return r["subject"]["reference"].split("/", 1)[1]


for name, key in (("Condition.ndjson", ("onsetDateTime", "recordedDate")),
                  ("Observation.ndjson", ("effectiveDateTime", "issued"))):
    if not os.path.exists(os.path.join(ndj, name)):
        continue
    for r in lines(name):
        code = next(int(c["code"]) for c in r["code"]["coding"]
                    if c["system"] == "http://snomed.info/sct")
        d = day(next(r[k] for k in key if k in r))
        patients[subject(r)]["events"].append((code, d))
        if "valueQuantity" in r:
            patients[subject(r)]["values"].append(
                (code, d, float(r["valueQuantity"]["value"])))
for r in lines("MedicationRequest.ndjson"):
    code = int(r["medicationCodeableConcept"]["coding"][0]["code"])
    patients[subject(r)]["meds"].append((code, day(r["authoredOn"])))


def age_on(b, d):
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))


def split(s):
    return [x for x in s.split("|") if x]


def distinct_meds(p, months):
    frm = months_before(at, months)
    return len({c for c, d in p["meds"] if frm < d <= at})


cats = ["fit", "mild", "moderate", "severe"]
bounds = [params["efi_fit_max"], params["efi_mild_max"],
          params["efi_moderate_max"]]
counts = {}
for pid, p in patients.items():
    ever = {n for n, codes in lists.items()
            for c, d in p["events"] if d <= at and c in codes}
    age = age_on(p["birth"], at)
    have = {n for n in efi_lists if n in ever}
    for v in values:
        if v["sex"] and v["sex"] != p["sex"]:
            continue
        if any(c in lists[v["list"]] and d <= at and
               (not v["above"] or x > float(v["above"])) and
               (not v["below"] or x < float(v["below"]))
               for c, d, x in p["values"]):
            have.add(deficit_list[v["deficit"]])
    deficits = len(have)
    deficits += distinct_meds(p, int(params["polypharmacy_months"])) >= \
        params["polypharmacy_min"]
    score = deficits / 36
    cat = None
    if age >= params["efi_min_age"]:
        cat = next((i for i, b in enumerate(bounds) if score <= b + 1e-12), 3)
    member = {}
    for c in cohorts:
        ok = True
        if c["has"] and not any(n in ever for n in split(c["has"])):
            ok = False
        if ok and c["not_recent"]:
            frm = months_before(at, int(c["recent_months"] or 12))
            recent = {n for n in split(c["not_recent"]) if n in lists and any(
                frm < d <= at and code in lists[n] for code, d in p["events"])}
            ok = not recent
        if ok and c["efi_at_least"]:
            ok = cat is not None and cat >= cats.index(c["efi_at_least"])
        if ok and c["min_meds"]:
            ok = distinct_meds(p, int(c["meds_months"] or 12)) >= \
                int(c["min_meds"])
        if ok and c["min_ltc"]:
            ok = sum(1 for n in split(c["ltc_lists"]) if n in ever) >= \
                int(c["min_ltc"])
        if ok and c["min_age"]:
            ok = age >= int(c["min_age"])
        if ok and c["any_of"]:
            ok = any(member.get(n) for n in split(c["any_of"]))
        member[c["cohort"]] = ok
    row = counts.setdefault(p["practice"], [0] * (6 + len(cohorts)))
    row[0] += 1
    if cat is not None:
        row[1] += 1
        row[2 + cat] += 1
    for i, c in enumerate(cohorts):
        row[6 + i] += member[c["cohort"]]

w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["code", "registered", "efi_assessed"] +
           ["efi_" + c for c in cats] + [c["cohort"] for c in cohorts])
for prac in sorted(counts):
    w.writerow([prac] + counts[prac])
