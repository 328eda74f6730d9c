"""Organizations, their members, and the one rule that scopes every row to the request's organization.

``context`` says which organization the current unit of work acts in; ``scoping`` turns that into SQL for
every ORM statement; ``access`` resolves the ``Organization`` header and the caller's role in it.
"""
