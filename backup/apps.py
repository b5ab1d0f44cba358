from django.apps import AppConfig


class BackupConfig(AppConfig):
    """`export_all` / `import_all`: every record and stored file of the instance, in one
    archive, and its restore on an empty database."""

    name = "backup"
    verbose_name = "Sauvegarde"
