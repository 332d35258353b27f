"""Shared fixtures: the repository's bundled data and the `advect` program built beside the module."""
import os
import pathlib
import subprocess

import pytest

SOURCE = pathlib.Path(os.environ.get("ADVECT_SOURCE_DIR", pathlib.Path(__file__).parents[2]))
CLI = os.environ.get("ADVECT_CLI", str(SOURCE / "build" / "apps" / "advect"))
# Under scripts/sanitize.sh this interpreter preloads the ASan runtime for the module; the program
# carries its own and refuses a second one.
CLI_ENV = {key: value for key, value in os.environ.items() if key != "LD_PRELOAD"}


@pytest.fixture
def data():
    return SOURCE / "data"


@pytest.fixture
def run_cli():
    """Runs `advect ARGS...`, fails the test with its output if it exits non-zero."""

    def run(*args):
        result = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, env=CLI_ENV)
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    return run
