"""Addresses of the OIT pages: an agency's year (under /agencies/<id>/<year>/oit/), and public."""

from __future__ import annotations

from django.urls import path

from ita.oit import views

agency_patterns = [
    path("", views.checklist, name="oit"),
    path("items/<str:code>/", views.item, name="oit-item"),
    path("check/", views.check, name="oit-check"),
    path("checks/<int:job_id>/", views.run, name="oit-run"),
    path("files/<int:file_id>/", views.evidence_file, name="oit-file"),
    path("files/<int:file_id>/delete/", views.delete_file, name="oit-file-delete"),
    path("itas.xlsx", views.itas_sheet, name="oit-xlsx"),
    path("publish/", views.publish, name="oit-publish"),
]

public_patterns = [
    path("<str:token>/", views.public, name="oit-public"),
]
