from tests.oidc import oidc_provider, provider  # noqa: F401 (fixtures: a real OpenID provider)
