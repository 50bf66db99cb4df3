-- One parsed batch (`incoming`) into the file's stage, with its agency key.
INSERT INTO stage_service BY NAME
SELECT i.*, core.agency_nk(ctx.portal_code, i.agency_code, i.agency_name) AS agency_nk
FROM incoming AS i, load_context AS ctx;
