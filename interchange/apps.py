from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    """The convention interchange format (docs/format.md): YAML files read by
    `load_conventions` and written by `export_conventions`. Above `actions`, beside the
    échéancier and the documents, which it never imports: the schedule of what it loads is
    refreshed through `conventions.extensions.convention_changed`, as for every write. It
    registers its writer of one convention (`conventions.extensions.convention_data`), whose
    output the documents app attaches to signed PDFs."""

    name = "interchange"
    verbose_name = "Format d'échange des conventions"

    def ready(self):
        from conventions.extensions import register_convention_data

        from .writer import convention_document

        register_convention_data(convention_document)
