"""The one error type that services raise. Views turn it into a message in the user's language;
the API turns it into a 400 (or 409 for conflicts) with the same message."""


class ApplicationError(Exception):
    def __init__(self, message, *, code: str = "invalid", field: str | None = None, status: int = 400):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field
        self.status = status

    def __str__(self) -> str:
        return str(self.message)
