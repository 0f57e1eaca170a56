"""The browser tests' plumbing (tests/browser.py): which browser they drive, and the one line
they fail with when there is none, so that `make test` on a machine without Chromium says how
to get one instead of a Playwright traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from graphapp.config import PROJECT_ROOT as ROOT
from tests.browser import HOW_TO_GET_ONE, NoBrowser, browser_to_drive


def test_playwrights_own_chromium_comes_first_then_the_systems(tmp_path):
    own = tmp_path / "chrome"
    own.write_text("")
    assert browser_to_drive(str(own), path=str(tmp_path)) is None
    system = tmp_path / "bin" / "chromium"
    system.parent.mkdir()
    system.write_text("#!/bin/sh\n")
    system.chmod(0o755)
    assert browser_to_drive(str(tmp_path / "not-downloaded"), path=str(system.parent)) == str(
        system)


def test_with_no_browser_the_helper_says_how_to_get_one(tmp_path):
    with pytest.raises(NoBrowser) as raised:
        browser_to_drive(str(tmp_path / "not-downloaded"), path=str(tmp_path))
    assert str(raised.value) == HOW_TO_GET_ONE
    assert "playwright install chromium" in HOW_TO_GET_ONE and "apt-get install" in HOW_TO_GET_ONE


def test_a_browser_test_on_a_machine_without_one_fails_with_that_one_line(tmp_path):
    """A browser test run where $PATH has no browser and Playwright downloaded none: it fails,
    and the report is the one line, not a traceback."""
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import browser_type_launch_args  # noqa: F401\n")
    (tmp_path / "test_needs_a_browser.py").write_text("def test_page(page):\n    pass\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    # CI=true makes pytest repeat each error in full in its short summary: the summary is off
    # here (-rN), the report itself must hold the line once
    env = {**{k: v for k, v in os.environ.items() if k != "CI"}, "PATH": str(empty),
           "PLAYWRIGHT_BROWSERS_PATH": str(empty), "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rN", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), str(tmp_path / "test_needs_a_browser.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert out.count(HOW_TO_GET_ONE) == 1, out
    for noise in ("Traceback", "BrowserType.launch", "During handling", "conftest.py:"):
        assert noise not in out, out
