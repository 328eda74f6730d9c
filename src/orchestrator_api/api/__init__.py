"""Handlers: one module per resource family, each function named by the operationId it serves."""
