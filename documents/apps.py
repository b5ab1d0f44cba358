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
        from jobs.registry import register_renderer

        from . import delivery, sections

        convention_signed.connect(_store_convention, dispatch_uid="documents.convention")
        amendment_signed.connect(_store_amendment, dispatch_uid="documents.amendment")
        signature_rolled_back.connect(_discard_files, dispatch_uid="documents.rolled_back")
        register_page_section(sections.CONVENTION_DOCUMENTS)
        register_renderer("pdf", delivery.render_pdf)
        register_renderer("signed", delivery.store_signed)


def _store_convention(sender, convention, **kwargs):
    """When the last party signs: the signed PDF is recorded as to be stored, in the same
    transaction, and the worker renders, seals and stores it once that transaction commits
    (`delivery.schedule_signed`); unless the application does not hold its text (no
    article): then its scan is its signed document."""
    from .delivery import schedule_signed
    from .printing import holds_signed_text

    if holds_signed_text(convention):
        schedule_signed(convention)


def _store_amendment(sender, amendment, **kwargs):
    from .delivery import schedule_signed

    schedule_signed(amendment.convention, amendment)


def _discard_files(sender, **kwargs):
    """A signature was rolled back: the signed PDF written for it goes too."""
    from .signed import discard_uncommitted_files

    discard_uncommitted_files()
