from django.apps import AppConfig


class RepriseConfig(AppConfig):
    """Import of the existing stock of signed conventions (issue 18): reading Word,
    OpenDocument, PDF and scanned documents (`reading.py`) and proposing the facts of a
    convention from their text (`extraction/`), in the interchange format of docs/format.md.
    Above `interchange` and `conventions`, beside the portal and the backup."""

    name = "reprise"
    verbose_name = "Reprise de l'existant"
