-- One parsed batch (registered as `incoming`) into the file's stage.
INSERT INTO stage_dossier BY NAME SELECT * FROM incoming;
