from django.core.exceptions import ValidationError


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char)
        if i % 2:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def validate_siret(value: str):
    """A SIRET is 14 digits passing the Luhn check.

    La Poste's establishments (SIREN 356000000) follow another rule: the digits sum to a
    multiple of 5.
    """
    if len(value) != 14 or not value.isdigit():
        raise ValidationError("Un SIRET compte exactement 14 chiffres.", code="siret_format")
    if value.startswith("356000000"):
        if sum(int(c) for c in value) % 5 == 0:
            return
    elif luhn_ok(value):
        return
    raise ValidationError(
        "Ce SIRET n'est pas valide : son dernier chiffre, la clé de contrôle, ne correspond pas "
        "aux 13 autres. Vérifiez-le sur l'avis de situation Sirene.",
        code="siret_key",
    )


LOGO_MAX_BYTES = 1024 * 1024


def validate_logo(file) -> None:
    """A letterhead's logo: a PNG or JPEG image (read from its first bytes, not its name),
    1 MB at most; printed in documents, so nothing that can carry active content (SVG)."""
    if file.size > LOGO_MAX_BYTES:
        raise ValidationError("Le logo dépasse 1 Mo.")
    head = file.read(8)
    file.seek(0)
    if not (head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff")):
        raise ValidationError("Le logo doit être une image PNG ou JPEG.")
