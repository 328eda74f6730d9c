"""The scheduler: creates runs from schedules, moves task instances along their trigger rules, applies
pools, retries, timeouts and leases, and sets each run's state from its task instances."""
