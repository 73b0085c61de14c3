"""The files a user asks to add, checked before anything is written, and the values of
``--captured-at`` and ``--place``.

A name is recorded as given (a folder's files relative to the folder, with the folder's own
name first) and later written into bags and manifests, so names that could escape a folder or
break a manifest line are refused here rather than quietly changed.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from recount.errors import EvidenceFileError, FieldError, InvalidValueError
from recount.ingest.fields import parse_date

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LATLON = re.compile(r"\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*")


@dataclass(frozen=True)
class Candidate:
    path: Path
    name: str  # as recorded: the file's name, or its path inside the folder given


def name_problem(name: str) -> str | None:
    """Why a recorded name is unsafe to write into a bag or a manifest, if it is."""
    for part in name.split("/"):
        if _CONTROL.search(part):
            return (
                "its name contains a control character (such as a newline), which would "
                "break manifests; rename the file"
            )
        if "\\" in part:
            return (
                "its name contains a backslash, which Windows reads as a folder separator "
                "(a path traversal when the evidence is exported and unpacked); rename the file"
            )
        if part in ("", ".", ".."):
            return "its name has an empty, '.' or '..' part (a path traversal); rename the file"
    return None


def file_problem(path: Path, evidence_dir: Path) -> str | None:
    """Why ``path`` cannot be added as evidence, if it cannot."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return "no such file"
    except PermissionError:
        return "cannot be read: permission denied"
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    if stat.S_ISLNK(info.st_mode):
        return (
            f"is a symbolic link (to {path.readlink()}); recount keeps only regular files, "
            "so add the file it points to"
        )
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a device, pipe or socket)"
    if info.st_size == 0:
        return "is empty (0 bytes): there is nothing to keep as evidence"
    try:
        if path.resolve().is_relative_to(evidence_dir.resolve()):
            return "is inside the case's evidence store; add files from outside it"
        with path.open("rb") as handle:
            handle.read(1)
    except PermissionError:
        return "cannot be read: permission denied"
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    return None


def collect(paths: list[Path], evidence_dir: Path) -> list[Candidate]:
    """Files to add, folders walked recursively in name order; all problems at once."""
    if not paths:
        raise InvalidValueError("no files given: recount evidence add FILE... --source S")
    found: list[Candidate] = []
    problems: list[tuple[str, str]] = []
    seen: set[Path] = set()
    for given in paths:
        if given.is_dir() and not given.is_symlink():
            for folder, dirs, files in os.walk(given, followlinks=False):
                dirs.sort()
                for name in sorted(files) + [d for d in dirs if Path(folder, d).is_symlink()]:
                    path = Path(folder, name)
                    recorded = "/".join((given.resolve().name, *path.relative_to(given).parts))
                    _check(path, recorded, evidence_dir, found, problems, seen)
        else:
            _check(given, given.name, evidence_dir, found, problems, seen)
    if problems:
        raise EvidenceFileError(problems)
    if not found:
        raise InvalidValueError(f"no files to add in {', '.join(str(p) for p in paths)}")
    return found


def _check(
    path: Path,
    recorded: str,
    evidence_dir: Path,
    found: list[Candidate],
    problems: list[tuple[str, str]],
    seen: set[Path],
) -> None:
    why = file_problem(path, evidence_dir) or name_problem(recorded)
    if why:
        problems.append((str(path), why))
        return
    real = path.resolve()
    if real not in seen:  # the same file named twice is read once
        seen.add(real)
        found.append(Candidate(path, recorded))


def parse_captured_at(text: str | None) -> str | None:
    """``--captured-at``: an ISO 8601 date-time (with or without zone) or a date (1992-02)."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    try:
        parse_date(text)
    except FieldError as exc:
        raise InvalidValueError(
            f"--captured-at {text!r}: expected an ISO 8601 date and time "
            f"(1992-02-26T05:30+03:00) or a date ({exc})"
        ) from None
    return text


def parse_place(text: str | None) -> tuple[str | None, float | None, float | None]:
    """``--place``: a name, or ``latitude,longitude`` in decimal degrees."""
    if text is None or not text.strip():
        return None, None, None
    match = _LATLON.fullmatch(text)
    if not match:
        return text.strip(), None, None
    latitude, longitude = float(match[1]), float(match[2])
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise InvalidValueError(
            f"--place {text!r}: latitude must be within ±90 and longitude within ±180"
        )
    return text.strip(), latitude, longitude
