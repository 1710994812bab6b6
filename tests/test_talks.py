"""The shipped talks: they fit their slots, share sections, and keep to the research sheet's numbers."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from lecturegen.cli import main

REPO = Path(__file__).resolve().parents[1]


def timing(talk: str, *extra: str) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(main, ["timing", talk, "--root", str(REPO), "--format", "json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("talk,slot", [("keynote-1h", 60), ("keynote-2h", 120)])
def test_keynotes_fit_their_slots_with_questions(talk: str, slot: int) -> None:
    plan = timing(talk)
    assert plan["slot"] == slot
    assert slot - 6 <= plan["total"] <= slot + 0.5
    assert any(row["kind"] == "reserved" and "Question" in row["title"] for row in plan["slides"])


def test_one_day_workshop_runs_half_past_nine_to_half_past_four_with_breaks() -> None:
    plan = timing("workshop-1day")
    rows = plan["slides"]
    assert rows[0]["clock_start"] == "09:30"
    assert "16:15" <= rows[-1]["clock_end"] <= "16:30"
    breaks = {row["title"]: row["clock_start"] for row in rows if row["kind"] == "break"}
    lunch = [t for title, t in breaks.items() if "unch" in title]
    coffee = [t for title, t in breaks.items() if "offee" in title or "ea" in title.split()[0]]
    assert lunch and "12:00" <= lunch[0] <= "13:30"
    assert coffee and coffee[0] < lunch[0]
    assert sum(1 for row in rows if row["kind"] == "exercise") >= 4


def test_two_day_workshop_restarts_the_clock_on_day_two() -> None:
    plan = timing("workshop-2day")
    days = {row["day"] for row in plan["slides"]}
    assert days == {1, 2}
    first_of_day_two = next(row for row in plan["slides"] if row["day"] == 2)
    assert first_of_day_two["clock_start"] == "09:30"
    assert plan["total"] <= plan["slot"] + 0.5


def test_the_two_hour_keynote_reuses_the_one_hour_sections() -> None:
    def uses(talk: str) -> set[str]:
        data = yaml.safe_load((REPO / "content" / "talks" / f"{talk}.yaml").read_text())
        return {s["use"] for s in data["sections"] if isinstance(s, dict) and "use" in s}

    assert uses("keynote-1h") <= uses("keynote-2h")


def test_no_slide_text_is_duplicated_across_content_files() -> None:
    seen: dict[str, str] = {}
    for file in sorted((REPO / "content" / "sections").glob("*.yaml")):
        data = yaml.safe_load(file.read_text())
        for slide in data.get("slides", []):
            for bullet in slide.get("bullets", []) if isinstance(slide.get("bullets"), list) else []:
                text = bullet if isinstance(bullet, str) else next(iter(bullet))
                if len(text) > 40:
                    assert text not in seen, f"{file.name} repeats a bullet of {seen[text]}: {text!r}"
                    seen[text] = file.name


def test_lengthened_notes_fail_strict_naming_the_section_and_fit_drops_optional(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    for name in ("content", "themes"):
        shutil.copytree(REPO / name, workspace / name)
    shutil.copy(REPO / "bibliography.bib", workspace)
    section = workspace / "content" / "sections" / "does-it-matter.yaml"
    text = section.read_text()
    extra = " ".join(["This finding deserves a longer explanation for the audience."] * 60)
    section.write_text(text.replace("    notes: >\n", f"    notes: >\n      {extra}\n", 1), encoding="utf-8")
    strict = CliRunner().invoke(main, ["build", "keynote-1h", "--root", str(workspace), "--strict"])
    assert strict.exit_code == 1
    assert re.search(r"error: planned [\d.]+ min is [\d.]+ min over the 60-minute slot \(longest sections: "
                     r"'Does it matter for outcomes\?'", strict.stderr), strict.stderr
    fitted = CliRunner().invoke(main, ["build", "keynote-1h", "--root", str(workspace), "--fit", "--strict"])
    assert fitted.exit_code == 0, fitted.output
    assert "--fit dropped" in fitted.stderr
    plan = json.loads(CliRunner().invoke(main, ["timing", "keynote-1h", "--root", str(workspace), "--fit",
                                                "--format", "json"]).stdout)
    assert plan["fits"] and plan["dropped"]


def test_every_speaker_note_starts_with_a_cue_that_matches_the_agenda() -> None:
    from lecturegen.build import prepare
    from lecturegen.diagnostics import Diagnostics
    from lecturegen.workspace import Workspace

    result = prepare(Workspace(REPO), "keynote-1h", Diagnostics(), start="14:00").result
    for slide in result.deck.slides:
        assert slide.notes[0].text.startswith("⏱ ")
    agenda = [p.text for s in result.deck.slides if s.kind == "agenda"
              for p in (s.body or tuple(p for c in s.columns for p in c.body))]
    first_section = next(s for s in result.plan.sections if s.title != "Opening")
    minutes = 14 * 60 + round(first_section.start)
    assert agenda[0] == f"{minutes // 60:02d}:{minutes % 60:02d}\t{first_section.title}"


def test_keynote_has_charts_stat_cards_and_a_native_chart(tmp_path: Path) -> None:
    from pptx import Presentation

    out = tmp_path / "k.pptx"
    assert CliRunner().invoke(main, ["build", "keynote-1h", "--root", str(REPO), "-o", str(out)]).exit_code == 0
    prs = Presentation(str(out))
    pictures, natives, values = 0, 0, []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.shape_type == 13:  # picture
                pictures += 1
                assert shape._element.nvPicPr.cNvPr.get("descr", "").strip()
            if getattr(shape, "has_chart", False) and shape.has_chart:
                natives += 1
                values.extend(v for plot in shape.chart.plots for s in plot.series for v in s.values)
                assert shape._element.nvGraphicFramePr.cNvPr.get("descr", "").strip()
    assert pictures + natives >= 5 and natives >= 1
    assert 0.93 in [round(v, 2) for v in values]  # RDFS clients alpha (Di Malta et al., 2019)
    statements = [s for s in prs.slides if s.slide_layout.name == "Title and Content"
                  and any(r.font.size and r.font.size.pt >= 60 for sh in s.placeholders if sh.has_text_frame
                          for p in sh.text_frame.paragraphs for r in p.runs)]
    assert len(statements) >= 2
    text = "\n".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert "[@" not in text
