"""The /api/v1/ contract (SPEC §9): each app contributes its routes; names here never change."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from khuyencong.api import ObtainToken

urlpatterns = [
    path("auth/token/", ObtainToken.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("reports/", include("reports.api_urls")),
    path("", include("proposals.api_urls")),
    path("", include("exchange.api_urls")),
    path("", include("registrations.api_urls")),
]
