"""The project file: one SQLite database (WAL), numbered migrations, results, reviews and audit trail."""
