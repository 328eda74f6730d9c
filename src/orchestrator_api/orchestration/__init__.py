"""What the API does to runs and task instances beyond reading and writing rows: triggering, clearing,
setting states. Handlers (and trigger tokens) call these; they never commit."""
