"""Console forms for voting day and the count: paper ballots, the kiosk, a hand count."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from models_catalogue.base import BallotKind
from rounds.models import Round


class BallotChoicesForm(forms.Form):
    """What is marked on a ballot: projects (approval, knapsack) or points per project (cumulative)."""

    def __init__(self, *args, pb_round: Round, proposals: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.cumulative = pb_round.rules.ballot == BallotKind.CUMULATIVE
        self.proposals = proposals
        if self.cumulative:
            for p in proposals:
                self.fields[f"points_{p.pk}"] = forms.IntegerField(
                    label=p.title,
                    min_value=0,
                    required=False,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )
        else:
            self.fields["choices"] = forms.TypedMultipleChoiceField(
                label=_("Projects marked on the ballot"),
                choices=[(p.pk, p.title) for p in proposals],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def choices(self) -> dict[int, int]:
        if not self.cumulative:
            return dict.fromkeys(self.cleaned_data["choices"], 1)
        return {
            p.pk: self.cleaned_data[f"points_{p.pk}"]
            for p in self.proposals
            if self.cleaned_data.get(f"points_{p.pk}")
        }

    def point_fields(self):
        return [self[f"points_{p.pk}"] for p in self.proposals] if self.cumulative else []


class VoterCheckedForm(forms.Form):
    """The voter whose identification staff checked: name and birth date (and area, if any)."""

    name = forms.CharField(label=_("Voter's full name"), max_length=200)
    birth_date = forms.DateField(
        label=_("Voter's birth date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, pb_round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        if pb_round.areas.exists():
            self.fields["area"] = forms.ModelChoiceField(
                label=_("Area"), queryset=pb_round.areas.all(), required=False
            )


class PaperBallotForm(BallotChoicesForm):
    """One paper ballot: the voter staff checked (name and birth date), the serial, the choices."""

    serial = forms.CharField(label=_("Serial number of the ballot paper"), max_length=40)
    name = VoterCheckedForm.base_fields["name"]
    birth_date = VoterCheckedForm.base_fields["birth_date"]

    def __init__(self, *args, pb_round: Round, proposals: list, **kwargs):
        super().__init__(*args, pb_round=pb_round, proposals=proposals, **kwargs)
        if pb_round.areas.exists():
            self.fields["area"] = forms.ModelChoiceField(
                label=_("Area"), queryset=pb_round.areas.all(), required=False
            )


class HandCountForm(forms.Form):
    """Votes counted by hand per proposal on the ballot, e.g. at a voting day with paper only."""

    def __init__(self, *args, proposals: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = proposals
        for p in proposals:
            self.fields[f"votes_{p.pk}"] = forms.IntegerField(label=p.title, min_value=0)

    def vote_counts(self) -> dict[int, int]:
        return {p.pk: self.cleaned_data[f"votes_{p.pk}"] for p in self.proposals}


class PaperEntryResolveForm(forms.Form):
    """An admin's decision on a paper ballot whose two entries differ (or that waits too long)."""

    CLEAR, DISCARD = "clear", "discard"
    action = forms.ChoiceField(
        label=_("What happens to the ballot paper"),
        choices=[
            (CLEAR, _("Clear both entries: two staff members enter the ballot paper again")),
            (DISCARD, _("Discard the ballot paper: it is not counted")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the audit log."),
    )
