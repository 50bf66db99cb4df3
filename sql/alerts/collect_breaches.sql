-- The rows one check returned (`incoming`), added to this run's breaches.
INSERT INTO check_breach BY NAME SELECT * FROM incoming;
