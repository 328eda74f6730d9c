"""Execution: the worker API's domain (worker identities, claims, leases) and the reference worker."""
