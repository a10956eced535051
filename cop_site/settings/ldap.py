"""Sign-in with the city's LDAP or Active Directory (README, "Annuaire de la ville"): on when
LDAP_SERVER_URI is set."""

LDAP_AUTHENTICATION_BACKENDS = []
