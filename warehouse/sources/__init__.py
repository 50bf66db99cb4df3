"""Bytes in, raw files out: where exports come from (HTTP, folders); no parsing here."""
