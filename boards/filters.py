"""The chair's filters and sorting on the report page."""

from dataclasses import dataclass, fields
from datetime import date

from django.http import QueryDict

from boards.exceptions import SEVERITY, Change, ExceptionItem

CHANGE_ORDER = [Change.NEW, Change.WORSENED, Change.IMPROVED, Change.UNCHANGED]


def _plan_order(item: ExceptionItem) -> int:
    return item.position


SORTS = {
    "plan": ("Plan order", _plan_order),
    "rag": ("RAG, worst first", lambda item: (-SEVERITY[item.rag], _plan_order(item))),
    "due": (
        "Due date, earliest first",
        lambda item: (
            (item.revised_due or item.due) is None,
            item.revised_due or item.due or date.max,
            _plan_order(item),
        ),
    ),
    "change": (
        "Change, new and worsened first",
        lambda item: (
            CHANGE_ORDER.index(item.change) if item.change in CHANGE_ORDER else len(CHANGE_ORDER),
            _plan_order(item),
        ),
    ),
    "commentary": (
        "Latest commentary, oldest first",
        lambda item: (item.commentary_date or date.min, _plan_order(item)),
    ),
}


@dataclass
class ItemFilter:
    """The chair's choices on the report page; empty values show everything."""

    area: str = ""
    post: str = ""
    rag: str = ""
    kind: str = ""
    change: str = ""
    sort: str = "plan"

    def apply(self, items: list[ExceptionItem]) -> list[ExceptionItem]:
        kept = [
            item
            for item in items
            if (not self.area or (item.area is not None and item.area.reference == self.area))
            and (not self.post or self.post in item.posts)
            and (not self.rag or item.rag == self.rag)
            and (not self.kind or item.kind == self.kind)
            and (not self.change or item.change == self.change)
        ]
        return sorted(kept, key=SORTS.get(self.sort, SORTS["plan"])[1])

    @property
    def is_active(self) -> bool:
        return any((self.area, self.post, self.rag, self.kind, self.change))

    @property
    def query(self) -> str:
        """The choices as a query string, the same for the same choices (a build's key)."""
        chosen = QueryDict(mutable=True)
        for name in FILTER_FIELDS:
            value = getattr(self, name)
            if value and not (name == "sort" and value == "plan"):
                chosen[name] = value
        return chosen.urlencode()

    @classmethod
    def from_query(cls, query: str) -> "ItemFilter":
        """The choices `query` kept (checked by the report's form when they were made)."""
        data = QueryDict(query)
        return cls(**{name: data[name] for name in FILTER_FIELDS if data.get(name)})


FILTER_FIELDS = [field.name for field in fields(ItemFilter)]
