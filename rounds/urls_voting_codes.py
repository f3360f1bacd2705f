"""URLs of voting with a code from a letter (see rounds/views_codes.py)."""

from django.urls import path

from rounds import views_codes

urlpatterns: list = [
    path("stem/<slug:slug>/kode/", views_codes.vote_code, name="vote_code"),
    path("runder/<slug:slug>/stemmekoder/", views_codes.code_batches, name="code_batches"),
    path(
        "runder/<slug:slug>/stemmekoder/<int:pk>/breve.pdf",
        views_codes.code_letters_download,
        name="code_letters_download",
    ),
    path(
        "runder/<slug:slug>/stemmekoder/<int:pk>/slet-breve/",
        views_codes.code_letters_remove,
        name="code_letters_remove",
    ),
    path(
        "runder/<slug:slug>/stemmekoder/<int:pk>/tilbagekald/",
        views_codes.code_batch_cancel,
        name="code_batch_cancel",
    ),
]
