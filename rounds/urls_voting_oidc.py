"""URLs of voting with MitID through an OpenID Connect broker, and with an email code."""

urlpatterns: list = []
