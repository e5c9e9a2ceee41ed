"""The /api/v1/registrations/ routes (included by khuyencong/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from registrations.api import RegistrationViewSet

router = SimpleRouter()
router.register("registrations", RegistrationViewSet, basename="registration")

urlpatterns = router.urls
