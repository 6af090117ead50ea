from django.apps import AppConfig


class WebCallcentreConfig(AppConfig):
    name = "guifan.apps.web.callcentre"
    label = "web_callcentre"
    verbose_name = "Call-centre pages"
