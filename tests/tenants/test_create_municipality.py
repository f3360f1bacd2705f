"""create_municipality: clear errors for bad input, and nothing half-made left behind."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation
from django_tenants.utils import schema_exists

from tenants.models import Domain, Municipality
from tenants.provisioning import AdminAccount, municipality_discard, municipality_provision


@pytest.fixture
def provisioning(committed_db):
    """Real commits, as in production: provisioning creates schemas, which a rollback would hide."""
    before = set(Municipality.objects.values_list("schema_name", flat=True))
    yield
    connection.set_schema_to_public()
    for municipality in Municipality.objects.exclude(schema_name__in=before):
        municipality_discard(municipality)


def _create(*args: str, language: str = "en") -> CommandError:
    with translation.override(language), pytest.raises(CommandError) as excinfo:
        call_command("create_municipality", *args)
    return excinfo.value


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("Kolding Kommune", "0621", "kolding2"), "Code 0621 is already used by Kolding Kommune."),
        (("Aarhus Igen", "0101", "aarhus"), "The subdomain aarhus.localhost is already taken."),
        (("Vejle", "630", "vejle"), "630 is not a municipality code: it must be four digits"),
        (("Vejle", "06a0", "vejle"), "06a0 is not a municipality code"),
        (("Vejle", "0999", "vejle"), "0999 is not a Danish municipality code"),
        (("Vejle", "0630", "Vejle Kommune"), "Vejle Kommune is not a valid subdomain"),
        (("Vejle", "0630", "vejle-"), "vejle- is not a valid subdomain"),
        (("Vejle", "0630", "7vejle"), "would give the database schema name 7vejle"),
        (("Vejle", "0630", "pg-vejle"), "would give the database schema name pg_vejle"),
        (("Vejle", "0630", "public"), "would give the database schema name public"),
        (("Vejle", "0630", "www"), "www is reserved for the platform"),
        (("Vejle", "0630", "v" * 64), "is not a valid subdomain"),
        (("  ", "0630", "vejle"), "A municipality needs a name."),
    ],
)
def test_bad_input_gives_a_clear_message_and_creates_nothing(provisioning, args, message):
    error = _create(*args)
    assert message in str(error)
    assert error.returncode == 2
    assert not Municipality.objects.filter(code="0630").exists()
    assert not schema_exists("vejle")


def test_the_messages_follow_the_language_danish_by_default(provisioning):
    error = str(_create("Vejle", "0999", "vejle", language="da"))
    assert (
        error
        == "Kommunen kan ikke oprettes:\n  code: 0999 er ikke en dansk kommunekode (fx 0751 Aarhus, 0621 Kolding)."
    )


def test_every_problem_is_reported_at_once(provisioning):
    error = str(_create("", "12", "pg-x"))
    assert "name: A municipality needs a name." in error
    assert "code: 12 is not a municipality code" in error
    assert "subdomain: pg-x would give the database schema name pg_x" in error


def test_a_failure_half_way_leaves_no_schema_or_rows_behind(provisioning):
    too_long = AdminAccount("x" * 200, "secret")  # the admin insert fails after the schema exists
    with pytest.raises(Exception, match="too long"):
        municipality_provision(name="Vejle Kommune", code="0630", subdomain="vejle", admin=too_long)
    assert not schema_exists("vejle")
    assert not Municipality.objects.filter(code="0630").exists()
    assert not Domain.objects.filter(domain="vejle.localhost").exists()
    # ...so the same municipality can be created on the next try.
    call_command("create_municipality", "Vejle Kommune", "0630", "vejle")
    assert schema_exists("vejle")
    assert Municipality.objects.get(code="0630").primary_url() == "http://vejle.localhost:8000/"


def test_a_created_municipality_serves_its_own_site(provisioning, client):
    call_command(
        "create_municipality", "Faaborg-Midtfyn Kommune", "0430", "faaborg-midtfyn",
        "--admin-username", "admin", "--admin-password", "pw-12345",
    )  # fmt: skip
    assert Municipality.objects.get(code="0430").schema_name == "faaborg_midtfyn"
    response = client.get("/", HTTP_HOST="faaborg-midtfyn.localhost")
    assert "Borgerbudget i Faaborg-Midtfyn Kommune" in response.content.decode()
    response = client.post(
        "/django-admin/login/",
        {"username": "admin", "password": "pw-12345"},
        HTTP_HOST="faaborg-midtfyn.localhost",
    )
    assert response.status_code == 302
