import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

# What the admin shows of a key once it is created: enough to tell two applications' keys apart.
PREFIX_LENGTH = 8


def key_hash(key):
    """What is stored of a key: its SHA-256. A key is 256 random bits, so a fast hash is enough."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def for_key(self, key):
        """The active token of this key, or None."""
        return self.active().filter(key_hash=key_hash(key)).first()


class ApiToken(models.Model):
    """A client application's access to the read API: its key is shown once, then only its prefix."""

    name = models.CharField(
        "application",
        max_length=100,
        help_text=(
            "L'outil de l'intranet qui lira le COP avec cette clé, par exemple « Annuaire des projets »."
        ),
    )
    key_hash = models.CharField("empreinte de la clé (SHA-256)", max_length=64, unique=True, editable=False)
    prefix = models.CharField("début de la clé", max_length=PREFIX_LENGTH, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name="créé par",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, editable=False)
    revoked_at = models.DateTimeField("révoqué le", null=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name="révoqué par",
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-created_at"]
        # Administrators hold the one permission that the admin asks for (api/wagtail_hooks.py):
        # a token is never changed but by its name, and never deleted, only revoked.
        default_permissions = ("add",)

    def __str__(self):
        return self.name

    def set_new_key(self):
        """Gives the token a new key and returns it: the caller shows it once, nothing keeps it."""
        key = secrets.token_urlsafe(32)
        self.key_hash = key_hash(key)
        self.prefix = key[:PREFIX_LENGTH]
        return key

    @property
    def is_active(self):
        return self.revoked_at is None

    def revoke(self, user):
        self.revoked_at = timezone.now()
        self.revoked_by = user
        self.save(update_fields=["revoked_at", "revoked_by"])

    def record_use(self, now, every=60):
        """Notes when the token was last used, to the minute: one write a minute, not one a request."""
        if self.last_used_at is None or (now - self.last_used_at).total_seconds() >= every:
            self.last_used_at = now
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
