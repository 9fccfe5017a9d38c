"""Staff list pages of centers, service requests and training institutions, mounted under /plan/."""

from django.urls import path

from centers import views

app_name = "plan_centers"

urlpatterns = [
    path("centers/", views.CenterListView.as_view(), name="centers"),
    path("service-requests/", views.ServiceRequestListView.as_view(), name="service_requests"),
    path("institutions/", views.InstitutionListView.as_view(), name="institutions"),
]
