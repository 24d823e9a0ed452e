"""Forms of running a campaign (the respondent's answers are read by the questionnaire)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ita.surveys.models import Campaign, Channel
from ita.surveys.services import MAX_CODES_PER_BATCH

LARGEST_GROUP = 50  # not-domain: an upper bound on the smallest group a campaign may ask for


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class CampaignForm(forms.ModelForm[Campaign]):
    """Dates, population and privacy settings; on creation also the tool."""

    class Meta:
        model = Campaign
        fields = ["opens_on", "closes_on", "population", "requires_code", "min_group_size"]
        widgets = {"opens_on": DateInput(), "closes_on": DateInput()}

    def __init__(
        self,
        *args: Any,
        tools: list[tuple[str, str]] | None = None,
        internal_tools: set[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.internal_tools = internal_tools or set()
        if tools is not None:
            self.fields["tool"] = forms.ChoiceField(label=_("Tool"), choices=tools)
            self.order_fields(["tool"])
        self.fields["min_group_size"].help_text = _(
            "Results, breakdowns and exports stay hidden for fewer respondents than this "
            "(at least %(floor)s on this installation)."
        ) % {"floor": settings.SURVEYS_MIN_GROUP_SIZE}
        self.fields["requires_code"].help_text = _(
            "Staff surveys only: each answer needs a one-time code printed on a slip. Codes are "
            "not linked to names or to answers."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The survey must close on or after the day it opens."))
        smallest = data.get("min_group_size")
        if smallest is not None and not (
            settings.SURVEYS_MIN_GROUP_SIZE <= smallest <= LARGEST_GROUP
        ):
            self.add_error(
                "min_group_size",
                _("Between %(floor)s and %(ceiling)s.")
                % {"floor": settings.SURVEYS_MIN_GROUP_SIZE, "ceiling": LARGEST_GROUP},
            )
        tool = data.get("tool", self.instance.tool if self.instance.pk else None)
        if data.get("requires_code") and tool not in self.internal_tools:
            self.add_error(
                "requires_code", _("One-time codes are for surveys of the agency's own staff.")
            )
        return data


class CodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many codes"), min_value=1, max_value=MAX_CODES_PER_BATCH, initial=1
    )


class SlipsForm(forms.Form):
    codes = forms.CharField(widget=forms.HiddenInput)

    def code_list(self) -> list[str]:
        return [c for c in self.cleaned_data["codes"].split() if c]


class ChannelForm(forms.Form):
    channel = forms.TypedChoiceField(
        label=_("How the answers were given"),
        coerce=int,
        choices=[(c.value, c.label) for c in (Channel.TELEPHONE, Channel.IN_PERSON)],
        widget=forms.RadioSelect,
    )
