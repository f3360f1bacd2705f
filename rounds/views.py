from django.shortcuts import render


def home(request):
    """The municipality's front page."""
    return render(request, "rounds/home.html")
