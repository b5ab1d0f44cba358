from django.conf import settings
from django.db import models


class OidcIdentity(models.Model):
    """The link between an account and its ProConnect identity: the provider's stable subject
    (`sub`), not the e-mail address, which may change or pass to someone else.

    Made at the first sign-in through ProConnect, when the verified address of the identity
    is that of an existing account; every later sign-in finds the account by (issuer, sub).
    Deleting the link (admin) lets the account be linked again, by its address.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="oidc_identity",
        verbose_name="utilisateur",
    )
    issuer = models.CharField("fournisseur d'identité", max_length=255)
    sub = models.CharField("identifiant chez le fournisseur (sub)", max_length=255)
    email = models.EmailField("adresse à la liaison", help_text="Celle qui a servi à relier.")
    linked_at = models.DateTimeField("relié le", auto_now_add=True)

    class Meta:
        verbose_name = "identité ProConnect"
        verbose_name_plural = "identités ProConnect"
        ordering = ["-linked_at", "-pk"]
        constraints = [
            # Every sign-in looks the account up by (issuer, sub): one account per identity.
            models.UniqueConstraint(fields=["issuer", "sub"], name="oidc_identity_issuer_sub"),
        ]

    def __str__(self):
        return f"{self.user} — {self.sub}"
