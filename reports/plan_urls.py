"""/plans/: the list and a plan's follow-up are reports; entering and editing are funding's."""

from django.urls import path

from funding import views as funding_views
from reports import plans

app_name = "plans"

urlpatterns = [
    path("", plans.plan_list, name="list"),
    path("new/", funding_views.plan_create, name="create"),
    path("<int:pk>/", plans.plan_detail, name="detail"),
    path("<int:pk>/edit/", funding_views.plan_edit, name="edit"),
]
