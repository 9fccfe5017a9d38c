from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = "뿌리기업·신청"

    def ready(self):
        from companies import checks, panels, plan_data, reports
        from companies.models import Application
        from programs import access, registry
        from programs.validators import require_spreadsheet_text

        registry.plan_data.register(registry.PlanData("뿌리기업(업종·권역·규모·성장단계)", plan_data.load))
        registry.year_bound.register(Application)
        registry.committee_sheets.register(reports.committee_sheets)
        registry.summary_figures.register(panels.SUMMARY_FIGURE)
        registry.checks.register(checks.findings)
        registry.dashboard_panels.register(panels.CHARTS_PANEL)
        registry.dashboard_panels.register(panels.DASHBOARD_PANEL)
        registry.program_panels.register(panels.PROGRAM_PANEL)
        registry.plan_nav.register(registry.NavLink("뿌리기업 목록", "plan_companies:companies"))
        registry.plan_nav.register(registry.NavLink("사업 신청 목록", "plan_companies:applications"))
        registry.role_changes.register(
            registry.RoleChanges(
                access.MINISTRY_OFFICER,
                "companies",
                {"company": ("add", "change"), "application": ("add", "change", "delete")},
            )
        )
        access.register_scope(Application, owner=access.MINISTRY, path="program__ministry_id")
        require_spreadsheet_text(self.get_models())
