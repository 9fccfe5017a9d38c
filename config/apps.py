from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project itself, last in INSTALLED_APPS: adjusts third-party apps once all are ready
    (after the admin has discovered their admin classes, before any migrate or request)."""

    name = "config"
    label = "project"
    verbose_name = "설정"

    def ready(self):
        from config import thirdparty

        thirdparty.apply()
