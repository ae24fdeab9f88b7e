"""One error hierarchy. Every message is written for the person using the app, not for a developer;
`detail` carries what an operator needs and is logged, never shown in the browser."""

from __future__ import annotations


class CortexReelError(Exception):
    """Base of every error the app expects and can explain."""

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


class ConfigurationError(CortexReelError):
    """The settings are unusable (missing secret, default password in production, bad URL)."""


class BackendUnavailableError(CortexReelError):
    """A server the app is configured to use cannot be reached."""


class NotFoundError(CortexReelError):
    """The script, scene, version or file asked for does not exist."""


class ConflictError(CortexReelError):
    """Somebody else saved first; the write was refused so nothing is overwritten."""


class InvalidInputError(CortexReelError):
    """The request or its values are not acceptable."""


class UnsupportedFileError(InvalidInputError):
    """The uploaded file is not a screenplay format we read."""


class FileTooLargeError(InvalidInputError):
    """The uploaded file is over the size or page limit."""


class PermissionDeniedError(CortexReelError):
    """The acting user may not do this."""


class RateLimitedError(CortexReelError):
    """Too many requests in a short time."""


class TaskError(CortexReelError):
    """A background task could not be queued or run."""


class ParseError(InvalidInputError):
    """The file is of a format we read, but its content cannot be read as a screenplay."""


class ScannedPdfError(ParseError):
    """The PDF is a scan (pictures of pages, no text) and OCR is not available."""


class RefusedFileError(ParseError):
    """The file was refused unread, or reading it was stopped, because it would overload the server (a file
    built to do that, or one damaged past reading): too much inflated data, text or memory, or too long."""


class InfeasibleScheduleError(InvalidInputError):
    """No shooting schedule keeps every constraint; `reasons` say why in words."""

    def __init__(self, reasons: list[str], *, detail: str = "") -> None:
        super().__init__("No schedule can keep these constraints: " + " ".join(reasons), detail=detail)
        self.reasons = reasons
