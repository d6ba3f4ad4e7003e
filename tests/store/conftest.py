"""Store test fixtures (defined in mqfixtures, shared with the record tests)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from mqfixtures import any_url, home, library, library_dir, pg_url, sqlite_url  # noqa: E402,F401
