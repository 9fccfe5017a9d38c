"""Staff list pages of companies and applications, mounted under /plan/."""

from django.urls import path

from companies import views

app_name = "plan_companies"

urlpatterns = [
    path("companies/", views.CompanyListView.as_view(), name="companies"),
    path("applications/", views.ApplicationListView.as_view(), name="applications"),
]
