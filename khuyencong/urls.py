from django.contrib import admin
from django.urls import include, path

from khuyencong import health, views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include("proposals.home")),  # the home page counts proposals: it lives there
    path("accounts/tokens/", views.api_tokens, name="api-tokens-page"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("proposals/", include("proposals.urls")),
    path("api/v1/", include("khuyencong.api_urls")),
    path("facilities/", include("facilities.urls")),
    path("allocations/", include("funding.urls")),
    path("plans/", include("reports.plan_urls")),
    path("reports/", include("reports.urls")),
    path("", include("exchange.urls")),
    path("", include("registrations.urls")),
]

handler500 = "khuyencong.views.server_error"
