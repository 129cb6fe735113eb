"""The operator's console: approval of employers, organisations, users, site texts."""
