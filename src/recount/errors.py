"""Every exception recount raises for a user's mistake or a broken case.

Each class carries its message (``str(err)``), its CLI exit code (``exit_code``: 1 the input
was wrong, 2 usage, 3 integrity) and its HTTP status (``http_status``). The fronts turn them into
one line (CLI) or one error shape (web). Anything else that escapes is a bug in recount, not the
user's fault.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


class RecountError(Exception):
    """Base class: a problem the user can act on. ``str(err)`` is the message to show."""

    exit_code = 1
    http_status = 400

    def to_dict(self) -> dict:
        return {"error": type(self).__name__, "message": str(self)}


class UsageError(RecountError):
    """The command was called in a way that cannot work (conflicting or missing options)."""

    exit_code = 2


class NotACaseError(RecountError):
    """The folder given as a case is not one."""

    http_status = 500


class CaseExistsError(RecountError):
    """``init`` was asked to create a case where one (or other files) already exist."""


class CaseVersionError(RecountError):
    """The case was written by a newer recount, or its schema is unknown."""

    http_status = 409


class NotFoundError(RecountError):
    """A named thing (source, event, record, person) does not exist in the case."""

    http_status = 404


class DuplicateError(RecountError):
    """A named thing already exists (a source slug, an event slug)."""

    http_status = 409


class InvalidValueError(RecountError):
    """A value given on the command line or in a settings file is not acceptable."""


class InputFileError(RecountError):
    """A file cannot be read as a list of records at all: empty, binary, undecodable, malformed."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


class MappingError(RecountError):
    """A mapping file is malformed or does not fit the file it is applied to."""


class MissingExtraError(RecountError):
    """An optional part of recount (``pip install 'recount[EXTRA]'``) is needed and missing."""

    def __init__(self, extra: str, what: str) -> None:
        super().__init__(
            f"{what} needs recount's optional {extra!r} part: pip install 'recount[{extra}]'"
        )
        self.extra = extra


class StoreUnavailableError(RecountError):
    """The case's database cannot be reached (server down, wrong URL, refused login)."""

    http_status = 503


class StoreBusyError(RecountError):
    """Another writer held the case for longer than recount waits; nothing was written."""

    http_status = 503


class ForeignDatabaseError(RecountError):
    """The database named for a case holds another application's tables, or is not empty."""

    http_status = 500


class IntegrityError(RecountError):
    """Stored data no longer matches what was recorded (tampering, corruption)."""

    exit_code = 3
    http_status = 409


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or row, or header) of an input file."""

    file: str
    row: int | None  # data row number, 1 = first row after the header; None for the header
    line: int | None  # line in a text file (or row in a sheet), where it differs from the row
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        elif self.column is not None:
            where.append("header")
        if self.line is not None and self.line != self.row:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        value = "" if self.value is None else f" value {_clip(self.value)!r}:"
        return f"{', '.join(where)}:{value} expected {self.expected}"


def _clip(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


class ValidationError(RecountError):
    """A file has problems; nothing was written. Carries every problem found (up to a cap)."""

    def __init__(
        self,
        path: str,
        problems: list[Problem],
        total: int | None = None,
        shown: int = 20,
        outcome: str = "nothing was imported",
        more_hint: str = "use --json to see them all, or --skip-invalid to import the "
        "valid rows and write the rest to a rejects file",
    ) -> None:
        self.path = path
        self.problems = problems
        self.total = total if total is not None else len(problems)
        self.outcome = outcome
        lines = [f"{path}: {self.total} problem(s); {outcome}."]
        lines += [f"  {p}" for p in problems[:shown]]
        if self.total > shown:
            lines.append(f"  … and {self.total - shown} more ({more_hint})")
        super().__init__("\n".join(lines))

    def to_dict(self) -> dict:
        return {
            "error": type(self).__name__,
            "message": f"{self.path}: {self.total} problem(s); {self.outcome}.",
            "file": self.path,
            "total": self.total,
            "problems": [asdict(p) for p in self.problems],
        }


# --- evidence --------------------------------------------------------------------------------


class EvidenceFileError(RecountError):
    """Files given to ``evidence add`` that cannot be added; nothing was added."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems  # (path, what is wrong with it)
        if len(problems) == 1:
            path, why = problems[0]
            message = f"{path}: {why}; nothing was added."
        else:
            lines = [f"{len(problems)} files cannot be added; nothing was added."]
            lines += [f"  {path}: {why}" for path, why in problems]
            message = "\n".join(lines)
        super().__init__(message)

    def to_dict(self) -> dict:
        return {
            "error": type(self).__name__,
            "message": str(self),
            "problems": [{"file": p, "problem": w} for p, w in self.problems],
        }


class KeyRequiredError(RecountError):
    """A protected item or a witness identity was asked for without the key that opens it."""

    http_status = 403


class WrongKeyError(RecountError):
    """The key or passphrase given is not the one an item (or the case) was protected with."""

    http_status = 403


class CustodyError(RecountError):
    """A custody action cannot be recorded as asked (unknown actor key, signer mismatch)."""


class TamperError(IntegrityError):
    """Evidence or its custody log no longer matches what was recorded. Carries every finding."""

    def __init__(self, findings: list, checked: str = "") -> None:
        self.findings = findings
        lines = [f"evidence verification FAILED: {len(findings)} problem(s){checked}."]
        lines += [f"  {finding}" for finding in findings]
        super().__init__("\n".join(lines))

    def to_dict(self) -> dict:
        return {
            "error": type(self).__name__,
            "message": str(self).splitlines()[0],
            "findings": [f.to_dict() for f in self.findings],
        }


# --- linkage ---------------------------------------------------------------------------------


class LinkageError(RecountError):
    """Linkage cannot run on this case as it is."""


class SparkUnavailableError(RecountError):
    """The Spark backend was asked for but pyspark or Java is missing."""


# --- ingest ----------------------------------------------------------------------------------


class FieldError(ValueError):
    """A cell's value does not fit its field; the message says what was expected.

    Internal: ``ingest`` turns it into a :class:`Problem` naming file, row, column and value.
    """


# --- accounts and roles ----------------------------------------------------------------------


class LoginError(RecountError):
    """Wrong name or password, a locked or a disabled account (one message for all)."""

    http_status = 401


class ForbiddenError(RecountError):
    """The logged-in role may not see or do this (HTTP 403)."""

    http_status = 403


class LoginRequiredError(RecountError):
    """No valid session: log in first (HTTP 401, or a redirect to the login page)."""

    http_status = 401
