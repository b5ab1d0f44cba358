import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """Staff of the rectorat, partner users and admins.

    Partner users are linked to their organisations by `Organisation.members`;
    staff rights come from the groups in `users.roles`.
    """

    class Meta(AbstractUser.Meta):
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.choice_label(self.first_name, self.last_name, self.username)

    # For config.widgets.FastSelect: the label of a choice without building the instance.
    CHOICE_LABEL_FIELDS = ("first_name", "last_name", "username")

    @staticmethod
    def choice_label(first_name, last_name, username):
        return f"{first_name} {last_name}".strip() or username


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a user's private calendar address: whoever has it reads the feed.

    Regenerating replaces it (the old address stops working); revoking deletes it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name="utilisateur",
    )
    token = models.CharField("jeton", max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField("créé le", auto_now=True)

    class Meta:
        verbose_name = "jeton d'agenda"
        verbose_name_plural = "jetons d'agenda"
        ordering = ["user"]

    def __str__(self):
        return f"Agenda de {self.user}"

    @classmethod
    def regenerate(cls, user) -> "CalendarToken":
        """A new secret for `user` (created if needed); the previous address stops working."""
        token, created = cls.objects.get_or_create(user=user)
        if not created:
            token.token = new_calendar_token()
            token.save(update_fields=["token", "created_at"])
        return token
