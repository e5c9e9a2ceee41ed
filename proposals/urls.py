from django.urls import path

from proposals import views

app_name = "proposals"
urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("queue/", views.proposal_queue, name="queue"),
    path("overdue/", views.proposal_overdue, name="overdue"),
    path("new/", views.proposal_edit, name="create"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/edit/", views.proposal_edit, name="edit"),
    path("<int:pk>/actions/<slug:action>/", views.proposal_transition, name="transition"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment-upload"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/progress/", views.progress_create, name="progress-create"),
    path(
        "<int:pk>/progress/<int:report_pk>/comment/",
        views.progress_comment,
        name="progress-comment",
    ),
    path("<int:pk>/payments/", views.payment_request, name="payment-request"),
    path("<int:pk>/payments/<int:payment_pk>/", views.payment_decide, name="payment-decide"),
]
