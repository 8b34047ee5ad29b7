-- Core tables of the warehouse. Names are contracts read by checks outside the code (docs/architecture.md).
-- indicator_value has no PRIMARY KEY index on purpose: a 5-million-row load is several times faster
-- without DuckDB's ART index, and one row per key is guaranteed by the audit step (a critical
-- expectation) before anything is loaded, and re-checked after the load (warehouse/load.py).

CREATE TABLE region (
    region_category   VARCHAR NOT NULL,   -- Sotkanet's category word: KUNTA, HYVINVOINTIALUE, MAAKUNTA, MAA, ...
    region_code       VARCHAR NOT NULL,   -- Statistics Finland code ('837', '08', '06'); whole country 'SSS'
    sotkanet_id       INTEGER,            -- Sotkanet's own id, which data rows use
    name_fi           VARCHAR,
    name_sv           VARCHAR,
    name_en           VARCHAR,
    uri               VARCHAR,
    county_code       VARCHAR,            -- the municipality's wellbeing services county (HYVINVOINTIALUE code)
    province_code     VARCHAR,            -- the municipality's region/province (MAAKUNTA code)
    coordination_area VARCHAR,            -- id of the coordination area (areas configuration), Pirkanmaa only
    updated_run_id    VARCHAR,
    PRIMARY KEY (region_category, region_code)
);

CREATE TABLE region_membership (
    region_category VARCHAR NOT NULL,
    region_code     VARCHAR NOT NULL,
    parent_category VARCHAR NOT NULL,
    parent_code     VARCHAR NOT NULL
);

CREATE TABLE coordination_area (
    area_id       VARCHAR PRIMARY KEY,
    province_code VARCHAR NOT NULL,
    name_fi       VARCHAR NOT NULL,
    name_sv       VARCHAR NOT NULL,
    name_en       VARCHAR NOT NULL,
    position      INTEGER NOT NULL
);

CREATE TABLE indicator (
    source             VARCHAR NOT NULL,
    indicator_id       INTEGER NOT NULL,
    title_fi           VARCHAR,
    title_sv           VARCHAR,
    title_en           VARCHAR,
    unit               VARCHAR,          -- Sotkanet primaryValueType.code, e.g. PER1000
    unit_fi            VARCHAR,
    unit_sv            VARCHAR,
    unit_en            VARCHAR,
    value_kind         VARCHAR,          -- percentage | count | rate | other: drives the range checks
    decimals           INTEGER,
    producer_id        INTEGER,
    producer_fi        VARCHAR,
    producer_sv        VARCHAR,
    producer_en        VARCHAR,
    data_updated       DATE,
    range_start        INTEGER,
    range_end          INTEGER,
    description_fi     VARCHAR,
    description_sv     VARCHAR,
    description_en     VARCHAR,
    interpretation_fi  VARCHAR,
    interpretation_sv  VARCHAR,
    interpretation_en  VARCHAR,
    limits_fi          VARCHAR,
    limits_sv          VARCHAR,
    limits_en          VARCHAR,
    notices_fi         VARCHAR,
    notices_sv         VARCHAR,
    notices_en         VARCHAR,
    genders            VARCHAR,          -- comma-separated sex classification values the source offers
    licence            VARCHAR,
    updated_run_id     VARCHAR,
    PRIMARY KEY (source, indicator_id)
);

CREATE TABLE theme (
    theme_id VARCHAR PRIMARY KEY,
    title_fi VARCHAR NOT NULL,
    title_sv VARCHAR NOT NULL,
    title_en VARCHAR NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE indicator_package (
    source       VARCHAR NOT NULL,
    indicator_id INTEGER NOT NULL,
    theme_id     VARCHAR NOT NULL,
    polarity     VARCHAR NOT NULL,       -- higher_is_better | lower_is_better | neutral
    position     INTEGER NOT NULL,
    PRIMARY KEY (source, indicator_id)
);

CREATE TABLE indicator_value (
    source          VARCHAR NOT NULL,
    indicator_id    INTEGER NOT NULL,
    region_code     VARCHAR NOT NULL,
    region_category VARCHAR NOT NULL,
    year            INTEGER NOT NULL,
    gender          VARCHAR NOT NULL,    -- total | male | female
    value           DOUBLE,
    abs_value       DOUBLE,
    run_id          VARCHAR NOT NULL
);

CREATE TABLE etl_run (
    run_id           VARCHAR PRIMARY KEY,
    source           VARCHAR NOT NULL,
    started_at       TIMESTAMPTZ NOT NULL,
    finished_at      TIMESTAMPTZ,
    status           VARCHAR NOT NULL,   -- success | failed | blocked
    rows_fetched     BIGINT NOT NULL DEFAULT 0,
    rows_loaded      BIGINT NOT NULL DEFAULT 0,
    rows_quarantined BIGINT NOT NULL DEFAULT 0,
    message          VARCHAR,
    mode             VARCHAR,            -- incremental | full
    is_demo          BOOLEAN NOT NULL DEFAULT FALSE,
    items_requested  INTEGER,
    items_fetched    INTEGER,
    items_unchanged  INTEGER
);

CREATE TABLE check_result (
    run_id          VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    dataset         VARCHAR NOT NULL,
    suite           VARCHAR NOT NULL,
    expectation     VARCHAR NOT NULL,
    column_name     VARCHAR,
    severity        VARCHAR NOT NULL,    -- critical | warning | info
    success         BOOLEAN NOT NULL,
    blocking        BOOLEAN NOT NULL,    -- this failure stopped the publish
    element_count   BIGINT,
    unexpected_count BIGINT,
    observed        VARCHAR,
    expected        VARCHAR,
    failing_keys    VARCHAR              -- JSON list of the first failing keys
);

CREATE TABLE quarantine (
    run_id      VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    dataset     VARCHAR NOT NULL,
    record      VARCHAR NOT NULL,        -- the offending row as JSON
    reason      VARCHAR NOT NULL,
    expectation VARCHAR
);

CREATE TABLE source_state (
    source   VARCHAR NOT NULL,
    item     VARCHAR NOT NULL,           -- e.g. an indicator id
    version  VARCHAR,                    -- e.g. Sotkanet's data-updated
    scope    VARCHAR,                    -- what was loaded, e.g. the years
    run_id   VARCHAR NOT NULL,
    PRIMARY KEY (source, item)
);
