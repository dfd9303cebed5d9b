"""Sign-in with the council's own accounts, through OpenID Connect (mozilla-django-oidc;
docs/decisions.md says why that library).

The library runs the authorization code flow with PKCE and checks the state and the nonce. Two
things are added here: the provider's endpoints are read from its discovery document (so a
council sets only OIDC_ISSUER), and the ID token's issuer, audience and expiry are verified with
its signature (PyJWT's `decode`; the library checks the signature only). Whatever goes wrong
raises SignInRefused with a sentence for the person, shown by access.views."""

from dataclasses import dataclass

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from access.directory_roles import TooManyGroups, apply_directory_roles, directory_groups
from access.models import SignInIdentity

# Django's name for the backend, kept in the session and on the user it signed in.
COUNCIL_BACKEND = "access.single_sign_on.CouncilAccountBackend"
# The clock of the provider and ours may differ by this many seconds.
CLOCK_LEEWAY_SECONDS = 60


class SignInRefused(Exception):
    """A sign-in that cannot go on. `reason` is said to the person; `detail` goes to the audit
    log and the server's log; `status` is the page's HTTP status."""

    def __init__(self, reason: str, detail: str = "", status: int = 403):
        super().__init__(detail or reason)
        self.reason, self.detail, self.status = reason, detail or reason, status


# Signatures made with the provider's published keys; never HS256 (the client secret).
ASYMMETRIC_ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"]
# Google writes its issuer both ways in ID tokens (its OpenID Connect documentation).
ISSUER_ALIASES = {"https://accounts.google.com": ["accounts.google.com"]}


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    algorithms: tuple[str, ...] = ("RS256",)

    @property
    def issuers(self) -> list[str]:
        return [self.issuer, *ISSUER_ALIASES.get(self.issuer, [])]


