"""Console forms. Domain rules stay in the services; forms parse input and carry the services'
messages back to the fields they concern."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import PurePath
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from models_catalogue.base import PHASE_LABELS, SETTING_LABELS, ProcessModel
from models_catalogue.presets import PRESETS
from models_catalogue.validation import settings_problems
from rounds.console.roles import ROLE_LABELS, ROLES
from rounds.formatting import danish_number
from rounds.models import (
    Area,
    Assessment,
    ChecklistItem,
    Decision,
    ImplementationUpdate,
    Meeting,
    Proposal,
    Round,
)
from rounds.pabulib import PbFormatError, parse_pb

CHOICE_LABELS = {
    True: _("Yes"),
    False: _("No"),
    "none": _("None"),
    "approval": _("Approval: choose up to a number of projects"),
    "knapsack": _("Knapsack: choose projects within the pot"),
    "cumulative": _("Cumulative: spread points"),
    "greedy": _("Most votes first, within the pot"),
    "equal_shares": _("Method of Equal Shares"),
    "advisory": _("Advisory ranking"),
    "council": _("The council decides"),
    "for": _("For only"),
    "for_against": _("For and against"),
    "fixed": _("Staff set each area's sub-pot"),
    "applications": _("Local councils apply"),
    "equal": _("The pool split equally"),
    "round": _("Round"),
    "area": _("Area"),
    "everyone": _("Everyone"),
    "delegates": _("Delegates only"),
}


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, StrEnum) else value


def _choice_label(value: Any) -> str:
    plain = _plain(value)
    return str(CHOICE_LABELS.get(plain, plain))


def range_text(minimum: int | None, maximum: int | None, optional: bool) -> str:
    if minimum is not None and maximum is not None:
        text = _("Allowed: %(low)s to %(high)s.") % {
            "low": danish_number(minimum),
            "high": danish_number(maximum),
        }
    elif minimum is not None:
        text = _("Allowed: %(low)s or more.") % {"low": danish_number(minimum)}
    elif maximum is not None:
        text = _("Allowed: at most %(high)s.") % {"high": danish_number(maximum)}
    else:
        text = ""
    if optional:
        text = f"{text} {_('Leave empty for none.')}".strip()
    return text


class SettingsForm(forms.Form):
    """One field per setting the model lets a municipality tune, with its allowed range.

    Validation is settings_problems: every problem is listed at once, on the field it concerns.
    """

    def __init__(self, *args, model: ProcessModel, values: dict[str, Any] | None = None, **kwargs):
        super().__init__(*args, prefix="setting", **kwargs)
        self.model = model
        for setting in model.settings:
            value = (values or {}).get(setting.name, setting.default)
            label = SETTING_LABELS[setting.name]
            if setting.choices is not None:
                self.fields[setting.name] = forms.ChoiceField(
                    label=label,
                    choices=[(str(_plain(c)), _choice_label(c)) for c in setting.choices],
                    initial=str(_plain(value)),
                )
            else:
                # Not required for Django: settings_problems says "required" itself, once.
                field = forms.CharField(
                    label=label,
                    required=False,
                    initial="" if value is None else str(value),
                    help_text=range_text(setting.minimum, setting.maximum, setting.optional),
                    widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                )
                field.shown_as_required = not setting.optional
                self.fields[setting.name] = field

    def clean(self):
        values = {name: self.cleaned_data.get(name, "") for name in self.fields}
        for name, messages in settings_problems(self.model, values).items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        self.values = values
        return self.cleaned_data


class PhaseDaysForm(forms.Form):
    """The phase schedule: how many days each of the model's phases lasts."""

    def __init__(self, *args, model: ProcessModel, **kwargs):
        super().__init__(*args, prefix="days", **kwargs)
        for spec in model.phases:
            help_text = ""
            if spec.when:
                help_text = _("Only when “%(setting)s” is on.") % {"setting": SETTING_LABELS[spec.when]}
            self.fields[str(spec.kind)] = forms.IntegerField(
                label=PHASE_LABELS[spec.kind], min_value=1, max_value=3650, initial=spec.default_days,
                help_text=help_text,
            )  # fmt: skip

    def phase_days(self) -> dict[str, int]:
        return dict(self.cleaned_data)


def _start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


class RoundStartForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=80,
        help_text=_("Letters, digits and hyphens, e.g. “budget-2027”."),
    )
    summary = forms.CharField(
        label=_("Summary for citizens"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    funding_source = forms.CharField(label=_("Funded by"), max_length=200, required=False)
    starts_on = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The first phase opens at 9:00."),
    )
    themes = forms.CharField(
        label=_("Themes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One theme per line."),
    )
    areas = forms.CharField(
        label=_("Areas and sub-pots"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One area per line: name; kind; sub-pot in kr. (optional), e.g. “Bolbro; city_district; 200000”."
        ),
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Round.objects.filter(slug=slug).exists():
            raise ValidationError(_("Another round already uses this short name."))
        return slug

    def clean_themes(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["themes"].splitlines() if line.strip()]

    def clean_areas(self) -> list[tuple[str, str, int | None]]:
        kinds = {k.value: k.value for k in Area.Kind} | {str(k.label).casefold(): k.value for k in Area.Kind}
        areas, errors = [], []
        for number, line in enumerate(self.cleaned_data["areas"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            name, kind, pot = (parts + ["", "", ""])[:3]
            kind_value = kinds.get(kind.casefold())
            pot_digits = pot.replace(".", "").replace(" ", "")
            if not name or kind_value is None:
                errors.append(
                    _("Line %(number)s: give a name and one of the kinds %(kinds)s.")
                    % {"number": number, "kinds": ", ".join(k.value for k in Area.Kind)}
                )
            elif pot and not pot_digits.isdigit():
                errors.append(_("Line %(number)s: the sub-pot must be whole kroner.") % {"number": number})
            else:
                areas.append((name, kind_value, int(pot_digits) if pot else None))
        if errors:
            raise ValidationError(errors)
        return areas

    def starts_at(self) -> dt.datetime:
        return _start(self.cleaned_data["starts_on"])


class PresetStartForm(forms.Form):
    preset = forms.ChoiceField(label=_("Preset"), choices=[(k, p.title) for k, p in PRESETS.items()])
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Empty: the preset's title.")
    )
    slug = RoundStartForm.base_fields["slug"]
    starts_on = RoundStartForm.base_fields["starts_on"]
    clean_slug = RoundStartForm.clean_slug

    def starts_at(self) -> dt.datetime:
        return _start(self.cleaned_data["starts_on"])


class AdvanceForm(forms.Form):
    """The phase the page showed as next: a stale page cannot skip a phase."""

    to = forms.CharField(widget=forms.HiddenInput)


class PublishForm(forms.Form):
    is_published = forms.BooleanField(required=False, widget=forms.HiddenInput)


class PhaseScheduleForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class AssessmentForm(forms.Form):
    department = forms.CharField(label=_("Department"), max_length=200)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Assessment.Outcome.choices, widget=forms.RadioSelect
    )
    revised_cost = forms.IntegerField(
        label=_("Revised cost (kr.)"),
        min_value=0,
        required=False,
        help_text=_("Needed when the proposal is changed."),
    )
    public_reason = forms.CharField(
        label=_("Public reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to everyone; needed for a rejection."),
    )
    failed_checks = forms.ModelMultipleChoiceField(
        label=_("Legal screening: items the proposal fails"),
        queryset=ChecklistItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, proposal, departments: list[str] | None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:  # a case worker assesses for their own departments only
            self.fields["department"] = forms.ChoiceField(
                label=_("Department"), choices=[(d, d) for d in departments]
            )
        legal = proposal.round.checklist_items.filter(kind=ChecklistItem.Kind.LEGAL)
        if proposal.round.rules.legal_screening and legal.exists():
            self.fields["failed_checks"].queryset = legal
        else:
            del self.fields["failed_checks"]


class AssignForm(forms.Form):
    """Assign one or more of a round's proposals to the department that assesses them."""

    proposals = forms.ModelMultipleChoiceField(
        label=_("Proposals"),
        queryset=Proposal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one proposal.")},
    )
    department = forms.ChoiceField(label=_("Department"), required=False)

    def __init__(self, *args, pb_round: Round, departments: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = pb_round.proposals.exclude(status=Proposal.Status.DRAFT)
        self.fields["department"].choices = [("", _("No department"))] + [(d, d) for d in departments]


class StatementForm(forms.Form):
    body_name = forms.CharField(label=_("Committee or assembly"), max_length=200)
    text = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 4}))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect
    )
    amount = forms.IntegerField(
        label=_("Amount granted (kr.)"), min_value=0, required=False, help_text=_("Needed for an adoption.")
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    decided_by = forms.CharField(label=_("Decided by"), max_length=200, initial=_("The city council"))


class ImplementationForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ImplementationUpdate.Status.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, initial=0)
    text = forms.CharField(label=_("Update"), widget=forms.Textarea(attrs={"rows": 3}))
    payout = forms.IntegerField(label=_("Paid out now (kr.)"), min_value=0, initial=0)
    invoice_reference = forms.CharField(label=_("Invoice"), max_length=100, required=False)


