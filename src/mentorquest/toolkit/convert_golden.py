"""Golden walks recorded for the bundled library, turned into transcript tests.

The bundled library's golden walks were kept as `tests/library/paths/<scenario>.yaml`:

    scenario: first-meeting
    paths:
      best: {choices: [...], ending: ..., ending_kind: strong, percent: 100, passed: true}

This turns each such file into `<scenario>.test.yaml`, one case per recorded path, with
the same expectations (and `critical` when a path records it), so that the library keeps
its golden walks beside its scenarios and `mentorquest test` runs them:

    python -m mentorquest.toolkit.convert_golden tests/library/paths scenarios

An existing `*.test.yaml` is left alone unless `--force` is given.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from mentorquest.errors import MentorquestError, UsageError, print_error
from mentorquest.toolkit import schemas
from mentorquest.toolkit.yamltext import scalar

_EXPECTATIONS = ("ending", "ending_kind", "percent", "passed", "critical")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(scalar(str(v)) for v in value) + "]"
    return scalar(str(value))


def transcript_text(golden: dict[str, Any], where: str, pointer: str | None) -> str:
    """The transcript test of one golden-walk file's data; UsageError if it is not one."""
    scenario = golden.get("scenario") if isinstance(golden, dict) else None
    paths = golden.get("paths") if isinstance(golden, dict) else None
    if not isinstance(scenario, str) or not isinstance(paths, dict) or not paths:
        raise UsageError(f"{where}: not a golden-walk file (it needs 'scenario' and 'paths')")
    out = [pointer] if pointer else []
    out += [
        f"# The golden walks of '{scenario}', converted from {Path(where).name} by",
        "# python -m mentorquest.toolkit.convert_golden; run them with mentorquest test.",
        f"scenario: {scalar(scenario)}",
        "cases:",
    ]
    for name, spec in paths.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("choices"), list):
            raise UsageError(f"{where}: path '{name}' has no list of 'choices'")
        out.append(f"  - name: {scalar(str(name))}")
        out.append(f"    path: {_value(spec['choices'])}")
        out.append("    expect:")
        expected = [key for key in _EXPECTATIONS if key in spec]
        if not expected:
            raise UsageError(f"{where}: path '{name}' records nothing to expect")
        for key in expected:
            out.append(f"      {key}: {_value(spec[key])}")
    return "\n".join(out) + "\n"


def convert(source: Path, target: Path, *, force: bool = False) -> list[Path]:
    """Convert every golden-walk file in `source` into a transcript test in `target`."""
    if not source.is_dir():
        raise UsageError(f"{source}: no such folder")
    files = sorted(source.glob("*.yaml"))
    if not files:
        raise UsageError(f"{source}: no golden-walk files (*.yaml) in it")
    target.mkdir(parents=True, exist_ok=True)
    schema_folder = schemas.find_schemas(target) or (
        target.parent / schemas.FOLDER
        if (target.parent / schemas.FOLDER / schemas.FILES["transcript"]).is_file()
        else None
    )
    written = []
    for file in files:
        try:
            golden = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise UsageError(f"{file}: cannot be read: {error}") from None
        scenario = golden.get("scenario") if isinstance(golden, dict) else None
        out = target / f"{scenario or file.stem}.test.yaml"
        pointer = (
            schemas.pointer(out, schema_folder, "transcript") if schema_folder is not None else None
        )
        text = transcript_text(golden, str(file), pointer)
        if out.exists() and not force:
            raise UsageError(f"{out} already exists; give --force to replace it")
        out.write_text(text, encoding="utf-8")
        written.append(out)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m mentorquest.toolkit.convert_golden",
        description="Turn recorded golden walks (tests/library/paths/*.yaml) into "
        "transcript tests (<scenario>.test.yaml) that 'mentorquest test' runs.",
    )
    parser.add_argument("source", type=Path, help="the folder of golden-walk files")
    parser.add_argument("target", type=Path, help="the folder to write *.test.yaml into")
    parser.add_argument("--force", action="store_true", help="replace existing *.test.yaml")
    args = parser.parse_args(argv)
    try:
        written = convert(args.source, args.target, force=args.force)
    except MentorquestError as error:
        print_error(error)
        return error.exit_code
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
