"""URLs of voting with MitID through an OpenID Connect broker, and with an email code."""

from django.urls import path

from rounds import views_oidc

urlpatterns: list = [
    # One callback URL for every round: it is registered once at the broker.
    path("stem/mitid/callback/", views_oidc.vote_oidc_callback, name="vote_oidc_callback"),
    path("stem/<slug:slug>/mitid/", views_oidc.vote_oidc_start, name="vote_oidc_start"),
    path("stem/<slug:slug>/email/", views_oidc.vote_email, name="vote_email"),
]
