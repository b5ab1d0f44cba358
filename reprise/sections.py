"""What the reprise app shows on the convention page (`conventions.extensions`): the
document a convention was imported from. A PDF is also filed as the convention's signed
document (a scan, in « Documents »); a Word or OpenDocument file, or a photo, is kept as it
was deposited and offered here as « document original », never converted."""

from conventions.extensions import PageSection, if_any


def imported_from(request, convention, page) -> dict:
    """The import the convention was created from (one query, when there is one)."""
    imports = if_any(convention, "imports", convention.imports.order_by("pk")[:1])
    return {"imported_from": next(iter(imports), None)}


IMPORTED_FROM = PageSection(
    slot="documents",
    anchor="document-original",
    title="Document original",
    template="reprise/_convention_section.html",
    context=imported_from,
    parts=("imports",),
)
