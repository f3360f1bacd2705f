"""The admin console, under /admin-konsol/ on the municipality's own subdomain."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from config.login_throttle import ThrottledLoginForm
from rounds.console import (
    views,
    views_data,
    views_paper,
    views_participation,
    views_phases,
    views_round,
    views_tasks,
    views_voting,
)

app_name = "console"
urlpatterns = [
    path(
        "log-ind/",
        auth_views.LoginView.as_view(
            template_name="console/login.html",
            authentication_form=ThrottledLoginForm,
            redirect_authenticated_user=True,
            next_page=reverse_lazy("console:dashboard"),
        ),
        name="login",
    ),
    path("log-ud/", auth_views.LogoutView.as_view(next_page=reverse_lazy("console:login")), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("katalog/", views.catalogue, name="catalogue"),
    path("katalog/sammenlign/", views.compare, name="compare"),
    path("runder/ny/<str:key>/", views.round_start, name="round_start"),
    path("runder/ny-fra-skabelon/", views.round_start_preset, name="round_start_preset"),
    path("runder/ny-fra-pb/", views_tasks.import_round, name="import_round"),
    path("personale/", views.staff, name="staff"),
    path("runder/<slug:slug>/", views_round.round_detail, name="round"),
    path("runder/<slug:slug>/fase/", views_round.round_advance, name="round_advance"),
    path("runder/<slug:slug>/faser/<int:pk>/", views_round.phase_edit, name="phase_edit"),
    path("runder/<slug:slug>/offentliggoer/", views_round.round_publish_toggle, name="round_publish"),
    path("runder/<slug:slug>/forhaandsvisning/", views_round.round_preview, name="round_preview"),
    path("runder/<slug:slug>/favoritliste/", views_round.round_shortlist_draw, name="round_shortlist"),
    path("runder/<slug:slug>/tildel-afdeling/", views_round.round_assign, name="round_assign"),
    path("runder/<slug:slug>/resultat/", views_round.round_result, name="round_result"),
    path(
        "runder/<slug:slug>/resultat/haandoptaelling/", views_round.round_hand_count, name="round_hand_count"
    ),
    path("runder/<slug:slug>/indstillinger/", views_round.round_settings, name="round_settings"),
    path("runder/<slug:slug>/evaluering/", views_round.round_evaluation, name="round_evaluation"),
    path("runder/<slug:slug>/omraader/", views_phases.round_areas, name="round_areas"),
    path("runder/<slug:slug>/omraader/<int:pk>/pulje/", views_phases.area_pot, name="area_pot"),
    path("runder/<slug:slug>/omraader/fordel/", views_phases.areas_split, name="areas_split"),
    path("runder/<slug:slug>/ansoegninger/", views_phases.application_add, name="application_add"),
    path(
        "runder/<slug:slug>/ansoegninger/<int:pk>/",
        views_phases.application_decide,
        name="application_decide",
    ),
    path("runder/<slug:slug>/delegerede-og-moeder/", views_phases.round_people, name="round_people"),
    path("runder/<slug:slug>/eksport/forslag.csv", views_data.export_proposals, name="export_proposals"),
    path("runder/<slug:slug>/eksport/resultat.csv", views_data.export_results, name="export_results"),
    path(
        "runder/<slug:slug>/eksport/forslag.xlsx",
        views_data.export_proposals_xlsx,
        name="export_proposals_xlsx",
    ),
    path(
        "runder/<slug:slug>/eksport/resultat.xlsx", views_data.export_results_xlsx, name="export_results_xlsx"
    ),
    path("runder/<slug:slug>/eksport/arkiv.json", views_data.export_archive, name="export_archive"),
    path(
        "runder/<slug:slug>/eksport/stemmesedler.pb", views_data.export_ballots_pb, name="export_ballots_pb"
    ),
    path(
        "runder/<slug:slug>/deltagelse/", views_participation.round_participation, name="round_participation"
    ),
    path("runder/<slug:slug>/stemmeberettigede/", views_participation.round_eligible, name="round_eligible"),
    path("runder/<slug:slug>/import/", views_data.import_proposals, name="import_proposals"),
    path("forslag/<int:pk>/", views_round.proposal_detail, name="proposal"),
    path("forslag/<int:pk>/vurdering/", views_round.proposal_assessment, name="proposal_assessment"),
    path("forslag/<int:pk>/udtalelse/", views_round.proposal_statement, name="proposal_statement"),
    path("forslag/<int:pk>/beslutning/", views_round.proposal_decision, name="proposal_decision"),
    path(
        "forslag/<int:pk>/opfoelgning/", views_round.proposal_implementation, name="proposal_implementation"
    ),
    path("moderation/", views_data.moderation, name="moderation"),
    path("moderation/<int:pk>/skjul/", views_data.comment_hide_view, name="comment_hide"),
    path("moderation/<int:pk>/vis/", views_data.comment_restore_view, name="comment_restore"),
    path("valgdag/", views_voting.voting_rounds, name="voting_rounds"),
    path("valgdag/<slug:slug>/", views_voting.paper_entry, name="paper_entry"),
    path("valgdag/<slug:slug>/optaelling/", views_voting.ballot_count, name="ballot_count"),
    path("valgdag/<slug:slug>/kiosk/", views_voting.kiosk_start, name="kiosk_start"),
    path("valgdag/<slug:slug>/kiosk/stemmeseddel/", views_voting.kiosk_ballot, name="kiosk_ballot"),
    path("valgdag/<slug:slug>/dobbelt-indtastning/", views_paper.paper_entries, name="paper_entries"),
    path(
        "valgdag/<slug:slug>/dobbelt-indtastning/<int:pk>/",
        views_paper.paper_entry_resolve,
        name="paper_entry_resolve",
    ),
    path(
        "runder/<slug:slug>/dobbelt-indtastning/", views_paper.round_double_entry, name="round_double_entry"
    ),
    path("log/", views_data.audit_log, name="audit"),
    path("opgaver/<uuid:task_id>/", views_tasks.task_progress, name="task_progress"),
    path("opgaver/<uuid:task_id>/status.json", views_tasks.task_progress_json, name="task_progress_json"),
]
