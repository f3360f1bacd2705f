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
