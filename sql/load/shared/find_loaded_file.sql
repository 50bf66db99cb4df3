-- The file that already loaded these exact bytes for this portal, if any, with what it was: a
-- duplicate is recorded as the same kind and format (the same export again speaks for its kind's
-- coverage on the day it states or was fetched).
SELECT file_id, kind, format FROM ops.files
WHERE portal_code = $portal_code AND sha256 = $sha256 AND status = 'loaded'
ORDER BY file_id
LIMIT 1;
