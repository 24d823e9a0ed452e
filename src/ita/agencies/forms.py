"""Forms for agencies, their units and their people."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from ita.agencies.models import Agency, Role, provinces


class AgencyForm(forms.ModelForm[Agency]):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    units = forms.CharField(
        label=_("Responsible units"),
        help_text=_(
            "One per line, in the order documents should list them; add an e-mail for reminders "
            "after a bar: กองคลัง | finance@example.go.th"
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )

    class Meta:
        model = Agency
        fields = [
            "name_th",
            "agency_type",
            "province",
            "district",
            "itas_code",
            "website",
            "thai_digits",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].widget = forms.Select(
            choices=[("", "—")] + [(p, p) for p in sorted(provinces())]
        )
        if self.instance.pk:
            self.fields["units"].initial = "\n".join(
                f"{u.name} | {u.email}" if u.email else u.name for u in self.instance.units.all()
            )

    def clean_units(self) -> list[tuple[str, str]]:
        """Return (name, e-mail) per line; a repeated name counts once."""
        units: list[tuple[str, str]] = []
        for line in self.cleaned_data["units"].splitlines():
            name, _bar, email = line.partition("|")
            name, email = name.strip().lstrip("-•").strip(), email.strip()
            if not name or name in [u[0] for u in units]:
                continue
            if len(name) > 120:
                raise forms.ValidationError(_("A unit name is at most 120 characters."))
            if email:
                try:
                    validate_email(email)
                except forms.ValidationError:
                    raise forms.ValidationError(
                        _("%(email)s is not an e-mail address.") % {"email": email}
                    ) from None
            units.append((name, email))
        return units


class AddPersonForm(forms.Form):
    """Give someone a role in an agency: an existing account, or a new one."""

    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    full_name = forms.CharField(label=_("Full name (new account)"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail (new account)"), required=False)
    password = forms.CharField(
        label=_("First password (new account)"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Needed only when the username does not exist yet; ask them to change it."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        username = data.get("username", "").strip()
        User = get_user_model()
        exists = User.objects.filter(username=username).exists()
        if not exists:
            password = data.get("password") or ""
            if not password:
                raise forms.ValidationError(
                    _("No account is called %(name)s: give a first password to create it.")
                    % {"name": username}
                )
            validate_password(password, User(username=username, email=data.get("email") or ""))
        data["username"] = username
        data["exists"] = exists
        return data


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class FirstAdminForm(forms.Form):
    """The first account of a new installation: a system administrator."""

    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") != data.get("password2"):
            raise forms.ValidationError(_("The two passwords differ."))
        User = get_user_model()
        validate_password(data.get("password1") or "", User(username=data.get("username", "")))
        return data
