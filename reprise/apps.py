from django.apps import AppConfig


class RepriseConfig(AppConfig):
    """Import of the existing stock of signed conventions (issue 18): reading Word,
    OpenDocument, PDF and scanned documents (`reading.py`), proposing the facts of a
    convention from their text (`extraction/`), in the interchange format of docs/format.md;
    the imports staff review (`models.py`, `views.py`), read in the background (`tasks.py`),
    and `import_documents`. Above `interchange`, `documents` and `conventions`, beside the
    portal and the backup."""

    name = "reprise"
    verbose_name = "Reprise de l'existant"

    def ready(self):
        from conventions.extensions import register_page_section

        from . import sections

        register_page_section(sections.IMPORTED_FROM)
