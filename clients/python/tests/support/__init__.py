"""Test support. Importing it puts this checkout's client first on sys.path, so the tests run the
source tree whether or not a ``tradewire`` package is installed."""

import pathlib
import sys

CLIENT_ROOT = pathlib.Path(__file__).resolve().parents[2]
REPO_ROOT = CLIENT_ROOT.parents[1]

if str(CLIENT_ROOT) not in sys.path:
    sys.path.insert(0, str(CLIENT_ROOT))
