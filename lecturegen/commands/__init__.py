"""Command layer: what each CLI verb does, as functions returning data (the CLI only prints).

One module per family of commands; the CLI imports the verbs from here."""

from lecturegen.commands.building import BuildReport, build_many, build_one
from lecturegen.commands.checking import check_talk, design_report, design_rules
from lecturegen.commands.exports import export_pdf, scaffold, write_handout
from lecturegen.commands.outputs import input_files
from lecturegen.commands.reports import (
                                         describe_theme,
                                         is_clock_time,
                                         list_workspace,
                                         offered_audiences,
                                         reference_list,
                                         timing_report,
)
from lecturegen.commands.roundtrip import PullReport, import_deck, pull_deck

__all__ = ["BuildReport", "PullReport", "build_many", "build_one", "check_talk", "describe_theme", "design_report",
           "design_rules", "export_pdf", "import_deck", "input_files", "is_clock_time", "list_workspace",
           "offered_audiences", "pull_deck", "reference_list", "scaffold", "timing_report", "write_handout"]
