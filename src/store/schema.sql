-- The pccs store schema, version 1: the first migration, compiled into
-- the binary; later ones are in src/store/sqlite.c (2: fact_chunks).
-- Dates are ISO text (YYYY-MM-DD), NULL when unknown, so the file reads
-- well in the sqlite3
-- shell.

-- Every loaded file.
CREATE TABLE sources (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,     -- loader, e.g. gp_reg_all
    publication   TEXT,              -- human name of the publication
    period        TEXT,              -- 2021-01-01 (snapshot) or 2020-21
    path          TEXT,              -- as given to pccs load
    sha256        TEXT UNIQUE,       -- NULL only while its load runs
    encoding      TEXT,              -- ascii, utf-8, windows-1252, xlsx
    rows_loaded   INTEGER NOT NULL DEFAULT 0,
    rows_rejected INTEGER NOT NULL DEFAULT 0,
    loaded_at     TEXT NOT NULL      -- ISO 8601 UTC
);

-- Organisations by ODS code; non-NULL fields from the newest as_of win.
CREATE TABLE orgs (
    code       TEXT PRIMARY KEY,
    level      TEXT NOT NULL,        -- practice, pcn, sub_icb, icb, region ...
    name       TEXT,
    postcode   TEXT,
    ons_code   TEXT,
    status     TEXT,
    open_date  TEXT,
    close_date TEXT,
    as_of      TEXT,                 -- date the newest information describes
    source_id  INTEGER REFERENCES sources(id)
);

-- Extra text attributes (contract type, supplier ...).
CREATE TABLE attrs (
    org       TEXT NOT NULL,
    key       TEXT NOT NULL,
    value     TEXT,
    as_of     TEXT,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    PRIMARY KEY (org, key, source_id)
);

-- Memberships with effective dates (end inclusive, NULL = open).
CREATE TABLE links (
    child        TEXT NOT NULL,
    parent       TEXT NOT NULL,
    parent_level TEXT NOT NULL,
    start_date   TEXT,
    end_date     TEXT,
    observed     INTEGER NOT NULL,   -- 1: seen in a snapshot on start_date
    source_id    INTEGER NOT NULL REFERENCES sources(id)
);
CREATE UNIQUE INDEX links_key ON links (child, parent, parent_level,
    ifnull(start_date, ''), ifnull(end_date, ''), source_id);

-- Measure names, numbered so each figure's key stays short.
CREATE TABLE measures (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE          -- registered, weighted, qof_register ...
);

-- Numbers: (measure, period, org, dim) -> value, per source. Appended in
-- file order; one row per (source, measure, period, org, dim), which the
-- loaders guarantee (they refuse duplicate rows with their line numbers).
-- Only stores loaded before packs have rows here: loads now write each
-- chunk's figures packed into fact_chunks.data alone.
CREATE TABLE fact_values (
    source_id  INTEGER NOT NULL REFERENCES sources(id),
    measure_id INTEGER NOT NULL REFERENCES measures(id),
    period     TEXT NOT NULL,
    org        TEXT NOT NULL,
    dim        TEXT NOT NULL DEFAULT '',
    value      REAL NOT NULL
);

-- Which source gave which (measure, period), written at the end of a load;
-- the latest source of a (measure, period) is the one shown. A load
-- appends its figures together, so first_row..last_row (rowids of
-- fact_values) bound them: reads scan that range, and fact_values needs
-- no index to slow every insert.
CREATE TABLE fact_sets (
    measure_id INTEGER NOT NULL,
    period     TEXT NOT NULL,
    source_id  INTEGER NOT NULL,
    facts      INTEGER NOT NULL,
    first_row  INTEGER NOT NULL,
    last_row   INTEGER NOT NULL,
    PRIMARY KEY (measure_id, period, source_id)
) WITHOUT ROWID;

-- The figures written as rows, with their measure names, for the sqlite3
-- shell (tests/facts.py decodes packed figures too).
CREATE VIEW facts AS
    SELECT f.source_id, m.name AS measure, f.period, f.org, f.dim, f.value
    FROM fact_values f JOIN measures m ON m.id = f.measure_id;

-- Reference tables: (kind, key, attr) -> text.
CREATE TABLE refs (
    kind      TEXT NOT NULL,
    key       TEXT NOT NULL,
    attr      TEXT NOT NULL,
    value     TEXT,
    source_id INTEGER NOT NULL REFERENCES sources(id)
);
CREATE INDEX refs_kind ON refs (kind, key);
