"""One exception hierarchy for every mistake a user can make.

Each error carries a plain-English message that says what is wrong and what to do.
The command line turns any `CommissioningError` into one line on stderr and exit code 2;
library users catch `CommissioningError`. Message texts live as constants next to the
code that raises them, so tests can assert them verbatim.
"""

from __future__ import annotations


class CommissioningError(Exception):
    """Root of every error this package raises for a user's mistake or a bad file."""

    exit_code: int = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UnreadableFileError(CommissioningError):
    """The file cannot be opened or parsed (wrong type, damaged, encrypted, too big)."""


class InvalidReturnError(CommissioningError):
    """The file opened, but it is not a monitoring return we can read."""


class UnknownAuthorityError(CommissioningError):
    """The local authority named is not one we have population figures for."""


class ComparatorError(CommissioningError):
    """The comparator population cannot be used as asked (missing ages, sex, year...)."""


class AnalysisError(CommissioningError):
    """The service and comparator cannot be compared as asked."""


class TemplateProblemError(CommissioningError):
    """A report template is missing or broken."""


class OutputError(CommissioningError):
    """An output file cannot be written where asked."""
