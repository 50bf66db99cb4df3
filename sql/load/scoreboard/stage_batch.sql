-- One parsed batch of units (`incoming`) into the file's stage.
INSERT INTO stage_scorecard BY NAME SELECT * FROM incoming;
