-- The file that already loaded these exact bytes for this portal, if any.
SELECT file_id FROM ops.files
WHERE portal_code = $portal_code AND sha256 = $sha256 AND status = 'loaded'
ORDER BY file_id
LIMIT 1;
