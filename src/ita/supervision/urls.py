"""URLs of the supervision pages (included under ``supervision/``)."""

from django.urls import path

from ita.supervision import views

urlpatterns = [
    path("", views.index, name="supervision"),
    path("import/", views.bulk_import, name="supervision-import"),
    path("import/template.<str:fmt>", views.import_template, name="supervision-import-template"),
    path("rescore/<int:year>/", views.rescore_year, name="supervision-rescore"),
    path("<str:scope>/<int:year>/", views.overview, name="supervision-overview"),
    path("<str:scope>/<int:year>/ranking/", views.ranking, name="supervision-ranking"),
    path("<str:scope>/<int:year>/heatmap/", views.heatmap, name="supervision-heatmap"),
    path("<str:scope>/<int:year>/missing/", views.missing, name="supervision-missing"),
    path("<str:scope>/<int:year>/export.<str:fmt>", views.export, name="supervision-export"),
    path("<str:scope>/<int:year>/reports/", views.reports, name="supervision-reports"),
]
