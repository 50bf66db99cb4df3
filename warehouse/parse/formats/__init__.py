"""One module per export format, each reading a file into a RawTable (raw.py) or its rows:
csv.py (chunked), xlsx.py and xls.py (measured against [limits]) with workbook.py (calamine),
html.py (lxml), json.py. warehouse/parse/tables.py detects the format and dispatches."""
