from django.apps import AppConfig


class WebEvaluationConfig(AppConfig):
    name = "guifan.apps.web.evaluation"
    label = "web_evaluation"
    verbose_name = "Evaluation pages"
