"""Creating logins (from the CLI and the demo)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from showclear.web.accounts.models import Membership


def create_login(production_slug: str, person_id: str, username: str, password: str) -> None:
    """Create or reset ``username`` (password hashed with argon2) acting as ``person_id``."""
    user_model = get_user_model()
    with transaction.atomic():
        user, _ = user_model.objects.get_or_create(username=username)
        user.set_password(password)
        user.save()
        Membership.objects.update_or_create(
            user=user, production_slug=production_slug, defaults={"person_id": person_id}
        )
