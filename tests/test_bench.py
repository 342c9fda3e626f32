"""Smoke test of the load benchmark (bench/run.py): tiny catalogue, one short round."""

import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_benchmark_runs_and_prints_its_table():
    completed = subprocess.run(
        [sys.executable, "bench/run.py", "--size", "20", "--list-size", "30", "--rounds", "1", "--duration", "1"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = completed.stdout
    # Exit status 1 only means a ratio target was missed; anything else is a failure to run.
    assert completed.returncode in (0, 1), completed.stdout[-3000:] + completed.stderr[-3000:]
    table = [line for line in output.splitlines() if line.startswith("| ")]
    names = [line.split("|")[1].strip() for line in table]
    for target in (
        "minimal view (/healthz)",
        "static file (WhiteNoise)",
        "result permalink",
        "questionnaire GET",
        "questionnaire POST",
        "compare page (4 models)",
        "models list",
        "result permalink, cold",
        "questionnaire GET, cold",
    ):
        assert target in names, output
    for line in table[1:]:
        cells = [cell.strip() for cell in line.split("|")[1:-1]]
        assert cells[5] == "0", f"errors in {line}"  # every request answered 2xx/3xx
        assert float(cells[6]) > 0  # CPU ms per request was measured
    assert "x minimal" in table[0]
