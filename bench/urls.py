"""The portal's URLs plus the bare baseline view, for benchmarks only (bench.settings)."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/bare/", views.bare_list, name="bench-bare"),
    path("", include("khuyencong.urls")),
]
