-- One parsed batch (registered as `incoming`) into the file's stage.
INSERT INTO stage_report BY NAME SELECT * FROM incoming;
