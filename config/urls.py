"""URL configuration: the admin is the back-office."""

from django.apps import apps
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from config.health import healthz

admin.site.site_header = "뿌리산업 진흥 실행계획 관리 시스템"
admin.site.site_title = "뿌리산업 진흥 실행계획"
admin.site.index_title = "관리 홈"
# django-axes names its admin section "Axes"; its models get Korean names from config/locale.
apps.get_app_config("axes").verbose_name = "로그인 잠금 관리"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("plan/", include("programs.urls")),
    path("plan/", include("companies.urls")),
    path("plan/", include("centers.urls")),
]
