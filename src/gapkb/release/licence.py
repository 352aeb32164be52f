"""The licences: MIT for the code, CC BY 4.0 for the content, and the basis for quoting official texts.

One place for the licence facts that the dumps, the CSV metadata, the dataset description,
CITATION.cff, .zenodo.json, the README and the site footer all state.
"""

from __future__ import annotations

from dataclasses import dataclass

COPYRIGHT_HOLDER = "gapkb contributors"


@dataclass(frozen=True)
class Licence:
    """A licence by its SPDX identifier, name and canonical URL."""

    spdx: str
    name: str
    url: str


CODE_LICENCE = Licence("MIT", "MIT License", "https://spdx.org/licenses/MIT.html")
CONTENT_LICENCE = Licence(
    "CC-BY-4.0",
    "Creative Commons Attribution 4.0 International",
    "https://creativecommons.org/licenses/by/4.0/",
)


@dataclass(frozen=True)
class QuoteBasis:
    """Why quotes of one jurisdiction's official texts may be reproduced here."""

    jurisdiction: str
    basis: str


# Each basis names the rule it rests on; a jurisdiction not listed falls under the last
# entry. LICENSE-CONTENT.md repeats this list (tests/release/test_licence_files.py).
QUOTE_BASES = (
    QuoteBasis(
        "European Union",
        "Commission Decision 2011/833/EU of 12 December 2011 on the reuse of Commission documents",
    ),
    QuoteBasis(
        "United States (federal)",
        "17 U.S.C. § 105: copyright protection is not available for any work of the United "
        "States Government",
    ),
    QuoteBasis(
        "United States (states)",
        "the government edicts doctrine: Georgia v. Public.Resource.Org, Inc., "
        "140 S. Ct. 1498 (2020)",
    ),
    QuoteBasis(
        "People's Republic of China",
        "Copyright Law of the People's Republic of China, Art. 5: the law does not apply to "
        "laws, regulations and other documents of a legislative, administrative or judicial "
        "nature, or to their official translations",
    ),
    QuoteBasis(
        "Japan",
        "Copyright Act (Act No. 48 of 1970), Art. 13: the Constitution and other laws and "
        "regulations, and notices and directives of public bodies, are not the subject of "
        "the rights of authors",
    ),
    QuoteBasis(
        "Republic of Korea",
        "Copyright Act, Art. 7: the Constitution, Acts, treaties, decrees, ordinances and "
        "public notices are not protected",
    ),
    QuoteBasis(
        "Other jurisdictions and non-governmental texts",
        "short quotation for the purpose of criticism and review, with the source named "
        "(Berne Convention, Art. 10(1), and the national rules that implement it)",
    ),
)

FOOTER_TEXT = (
    f"Content: {CONTENT_LICENCE.name} ({CONTENT_LICENCE.spdx}). "
    f"Code: {CODE_LICENCE.spdx}. Quotes of official texts are reproduced under the terms "
    "of their publishers."
)


def quote_note_markdown() -> str:
    """The note on quotes of official texts, as a Markdown list, one jurisdiction a line."""
    lines = [
        "Quotes of official texts are not covered by the content licence: they are "
        "reproduced under the terms of their publishers, on these bases:",
        "",
    ]
    lines.extend(f"- **{b.jurisdiction}**: {b.basis}." for b in QUOTE_BASES)
    return "\n".join(lines) + "\n"
