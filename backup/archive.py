"""Export every record and every stored file to one archive, and restore it on an empty
database (`manage.py export_all` / `import_all`).

The archive is a zip: `data.json` (Django's serialisation with natural keys, so that content
types and permissions match whatever ids the target database gives them), `files/<name>` for
each file in the default storage that a FileField points to, `manifest.json` with the
SHA-256 of `data.json` and of each file and the count of each model, and `manifest.sig`,
the HMAC-SHA256 of `manifest.json` with `BACKUP_SIGNING_KEY`. A restore checks the
signature first, then every fingerprint and count: an archive altered by someone without
the key is refused, whatever fingerprints they recomputed.

A restore is all or nothing: every file is written and read back first, then the records
are saved in one transaction; when anything fails, the files written are removed (with the
folders created for them) and the transaction is rolled back.
"""

import contextlib
import datetime
import hashlib
import io
import json
import zipfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.utils import validate_file_name
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from conventions.models import Amendment, Convention

# Rebuilt by `migrate` (content types, permissions), worthless elsewhere (sessions,
# login-attempt logs) or made again on demand (renders, exports).
EXCLUDED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    # Rendered PDFs and CSV exports: made again when asked for (docs/tasks.md).
    "jobs.render",
    "jobs.export",
    # The overview's tally of actions: kept by the database's triggers as the actions are
    # restored (actions.tally).
    "actions.actiontally",
}
# 2: the manifest is signed (manifest.sig). 1: unsigned, restored only when asked to
# (`import_all --allow-unsigned`).
FORMAT_VERSION = 2
UNSIGNED_FORMAT_VERSION = 1
SIGNATURE_SALT = "backup.archive.manifest"


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


def manifest_signature(manifest: bytes) -> str:
    """HMAC-SHA256 of the manifest's bytes, keyed by BACKUP_SIGNING_KEY (through Django's
    salted_hmac, so that the key signs nothing else when it is SECRET_KEY)."""
    return salted_hmac(
        SIGNATURE_SALT, manifest, secret=settings.BACKUP_SIGNING_KEY, algorithm="sha256"
    ).hexdigest()


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
        signed = json.dumps(manifest, indent=1, sort_keys=True).encode()
        archive.writestr("manifest.json", signed)
        archive.writestr("manifest.sig", manifest_signature(signed))
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


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except KeyError:
        raise RestoreError(f"L'archive est incomplète : {name} manque.") from None


def _read_manifest(archive: zipfile.ZipFile, *, allow_unsigned: bool) -> dict:
    """The manifest, once its signature is checked (or, for a format 1 archive, when
    `allow_unsigned`)."""
    try:
        signed = archive.read("manifest.json")
        manifest = json.loads(signed)
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict):
        raise RestoreError("L'archive n'a pas de manifeste lisible : restauration refusée.")
    version = manifest.get("format")
    if version == UNSIGNED_FORMAT_VERSION:
        if not allow_unsigned:
            raise RestoreError(
                "Cette archive est au format 1, antérieur à la signature des archives : rien "
                "ne garantit qu'elle n'a pas été modifiée. Restauration refusée. Si vous êtes "
                "sûr de sa provenance, relancez la commande avec l'option --allow-unsigned."
            )
        return manifest
    if version != FORMAT_VERSION:
        raise RestoreError(f"Format d'archive inconnu : {version!r}.")
    try:
        signature = archive.read("manifest.sig").decode("ascii").strip()
    except KeyError:
        raise RestoreError(
            "L'archive n'est pas signée (manifest.sig absent) : restauration refusée."
        ) from None
    except UnicodeDecodeError:
        signature = ""
    if not constant_time_compare(signature, manifest_signature(signed)):
        raise RestoreError(
            "La signature de l'archive ne correspond pas : l'archive a été modifiée, ou signée "
            "avec une autre clé que BACKUP_SIGNING_KEY. Restauration refusée."
        )
    return manifest


def _check_file_names(names) -> None:
    """Refuse, before anything is written, a name that leaves the storage or that is also
    the folder of another file (`conventions/zz` and `conventions/zz/a.pdf`)."""
    for name in names:
        try:
            validate_file_name(name, allow_relative_path=True)
        except SuspiciousFileOperation:
            raise RestoreError(f"Nom de fichier refusé dans l'archive : {name!r}.") from None
    for name in names:
        for folder in PurePosixPath(name).parents:
            if str(folder) in names:
                raise RestoreError(
                    f"Les fichiers {folder} et {name} de l'archive ne peuvent pas être "
                    f"restaurés ensemble : {folder} devrait être à la fois un fichier et un "
                    "dossier. Restauration refusée."
                )


