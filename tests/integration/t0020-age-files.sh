#!/bin/sh
# Registrations by single year of age and by five-year band, in their
# published layouts, generated from the real list sizes of 60 practices:
# per practice, the ages and bands loaded add up to the practice's real
# all-persons figure (awk over the real file).
. "$(dirname "$0")/lib.sh"

S=$T/s.db
"$ROOT/scripts/gen-reg-age" --out "$T/gen" --practices 60 --seed 7
run_pccs --store "$S" load --quiet "$T"/gen/*.csv
check_eq "load the generated files" "$status" 0
kinds=$(sql "$S" "select group_concat(kind, ' ') from (select kind from sources order by kind)")
check_eq "kinds recognised from the rows" "$kinds" \
    "gp_reg_quin_age gp_reg_sing_age gp_reg_sing_age"

tr -d '\r' <"$DATA/gp-reg-pat-prac-all_2021-01.csv" |
    awk -F, 'NR > 1 && $8 == "ALL" && n < 60 { print $6 "," $10; n++ }' |
    sort >"$T/want"
facts_sql "$S" "select org || ',' || cast(sum(value) as int) from facts
    where measure = 'registered_age' group by org order by org" >"$T/ages"
facts_sql "$S" "select org || ',' || cast(sum(value) as int) from facts
    where measure = 'registered_band' group by org order by org" >"$T/bands"
check_eq "single years add up to the real list sizes" \
    "$(cat "$T/ages")" "$(cat "$T/want")"
check_eq "five-year bands add up to the real list sizes" \
    "$(cat "$T/bands")" "$(cat "$T/want")"
n=$(facts_sql "$S" "select count(distinct dim) from facts where measure = 'registered_age'")
check_eq "96 ages x 2 sexes" "$n" 192
n=$(facts_sql "$S" "select count(distinct dim) from facts where measure = 'registered_band'")
check_eq "20 bands x 2 sexes" "$n" 40
# The sex totals (AGE=ALL rows) equal the sum of that sex's ages.
bad=$(facts_sql "$S" "select count(*) from (select s.org, s.dim, s.value,
    (select sum(value) from facts a where a.measure = 'registered_age'
     and a.org = s.org and a.dim like s.dim || ':%') as ages
    from facts s where s.measure = 'registered_sex'
    and s.source_id in (select id from sources where kind = 'gp_reg_sing_age'))
    where value != ages")
check_eq "sex totals equal their ages" "$bad" 0
# An age that is not one is refused with its place.
sed '5s/,MALE,2,/,MALE,103,/' "$T/gen/gp-reg-pat-prac-sing-age-male.csv" \
    >"$T/bad.csv"
run_pccs --store "$S" load --quiet "$T/bad.csv"
check_eq "age 103 refused: exit 1" "$status" 1
check_match "age 103 refused at 5:9" "$errout" "bad.csv:5:9: AGE: expected"

done_testing
