"""Which plan the navigation leads into on pages that are not about one plan (My actions, the
indicators, the list of plans): the plan the person last opened, kept in their session, or the
only plan they read. Nobody is given a "first plan" they never chose."""

from django.utils.functional import SimpleLazyObject

from plans.selectors import plans_for_user

LAST_PLAN = "plan"  # the session key: the reference of the plan last opened


def remember_plan(get_response):
    """Middleware: a plan's page, shown, becomes the one the navigation leads into."""

    def middleware(request):
        response = get_response(request)
        match = request.resolver_match
        reference = match.kwargs.get("plan") if match else None
        if (
            reference
            and response.status_code == 200
            and request.user.is_authenticated
            and request.session.get(LAST_PLAN) != reference  # written only on a change
        ):
            request.session[LAST_PLAN] = reference
        return response

    return middleware


def plan_led_into(request) -> str:
    """The reference of the plan the navigation leads into ("" when none is chosen yet)."""
    if not request.user.is_authenticated:
        return ""
    if LAST_PLAN not in request.session:
        only = list(plans_for_user(request.user).values_list("reference", flat=True)[:2])
        request.session[LAST_PLAN] = only[0] if len(only) == 1 else ""
    return request.session[LAST_PLAN]


def navigation(request):
    """Context processor: `nav_plan`, the reference of the plan the navigation leads into."""
    return {"nav_plan": SimpleLazyObject(lambda: plan_led_into(request))}
