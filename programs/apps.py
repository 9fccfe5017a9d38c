from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "실행계획·사업"

    def ready(self):
        from django.contrib import admin

        from programs.admin_display import plain_year_columns

        plain_year_columns(admin.site)
