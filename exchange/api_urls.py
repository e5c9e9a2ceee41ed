"""/api/v1/imports/ (SPEC §9 style: names here never change)."""

from rest_framework.routers import SimpleRouter

from exchange.api import ImportViewSet

router = SimpleRouter()
router.register("imports", ImportViewSet, basename="import")

urlpatterns = router.urls
