from django.apps import AppConfig


class WebHallConfig(AppConfig):
    name = "guifan.apps.web.hall"
    label = "web_hall"
    verbose_name = "Business hall pages"
