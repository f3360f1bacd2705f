from django.urls import path

from rounds import urls_voting_codes, urls_voting_oidc, views, views_citizen, views_results, views_voting

app_name = "rounds"
urlpatterns = [
    path("", views.home, name="home"),
    path("runder/<slug:slug>/", views.round_detail, name="round_detail"),
    path("forslag/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("stem/<slug:slug>/", views_voting.vote_start, name="vote_start"),
    path("stem/<slug:slug>/stemmeseddel/", views_voting.ballot, name="ballot"),
    path("runder/<slug:slug>/kvitteringer/", views_voting.receipts, name="receipts"),
    path("runder/<slug:slug>/certifikat/", views_results.certificate, name="certificate"),
    path("runder/<slug:slug>/certifikat.pb", views_results.certificate_pb, name="certificate_pb"),
    path("runder/<slug:slug>/forslag/", views_citizen.proposal_list, name="proposal_list"),
    path("runder/<slug:slug>/forslag/nyt/", views_citizen.proposal_new, name="proposal_new"),
    path("runder/<slug:slug>/moeder/", views_citizen.meetings, name="meetings"),
    path("runder/<slug:slug>/resultater/", views_citizen.results, name="results"),
    path("runder/<slug:slug>/ansvarlighed/", views_citizen.accountability, name="accountability"),
    path("runder/<slug:slug>/evaluering/", views_citizen.evaluation, name="evaluation"),
    path("forslag/<int:pk>/stoet/", views_citizen.proposal_support, name="proposal_support"),
    path("forslag/<int:pk>/kommenter/", views_citizen.proposal_comment, name="proposal_comment"),
    path("log-ind/", views_citizen.login_start, name="login"),
    path("log-ind/kode/", views_citizen.login_code, name="login_code"),
    path("log-ud/", views_citizen.logout_view, name="logout"),
    path("was", views.accessibility_statement_redirect, name="was"),
    path("tilgaengelighedserklaering/", views.accessibility_statement, name="accessibility_statement"),
    *urls_voting_codes.urlpatterns,
    *urls_voting_oidc.urlpatterns,
]
