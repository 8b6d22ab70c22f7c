"""Class mode: the class file, rosters, tokens and seeds (classroom), the platform served over
HTTP (server) and what the class got wrong (class_report)."""
