from django.apps import AppConfig


class CentersConfig(AppConfig):
    name = "centers"
    verbose_name = "지원기관"

    def ready(self):
        from centers import panels, plan_data, reports
        from centers.access import CENTER
        from centers.admin import CenterAssignmentInline
        from centers.models import PlanTarget, ServiceRequest
        from programs import access, registry
        from programs.validators import require_spreadsheet_text

        registry.plan_data.register(registry.PlanData("지원기관(센터·특화단지·인력양성기관·목표)", plan_data.load))
        registry.year_bound.register(PlanTarget)
        registry.committee_sheets.register(reports.committee_sheets)
        registry.dashboard_panels.register(panels.DASHBOARD_PANEL)
        registry.user_admin_inlines.register(CenterAssignmentInline)
        registry.plan_nav.register(registry.NavLink("지원센터 목록", "plan_centers:centers"))
        registry.plan_nav.register(registry.NavLink("기술지원 신청 목록", "plan_centers:service_requests"))
        registry.plan_nav.register(registry.NavLink("인력양성기관 목록", "plan_centers:institutions"))
        registry.role_changes.register(
            registry.RoleChanges(access.CENTER_OFFICER, "centers", {"servicerequest": ("add", "change", "delete")})
        )
        access.register_scope(ServiceRequest, owner=CENTER, path="center_id")
        require_spreadsheet_text(self.get_models())
