"""Time and peak memory of the synthetic Annex A generator at scales 1, 10 and 50.

    python benchmarks/synth.py                 # scales 1, 10, 50 (clean) and 1, 10 (messy)
    python benchmarks/synth.py 1 5             # chosen scales, clean only

Each run is a fresh Python process, so its peak resident memory (ru_maxrss) is the generator's
own, imports included; the import-only baseline is printed for comparison. Prints figures only:
nothing here asserts a time (timings belong in docs/performance.md, not in tests).
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import datetime as dt, json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from oversight.engine.synth import generate_annex_a
scale, messy, out = float(sys.argv[1]), sys.argv[2] == "1", Path(sys.argv[3])
counts = {} if scale == 0 else generate_annex_a(out, dt.date(2020, 1, 31), 1, scale, messy)
print(json.dumps({"seconds": time.perf_counter() - t0,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rows": sum(counts.values()), "contacts": counts.get("contacts", 0),
                  "bytes": out.stat().st_size if counts else 0}))
"""


def measure(scale: float, messy: bool, folder: Path) -> dict:
    out = folder / f"synth-{scale:g}{'-messy' if messy else ''}.xlsx"
    p = subprocess.run([sys.executable, "-c", CHILD, str(scale), "1" if messy else "0", str(out)],
                       capture_output=True, text=True, check=True)
    out.unlink(missing_ok=True)
    return json.loads(p.stdout)


def main(argv: list[str]) -> None:
    runs = [(float(a), False) for a in argv] or [(1, False), (10, False), (50, False), (1, True), (10, True)]
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    with tempfile.TemporaryDirectory() as tmp:
        base = measure(0, False, Path(tmp))
        print(f"import-only baseline: {base['seconds']:.2f} s, peak {base['peak_mb']:.0f} MB")
        print(f"{'scale':>6} {'mode':>6} {'rows':>10} {'contacts':>9} {'file MB':>8} {'seconds':>8} {'peak MB':>8}")
        for scale, messy in runs:
            m = measure(scale, messy, Path(tmp))
            print(f"{scale:>6g} {'messy' if messy else 'clean':>6} {m['rows']:>10,} {m['contacts']:>9,} "
                  f"{m['bytes'] / 1e6:>8.1f} {m['seconds']:>8.1f} {m['peak_mb']:>8.0f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
