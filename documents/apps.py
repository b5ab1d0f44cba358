from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """The printed documents: printing, typography, print templates and CSS, the signed
    documents kept (generated PDF/A, scans), sealing."""

    name = "documents"
    verbose_name = "Documents signés"

    def ready(self):
        from conventions.extensions import (
            amendment_signed,
            convention_signed,
            register_page_section,
            signature_rolled_back,
        )

        from . import sections

        convention_signed.connect(_store_convention, dispatch_uid="documents.convention")
        amendment_signed.connect(_store_amendment, dispatch_uid="documents.amendment")
        signature_rolled_back.connect(_discard_files, dispatch_uid="documents.rolled_back")
        register_page_section(sections.CONVENTION_DOCUMENTS)


def _store_convention(sender, convention, **kwargs):
    """When the last party signs: the signed PDF is generated and stored in the same
    transaction, so that a signed convention never lacks its document; unless the
    application does not hold its text (no article): then its scan is its signed document."""
    from .printing import holds_signed_text
    from .signed import store_signed_pdf

    if holds_signed_text(convention):
        store_signed_pdf(convention)


def _store_amendment(sender, amendment, **kwargs):
    from .signed import store_signed_amendment_pdf

    store_signed_amendment_pdf(amendment)


def _discard_files(sender, **kwargs):
    """A signature was rolled back: the signed PDF written for it goes too."""
    from .signed import discard_uncommitted_files

    discard_uncommitted_files()
