-- The aggregations of bench/calc, as the peers compute them, in SQL that
-- DuckDB and the sqlite3 shell both run. Tables hold the raw files: reg
-- (registrations, January 2021), map (practice map, September 2020),
-- pay20 / pay22 (payments 2020-21 / 2022-23), pcnwf (PCN workforce),
-- gpw (GP workforce, practice level), qof (QOF prevalence 2020-21),
-- geo (QOF geographies), appts (appointments, 13 months).
-- One statement per table; each ends with ";" on its own line.

-- populations: registered and weighted by region
SELECT m.COMM_REGION_CODE, sum(CAST(r.NUMBER_OF_PATIENTS AS DOUBLE)) AS registered,
       sum(CAST(p."Number of Weighted Patients (Last Known Figure)" AS DOUBLE)) AS weighted
FROM reg r JOIN map m ON m.PRACTICE_CODE = r.CODE
LEFT JOIN pay20 p ON p."Practice Code" = r.CODE
GROUP BY m.COMM_REGION_CODE ORDER BY 1
;
-- payments: per registered and weighted patient, decile by practice
SELECT code, t / r AS per_registered, t / w AS per_weighted,
       ntile(10) OVER (ORDER BY t / w) AS decile
FROM (SELECT "Practice Code" AS code,
             CAST("Total NHS Payments to General Practice" AS DOUBLE) AS t,
             CAST("Number of Registered Patients (Last Known Figure)" AS DOUBLE) AS r,
             CAST("Number of Weighted Patients (Last Known Figure)" AS DOUBLE) AS w
      FROM pay22) x
WHERE w > 0 AND r > 0 ORDER BY code
;
-- workforce: PCN FTE per 10,000 weighted by staff group
SELECT f.PCN_CODE, f.STAFF_GROUP, sum(CAST(f.FTE AS DOUBLE)) AS fte,
       sum(CAST(f.FTE AS DOUBLE)) * 10000 / w.wp AS per_10000
FROM pcnwf f JOIN (SELECT "Code" AS pcn,
                          sum(CAST("Number of Weighted Patients (Last Known Figure)" AS DOUBLE)) AS wp
                   FROM pay22 GROUP BY "Code") w ON w.pcn = f.PCN_CODE
GROUP BY f.PCN_CODE, f.STAFF_GROUP, w.wp ORDER BY 1, 2
;
-- qof-prevalence: by ICB and group, from summed registers and lists
SELECT g.STP_ODS_CODE, q.GROUP_CODE,
       sum(CAST(q.REGISTER AS DOUBLE)) * 100 / sum(CAST(q.PRACTICE_LIST_SIZE AS DOUBLE)) AS prevalence
FROM qof q JOIN geo g ON g.PRACTICE_CODE = q.PRACTICE_CODE
GROUP BY g.STP_ODS_CODE, q.GROUP_CODE ORDER BY 1, 2
;
-- gp workforce: GP FTE per 10,000 weighted per practice
SELECT g.PRAC_CODE,
       CAST(NULLIF(CAST(g.TOTAL_GP_FTE AS VARCHAR), 'NA') AS DOUBLE) * 10000 /
       CAST(p."Number of Weighted Patients (Last Known Figure)" AS DOUBLE) AS per_10000
FROM gpw g JOIN pay22 p ON p."Practice Code" = g.PRAC_CODE
WHERE CAST(g.TOTAL_GP_FTE AS VARCHAR) <> 'NA' ORDER BY 1
;
-- capacity: appointments per 1,000 registered, DNA %, per practice and month
SELECT a.GP_CODE, a.APPOINTMENT_MONTH_START_DATE,
       sum(CAST(a.COUNT_OF_APPOINTMENTS AS DOUBLE)) * 1000 / max(CAST(r.NUMBER_OF_PATIENTS AS DOUBLE)) AS per_1000,
       sum(CASE WHEN a.APPT_STATUS = 'DNA' THEN CAST(a.COUNT_OF_APPOINTMENTS AS DOUBLE) ELSE 0 END) * 100 /
       sum(CAST(a.COUNT_OF_APPOINTMENTS AS DOUBLE)) AS dna_pct
FROM appts a JOIN reg r ON r.CODE = a.GP_CODE
GROUP BY a.GP_CODE, a.APPOINTMENT_MONTH_START_DATE ORDER BY 1, 2
;
