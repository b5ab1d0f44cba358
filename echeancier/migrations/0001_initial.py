"""The échéancier's models, moved from the conventions app (its 0012 removes them there)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ('actions', '0006_history'),
        ('conventions', '0011_convention_list_order'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables are the conventions app's, kept as they are (`db_table`): only Django's
        # idea of which app owns the models changes; no row is copied.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Deadline',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('notice', 'Date limite de préavis'), ('term_end', 'Fin de période'), ('provisional_end', "Fin de l'application provisoire"), ('end', 'Fin anticipée'), ('meeting', 'Comité de pilotage annuel'), ('obligation', 'Engagement récurrent')], max_length=20, verbose_name='nature')),
                        ('due_on', models.DateField(verbose_name='échéance')),
                        ('label', models.CharField(max_length=400, verbose_name='libellé')),
                        ('meeting_number', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='comité n°')),
                        ('done_on', models.DateField(blank=True, help_text='Décision prise, comité tenu, livraison faite.', null=True, verbose_name='fait le')),
                        ('lapses_on', models.DateField(blank=True, help_text="Un préavis manqué n'est plus en retard une fois la période terminée.", null=True, verbose_name='sans objet après le')),
                        ('convention', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deadlines', to='conventions.convention', verbose_name='convention')),
                        ('obligation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='deadlines', to='actions.obligation', verbose_name='engagement récurrent')),
                    ],
                    options={
                        'verbose_name': 'échéance',
                        'db_table': 'conventions_deadline',
                        'ordering': ['due_on', 'convention_id', 'kind', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='DigestSent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('week_of', models.DateField(verbose_name='semaine du')),
                        ('sent_at', models.DateTimeField(auto_now_add=True, verbose_name='envoyé le')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='digests_received', to=settings.AUTH_USER_MODEL, verbose_name='destinataire')),
                    ],
                    options={
                        'verbose_name': 'récapitulatif hebdomadaire envoyé',
                        'verbose_name_plural': 'récapitulatifs hebdomadaires envoyés',
                        'db_table': 'conventions_digestsent',
                        'ordering': ['-week_of', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ReminderSent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('offset_days', models.PositiveSmallIntegerField(verbose_name="jours avant l'échéance")),
                        ('sent_at', models.DateTimeField(auto_now_add=True, verbose_name='envoyé le')),
                        ('deadline', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='echeancier.deadline', verbose_name='échéance')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders_received', to=settings.AUTH_USER_MODEL, verbose_name='destinataire')),
                    ],
                    options={
                        'verbose_name': 'rappel envoyé',
                        'verbose_name_plural': 'rappels envoyés',
                        'db_table': 'conventions_remindersent',
                        'ordering': ['-sent_at', 'pk'],
                    },
                ),
                migrations.AddIndex(
                    model_name='deadline',
                    index=models.Index(fields=['due_on'], name='deadline_due_on'),
                ),
                migrations.AddIndex(
                    model_name='deadline',
                    index=models.Index(fields=['convention', 'due_on'], name='deadline_convention_due'),
                ),
                migrations.AddConstraint(
                    model_name='deadline',
                    constraint=models.UniqueConstraint(condition=models.Q(('obligation__isnull', True)), fields=('convention', 'kind', 'due_on'), name='deadline_unique_per_convention'),
                ),
                migrations.AddConstraint(
                    model_name='deadline',
                    constraint=models.UniqueConstraint(condition=models.Q(('obligation__isnull', False)), fields=('obligation', 'due_on'), name='deadline_unique_per_obligation'),
                ),
                migrations.AddConstraint(
                    model_name='deadline',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'obligation'), ('obligation__isnull', False)), models.Q(models.Q(('kind', 'obligation'), _negated=True), ('obligation__isnull', True)), _connector='OR'), name='deadline_obligation_iff_kind'),
                ),
                migrations.AddConstraint(
                    model_name='deadline',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'meeting'), ('meeting_number__isnull', False)), models.Q(models.Q(('kind', 'meeting'), _negated=True), ('meeting_number__isnull', True)), _connector='OR'), name='deadline_meeting_number_iff_kind'),
                ),
                migrations.AddConstraint(
                    model_name='digestsent',
                    constraint=models.UniqueConstraint(fields=('recipient', 'week_of'), name='digest_sent_once'),
                ),
                migrations.AddConstraint(
                    model_name='remindersent',
                    constraint=models.UniqueConstraint(fields=('deadline', 'offset_days', 'recipient'), name='reminder_sent_once'),
                ),
            ],
        ),
    ]
