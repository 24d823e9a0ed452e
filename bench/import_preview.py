"""Benchmark: reading a document and showing its preview on the web, per file, and one save.

Run: .venv/bin/python bench/import_preview.py [--repeat 5]

The import page reads the uploaded file inside the request (no background job); this measures
whether that holds for the files agencies have: the three seed texts, the DOCX and XLSX of
tests/test_import_formats.py, and a results report PDF of at least 20 pages (the PDF builder of
those tests, its rows repeated). For each file: the importer alone (``import_bytes``), and the
whole request — upload through Django's test client, read, render the preview page beside the
source text. Then seed S1's preview is saved (scores and four measures, one transaction).
Wall-clock and CPU time (``time.process_time``) are both recorded, median of ``--repeat`` warm
runs after one cold run; the database is a temporary SQLite file. Goal: a 20-page PDF's
preview in under 3 s of CPU on this machine, else the import would have to be a background job.
Writes bench/results/import-preview.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "import-preview.json"
GOAL_CPU_S = 3.0  # the 20-page PDF's preview, in the request
MIN_PAGES = 20


def _pdf_of_pages(path: Path, pages: int) -> int:
    """Write a results report PDF of at least ``pages`` pages; return its page count."""
    from weasyprint import HTML

    from tests.test_import_formats import results_report_html

    repeat = 1
    while True:
        document = HTML(string=results_report_html(2568, repeat)).render()
        if len(document.pages) >= pages:
            document.write_pdf(str(path))
            return len(document.pages)
        repeat += 1


def _timed(run: Callable[[], Any], repeat: int) -> dict[str, float]:
    t, c = time.perf_counter(), time.process_time()
    run()
    cold = (time.perf_counter() - t, time.process_time() - c)
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return {
        "cold_s": round(cold[0], 3),
        "cold_cpu_s": round(cold[1], 3),
        "warm_median_s": round(statistics.median(wall), 3),
        "warm_median_cpu_s": round(statistics.median(cpu), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ita-bench-import-"))
    os.environ["ITA_DATA_DIR"] = str(work / "data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from ita.agencies.models import Agency, AgencyType, Membership, Role
    from ita.catalog.loader import get_framework
    from ita.catalog.services import sync_frameworks
    from ita.importers import import_bytes
    from ita.scoring.spec import ScoringSpec
    from tests.test_import_formats import build_docx, build_xlsx
    from tests.test_import_web import S0, S1, S2, FormReader

    setup_test_environment()
    call_command("migrate", verbosity=0)
    sync_frameworks()
    user = get_user_model().objects.create_user(username="bench")

    def new_agency() -> Agency:
        agency = Agency.objects.create(
            name_th="องค์การบริหารส่วนตำบลทดสอบ", agency_type=AgencyType.SAO
        )
        Membership.objects.create(user=user, agency=agency, role=Role.EDITOR)
        return agency

    agency = new_agency()
    client = Client()
    client.force_login(user)
    spec = ScoringSpec.from_framework(get_framework(2565))
    files: dict[str, Path] = {"seed S0 (text)": S0, "seed S1 (text)": S1, "seed S2 (text)": S2}
    files["analysis (DOCX)"] = work / "analysis.docx"
    build_docx(files["analysis (DOCX)"], spec)
    files["analysis (XLSX)"] = work / "analysis.xlsx"
    build_xlsx(files["analysis (XLSX)"], spec)
    pdf = work / "results.pdf"
    pages = _pdf_of_pages(pdf, MIN_PAGES)
    files[f"results report (PDF, {pages} pages)"] = pdf

    load_before = os.getloadavg()
    figures: dict[str, Any] = {}
    url = reverse("import-document", kwargs={"agency_id": agency.pk})
    for label, path in files.items():
        data = path.read_bytes()
        doc = import_bytes(data)

        def preview(data: bytes = data, name: str = path.name) -> None:
            response = client.post(url, {"file": SimpleUploadedFile(name, data)})
            assert response.status_code == 200
            assert b"import-preview" in response.content

        figures[label] = {
            "bytes": len(data),
            "measures": len(doc.measures),
            "source_lines": len(doc.source_lines),
            "import": _timed(lambda data=data: import_bytes(data), args.repeat),  # type: ignore[misc]
            "upload_and_preview": _timed(preview, args.repeat),
        }

    def save() -> None:
        target = new_agency()
        response = client.post(
            reverse("import-document", kwargs={"agency_id": target.pk}),
            {"file": SimpleUploadedFile(S1.name, S1.read_bytes())},
        )
        reader = FormReader(reverse("import-save", kwargs={"agency_id": target.pk}))
        reader.feed(response.content.decode())
        fields = dict(reader.fields)
        for index, number in enumerate([5, 3, 7, 7]):
            fields[f"m-{index}-issue"] = str(number)
        done = client.post(reverse("import-save", kwargs={"agency_id": target.pk}), fields)
        assert done.status_code == 302

    figures["seed S1: upload, preview and save (scores + 4 measures)"] = _timed(save, args.repeat)
    load_after = os.getloadavg()
    pdf_label = f"results report (PDF, {pages} pages)"
    cpu = figures[pdf_label]["upload_and_preview"]["warm_median_cpu_s"]
    result = {
        "name": "import-preview",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "system": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(),
            "load_average_before": [round(v, 2) for v in load_before],
            "load_average_after": [round(v, 2) for v in load_after],
        },
        "command": f".venv/bin/python bench/import_preview.py --repeat {args.repeat}",
        "figures": figures,
        "goal": {
            "pdf_preview_cpu_s": {"target": GOAL_CPU_S, "cpu_median": cpu, "met": cpu < GOAL_CPU_S}
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
