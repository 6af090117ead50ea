from django.apps import AppConfig


class WebScorecardsConfig(AppConfig):
    name = "guifan.apps.web.scorecards"
    label = "web_scorecards"
    verbose_name = "Scorecard pages"
