"""Forms shared by every page."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages: ClassVar[dict[str, Any]] = {  # type: ignore[misc]
        "invalid_login": _("Wrong username or password."),
        "inactive": _("This account is disabled."),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")
        self.fields["username"].widget.attrs["autocomplete"] = "username"
