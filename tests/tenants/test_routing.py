"""Host routing: the public host, a municipality's host, and hosts that belong to nobody."""


def test_public_host_lists_the_municipalities_with_links(public_client):
    response = public_client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Aarhus Kommune" in html and "Kolding Kommune" in html
    assert 'href="http://aarhus.localhost:8000/"' in html
    assert 'href="http://kolding.localhost:8000/"' in html


def test_public_host_uses_the_public_urlconf(public_client):
    assert public_client.get("/platform-admin/login/").status_code == 200
    assert public_client.get("/django-admin/login/").status_code == 404


def test_tenant_host_shows_its_municipality_in_danish(aarhus_client):
    response = aarhus_client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="da">' in html
    assert "Borgerbudget i Aarhus Kommune" in html
    assert "Kolding" not in html


def test_tenant_host_uses_the_tenant_urlconf(aarhus_client):
    assert aarhus_client.get("/django-admin/login/").status_code == 200
    assert aarhus_client.get("/platform-admin/login/").status_code == 404


def test_tenant_host_with_a_port_is_the_same_tenant(db, client):
    response = client.get("/", HTTP_HOST="kolding.localhost:8000")
    assert "Kolding Kommune" in response.content.decode()


def test_unknown_subdomain_is_a_plain_404(db, client):
    response = client.get("/", HTTP_HOST="ingen-kommune.localhost")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.content.decode()


def test_host_outside_allowed_hosts_is_a_plain_404_not_a_500(db, client):
    response = client.get("/proposals/", HTTP_HOST="attacker.example.com")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.content.decode()


def test_english_is_available_by_switching_language(aarhus_client):
    aarhus_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = aarhus_client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Citizen budget in Aarhus Kommune" in html


def test_the_brand_colour_must_keep_contrast_with_white(db):
    import pytest
    from django.core.exceptions import ValidationError

    from tenants.models import Municipality

    aarhus = Municipality.objects.get(schema_name="aarhus")
    aarhus.brand_colour = "#ffd700"  # gold: white text on it is unreadable
    with pytest.raises(ValidationError) as excinfo:
        aarhus.full_clean()
    assert "kontrast på 1.4:1" in str(excinfo.value) or "contrast of 1.4:1" in str(excinfo.value)
    aarhus.brand_colour = "not-a-colour"
    with pytest.raises(ValidationError):
        aarhus.full_clean()
    aarhus.brand_colour = "#005a9c"
    aarhus.full_clean()


def test_a_municipality_shows_its_colour_and_logo_and_links_its_own_statement(aarhus_client):
    from tenants.models import Municipality

    Municipality.objects.filter(schema_name="aarhus").update(
        brand_colour="#005a9c", logo_url="https://www.aarhus.dk/logo.svg",
        accessibility_statement_url="https://www.was.digst.dk/aarhus-borgerbudget",
    )  # fmt: skip
    html = aarhus_client.get("/").content.decode()
    assert ":root { --brand: #005a9c; }" in html
    assert '<img src="https://www.aarhus.dk/logo.svg" alt="" class="logo">' in html
    response = aarhus_client.get("/was")
    assert (
        response.status_code == 302 and response["Location"] == "https://www.was.digst.dk/aarhus-borgerbudget"
    )
