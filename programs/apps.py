from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "실행계획·사업"

    def ready(self):
        from django.db.models.signals import post_migrate

        from programs import access, plan_data, registry
        from programs.models import Achievement, BudgetExecution, Milestone, Program, ProgramBudget
        from programs.permissions import rename_permissions_after_migrate
        from programs.validators import require_spreadsheet_text

        registry.plan_data.register(registry.PlanData("실행계획(분야·과제·사업·예산·일정·실적)", plan_data.load))
        for model in (ProgramBudget, BudgetExecution, Milestone, Achievement):
            registry.year_bound.register(model)
        registry.role_changes.register(
            registry.RoleChanges(
                access.MINISTRY_OFFICER,
                "programs",
                {
                    "program": ("change",),
                    "programbudget": ("add", "change", "delete"),
                    "budgetexecution": ("add", "change", "delete"),
                    "milestone": ("add", "change", "delete"),
                },
            )
        )
        access.register_scope(Program, owner=access.MINISTRY, path="ministry_id")
        # After django.contrib.auth's own handler (connected first): it creates, this renames.
        post_migrate.connect(rename_permissions_after_migrate, dispatch_uid="programs_korean_permission_names")
        for model in (ProgramBudget, BudgetExecution, Milestone):
            access.register_scope(model, owner=access.MINISTRY, path="program__ministry_id")
        require_spreadsheet_text(self.get_models())
