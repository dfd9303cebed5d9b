from django import template
from django.db.models import Prefetch

from recommendations.models import PanelDecision

register = template.Library()


@register.inclusion_tag("recommendations/includes/answering.html")
def recommendations_answering(objective):
    """The recommendations an objective answers, with their progress: for the objective's page
    (a page of the plans app, which imports nothing of this app)."""
    # Decisions with their meetings in one query, so the page's queries are the same whether
    # or not any decision has been made yet.
    recommendations = objective.recommendations.prefetch_related(
        "updates",
        Prefetch("decisions", queryset=PanelDecision.objects.select_related("meeting")),
    ).select_related("made_at")
    return {"recommendations": recommendations}


@register.filter
def decision_note(progress, committee):
    """The committee's part in a recommendation's progress, in words."""
    return progress.decision_note(committee)


@register.filter
def linked_actions(recommendation, today):
    """ "4 of 9 actions complete, 1 overdue": how far the answering objectives' actions have got."""
    return recommendation.linked_actions(today)
