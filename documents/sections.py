"""What the documents app shows on the convention page (`conventions.extensions`)."""

from conventions.extensions import PageSection, if_any
from conventions.rights import may_write


def convention_documents(request, convention, page) -> dict:
    """The printable PDFs, and the signed documents kept (one query, when there are some)."""
    return {
        "signed_documents": if_any(
            convention,
            "signed_documents",
            convention.signed_documents.select_related("amendment").order_by(
                "amendment__number", "kind", "created_at"
            ),
        ),
        "can_upload_scan": may_write(request.user),  # as `upload_scan` requires
    }


CONVENTION_DOCUMENTS = PageSection(
    slot="documents",
    anchor="documents",
    title="Documents",
    template="documents/_convention_section.html",
    context=convention_documents,
    parts=("signed_documents",),
)
