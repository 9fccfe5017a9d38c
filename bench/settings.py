"""Settings of the benchmark: the project's dev settings, DEBUG off, plus django-import-export.

django-import-export is no longer an installed app of the project (issue 10); the peers in
bench/ need it (its widgets' translations and templates), so only the benchmark adds it.
"""

from config.settings.dev import *  # noqa: F403
from config.settings.dev import INSTALLED_APPS

DEBUG = False  # no query log in memory: timings and peaks as in production
INSTALLED_APPS = [*INSTALLED_APPS, "import_export"]
