"""Why a sign-in through ProConnect is refused, in French, for the page that says so."""

from dataclasses import dataclass, field

# reason: (title, explanation)
REASONS = {
    "invalid_token": (
        "La réponse de ProConnect n'a pas pu être vérifiée",
        "Le jeton d'identité reçu n'est pas valable (signature, émetteur, destinataire ou "
        "code à usage unique). Par sécurité, vous n'êtes pas connecté.",
    ),
    "expired": (
        "La réponse de ProConnect a expiré",
        "Le jeton d'identité reçu n'est plus valable. Vous n'êtes pas connecté : "
        "recommencez la connexion.",
    ),
    "state": (
        "Cette réponse de ProConnect ne correspond à aucune connexion en cours",
        "Elle a déjà servi, ou la connexion a été commencée dans un autre navigateur. "
        "Vous n'êtes pas connecté : recommencez depuis la page de connexion.",
    ),
    "rejected": (
        "ProConnect a refusé de confirmer la connexion",
        "Le code de connexion a déjà servi ou a expiré. Vous n'êtes pas connecté : "
        "recommencez depuis la page de connexion.",
    ),
    "cancelled": (
        "La connexion par ProConnect n'a pas abouti",
        "Elle a été annulée, ou refusée par votre fournisseur d'identité. Vous n'êtes pas "
        "connecté.",
    ),
    "unavailable": (
        "ProConnect ne répond pas",
        "La connexion par ProConnect est impossible pour le moment. Réessayez dans quelques "
        "minutes.",
    ),
    "unverified": (
        "Votre identité ProConnect ne donne pas d'adresse électronique vérifiée",
        "L'application relie une identité ProConnect à un compte par son adresse "
        "électronique vérifiée : sans elle, aucun compte ne peut être trouvé.",
    ),
    "unknown": (
        "Aucun compte ne correspond à votre identité ProConnect",
        "L'application ne crée pas de compte à la connexion : un compte doit exister à "
        "l'adresse électronique de votre identité ProConnect.",
    ),
    "ambiguous": (
        "Plusieurs comptes portent l'adresse de votre identité ProConnect",
        "L'application ne peut pas choisir entre eux. Demandez à l'administrateur de "
        "l'application de n'en garder qu'un.",
    ),
    "other_identity": (
        "Ce compte est déjà relié à une autre identité ProConnect",
        "Un compte n'est relié qu'à une identité ProConnect. Si votre identité a changé, "
        "demandez à l'administrateur de l'application de retirer l'ancienne liaison.",
    ),
    "inactive": (
        "Ce compte est désactivé",
        "Votre accès à l'application a été retiré. Adressez-vous à votre correspondant au "
        "rectorat.",
    ),
    "partner_on_staff_page": (
        "Ce compte est celui d'un partenaire",
        "Les partenaires se connectent depuis le portail des partenaires, pas depuis la page "
        "de connexion des agents du rectorat.",
    ),
    "staff_on_partner_page": (
        "Ce compte est celui d'un agent du rectorat",
        "Les agents se connectent depuis la page de connexion de l'application, pas depuis le "
        "portail des partenaires.",
    ),
    "no_access": (
        "Ce compte n'a pas accès à cette partie de l'application",
        "Il n'appartient ni au personnel du rectorat ni à une organisation partenaire. "
        "Adressez-vous à l'administrateur de l'application.",
    ),
}


@dataclass
class Refused(Exception):
    """A sign-in through ProConnect that must not open a session; `reason` is a key of
    REASONS, `email` the identity's address where it helps the person to know it."""

    reason: str
    email: str = ""
    status: int = field(default=403)

    def __post_init__(self):
        assert self.reason in REASONS, self.reason
        super().__init__(self.reason)

    @property
    def title(self) -> str:
        return REASONS[self.reason][0]

    @property
    def explanation(self) -> str:
        return REASONS[self.reason][1]
