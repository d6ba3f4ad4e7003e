"""The CSV export opened in LibreOffice Calc the way the README tells a coordinator to.

The README says: File > Open, Character set "Unicode (UTF-8)", Separator Comma; from a
terminal `soffice --infilter="CSV:44,34,76,1" cohort.csv`. Here LibreOffice (Debian's
`libreoffice-calc-nogui`) opens the export with that very filter and saves what it read as
.xlsx, whose cells (type, value, formula) are read back with zipfile and ElementTree.
Without `soffice` the tests skip; under CI (CI=true) that is a failure.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.store.fixtures import unavailable
from tests.store.helpers import play_plain, run_cli

# The README's settings: separator 44 (comma), text delimiter 34 ("), character set 76
# (UTF-8), data from line 1.
README_FILTER = "CSV:44,34,76,1"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ZOE = "Zoë Ødegård"
COMMAND = "+cmd|' /C calc'!A0"


@pytest.fixture
def calc() -> str:
    """The `soffice` program; asked for first, so that nothing is built when it is missing."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        unavailable("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    assert found is not None
    return found


def open_in_calc(calc: str, tmp_path: Path, *files: Path, infilter: str | None) -> list[Path]:
    """Open each CSV in headless Calc and save what it shows as .xlsx; return those files."""
    out = tmp_path / f"calc-{len(list(tmp_path.glob('calc-*')))}"
    command = [
        calc,
        # A profile of this test's own: two runs (or pytest -n workers) never share one.
        f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
        "--headless",
        "--norestore",
        *([f"--infilter={infilter}"] if infilter else []),
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
        *map(str, files),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        stdout, stderr = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # soffice is a script; soffice.bin is its child
        process.communicate()
        pytest.fail("LibreOffice did not convert the CSV within 120 seconds")
    converted = [out / f"{f.stem}.xlsx" for f in files]
    missing = [p.name for p in converted if not p.exists()]
    assert not missing, f"LibreOffice wrote no {missing}: {stdout}{stderr}"
    return converted


def cells(xlsx: Path) -> dict[str, tuple[str | None, str | None, str | None]]:
    """Every cell of the first sheet: reference -> (type, value as shown, formula)."""
    with zipfile.ZipFile(xlsx) as book:
        names = book.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            for item in ElementTree.fromstring(book.read("xl/sharedStrings.xml")):
                shared.append("".join(t.text or "" for t in item.iter(f"{MAIN}t")))
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    found = {}
    for cell in sheet.iter(f"{MAIN}c"):
        kind, value, formula = cell.get("t"), cell.find(f"{MAIN}v"), cell.find(f"{MAIN}f")
        text = value.text if value is not None else None
        if kind == "s" and text is not None:
            text = shared[int(text)]
        elif kind == "inlineStr":
            text = "".join(t.text or "" for t in cell.iter(f"{MAIN}t"))
        found[cell.get("r", "")] = (kind, text, formula.text if formula is not None else None)
    return found


def reference(row: int, column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row + 1}"


def grid(found: dict) -> tuple[int, int]:
    """Rows and columns that hold something (the sheet's used range)."""
    rows = cols = 0
    for ref in found:
        letters = ref.rstrip("0123456789")
        col = 0
        for letter in letters:
            col = col * 26 + ord(letter) - ord("A") + 1
        rows, cols = max(rows, int(ref[len(letters) :])), max(cols, col)
    return rows, cols


@pytest.fixture
def exported(cohort, library_dir, tmp_path) -> Path:
    """The cohort (with `=HYPERLINK("x")` as a name) and two more: a name in letters beyond
    ASCII and a name that is a DDE command; all of them, in progress included, as CSV."""
    play_plain(library_dir, cohort, ["z-1", ZOE, "", "2", "3", "", "good", "keep", "x"])
    play_plain(library_dir, cohort, ["c-5", COMMAND, "", "2", "3", "", "good", "keep", "x"])
    out = tmp_path / "cohort.csv"
    result = run_cli(
        "records", "export", "--db", cohort, "--format", "csv", "--out", str(out),
        "--include-incomplete", "--library", str(library_dir),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out


def written(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")))


def test_calc_shows_every_cell_of_the_export_as_written(calc, exported, tmp_path):
    table = written(exported)
    [xlsx] = open_in_calc(calc, tmp_path, exported, infilter=README_FILTER)
    shown = cells(xlsx)
    assert grid(shown) == (len(table), len(table[0]))  # no row or column more or fewer
    assert not {ref: c for ref, c in shown.items() if c[2] is not None}  # no formula cell
    for r, row in enumerate(table):
        assert len(row) == len(table[0])
        for c, text in enumerate(row):
            kind, value, _ = shown.get(reference(r, c), (None, None, None))
            where = f"{reference(r, c)} ({table[0][c]}): {text!r} shown as {kind} {value!r}"
            if text == "":
                assert value is None, where
            elif kind == "n":  # Calc reads numbers as numbers (0.0 shows as 0)
                assert float(value or "nan") == float(text), where
            elif kind == "b":  # and true/false as TRUE/FALSE
                assert (value, text) in {("1", "true"), ("0", "false")}, where
            else:  # every text exactly as written: names, ids, times, what is missing
                assert (kind, value) == ("s", text), where
    names = {shown[reference(r, 0)][1]: shown[reference(r, 1)][1] for r in range(1, len(table))}
    assert names["z-1"] == ZOE  # not ZoÃ« Ã˜degÃ¥rd
    assert names["m-2"] == '\'=HYPERLINK("x")'  # text with the guard's ' in sight; no link
    assert names["c-5"] == "'" + COMMAND
    assert shown["A1"] == ("s", "participant_id", None)  # the byte-order mark is not in it
    assert not any("Ã" in (value or "") for _, value, _ in shown.values())


def test_without_the_guard_calc_would_run_the_name_as_a_formula(calc, exported, tmp_path):
    """The check above can fail: the same file with the guard's ' taken out is run by Calc."""
    table = written(exported)
    unguarded = tmp_path / "unguarded.csv"
    with unguarded.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows([[cell.removeprefix("'") for cell in row] for row in table])
    [xlsx] = open_in_calc(calc, tmp_path, unguarded, infilter=README_FILTER)
    shown = cells(xlsx)
    row = next(r for r, line in enumerate(table) if line[0] == "m-2")
    assert shown[reference(row, 1)][2] == 'HYPERLINK("x")'


def test_calc_by_default_misreads_the_names_as_the_readme_warns(calc, exported, tmp_path):
    """The README asks for "Unicode (UTF-8)" because Calc's default does not honour the
    byte-order mark. If this fails, a newer LibreOffice reads the file right by itself:
    the README's paragraph "Opening the CSV" can then say so."""
    [xlsx] = open_in_calc(calc, tmp_path, exported, infilter=None)
    shown = cells(xlsx)
    table = written(exported)
    row = next(r for r, line in enumerate(table) if line[0] == "z-1")
    assert shown[reference(row, 1)][1] == "ZoÃ« Ã˜degÃ¥rd"
    assert shown["A1"][1] == "ï»¿participant_id"  # the mark, read as three letters
