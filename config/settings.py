"""Settings, read from the environment.

With nothing set: development mode, DEBUG on, SQLite database in the project folder.
`DATABASE_URL=postgres://...` switches to PostgreSQL. A bad value fails loudly at start-up.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int_list(name: str, default: list[int]) -> list[int]:
    try:
        return [int(item) for item in env_list(name, [str(d) for d in default])]
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be comma-separated integers, not {os.environ[name]!r}"
        ) from None


def env_json_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if not isinstance(parsed, list) or not all(isinstance(item, str) for item in parsed):
        raise ImproperlyConfigured(f"{name} must be a JSON list of strings, not {value!r}")
    return parsed


def object_storage(environ) -> dict | None:
    """`STORAGES["default"]` for the S3-compatible store that S3_BUCKET and its companions
    name (docs/deployment.md), or None when S3_BUCKET is unset."""
    bucket = environ.get("S3_BUCKET", "")
    if not bucket:
        return None
    endpoint = environ.get("S3_ENDPOINT_URL", "")  # empty: Amazon's own
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"S3_ENDPOINT_URL must be an http(s) URL, not {endpoint!r}")
    key_id = environ.get("S3_ACCESS_KEY_ID", "")
    secret = environ.get("S3_SECRET_ACCESS_KEY", "")
    if bool(key_id) != bool(secret):
        raise ImproperlyConfigured("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together")
    # MinIO and most S3-compatible stores want path-style URLs (endpoint/bucket/key).
    style = environ.get("S3_ADDRESSING_STYLE", "path" if endpoint else "auto")
    if style not in {"path", "virtual", "auto"}:
        raise ImproperlyConfigured(
            f"S3_ADDRESSING_STYLE must be path, virtual or auto, not {style!r}"
        )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint or None,
            # Unset: boto3's own chain (AWS_* variables, the machine's role).
            "access_key": key_id or None,
            "secret_key": secret or None,
            "region_name": environ.get("S3_REGION", "") or None,
            "addressing_style": None if style == "auto" else style,
            # The folder of the bucket that holds our files (several instances, one bucket).
            "location": environ.get("S3_PREFIX", "").strip("/"),
            # As on disk: a name taken gets another name; a save never replaces a stored
            # file (documents.signed deletes an orphan before writing its name again).
            "file_overwrite": False,
            # The bucket's own policy (private): no public-read ACL, no public URL.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
        },
    }


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production"

# Signs the manifest of every backup archive (backup.archive, HMAC-SHA256): an archive is
# restored only where this key is the one it was exported with.
BACKUP_SIGNING_KEY = os.environ.get("BACKUP_SIGNING_KEY", "") or SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
# Absolute links in e-mails and calendar feeds.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "simple_history",
    "django_filters",
    "widget_tweaks",
    "dsfr",
    "django_tasks_db",
    # Ours, from the bottom layer up: an app imports only apps listed before it
    # (docs/architecture.md; tests/test_layers.py checks it).
    "users",
    "jobs",
    "partners",
    "conventions",
    "actions",
    "echeancier",
    "documents",
    "interchange",
    "portal",
    "backup",
    "reprise",
    "proconnect",
    "devtools",
]

MIDDLEWARE = [
    "config.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "users.sessions.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # The list pages' reads go to the read replica when there is one (config/routers.py).
    "config.routers.ReplicaReadsMiddleware",
    # Records the signed-in user on every history row written during the request.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the French lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.academy",
                "proconnect.context_processors.proconnect",
                "django.template.context_processors.csp",
            ],
            "libraries": {"fragments": "config.fragments"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections: opening one to PostgreSQL per request cost about 10 ms of
        # every page (make bench); checked before reuse, so a restarted server is no error.
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
# Optional read replica (PostgreSQL streaming replication of the primary): the list pages
# marked `config.routers.replica_reads` read the domain's tables from it; everything else,
# and every write, goes to the primary (config/routers.py, docs/deployment.md).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=env_int("CONN_MAX_AGE", 600),
            conn_health_checks=True,
        ),
        # Tests read the primary's test database through this second connection.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out client before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # With OIDC_REQUIRED_FOR_STAFF: refuses a staff member's password before it is checked.
    "proconnect.backends.StaffPasswordGate",
    "django.contrib.auth.backends.ModelBackend",
    # Sign-in through ProConnect (proconnect.views.callback); it answers no password.
    "proconnect.backends.ProConnectBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
WHITENOISE_AUTOREFRESH = DEBUG  # development: serve files as they change, without collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},  # MEDIA_ROOT
    # Hashed names (served by WhiteNoise with a far-future cache); no pre-compression: it
    # takes a minute over the 10,000 DSFR files, and the reverse proxy compresses.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Stored files (signed PDFs, scans, imported originals, logos, obligations' deliveries):
# S3-compatible object storage when S3_BUCKET is set (MinIO, the State's cloud), so that
# every app server and worker reads and writes the same files; else MEDIA_ROOT on this
# machine (one machine only). Private: the application serves each file through its views,
# after its permission checks; the bucket must not be public (docs/deployment.md).
OBJECT_STORAGE = object_storage(os.environ)
if OBJECT_STORAGE:
    STORAGES["default"] = OBJECT_STORAGE

# Django 6.1 mailers. Development writes mails as files (var/mails/, shown at /dev/mails/)
# unless EMAIL_HOST is set;
# production always sends through SMTP (EMAIL_HOST, default the local MTA).
if os.environ.get("EMAIL_HOST") or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
            },
        }
    }
else:
    # Development: each mail a file of var/mails/, read decoded at /dev/mails/.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(BASE_DIR / "var" / "mails")},
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "conventions@ac-aix-marseille.fr")

# `send_reminders`: each référent is mailed about a deadline this many days before it
# (once per deadline and offset); `send_reminders --digest` lists the next days' deadlines.
REMINDER_OFFSETS_DAYS = env_int_list("REMINDER_OFFSETS_DAYS", [90, 30, 7])
if not REMINDER_OFFSETS_DAYS or min(REMINDER_OFFSETS_DAYS) < 0:
    raise ImproperlyConfigured("REMINDER_OFFSETS_DAYS must list days >= 0, e.g. 90,30,7")
REMINDER_DIGEST_DAYS = env_int("REMINDER_DIGEST_DAYS", 30)

# The académie whose conventions these are: printed headings, titles, e-mails.
ACADEMY_NAME = os.environ.get("ACADEMY_NAME", "académie d'Aix-Marseille")

# The legal pages of the footer (config/pages.py): who publishes and who hosts the
# application, whom to ask about personal data and accessibility. Each académie fills in its
# own; an empty value shows « à compléter » on the page.
LEGAL_PUBLISHER = os.environ.get("LEGAL_PUBLISHER", f"Rectorat de l'{ACADEMY_NAME}")
LEGAL_PUBLICATION_DIRECTOR = os.environ.get(
    "LEGAL_PUBLICATION_DIRECTOR", f"Le recteur ou la rectrice de l'{ACADEMY_NAME}"
)
LEGAL_HOST = os.environ.get("LEGAL_HOST", "")  # name, address and phone of the host
DPO_CONTACT = os.environ.get("DPO_CONTACT", "")  # the académie's data protection officer
ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "")
# How long the logs of sign-ins (django-axes: username, address, browser) are kept, as the
# personal data page says; `manage.py axes_reset_logs --age DAYS` purges older ones.
LOGIN_LOG_RETENTION_DAYS = env_int("LOGIN_LOG_RETENTION_DAYS", 365)

# Sessions are in the database (Django's default engine): signed in through one app server,
# signed in on all. They end after a working day without activity (users.sessions: the
# expiry is pushed back at most every quarter of an hour, not written on every request).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 10 * 3600)
SESSION_REFRESH_SECONDS = 15 * 60
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Login throttling for staff and partners alike (django-axes): after 5 failures for a
# username from one client address, that pair is locked for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The client's address, for django-axes and any other use: `config.client_ip`. Behind N
# reverse proxies (each appending to X-Forwarded-For), TRUSTED_PROXY_COUNT=N; 0 reads
# REMOTE_ADDR and ignores the header, which a client can forge.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more (the number of proxies)")
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"

# Content Security Policy (Django 6's own): every script and style comes from our origin,
# DSFR assets included; no inline script of ours.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# A refused CSRF check answers the French error page, not Django's English one.
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Sign-in through ProConnect, the State's OpenID Connect federation (proconnect/) ---
# Unset: no ProConnect button, passwords as before. Set: the issuer's address (its discovery
# document is read from ISSUER/.well-known/openid-configuration), and the client registered
# there for this service, whose redirect URI is SITE_URL/proconnect/retour/ and whose
# post-logout redirect URI is SITE_URL/proconnect/deconnecte/.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid email given_name usual_name")
# e.g. "eidas1": the level of authentication asked for (`acr_values`); empty: the provider's.
OIDC_ACR_VALUES = os.environ.get("OIDC_ACR_VALUES", "")
OIDC_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGO", "RS256")
# Staff (Gestionnaire, Lecteur) sign in through ProConnect only; superusers keep their
# password, the way in when ProConnect is down.
OIDC_REQUIRED_FOR_STAFF = env_bool("OIDC_REQUIRED_FOR_STAFF", False)
_oidc = {
    "OIDC_ISSUER": OIDC_ISSUER,
    "OIDC_CLIENT_ID": OIDC_CLIENT_ID,
    "OIDC_CLIENT_SECRET": OIDC_CLIENT_SECRET,
}
if any(_oidc.values()) and not all(_oidc.values()):
    missing = ", ".join(name for name, value in _oidc.items() if not value)
    raise ImproperlyConfigured(
        f"ProConnect needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET: {missing} missing"
    )
if OIDC_ISSUER and not OIDC_ISSUER.startswith(
    ("https://", "http://127.0.0.1:", "http://localhost:")
):
    raise ImproperlyConfigured(f"OIDC_ISSUER must be an https:// address, not {OIDC_ISSUER!r}")
if OIDC_ISSUER and "openid" not in OIDC_SCOPES.split():
    raise ImproperlyConfigured(f"OIDC_SCOPES must include openid, not {OIDC_SCOPES!r}")
if OIDC_REQUIRED_FOR_STAFF and not OIDC_ISSUER:
    raise ImproperlyConfigured("OIDC_REQUIRED_FOR_STAFF is set but ProConnect is not (OIDC_ISSUER)")
if OIDC_ISSUER:
    # Signing out posts a form whose answer sends the browser on to the provider's
    # end_session_endpoint: the Content Security Policy must let the form go there.
    SECURE_CSP["form-action"].append("/".join(OIDC_ISSUER.split("/")[:3]))
# mozilla-django-oidc, under the views and backend of proconnect/ (which read the endpoints
# from the discovery document).
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "proconnect:callback"
OIDC_OP_LOGOUT_URL_METHOD = "proconnect.views.provider_logout_url"

if not DEBUG:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^sante/$"]  # the load balancer's health check speaks HTTP
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# One JSON line per request (config.logging.RequestLogMiddleware), without personal data.

# --- Printed conventions and signed documents (documents/printing.py, signed.py) ---
# The heading of every printed convention and avenant: one block per entry, "\n" breaks a
# line. ACADEMY_PRINT_HEADING='["RÉGION ACADÉMIQUE\\nPROVENCE-ALPES-CÔTE D'AZUR", ...]'.
ACADEMY_PRINT_HEADING = env_json_list(
    "ACADEMY_PRINT_HEADING",
    [
        "RÉGION ACADÉMIQUE\nPROVENCE-ALPES-CÔTE D'AZUR",
        "MINISTÈRE\nDE L'ÉDUCATION NATIONALE\nET DE LA JEUNESSE",
        "MINISTÈRE\nDE L'ENSEIGNEMENT SUPÉRIEUR,\nDE LA RECHERCHE\nET DE L'INNOVATION",
    ],
)
# Largest scan of a signed paper copy that staff may upload.
SCAN_MAX_BYTES = env_int("SCAN_MAX_MB", 20) * 1024 * 1024
# Import of existing conventions (reprise): the largest file read, and the most its zip
# container (.docx, .odt) may expand to once decompressed (a zip bomb is refused before it is
# read).
REPRISE_MAX_UPLOAD_BYTES = env_int("REPRISE_MAX_UPLOAD_MB", 30) * 1024 * 1024
REPRISE_MAX_UNZIPPED_BYTES = env_int("REPRISE_MAX_UNZIPPED_MB", 200) * 1024 * 1024
# The most files one upload of the reprise page takes at once.
REPRISE_MAX_FILES = env_int("REPRISE_MAX_FILES", 50)

# Background tasks (Django's tasks framework): the reading and extraction of imported
# documents (reprise.tasks), PDF renders and CSV exports of more than a page (jobs) run in
# a worker, `manage.py db_worker`, out of the request. The database backend
# (django-tasks-db) keeps the queue in the application's database; the tests run tasks at
# once (conftest.py). TASKS_BACKEND=immediate runs them in the request.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
if TASKS_BACKEND not in {"database", "immediate"}:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be database or immediate, not {TASKS_BACKEND!r}"
    )
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
# Work off the request path (docs/tasks.md). A PDF not rendered yet: the request waits at
# most PDF_WAIT_MS for the worker, then answers « Document en préparation ». A render left
# waiting or running RENDER_STALE_SECONDS (a lost task, a killed worker) is enqueued again
# when asked for. Rendered PDFs are kept RENDER_KEEP_DAYS, exports EXPORT_KEEP_HOURS.
PDF_WAIT_MS = env_int("PDF_WAIT_MS", 2000)
RENDER_STALE_SECONDS = env_int("RENDER_STALE_SECONDS", 300)
RENDER_KEEP_DAYS = env_int("RENDER_KEEP_DAYS", 7)
EXPORT_KEEP_HOURS = env_int("EXPORT_KEEP_HOURS", 24)
# Seal of the signed PDFs (PAdES, invisible): a PKCS#12 file and its password. Unset: the
# signed PDFs are stored unsealed. SEAL_TRUST_ROOTS: extra PEM/DER certificates, comma
# separated, trusted when checking a seal (the PKCS#12's own chain is always trusted).
SEAL_PKCS12_FILE = os.environ.get("SEAL_PKCS12_FILE", "")
SEAL_PKCS12_PASSWORD = os.environ.get("SEAL_PKCS12_PASSWORD", "")
SEAL_TRUST_ROOTS = env_list("SEAL_TRUST_ROOTS", [])
if SEAL_PKCS12_FILE and not Path(SEAL_PKCS12_FILE).is_file():
    raise ImproperlyConfigured(f"SEAL_PKCS12_FILE is not a file: {SEAL_PKCS12_FILE!r}")
# RFC 3161 timestamp authority of the seal (PAdES B-T): the URL its requests are POSTed to,
# e.g. a qualified TSA's. Unset: the seal carries the server's own signing time (B-B). Its
# certificate's root goes into SEAL_TRUST_ROOTS for the seal check to trust the timestamp.
SEAL_TSA_URL = os.environ.get("SEAL_TSA_URL", "")
SEAL_TSA_TIMEOUT = env_int("SEAL_TSA_TIMEOUT", 10)
if SEAL_TSA_URL and not SEAL_TSA_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SEAL_TSA_URL must be an http(s) URL, not {SEAL_TSA_URL!r}")
if SEAL_TSA_URL and not SEAL_PKCS12_FILE:
    raise ImproperlyConfigured("SEAL_TSA_URL is set but SEAL_PKCS12_FILE is not: nothing to seal")

CACHES = {
    # Shared by every app server and worker: a value cached by one is seen by the others
    # (a cache in each process's memory would not be). In the database, as sessions,
    # django-axes' lockouts and the task queue are, so that no other service is needed. Its
    # table is made by `manage.py createcachetable`, after `migrate` (the Makefile's `serve`
    # and `demo`, docs/deployment.md); Django makes it in the tests' database.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    },
    # Each process's own memory, for what is public and cheap to fetch again (the identity
    # provider's discovery document).
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"},
    # Rendered fragments (filter forms, a convention's numbered text), keyed by a digest of
    # all they show (config/fragments.py): each process's own memory, nothing to invalidate.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
    # PDFs are not cached here: rendered by the worker, they are kept by content in the
    # default storage (jobs.Render, docs/tasks.md).
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level"},
        },
        "terminal": {"()": "config.logging.TerminalFormatter"},
    },
    # JSON in production; readable lines in development (LOG_FORMAT=json|text to choose).
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "terminal"
            if os.environ.get("LOG_FORMAT", "text" if DEBUG else "json") == "text"
            else "json",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Requests are logged once, by our middleware; not again by Django.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO; its warnings (a missing font) still show.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
