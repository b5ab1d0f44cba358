"""The single-use link of an invitation (and of a forgotten password): Django's
password-reset tokens, with their own salt and a 7-day validity.

A token is spent as soon as it is used: it hashes the password, which changes when the
partner chooses one, and the last login. It also hashes `is_active`, so that revoking an
account voids the links still in its mailbox.
"""

import datetime

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

INVITATION_VALIDITY = datetime.timedelta(days=7)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "portal.tokens.InvitationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"

    def check_token(self, user, token):
        """Django's check, with INVITATION_VALIDITY instead of PASSWORD_RESET_TIMEOUT."""
        if not (user and token):
            return False
        try:
            timestamp_b36, _ = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        age = self._num_seconds(self._now()) - timestamp
        return age <= INVITATION_VALIDITY.total_seconds()


invitation_token_generator = InvitationTokenGenerator()
