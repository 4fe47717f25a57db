"""The errors a user can see.

Every failure a user can cause raises a :class:`LedgerError` subclass whose message says
what was wrong and what is accepted. The CLI prints it as one ``error: ...`` line and exits
with :attr:`LedgerError.exit_code`. Any other exception reaching the edge is a bug.
"""


class LedgerError(Exception):
    """Base class: a problem the user can fix. ``exit_code`` is what the CLI exits with.

    ``options`` names the parameters the user can give to fix it (``reason``, ``force``),
    in the API's words: the message stays free of any one interface's syntax, and the
    command line adds its own spelling of them (``--reason``, ``--force``) as a hint.
    """

    exit_code = 2

    def __init__(self, message: str, *, options: tuple[str, ...] = ()):
        super().__init__(message)
        self.options = options


class InputError(LedgerError):
    """A value given by the user (a date, a probability, a claim) is malformed."""


class NotFound(LedgerError):
    """No prediction, series or trend claim has that id or key."""


class Conflict(LedgerError):
    """The change contradicts the ledger (a duplicate key, resolving 'no' too early)."""


class StoreError(LedgerError):
    """The database cannot be used: not a ledger, corrupt, locked, unreachable."""


class ImportFileError(LedgerError):
    """An import file is malformed; nothing was imported."""


class TamperError(LedgerError):
    """The history does not verify: an event or a record was changed behind the ledger's back."""

    exit_code = 1
