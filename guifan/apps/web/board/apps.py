from django.apps import AppConfig


class WebBoardConfig(AppConfig):
    name = "guifan.apps.web.board"
    label = "web_board"
    verbose_name = "Dispatcher board"
