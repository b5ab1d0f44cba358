from django.contrib.auth.models import AbstractUser


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
        return self.get_full_name() or self.username
