"""Validation of a municipality's identity: its Danish municipality code, subdomain and schema name."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The official Danish municipality codes (Danmarks Statistik / DAGI), with Christiansø (0411).
DANISH_MUNICIPALITIES = {
    "0101": "København", "0147": "Frederiksberg", "0151": "Ballerup", "0153": "Brøndby",
    "0155": "Dragør", "0157": "Gentofte", "0159": "Gladsaxe", "0161": "Glostrup",
    "0163": "Herlev", "0165": "Albertslund", "0167": "Hvidovre", "0169": "Høje-Taastrup",
    "0173": "Lyngby-Taarbæk", "0175": "Rødovre", "0183": "Ishøj", "0185": "Tårnby",
    "0187": "Vallensbæk", "0190": "Furesø", "0201": "Allerød", "0210": "Fredensborg",
    "0217": "Helsingør", "0219": "Hillerød", "0223": "Hørsholm", "0230": "Rudersdal",
    "0240": "Egedal", "0250": "Frederikssund", "0253": "Greve", "0259": "Køge",
    "0260": "Halsnæs", "0265": "Roskilde", "0269": "Solrød", "0270": "Gribskov",
    "0306": "Odsherred", "0316": "Holbæk", "0320": "Faxe", "0326": "Kalundborg",
    "0329": "Ringsted", "0330": "Slagelse", "0336": "Stevns", "0340": "Sorø",
    "0350": "Lejre", "0360": "Lolland", "0370": "Næstved", "0376": "Guldborgsund",
    "0390": "Vordingborg", "0400": "Bornholm", "0410": "Middelfart", "0411": "Christiansø",
    "0420": "Assens", "0430": "Faaborg-Midtfyn", "0440": "Kerteminde", "0450": "Nyborg",
    "0461": "Odense", "0479": "Svendborg", "0480": "Nordfyns", "0482": "Langeland",
    "0492": "Ærø", "0510": "Haderslev", "0530": "Billund", "0540": "Sønderborg",
    "0550": "Tønder", "0561": "Esbjerg", "0563": "Fanø", "0573": "Varde",
    "0575": "Vejen", "0580": "Aabenraa", "0607": "Fredericia", "0615": "Horsens",
    "0621": "Kolding", "0630": "Vejle", "0657": "Herning", "0661": "Holstebro",
    "0665": "Lemvig", "0671": "Struer", "0706": "Syddjurs", "0707": "Norddjurs",
    "0710": "Favrskov", "0727": "Odder", "0730": "Randers", "0740": "Silkeborg",
    "0741": "Samsø", "0746": "Skanderborg", "0751": "Aarhus", "0756": "Ikast-Brande",
    "0760": "Ringkøbing-Skjern", "0766": "Hedensted", "0773": "Morsø", "0779": "Skive",
    "0787": "Thisted", "0791": "Viborg", "0810": "Brønderslev", "0813": "Frederikshavn",
    "0820": "Vesthimmerlands", "0825": "Læsø", "0840": "Rebild", "0846": "Mariagerfjord",
    "0849": "Jammerbugt", "0851": "Aalborg", "0860": "Hjørring",
}  # fmt: skip

# A DNS label: lowercase letters, digits and inner hyphens.
SUBDOMAIN_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
# Our schema names are stricter than PostgreSQL's: they reach SQL quoted, but we never want to
# depend on quoting (django-tenants notes §8.9).
SCHEMA_RE = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
RESERVED_SCHEMAS = {"public", "information_schema", "extensions"}
RESERVED_SUBDOMAINS = {"www", "api", "admin", "static", "media", "mail", "network", "status"}


def validate_municipality_code(code: str) -> None:
    if not re.fullmatch(r"[0-9]{4}", code or ""):
        raise ValidationError(
            _("%(code)s is not a municipality code: it must be four digits, e.g. 0751 for Aarhus."),
            code="invalid_code",
            params={"code": code},
        )
    if code not in DANISH_MUNICIPALITIES:
        raise ValidationError(
            _("%(code)s is not a Danish municipality code (e.g. 0751 Aarhus, 0621 Kolding)."),
            code="unknown_code",
            params={"code": code},
        )


def schema_name_for(subdomain: str) -> str:
    """The schema a subdomain gets: hyphens become underscores (faaborg-midtfyn -> faaborg_midtfyn)."""
    return subdomain.replace("-", "_")


def validate_subdomain(subdomain: str) -> None:
    if not SUBDOMAIN_RE.fullmatch(subdomain or ""):
        raise ValidationError(
            _(
                "%(subdomain)s is not a valid subdomain: use lowercase letters a-z, digits and hyphens, "
                "at most 63 characters, not starting or ending with a hyphen."
            ),
            code="invalid_subdomain",
            params={"subdomain": subdomain},
        )
    if subdomain in RESERVED_SUBDOMAINS:
        raise ValidationError(
            _("%(subdomain)s is reserved for the platform."),
            code="reserved_subdomain",
            params={"subdomain": subdomain},
        )
    schema = schema_name_for(subdomain)
    if schema.startswith("pg_") or schema in RESERVED_SCHEMAS or not SCHEMA_RE.fullmatch(schema):
        raise ValidationError(
            _(
                "%(subdomain)s would give the database schema name %(schema)s, which PostgreSQL reserves "
                "or refuses: it must start with a letter, be 2-63 characters and not begin with pg_."
            ),
            code="invalid_schema",
            params={"subdomain": subdomain, "schema": schema},
        )


HEX_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_CONTRAST = 4.5  # WCAG 2.1 AA for normal text


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_with_white(hex_colour: str) -> float:
    return (1.0 + 0.05) / (_luminance(hex_colour) + 0.05)


def validate_brand_colour(value: str) -> None:
    """The brand colour carries white text (header, buttons) and is the colour of links on white:
    both need a contrast of at least 4.5:1 (WCAG 2.1 AA)."""
    if not HEX_COLOUR_RE.fullmatch(value or ""):
        raise ValidationError(
            _("%(value)s is not a colour: write it as #RRGGBB, e.g. #1f4e79."),
            code="invalid_colour",
            params={"value": value},
        )
    ratio = contrast_with_white(value)
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            _(
                "%(value)s is too light: white text on it has a contrast of %(ratio).1f:1, "
                "and at least 4.5:1 is needed (WCAG 2.1 AA). Choose a darker shade."
            ),
            code="low_contrast",
            params={"value": value, "ratio": ratio},
        )
