"""Errors a user can act on. Each message names what is wrong and how to fix it."""


class ProvmapError(Exception):
    """Base for every error shown to a user (CLI exit status 2, a toast in the app)."""


class InvalidInput(ProvmapError, ValueError):
    """A value from a form, file or argument is wrong; `field` says which.

    Also a ValueError, so pydantic validators that raise it report its location."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.reason = message
        super().__init__(f"{field}: {message}" if field else message)


class ConflictError(ProvmapError):
    """Someone else saved the same record since it was read (optimistic locking)."""


class NotFound(ProvmapError):
    """A named record does not exist."""


def describe_validation(exc: Exception, prefix: str = "") -> str:
    """One line per problem in a pydantic ValidationError: `where: what to fix`.

    Locations read like the document: provisions[3].members[1].upn."""
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return str(exc)
    lines = []
    for err in errors():
        where = prefix
        for part in err.get("loc", ()):
            where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, InvalidInput):
            msg = cause.reason
        else:
            msg = str(err.get("msg", "")).removeprefix("Value error, ")
            if err.get("type") == "extra_forbidden":
                msg = "unknown field; check its spelling or remove it"
            elif err.get("type") == "missing":
                msg = "is required but missing"
        lines.append(f"{where}: {msg}" if where else msg)
    return "\n".join(lines)
