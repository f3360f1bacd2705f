from django.urls import path

from rounds import urls_voting_codes, urls_voting_oidc, views, views_voting

app_name = "rounds"
urlpatterns = [
    path("", views.home, name="home"),
    path("runder/<slug:slug>/", views.round_detail, name="round_detail"),
    path("forslag/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("stem/<slug:slug>/", views_voting.vote_start, name="vote_start"),
    path("stem/<slug:slug>/stemmeseddel/", views_voting.ballot, name="ballot"),
    path("runder/<slug:slug>/kvitteringer/", views_voting.receipts, name="receipts"),
    *urls_voting_codes.urlpatterns,
    *urls_voting_oidc.urlpatterns,
]
