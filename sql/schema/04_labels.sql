-- Text helpers for alert messages: numbers in Vietnamese style (90,75%; 1.503) and periods as
-- reports name them (Tháng 01/2023, Quý I/2023, Năm 2023). Reads nothing.
CREATE OR REPLACE MACRO ops.vn_decimal(x) AS replace(printf('%.2f', x), '.', ',');

CREATE OR REPLACE MACRO ops.vn_count(n) AS replace(format('{:,}', n), ',', '.');

CREATE OR REPLACE MACRO ops.period_vi(grain, start) AS
    CASE grain
        WHEN 'month' THEN 'Tháng ' || strftime(start, '%m/%Y')
        WHEN 'quarter' THEN 'Quý ' || ['I', 'II', 'III', 'IV'][quarter(start)] || '/' || year(start)
        ELSE 'Năm ' || year(start)
    END;

CREATE OR REPLACE MACRO ops.period_en(grain, start) AS
    CASE grain
        WHEN 'month' THEN strftime(start, '%B %Y')
        WHEN 'quarter' THEN 'Q' || quarter(start) || ' ' || year(start)
        ELSE 'year ' || year(start)
    END;

CREATE OR REPLACE MACRO ops.sector_vi(sector) AS
    CASE sector WHEN 'locality' THEN 'địa phương' WHEN 'ministry' THEN 'bộ, ngành' END;

CREATE OR REPLACE MACRO ops.unit_vi(scope, portal_code, agency_name) AS
    CASE scope
        WHEN 'nation' THEN 'toàn quốc'
        WHEN 'portal' THEN 'cổng ' || portal_code
        ELSE agency_name || ' (' || portal_code || ')'
    END;

CREATE OR REPLACE MACRO ops.unit_en(scope, portal_code, agency_name) AS
    CASE scope
        WHEN 'nation' THEN 'nation'
        WHEN 'portal' THEN 'portal ' || portal_code
        ELSE agency_name || ' (' || portal_code || ')'
    END;
