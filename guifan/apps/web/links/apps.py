from django.apps import AppConfig


class WebLinksConfig(AppConfig):
    name = "guifan.apps.web.links"
    label = "web_links"
    verbose_name = "Customer links"
