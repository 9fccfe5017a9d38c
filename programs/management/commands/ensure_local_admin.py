"""Create the local login for a development machine (never on production settings)."""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "개발용 로컬 관리자 계정을 만듭니다(DEBUG 환경에서만)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("로컬 관리자 계정은 개발 환경(DEBUG)에서만 만들 수 있습니다.")
        username = os.environ.get("LOCAL_ADMIN_USER", "admin")
        password = os.environ.get("LOCAL_ADMIN_PASSWORD", "admin")
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.is_staff = True
            user.is_superuser = True
            user.set_password(password)
            user.save()
            self.stdout.write(self.style.SUCCESS(f"로컬 관리자 계정을 만들었습니다: {username} / {password}"))
        else:
            self.stdout.write(f"로컬 관리자 계정이 이미 있습니다: {username}")
