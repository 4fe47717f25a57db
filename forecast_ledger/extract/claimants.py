"""Who a sentence names as the speaker: known names, Latin-script names, organisations.

A name is found as the text writes it and given in the form the ledger uses: the claimants
already recorded (and their surnames), and the Chinese forms of people who are often
quoted on AI (马斯克 → Elon Musk). Latin-script names are two or three capitalised words
(Avital Balwit, Jimmy Ba). Organisations that publish forecasts (METR, Epoch AI …) can be
the source of a claim too.

A segmenter was measured for Chinese names and left out: on the shipped article, jieba
0.42's person tag (``nr``) marked 14 words, of which two are names (马斯克, 奥利弗) and
one half a name (和玛丽); the rest are 老虎, 智慧, 谷歌, 宣言书, 光鲜亮丽 …. It missed
库兹韦尔, and loading it took 2.8 s on every run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Chinese forms of people often quoted on AI, by the name the ledger records.
CHINESE_NAMES = {
    "Elon Musk": ("埃隆·马斯克", "马斯克"),
    "Ray Kurzweil": ("雷·库兹韦尔", "库兹韦尔", "库兹维尔"),
    "Jensen Huang": ("黄仁勋",),
    "Sam Altman": ("山姆·奥特曼", "萨姆·奥尔特曼", "奥特曼", "奥尔特曼", "阿尔特曼"),
    "Geoffrey Hinton": ("杰弗里·辛顿", "辛顿", "欣顿"),
    "Demis Hassabis": ("戴密斯·哈萨比斯", "哈萨比斯"),
    "Dario Amodei": ("达里奥·阿莫代", "阿莫代", "阿莫迪"),
    "Mark Zuckerberg": ("马克·扎克伯格", "扎克伯格"),
    "Yann LeCun": ("杨立昆", "杨乐昆"),
    "Fei-Fei Li": ("李飞飞",),
    "Masayoshi Son": ("孙正义",),
    "Kai-Fu Lee": ("李开复",),
    "Bill Gates": ("比尔·盖茨", "盖茨"),
    "Satya Nadella": ("萨提亚·纳德拉", "纳德拉"),
    "Sundar Pichai": ("桑达尔·皮查伊", "皮查伊"),
    "Mustafa Suleyman": ("穆斯塔法·苏莱曼", "苏莱曼"),
    "Yoshua Bengio": ("约书亚·本吉奥", "本吉奥"),
}
ORGANISATIONS = ("METR", "Epoch AI", "AI Impacts", "OpenAI", "Anthropic", "Google DeepMind",
                 "DeepMind", "xAI", "Metaculus")
NOT_NAMES = {"The", "This", "That", "These", "In", "On", "At", "By", "For", "And", "But",
             "New", "My", "Our", "Your", "AI", "If", "When", "As", "A", "An", "It", "He",
             "She", "They", "We", "I", "Last", "Next", "Early", "Late", "Mid", "Tragedies",
             "Nothing", "Published", "Updated", "Chief", "Dr", "Mr", "Ms", "Mrs", "Prof",
             "Professor", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
             "Sunday", "January", "February", "March", "April", "May", "June", "July",
             "August", "September", "October", "November", "December"}
# Words that make a capitalised name an organisation, not a person.
ORGANISATION_WORDS = {"University", "Labs", "Lab", "Institute", "Inc", "Group", "Facility",
                      "Project", "Conference", "Company", "Corporation", "Foundation",
                      "Center", "Centre", "Agency", "Department", "Ministry", "Council",
                      "Magazine", "Times", "Post", "Journal", "News", "National", "Fund",
                      "Capital", "Partners", "Ventures", "AI", "Research", "Systems"}
LATIN_NAME = re.compile(r"(?<![A-Za-z])[A-Z][a-z]+(?:[ -](?:[A-Z][a-z]+|[A-Z]\.)){1,2}(?![a-zA-Z])")
PRONOUNS = re.compile(r"(?<![其吉])[他她](?!们|人|者)|\b(?:he|she)\b", re.I)
QUOTED_I = re.compile(r"[“\"「『][^”\"」』]*(?:我|\bI\b)")


@dataclass(frozen=True)
class Mention:
    name: str  # as the ledger records it
    start: int
    end: int
    person: bool


class Names:
    """The names an extraction knows: built once per article from the ledger's claimants."""

    def __init__(self, known: Iterable[str] = ()):
        forms: dict[str, str] = {}
        for canonical, chinese in CHINESE_NAMES.items():
            for form in chinese:
                forms[form] = canonical
            forms[canonical] = canonical
        for name in known:
            forms.setdefault(name, name)
            last = name.split()[-1] if " " in name else None
            if last and len(last) >= 3 and last[0].isupper():
                forms.setdefault(last, name)
        self.forms = forms
        self.pattern = re.compile("|".join(
            re.escape(f) for f in sorted(forms, key=len, reverse=True)))
        self.organisations = re.compile(r"(?<![A-Za-z])(?:" + "|".join(
            re.escape(o) for o in sorted(ORGANISATIONS, key=len, reverse=True)) + r")(?![A-Za-z])")

    def learn(self, name: str) -> None:
        """A person named in full is named by surname afterwards (Petrova, Chen)."""
        last = name.split()[-1] if " " in name else None
        if last and last not in self.forms and len(last) >= 3 and last[0].isupper():
            self.forms[last] = name
            self.pattern = re.compile("|".join(
                re.escape(f) for f in sorted(self.forms, key=len, reverse=True)))

    def mentions(self, sentence: str) -> list[Mention]:
        """Every name in ``sentence``, in order; the longest form wins where forms overlap."""
        found: list[Mention] = []
        taken: list[tuple[int, int]] = []

        def add(start: int, end: int, name: str, person: bool) -> None:
            if any(a < end and start < b for a, b in taken):
                return
            taken.append((start, end))
            found.append(Mention(name, start, end, person))

        for m in self.pattern.finditer(sentence):
            if _whole_word(sentence, m.start(), m.end()):
                add(m.start(), m.end(), self.forms[m.group()], True)
        for m in LATIN_NAME.finditer(sentence):
            words = re.split(r"[ -]", m.group())
            if words[0] in NOT_NAMES or words[-1] in NOT_NAMES:
                continue
            person = not ORGANISATION_WORDS.intersection(words)
            add(m.start(), m.end(), self.forms.get(m.group(), m.group()), person)
        for m in self.organisations.finditer(sentence):
            add(m.start(), m.end(), m.group(), False)
        return sorted(found, key=lambda mention: mention.start)


def _whole_word(text: str, start: int, end: int) -> bool:
    """A Latin-script form must not be part of a longer word (Ba in Bay)."""
    if not text[start:end].isascii():
        return True
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii()
                                                                and after.isalnum())


def refers_back(sentence: str) -> bool:
    """The sentence speaks of someone named before: he, she, 他, 她, or a quoted 我/I."""
    return bool(PRONOUNS.search(sentence) or QUOTED_I.search(sentence))
