from access.single_sign_on import single_sign_on_enabled


def sign_in(request):
    """Whether people sign in with their council accounts: the header then links the mapping of
    directory groups to roles, for those who keep it."""
    return {"single_sign_on": single_sign_on_enabled()}
