"""The one error type of the package."""

__all__ = ["DroverError"]


class DroverError(RuntimeError):
    """Something a user can fix: the message says what happened and what to do."""
