-- Indicator ids are text chosen by each source (Sotkanet's '127', StatFin's 'children_0_6'): an indicator
-- is known by (source, indicator_id) everywhere, so the id column is VARCHAR in every table that has it.
-- Existing ids keep their digits ('127'). indicator_value has no key constraint and is altered in place;
-- DuckDB cannot change the type of a PRIMARY KEY column, so indicator and indicator_package are
-- rebuilt: create the new table, copy the rows, drop the old one, rename. (source_state.item and
-- quarantine.record were text already.)

ALTER TABLE indicator_value ALTER COLUMN indicator_id TYPE VARCHAR;

CREATE TABLE indicator_v2 (
    source             VARCHAR NOT NULL,
    indicator_id       VARCHAR NOT NULL,
    title_fi           VARCHAR,
    title_sv           VARCHAR,
    title_en           VARCHAR,
    unit               VARCHAR,
    unit_fi            VARCHAR,
    unit_sv            VARCHAR,
    unit_en            VARCHAR,
    value_kind         VARCHAR,
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
    genders            VARCHAR,
    licence            VARCHAR,
    updated_run_id     VARCHAR,
    PRIMARY KEY (source, indicator_id)
);
INSERT INTO indicator_v2 SELECT * REPLACE (CAST(indicator_id AS VARCHAR) AS indicator_id) FROM indicator;
DROP TABLE indicator;
ALTER TABLE indicator_v2 RENAME TO indicator;

CREATE TABLE indicator_package_v2 (
    source       VARCHAR NOT NULL,
    indicator_id VARCHAR NOT NULL,
    theme_id     VARCHAR NOT NULL,
    polarity     VARCHAR NOT NULL,
    position     INTEGER NOT NULL,
    PRIMARY KEY (source, indicator_id)
);
INSERT INTO indicator_package_v2
    SELECT source, CAST(indicator_id AS VARCHAR), theme_id, polarity, position FROM indicator_package;
DROP TABLE indicator_package;
ALTER TABLE indicator_package_v2 RENAME TO indicator_package;
