from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ita.agencies import views as agencies
from ita.assessments.views import dashboard, entry
from ita.catalog import views as catalog
from ita.documents import views as documents
from ita.imports import views as imports
from ita.jobs import views as jobs
from ita.measures import views as measures
from ita.oit import urls as oit
from ita.supervision import urls as supervision
from ita.surveys import urls as surveys

agency_urls = [
    path("", agencies.agency, name="agency"),
    path("settings/", agencies.agency_settings, name="agency-settings"),
    path("people/", agencies.people, name="people"),
    path("people/<int:membership_id>/role/", agencies.change_role, name="change-role"),
    path("people/<int:membership_id>/remove/", agencies.remove_person, name="remove-person"),
    path("audit/", agencies.audit_log, name="audit-log"),
    path("import/", imports.import_document, name="import-document"),
    path("import/save/", imports.import_save, name="import-save"),
    path("<int:year>/", dashboard.dashboard, name="dashboard"),
    path("<int:year>/start/", entry.start, name="start-assessment"),
    path("<int:year>/results/<str:part>/", entry.results, name="results"),
    path("<int:year>/upload/", entry.upload, name="upload"),
    path("<int:year>/template.<str:fmt>", entry.template, name="results-template"),
    path("<int:year>/history/", entry.history, name="history"),
    path("<int:year>/whatif/", dashboard.whatif, name="whatif"),
    path("<int:year>/charts/<str:name>.svg", dashboard.chart, name="chart"),
    path("<int:year>/report/", documents.report, name="analysis-report"),
    path("<int:year>/report/analysis.<str:fmt>", documents.download, name="analysis-report-file"),
    path("<int:year>/measures/", measures.plan, name="plan"),
    path("<int:year>/measures/proposals/", measures.proposals, name="proposals"),
    path("<int:year>/measures/new/", measures.measure_new, name="measure-new"),
    path("<int:year>/measures/<int:measure_id>/", measures.measure_edit, name="measure"),
    path(
        "<int:year>/measures/<int:measure_id>/delete/",
        measures.measure_delete,
        name="measure-delete",
    ),
    path("<int:year>/measures/<int:measure_id>/progress/", measures.progress, name="progress"),
    path("<int:year>/measures/issues/<int:number>/", measures.issue, name="plan-issue"),
    path("<int:year>/measures/mapping/", measures.mapping, name="issue-mapping"),
    path("<int:year>/measures/copy/", measures.copy_forward, name="copy-forward"),
    path("<int:year>/measures/snapshot/<str:kind>/", measures.snapshot, name="plan-snapshot"),
    path("<int:year>/measures/remind/", measures.remind, name="remind"),
    path(
        "<int:year>/measures/evidence/<int:evidence_id>/",
        measures.evidence_file,
        name="evidence-file",
    ),
    path("<int:year>/measures/<str:kind>.<str:fmt>", measures.document, name="plan-document"),
]

urlpatterns = [
    path("s/", include(surveys.public_patterns)),  # first: respondents' pages resolve fastest
    path("", agencies.home, name="home"),
    path("setup/", agencies.setup, name="setup"),
    path("accounts/login/", agencies.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("agencies/", agencies.agency_list, name="agencies"),
    path("agencies/new/", agencies.agency_create, name="agency-create"),
    path("agencies/<int:agency_id>/", include(agency_urls)),
    path("agencies/<int:agency_id>/<int:year>/surveys/", include(surveys.agency_patterns)),
    path("agencies/<int:agency_id>/<int:year>/oit/", include(oit.agency_patterns)),
    path("p/oit/", include(oit.public_patterns)),
    path("supervision/", include(supervision)),
    path("jobs/<int:job_id>/", jobs.job, name="job"),
    path("jobs/<int:job_id>/file/", jobs.job_file, name="job-file"),
    path("frameworks/", catalog.index, name="frameworks"),
    path("frameworks/<int:year>/", catalog.framework, name="framework"),
    path("frameworks/<int:year>/<str:section>/", catalog.framework, name="framework-section"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
