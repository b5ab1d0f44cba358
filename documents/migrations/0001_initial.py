"""The signed documents' model, moved from the conventions app (its 0012 removes it there)."""

import django.db.models.deletion
import documents.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ('conventions', '0011_convention_list_order'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables are the conventions app's, kept as they are (`db_table`): only Django's
        # idea of which app owns the models changes; no row is copied.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SignedDocument',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('generated', 'PDF signé généré'), ('scan', "Scan de l'exemplaire papier signé")], max_length=10, verbose_name='nature')),
                        ('file', models.FileField(max_length=255, upload_to=documents.models.signed_document_path, verbose_name='fichier')),
                        ('original_name', models.CharField(blank=True, max_length=255, verbose_name='nom du fichier déposé')),
                        ('sha256', models.CharField(max_length=64, verbose_name='empreinte SHA-256')),
                        ('size', models.PositiveBigIntegerField(verbose_name='taille (octets)')),
                        ('sealed', models.BooleanField(default=False, verbose_name='scellé')),
                        ('shared_with_partners', models.BooleanField(default=False, help_text='Coché : les partenaires parties à la convention téléchargent ce scan sur leur portail. Le PDF signé généré leur est toujours proposé.', verbose_name='partagé avec les partenaires')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='enregistré le')),
                        ('amendment', models.ForeignKey(blank=True, help_text='Vide : le document de la convention elle-même.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='signed_documents', to='conventions.amendment', verbose_name='avenant')),
                        ('convention', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='signed_documents', to='conventions.convention', verbose_name='convention')),
                        ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='déposé par')),
                    ],
                    options={
                        'verbose_name': 'document signé',
                        'verbose_name_plural': 'documents signés',
                        'db_table': 'conventions_signeddocument',
                        'ordering': ['convention', 'amendment', 'kind', 'created_at', 'pk'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('amendment__isnull', True), ('kind', 'generated')), fields=('convention',), name='signed_document_one_generated_per_convention'), models.UniqueConstraint(condition=models.Q(('amendment__isnull', False), ('kind', 'generated')), fields=('amendment',), name='signed_document_one_generated_per_amendment'), models.UniqueConstraint(fields=('convention', 'sha256'), name='signed_document_unique_content'), models.CheckConstraint(condition=models.Q(('size__gte', 1)), name='signed_document_not_empty'), models.CheckConstraint(condition=models.Q(('kind__in', ['generated', 'scan'])), name='signed_document_kind_valid')],
                    },
                ),
            ],
        ),
    ]
