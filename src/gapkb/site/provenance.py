"""Template helpers for dates and proof: status lines, applicability, amendments, verification."""

from __future__ import annotations

from gapkb import timeline
from gapkb.model import Concept, Instrument, Provision
from gapkb.site import dates
from gapkb.site.dates import IN_FORCE
from gapkb.site.model import LinkView, SiteModel
from gapkb.site.proof import proof_text, verification_kind
from gapkb.site.sanitize import Md, inert


class ProvenanceHelpers:
    """Mixed into PageHelpers: what a page says about when a provision applies and how a
    quote was checked."""

    model: SiteModel

    def instrument(self, instrument_id: str) -> Md:
        raise NotImplementedError

    def outside(self, url: str | None, text: object) -> Md:
        raise NotImplementedError

    @staticmethod
    def unverified_fields(entry: Concept | Instrument) -> str:
        """The entry's `unverified` list in words, never as internal field paths."""
        return "; ".join(field_words(entry, path) for path in entry.unverified)

    def status_line(self, instrument: Instrument) -> Md:
        """The instrument's status at the as-of date, its dates and the acts that moved them."""
        line = dates.status_line(self.model.instruments, instrument, self.model.as_of, self._name)
        kind = "in-force" if self.model.states[instrument.id] == IN_FORCE else "not-in-force"
        return Md(f'<span class="gk-state gk-state--{kind}">{line}</span>')

    def _name(self, instrument_id: str) -> str:
        """An instrument named in running text: a link when it is in the knowledge base."""
        if instrument_id in self.model.instruments:
            return str(self.instrument(instrument_id))
        return str(inert(instrument_id))

    def applies(self, instrument: Instrument, provision: Provision) -> Md:
        """When the provision applies, amendments followed, and why it does not at the as-of date."""
        state, periods = dates.provision_state(
            self.model.instruments, instrument, provision, self.model.as_of, self._name
        )
        text = dates.periods_text(periods)
        if provision.inserted_by:
            text += f"<br>inserted by {self._name(provision.inserted_by)}"
        deleted = timeline.deletion(self.model.instruments, instrument.id, provision.id)
        if deleted is not None:
            text += f"<br>deleted by {self._name(deleted[1])} from {deleted[0]}"
        # The state's only markup is the instrument links `_name` made; the rest is dates.
        kind = "in-force" if state == IN_FORCE else "not-in-force"
        return Md(f'{text}<br><span class="gk-state gk-state--{kind}">{state}</span>')

    def proof(self, v: LinkView) -> Md:
        """Whether the quote was machine-verified (against which text), checked by hand, or not."""
        link = v.link
        reviewed = link.reviewed.isoformat() if link.reviewed else ""
        kind = verification_kind(v.proof, link.quote_source)
        text = inert(proof_text(v.proof, None, reviewed))
        if kind == "checked by hand" and link.quote_source:
            on = f" on {reviewed}" if reviewed else ""
            text = Md(
                f"checked by hand against {self.outside(link.quote_source, 'the official page')}{on}"
            )
        css = kind.replace(" ", "-")
        return Md(f'<span class="gk-proof gk-proof--{css}">{text}</span>')


def field_words(entry: Concept | Instrument, path: str) -> str:
    """A dotted field path as a reader says it: `provisions.11.applies_from` → "Art. 5
    (Prohibitions): applies from"; `references.1.container` → "reference 2: container"."""
    parts = path.split(".")
    words: list[str] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        index = int(parts[i + 1]) if i + 1 < len(parts) and parts[i + 1].isdigit() else None
        items = getattr(entry, part, None) if i == 0 else None
        if part == "provisions" and isinstance(entry, Instrument) and index is not None:
            label = (
                f"{entry.provisions[index].label} ({entry.provisions[index].title})"
                if index < len(entry.provisions)
                else f"provision {index + 1}"
            )
            words.append(label)
        elif index is not None and isinstance(items, list):
            words.append(f"{part.removesuffix('s').replace('_', ' ')} {index + 1}")
        else:
            words.append(part.replace("_", " "))
        i += 2 if index is not None else 1
    return words[0] + (": " + " ".join(words[1:]) if len(words) > 1 else "")
