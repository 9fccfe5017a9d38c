"""The database's reason for refusing a write, in the words a user is shown."""


def database_message(exc: Exception) -> str:
    """`exc`'s text without PostgreSQL's CONTEXT lines: a trigger's refusal (programs/year_triggers.py)
    is its Korean message alone, not the PL/pgSQL function and line that raised it."""
    return str(exc).split("\nCONTEXT:")[0].strip()
