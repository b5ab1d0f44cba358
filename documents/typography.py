"""French typography and small grammar rules for printed texts. Pure functions, no database.

Applied to the raw text, before the markup is rendered (escaping turns "'" into "&#x27;",
whose ";" must not get a space).
"""

import re

NBSP = "\u00a0"  # espace insécable: before ":" and inside « »
NNBSP = "\u202f"  # espace fine insécable: before ; ! ?

_SPACES = "[ \t\u00a0\u202f]"
# A space already typed before the mark becomes the right non-breaking one.
_SPACED_HIGH = re.compile(rf"(?<=\S){_SPACES}+([;!?])")
_SPACED_COLON = re.compile(rf"(?<=\S){_SPACES}+:")
# No space typed: add one, but only when the mark ends a word and is followed by a space,
# the end of the text or a closing sign, so that "http://", "10:30" and "?page=2" stay intact.
_GLUED_HIGH = re.compile(r"(?<=[\w)\]»*])([;!?])(?=\s|$|[)\]*])")
_GLUED_COLON = re.compile(r"(?<=[\w)\]»*]):(?=\s|$|[)\]*])")
_OPENING = re.compile(rf"«{_SPACES}*")
_CLOSING = re.compile(rf"{_SPACES}*»")


def french_typography(text: str) -> str:
    """Non-breaking spaces where French typography wants them.

    >>> french_typography("Il s'agit de : diffuser; « former »!") == (
    ...     "Il s'agit de\\u00a0: diffuser\\u202f; «\\u00a0former\\u00a0»\\u202f!")
    True
    >>> french_typography("voir https://www.example.org/?a=1 à 10:30")
    'voir https://www.example.org/?a=1 à 10:30'
    """
    if not text:
        return text or ""
    text = _SPACED_HIGH.sub(NNBSP + r"\1", text)
    text = _SPACED_COLON.sub(NBSP + ":", text)
    text = _GLUED_HIGH.sub(NNBSP + r"\1", text)
    text = _GLUED_COLON.sub(NBSP + ":", text)
    text = _OPENING.sub("«" + NBSP, text)
    return _CLOSING.sub(NBSP + "»", text)


# Nouns naming an organisation that are masculine; organisations are otherwise feminine
# ("l'académie", "la chambre", "l'association", "AGEFA PME, association loi 1901").
_MASCULINE_NOUNS = {
    "campus",
    "centre",
    "collège",
    "comité",
    "conseil",
    "département",
    "etat",
    "établissement",
    "état",
    "gip",
    "groupement",
    "institut",
    "lycée",
    "ministère",
    "observatoire",
    "office",
    "pole",
    "pôle",
    "rectorat",
    "syndicat",
}


def is_feminine(name: str) -> bool:
    """Whether a party's name takes a feminine agreement ("représentée par").

    >>> is_feminine("l'académie d'Aix-Marseille"), is_feminine("l'Etat")
    (True, False)
    >>> is_feminine("Pôle emploi DR PACA"), is_feminine("La Métropole Aix-Marseille-Provence")
    (False, True)
    """
    words = name.strip().replace("’", "'").lower()
    if words.startswith("la "):
        return True
    if words.startswith(("le ", "les ")):
        return False
    if words.startswith("l'"):
        words = words[2:]
    noun = re.split(r"[\s,(]", words, maxsplit=1)[0]
    return noun not in _MASCULINE_NOUNS


def agree(word: str, name: str) -> str:
    """ "représentée" or "représenté" as `name` requires; `word` is the masculine form."""
    return word + "e" if is_feminine(name) else word


def in_sentence(name: str) -> str:
    """A name as it reads after a preposition: "La Métropole" -> "Pour la Métropole".

    >>> in_sentence("L'Etat"), in_sentence("Pôle emploi")
    ("l'Etat", 'Pôle emploi')
    """
    for article in ("L'", "L’", "La ", "Le ", "Les "):
        if name.startswith(article):
            return article.lower() + name[len(article) :]
    return name


# Typographic apostrophe: « l'académie » -> « l’académie » (not inside a word's digits, nor
# a URL's quotes, which are never between two letters).
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
# A hyphen inside a word that has a capital: a proper name (Aix-Marseille, Bouches-du-Rhône,
# Jean-Paul), whose hyphens must not end a line.
_PROPER_NAME = re.compile(r"\b[\w’']*[A-ZÀ-Ý][\w’']*(?:-[\w’']+)+")
NB_HYPHEN = "\u2011"
# Ordinals « 1er », « 1re », « 2e », « XIXe »: their letters are superscript.
# Roman numerals of two letters at least: « Le », « Ce » are words.
_ORDINAL = re.compile(r"\b(\d+|[IVXLC]{2,})(er|re|e|ème)\b")


def apostrophes(text: str) -> str:
    """
    >>> apostrophes("l'académie d'Aix-Marseille, 'citation'") == (
    ...     "l’académie d’Aix-Marseille, 'citation'")
    True
    """
    return _APOSTROPHE.sub("’", text)


def unbreakable_names(text: str) -> str:
    """Hyphens of proper names become non-breaking (U+2011): « Aix-/Marseille » never.

    >>> unbreakable_names("Aix-Marseille et Bouches-du-Rhône, mais vingt-deux") == (
    ...     "Aix\u2011Marseille et Bouches\u2011du\u2011Rhône, mais vingt-deux")
    True
    """
    return _PROPER_NAME.sub(lambda m: m.group(0).replace("-", NB_HYPHEN), text)


def print_typography(text: str) -> str:
    """Everything a printed text gets before it is escaped: French spaces, typographic
    apostrophes, unbreakable proper names."""
    return unbreakable_names(apostrophes(french_typography(text)))


def superscript_ordinals(html: str) -> str:
    """In escaped HTML: « 1er » -> « 1<sup>er</sup> ».

    >>> superscript_ordinals("Le 1er mai, le XIXe siècle, 2e alinéa, B2e")
    'Le 1<sup>er</sup> mai, le XIX<sup>e</sup> siècle, 2<sup>e</sup> alinéa, B2e'
    """
    return _ORDINAL.sub(r"\1<sup>\2</sup>", html)


_NAME_HTML = re.compile(r"[^\s<>]*\u2011[^\s<>]*")


def unhyphenated_names(html: str) -> str:
    """In escaped HTML: each proper name (a word holding a non-breaking hyphen) in a span
    that hyphenation leaves whole (print.css `.name`): « Pro-vence‑Alpes » never."""
    return _NAME_HTML.sub(lambda m: f'<span class="name">{m.group(0)}</span>', html)
