-- Grain: one calendar day (`incoming`, built from the holidays package).
INSERT INTO core.dim_date BY NAME SELECT * FROM incoming ORDER BY date;
