"""The one error type that services raise. Views turn it into a message in the user's language;
the API turns it into a 400 (or 409 for conflicts) with the same message."""
from django.core.exceptions import ValidationError


class ApplicationError(Exception):
    def __init__(self, message, *, code: str = "invalid", field: str | None = None, status: int = 400):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field
        self.status = status

    def __str__(self) -> str:
        return str(self.message)


def full_clean_or_refuse(instance, *, exclude=None) -> None:
    """``instance.full_clean()``, its first problem raised as ApplicationError naming the field
    (all of that field's messages, in the user's language): what every service calls before it
    saves."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise ApplicationError(" ".join(error.messages)) from None
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(" ".join(messages), code="invalid",
                               field=None if field == "__all__" else field) from None
