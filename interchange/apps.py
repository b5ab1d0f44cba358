from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    """The convention interchange format (docs/format.md): YAML files read by
    `load_conventions` and written by `export_conventions`. Above `actions`, beside the
    échéancier and the documents, which it never imports: the schedule of what it loads is
    refreshed through `conventions.extensions.convention_changed`, as for every write."""

    name = "interchange"
    verbose_name = "Format d'échange des conventions"
