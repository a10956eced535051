"""Signed unsubscribe links: whoever holds one may end those subscriptions, without signing in."""

from django.core import signing

SALT = "digests.unsubscribe"


def unsubscribe_token(subscriptions):
    """A token for these subscriptions of one agent: one in the mail's body, all of them in its header."""
    [user_id] = {subscription.user_id for subscription in subscriptions}
    return signing.dumps(
        {"u": user_id, "s": sorted(subscription.pk for subscription in subscriptions)}, salt=SALT
    )


def read_unsubscribe_token(token):
    """(user id, [subscription ids]) from a token, or None when it was not signed by this site."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        return None
    ids = payload.get("s")
    if not isinstance(ids, list) or not ids or not all(isinstance(pk, int) for pk in ids):
        return None
    return payload["u"], ids
