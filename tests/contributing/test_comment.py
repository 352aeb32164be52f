"""The pull-request comment, rendered for a sample change: one gap closed, one link added,
one entry that does not load."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from gapkb.contributing.comment import MARKER, MAX_COMMENT_CHARS, Preview, limit, render_comment
from gapkb.contributing.diff import GapChange, diff_with_head
from gapkb.findings import Finding, GapkbError, Severity
from tests.conftest import AS_OF, CASES
from tests.contributing.test_diff import NEW_LINK, make_repo

RUN = "https://github.com/gapkb/gapkb/actions/runs/123456789"


@pytest.fixture
def changed_repo(tmp_path: Path) -> Path:
    """The sample knowledge base on main, and a working tree that adds a link closing the
    gap of alignment and a concept whose category is misspelt (it does not load)."""
    repo = make_repo(tmp_path / "kb")
    eu = repo / "instruments" / "eu-ai-act.yaml"
    eu.write_text(eu.read_text(encoding="utf-8") + NEW_LINK, encoding="utf-8")
    bad = CASES / "unknown-category" / "concepts" / "unknown-category.yaml"
    (repo / "concepts" / "unknown-category.yaml").write_bytes(bad.read_bytes())
    return repo


def test_comment_for_a_sample_change(changed_repo: Path) -> None:
    result, head = diff_with_head(changed_repo, "main", dt.date(2026, 12, 1), use_java=False)
    changed = {"instruments/eu-ai-act.yaml", "concepts/unknown-category.yaml"}
    text = render_comment(result, head.findings, changed=changed, preview=Preview(RUN, "site"))
    assert text.startswith(MARKER + "\n## gapkb: main (")
    assert "→ this pull request, as of 2026-12-01\n" in text
    # the check's result, with the bad entry's error at its file and line
    assert "**`gapkb check` fails: 1 violation(s) to fix** — 1 violation(s), " in text
    assert (
        "Violations:\n\n- **concepts/unknown-category.yaml:3** category: 'saftey' is not "
        "allowed — did you mean 'safety'?\n"
    ) in text
    # the entry that did not load is reported, not read as a removal
    assert "### Entries that did not load\n" in text
    assert (
        "| head | concepts/unknown-category.yaml:3 | GK205 | category | "
        "'saftey' is not allowed — did you mean 'safety'? |"
    ) in text
    # one gap closed, in its tier
    assert "### Gaps: 0 opened, 1 closed\n" in text
    assert "| never covered | 0 | 1 |" in text
    assert "- closed: Alignment (alignment): never covered → covered\n" in text
    # the changed instrument and the added link
    assert "### Instruments\n\n- changed: instruments/eu-ai-act.yaml (coverage)\n" in text
    assert "### Concepts\n\n- unreadable: concepts/unknown-category.yaml\n" in text
    assert (
        "### Coverage links: 1 changed\n\n- added: eu-ai-act art-55-1-a → alignment (explicit)\n"
        in text
    )
    assert "Provisions added" not in text
    # where the preview is, and how to see it locally
    assert f"[this workflow run]({RUN}#artifacts)" in text
    assert (
        "gh run download 123456789 --repo gapkb/gapkb --name site --dir preview\n"
        "python3 -m http.server --directory preview 8000\n"
    ) in text


def test_comment_command_writes_the_file(
    changed_repo: Path, tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    changed = tmp_path / "changed.txt"
    changed.write_text("instruments/eu-ai-act.yaml\n", encoding="utf-8")
    out = tmp_path / "comment.md"
    result = run_cli(
        "comment", "main", "--root", str(changed_repo), "--as-of", AS_OF, "--no-reasoner",
        "--changed-files", str(changed), "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert result.output == f"wrote {out} ({len(text)} characters)\n"
    assert "- closed: Alignment (alignment): never covered → covered" in text
    # no --preview: the comment says there is none
    assert "No preview: the site was not built" in text
    bad = run_cli("comment", "main", "--root", str(changed_repo), "--preview", "site")
    assert bad.exit_code == 2
    assert "--preview needs --run-url" in bad.output


def test_contributed_text_cannot_add_markup() -> None:
    result_title = "<img src=x onerror=alert(1)> [click](javascript:alert(1)) | `x`"
    from gapkb.contributing.diff import KbDiff

    d = KbDiff("main", "0" * 40, dt.date(2026, 12, 1))
    d.gaps.append(GapChange("opened", "x", result_title, None, "never covered"))
    finding = Finding("concepts/x.yaml", 2, "title", "<script>alert(1)</script>")
    text = render_comment(d, [finding])
    assert "<img" not in text and "<script>" not in text
    assert "\\[click\\](javascript:alert(1))" in text
    assert "&lt;script&gt;" in text


def test_only_warnings_of_changed_files_are_listed() -> None:
    from gapkb.contributing.diff import KbDiff

    d = KbDiff("main", "0" * 40, dt.date(2026, 12, 1))
    warnings = [Finding(f"concepts/c{i}.yaml", 2, "", "a gap", Severity.WARNING) for i in range(9)]
    text = render_comment(d, warnings, changed={f"concepts/c{i}.yaml" for i in range(7)})
    assert "**`gapkb check` passes** — 0 violation(s), 9 warning(s), 0 info(s)" in text
    assert "Warnings in the files this pull request changes (the first 5 of 7):" in text
    assert "concepts/c7.yaml" not in text
    assert "Violations" not in text


def test_preview_refuses_what_is_not_a_run() -> None:
    with pytest.raises(GapkbError, match="is not a workflow run's address"):
        Preview("https://example.org/x) [y](javascript:z", "site")
    with pytest.raises(GapkbError, match="is not an artifact name"):
        Preview(RUN, "site; rm -rf /")


def test_a_long_comment_is_cut_at_a_line() -> None:
    body = "".join(f"- line {i}\n" for i in range(20_000))
    cut = limit(body)
    assert len(cut) <= MAX_COMMENT_CHARS
    assert cut.endswith("the run's job summary has it all.\n")
    assert "\n- line 10\n" in cut
    kept = cut.split("\n\n… cut here")[0].splitlines()
    assert kept[-1].startswith("- line ") and kept[-1] == f"- line {len(kept) - 1}"
    assert limit("short\n") == "short\n"
