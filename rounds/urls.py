from django.urls import path

from rounds import views

app_name = "rounds"
urlpatterns = [
    path("", views.home, name="home"),
]
