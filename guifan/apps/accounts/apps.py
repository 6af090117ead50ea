from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "guifan.apps.accounts"
    label = "accounts"
    verbose_name = "账户与角色"
