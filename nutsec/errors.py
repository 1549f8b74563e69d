"""One exception family for mistakes a person can fix; everything else is a bug."""

from __future__ import annotations

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class NutsecError(Exception):
    """A problem with the user's input or environment: shown as one line, exit code 2.

    Messages are for people, name the file, line or item at fault, and never contain a secret.
    """

    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, details: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class ChecklistError(NutsecError):
    """A checklist file that cannot be used; `details` holds one line per problem."""


class AnswersError(NutsecError):
    """An answers file that cannot be used."""


class StoreError(NutsecError):
    """The saved-audit database cannot be opened or read."""


class CorpusError(NutsecError):
    """An offline breach corpus that is missing or not in the expected format."""
