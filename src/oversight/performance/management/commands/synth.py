"""``oversight synth annex-a``: write a synthetic Annex A workbook (invented children only).

    oversight synth annex-a --out FILE.xlsx --as-at YYYY-MM-DD [--seed N] [--scale F] [--messy]
                            [--schema 2024|2026] [--planted FILE.json]

The workbook is the demo's data and the tests' data: eleven lists linked the way real journeys
are, about 35,000 children's worth at scale 1. The same arguments always give the same file.
``--messy`` makes it look like a real council export and plants a handful of problems per list;
``--planted`` writes where each planted problem is, so a loader's report can be checked.

Bad arguments print one line and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oversight.cli import as_at_date
from oversight.engine.annex_a.schema import SCHEMAS, get_schema
from oversight.engine.synth import MAX_SCALE, SynthError, generate_annex_a


class OneLineParser(CommandParser):
    """Argument errors as one line (``oversight synth annex-a: error: …``), exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        if not self.called_from_command_line:
            raise CommandError(f"Error: {message}", returncode=2)
        sys.stderr.write(f"oversight {self.prog.split(' ', 1)[-1]}: error: {message}\n")
        sys.exit(2)


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value <= MAX_SCALE:
        raise argparse.ArgumentTypeError(f"{text} is out of range (more than 0, at most {MAX_SCALE:g})")
    return value


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


class Command(BaseCommand):
    help = "Write synthetic data: `synth annex-a` makes an Annex A workbook of invented children."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = OneLineParser.error.__get__(parser)  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="annex-a", parser_class=OneLineParser)
        a = sub.add_parser("annex-a", help="a synthetic Ofsted Annex A workbook (Lists 1–11)",
                           description="Write a synthetic Annex A workbook of invented children.")
        a.add_argument("--out", required=True, type=Path, help="the .xlsx file to write")
        a.add_argument("--as-at", required=True, type=as_at_date, dest="as_at",
                       help="the extract (inspection) date, YYYY-MM-DD")
        a.add_argument("--seed", type=_seed, default=1, help="random seed (default 1)")
        a.add_argument("--scale", type=_scale, default=1.0,
                       help="volume multiplier: 1 ≈ a council of 35,000 children (default 1)")
        a.add_argument("--messy", action="store_true",
                       help="mixed date formats, header variants, unprefixed codes and a few planted problems")
        a.add_argument("--schema", choices=sorted(SCHEMAS), default=None,
                       help="Annex A template version to write (default: the current one)")
        a.add_argument("--planted", type=Path, help="with --messy: write the planted problems to this JSON file")

    def handle(self, *args, **o) -> None:
        out: Path = o["out"]
        if o["planted"] and not o["messy"]:
            raise CommandError("--planted needs --messy (a clean workbook has no planted problems)", returncode=2)
        planted: list = []
        try:
            counts = generate_annex_a(out, o["as_at"], o["seed"], o["scale"], o["messy"],
                                      schema_version=o["schema"], planted=planted)
        except SynthError as exc:
            raise CommandError(str(exc), returncode=2) from None
        schema = get_schema(o["schema"])
        kind = "messy" if o["messy"] else "clean"
        self.stdout.write(f"Wrote {out}: synthetic Annex A as at {o['as_at']:%d/%m/%Y} "
                          f"(seed {o['seed']}, scale {o['scale']:g}, {kind}, schema {schema.version})")
        for spec in schema.lists:
            self.stdout.write(f"  List {spec.number:<2}  {spec.title:<32} {counts.get(spec.table, 0):>9,} rows")
        self.stdout.write(f"  Total {sum(counts.values()):,} rows")
        if o["messy"]:
            self.stdout.write(f"  Planted problems: {len(planted)}"
                              + (f" (listed in {o['planted']})" if o["planted"] else ""))
            if o["planted"]:
                try:
                    o["planted"].write_text(json.dumps([p.as_dict() for p in planted], indent=2,
                                                       ensure_ascii=False) + "\n", encoding="utf-8")
                except OSError as exc:
                    raise CommandError(f"{o['planted']}: cannot write ({exc.strerror})", returncode=2) from None
