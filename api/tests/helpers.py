"""Tokens and clients for the API's tests."""

from django_tenants.utils import schema_context

from api import services
from conftest import client_for, user_named


def token_for(school, login: str, scope: str = "read", days: int = 30) -> str:
    with schema_context(school.schema_name):
        _row, token = services.token_create(
            user=user_named(login), name="test", scope=scope, days=days
        )
    return token


def api_client(school, token: str | None):
    client = client_for(school)
    if token:
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client
