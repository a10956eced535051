"""Sign-in through the city's OpenID Connect provider (README, "Annuaire de la ville"): on when
OIDC_RP_CLIENT_ID is set."""

OIDC_AUTHENTICATION_BACKENDS = []
