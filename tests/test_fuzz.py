"""Bad input, tried by machine: every reader of files people send us, and the public forms.

Each test feeds generated or damaged input to one entry point and holds it to the same rule:
no unhandled exception, a clear message, and nothing written when the input is refused.
Hypothesis's example counts (``max_examples``) are the fuzz cases each run tries; docs/security.md
lists them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ita.assessments import tables
from ita.assessments.models import Snapshot
from ita.audit.models import AuditEvent
from ita.catalog.loader import FrameworkError, frameworks_dir, get_framework, parse_framework
from ita.importers import DocumentError, import_bytes, readers
from ita.scoring.inputs import TableError
from ita.scoring.spec import ScoringSpec
from ita.surveys.models import Response
from ita.surveys.results import questionnaire_of
from tests.conftest import World
from tests.surveys_support import Respondent, Surveys, answers_for, surveys
from tests.test_import_formats import build_docx, build_pdf, build_xlsx

__all__ = ["surveys"]

FUZZ = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
}
YEAR = 2568


@cache
def spec() -> ScoringSpec:
    return ScoringSpec.from_framework(get_framework(YEAR))


def one_line(message: str) -> None:
    """A refusal reads as one Thai/English line (the importers' convention)."""
    assert message.strip() and "\n" not in message and "Traceback" not in message


# --- damage: random edits, kept apart from the original so a failing case prints short ------

# An edit: where (a fraction of the length), what, how much, and what to put in.
byte_edits = st.lists(
    st.tuples(
        st.floats(0, 1),
        st.sampled_from(["cut", "overwrite", "insert", "truncate"]),
        st.integers(1, 2000),
        st.binary(min_size=1, max_size=64),
    ),
    min_size=1,
    max_size=6,
)
line_edits = st.lists(
    st.tuples(
        st.floats(0, 1),
        st.sampled_from(["drop", "replace", "insert", "indent", "swap"]),
        st.integers(1, 30),
        st.text(max_size=40),
    ),
    min_size=1,
    max_size=5,
)


def damage_bytes(original: bytes, edits: list[tuple[float, str, int, bytes]]) -> bytes:
    data = bytearray(original)
    for where, action, size, chunk in edits:
        at = int(where * len(data))
        if action == "cut":
            del data[at : at + size]
        elif action == "overwrite":
            data[at : at + len(chunk)] = chunk
        elif action == "insert":
            data[at:at] = chunk
        else:
            del data[at:]
    return bytes(data)


def damage_lines(original: str, edits: list[tuple[float, str, int, str]]) -> str:
    lines = original.splitlines(keepends=True)
    for where, action, size, noise in edits:
        if not lines:
            lines = [noise]
            continue
        at = min(int(where * len(lines)), len(lines) - 1)
        if action == "drop":
            del lines[at : at + size]
        elif action == "replace":
            line = lines[at]
            cut = min(size, len(line))
            lines[at] = line[:cut] + noise + "\n"
        elif action == "insert":
            lines.insert(at, noise + "\n")
        elif action == "indent":
            lines[at] = " " * (size % 6) + lines[at]
        else:
            other = size % len(lines)
            lines[at], lines[other] = lines[other], lines[at]
    return "".join(lines)


# --- framework YAML -----------------------------------------------------------------------


@cache
def framework_text(year: int) -> str:
    return (frameworks_dir() / f"ita-{year}.yaml").read_text(encoding="utf-8")


@settings(max_examples=300, **FUZZ)  # type: ignore[arg-type]
@given(st.sampled_from([2563, 2566, 2568]), line_edits)
def test_a_damaged_framework_file_is_refused_with_its_path(
    year: int, edits: list[tuple[float, str, int, str]]
) -> None:
    try:
        parse_framework(damage_lines(framework_text(year), edits), "fuzz.yaml")
    except FrameworkError as exc:
        message = str(exc)
        assert message.startswith("fuzz.yaml") and "Traceback" not in message


@settings(max_examples=200, **FUZZ)  # type: ignore[arg-type]
@given(st.text(max_size=300) | st.binary(max_size=300).map(lambda b: b.decode("latin-1")))
def test_arbitrary_text_as_a_framework_file_is_refused_with_its_path(text: str) -> None:
    with pytest.raises(FrameworkError, match=r"^fuzz\.yaml"):
        parse_framework(text, "fuzz.yaml")


# --- results tables (CSV, XLSX) -----------------------------------------------------------

CODES = ["I1", "I9", "E1", "E15", "O1", "O33", "1", "10", "I99", "X1", "", "ก1"]
KINDS = ["indicator", "item", "finding", "oit", "ตัวชี้วัด", "ข้อ", "", "x"]
cells = st.one_of(
    st.sampled_from(CODES),
    st.sampled_from(KINDS),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(min_value=-1000, max_value=1000, places=3).map(str),
    st.sampled_from(["๘๗.๘๖", "มี", "ไม่มี", "1", "0", "=1+1", "100", "-0", "1e3", " 50 "]),
    st.text(max_size=20),
)
headers = st.lists(
    st.sampled_from(list(tables.COLUMNS) + [tables.HEADERS_TH[c] for c in tables.COLUMNS] + ["x"]),
    max_size=7,
)
results_tables = st.builds(
    lambda header, rows: [header, *rows],
    headers,
    st.lists(st.lists(cells, max_size=8), max_size=30),
)


def as_csv(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


def as_xlsx(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: str) -> Any:
    try:
        number = float(value)
    except ValueError:
        # Characters XML cannot hold are what openpyxl itself refuses to write.
        return "".join(c for c in value if c.isprintable())
    return number if number == number and abs(number) != float("inf") else value


def read_table(name: str, data: bytes) -> None:
    """Read and check a results table: it parses, or it is refused with every fault listed."""
    refusal: TableError | None = None
    try:
        parsed = tables.parse_results(tables.read_upload(name, data), spec())
    except TableError as exc:
        refusal = exc
    if refusal is not None:
        assert refusal.errors
        for error in refusal.errors:
            one_line(error.th)
            one_line(error.en)
        return
    for score in [*parsed.indicators.values(), *(i.score for i in parsed.items.values())]:
        assert score is None or 0 <= score <= 100


@settings(max_examples=400, **FUZZ)  # type: ignore[arg-type]
@given(results_tables, st.sampled_from(["utf-8", "utf-8-sig", "cp874"]))
def test_a_generated_csv_is_read_or_refused_with_every_fault(
    rows: list[list[str]], encoding: str
) -> None:
    read_table("fuzz.csv", as_csv(rows, encoding))


@settings(max_examples=150, **FUZZ)  # type: ignore[arg-type]
@given(results_tables)
def test_a_generated_xlsx_is_read_or_refused_with_every_fault(rows: list[list[str]]) -> None:
    read_table("fuzz.xlsx", as_xlsx(rows))


@cache
def template_xlsx() -> bytes:
    return as_xlsx(
        [["kind", "code", "score"], ["indicator", "1", "93.94"], ["item", "E1", "74.62"]]
    )


@settings(max_examples=300, **FUZZ)  # type: ignore[arg-type]
@given(
    st.one_of(
        byte_edits.map(lambda edits: damage_bytes(template_xlsx(), edits)),
        st.binary(max_size=2000),
    ),
    st.sampled_from(["fuzz.xlsx", "fuzz.csv", "fuzz.txt", "FUZZ.XLSX"]),
)
@example(b"\r\x00", "fuzz.csv")  # a lone carriage return once reached csv as an error
def test_damaged_or_random_bytes_as_an_upload_are_refused_with_a_message(
    data: bytes, name: str
) -> None:
    read_table(name, data)


# --- the upload page: nothing saved unless the whole file is valid -------------------------


@pytest.mark.django_db
@settings(max_examples=60, **FUZZ)  # type: ignore[arg-type]
@given(
    st.one_of(
        results_tables.map(lambda rows: ("fuzz.csv", as_csv(rows))),
        results_tables.map(lambda rows: ("fuzz.xlsx", as_xlsx(rows))),
        st.binary(max_size=500).map(lambda b: ("fuzz.xlsx", b)),
    )
)
def test_the_upload_page_saves_a_whole_valid_file_or_nothing(
    world: World, upload: tuple[str, bytes]
) -> None:
    name, data = upload
    assessment = world.assessment_a
    before = (Snapshot.objects.count(), AuditEvent.objects.count(), assessment.item_scores.count())
    url = reverse("upload", kwargs={"agency_id": world.a.pk, "year": world.year})
    response = world.client("bob").post(url, {"file": SimpleUploadedFile(name, data)})
    after = (Snapshot.objects.count(), AuditEvent.objects.count(), assessment.item_scores.count())
    if response.status_code == 302:  # saved in one step (or nothing to change)
        assert after == before or (after[0] == before[0] + 1 and after[1] == before[1] + 1)
    else:
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode() or "error" in response.content.decode()
        assert after == before


# --- documents people already have (ita import): DOCX, XLSX, PDF ---------------------------


@cache
def sample_documents(folder: str) -> dict[str, bytes]:
    root = Path(folder)
    paths = {"docx": root / "a.docx", "xlsx": root / "a.xlsx", "pdf": root / "a.pdf"}
    build_docx(paths["docx"], ScoringSpec.from_framework(get_framework(2565)))
    build_xlsx(paths["xlsx"], ScoringSpec.from_framework(get_framework(2565)))
    build_pdf(paths["pdf"], YEAR)
    return {kind: path.read_bytes() for kind, path in paths.items()}


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return sample_documents(str(tmp_path_factory.mktemp("fuzz-documents")))


def import_or_refuse(data: bytes) -> None:
    try:
        result = import_bytes(data)
    except DocumentError as exc:
        one_line(str(exc))
        return
    data_out = result.to_json()
    assert all(0 <= v <= 100 for v in data_out["indicators"].values())
    assert all(0 <= v <= 100 for v in data_out["items"].values())


@pytest.mark.parametrize(
    ("kind", "examples"), [("docx", 120), ("xlsx", 120), ("pdf", 40)], ids=["docx", "xlsx", "pdf"]
)
def test_a_damaged_document_is_read_or_refused_in_one_line(
    documents: dict[str, bytes], kind: str, examples: int
) -> None:
    @settings(max_examples=examples, **FUZZ)  # type: ignore[arg-type]
    @given(byte_edits)
    def attempt(edits: list[tuple[float, str, int, bytes]]) -> None:
        import_or_refuse(damage_bytes(documents[kind], edits))

    attempt()


@settings(max_examples=200, **FUZZ)  # type: ignore[arg-type]
@given(
    st.binary(max_size=3000)
    | st.sampled_from([b"%PDF-1.7\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0"]).flatmap(
        lambda head: st.binary(max_size=2000).map(lambda tail: head + tail)
    )
)
def test_random_bytes_as_a_document_are_refused_in_one_line(data: bytes) -> None:
    import_or_refuse(data)


def test_a_docx_that_inflates_beyond_the_limit_is_refused_unread() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" * (readers.MAX_UNZIPPED_BYTES + 1))
    packed = buffer.getvalue()
    assert len(packed) < 1024 * 1024  # a small file that would unpack beyond the limit
    with pytest.raises(DocumentError, match="unzipped"):
        import_bytes(packed)


# --- public forms: the survey form and the login ------------------------------------------

field_values = st.one_of(
    st.integers(-5, 300).map(str),
    st.text(max_size=30),
    st.sampled_from(["", "0", "1", "๑", "1.5", "-1", "9" * 40, "\x00", "<script>", "' OR 1=1"]),
)


@pytest.mark.django_db
@settings(max_examples=120, **FUZZ)  # type: ignore[arg-type]
@given(
    st.booleans(),
    st.dictionaries(
        st.sampled_from([f"a{i}" for i in range(40)] + ["code", "k", "website", "x", "a-1"]),
        field_values,
        max_size=45,
    ),
)
def test_the_public_survey_form_answers_any_post_cleanly(
    surveys: Surveys, complete: bool, fields: dict[str, str]
) -> None:
    """Random fields, alone or over a complete valid answer set: a page, never an error."""
    from django.core.cache import cache as django_cache

    django_cache.clear()  # the public rate limit is tested in test_surveys_intake
    before = Response.objects.count()
    answers = answers_for(surveys.staff, [0, 1, 2, 3]) if complete else None
    sent = Respondent().send(surveys.slug(surveys.staff), answers, extra=fields)
    stored = Response.objects.count() - before
    assert sent.status in {200, 303, 400, 409, 429}
    assert stored in {0, 1}
    if stored:  # only a complete set of valid answers is kept, as one row
        assert sent.status == 303
        row = Response.objects.order_by("-submitted_on").first()
        assert row is not None
        limits = questionnaire_of(surveys.staff).limits
        chosen = bytes(row.answers)
        assert len(chosen) == len(limits)
        assert all(b < limit for b, limit in zip(chosen, limits, strict=True))


@pytest.mark.django_db
@settings(max_examples=60, **FUZZ)  # type: ignore[arg-type]
@given(st.text(max_size=200), st.text(max_size=200))
def test_the_login_form_answers_any_post_cleanly(
    world: World, username: str, password: str
) -> None:
    from django.core.cache import cache as django_cache

    django_cache.clear()  # the limit on failed logins is tested elsewhere
    client = Client()
    response = client.post(
        reverse("login"), {"username": username.replace("\x00", ""), "password": password}
    )
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
@settings(max_examples=80, **FUZZ)  # type: ignore[arg-type]
@given(st.text(min_size=1, max_size=80).filter(lambda s: "/" not in s and s.strip()))
def test_any_survey_slug_gives_a_page_or_not_found(world: World, slug: str) -> None:
    response = Client().get(f"/s/{quote(slug, safe='')}/")
    assert response.status_code in {200, 404}


# --- oversized requests: refused before the body is read -----------------------------------


def _declared(client: Client, path: str, size: int) -> Any:
    body = b"x" * 16  # what is declared counts, not what arrives
    return client.generic("POST", path, body, content_type="text/plain", CONTENT_LENGTH=str(size))


@pytest.mark.django_db
def test_a_request_larger_than_the_limit_is_refused_before_it_is_read(world: World) -> None:
    from django.conf import settings as django_settings

    url = reverse("upload", kwargs={"agency_id": world.a.pk, "year": world.year})
    response = _declared(world.client("bob"), url, django_settings.MAX_REQUEST_BYTES + 1)
    assert response.status_code == 413
    assert "ใหญ่เกินไป" in response.content.decode()
    assert Snapshot.objects.count() == 0


@pytest.mark.django_db
def test_public_pages_take_small_forms_only(surveys: Surveys) -> None:
    from django.conf import settings as django_settings

    slug = surveys.slug(surveys.staff)
    limit = django_settings.MAX_PUBLIC_REQUEST_BYTES
    assert _declared(Client(), f"/s/{slug}/", limit + 1).status_code == 413
    assert _declared(Client(), reverse("login"), limit + 1).status_code == 413
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_an_upload_just_over_five_megabytes_is_refused_with_a_message(world: World) -> None:
    url = reverse("upload", kwargs={"agency_id": world.a.pk, "year": world.year})
    big = SimpleUploadedFile("big.csv", b"kind,code,score\n" + b"x" * (tables.MAX_UPLOAD_BYTES + 1))
    response = world.client("bob").post(url, {"file": big})
    assert response.status_code == 200
    assert "5 MB" in response.content.decode()
    assert Snapshot.objects.count() == 0
