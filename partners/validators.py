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
