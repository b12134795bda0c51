"""The store: the only code that speaks SQL. Plain functions over a sqlite3 connection."""
