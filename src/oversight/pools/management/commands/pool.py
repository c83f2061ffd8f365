"""``oversight pool load|indicators|benchmarks``: pool councils' Annex A data and benchmark them.

    oversight pool load FOLDER --as-at DATE [--name NAME] [--out DIR] [--secret-file FILE | --no-pseudonymise]
    oversight pool indicators POOL [--as-at DATE] [--format json|csv] [--engine duckdb|spark|postgres]
    oversight pool benchmarks POOL --council CODE [--store] [--format json|text]

``FOLDER`` holds one workbook (.xlsx) or CSV folder per council, named after the council (a
leading DfE code such as ``202_camden.xlsx``, an ONS code, or the council's name). ``POOL`` is
a pool folder or the name of one under the data folder's ``pools/``.

Exit codes: 0 done; 1 (load) some councils were refused — they are listed, the rest loaded;
2 usage errors (no such folder, no secret, nothing loaded, unknown council), one line on stderr.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oversight.cli import as_at_date
from oversight.engine.indicators import DEFAULT_ENGINE, ENGINES, IndicatorRunError, flatten
from oversight.engine.pools.councils import CouncilError
from oversight.engine.pools.load import SECRET_ENV, PoolError, load_pool, open_pool, pool_secret
from oversight.engine.safe_cells import safe_cell

EXIT_REFUSED_SOME = 1
CSV_COLUMNS = ["la_code", "indicator", "name", "unit", "polarity", "period_type", "breakdown", "breakdown_value",
               "month", "numerator", "denominator", "value"]


def _usage(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Pool several councils' Annex A data (pseudonymised), compute indicators per council and benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{load,indicators,benchmarks}")
        load = sub.add_parser("load", help="Validate, pseudonymise and pool one file per council")
        load.add_argument("folder", metavar="FOLDER", help="One workbook or CSV folder per council")
        load.add_argument("--as-at", required=True, metavar="DATE", type=as_at_date,
                          help="The date every council's extract is as at")
        load.add_argument("--name", help="The pool's name (default: the folder's name)")
        load.add_argument("--out", metavar="DIR", help="The pool folder (default: <data folder>/pools/<name>)")
        load.add_argument("--secret-file", metavar="FILE",
                          help=f"The pool's secret (default: ${SECRET_ENV}); never inside the pool folder")
        load.add_argument("--no-pseudonymise", action="store_true",
                          help="Keep raw IDs, dates of birth and postcodes (a council pooling its own history)")
        load.add_argument("--format", choices=["text", "json"], default="text")

        ind = sub.add_parser("indicators", help="Indicators of a pool, pooled and per council, with benchmarks")
        ind.add_argument("pool", metavar="POOL")
        ind.add_argument("--as-at", metavar="DATE", type=as_at_date, help="Default: the pool's as-at date")
        ind.add_argument("--format", choices=["json", "csv"], default="json")
        ind.add_argument("--engine", choices=list(ENGINES), default=DEFAULT_ENGINE)
        ind.add_argument("--council", metavar="CODE", help="Only this council's figures and benchmarks")
        ind.add_argument("-o", "--output", metavar="FILE")

        ben = sub.add_parser("benchmarks", help="One council's benchmarks against the pool, region and neighbours")
        ben.add_argument("pool", metavar="POOL")
        ben.add_argument("--council", required=True, metavar="CODE", help="DfE code, ONS code or name")
        ben.add_argument("--engine", choices=list(ENGINES), default=DEFAULT_ENGINE)
        ben.add_argument("--store", action="store_true",
                         help="Save them as the scorecard's benchmarks (source: pool <name> as at <date>)")
        ben.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **opts):
        try:
            return getattr(self, f"_{opts['action']}")(opts)
        except (PoolError, CouncilError, IndicatorRunError) as e:
            raise _usage(str(e)) from None

    # -------------------------------------------------------------------------------- load
    def _load(self, opts) -> None:
        from oversight.pools.services import councils, pools_dir

        folder = Path(opts["folder"])
        if not folder.is_dir():
            raise _usage(f"{folder}: no such folder")
        name = opts["name"] or folder.resolve().name
        out = Path(opts["out"]) if opts["out"] else pools_dir() / name
        pseudonymise = not opts["no_pseudonymise"]
        secret = pool_secret(opts["secret_file"], out) if pseudonymise else None
        pool = load_pool(folder, out, opts["as_at"], name=name, secret=secret, pseudonymise=pseudonymise,
                         councils=councils(), progress=lambda m: self.stderr.write(f"Loading {m}"))
        if opts["format"] == "json":
            self.stdout.write(json.dumps({**pool.as_json(), "path": str(out)}, indent=1))
        else:
            self.stdout.write(f"Pool {pool.name} as at {pool.as_at:%d/%m/%Y} in {out}: "
                              f"{len(pool.loaded)} council(s), "
                              f"{'pseudonymised' if pseudonymise else 'NOT pseudonymised'}.")
            for c in pool.loaded:
                self.stdout.write(f"  {c.la_code} {c.name:<32} {c.rows:>9,} rows  {c.errors:>6,} errors  "
                                  f"({c.source})")
        for r in pool.refused:
            self.stderr.write(f"Refused {r.source}: {r.reason}")
        if not pool.loaded:
            raise _usage(f"{folder}: no council loaded")
        if pool.refused:
            sys.exit(EXIT_REFUSED_SOME)

    # -------------------------------------------------------------------------- indicators
    def _pool_path(self, pool: str) -> Path:
        from oversight.pools.services import pools_dir

        path = Path(pool)
        if not path.is_dir() and (pools_dir() / pool).is_dir():
            path = pools_dir() / pool
        open_pool(path)  # a usage error when it is not a pool
        return path

    def _run(self, opts, path: Path):
        from oversight.engine.pools.indicators import run_pool
        from oversight.performance.management.commands.indicators import _engine_options
        from oversight.performance.services import configured_calendar, configured_catalogue

        return run_pool(path, opts.get("as_at"), engine=opts["engine"], engine_options=_engine_options(opts["engine"]),
                        calendar=configured_calendar(), catalogue=configured_catalogue())

    def _indicators(self, opts) -> None:
        from oversight.engine.pools.indicators import benchmark
        from oversight.pools.services import councils

        path = self._pool_path(opts["pool"])
        result = self._run(opts, path)
        table = councils()
        only = table.get_council(opts["council"]).la_code if opts["council"] else None
        if only and only not in result.by_council:
            raise _usage(f"{opts['council']}: not in pool {result.name}")
        marks = benchmark(result, table)
        if opts["format"] == "json":
            doc = result.as_json()
            if only:
                doc["councils"] = {only: doc["councils"][only]}
            doc["benchmarks"] = {ind: {code: b.as_json() for code, b in per.items() if only in (None, code)}
                                 for ind, per in marks.items()}
            text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
        else:
            buf = io.StringIO()
            w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
            w.writeheader()
            parts = [("pool", result.pooled)] + [(c, r) for c, r in result.by_council.items() if only in (None, c)]
            for code, run in parts:
                for row in flatten(run):
                    w.writerow({k: safe_cell(v) for k, v in {"la_code": code, **row}.items()})
            text = buf.getvalue()
        if opts["output"]:
            Path(opts["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")

    # -------------------------------------------------------------------------- benchmarks
    def _benchmarks(self, opts) -> None:
        from oversight.engine.pools.indicators import benchmark
        from oversight.pools.services import councils, store_benchmarks

        path = self._pool_path(opts["pool"])
        table = councils()
        council = table.get_council(opts["council"])
        manifest = open_pool(path)
        if council.la_code not in {c["la_code"] for c in manifest["councils"]}:
            raise _usage(f"{council.name} ({council.la_code}) is not in pool {manifest['name']}")
        opts["as_at"] = None
        result = self._run(opts, path)
        marks = benchmark(result, table)
        mine = {ind: per[council.la_code] for ind, per in marks.items() if council.la_code in per}
        if opts["format"] == "json":
            self.stdout.write(json.dumps({"pool": result.name, "as_at": result.as_at.isoformat(),
                                          "council": council.as_json(),
                                          "benchmarks": [b.as_json() for b in mine.values()]}, indent=1))
        else:
            self.stdout.write(f"{council.name} ({council.la_code}) in pool {result.name} as at "
                              f"{result.as_at:%d/%m/%Y}: value, then rank/of and band in the pool, "
                              f"{council.region} and its statistical neighbours")
            for ind, b in mine.items():
                cells = [f"{g.rank or '–'}/{g.of} {g.band or '–'}" for g in b.groups]
                self.stdout.write(f"  {ind:<40} {b.value if b.value is not None else '–':>8}  " + "  ".join(cells))
        if opts["store"]:
            n = store_benchmarks(result.name, result.as_at, council, {k: {council.la_code: v} for k, v in mine.items()})
            self.stderr.write(f"Stored {n} benchmark rows for {council.name} (source: pool {result.name} "
                              f"as at {result.as_at.isoformat()}).")
