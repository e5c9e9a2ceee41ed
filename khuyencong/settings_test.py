"""Test settings: the real settings with a fast hasher and plain static storage."""

import os
import tempfile

os.environ.setdefault("DEBUG", "True")
os.environ.setdefault("SECRET_KEY", "test-only-secret")

from khuyencong.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = True
ALLOWED_HOSTS = ["*"]
# Uploaded files of a test run go to a throw-away folder, not the project's media/.
MEDIA_ROOT = tempfile.mkdtemp(prefix="khuyencong-test-media-")
# One access line per request would fill every failure's captured output; tests that read
# them raise the level themselves (caplog).
LOGGING["loggers"]["khuyencong.access"] = {"level": "WARNING"}  # noqa: F405
