"""URLs of voting with a code from a letter (see rounds/views_codes.py)."""

urlpatterns: list = []
