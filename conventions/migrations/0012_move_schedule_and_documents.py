"""The stored schedule (Deadline, ReminderSent, DigestSent) moves to the échéancier app and
the signed documents (SignedDocument) to the documents app: Django's state only, the tables
stay as they are (`db_table` in their new apps), so no row and no file moves. The content
types follow, so that permissions given on these models are kept."""

from django.db import migrations

MOVED = {
    "deadline": "echeancier",
    "remindersent": "echeancier",
    "digestsent": "echeancier",
    "signeddocument": "documents",
}


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        old = ContentType.objects.filter(app_label="conventions", model=model).first()
        if old is None:
            continue  # a new database: content types are created after migrate
        if ContentType.objects.filter(app_label=app_label, model=model).exists():
            old.delete()
        else:
            old.app_label = app_label
            old.save(update_fields=["app_label"])


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        ContentType.objects.filter(app_label=app_label, model=model).update(
            app_label="conventions"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("conventions", "0011_convention_list_order"),
        ("echeancier", "0001_initial"),
        ("documents", "0001_initial"),
        ("portal", "0002_signed_document_in_documents_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ReminderSent"),
                migrations.DeleteModel(name="DigestSent"),
                migrations.DeleteModel(name="Deadline"),
                migrations.DeleteModel(name="SignedDocument"),
            ],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
