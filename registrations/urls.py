"""The public pages at /dang-ky/ (no account) and the staff pages at /registrations/."""

from django.urls import path

from registrations import views

app_name = "registrations"
urlpatterns = [
    path("dang-ky/", views.register, name="register"),
    path("dang-ky/da-gui/", views.submitted, name="submitted"),
    path("dang-ky/tra-cuu/", views.status, name="status"),
    path("registrations/", views.queue, name="queue"),
    path("registrations/<int:pk>/", views.detail, name="detail"),
    path("registrations/<int:pk>/review/", views.review, name="review"),
    path("registrations/<int:pk>/match/", views.match, name="match"),
    path("registrations/<int:pk>/create-facility/", views.create_facility, name="create-facility"),
    path("registrations/<int:pk>/convert/", views.convert, name="convert"),
    path("registrations/<int:pk>/decline/", views.decline, name="decline"),
    path("registrations/<int:pk>/files/<int:file_pk>/", views.file_download, name="file"),
]
