-- Grain: one calendar day (registered as `incoming_dates`, built from the holidays package).
INSERT INTO core.dim_date BY NAME SELECT * FROM incoming_dates ORDER BY date;
