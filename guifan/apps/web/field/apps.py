from django.apps import AppConfig


class WebFieldConfig(AppConfig):
    name = "guifan.apps.web.field"
    label = "web_field"
    verbose_name = "Technician phone app"
