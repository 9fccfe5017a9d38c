"""Create the role groups with their permissions (safe to run again: it resets them)."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db.models import Q

from programs import access, registry

ROLES = (access.SYSTEM_ADMIN, access.MINISTRY_OFFICER, access.COMMITTEE_MEMBER, access.CENTER_OFFICER)


def role_permissions(role: str):
    """Everyone views everything of the plan's apps; each app adds what a role may change
    (`registry.role_changes`). Scope (which ministry's or center's rows) is programs.access's."""
    if role == access.SYSTEM_ADMIN:
        return Permission.objects.all()
    plan_apps = ["programs", *{changes.app_label for changes in registry.role_changes}]
    condition = Q(content_type__app_label__in=plan_apps, codename__startswith="view_")
    for changes in registry.role_changes:
        if changes.role != role:
            continue
        apps.get_app_config(changes.app_label)  # an app label that does not exist fails here, loudly
        for model, actions in changes.actions.items():
            codenames = [f"{action}_{model}" for action in actions]
            condition |= Q(content_type__app_label=changes.app_label, codename__in=codenames)
    return Permission.objects.filter(condition)


class Command(BaseCommand):
    help = "역할 그룹(시스템 관리자, 부처 담당자, 위원, 센터 담당자)과 권한을 만듭니다."

    def handle(self, *args, **options):
        for role in ROLES:
            group, _ = Group.objects.get_or_create(name=role)
            permissions = list(role_permissions(role))
            group.permissions.set(permissions)
            self.stdout.write(f"{role}: 권한 {len(permissions)}개")
        self.stdout.write(self.style.SUCCESS("역할 그룹을 만들었습니다."))
