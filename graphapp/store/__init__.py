"""The store: the power graph's model and schemas, the named-Cypher loader, the database layer.

Nothing here knows about Flask, the CLI or a capability; everything above reads and writes
through it.
"""
