"""Staff pages that walk the plan (login required, same look as the admin).

Each page exists with and without the year: `/plan/2026/areas/1/` shows 2026, `/plan/areas/1/`
the current year (or `?year=`). `{% url 'plan:area' year number %}` builds the first.
"""

from django.urls import path

from programs import views

app_name = "plan"

urlpatterns = [
    path("", views.PlanOverviewView.as_view(), name="overview"),
    path("<int:year>/", views.PlanOverviewView.as_view(), name="overview"),
    path("areas/<int:number>/", views.AreaDetailView.as_view(), name="area"),
    path("<int:year>/areas/<int:number>/", views.AreaDetailView.as_view(), name="area"),
    path("tasks/<int:area_number>-<int:number>/", views.TaskDetailView.as_view(), name="task"),
    path("<int:year>/tasks/<int:area_number>-<int:number>/", views.TaskDetailView.as_view(), name="task"),
    path("programs/", views.ProgramListView.as_view(), name="programs"),
    path("<int:year>/programs/", views.ProgramListView.as_view(), name="programs"),
    path("programs/<slug:code>/", views.ProgramDetailView.as_view(), name="program"),
    path("<int:year>/programs/<slug:code>/", views.ProgramDetailView.as_view(), name="program"),
]
