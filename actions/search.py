"""What the search finds a convention by in its yearly cycle: its plans' titles, its
actions' titles, objectives, modalities and each party's part (registered with
`conventions.extensions.register_search_texts`)."""

from collections import defaultdict

from .models import Action, ActionContribution, ActionPlan


def cycle_texts(ids: list[int]) -> dict[int, list[str]]:
    texts: dict[int, list[str]] = defaultdict(list)
    for pk, title in (
        ActionPlan.objects.order_by("school_year", "pk")
        .filter(convention_id__in=ids)
        .values_list("convention_id", "title")
    ):
        texts[pk].append(title)
    for row in (
        Action.objects.order_by("plan__school_year", "number", "pk")
        .filter(plan__convention_id__in=ids)
        .values_list("plan__convention_id", "axis", "title", "objective", "modalities")
    ):
        texts[row[0]].extend(row[1:])
    for pk, text in (
        ActionContribution.objects.order_by("pk")
        .filter(action__plan__convention_id__in=ids)
        .values_list("action__plan__convention_id", "text")
    ):
        texts[pk].append(text)
    return texts
