from django.urls import path

from . import document_views, edit_views, views, workflow_views

app_name = "conventions"

draft = "<str:reference>/redaction"
amendment = "<str:reference>/avenants/<int:number>"

urlpatterns = [
    path("", views.convention_list, name="list"),
    path("export.csv", views.convention_export, name="export"),
    path("nouvelle/", edit_views.convention_create, name="create"),
    path("<str:reference>/", views.convention_detail, name="detail"),
    path("<str:reference>/historique/", views.convention_history, name="history"),
    # Writing a draft
    path(f"{draft}/", edit_views.convention_draft, name="draft"),
    path(f"{draft}/convention/", edit_views.convention_edit, name="edit"),
    path(f"{draft}/parties/ajouter/", edit_views.party_add, name="party_add"),
    path(f"{draft}/parties/<int:pk>/", edit_views.party_edit, name="party_edit"),
    path(f"{draft}/parties/<int:pk>/retirer/", edit_views.party_delete, name="party_delete"),
    path(f"{draft}/articles/ajouter/", edit_views.article_add, name="article_add"),
    path(f"{draft}/articles/<int:pk>/", edit_views.article_edit, name="article_edit"),
    path(f"{draft}/articles/<int:pk>/supprimer/", edit_views.article_delete, name="article_delete"),
    path(f"{draft}/articles/<int:pk>/deplacer/", edit_views.article_move, name="article_move"),
    path(f"{draft}/annexes/ajouter/", edit_views.annex_add, name="annex_add"),
    path(f"{draft}/annexes/<int:pk>/", edit_views.annex_edit, name="annex_edit"),
    path(f"{draft}/annexes/<int:pk>/supprimer/", edit_views.annex_delete, name="annex_delete"),
    path(f"{draft}/annexes/<int:pk>/deplacer/", edit_views.annex_move, name="annex_move"),
    # Signatures, avenants, renewal, events
    path("<str:reference>/signatures/<int:pk>/", workflow_views.convention_sign, name="sign"),
    path(
        "<str:reference>/avenants/nouveau/",
        workflow_views.amendment_create,
        name="amendment_create",
    ),
    path(f"{amendment}/", workflow_views.amendment_detail, name="amendment"),
    path(f"{amendment}/modifier/", workflow_views.amendment_edit, name="amendment_edit"),
    path(
        f"{amendment}/articles/ajouter/",
        workflow_views.article_change_add,
        name="article_change_add",
    ),
    path(
        f"{amendment}/articles/<int:pk>/retirer/",
        workflow_views.article_change_delete,
        name="article_change_delete",
    ),
    path(
        f"{amendment}/signatures/<int:pk>/",
        workflow_views.amendment_sign,
        name="amendment_sign",
    ),
    path("<str:reference>/renouveler/", workflow_views.convention_renew, name="renew"),
    path(
        "<str:reference>/resiliations/ajouter/",
        workflow_views.termination_add,
        name="termination_add",
    ),
    path(
        "<str:reference>/resiliations/<int:pk>/",
        workflow_views.termination_add,
        name="termination_edit",
    ),
    path(
        "<str:reference>/reconduction/ajouter/",
        workflow_views.renewal_decision_add,
        name="renewal_decision_add",
    ),
]

# --- The printed convention and its signed documents (branch pdf) -------------------------
urlpatterns += [
    path("<slug:reference>/pdf/", document_views.convention_pdf, name="pdf"),
    path(
        "<slug:reference>/avenants/<int:number>/pdf/",
        document_views.amendment_pdf,
        name="amendment_pdf",
    ),
    path("<slug:reference>/documents/", document_views.upload_scan, name="upload_scan"),
    path(
        "<slug:reference>/documents/<int:pk>/",
        document_views.document_download,
        name="document_download",
    ),
]