class EvaluationForm(forms.Form):
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5}))
    recommendations = forms.CharField(
        label=_("Recommendations"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    made_with = forms.CharField(label=_("Made with"), max_length=300, required=False)


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Public reason"), max_length=300, help_text=_("Shown to everyone in place of the comment.")
    )


class AuditFilterForm(forms.Form):
    person = forms.CharField(label=_("Person"), required=False)
    object_type = forms.ChoiceField(label=_("Kind of object"), required=False)
    object_id = forms.CharField(label=_("Object number"), required=False, max_length=40)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, object_types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("All"))] + [(t, t) for t in object_types]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: title; description; cost; author_name, and optionally summary; author_email; area; "
            "theme. A proposal export has them all."
        ),
    )

    def clean_file(self) -> str:
        raw = self.cleaned_data["file"].read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return raw.decode("cp1252")


class PbImportForm(forms.Form):
    """A finished vote as a Pabulib `.pb` file; the file is parsed here, so a broken one is refused
    with the parser's one-line reason before anything is queued."""

    file = forms.FileField(
        label=_(".pb file (Pabulib)"),
        help_text=_(
            "A vote that already happened, e.g. from pabulib.org. It becomes a round in its results phase."
        ),
    )
    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=80,
        required=False,
        help_text=_("Empty: from the file's name."),
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Empty: the file's description.")
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text.")) from None
        try:
            parse_pb(text)
        except PbFormatError as exc:
            raise ValidationError(str(exc)) from None
        self.file_stem = PurePath(upload.name).stem
        return text

    def clean(self):
        cleaned = super().clean()
        if "file" in cleaned and not cleaned.get("slug"):
            cleaned["slug"] = slugify(self.file_stem.replace("_", "-"))[:80]
            if not cleaned["slug"]:
                self.add_error("slug", _("Give a short name: the file's name has no letters or digits."))
        if cleaned.get("slug") and Round.objects.filter(slug=cleaned["slug"]).exists():
            self.add_error("slug", _("Another round already uses this short name."))
        return cleaned


class StaffForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, min_length=8)
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=[(r, ROLE_LABELS[r]) for r in ROLES], widget=forms.CheckboxSelectMultiple
    )
    departments = forms.CharField(
        label=_("Departments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For case workers: one department per line."),
    )

    def department_list(self) -> list[str]:
        return [d.strip() for d in self.cleaned_data["departments"].splitlines() if d.strip()]


class AreaPotForm(forms.Form):
    pot = forms.IntegerField(label=_("Sub-pot (kr.)"), min_value=0)


class ApplicationForm(forms.Form):
    """A local council's application, registered by staff (e.g. sent by email)."""

    applicant = forms.CharField(label=_("Local council"), max_length=200)
    process_plan = forms.CharField(label=_("Process plan"), widget=forms.Textarea(attrs={"rows": 3}))
    requested_amount = forms.IntegerField(label=_("Requested (kr.)"), min_value=0, required=False)


class ApplicationDecisionForm(forms.Form):
    select = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Select")), ("0", _("Decline"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    pot = forms.IntegerField(label=_("Sub-pot (kr.)"), min_value=0, required=False)


class DelegateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"), required=False)

    def __init__(self, *args, pb_round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        if pb_round.areas.exists():
            self.fields["area"] = forms.ModelChoiceField(
                label=_("Area"), queryset=pb_round.areas.all(), required=False
            )


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    location = forms.CharField(label=_("Location"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    capacity = forms.IntegerField(
        label=_("Capacity"), min_value=1, required=False, help_text=_("Empty: no limit.")
    )

    def __init__(self, *args, pb_round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        if pb_round.areas.exists():
            self.fields["area"] = forms.ModelChoiceField(
                label=_("Area"), queryset=pb_round.areas.all(), required=False
            )


class EligibleResidentsForm(forms.Form):
    """How many residents may vote, in the round and in each area: the base of turnout."""

    eligible = forms.IntegerField(
        label=_("Eligible residents in the round"),
        min_value=0,
        required=False,
        help_text=_("E.g. the residents of voting age from the civil register. Leave empty if not known."),
    )

    def __init__(self, *args, pb_round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = list(pb_round.areas.order_by("name"))
        self.fields["eligible"].initial = pb_round.eligible_residents
        for area in self.areas:
            self.fields[f"area_{area.pk}"] = forms.IntegerField(
                label=_("Eligible residents in %(area)s") % {"area": area.name},
                min_value=0,
                required=False,
                initial=area.eligible_residents,
            )

    def area_values(self) -> dict[int, int | None]:
        return {area.pk: self.cleaned_data[f"area_{area.pk}"] for area in self.areas}
