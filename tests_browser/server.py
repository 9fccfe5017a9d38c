"""A fresh back-office for the browser suite: database, plan, roles, companies, and a live server.

`prepare_database()` runs in the test process (Django set up on the suite's own database, see
conftest.py): migrate, load_plan, setup_roles, an administrator, generated companies, an import
batch of 2,000 changed companies (as staff re-importing a list), and a 부처 담당자.
`serve()` starts `manage.py runserver` on a free port against the same database and waits until
it answers. Nothing here downloads anything.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN = ("admin", "admin-browser-pw")
OFFICER = ("officer-msme", "officer-browser-pw")  # 부처 담당자 of 중소벤처기업부
COMPANY_COUNT = int(os.environ.get("BROWSER_COMPANIES", "3000"))


def prepare_database() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from programs import access
    from programs.importing.kinds import get_kind
    from programs.importing.pipeline import import_file
    from programs.models import Ministry, StaffAssignment

    quiet = {"verbosity": 0, "stdout": open(os.devnull, "w")}
    call_command("migrate", interactive=False, **quiet)
    call_command("load_plan", **quiet)
    call_command("setup_roles", **quiet)
    call_command("generate_companies", count=COMPANY_COUNT, **quiet)
    users = get_user_model().objects
    admin = users.create_superuser(ADMIN[0], "admin@example.com", ADMIN[1])
    with tempfile.TemporaryDirectory() as folder:
        listing = Path(folder) / "뿌리기업_목록.xlsx"
        call_command("generate_companies", count=2000, seed=7, xlsx=listing, **quiet)
        result = import_file(
            kind=get_kind("companies"), data=listing.read_bytes(), file_name=listing.name, user=admin
        )
        assert result.written, result.errors[:3]
    officer = users.create_user(OFFICER[0], password=OFFICER[1], is_staff=True, last_name="중기부 담당")
    officer.groups.add(Group.objects.get(name=access.MINISTRY_OFFICER))
    StaffAssignment.objects.create(user=officer, ministry=Ministry.objects.get(code="mss"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(env: dict, log_path: Path):
    """`runserver` (no autoreload) on a free port; yields the base URL; stops it afterwards."""
    port = free_port()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(base + "/admin/login/", timeout=2)
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"runserver did not start; see {log_path}") from None
                    time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)
