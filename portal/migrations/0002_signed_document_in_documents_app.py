"""A download points at the signed document now owned by the documents app (same table)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = False

    dependencies = [
        ('documents', '0001_initial'),
        ('portal', '0001_document_downloads'),
    ]

    operations = [
        # The tables are the conventions app's, kept as they are (`db_table`): only Django's
        # idea of which app owns the models changes; no row is copied.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='documentdownload',
                    name='document',
                    field=models.ForeignKey(blank=True, help_text='Vide : le texte signé imprimé à la demande.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='portal_downloads', to='documents.signeddocument', verbose_name='document enregistré'),
                ),
            ],
        ),
    ]
