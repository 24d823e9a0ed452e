"""Pages of agencies: home, first run, overview, settings, people and the audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita import ratelimit
from ita.agencies.access import Need, get_agency_for_user, visible_agencies
from ita.agencies.forms import AddPersonForm, AgencyForm, ChangeRoleForm, FirstAdminForm
from ita.agencies.models import DEFAULT_UNITS, Agency, Membership, ResponsibleUnit, Role
from ita.audit.models import AuditEvent, record

PAGE_SIZE = 50  # not-domain: rows per page


def home(request: HttpRequest) -> HttpResponse:
    User = get_user_model()
    if not request.user.is_authenticated:
        if not User.objects.exists():
            return redirect("setup")
        return render(request, "agencies/landing.html")
    agencies = visible_agencies(request.user)
    if agencies.count() == 1:
        only = agencies.get()
        return redirect("agency", agency_id=only.pk)
    return agency_list(request)


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    agencies = visible_agencies(request.user).prefetch_related("assessments")
    if query:
        agencies = agencies.filter(
            Q(name_th__icontains=query)
            | Q(province__icontains=query)
            | Q(district__icontains=query)
        )
    page = Paginator(agencies.order_by("province", "district", "name_th"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = []
    for agency in page:
        latest = max(agency.assessments.all(), key=lambda a: a.fiscal_year, default=None)
        rows.append((agency, latest))
    return render(
        request,
        "agencies/list.html",
        {"page": page, "rows": rows, "query": query, "can_create": request.user.is_superuser},
    )


def setup(request: HttpRequest) -> HttpResponse:
    """First run: create the system administrator (only while there is no account at all)."""
    User = get_user_model()
    if User.objects.exists():
        raise Http404("already set up")
    form = FirstAdminForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if User.objects.select_for_update().exists():
                raise Http404("already set up")
            user = User.objects.create_superuser(
                username=form.cleaned_data["username"],
                email=form.cleaned_data.get("email") or "",
                password=form.cleaned_data["password1"],
            )
            record(user, None, "user.created", obj=user, summary="first system administrator")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome. Create the first agency to begin."))
        return redirect("agency-create")
    return render(request, "agencies/setup.html", {"form": form})


@login_required
def agency_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_superuser:
        raise PermissionDenied("only a system administrator creates agencies")
    form = AgencyForm(request.POST or None, initial={"units": "\n".join(DEFAULT_UNITS)})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            agency = form.save()
            _sync_units(agency, form.cleaned_data["units"])
            record(request.user, agency, "agency.created", obj=agency, summary=agency.name_th)
        messages.success(request, _("Agency created."))
        return redirect("agency", agency_id=agency.pk)
    return render(request, "agencies/edit.html", {"form": form, "agency": None})


@login_required
def agency(request: HttpRequest, agency_id: int) -> HttpResponse:
    from ita.catalog.models import Framework

    access = get_agency_for_user(request.user, agency_id)
    assessments = list(access.agency.assessments.order_by("-fiscal_year"))
    started = {a.fiscal_year for a in assessments}
    framework_years = {fw.fiscal_year for fw in Framework.objects.all()}
    years = sorted(framework_years - started, reverse=True)
    return render(
        request,
        "agencies/agency.html",
        {
            "access": access,
            "agency": access.agency,
            "assessments": assessments,
            "years": years,
            "plan_years": sorted(framework_years, reverse=True),
        },
    )


def _sync_units(agency: Agency, units: list[tuple[str, str]]) -> dict[str, Any]:
    before = [[u.name, u.email] for u in agency.units.all()]
    after = [[name, email] for name, email in units]
    if before == after:
        return {}
    names = [name for name, _email in units]
    agency.units.exclude(name__in=names).delete()
    for position, (name, email) in enumerate(units):
        ResponsibleUnit.objects.update_or_create(
            agency=agency, name=name, defaults={"position": position, "email": email}
        )
    return {"units": [before, after]}


@login_required
def agency_settings(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = get_agency_for_user(request.user, agency_id, Need.ADMIN)
    agency = access.agency
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            changes = {
                name: [str(form.initial.get(name, "")), str(form.cleaned_data.get(name, ""))]
                for name in form.changed_data
                if name != "units"
            }
            form.save()
            changes.update(_sync_units(agency, form.cleaned_data["units"]))
            if changes:
                record(request.user, agency, "agency.updated", obj=agency, changes=changes)
        messages.success(request, _("Settings saved."))
        return redirect("agency", agency_id=agency.pk)
    return render(request, "agencies/edit.html", {"form": form, "agency": agency, "access": access})


def _admins(agency: Agency) -> int:
    return Membership.objects.filter(agency=agency, role=Role.ADMIN).count()


@login_required
def people(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = get_agency_for_user(request.user, agency_id, Need.ADMIN)
    agency = access.agency
    form = AddPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        User = get_user_model()
        with transaction.atomic():
            if data["exists"]:
                user = User.objects.get(username=data["username"])
            else:
                user = User.objects.create_user(
                    username=data["username"],
                    email=data.get("email") or "",
                    password=data["password"],
                )
                user.first_name = data.get("full_name") or ""
                user.save(update_fields=["first_name"])
                record(request.user, agency, "user.created", obj=user, summary=user.username)
            membership, created = Membership.objects.update_or_create(
                user=user, agency=agency, defaults={"role": data["role"]}
            )
            record(
                request.user, agency, "member.added" if created else "member.role_changed",
                obj=membership, summary=f"{user.username}: {membership.get_role_display()}",
            )  # fmt: skip
        messages.success(
            request, _("%(name)s now has a role in this agency.") % {"name": user.username}
        )
        return redirect("people", agency_id=agency.pk)
    members = (
        Membership.objects.filter(agency=agency)
        .select_related("user")
        .order_by("role", "user__username")
    )
    return render(
        request,
        "agencies/people.html",
        {
            "access": access,
            "agency": agency,
            "form": form,
            "members": members,
            "roles": Role.choices,
        },
    )


def _membership(agency: Agency, membership_id: int) -> Membership:
    membership = (
        Membership.objects.filter(agency=agency, pk=membership_id).select_related("user").first()
    )
    if membership is None:
        raise Http404("no such member")
    return membership


@login_required
@require_POST
def change_role(request: HttpRequest, agency_id: int, membership_id: int) -> HttpResponse:
    access = get_agency_for_user(request.user, agency_id, Need.ADMIN)
    membership = _membership(access.agency, membership_id)
    form = ChangeRoleForm(request.POST)
    if form.is_valid():
        role = form.cleaned_data["role"]
        if membership.role == Role.ADMIN and role != Role.ADMIN and _admins(access.agency) == 1:
            messages.error(request, _("An agency keeps at least one admin."))
        elif role != membership.role:
            with transaction.atomic():
                before = membership.role
                membership.role = role
                membership.save(update_fields=["role"])
                record(
                    request.user, access.agency, "member.role_changed", obj=membership,
                    summary=membership.user.username, changes={"role": [before, role]},
                )  # fmt: skip
            messages.success(request, _("Role changed."))
    return redirect("people", agency_id=access.agency.pk)


@login_required
def remove_person(request: HttpRequest, agency_id: int, membership_id: int) -> HttpResponse:
    access = get_agency_for_user(request.user, agency_id, Need.ADMIN)
    membership = _membership(access.agency, membership_id)
    last_admin = membership.role == Role.ADMIN and _admins(access.agency) == 1
    if request.method == "POST":
        if last_admin:
            messages.error(request, _("An agency keeps at least one admin."))
        else:
            with transaction.atomic():
                record(
                    request.user, access.agency, "member.removed", obj=membership,
                    summary=membership.user.username, changes={"role": [membership.role, None]},
                )  # fmt: skip
                membership.delete()
            messages.success(
                request,
                _("%(name)s no longer has a role in this agency.")
                % {"name": membership.user.username},
            )
        return redirect("people", agency_id=access.agency.pk)
    return render(
        request,
        "agencies/remove_person.html",
        {
            "access": access,
            "agency": access.agency,
            "membership": membership,
            "last_admin": last_admin,
        },
    )


@login_required
def audit_log(request: HttpRequest, agency_id: int) -> HttpResponse:
    access = get_agency_for_user(request.user, agency_id, Need.ADMIN)
    events = AuditEvent.objects.filter(agency=access.agency)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "agencies/audit.html", {"access": access, "agency": access.agency, "page": page}
    )


class LoginView(auth_views.LoginView):
    """Django's login, with a limit on failed attempts, and the demonstration accounts when
    this installation holds demo data."""

    template_name = "registration/login.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "").strip().lower()
        address = ratelimit.client_address(request)
        limit = settings.LOGIN_RATE_LIMIT
        if ratelimit.exhausted("login", limit, address) or ratelimit.exhausted(
            "login-user", limit, username
        ):
            record(None, None, "login.throttled", summary=username[:150])
            return render(
                request,
                "registration/login.html",
                {"throttled": True, "form": self.get_form()},
                status=429,
            )
        response = super().post(request, *args, **kwargs)
        if response.status_code != 302:  # a failed attempt counts against the address and name
            ratelimit.take("login", limit, address)
            ratelimit.take("login-user", limit, username)
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if not settings.PRODUCTION and Agency.objects.filter(is_demo=True).exists():
            from ita.demo.province import demo_accounts

            context["demo_accounts"] = demo_accounts()
        return context
