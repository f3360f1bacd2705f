"""Citizen forms. Validation of the round's rules stays in the services; a form only parses."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rounds.models import ChecklistItem, Round, SurveyResponse


class AccessibleForm(forms.Form):
    """Ties each field's error message to its input (aria-describedby, aria-invalid), so screen
    readers announce it; templates/rounds/_form_field.html renders the message with that id."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}_error"


class ProposalForm(AccessibleForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Short summary"), max_length=500, required=False)
    description = forms.CharField(label=_("Describe the proposal"), widget=forms.Textarea(attrs={"rows": 8}))
    cost = forms.IntegerField(label=_("What does it cost? (kr.)"), min_value=0, max_value=1_000_000_000)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=None, required=False)
    area = forms.ModelChoiceField(label=_("Area"), queryset=None, required=False)
    checklist = forms.MultipleChoiceField(
        label=_("Check your proposal against the round's checklist"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    draft = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, pb_round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = pb_round.themes.all()
        self.fields["area"].queryset = pb_round.areas.all()
        items = ChecklistItem.objects.filter(round=pb_round, kind=ChecklistItem.Kind.SELF_QUALIFICATION)
        self.fields["checklist"].choices = [(str(i.pk), i.text) for i in items]
        if not items:
            del self.fields["checklist"]
        if not pb_round.themes.exists():
            del self.fields["theme"]
        if not pb_round.areas.exists():
            del self.fields["area"]


class LoginEmailForm(AccessibleForm):
    email = forms.EmailField(label=_("Email address"))


class LoginCodeForm(AccessibleForm):
    email = forms.EmailField(widget=forms.HiddenInput)
    code = forms.RegexField(
        label=_("The code from the email"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("The code has six digits.")},
    )


class CommentForm(AccessibleForm):
    body = forms.CharField(label=_("Your comment"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))


class SignupForm(AccessibleForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email address"))


class SurveyForm(AccessibleForm):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the citizen budget?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 is not at all, 5 is very satisfied."),
    )
    took_part = forms.MultipleChoiceField(
        label=_("How did you take part?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("proposed", _("I made a proposal")),
            ("supported", _("I supported or commented")),
            ("voted", _("I voted")),
            ("meeting", _("I came to a meeting")),
            ("followed", _("I followed along")),
        ],
    )
    would_again = forms.ChoiceField(
        label=_("Would you take part again?"), choices=SurveyResponse.Again.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("What should be better next time?"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
