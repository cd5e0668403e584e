"""A real OpenID Connect provider for tests (PyPI oidc-provider-mock), and the app's config file pointing at it."""

from __future__ import annotations

from contextlib import ExitStack, contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import httpx
import oidc_provider_mock
import yaml


@contextmanager
def providers(config_dir: Path, host: str = "localhost"):
    """Two providers: a good one, and one whose ID tokens are already expired when issued.

    Yields (config file, good issuer, expired issuer). ``host`` 127.0.0.1 makes the provider another site
    than an app at localhost (as a real identity provider is).
    """
    with ExitStack() as stack:
        good = stack.enter_context(oidc_provider_mock.run_server_in_thread(require_nonce=True))
        expired = stack.enter_context(oidc_provider_mock.run_server_in_thread(
            require_nonce=True, access_token_max_age=timedelta(seconds=-600)))
        issuer = f"http://{host}:{good.server_port}"
        expired_issuer = f"http://{host}:{expired.server_port}"
        path = config_dir / "oidc.yaml"
        roles = {"brug-docenten": "docent", "brug-beheer": "beheerder"}
        path.write_text(yaml.safe_dump({"organisations": {
            "brug": {"organisation": "Taalschool De Brug", "label": "Inloggen met De Brug", "issuer": issuer,
                     "client_id": "een-plan", "client_secret_env": "TEST_OIDC_SECRET", "roles_claim": "groups",
                     "roles": roles},
            "verlopen": {"organisation": "Taalschool De Brug", "label": "Inloggen met Verlopen",
                         "issuer": expired_issuer, "client_id": "een-plan", "client_secret_env": "TEST_OIDC_SECRET",
                         "roles_claim": "groups",
                         "roles": roles},
        }}))
        yield path, issuer, expired_issuer


def set_user(issuer: str, sub: str, **claims) -> None:
    response = httpx.put(f"{issuer}/users/{quote(sub, safe='')}", json=claims)
    assert response.status_code == 204, response.text


def authorize(url: str, sub: str) -> dict:
    """What the provider's form does for ``sub``: returns the callback's query parameters."""
    response = httpx.post(url, data={"sub": sub})
    assert response.status_code in (302, 303), response.text
    return {k: v[0] for k, v in parse_qs(urlparse(response.headers["location"]).query).items()}
