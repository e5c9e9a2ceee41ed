from django.urls import path

from reports.api import SummaryView

urlpatterns = [
    path("summary/", SummaryView.as_view(), name="api-reports-summary"),
]
