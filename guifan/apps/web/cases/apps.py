from django.apps import AppConfig


class WebCasesConfig(AppConfig):
    name = "guifan.apps.web.cases"
    label = "web_cases"
    verbose_name = "Case pages"
