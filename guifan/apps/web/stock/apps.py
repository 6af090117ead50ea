from django.apps import AppConfig


class WebStockConfig(AppConfig):
    name = "guifan.apps.web.stock"
    label = "web_stock"
    verbose_name = "Stock pages"
