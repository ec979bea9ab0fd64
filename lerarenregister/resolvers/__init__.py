"""The register's behaviour: queries and commands over one AsyncSession per request."""
