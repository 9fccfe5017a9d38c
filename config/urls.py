"""URL configuration: the admin is the back-office."""

from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from config.health import healthz

admin.site.site_header = "뿌리산업 진흥 실행계획 관리 시스템"
admin.site.site_title = "뿌리산업 진흥 실행계획"
admin.site.index_title = "관리 홈"
handler500 = "config.errors.server_error"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on their own (e.g. on a file download); resolved per request.
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("programs/favicon.ico"))),
    path("admin/", admin.site.urls),
    path("plan/", include("programs.urls")),
    path("plan/", include("companies.urls")),
    path("plan/", include("centers.urls")),
]
