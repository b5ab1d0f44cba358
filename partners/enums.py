from django.db import models


class LegalForm(models.TextChoices):
    STATE = "state", "Administration de l'État"
    PUBLIC_BODY = "public_body", "Établissement public"
    LOCAL_AUTHORITY = "local_authority", "Collectivité territoriale"
    CHAMBER = "chamber", "Chambre consulaire"
    ASSOCIATION = "association", "Association loi 1901"
    EMPLOYERS_UNION = "employers_union", "Organisation professionnelle"
    COMPANY = "company", "Entreprise"
    SCHOOL = "school", "Établissement scolaire"
    OTHER = "other", "Autre"


class Civility(models.TextChoices):
    MR = "M.", "M."
    MRS = "Mme", "Mme"


class ContactRole(models.TextChoices):
    GOVERNANCE = "governance", "Gouvernance du partenariat"
    OPERATIONAL = "operational", "Suivi opérationnel"
    IT_SECURITY = "it_security", "Sécurité des systèmes d'information"
    DATA_PROTECTION = "data_protection", "Délégué à la protection des données"
    COORDINATOR = "coordinator", "Coordination"
    CORRESPONDENT = "correspondent", "Correspondant"
    HEAD = "head", "Direction"
