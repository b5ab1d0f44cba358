from django.urls import path

from .views import detail, edit, lists, membership, money, references, workflow

app_name = "conventions"

draft = "<str:reference>/redaction"
amendment = "<str:reference>/avenants/<int:number>"
funding = "<str:reference>/financement"

urlpatterns = [
    path("", lists.convention_list, name="list"),
    path("export.csv", lists.convention_export, name="export"),
    path("financements.csv", money.money_export, name="money_export"),
    path("nouvelle/", edit.convention_create, name="create"),
    path("<str:reference>/", detail.convention_detail, name="detail"),
    path("<str:reference>/historique/", detail.convention_history, name="history"),
    # Writing a draft
    path(f"{draft}/", edit.convention_draft, name="draft"),
    path(f"{draft}/convention/", edit.convention_edit, name="edit"),
    path(f"{draft}/formules/", edit.convention_wording, name="wording"),
    path(f"{draft}/parties/ajouter/", edit.party_add, name="party_add"),
    path(f"{draft}/parties/<int:pk>/", edit.party_edit, name="party_edit"),
    path(f"{draft}/parties/<int:pk>/retirer/", edit.party_delete, name="party_delete"),
    path(f"{draft}/articles/ajouter/", edit.article_add, name="article_add"),
    path(f"{draft}/articles/<int:pk>/", edit.article_edit, name="article_edit"),
    path(f"{draft}/articles/<int:pk>/supprimer/", edit.article_delete, name="article_delete"),
    path(f"{draft}/articles/<int:pk>/deplacer/", edit.article_move, name="article_move"),
    path(f"{draft}/annexes/ajouter/", edit.annex_add, name="annex_add"),
    path(f"{draft}/annexes/<int:pk>/", edit.annex_edit, name="annex_edit"),
    path(f"{draft}/annexes/<int:pk>/supprimer/", edit.annex_delete, name="annex_delete"),
    path(f"{draft}/annexes/<int:pk>/deplacer/", edit.annex_move, name="annex_move"),
    # Signatures, avenants, renewal, events
    path("<str:reference>/signatures/<int:pk>/", workflow.convention_sign, name="sign"),
    path(
        "<str:reference>/avenants/nouveau/",
        workflow.amendment_create,
        name="amendment_create",
    ),
    path(f"{amendment}/", workflow.amendment_detail, name="amendment"),
    path(f"{amendment}/modifier/", workflow.amendment_edit, name="amendment_edit"),
    path(
        f"{amendment}/articles/ajouter/",
        workflow.article_change_add,
        name="article_change_add",
    ),
    path(
        f"{amendment}/articles/<int:pk>/retirer/",
        workflow.article_change_delete,
        name="article_change_delete",
    ),
    path(
        f"{amendment}/signatures/<int:pk>/",
        workflow.amendment_sign,
        name="amendment_sign",
    ),
    path(f"{amendment}/adhesions/ajouter/", membership.party_join, name="party_join"),
    path(
        f"{amendment}/adhesions/<int:pk>/retirer/",
        membership.party_unjoin,
        name="party_unjoin",
    ),
    path(f"{amendment}/retraits/ajouter/", membership.party_withdraw, name="party_withdraw"),
    path(
        f"{amendment}/retraits/<int:pk>/supprimer/",
        membership.withdrawal_delete,
        name="withdrawal_delete",
    ),
    path(
        f"{amendment}/signataires/ajouter/",
        membership.signatory_add,
        name="amendment_signatory_add",
    ),
    path(
        f"{amendment}/signataires/<int:pk>/retirer/",
        membership.signatory_remove,
        name="amendment_signatory_remove",
    ),
    path("<str:reference>/renouveler/", workflow.convention_renew, name="renew"),
    path("<str:reference>/completer/", workflow.complete, name="complete"),
    path(
        "<str:reference>/signee-date-inconnue/",
        workflow.sign_unknown_date,
        name="sign_unknown_date",
    ),
    # References outside the application, and the parent's article applied
    path("<str:reference>/references/ajouter/", references.reference_add, name="reference_add"),
    path("<str:reference>/references/<int:pk>/", references.reference_add, name="reference_edit"),
    path(
        "<str:reference>/references/<int:pk>/supprimer/",
        references.reference_delete,
        name="reference_delete",
    ),
    path(
        "<str:reference>/references/article-parent/",
        references.parent_article,
        name="parent_article",
    ),
    path(
        "<str:reference>/resiliations/ajouter/",
        workflow.termination_add,
        name="termination_add",
    ),
    path(
        "<str:reference>/resiliations/<int:pk>/",
        workflow.termination_add,
        name="termination_edit",
    ),
    path(
        "<str:reference>/reconduction/ajouter/",
        workflow.renewal_decision_add,
        name="renewal_decision_add",
    ),
    # Money: commitments, their instalments and payments
    path(f"{funding}/ajouter/", money.commitment_edit, name="commitment_add"),
    path(f"{funding}/<int:pk>/", money.commitment_edit, name="commitment_edit"),
    path(f"{funding}/<int:pk>/supprimer/", money.commitment_delete, name="commitment_delete"),
    path(f"{funding}/<int:pk>/echeances/ajouter/", money.instalment_add, name="instalment_add"),
    path(
        f"{funding}/<int:pk>/echeances/<int:instalment>/supprimer/",
        money.instalment_delete,
        name="instalment_delete",
    ),
    path(f"{funding}/<int:pk>/versements/ajouter/", money.payment_add, name="payment_add"),
    path(
        f"{funding}/<int:pk>/versements/<int:payment>/supprimer/",
        money.payment_delete,
        name="payment_delete",
    ),
]
