"""Which production person a login speaks for."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Membership(models.Model):
    """A login's place on one production: the person id it acts as there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    production_slug = models.CharField(max_length=80)
    person_id = models.CharField(max_length=80)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["user", "production_slug"], name="one_person_per_login_and_production"
            ),
        )

    def __str__(self) -> str:
        return f"{self.user} as {self.person_id} on {self.production_slug}"
