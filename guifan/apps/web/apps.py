from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "guifan.apps.web"
    label = "web"
    verbose_name = "Web"
