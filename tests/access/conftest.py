from tests.oidc import client_provider, oidc_provider_for_client  # noqa: F401 (fixtures)
