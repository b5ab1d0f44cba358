from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm

from users.roles import is_staff_member


class PartnerPasswordResetForm(PasswordResetForm):
    """ "Mot de passe oublié" on the portal: only partner accounts get a link, including
    invited ones that never chose a password (their invitation may have expired). The page
    says the same thing whatever the address, so that it tells no one who has an account."""

    def get_users(self, email):
        User = get_user_model()
        users = User.objects.filter(
            email__iexact=email, is_active=True, partner_organisations__isnull=False
        ).distinct()
        return [user for user in users if not is_staff_member(user)]
