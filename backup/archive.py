"""Export every record and every stored file to one archive, and restore it on an empty
database (`manage.py export_all` / `import_all`).

The archive is a zip: `data.json` (Django's serialisation with natural keys, so that content
types and permissions match whatever ids the target database gives them), `files/<name>` for
each file in the default storage that a FileField points to, and `manifest.json` with the
SHA-256 of each file and the count of each model, checked again on restore.
"""

import datetime
import hashlib
import io
import json
import zipfile
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from conventions.models import Amendment, Convention

# Rebuilt by `migrate` (content types, permissions) or worthless elsewhere (sessions,
# login-attempt logs).
EXCLUDED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}
FORMAT_VERSION = 1


class RestoreError(Exception):
    pass


def exported_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in EXCLUDED and not model._meta.proxy
    ]


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder keeps milliseconds only: 12:00:00.000400 comes back as 12:00:00.
    A restore must give back every record exactly, so times keep their microseconds."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


def _stored_file_names():
    """Names of the files that FileFields point to; one query per FileField column."""
    names = set()
    for model in exported_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                names.update(
                    model._default_manager.exclude(**{field.name: ""})
                    .exclude(**{f"{field.name}__isnull": True})
                    .values_list(field.name, flat=True)
                )
    return sorted(names)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def export_archive(path: Path) -> dict:
    """Write the archive at `path`; returns its manifest."""
    buffer = io.StringIO()
    serializers.serialize(
        "json",
        (
            obj
            for model in serializers.sort_dependencies(
                [(model._meta.app_config, [model]) for model in exported_models()]
            )
            for obj in model._default_manager.order_by("pk").iterator()
        ),
        stream=buffer,
        cls=ExactJSONEncoder,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=False,
        indent=1,
    )
    data = buffer.getvalue().encode()
    manifest = {
        "format": FORMAT_VERSION,
        "counts": {m._meta.label_lower: m._default_manager.count() for m in exported_models()},
        "data_sha256": _sha256(data),
        "files": {},
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", data)
        for name in _stored_file_names():
            with default_storage.open(name, "rb") as stored:
                content = stored.read()
            manifest["files"][name] = _sha256(content)
            archive.writestr(f"files/{name}", content)
        archive.writestr("manifest.json", json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def database_is_empty() -> bool:
    return not any(model._default_manager.exists() for model in exported_models())


def _load(data: bytes) -> None:
    """Save every serialised object as it was, signing last.

    The database refuses text added to a signed convention or avenant (migration 0007), so
    their signature dates are held back until their articles, parties and signatories are
    in; then the sequences are reset, as loaddata does.
    """
    signatures = []
    deferred = []
    for item in serializers.deserialize(
        "json", data, handle_forward_references=True, ignorenonexistent=False
    ):
        obj = item.object
        if isinstance(obj, (Convention, Amendment)) and obj.signed_on is not None:
            signatures.append((type(obj), obj.pk, obj.signed_on))
            obj.signed_on = None
        item.save()
        if item.deferred_fields:
            deferred.append(item)
    for item in deferred:
        item.save_deferred_fields()
    for model, pk, signed_on in signatures:
        model.objects.filter(pk=pk).update(signed_on=signed_on)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), exported_models()):
            cursor.execute(statement)


def import_archive(path: Path) -> dict:
    """Restore an archive into an empty database and storage; returns its manifest."""
    if not database_is_empty():
        raise RestoreError("La base de données n'est pas vide : restauration refusée.")
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        if manifest.get("format") != FORMAT_VERSION:
            raise RestoreError(f"Format d'archive inconnu : {manifest.get('format')!r}.")
        data = archive.read("data.json")
        if _sha256(data) != manifest["data_sha256"]:
            raise RestoreError("Les données de l'archive sont altérées (empreinte SHA-256).")
        for name, digest in manifest["files"].items():
            content = archive.read(f"files/{name}")
            if _sha256(content) != digest:
                raise RestoreError(f"Le fichier {name} de l'archive est altéré.")
            if default_storage.exists(name):
                raise RestoreError(f"Le fichier {name} existe déjà dans le stockage.")
        with transaction.atomic():
            _load(data)
            counts = {m._meta.label_lower: m._default_manager.count() for m in exported_models()}
            if counts != manifest["counts"]:
                raise RestoreError("Le nombre d'enregistrements restaurés ne correspond pas.")
        for name in manifest["files"]:
            saved = default_storage.save(name, ContentFile(archive.read(f"files/{name}")))
            if saved != name:
                raise RestoreError(f"Le fichier {name} a été enregistré sous un autre nom.")
    return manifest
