from tests.apps.stock.stages import stage  # noqa: F401 - the fixture for this folder
