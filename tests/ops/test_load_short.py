"""The short form of the load scenario (benchmarks/load.py): 20 people for 20 seconds on SQLite.

A real install (``oversight demo --no-serve``) served by ``oversight serve`` (two gunicorn
processes where available, else waitress) on a loopback port; 20 threads sign in as the
programme manager and browse the plan, the scorecard and actions while saving updates with the
form's version. Every save the server acknowledged
must be found on its action afterwards and no request may fail. Conflicts (two saves of one
action at once, one told to review) are expected and counted, not errors. No time is asserted:
the machine is shared.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from oversight.ops import serving

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "load.py"


def _load_module():
    spec = importlib.util.spec_from_file_location("oversight_benchmark_load", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_twenty_people_saving_updates_for_twenty_seconds_lose_nothing_and_see_no_error():
    load = _load_module()
    # Two server processes where gunicorn runs (as a shared server would be run): two writers on the
    # SQLite file at once, not only threads of one process.
    processes = 2 if serving.gunicorn_available() else 1
    results = load.run("sqlite", users=20, seconds=20, skip_data=True, processes=processes)
    summary = results.summary()
    assert summary["errors"] == 0, summary["first_errors"]
    assert summary["saves"] > 0, summary
    assert results.lost == [], f"acknowledged saves missing from their action: {results.lost[:5]}"
    assert results.phantoms == [], f"notes saved that were never acknowledged: {results.phantoms[:5]}"
    assert {"plan", "scorecard", "action", "edit form", "save"} <= set(summary["pages"])
