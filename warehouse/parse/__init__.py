"""Raw export file → canonical Polars frames plus rejects, one module per concern."""
