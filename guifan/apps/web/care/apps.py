from django.apps import AppConfig


class WebCareConfig(AppConfig):
    name = "guifan.apps.web.care"
    label = "web_care"
    verbose_name = "Home-care agreement pages"
