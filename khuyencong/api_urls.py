"""The /api/v1/ contract (SPEC §9): each app contributes its routes; names here never change."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from khuyencong.api import ObtainToken, TokenDetail, TokenList

urlpatterns = [
    path("auth/token/", ObtainToken.as_view(), name="api-token"),
    path("auth/tokens/", TokenList.as_view(), name="api-tokens"),
    path("auth/tokens/<str:key>/", TokenDetail.as_view(), name="api-token-revoke"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI loads its script from a file (the split view) but sets style attributes.
    path(
        "docs/",
        csp_update({"style-src": [SELF, UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("reports/", include("reports.api_urls")),
    path("", include("proposals.api_urls")),
    path("", include("exchange.api_urls")),
    path("", include("registrations.api_urls")),
]
