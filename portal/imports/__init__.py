"""Spreadsheet imports (CSV, .xlsx): slots of employers, cases of case-management organisations."""
