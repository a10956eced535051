from django.test import Client


def client_for(user):
    """A browser signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client
