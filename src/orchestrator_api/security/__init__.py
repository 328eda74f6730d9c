"""Authentication (one principal whatever the scheme) and authorization (one permission table)."""
