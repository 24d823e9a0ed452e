"""Addresses of surveys: the public form under /s/, and an agency's surveys of a year."""

from django.urls import path

from ita.surveys.views import interview, manage, public, results

public_patterns = [
    path("<str:slug>/", public.respond, name="survey-form"),
    path("<str:slug>/thanks/", public.thanks, name="survey-thanks"),
]

agency_patterns = [
    path("", manage.campaigns, name="surveys"),
    path("<str:tool>/", manage.campaign, name="survey"),
    path("<str:tool>/settings/", manage.edit, name="survey-edit"),
    path("<str:tool>/link/", manage.link, name="survey-link"),
    path("<str:tool>/qr.<str:fmt>", manage.qr, name="survey-qr"),
    path("<str:tool>/poster.pdf", manage.poster, name="survey-poster"),
    path("<str:tool>/codes/", manage.codes, name="survey-codes"),
    path("<str:tool>/codes/slips.pdf", manage.slips, name="survey-slips"),
    path("<str:tool>/interview/", interview.interview, name="survey-interview"),
    path("<str:tool>/results/", results.results, name="survey-results"),
    path("<str:tool>/export.<str:fmt>", results.export, name="survey-export"),
]