def single_sign_on_enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def discover_provider() -> Provider:
    """The provider's endpoints, from its discovery document, read at each sign-in (a sign-in is
    rare; a provider that moves its endpoints is followed at once)."""
    issuer = settings.OIDC_ISSUER
    address = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(address, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        if not isinstance(document, dict):
            raise ValueError("the discovery document is not a JSON object")
    except (requests.RequestException, ValueError) as error:
        raise SignInRefused(
            f"{settings.OIDC_PROVIDER_NAME} is not answering, so you cannot sign in with it "
            "just now. Try again in a few minutes; if it goes on, tell your IT service desk.",
            detail=f"discovery at {address} failed: {error}",
            status=503,
        ) from error
    if document.get("issuer") != issuer:
        raise SignInRefused(
            "Sign-in with your council account is set up wrongly, so it cannot be used. Tell "
            "your IT service desk: the provider's issuer does not match the tracker's "
            "OIDC_ISSUER setting.",
            detail=f"OIDC_ISSUER is {issuer!r}; the provider says {document.get('issuer')!r}",
            status=502,
        )
    try:
        return Provider(
            issuer=issuer,
            authorization_endpoint=document["authorization_endpoint"],
            token_endpoint=document["token_endpoint"],
            jwks_uri=document["jwks_uri"],
            algorithms=tuple(
                name
                for name in document.get("id_token_signing_alg_values_supported", ["RS256"])
                if name in ASYMMETRIC_ALGORITHMS
            ),
        )
    except KeyError as missing:
        raise SignInRefused(
            "Sign-in with your council account is set up wrongly. Tell your IT service desk.",
            detail=f"the discovery document at {address} has no {missing}",
            status=502,
        ) from None


# What a refused token means for the person, by PyJWT's error.
TOKEN_FAULTS = [
    (jwt.ExpiredSignatureError, "it had expired"),
    (jwt.InvalidAudienceError, "it was issued for another application"),
    (jwt.InvalidIssuerError, "it was issued by another provider"),
    (jwt.ImmatureSignatureError, "it is dated in the future"),
    (jwt.MissingRequiredClaimError, "it lacks a required claim"),
    (jwt.InvalidTokenError, "its signature did not verify"),
]


def refused_token(detail: str) -> SignInRefused:
    return SignInRefused(
        "Your sign-in could not be checked, so it was refused. Start again; if it happens "
        "again, tell your IT service desk the time it happened.",
        detail=f"ID token refused: {detail}",
    )


class CouncilAccountBackend(OIDCAuthenticationBackend):
    """Signs in the person the provider vouches for, and gives them the roles their directory
    groups map to. Used only by the sign-in callback: password sign-ins never reach it."""

    def __init__(self, *args, **kwargs):
        # Django makes a backend for every sign-in and every request of a signed-in person, so
        # nothing here may reach the provider; discovery waits for a sign-in (authenticate).
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()

    def authenticate(self, request, nonce=None, code_verifier=None, **kwargs):
        # Only the callback passes the nonce and PKCE verifier it kept: a password sign-in
        # (whatever its address says) never gets here, so the lockout still counts it.
        if request is None or not (nonce and code_verifier) or not single_sign_on_enabled():
            return None
        self.provider = discover_provider()
        self.OIDC_OP_TOKEN_ENDPOINT = self.provider.token_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = self.provider.jwks_uri
        try:
            return super().authenticate(request, nonce=nonce, code_verifier=code_verifier, **kwargs)
        except requests.RequestException as error:
            raise SignInRefused(
                f"{settings.OIDC_PROVIDER_NAME} did not complete your sign-in. Start again; if "
                "it happens again, tell your IT service desk.",
                detail=f"token or keys request failed: {error}",
                status=502,
            ) from error

    def verify_token(self, token, **kwargs):
        """The library's checks (a key of the provider's by name, the signature, the nonce),
        with the algorithm the token names if the provider signs with it."""
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
            if algorithm not in self.provider.algorithms:
                raise SuspiciousOperation(f"the token is signed with {algorithm!r}")
            self.OIDC_RP_SIGN_ALGO = algorithm
            return super().verify_token(token, **kwargs)
        except (SuspiciousOperation, jwt.PyJWTError, KeyError, TypeError) as error:
            raise refused_token(f"{type(error).__name__}: {error}") from error

    def _verify_jws(self, payload, key):
        """The signature, and the issuer, audience and expiry the library leaves unchecked."""
        try:
            return jwt.decode(
                payload, key, algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID, issuer=self.provider.issuers,
                leeway=CLOCK_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )  # fmt: skip
        except jwt.InvalidTokenError as error:
            fault = next(words for kind, words in TOKEN_FAULTS if isinstance(error, kind))
            raise refused_token(f"{fault} ({error})") from error

    def get_userinfo(self, access_token, id_token, payload):
        # The verified ID token carries what is needed (email, name, groups); Entra ID's
        # userinfo endpoint would not give the groups.
        return payload

    def verify_claims(self, claims):
        if claims.get("email_verified") is False:
            raise SignInRefused(
                f"{settings.OIDC_PROVIDER_NAME} says your email address is not verified, so "
                "the tracker cannot tell who you are. Tell your IT service desk.",
                detail=f"email_verified is false for subject {claims.get('sub')!r}",
            )
        if not claims.get("email"):
            raise SignInRefused(
                f"{settings.OIDC_PROVIDER_NAME} did not give the tracker your email address, so "
                "it cannot tell who you are. Tell your IT service desk: the sign-in must share "
                "the email claim.",
                detail=f"no email claim for subject {claims.get('sub')!r}",
            )
        return True

    def filter_users_by_claims(self, claims):
        """The account linked to this identity; at a first sign-in, the one with its email."""
        linked = self.UserModel.objects.filter(
            sign_in_identities__issuer=self.provider.issuer,
            sign_in_identities__subject=claims["sub"],
        )
        if linked.exists():
            return linked
        # Never an administrator's account: a directory email is not proof enough to hand over
        # the admin (an administrator gets a new account, given staff status by another).
        return self.UserModel.objects.filter(
            email__iexact=claims["email"], is_staff=False, is_superuser=False
        ).exclude(sign_in_identities__issuer=self.provider.issuer)

    def get_or_create_user(self, access_token, id_token, payload):
        self.verify_claims(payload)
        try:
            groups = directory_groups(payload)
        except TooManyGroups as claim:
            raise SignInRefused(
                "You are in too many directory groups for the sign-in to list them. Tell your "
                "IT service desk: the tracker's app registration should send only the groups "
                "assigned to it, or app roles.",
                detail=f"the token refers to its {claim} claim elsewhere (overage)",
            ) from None
        try:
            return self._sign_in(payload, groups)
        except IntegrityError as error:  # the same person's first sign-in twice at once
            raise SignInRefused(
                "Your sign-in crossed with another one. Start again from the sign-in page.",
                detail=f"two first sign-ins at once: {error}",
                status=409,
            ) from error

    @transaction.atomic
    def _sign_in(self, payload: dict, groups: list[str] | None):
        """Find or make the account, link it, and give it its roles: all or nothing."""
        users = self.filter_users_by_claims(payload)
        if len(users) > 1:
            raise SignInRefused(
                "More than one account in the tracker has your email address. Ask the "
                "tracker's administrator to remove the one you do not use.",
                detail=f"{len(users)} accounts have the email {payload['email']!r}",
            )
        user = users[0] if users else self.create_user(payload)
        if not user.is_active:
            raise SignInRefused(
                "Your account in the tracker has been switched off. If you still need it, "
                "ask the tracker's administrator to switch it on again.",
                detail=f"account {user.get_username()!r} is inactive",
            )
        self.update_user(user, payload)
        _, linked = SignInIdentity.objects.get_or_create(
            issuer=self.provider.issuer, subject=payload["sub"], defaults={"user": user}
        )
        if linked and user.has_usable_password():
            # From now on the directory decides: a leaver cannot fall back on a password.
            user.set_unusable_password()
            user.save(update_fields=["password"])
        apply_directory_roles(user, groups)
        return user

    def create_user(self, claims):
        username = unused_username(claims["email"].split("@")[0].lower())
        return self.UserModel.objects.create_user(username, email=claims["email"])

    def update_user(self, user, claims):
        """The name and email as the directory has them now."""
        user.email = claims["email"]
        user.first_name = claims.get("given_name") or user.first_name
        user.last_name = claims.get("family_name") or user.last_name
        if not (claims.get("given_name") or claims.get("family_name")) and claims.get("name"):
            first, _, last = claims["name"].partition(" ")
            user.first_name, user.last_name = first, last or user.last_name
        user.save()
        return user


def unused_username(wanted: str) -> str:
    User = get_user_model()
    name, number = wanted[:140] or "user", 1
    while User.objects.filter(username=name).exists():
        number += 1
        name = f"{wanted[:140]}{number}"
    return name
