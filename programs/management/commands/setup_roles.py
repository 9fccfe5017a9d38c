"""Create the role groups with their permissions (safe to run again: it resets them)."""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db.models import Q

from programs import access

APPS = ("programs", "companies", "centers")

# Model permissions per role, besides viewing everything in APPS. Scope (which ministry's or
# center's rows) is enforced by programs.access on top of these.
ROLE_CHANGES = {
    access.MINISTRY_OFFICER: {
        "programs": {
            "program": ("change",),
            "programbudget": ("add", "change", "delete"),
            "budgetexecution": ("add", "change", "delete"),
            "milestone": ("add", "change", "delete"),
        },
        "companies": {"company": ("add", "change"), "application": ("add", "change", "delete")},
    },
    access.COMMITTEE_MEMBER: {},
    access.CENTER_OFFICER: {
        "centers": {"servicerequest": ("add", "change", "delete")},
    },
}


def role_permissions(role: str):
    if role == access.SYSTEM_ADMIN:
        return Permission.objects.all()
    condition = Q(content_type__app_label__in=APPS, codename__startswith="view_")
    for app_label, models in ROLE_CHANGES[role].items():
        for model, actions in models.items():
            codenames = [f"{action}_{model}" for action in actions]
            condition |= Q(content_type__app_label=app_label, codename__in=codenames)
    return Permission.objects.filter(condition)


class Command(BaseCommand):
    help = "역할 그룹(시스템 관리자, 부처 담당자, 위원, 센터 담당자)과 권한을 만듭니다."

    def handle(self, *args, **options):
        for role in (
            access.SYSTEM_ADMIN,
            access.MINISTRY_OFFICER,
            access.COMMITTEE_MEMBER,
            access.CENTER_OFFICER,
        ):
            group, _ = Group.objects.get_or_create(name=role)
            permissions = list(role_permissions(role))
            group.permissions.set(permissions)
            self.stdout.write(f"{role}: 권한 {len(permissions)}개")
        self.stdout.write(self.style.SUCCESS("역할 그룹을 만들었습니다."))
