from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = "Utilisateurs"

    def ready(self):
        from . import sessions  # noqa: F401 (connects the sign-in receiver)
