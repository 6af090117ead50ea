from __future__ import annotations

from django.apps import AppConfig


class TimersConfig(AppConfig):
    name = "guifan.apps.timers"
    label = "timers"
    verbose_name = "定时器"

    def ready(self) -> None:
        clock_install()


def clock_install() -> None:
    """Install the offset clock when the settings ask for one (development settings only)."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from guifan.clock import offset_clock_parse, set_clock

    at = getattr(settings, "GUIFAN_CLOCK_AT", "")
    if not at:
        return
    try:
        clock = offset_clock_parse(at, getattr(settings, "GUIFAN_CLOCK_SINCE", ""))
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"GUIFAN_CLOCK_AT / GUIFAN_CLOCK_SINCE: {exc} (an instant with its offset, "
            "e.g. 2025-06-03T10:00:00+08:00)"
        ) from None
    set_clock(clock)
