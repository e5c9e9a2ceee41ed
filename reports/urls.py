from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("summary.pdf", views.summary_pdf, name="summary-pdf"),
    path("summary.xlsx", views.summary_xlsx, name="summary-xlsx"),
]
