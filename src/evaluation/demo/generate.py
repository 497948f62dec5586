"""The entry point: every demo file written into one folder, with its ingest plan and README."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .governance_workbook import governance_tables
from .leadership_answers import leadership_responses, true_values
from .leadership_survey import POUND_ANSWER
from .loti_panel import observation_rows
from .loti_workbook import loti_tables
from .loti_world import build_loti_world
from .maturity_scores import maturity_rows
from .member_survey import LOTI_SURVEY, member_survey_rows
from .programme_workbook import programme_tables
from .randomness import random_stream
from .readme import DemoFacts, readme_text
from .roster import build_cohorts, build_roster
from .survey_exports import QUALTRICS_ENCODINGS, survey_mapping, write_msforms_export, write_qualtrics_export
from .writers import SYNTHETIC_MARK, export_header, save_workbook, write_csv, write_yaml

DEFAULT_SEED = 20241


def write_demo(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write every demo file into ``out_dir`` and return their paths (same seed, same bytes)."""
    out_dir = Path(out_dir)
    for folder in (out_dir, out_dir / "leadership", out_dir / "loti", out_dir / "mappings"):
        folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    cohorts = build_cohorts()
    roster = build_roster(cohorts, random_stream(seed, "roster"))
    survey_rng = random_stream(seed, "leadership surveys")
    responses = {
        c.cohort_id: leadership_responses(c, [p for p in roster if p.cohort_id == c.cohort_id], survey_rng)
        for c in cohorts
    }
    # The Windows-1252 export must hold a pound sign: its first respondent wrote one.
    c1_endpoint = responses["C1"]["endpoint"]
    c1_endpoint[0] = replace(c1_endpoint[0], free_text=POUND_ANSWER)
    written.append(
        save_workbook(
            programme_tables(cohorts, roster, responses, random_stream(seed, "programme")),
            out_dir / "programme.xlsx",
            "Digital leadership programme tables.",
        )
    )

    world = build_loti_world(random_stream(seed, "loti"))
    observations, panel = observation_rows(world, random_stream(seed, "observations"))
    maturity, maturity_gains = maturity_rows(world, random_stream(seed, "maturity"))
    written.append(save_workbook(loti_tables(world, panel, maturity), out_dir / "loti.xlsx", "LOTI tables."))
    written.append(write_csv(out_dir / "loti" / "observations.csv", export_header("observations"), observations))
    governance = governance_tables(world, random_stream(seed, "governance"))
    written.append(
        save_workbook(
            governance.tables, out_dir / "governance.xlsx", "Peer-challenge follow-up and programme risk registers."
        )
    )

    mapping_files = {}
    for wave, survey_format in (("baseline", "qualtrics"), ("endpoint", "qualtrics"), ("follow-up", "msforms")):
        path = out_dir / "mappings" / f"leadership_{wave.replace('-', '_')}_{survey_format}.yml"
        mapping_files[wave] = write_yaml(
            path, survey_mapping(wave, survey_format), f"{SYNTHETIC_MARK}: mapping of the synthetic {wave} exports."
        )
        written.append(path)
    export_rng = random_stream(seed, "exports")
    plan = [
        {"path": "programme.xlsx"},
        {"path": "loti.xlsx"},
        {"path": "governance.xlsx"},
        {"path": "loti/observations.csv"},
    ]
    survey_files = []
    for cohort in cohorts:
        for wave in ("baseline", "endpoint", "follow-up"):
            stem = f"leadership/{cohort.cohort_id.lower()}_{wave.replace('-', '_')}"
            if wave == "follow-up":
                path = write_msforms_export(out_dir / f"{stem}_msforms.xlsx", responses[cohort.cohort_id][wave])
                kind = "Microsoft Forms Excel"
            else:
                encoding = QUALTRICS_ENCODINGS.get((cohort.cohort_id, wave), "utf-8")
                path = write_qualtrics_export(
                    out_dir / f"{stem}_qualtrics.csv", wave, responses[cohort.cohort_id][wave], encoding, export_rng
                )
                kind = "Qualtrics CSV, " + {"utf-8-sig": "UTF-8 with BOM", "cp1252": "Windows-1252"}.get(
                    encoding, "UTF-8"
                )
            written.append(path)
            relative = path.relative_to(out_dir).as_posix()
            survey_files.append((f"`{relative}`", cohort.cohort_id, wave, kind))
            plan.append(
                {
                    "path": relative,
                    "mapping": mapping_files[wave].relative_to(out_dir).as_posix(),
                    "cohort": cohort.cohort_id,
                    "wave": wave,
                }
            )

    member_survey = write_csv(
        out_dir / "loti_member_survey.csv",
        ("respondent", "authority_code", "wave", "item_id", "value", "submitted_at"),
        member_survey_rows(world, random_stream(seed, "member survey")),
    )
    member_mapping = write_yaml(
        out_dir / "mappings" / "loti_member_survey.yml",
        {"survey": LOTI_SURVEY, "format": "tidy", "roster": False},
        f"{SYNTHETIC_MARK}: mapping of the synthetic LOTI member survey.",
    )
    written += [member_survey, member_mapping]
    plan.append({"path": "loti_member_survey.csv", "mapping": "mappings/loti_member_survey.yml"})
    written.append(
        write_yaml(
            out_dir / "ingest.yml",
            {"files": plan},
            f"{SYNTHETIC_MARK}: ingest plan (paths relative to this file), in dependency order.",
        )
    )

    changes, rating_means = true_values(seed)
    facts = DemoFacts(seed, changes, rating_means, roster, panel, maturity_gains, world, survey_files, governance)
    readme = out_dir / "README.md"
    readme.write_text(readme_text(facts), encoding="utf-8")
    written.append(readme)
    return written
