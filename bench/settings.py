"""Production settings as deployed, plus the bare baseline view (bench.urls).

Benchmarks measure production mode: DEBUG off whatever the shell says (DEBUG on would log every
query), plain HTTP on loopback (no SSL redirect, no secure-only cookies).
"""

import os
import warnings

os.environ["DEBUG"] = "False"
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ["SECURE_SSL_REDIRECT"] = "False"

from khuyencong.settings import *  # noqa: E402,F403
from khuyencong.settings import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# No collectstatic in a benchmark checkout: plain static names instead of the manifest.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# django-axes logs every login at INFO; benchmarks log in many times.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {"axes": {"level": "WARNING"}},
}

# WhiteNoise warns that STATIC_ROOT is missing (no collectstatic for a benchmark): once is enough.
warnings.filterwarnings("ignore", message="No directory at")
