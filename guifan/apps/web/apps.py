from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "guifan.apps.web"
    label = "web"
    verbose_name = "Web"

    def ready(self) -> None:
        from django.contrib import admin

        # The admin says whose it is, in the page's language (Django's own reads "Django 管理").
        admin.site.site_header = admin.site.site_title = _("guifan administration")
