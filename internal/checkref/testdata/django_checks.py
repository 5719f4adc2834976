"""Run Django's own system checks (check --deploy) on settings docsgen computed.

Usage: python3 django_checks.py cases.json
cases.json: {"cases": [{"name", "settings": {...}, "environ": {...}}], "ints": [...]}
Prints {"ids": {name: [check IDs]}, "ints": {text: [accepted, nonzero]}}: the
security.* and async.* IDs Django reports for each case, and how Python's
int() reads each text (django-environ's bool cast tries int() first).

One process runs every case: settings are swapped with override_settings,
as the application's settings module would set them.
"""
import json
import os
import sys

import django
from django.conf import settings

# The application's baseline: the middleware and apps its deploy checks
# depend on (SecurityMiddleware, sessions, CSRF, X-Frame-Options).
settings.configure(
    SECRET_KEY="baseline-replaced-by-every-case",
    INSTALLED_APPS=[
        "django.contrib.contenttypes",
        "django.contrib.auth",
        "django.contrib.sessions",
    ],
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    X_FRAME_OPTIONS="DENY",
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

from django.core.checks import run_checks  # noqa: E402
from django.test.utils import override_settings  # noqa: E402


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        data = json.load(f)
    ids = {}
    for case in data["cases"]:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        for key, value in case["environ"].items():
            os.environ[key] = value
        with override_settings(**case["settings"]):
            found = run_checks(include_deployment_checks=True)
        ids[case["name"]] = sorted({m.id for m in found if m.id.startswith(("security.", "async."))})
    ints = {}
    for text in data["ints"]:
        try:
            ints[text] = [True, int(text) != 0]
        except ValueError:
            ints[text] = [False, False]
    json.dump({"ids": ids, "ints": ints}, sys.stdout)


main()