class _WrittenFiles:
    """The files a restore writes into the storage, each read back and checked, and the
    folders created for them: all removed again when the restore fails."""

    def __init__(self, storage):
        self.storage = storage
        self.names = []
        self.folders = []

    def _missing_folders(self, name) -> list[Path]:
        try:
            path = Path(self.storage.path(name))
        except NotImplementedError:  # a storage without local paths creates no folder
            return []
        missing = []
        for folder in path.parents:
            if folder.exists():
                break
            missing.append(folder)
        return missing

    def write(self, name: str, content: bytes, digest: str) -> None:
        self.folders += [f for f in self._missing_folders(name) if f not in self.folders]
        try:
            saved = self.storage.save(name, ContentFile(content))
        except OSError as error:
            # A write that failed half-way (a full disk) may leave the start of the file.
            if self.storage.exists(name):
                self.names.append(name)
            raise RestoreError(
                f"Le fichier {name} n'a pas pu être écrit ({error.strerror or error})."
            ) from error
        self.names.append(saved)
        if saved != name:
            raise RestoreError(f"Le fichier {name} a été enregistré sous un autre nom.")
        with self.storage.open(name, "rb") as stored:
            if _sha256(stored.read()) != digest:
                raise RestoreError(f"Le fichier {name} n'a pas été écrit correctement.")

    def remove(self) -> list[str]:
        """Remove what was written; returns the names that could not be removed."""
        left = []
        for name in reversed(self.names):
            try:
                self.storage.delete(name)
            except OSError:
                left.append(name)
        for folder in sorted(self.folders, key=lambda f: len(f.parts), reverse=True):
            with contextlib.suppress(OSError):  # not empty: something else was put there
                folder.rmdir()
        return left


def import_archive(path: Path, *, allow_unsigned: bool = False) -> dict:
    """Restore an archive into an empty database and storage; returns its manifest.

    All or nothing: on any error, the database and the storage are left as they were and
    RestoreError says why in French."""
    if not database_is_empty():
        raise RestoreError("La base de données n'est pas vide : restauration refusée.")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise RestoreError(f"{path} n'est pas une archive zip : restauration refusée.") from None
    with archive:
        manifest = _read_manifest(archive, allow_unsigned=allow_unsigned)
        data = _member(archive, "data.json")
        if _sha256(data) != manifest["data_sha256"]:
            raise RestoreError("Les données de l'archive sont altérées (empreinte SHA-256).")
        _check_file_names(set(manifest["files"]))
        for name, digest in manifest["files"].items():
            content = _member(archive, f"files/{name}")
            if _sha256(content) != digest:
                raise RestoreError(f"Le fichier {name} de l'archive est altéré.")
            if default_storage.exists(name):
                raise RestoreError(f"Le fichier {name} existe déjà dans le stockage.")
        written = _WrittenFiles(default_storage)
        try:
            for name, digest in manifest["files"].items():
                written.write(name, archive.read(f"files/{name}"), digest)
            with transaction.atomic():
                _load(data)
                counts = {
                    m._meta.label_lower: m._default_manager.count() for m in exported_models()
                }
                if counts != manifest["counts"]:
                    raise RestoreError("Le nombre d'enregistrements restaurés ne correspond pas.")
        except BaseException as error:
            left = written.remove()
            if left:
                raise RestoreError(
                    f"Restauration interrompue ({error}), et ces fichiers écrits n'ont pas pu "
                    f"être retirés du stockage : {', '.join(left)}. La base de données n'a pas "
                    "été modifiée."
                ) from error
            if isinstance(error, RestoreError):
                raise RestoreError(
                    f"{error} Rien n'a été restauré : la base de données et les fichiers "
                    "stockés sont tels qu'avant la commande."
                ) from error
            if isinstance(error, Exception):
                raise RestoreError(
                    f"Les enregistrements n'ont pas pu être restaurés ({error}). Rien n'a été "
                    "restauré : la base de données et les fichiers stockés sont tels qu'avant "
                    "la commande."
                ) from error
            raise  # KeyboardInterrupt and the like, once the files are removed
    return manifest
