from django.urls import path

from rounds import views

app_name = "rounds"
urlpatterns = [
    path("", views.home, name="home"),
    path("runder/<slug:slug>/", views.round_detail, name="round_detail"),
    path("forslag/<int:pk>/", views.proposal_detail, name="proposal_detail"),
]
