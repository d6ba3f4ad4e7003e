"""The store and records packages never import textual or rich."""

from __future__ import annotations

import subprocess
import sys


def test_store_and_records_do_not_import_textual_or_rich():
    code = (
        "import sys\n"
        "import mentorquest.store, mentorquest.engine.record, mentorquest.records.signing\n"
        "import mentorquest.records.exports, mentorquest.records.xapi, mentorquest.records.lrs\n"
        "import mentorquest.records.report, mentorquest.records.report_html, mentorquest.records.build\n"
        "import mentorquest.players.stored\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
