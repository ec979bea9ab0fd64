"""The register's rules as pure functions: no database, no I/O, unit-tested at their edges."""
