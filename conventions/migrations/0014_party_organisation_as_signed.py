"""Each party keeps its organisation's name and address as its signed text prints them.

Until now a party whose name or address "in the text" was left blank printed its
organisation's current name and address: renaming an organisation changed the signed text
the application prints (the portal's PDF of a convention signed before the application, its
attached JSON). From now on the signature service copies them onto the party when the last
party signs (`Party.take_organisation_as_signed`).

For the conventions already signed, the only values known are the organisation's current
ones: they are copied as they are today. This is a choice, not a recovery: an organisation
renamed between the signature and this migration keeps its new name in the printed text, as
it had until now; the PDFs stored at signature (`SignedDocument`) are untouched and keep
what was signed. Drafts are left NULL: they follow their organisations until signed.

The database freezes a signed convention's parties (conventions/models/triggers.py): the
triggers are lifted for this copy and installed again in the same transaction.
"""

from django.db import migrations, models

from conventions.models.triggers import migration_uninstall



def take_current_names(apps, schema_editor):
    from conventions.models import triggers

    Party = apps.get_model("conventions", "Party")
    connection = schema_editor.connection
    parties = list(
        Party.objects.using(connection.alias)
        .filter(convention__signed_on__isnull=False)
        .select_related("organisation")
    )
    for party in parties:
        party.signed_organisation_name = party.organisation.name
        party.signed_organisation_address = party.organisation.address
    triggers.uninstall(connection)
    Party.objects.using(connection.alias).bulk_update(
        parties, ["signed_organisation_name", "signed_organisation_address"], batch_size=500
    )
    triggers.install(connection)


class Migration(migrations.Migration):

    dependencies = [
        ('conventions', '0013_term_fixed_by_calendar_or_unknown'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalparty',
            name='signed_organisation_address',
            field=models.TextField(blank=True, editable=False, null=True, verbose_name="adresse de l'organisation à la signature"),
        ),
        migrations.AddField(
            model_name='historicalparty',
            name='signed_organisation_name',
            field=models.CharField(blank=True, editable=False, max_length=255, null=True, verbose_name="nom de l'organisation à la signature"),
        ),
        migrations.AddField(
            model_name='party',
            name='signed_organisation_address',
            field=models.TextField(blank=True, editable=False, null=True, verbose_name="adresse de l'organisation à la signature"),
        ),
        migrations.AddField(
            model_name='party',
            name='signed_organisation_name',
            field=models.CharField(blank=True, editable=False, max_length=255, null=True, verbose_name="nom de l'organisation à la signature"),
        ),
        migrations.RunPython(take_current_names, migrations.RunPython.noop),
        # Backwards, SQLite rebuilds the party table: the triggers naming it go first.
        migrations.RunPython(migrations.RunPython.noop, migration_uninstall),
    ]
