#!/bin/sh
# Population health (issue 18): malformed FHIR NDJSON is refused with its
# file, line and column and what was expected, exit 1, and the store is
# exactly as before: a truncated line, a resource of the wrong type, a
# code in no code list, a patient at a practice the store does not know,
# an event for a patient not loaded; the CSV layout likewise.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
need_codelists
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/gp-reg-pat-prac-all_2026-04.csv \
    "$DATA"/gp-reg-pat-prac-map_2025-10.csv
check_eq "NHS files load" "$status" 0
D=$T/nd
mkdir -p "$D"
GP='"generalPractitioner":[{"identifier":{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"A81001"}}]'
cat >"$D/Patient.ndjson" <<EOT
{"resourceType":"Patient","id":"p1","gender":"female","birthDate":"1940-02-03",$GP}
{"resourceType":"Patient","id":"p2","gender":"male","birthDate":"1950-05-06",$GP}
EOT
run_pccs --store "$S" load --quiet "$D/Patient.ndjson"
check_eq "two good patients load" "$status" 0
# snomed 49436004 (atrial fibrillation) is in efi-atrial-fibrillation
cond() {
    printf '{"resourceType":"Condition","id":"%s","subject":{"reference":"Patient/%s"},"code":{"coding":[{"system":"http://snomed.info/sct","code":"%s"}]},"recordedDate":"2020-01-01"}\n' "$1" "$2" "$3"
}
grep -q '^49436004	' "$CL/efi/efi-atrial-fibrillation.snomed.txt"
check_eq "49436004 is in efi-atrial-fibrillation" "$?" 0

before=$(store_dump "$S" | cksum)

# refuse NAME FILE WANT-REGEX: exit 1, message matching, store unchanged
refuse() {
    run_pccs --store "$S" load --quiet "$2"
    check_eq "$1: refused (exit 1)" "$status" 1
    check_match "... names file:line:col" "$errout" "$3"
    check_eq "... the store is unchanged" "$(store_dump "$S" | cksum)" "$before"
}

{ cond c1 p1 49436004; cond c2 p1 49436004 | cut -c1-90; cond c3 p2 49436004; } >"$D/trunc.ndjson"
refuse "a truncated line" "$D/trunc.ndjson" "trunc.ndjson:2:[0-9]+: expected one FHIR Condition resource"

{ cond c1 p1 49436004; cond c2 p1 49436004; cond c3 p2 49436004 | sed 's/"Condition"/"Observation"/'; } >"$D/type.ndjson"
refuse "the wrong resourceType" "$D/type.ndjson" "type.ndjson:3:2: resourceType: expected Condition"

{ cond c1 p1 49436004; cond c2 p2 123456789; } >"$D/code.ndjson"
refuse "a code in no list" "$D/code.ndjson" "code.ndjson:2:[0-9]+: code: expected a code in one of the code lists.*found 123456789"

{ cond c1 p1 49436004; cond c2 p9 49436004; } >"$D/who.ndjson"
refuse "a patient not loaded" "$D/who.ndjson" "who.ndjson:2:[0-9]+: subject: expected \"Patient/ID\" of a patient already loaded"

printf '{"resourceType":"Patient","id":"p3","birthDate":"1930-01-01",%s}\n{"resourceType":"Patient","id":"p4","birthDate":"1931-01-01",%s}\n' \
    "$GP" "$(printf '%s' "$GP" | sed 's/A81001/Z99999/')" >"$D/prac.ndjson"
refuse "a patient at an unknown practice" "$D/prac.ndjson" \
    "prac.ndjson:2:[0-9]+: generalPractitioner: expected the ODS code of a practice in the store, found Z99999"

printf 'patient_id,date,snomedct_code,numeric_value\np1,2020-01-01,49436004,\np2,2020-13-01,49436004,\n' >"$D/events.csv"
refuse "CSV: a bad date" "$D/events.csv" "events.csv:3:2: date"
printf 'patient_id,date,snomedct_code,numeric_value\np1,2020-01-01,49436004,\np2,2020-02-01,123456789,\n' >"$D/events2.csv"
refuse "CSV: a code in no list" "$D/events2.csv" "events2.csv:3:3: snomedct_code: expected a code in one of the code lists"

cond c1 p1 49436004 >"$D/good.ndjson"
run_pccs --store "$S" load --quiet "$D/good.ndjson"
check_eq "a good Condition loads" "$status" 0
check_eq "... one event stored" "$(sql "$S" "select sum(n) from event_chunks where kind = 0")" 1
done_testing
