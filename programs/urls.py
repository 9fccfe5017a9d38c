"""Staff pages that walk the plan (login required, same look as the admin)."""

from django.urls import path

from programs import views

app_name = "plan"

urlpatterns = [
    path("", views.PlanOverviewView.as_view(), name="overview"),
    path("areas/<int:number>/", views.AreaDetailView.as_view(), name="area"),
    path("tasks/<int:area_number>-<int:number>/", views.TaskDetailView.as_view(), name="task"),
    path("programs/", views.ProgramListView.as_view(), name="programs"),
    path("programs/<slug:code>/", views.ProgramDetailView.as_view(), name="program"),
]
