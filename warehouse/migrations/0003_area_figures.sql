-- How each indicator's coordination-area figures were combined from the municipalities' values
-- (warehouse/area_figures.py, at every publish): sum (counts), ratio (rates and shares recomputed from
-- numerators and denominators) or not_combinable (the page says "cannot be combined").

CREATE TABLE area_figure_method (
    source       VARCHAR NOT NULL,
    indicator_id VARCHAR NOT NULL,
    method       VARCHAR NOT NULL,   -- sum | ratio | not_combinable
    estimated    INTEGER,            -- municipality-years whose denominator came from the nearest year
    note         VARCHAR,            -- why it cannot be combined
    PRIMARY KEY (source, indicator_id)
);
