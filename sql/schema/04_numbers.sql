-- Numbers in Vietnamese style (90,75%; 1.503) for the messages the file checks word in SQL.
-- Reads nothing. Every other word of a message comes from warehouse/labels.toml.
CREATE OR REPLACE MACRO ops.vn_decimal(x) AS replace(printf('%.2f', x), '.', ',');

CREATE OR REPLACE MACRO ops.vn_count(n) AS replace(format('{:,}', n), ',', '.');
