"""URL configuration: the admin is the back-office."""
from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "뿌리산업 진흥 실행계획 관리 시스템"
admin.site.site_title = "뿌리산업 진흥 실행계획"
admin.site.index_title = "관리 홈"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
]
