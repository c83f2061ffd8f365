"""``oversight councils list|show|load-neighbours``: the shipped table of local authorities.

    oversight councils list [--region REGION] [--format text|json]
    oversight councils show CODE_OR_NAME
    oversight councils load-neighbours FILE     # the DfE tool's neighbour lists, saved as CSV

``load-neighbours`` reads a CSV with a row per council and columns "SN1" … "SN10" (the DfE
children's services statistical neighbour benchmarking tool's layout; codes or names), or this
table's own layout (``la_code``, ``neighbours``), and lays the lists over the shipped ones for
this site (``<data folder>/councils/neighbours.csv``). Exit codes: 0 done, 2 usage errors.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oversight.engine.pools.councils import CouncilError, read_neighbours_file, write_neighbours_file


class Command(BaseCommand):
    help = "English local authorities with children's services: code, name, region, statistical neighbours."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{list,show,load-neighbours}")
        ls = sub.add_parser("list", help="Every current council")
        ls.add_argument("--region")
        ls.add_argument("--format", choices=["text", "json"], default="text")
        show = sub.add_parser("show", help="One council and its neighbours")
        show.add_argument("council", metavar="CODE_OR_NAME")
        load = sub.add_parser("load-neighbours", help="Lay newer DfE neighbour lists over the shipped ones")
        load.add_argument("file", metavar="FILE")

    def handle(self, *args, **opts):
        from oversight.pools.services import councils, neighbours_file

        table = councils()
        try:
            if opts["action"] == "list":
                rows = [c for c in table.current() if not opts["region"] or c.region.lower() == opts["region"].lower()]
                if opts["format"] == "json":
                    self.stdout.write(json.dumps([c.as_json() for c in rows], indent=1))
                else:
                    for c in rows:
                        self.stdout.write(f"{c.la_code}  {c.ons_code}  {c.name:<36} {c.region}")
            elif opts["action"] == "show":
                c = table.get_council(opts["council"])
                self.stdout.write(f"{c.la_code} {c.name} ({c.ons_code}), {c.region}"
                                  + (" — former authority" if c.status != "current" else ""))
                if not c.neighbours:
                    self.stdout.write("Statistical neighbours: none recorded; load them with "
                                      "`oversight councils load-neighbours FILE` from the DfE tool")
                for code in c.neighbours:
                    n = table[code]
                    self.stdout.write(f"  {n.la_code} {n.name}, {n.region}")
            else:
                lists = read_neighbours_file(opts["file"], table)
                write_neighbours_file(lists, neighbours_file(), source=opts["file"])
                self.stdout.write(f"Loaded neighbours for {len(lists)} council(s) into {neighbours_file()}.")
        except (CouncilError, OSError) as e:
            raise CommandError(str(e), returncode=2) from None
