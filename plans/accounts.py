"""Named system accounts: whom history records when a program, not a person, writes figures or
a plan (an import run from the command line, the demo loader). They cannot sign in."""

from django.contrib.auth import get_user_model

COMMAND_LINE = ("system.command-line", "Command-line import")


def system_account(account: tuple[str, str] = COMMAND_LINE):
    """The account (username, name shown), made on first use: inactive, with no password."""
    username, name = account
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": name, "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def user_or_system_account(username: str | None):
    """The named user for a command's --user, else the command line's system account; None
    when no such user exists."""
    if not username:
        return system_account()
    return get_user_model().objects.filter(username=username).first()
