from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Installed by bench.settings only (the bare view and `generate_data`); never deployed."""

    name = "bench"
