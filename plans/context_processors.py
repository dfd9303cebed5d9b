from django.utils.functional import SimpleLazyObject

from plans.models import Plan


def navigation(request):
    """The plan the navigation links to on pages that are not about one plan (looked up lazily)."""
    return {"default_plan": SimpleLazyObject(lambda: Plan.objects.first())}
