"""The /api/v1/ routes of provinces, facilities, funding and proposals (names per SPEC §9)."""

from rest_framework.routers import DefaultRouter

from facilities.api import FacilityViewSet, ProvinceViewSet, UnitViewSet
from funding.api import (
    ActivityContentViewSet,
    ActivityTypeViewSet,
    AllocationViewSet,
    FundViewSet,
    OutputIndicatorViewSet,
    PlanViewSet,
)
from proposals.api import ProposalViewSet

router = DefaultRouter()
router.register("provinces", ProvinceViewSet, basename="province")
router.register("units", UnitViewSet, basename="unit")
router.register("facilities", FacilityViewSet, basename="facility")
router.register("funds", FundViewSet, basename="fund")
router.register("contents", ActivityContentViewSet, basename="content")
router.register("activities", ActivityTypeViewSet, basename="activity")
router.register("indicators", OutputIndicatorViewSet, basename="indicator")
router.register("allocations", AllocationViewSet, basename="allocation")
router.register("plans", PlanViewSet, basename="plan")
router.register("proposals", ProposalViewSet, basename="proposal")

urlpatterns = router.urls
