from django.urls import path

from funding import views

app_name = "funding"

urlpatterns = [
    path("", views.allocation_list, name="list"),
    path("new/", views.allocation_create, name="create"),
    path("<int:pk>/edit/", views.allocation_edit, name="edit"),
]
