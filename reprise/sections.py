"""What the reprise app shows on the convention page (`conventions.extensions`): the
document a convention was imported from. A PDF is also filed as the convention's signed
document (a scan, in « Documents »); a Word or OpenDocument file, or a photo, is kept as it
was deposited and offered here as « document original », never converted."""

from conventions.extensions import PageSection


def imported_from(request, convention, page) -> dict:
    """The import the convention was created from (one query)."""
    return {"imported_from": convention.imports.order_by("pk").first()}


IMPORTED_FROM = PageSection(
    slot="documents",
    anchor="document-original",
    title="Document original",
    template="reprise/_convention_section.html",
    context=imported_from,
)
