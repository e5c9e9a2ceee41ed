"""Import pages under /exchange/, and the list exports beside the lists they export."""

from django.urls import path

from exchange import views

app_name = "exchange"

urlpatterns = [
    path("exchange/", views.index, name="index"),
    path("exchange/templates/<slug:kind>.xlsx", views.template_download, name="template"),
    path("exchange/imports/", views.upload, name="upload"),
    path("exchange/imports/<int:pk>/", views.job_detail, name="job"),
    path("exchange/imports/<int:pk>/status.json", views.job_status, name="job_status"),
    path("exchange/imports/<int:pk>/confirm/", views.job_confirm, name="confirm"),
    path("exchange/provinces/", views.province_pick, name="province_pick"),
    path("exchange/provinces/<slug:slug>.json", views.province_export, name="province"),
    path("facilities/export.xlsx", views.facility_export, name="facility_export"),
    path("proposals/export.xlsx", views.proposal_export, name="proposal_export"),
]
