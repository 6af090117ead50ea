from django.apps import AppConfig


class WebQualityConfig(AppConfig):
    name = "guifan.apps.web.quality"
    label = "web_quality"
    verbose_name = "Norm compliance pages"
