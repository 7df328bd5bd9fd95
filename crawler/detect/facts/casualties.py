"""Casualty counts in normalised Arabic: who was killed or wounded, and how many."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from itertools import pairwise

import ahocorasick

from crawler.detect.facts.numbers import (
    APPROXIMATE,
    HUNDREDS,
    ORDINALS,
    TENS,
    UNITS,
    VAGUE,
    parse_number,
)
from crawler.detect.lexicon import load
from crawler.detect.text.morphology import (
    DUAL_PREFIXES,
    PEEL_CONJUNCTIONS,
    PEEL_PARTICLES,
    peel_conjunction,
)
from crawler.detect.text.normalise import normalise
from crawler.detect.text.sentences import split_plain

# Who a count is about, as users read it in an alert.
SECURITY = "security forces"
CIVILIANS = "civilians"
MILITANTS = "militants"
VICTIMS = "victims"  # people the text does not describe further

_TOKEN = re.compile(r"\w+|[^\w\s]")
_STOP = frozenset(",.:;!?")

# The words of a toll are data: data/lexicons/casualties.yaml says what each list is for, with
# examples. Here each list is read as the grammar needs it: with the article, with a clitic, by
# stem.
_LEXICON = load("casualties")
_words = _LEXICON.words


def _with_article(words: frozenset[str]) -> frozenset[str]:
    return words | {f"ال{w}" for w in words if not w.startswith("ال")}


def _kinds(name: str, forms: Callable[[str], Iterable[str]] = lambda w: (w,)) -> dict[str, str]:
    """A list of killed and injured words, as word → kind, each word in its `forms`."""
    return {
        form: kind for kind, ws in _LEXICON.groups(name).items() for w in ws for form in forms(w)
    }


# A trigger before its count: مقتل 4، قتلت 4 من، إصابة اثنين، أعدموا 21.
KILLED_BEFORE = _with_article(_words("killed_before"))
# «خسرت القوات أربعة من مقاتليها»: a loss counts only with «من» and the side's own members
LOSS = _words("loss")
INJURED_BEFORE = _with_article(_words("injured_before"))
# Two-word triggers: أودى بحياة، حصد أرواح
KILLED_PHRASES = _LEXICON.pairs("killed_phrases")
_HEADS = normalise("رؤوس")
_DIED = _words("died")
# «وتوفي اليوم جندي رابع»: the ordinal is the toll
_ORDINAL = ORDINALS
_NTH_DEAD = re.compile(
    r"(?:توفي|توفيت|قتل|لقي|استشهد|ليرتفع\s+\S+)\s+(?:\S+\s+){0,2}?"
    r"(?:جندي|شخص|عنصر|مدني|شرطي|عسكري|ضحيه|مصاب|جريح)\s+"
    rf"({'|'.join(_ORDINAL)})(?!\w)"
)
_MET_DEATH = _LEXICON.ordered("met_death")
# «استشهاد الرائد سالم …»: a title names one person
_CIVIL_TITLES = _with_article(_words("civil_titles"))
_TITLES = _with_article(_words("titles")) | _CIVIL_TITLES
# «الرقيب أول …، والعريف …، والجندي …»: ranks that open each name of a roll of the dead
_ROLL_RANKS = frozenset(w for w in _TITLES if w.startswith("ال")) | frozenset(
    f"ال{w}" for w in _words("ranks")
)
_ROLL_DEAD = _LEXICON.ordered("roll_dead")
_ROLL_HURT = _LEXICON.ordered("roll_hurt")
_NAMES_END = _words("names_end")
_NAMES_WITH_WAW = _words("names_with_waw") | _with_article(_words("names_waw_root"))
_NAMES_KILLED_AFTER = _LEXICON.ordered("names_killed_after")
_NAMES_ASIDE = _words("names_aside")
_EACH = frozenset(normalise(w) for w in ("كل", "كلا", "وكل", "وكلا"))
# «موظفين اثنين»: a number after its noun
# «الجرحى السبعة»: a number word with the article after a named toll (three and up: «الأحد»
# and «الاثنين» are days too).
# «نجا مصابا»، «وصل مصابا بكسر»: the state someone came through in, one hurt
_HURT_STATE = _words("hurt_state")
_CAME_THROUGH = _words("came_through")
_WOUNDS = _words("wounds")
# «نجا ثالثهما بجروح»: came through with wounds, one hurt
_WOUNDED_BY = frozenset(f"ب{w}" for w in _WOUNDS)
# «على جثة الجندي»: the singular body is one dead, with or without a number after it
_ONE_BODY = frozenset(f"{c}جثه" for c in ("", "و", "ب", "وب", "ف"))
_DEFINITE_NUMBERS = {
    f"ال{word}": value
    for table in (UNITS, TENS)
    for word, value in table.items()
    if value >= 3 and not word.endswith("عشر")
}
_AFTER_ITS_NOUN = frozenset(normalise(w) for w in ("اثنين", "اثنان", "اثنتين", "اثنتان"))
# «والاثنان الآخران أصيبا»: the nominative two with the article (not «الاثنين»: a day too)
_DEFINITE_TWO = {normalise(w): 2 for w in ("الاثنان", "الاثنتان")}
# «توفي متأثرا بإصابته»: died of his wounds; the wound after it is his, no count
_DIED_OF = _words("died_of")
# «الحصيلة الأولى»، «الحصيلة الأولية»: the first count, which a later one replaces
_FIRST_TOLL = frozenset(normalise(w) for w in ("الأولى", "الأولية"))
_RELATIVE = frozenset(normalise(w) for w in ("الذين", "اللذين", "اللذان", "الذي", "التي"))
_MOURN = frozenset(normalise(w) for w in ("نعى", "ينعى", "تنعى", "نعت", "نعي"))
# «المهندسين … اللذين توفيا جراء التفجير»: two named before, and what befell them;
# «الشيخ إدريس … الذي اغتيل مساء أمس»: one
_DUAL_RELATIVE = frozenset(normalise(w) for w in ("اللذين", "اللذان", "اللتين", "اللتان"))
_ONE_RELATIVE = frozenset(normalise(w) for w in ("الذي", "التي"))
_BEFELL = {
    **{(2, verb): kind for verb, kind in _kinds("dual_verbs").items()},
    **{(1, verb): kind for verb, kind in _kinds("one_verbs").items()},
}
# «الذي استشهد فيه ثلاثة»، «بجروحه التي أصيب بها»: the clause's own event or wound, not the
# one named before
_CLAUSE_OWN = _words("in_it") | frozenset(normalise(w) for w in ("بها", "به"))
# «قتلت امرأة وطفلاها»: one, and two of hers
_KIN_TWO = frozenset(
    f"و{stem}{suffix}" for stem in _words("kin_dual_stems") for suffix in ("ه", "ها")
)
# «قتل رجل وأبناؤه الثلاثة»: his, as many as the number after says
_KIN_MANY = frozenset(
    f"و{stem}{suffix}" for stem in _words("kin_plural_stems") for suffix in ("ه", "ها", "هم")
)
# «وأصيب طفلاها»: two of someone named before
_KIN_DUAL = frozenset(
    f"{stem}{suffix}" for stem in _words("kin_dual_stems") for suffix in ("ه", "ها")
)
# «فأردوه قتيلا»: shot one dead (the dual «أردوهما قتيلين» is read by its noun)
_SHOT_DEAD = frozenset(f"{c}{w}" for w in _words("shot_dead") for c in ("", "ف", "و"))
# «أكد مصدر أمني أن القتلى اثنان»: the noun, then its figure
_NAMED_TOLL = _kinds("named_toll")
_CUT = tuple(f"{c}{normalise('قطع')}" for c in ("", "و", "ف"))
# «ليصبح إجمالي الجرحى عشرة»، «عدد المصابين الإجمالي ستة»: a toll's total
_TOLL_TOTAL = _words("toll_total")
# «عدد الجرحى بات أحد عشر»: what a toll has come to
_BECAME = frozenset(f"{c}{w}" for w in _words("became") for c in ("", "و", "ف"))  # «وبلغ»
# «القتلى: 4 / الجرحى: 9»، «جرحى – 7»: a table's label, a mark, its figure
_LABEL_MARKS = frozenset(":-")
_FIELD_ENDS = frozenset(",.:;!?/-|")
# «ليكون الضحية الثالثة للهجوم»: the ordinal of the last victim is the toll
_NTH_VICTIM = re.compile(rf"(?<!\w)ال(?:ضحيه|قتيل|شهيد)\s+ال({'|'.join(_ORDINAL)})ي?ه?(?!\w)")
# «وهو الجندي الثالث الذي يلقى حتفه»، «الطفلة الثانية التي تتوفى»: the ordinal of whoever died
_NTH_WHO_DIED = re.compile(
    r"(?<!\w)ال(?:جندي|شخص|عنصر|مدني|شرطي|عسكري|حارس|ضابط|مجند|طفل|طفله|امراه|عامل)\s+"
    rf"ال({'|'.join(_ORDINAL)})ي?ه?\s+(?:الذي|التي)\s+(?:ي|ت)(?:لقي|قتل|ستشهد|توفي|فارق|سقط)"
)
# A noun after its count: 23 قتيلا، 52 جريحا، عشرات القتلى.
KILLED_AFTER = _with_article(_words("killed_after"))
INJURED_AFTER = _with_article(_words("injured_after"))
# A verb after its count and its noun: 18 شخصا على الأقل أصيبوا.
KILLED_VERBS = _words("killed_verbs")
INJURED_VERBS = _words("injured_verbs")
# A toll: ارتفعت حصيلة القتلى إلى 12، عدد الضحايا 7
TOLL = _words("toll")
# A toll that rose: «ارتفاع قتلى الهجوم إلى أربعة»، «لترتفع الحصيلة إلى خمسة»
_ROSE = frozenset(normalise(w) for w in ("ارتفاع", "ارتفع", "ارتفعت", "ترتفع", "يرتفع"))

_SIDES = {"security": SECURITY, "civilians": CIVILIANS, "militants": MILITANTS, "victims": VICTIMS}
_GROUP_WORDS = {_SIDES[side]: frozenset(words) for side, words in _LEXICON.groups("groups").items()}
GROUP_OF = {w: g for g, ws in _GROUP_WORDS.items() for w in _with_article(ws)}
_GROUP_STEMS = frozenset(GROUP_OF)
# Organisations that say which side «عناصر من …» or «في صفوف …» are on.
_SECURITY_ORGS = _with_article(_words("security_orgs"))
_MILITANT_ORGS = _with_article(_words("militant_orgs"))
_PEOPLE_OF = _words("people_of")
DUALS = _with_article(_words("duals"))
SINGULARS = _words("singulars")
SINGULARS = SINGULARS | {f"{w}ا" for w in SINGULARS if not w.endswith("ه")}
_ONE = _words("one")
_ONE = _ONE | {f"{w}ا" for w in _ONE if not w.endswith("ه")}  # «وجرحت ثالثا»: the accusative
# «قتلوا نجله وأصابوا شقيقه»: one relative of someone named before
_KIN = frozenset(
    # «زوجة» + «ه» is «زوجته»: the ta marbuta comes back before a pronoun
    (f"{stem[:-1]}ت{suffix}" if stem.endswith("ه") and suffix else f"{stem}{suffix}")
    for stem in _words("kin_stems")
    for suffix in ("", "ه", "ها", "هم", "هما")
)
# «وأصيب مرافقه»: one person, his (not «سائقها»: a car's driver, the bomber's)
_HIS_COMPANIONS = frozenset(
    f"{stem}{suffix}" for stem in _words("companion_stems") for suffix in ("ه", "هم", "هما")
)
# «قتل ضابط ومساعده»: one of his, only right after the one named (alone, «سائقها» may be anyone's)
_COMPANIONS = _KIN | frozenset(
    f"{stem}{suffix}" for stem in _words("companion_stems") for suffix in ("ه", "ها")
)
_ALSO = frozenset(normalise(w) for w in ("كما", "وكما"))
_ANOTHER = frozenset(normalise(w) for w in ("آخر", "أخرى"))
# «وقتل خامس»: the next one of the people counted before (not «أحد»، «آخر»)
_NEXT_ONES = frozenset(w for w in _ONE if w.removesuffix("ا") in ORDINALS)
_ONE_MORE = _words("one_more")  # «مقتل عسكري واحد»
# One casualty named by its noun: «سقوط قتيل وثلاثة جرحى»
_ONE_CASUALTY = _kinds("one_casualty")
# «الضحية الوحيدة للهجوم»، «جريح الهجوم الوحيد»: the only one, of the noun's kind
_ONLY = frozenset(normalise(w) for w in ("الوحيد", "الوحيدة"))
_ONLY_NOUNS = {
    f"{c}{a}{noun}": kind
    for noun, kind in {
        **{n: k for n, k in _ONE_CASUALTY.items() if not n.endswith("ا")},
        normalise("ضحية"): "killed",
    }.items()
    for a in ("", "ال")
    for c in ("", "ل", "و")
}
# A claim ends where another source speaks: «زعم التنظيم … بينما قال مصدر عسكري إن …»
_CONTRAST = _words("contrast")
_SPEAKERS = _words("speakers")
# «يضاف إليهم قتيلان سقطا في اشتباكات لاحقة»: the day's fighting, not the attack's toll
_ADDED = re.compile(r"(?<!\w)يضاف\s+(?:اليهم|اليها|اليهما|الي)(?!\w)")
_FIGHTING = re.compile(r"معارك|اشتباك|مواجهات|المعارك")
# «ما أدى إلى مقتله وإصابة زوجته»: a trigger with "his/her" is one person
_SELF = _kinds(
    "self_stems",
    lambda stem: (f"{c}{stem}{s}" for s in ("ه", "ها") for c in ("", "و", "ف", "ب", "ل", "وب")),
)
# «اقتادوا الراعيين وأعدموهما»، «ما أدى إلى مقتلهما»: "them two" is two persons
_SELF_TWO = _kinds(
    "self_stems", lambda stem: (f"{c}{stem}هما" for c in ("", "و", "ف", "ب", "ل", "وب"))
)
_SELF = {**_SELF, **_SELF_TWO}
_FROM_THEM = _words("from_them")  # «وقتلت أربعة منهم»: of the people named before
# «قتل، فجر اليوم، ثلاثة شبان»: a time between commas does not part a verb from its count
_TIME = _words("time")
_END_OF_GROUP = _words("end_of_group")
# «قتلوا خلاله حارس المقر»: passed over after a trigger, as if it were not there
_ASIDE = _words("aside")
# «توفي صباح اليوم العقيد …»: the time between a verb and the one it befell
_TIME_ASIDE = _words("time_aside")
_SKIP_IN_GROUP = _words("skip_in_group")
# «عناصره، أفرادها، مقاتليه»: members of an organisation named earlier
# «من رفاقنا»، «من عناصرنا»: the speaker's own side, never the actor named before him
_OURS = frozenset(f"{stem}نا" for stem in _words("possessed_stems") | _words("our_stems"))
_POSSESSED = _OURS | frozenset(
    f"{stem}{suffix}" for stem in _words("possessed_stems") for suffix in ("ه", "ها", "هم")
)
_OTHERS = _words("others")
_AMONG = _words("among")  # «بين القتلى 5 أطفال»: part of them
_SUBSET = _words("subset")
# A number next to these is not a head count: a unit (اللواء 106), a distance, a date, money.
_NOT_COUNT_BEFORE = _with_article(_words("not_count_before")) - {
    normalise("اليوم")
}  # «خلف صباح اليوم 14 قتيلا»: "today", not a day of the month
_NOT_COUNT_AFTER = _with_article(_words("not_count_after"))
_PERCENT = frozenset(_LEXICON.pairs("percent"))
# «لم يسفر عن أي ضحايا»، «دون وقوع إصابات»: a count of zero, of the dead and the hurt alike;
# «لم يسفر عن سقوط قتلى»، «لم يقتل أحد» says nothing of the hurt (zero killed only).
_NONE_LED = r"(?:لم\s+(?:ي|ت)(?:سفر|تسبب|خلف|وقع|قع|سجل|سقط)\w*|نف(?:ي|ت|وا))\s+(?:\S+\s+){0,12}?(?:عن\s+|في\s+)?(?:سقوط\s+|وقوع\s+)?(?:(?:اي|ايه)\s+)?"
_WITHOUT = (
    r"(?:دون|بدون|عدم)\s+"
    # «دون إطلاق نار أو وقوع إصابات»، «دون مقاومة أو إصابات»: without this or harm (not «دون
    # ذكر عدد الضحايا أو …»: what a source left unsaid)
    r"(?:(?:(?!ذكر|تحديد|الاشاره|الكشف|توضيح|ان\s)\S+\s+){1,3}?او\s+)?"
    r"(?:(?:وقوع|سقوط|تسجيل|ان\s+(?:ت|ي)(?:سجل|قع|سقط))\s+"
    # «دون أن يسفر القصف عن إصابات»
    r"|ان\s+(?:ي|ت)(?:سفر|خلف|تسبب)\w*\s+(?:\S+\s+){0,4}?(?:عن|في)\s+(?:(?:سقوط|وقوع)\s+)?)?"
    r"(?:(?:اي|ايه)\s+)?"
)
_HARM = (
    r"(?:ضحايا|اصابات|خساير بشريه|اضرار بشريه|اصابات بشريه"
    r"|(?:قتلي|خساير في الارواح)\s+(?:او|ولا|و)\s*(?:جرحي|مصابين|اصابات))"  # «… أو إصابات»
)
_DEATHS = (
    r"(?:قتلي|خساير في الارواح|وفيات|حال(?:ه|ات)\s+(?:وفاه|وفيات)"  # «أي حالة وفاة»
    r"|(?:قتيل|شهيد)(?!\w))"  # «لم يخلف أي شهيد»، «نفى وقوع أي قتيل»
)
_ZERO = re.compile(
    # every branch starts with one of these letters: the lookahead spares the rest of the
    # pattern (and its lookbehind) at every other letter
    r"(?=[لنبدعاخم])(?:"
    rf"{_NONE_LED}{_HARM}|{_WITHOUT}{_HARM}"
    # the Libyan and Maghrebi «ما فيش إصابات»، «مافيش ضحايا»: there are none
    r"|(?:(?<!\w)|(?<=\sو))ما\s?في(?:ش|هاش)\s+(?:اي\s+)?(?:ضحايا|اصابات|خساير)(?!\s+(?:\S+\s+)?(?:من|بين|في صفوف)\s+(?:ال)?مدني)"
    r"|لم\s+(?:ي|ت)تكبد\s+(?:\S+\s+){0,3}?(?:اي\s+)?خساير"
    r"|(?:(?<!\w)|(?<=\sو))لا\s+(?:(?:يوجد|توجد)\s+)?(?:اي\s+)?(?:ضحايا|اصابات|خساير)(?!\s+(?:\S+\s+)?(?:من|بين|في صفوف)\s+(?:ال)?مدني)|لم\s+(?:ي|ت)صب\s+(?:احد|اي\s+من)|(?:دون|بدون)\s+ان\s+(?:\S+\s+){0,4}?(?:او\s+)?(?:ي|ت)صاب\s+(?:احد|اي\s+من)|لم\s+(?:ي|ت)سجل\s+(?:اي|ايه)\s+(?:اصابات|ضحايا|خساير بشريه)(?!\s+(?:\S+\s+)?(?:من|بين|في صفوف)\s+(?:ال)?مدني)"
    # «لم يصب المدير ولا أي من مرافقيه بأذى»: the one named and everyone with him unharmed
    r"|لم\s+(?:ي|ت)صب(?:وا|ا)?\s+(?:\S+\s+){1,3}?(?:ولا|او)\s+(?:\S+\s+){1,4}?باذي"
    # «أكد البيان أن أحدا لم يصب بأذى»: nobody, named before the denial
    r"|(?<!\S)احدا?\s+لم\s+(?:ي|ت)(?:صب|تعرض)"
    # «لم يتعرض أي من أفراد البوابة لأذى»: nobody came to harm
    r"|لم\s+(?:ي|ت)تعرض\s+(?:احد|اي)\s+(?:\S+\s+){0,4}?(?:لاذي|لاي\s+اذي)"
    # «لم ترد أنباء عن وقوع إصابات»: the wires' way of saying none
    rf"|لم\s+(?:ي|ت)رد\s+(?:اي\s+)?(?:انباء|معلومات|تقارير)\s+(?:\S+\s+){{0,3}}?عن\s+(?:(?:سقوط|وقوع)\s+)?(?:اي\s+)?{_HARM}"
    # «اقتصرت الأضرار على الماديات»، «أضرار مادية فقط»: things were hit, nobody
    r"|اقتصرت\s+(?:ال)?(?:اضرار|خساير)\s+علي|(?:اضرار|خساير)\s+ماديه\s+فقط|(?:اضرار|خساير)\s+كانت\s+ماديه\s+فقط"
    # «أن الأضرار اقتصرت على الماديات»
    r"|(?:اضرار|خساير)\s+اقتصرت\s+علي\s+(?:ال)?ماديات"
    # a Libyan mayor: «لا ميت لا مجروح»
    r"|لا\s+ميت\s+(?:و\s*)?لا\s+مجروح"
    r")"
)
_ZERO_KILLED = re.compile(
    r"(?=[لنبدعم])(?:"
    rf"{_NONE_LED}{_DEATHS}|{_WITHOUT}{_DEATHS}|لم\s+يقتل\s+احد|لم\s+يسقط\s+(?:اي\s+)?قتلي"
    # a Libyan witness: «ما فيش حد مات»، «مافيش حتى حد مات»: nobody died (the hurt apart)
    r"|(?:(?<!\w)|(?<=\sو))ما\s?فيش\s+(?:حتي\s+|اي\s+)?حد\s+مات(?!\w)"
    # «لا ميت لا مجروح»: nobody dead (the hurt in _ZERO)
    r"|(?:(?<!\w)|(?<=\sو))لا\s+ميت(?!\w)"
    r")"
)
# Every match of _ZERO holds one of these words, every match of _ZERO_KILLED one of the others.
# «لم يصب، لم تصب»، «دون أن يصاب أحد»
_ZERO_WORDS = (
    "ضحايا", "اصابات", "خساير", "اضرار", "قتلي", "صب", "اذي", "يصاب", "تصاب", "مجروح"
)  # fmt: skip
_ZERO_KILLED_WORDS = ("قتلي", "خساير", "وفيات", "يقتل", "وفاه", "مات", "قتيل", "شهيد", "ميت")
# Every match of either also opens on one of these words, then a blank (`\s`: every character
# that isspace, none above U+3000), or holds one of the others for _ZERO: most sentences that
# tell a toll hold none, and are spared the patterns.
_BLANKS = tuple(char for char in map(chr, range(0x3001)) if char.isspace())
_NEGATIONS = tuple(
    f"{word}{blank}" for word in ("لم", "نفي", "نفت", "نفوا", "دون", "عدم") for blank in _BLANKS
)
_ZERO_HEADS = (
    *_NEGATIONS, *(f"لا{blank}" for blank in _BLANKS), "فيش", "فيهاش", "اقتصرت", "ماديه"
)  # fmt: skip
# «مؤكدة عدم إصابة أي مدني»، «لم تسفر الغارة عن إصابة أي مدني»: no civilian hurt; none at all
# only where the sentence counts no one but the attackers (a side of their own)
# (the residents and the people of a place are civilians too: «لم يصب أي من سكان الحي»)
_CIVILIANS = r"(?:(?:ال)?مدني|سكان|(?:ال)?اهالي|(?:ال)?مواطنين)"
_NO_CIVILIAN = re.compile(
    rf"(?:عدم|دون|بدون|عن)\s+(?:اصابه|سقوط|مقتل|وقوع)\s+(?:اي\s+)?(?:ضحايا\s+)?(?:من\s+)?{_CIVILIANS}"
    rf"|لم\s+(?:ي|ت)(?:قتل|صب|جرح)(?:\s+(?:او|ولم)\s+(?:ي|ت)(?:قتل|صب|جرح))?\s+(?:اي|احد)\s+(?:من\s+)?{_CIVILIANS}"
    r"|(?:لا\s+(?:يوجد|توجد)|لم\s+(?:ي|ت)(?:سجل|قع|سقط)|دون|بدون|عدم\s+(?:وقوع|تسجيل))\s+(?:اي\s+)?"
    rf"(?:ضحايا|اصابات|قتلي|خساير)\s+(?:\S+\s+)?(?:من|بين|في صفوف)\s+{_CIVILIANS}"
)
# «ولا نعتقد أن أي مدني قتل أو أصيب»: a denial before the civilian and the verb; the verb's
# «one civilian hurt» is no count
_DENIED_CIVILIAN = re.compile(
    rf"(?:لا|لم|ليس)\s+(?:\S+\s+){{0,3}}?(?:اي|احد)\s+(?:من\s+)?{_CIVILIANS}\S*\s+(?:قد\s+)?(?:قتل|اصيب|جرح)\S*"
    r"(?:\s+(?:او|ولا|و)\s+(?:قتل|اصيب|جرح)\S*)?"
)
# «لم يصب أحد»، «ما حد تأذى»، «أحدا من العاملين لم يصب بأذى»: a denial, a "nobody" and a verb of
# harm in one clause (lexicons/casualties.yaml, "Nobody hurt"), the phrasings _ZERO lists aside
_NOBODY_NEGATORS = _words("nobody_negators")
_NOBODY = _words("nobody")
_NOBODY_HURT = _words("nobody_hurt")
_NOBODY_KILLED = _words("nobody_killed")
_NOBODY_EXCEPT = _words("nobody_except")
_NOBODY_NEGATOR_FORMS = PEEL_CONJUNCTIONS.forms(_NOBODY_NEGATORS)
# the words of `_CIVILIANS`, as a set of whole words
_NOBODY_CIVILIANS = _with_article(
    frozenset(normalise(w) for w in ("مدنيين", "مدني", "سكان", "اهالي", "مواطنين"))
)


_MARTYRED_BEFORE = frozenset(normalise(w) for w in ("استشهدوا", "واستشهدوا", "استشهدا"))
_CONSTRUCT_TOLL = {
    **{normalise(w): "killed" for w in ("شهداء", "قتلى", "ضحايا", "جثامين", "جثث")},
    **{normalise(w): "injured" for w in ("جرحى", "مصابي")},
}
_EXCEPTION_AFTER = re.compile(r"\s*(?:\S+\s+)?(?:سوي|الا|باستثناء|عدا|ماعدا|بخلاف)(?!\w)")


def _none_without_exception(sentence: str) -> bool:
    """_ZERO says none, and no «سوى الحارس» follows to name the one who was hurt."""
    return any(
        _EXCEPTION_AFTER.match(sentence, match.end()) is None for match in _ZERO.finditer(sentence)
    )


_ONE_OF_NOBODY = frozenset({"احد", "حد", "واحد"})  # «أحد الجنود»: one of them, not nobody
_ANY = frozenset({"اي", "ايا"})  # «أي من الركاب»، «أي جندي»: a person, not «أي هدف»
_OF = normalise("من")
_THERE_IS = frozenset({"فيش", "فيه", "في"})  # «ما فيش حد مات»


def _is_nobody(tokens: Sequence[str], at: int, before: bool = False) -> bool:
    word = tokens[at]
    if word not in _NOBODY:
        word = peel_conjunction(word)
        if word not in _NOBODY:
            return False
    after = tokens[at + 1] if at + 1 < len(tokens) else ""
    if word in _ANY:
        return after == _OF or after in _FROM_THEM or after in SINGULARS
    if before:
        return word.endswith("ا")  # «أن أحدا من العاملين لم يصب»: the accusative subject
    return word not in _ONE_OF_NOBODY or not after.startswith("ال")


def _nobody_harmed(tokens: Sequence[str]) -> frozenset[str]:
    """The kinds a clause of the sentence says nobody suffered: both for a verb of harm, the
    dead alone for a verb of killing; none when an exception or civilians alone follow."""
    kinds: set[str] = set()
    count = len(tokens)
    for at, token in enumerate(tokens):
        negator = token if token in _NOBODY_NEGATORS else peel_conjunction(token)
        if negator not in _NOBODY_NEGATORS:
            continue
        if negator == "ما" and not (
            at + 1 < count and (_is_nobody(tokens, at + 1) or tokens[at + 1] in _THERE_IS)
        ):
            continue  # «ما» is a denial in the dialect before «حد، فيش»; elsewhere «what»
        # «ما فيه حتى واحد تعور»: the dialect's denial stands a word further off
        for verb_at in range(at + 1, min(at + (5 if negator == "ما" else 4), count)):
            word = tokens[verb_at]
            if word in _CLAUSE_ENDS:
                break
            verb = (
                word if word in _NOBODY_HURT or word in _NOBODY_KILLED else peel_conjunction(word)
            )
            kind = "hurt" if verb in _NOBODY_HURT else "killed" if verb in _NOBODY_KILLED else None
            if kind is None:
                continue
            after_end = verb_at + 1
            while after_end < min(verb_at + 6, count) and tokens[after_end] not in _CLAUSE_ENDS:
                after_end += 1
            said = any(_is_nobody(tokens, k) for k in range(at, min(verb_at + 4, after_end)))
            if not said:
                k = at - 1
                while k >= max(0, at - 7) and tokens[k] not in _CLAUSE_ENDS - {","}:
                    if _is_nobody(tokens, k, before=True):
                        said = True
                        break
                    k -= 1
            if not said:
                continue
            after = tokens[verb_at + 1 : after_end]
            if any(w in _NOBODY_EXCEPT or peel_conjunction(w) in _NOBODY_EXCEPT for w in after):
                continue  # «لم يصب أحد سوى الحارس»
            if any(w in _NOBODY_CIVILIANS for w in after[:4]):
                continue  # civilians alone: _NO_CIVILIAN reads them beside the attackers' dead
            kinds |= BOTH_KINDS if kind == "hurt" else {"killed"}
            if kind == "hurt" or tokens[verb_at + 1 : verb_at + 2] != ["او"]:
                break
            # «فلم يقتل أو يصب أحد»: a verb of harm after «أو» says the rest
    return frozenset(kinds)


# Words that make the counts after them in a sentence a claim (the attackers' propaganda): an
# official, medical or local count of the same kind wins over it.
_PERIOD = frozenset(_LEXICON.pairs("period"))
_TREATED = frozenset(_LEXICON.pairs("treated"))
_STILL = frozenset(
    normalise(w)
    for w in ("ما", "لا", "زال", "زالا", "زالوا", "زالت", "يزال", "يزالان", "يزالون", "تزال")
)
_ADDITION = frozenset(_LEXICON.pairs("addition"))
_PLURAL_EVENTS = _with_article(_words("plural_events"))
_CLAUSE_ENDS = frozenset(",.:;!?")
_CLAIM_WORDS = _words("claim_words")
# A dual casualty noun is a count on its own: «أسفر عن قتيلين»، «سقط شهيدان»، «وجريحين».
_DUAL_NOUNS = _kinds("dual_nouns", lambda w: (f"{c}{w}" for c in DUAL_PREFIXES))
BOTH_KINDS = frozenset({"killed", "injured"})
# Activists and social media: their count gives way to an official or medical one, like a claim.
_UNOFFICIAL = _words("unofficial")
# a cheap test first
_CLAIM_HINTS = ("زعم", "زاعم", "ادع", "دعي", "اعماق", "ناشط", "نشطا", "مدون", "التواصل")

# The substring tests a sentence's reading makes (an ordinal, the words of the zero-count
# patterns, a claim's hints, «يضاف», «مدني», a period's first word), all in one Aho-Corasick
# pass: word -> its tests. (report.py makes the same pass with the casualty words added.)
TESTS: dict[str, set[str]] = {}
for _test, _words_of_test in (
    ("ordinal", tuple(_ORDINAL)),
    ("zero", _ZERO_WORDS),
    ("zero_killed", _ZERO_KILLED_WORDS),
    ("zero_head", _ZERO_HEADS),
    ("negation", _NEGATIONS),
    ("claim", _CLAIM_HINTS),
    ("added", ("يضاف",)),
    ("civilian", ("مدني", "سكان", "اهالي", "مواطنين")),
    ("period", tuple(dict.fromkeys(first for first, _ in _PERIOD))),
    ("ago", ("قبل",)),
    ("of_wounded", ("جرحي", "مصاب")),
):
    for _word in _words_of_test:
        TESTS.setdefault(_word, set()).add(_test)
_TEST_WORDS = ahocorasick.Automaton()
for _word, _tests in TESTS.items():
    _TEST_WORDS.add_word(_word, frozenset(_tests))
_TEST_WORDS.make_automaton()


def _tests_met(sentence: str) -> set[str]:
    """The tests of TESTS whose words the sentence holds (anywhere, inside words too)."""
    met: set[str] = set()
    for _, tests in _TEST_WORDS.iter(sentence):
        met |= tests
    return met


# «… وعددهم أربعة»: the number of the people named before
_THEIR_NUMBER = frozenset(f"{c}عدد{s}" for c in ("", "و") for s in ("هم", "هما", "هن"))
_CASES = frozenset(normalise(w) for w in ("حالات", "حالة"))
# «استقبل حالتي وفاة»، «وحالتا إصابة»: two cases of a kind, the dual of «حالة»
_TWO_CASES = frozenset(
    f"{c}{w}" for w in ("حالتي", "حالتا", "حالتين", "حالتان") for c in ("", "و", "ب")
)
_DEATH_CASE = frozenset(normalise(w) for w in ("وفاة", "الوفاة"))
_IN = normalise("في")
_WITH = normalise("مع")
_GAP = 6  # words between a trigger and its count (قتل أنصار داعش في ليبيا 14 جنديا)


# A frozen dataclass's __init__ sets each field through object.__setattr__; the reading builds
# a mention for every count, so __init__ writes the slots through their descriptors: the same
# object, faster (a test checks it against the generated __init__).
@dataclass(frozen=True, slots=True, init=False)
class CasualtyMention:
    sentence: int
    kind: str  # killed | injured
    count: int | None  # None: a vague count (عشرات)
    who: str
    approximate: bool = False  # أكثر من، ما لا يقل عن، نحو …
    subset: bool = False  # بينهم 15 جنديا: part of a count already given
    vague: str | None = None
    total: bool = False  # ارتفعت حصيلة القتلى إلى 12: every other count of its kind is part of it
    claimed: bool = False  # after «زعم» or «ادعى»: the attackers' figure, not a toll
    also: bool = False  # «كما قتل مدنيان»: more of the same incident, added to the toll before
    joined: bool = False  # «ثلاثة عمال واثنان من السودان»: joined by و to the count before
    attackers: bool = False  # «ستة، هم ثلاثة انتحاريين وثلاثة حراس»: a count with the attackers
    either: bool = False  # «خمسة ضحايا»: victims, the dead most often, the hurt with them at times
    of_wounded: bool = False  # «توفي أحد الجرحى»: of the hurt counted before, now dead

    def __init__(
        self,
        sentence: int,
        kind: str,
        count: int | None,
        who: str,
        approximate: bool = False,
        subset: bool = False,
        vague: str | None = None,
        total: bool = False,
        claimed: bool = False,
        also: bool = False,
        joined: bool = False,
        attackers: bool = False,
        either: bool = False,
        of_wounded: bool = False,
    ) -> None:
        (
            set_sentence, set_kind, set_count, set_who, set_approximate, set_subset, set_vague,
            set_total, set_claimed, set_also, set_joined, set_attackers, set_either,
            set_of_wounded,
        ) = _SET_MENTION_FIELDS  # fmt: skip
        set_sentence(self, sentence)
        set_kind(self, kind)
        set_count(self, count)
        set_who(self, who)
        set_approximate(self, approximate)
        set_subset(self, subset)
        set_vague(self, vague)
        set_total(self, total)
        set_claimed(self, claimed)
        set_also(self, also)
        set_joined(self, joined)
        set_attackers(self, attackers)
        set_either(self, either)
        set_of_wounded(self, of_wounded)


_MENTION_FIELDS = (
    "sentence", "kind", "count", "who", "approximate", "subset", "vague", "total", "claimed",
    "also", "joined", "attackers", "either", "of_wounded",
)  # fmt: skip
assert tuple(f.name for f in fields(CasualtyMention)) == _MENTION_FIELDS, "__init__ sets each"
_SET_MENTION_FIELDS = tuple(CasualtyMention.__dict__[name].__set__ for name in _MENTION_FIELDS)


# The word of a table that a token is, with or without a proclitic (وقتل → قتل), or None:
# `_bare_in_<table>` (end of the module), one for each table read so.
# Every form of a one-word trigger, clitics included: one set test per token.
_KILLED_BEFORE_FORMS = PEEL_PARTICLES.forms(KILLED_BEFORE)
# «… وخطفوا موظفين اثنين»: another act; the people after it are not the trigger's count
_OTHER_ACT_FORMS = PEEL_PARTICLES.forms(_words("other_acts"))
_OBJECT_PRONOUNS = frozenset(("ه", "ها", "هم", "هما"))
# the same acts with their object pronoun («خطفهما»), for one set test per token
_OTHER_ACT_ON_FORMS = _OTHER_ACT_FORMS | frozenset(
    f"{form}{pronoun}" for form in _OTHER_ACT_FORMS for pronoun in _OBJECT_PRONOUNS
)
_INJURED_BEFORE_FORMS = PEEL_PARTICLES.forms(INJURED_BEFORE)
_PHRASE_SECONDS = frozenset(second for _, second in KILLED_PHRASES)
# the words `_trigger` reads as a trigger on their own (a phrase needs its second word)
_ONE_WORD_TRIGGERS = (
    _KILLED_BEFORE_FORMS | _INJURED_BEFORE_FORMS | _DIED | _MARTYRED_BEFORE | {_HEADS}
)
# The same for the words a claim's scan tests on every token of a sentence with two counts.
_SPEAKER_FORMS = PEEL_PARTICLES.forms(_SPEAKERS)
_CONTRAST_FORMS = PEEL_PARTICLES.forms(_CONTRAST)
_MILITANT_ORG_FORMS = PEEL_PARTICLES.forms(_MILITANT_ORGS)
# the words that open a claim: `_bare_in_claim_words` or `_bare_in_unofficial` finds a stem
_CLAIM_FORMS = PEEL_PARTICLES.forms(_CLAIM_WORDS) | PEEL_PARTICLES.forms(_UNOFFICIAL)


def _trigger(tokens: Sequence[str], index: int) -> tuple[str, int] | None:
    """(kind, length) of a count-before trigger at `index`."""
    token = tokens[index]
    if token not in _ONE_WORD_TRIGGERS and not (
        index + 1 < len(tokens) and tokens[index + 1] in _PHRASE_SECONDS
    ):
        return None  # most words: one look-up
    if token in _SELF:
        return None  # «مقتله»: read as one person in sentence_casualties
    if token in _KILLED_BEFORE_FORMS:
        return "killed", 1
    if token in _INJURED_BEFORE_FORMS:
        return "injured", 1
    if (
        token in _DIED
        and index + 1 < len(tokens)
        and (_is_number(tokens[index + 1]) or _bare_in_duals(tokens[index + 1]))
    ):
        return "killed", 1  # «قضى ستة عمال»، «قضى جنديان» (not «قضت المحكمة»: a count follows)
    if token in _DIED and index + 1 < len(tokens):
        # «توفي صباح اليوم العقيد سالم …»: a rank or title, past the time, names one dead
        after = index + 1
        while after < min(index + 3, len(tokens) - 1) and tokens[after] in _TIME_ASIDE:
            after += 1
        if tokens[after] in _TITLES or tokens[after] in _ROLL_RANKS:
            return "killed", 1
    if (
        token in _MARTYRED_BEFORE
        and index + 1 < len(tokens)
        and (_is_number(tokens[index + 1]) or _bare_in_duals(tokens[index + 1]))
    ):
        return "killed", 1  # the dialect's «استشهدوا زوز من أولادنا» (not «ثلاثة استشهدوا وجرح»)
    if token == _HEADS and any(t.startswith(_CUT) for t in tokens[max(0, index - 4) : index]):
        return "killed", 1  # «قطع مسلحو التنظيم رؤوس 8 حراس»: the verb, its subject, the heads
    if index + 1 < len(tokens) and tokens[index + 1] in _PHRASE_SECONDS:
        pair = (token, tokens[index + 1])
        for first, second in KILLED_PHRASES:
            if pair[1] == second and pair[0].endswith(first) and len(pair[0]) - len(first) <= 2:
                return "killed", 2
    return None


_OR = frozenset({"او", "ام"})
_PASSIVE_HURT = frozenset(normalise(w) for w in ("أصيب", "أصيبت", "أصيبوا", "أصيبا"))


def _mixed_trigger(tokens: Sequence[str], start: int, kind: str) -> int | None:
    """Where the trigger of the other kind ends in «مقتل وإصابة 15»، «قتلوا أو أصابوا»: one
    figure of the dead and the hurt together follows it."""
    at = start + 1 if start < len(tokens) and tokens[start] in _OR else start
    if at == start and not (at < len(tokens) and tokens[at].startswith("و")):
        return None
    other = _trigger(tokens, at) if at < len(tokens) else None
    if other is None or other[0] == kind or _bare_in_passive_hurt(tokens[at]):
        return None  # «جنديا واحدا قتل وأصيب اثنان»: one dead, then a clause of its own
    return at + other[1]


def _mixed_noun(tokens: Sequence[str], at: int) -> bool:
    """«15 قتيلا أو جريحا»، «عشرة قتلى وجرحى»: the noun at `at` and one of the other kind
    share the figure before them."""
    if at + 1 >= len(tokens):
        return False
    noun, after = tokens[at], tokens[at + 1]
    after_at = at + 1
    if after in _OR and at + 2 < len(tokens):
        after, after_at = tokens[at + 2], at + 2
    elif after.startswith("و"):
        after = after[1:]
    else:
        return False
    if after_at + 1 < len(tokens) and parse_number(tokens, after_at + 1) is not None:
        return False  # «ثلاثة قتلى وجريح واحد»: the second noun has its own figure
    return (noun in KILLED_AFTER and after in INJURED_AFTER) or (
        noun in INJURED_AFTER and after in KILLED_AFTER
    )


# The figure of the dead and the hurt together is neither's count: a vague count, like «عشرات».
_MIXED = "قتلي او جرحي"


def _side(tokens: Sequence[str], start: int) -> str | None:
    """The side an organisation word at `start` names (الجيش → security, داعش → militants)."""
    for token in tokens[start : start + 2]:
        if _bare_in_security_orgs(token):
            return SECURITY
        if _bare_in_militant_orgs(token):
            return MILITANTS
        if token[:1] == "و":
            return None  # «من أفراد البوابة وفرار المهاجمين»: the next phrase is not whose
    return None


def _group_after(tokens: Sequence[str], start: int, before: Sequence[str] = ()) -> str | None:
    """Who the count just before `start` is about, from the words after it.

    The group follows the count (4 جنود، 4 من رجال الجيش، 23 قتيلا من الإرهابيين، في صفوف
    الجيش); a preposition of place or cause (في قصف، جراء، قرب) ends the search. «عناصره»
    ("its members") takes the side of the last organisation named before the count.
    """
    index = start
    seen = 0
    while index < len(tokens) and seen < 5:
        token = tokens[index]
        if token in _STOP:
            return None
        if not token.isalnum():
            index += 1
            continue
        seen += 1
        if seen == 1 and token in _FROM_THEM:
            return _antecedent(before)
        if token in _OTHER_ACT_ON_FORMS:
            return None  # «جثتي راعيين خطفهما تنظيم داعش»: the takers are not whose bodies
        if seen > 1 and token[0] == "و" and token[1:] in GROUP_OF:
            return None  # «واثنين من السودان وحارس»: the next person joined, not whose

        if token in _END_OF_GROUP and not (
            token == "في" and index + 1 < len(tokens) and tokens[index + 1] == "صفوف"
        ):
            # «قيادي في تنظيم داعش»: a member of the actor («في هجوم لداعش» is the attack's)
            member = token == "في" and index + 1 < len(tokens)
            return MILITANTS if member and _bare_in_militant_orgs(tokens[index + 1]) else None
        if token in _POSSESSED:
            if token in _OURS:
                return VICTIMS
            return _last_side(before, feminine=token.endswith("ها"))
        bare = _bare_in_people_of(token)
        if bare is not None:
            # («ثلاثة رجال في هجوم لداعش»: a place or cause after them ends whose they are)
            ended = index + 1 < len(tokens) and tokens[index + 1] in _END_OF_GROUP
            side = _side(tokens, index + 1) or (None if ended else _side(tokens, index + 2))
            if side:
                return side
        group = GROUP_OF.get(token) or (
            GROUP_OF.get(b) if (b := _bare_in_group_stems(token)) else None
        )
        if group == VICTIMS and token.startswith(("عنصر", "عناصر")):
            return _side(tokens, index + 1) or _side(tokens, index + 2) or VICTIMS
        if group:
            return group
        if token not in _SKIP_IN_GROUP and (
            _bare_in_security_orgs(token) or _bare_in_militant_orgs(token)
        ):
            return _side(tokens, index)
        index += 1
    return None


_FIGHTERS = _words("fighters")


def _antecedent(before: Sequence[str]) -> str | None:
    """Whom «منهم» points back to: the nearest people named before (عمالا، لعناصر من التنظيم)."""
    for i in range(len(before) - 1, max(-1, len(before) - 24), -1):
        token = before[i]
        if token in ".;!?":
            break
        # «عمالا»: an indefinite accusative ending on a plural the table lists bare
        stem = _bare_in_group_stems(token) or (
            _bare_in_group_stems(token[:-1]) if token.endswith("ا") else None
        )
        group = GROUP_OF.get(stem) if stem else None
        if group is not None and group != VICTIMS:
            return group
        if group == VICTIMS or _bare_in_fighters(token):
            # «عناصر من تنظيم الدولة»، «مقاتلي مجلس الشورى»: the words after say whose, if any
            return _side(before, i + 1) or _side(before, i + 2) or VICTIMS
        if _bare_in_militant_orgs(token):
            return MILITANTS
        if _bare_in_security_orgs(token):
            return SECURITY
    return None


_MASCULINE_ACTOR = _with_article(_words("masculine_actor"))


def _last_side(before: Sequence[str], feminine: bool = False) -> str | None:
    """The side «عناصره» points back to; «أفرادها» points to a feminine word (نقطة، الكتيبة)
    and passes over «داعش» and «التنظيم»."""
    for token in reversed(before):
        if feminine and _bare_in_masculine_actor(token):
            continue
        if _bare_in_militant_orgs(token):
            return MILITANTS
        if _bare_in_security_orgs(token):
            return SECURITY
    return None


def _is_count(tokens: Sequence[str], number_start: int, number_end: int) -> bool:
    if number_start > 0 and _bare_in_not_count_before(tokens[number_start - 1]):
        return False
    for at in range(number_end, min(len(tokens), number_end + 2)):  # the first word after it
        after = tokens[at]
        if after == "%" or (after == "في" and tuple(tokens[at : at + 2]) in _PERCENT):
            return False  # «70 في المئة»، «60 %»: a share
        if after.isalnum():
            if _bare_in_not_count_after(after):
                return False
            break
    token = tokens[number_start]
    return not (token.isdigit() and len(token) == 4 and token[:2] in ("19", "20"))


def _approximate(tokens: Sequence[str], start: int, end: int) -> bool:
    return not APPROXIMATE.isdisjoint(tokens[max(0, start) : end])


_AT_LEAST = normalise("الأقل")


def _at_least_after(tokens: Sequence[str], end: int) -> bool:
    """«قتل ثلاثة أشخاص على الأقل»: a bound after the count and its noun."""
    tail = tokens[end : end + 4]
    return _AT_LEAST in tail and "علي" in tail


def _subset(tokens: Sequence[str], index: int) -> bool:
    return not _SUBSET.isdisjoint(tokens[max(0, index - 2) : index])


def _others_plus_one(tokens: Sequence[str], start: int) -> tuple[CasualtyMention, int] | None:
    """«أودى بحياة رئيس القسم، و(3) أشخاص آخرين»: one named victim and N others."""
    index, seen = start, 0
    while index < len(tokens) and seen < 16:
        token = tokens[index]
        if token in ".;:!?" or (index > start and _trigger(tokens, index)):
            return None  # «… وإصابة ثلاثة آخرين» is another count
        if token.isalnum():
            seen += 1
        if token == "و" or (token.startswith("و") and len(token) > 1 and token not in _ONE_MORE):
            # (not «واحد»: «مقتل جندي واحد وإصابة اثنين آخرين» is one dead, not «و + أحد»)
            look = index if token != "و" else index + 1
            while look < len(tokens) and not tokens[look].isalnum():
                look += 1
            number_value: int | None = None
            end = look
            if token != "و":
                # «و3»، «واثنين»: the conjunction stuck to the count
                number = parse_number([token[1:], *tokens[index + 1 : index + 4]], 0)
                if number is not None:
                    number_value, end = number.value, index + number.end
            else:
                number = parse_number(tokens, look)
                number_value, end = (number.value, number.end) if number else (None, look)
            if number_value is not None:
                tail = [t for t in tokens[end : end + 5] if t.isalnum()][:3]
                if any(t in _OTHERS for t in tail) or _of_theirs(tail):
                    # «واثنين من مرافقيه»: of his, on the named one's side (empty: unknown yet)
                    group = _group_after(tokens, end) or ("" if _of_theirs(tail) else VICTIMS)
                    return CasualtyMention(0, "killed", number_value + 1, group), index
        index += 1
    return None


def _clitic_forms(*tables: frozenset[str]) -> frozenset[str]:
    return frozenset().union(*(PEEL_PARTICLES.forms(table) for table in tables))


# The words a count can start from: triggers, tolls, losses and number words (digits aside).
_MAY_START = _clitic_forms(KILLED_BEFORE, INJURED_BEFORE, TOLL, LOSS, DUALS, _ROSE) | frozenset(
    (
        *KILLED_AFTER,
        *INJURED_AFTER,
        *_ROLL_RANKS,
        *_SUBSET,
        *UNITS,
        *TENS,
        *HUNDREDS,
        *VAGUE,
        *_SELF,
        *_DUAL_NOUNS,
        *_ONE_CASUALTY,
        *_EACH,
        _HEADS,
        *_NAMED_TOLL,
        *_SHOT_DEAD,
        *_DIED,
        *_MARTYRED_BEFORE,
        *_THEIR_NUMBER,
        *(first for first, _ in _ADDITION),
        *_TWO_CASES,
    )
)
_PAIR_FIRST = tuple(dict.fromkeys(first for first, _ in KILLED_PHRASES))  # once each
_MAY_START_OR_DEFINITE = (
    _MAY_START
    | frozenset(_DEFINITE_NUMBERS)
    | frozenset(_DEFINITE_TWO)
    | _DUAL_RELATIVE
    | _ONE_RELATIVE
    | _ONLY
    | _WOUNDED_BY
)


def _of_theirs(tail: Sequence[str]) -> bool:
    """«اثنين من أعضائه، من مرافقيه»: more people of the one named just before."""
    return (
        len(tail) > 1
        and tail[0] == "من"
        and not tail[1].startswith("ال")
        and tail[1].endswith(("ه", "ها", "هم"))
        and len(tail[1]) > 3
    )


def _loss(
    tokens: Sequence[str], position: int, index: int, used: set[int]
) -> CasualtyMention | None:
    """«خسرت القوات أربعة من مقاتليها»، «فقد التنظيم 20 من عناصره»: a side's own dead."""
    if not _bare_in_loss(tokens[position]):
        return None
    # (a mourning's subject may be long: «ينعى مجلس حكماء وأعيان أوباري أبناءه الثلاثة»)
    for cursor in range(position + 1, min(len(tokens), position + 7)):
        if tokens[cursor] in _STOP:
            return None
        if (
            tokens[cursor] in _POSSESSED
            and cursor + 1 < len(tokens)
            and cursor + 1 not in used
            and (value := _DEFINITE_NUMBERS.get(tokens[cursor + 1])) is not None
        ):
            # «تنعى الكتيبة أبطالها الأربعة»، «ينعى المجلس أبناءه الثلاثة»: its own, and their
            # number as their adjective
            used.add(cursor + 1)
            who = VICTIMS
            if tokens[cursor] not in _OURS:
                feminine = tokens[cursor].endswith("ها")
                who = _last_side(tokens[:cursor], feminine=feminine) or VICTIMS
            return CasualtyMention(index, "killed", value, who)
        number = parse_number(tokens, cursor)
        if number is None or cursor in used or number.value is None:
            continue
        tail = [t for t in tokens[number.end : number.end + 3] if t.isalnum()]
        if len(tail) < 2 or tail[0] != "من":
            return None
        own = tail[1] in _POSSESSED or GROUP_OF.get(tail[1]) == SECURITY
        if not own:
            return None
        used.update(range(number.start, number.end))
        who = _group_after(tokens, number.end, tokens[: number.start]) or VICTIMS
        return CasualtyMention(index, "killed", number.value, who)
    return None


def _joined_to_count(tokens: Sequence[str], at: int) -> bool:
    """«… وجريحين»، «… وثلاثة جرحى»: a dual casualty noun or a count and its noun after «و»."""
    if at >= len(tokens):
        return False
    if tokens[at].startswith("و") and tokens[at] in _DUAL_NOUNS:
        return True
    return (
        tokens[at] == "و"
        and at + 2 < len(tokens)
        and _is_number(tokens[at + 1])
        and (tokens[at + 2] in KILLED_AFTER or tokens[at + 2] in INJURED_AFTER)
    )


def _tokens(sentence: str) -> list[str]:
    """`_TOKEN.findall(sentence)`, without the pattern where the sentence is plain."""
    found = split_plain(sentence, keep_marks=True)
    return _TOKEN.findall(sentence) if found is None else found


def _line(tokens: list[str]) -> str:
    """The tokens between blanks, a blank at each end: a token is the blanks before it (none
    holds one), so a search of the line in C finds where words are, not a loop over them."""
    return f" {' '.join(tokens)} "


def _opening_with_and(line: str) -> list[int]:
    """The positions of the tokens of `line` that open with «و»."""
    found = []
    at = line.find(" و")
    while at >= 0:
        found.append(line.count(" ", 0, at))
        at = line.find(" و", at + 2)
    return found


def _split_conjunctions(raw: list[str], opening_with_and: list[int]) -> list[str]:
    """The tokens, with «و» apart from a count stuck to it: «و24»، «قتيلين وثلاثة جرحى» (not
    «ثلاثة وعشرين»). Only the words that open with «و» are read; most sentences split none and
    keep their list."""
    split: list[int] = []  # the tokens of `raw` split in two, in order
    for at in opening_with_and:
        token = raw[at]
        if token[1:].isdigit():
            split.append(at)  # و24: the conjunction, then the count
        elif (
            # (the noun after first: most words with «و» have none, and spare the call)
            at + 1 < len(raw)
            and (raw[at + 1] in KILLED_AFTER or raw[at + 1] in INJURED_AFTER)
            and token not in UNITS
            and _is_number(token[1:])
        ):
            # (after «قتيلين اثنين» too: a unit after «اثنين» is never its compound)
            before = raw[at - 1] if at else ""  # the token before, as split
            if split and split[-1] == at - 1:
                before = before[1:]
            if not (before and _is_number(before) and before not in _AFTER_ITS_NOUN):
                split.append(at)
    if not split:
        return raw
    tokens: list[str] = []
    done = 0
    for at in split:
        tokens += raw[done:at]
        tokens += ("و", raw[at][1:])
        done = at + 1
    tokens += raw[done:]
    return tokens


def sentence_casualties(
    sentence: str, index: int = 0, tests: set[str] | None = None
) -> tuple[list[CasualtyMention], frozenset[str]]:
    """The casualty counts of one normalised sentence, and the kinds it says there were none of.

    `tests`: the tests of TESTS the sentence meets, when the caller has found them already."""
    raw = _tokens(sentence)
    tokens = _split_conjunctions(raw, _opening_with_and(_line(raw)))
    found: list[CasualtyMention] = []
    starts: list[int] = []  # the token each mention of `found` begins at
    used: set[int] = set()
    position = 0
    last: CasualtyMention | None = None
    last_at = -10
    final_at: int | None = None  # where «الحصيلة النهائية»، «آخر حصيلة» stands, if it does
    # A word that only ends like a killing phrase's first word (اودت) starts something only
    # before the phrase's second word (بحياه): a sentence with none spares every word the test.
    phrases = not _PHRASE_SECONDS.isdisjoint(tokens)
    token_count = len(tokens)  # (the loop reads the tokens, never changes them)
    while position < token_count:
        token = tokens[position]
        if (
            token not in _MAY_START_OR_DEFINITE
            and not token.isdigit()
            and not (last is not None and token[0] == "و")
            and not (phrases and token.endswith(_PAIR_FIRST))
        ):
            position += 1  # most words can start nothing: one set test, not two (as below)
            continue
        if position not in used:
            # «وأن الثلاثة الآخرين ما زالوا يتلقون العلاج»، «والاثنان الآخران أصيبا»; «أسر الجنود
            # الخمسة الذين استشهدوا فجر اليوم»: the people, their number, what befell them
            told = _the_others(tokens, position, index)
            if told is None and token in _DEFINITE_NUMBERS:
                told = _people_the_number_names(tokens, position, index)
                if told is None and position >= 2 and tokens[position - 1].startswith("ال"):
                    # «شهداء الواجب الثلاثة»: a toll's noun made definite by its genitive,
                    # then its number as the adjective
                    construct = _CONSTRUCT_TOLL.get(peel_conjunction(tokens[position - 2]))
                    if construct is not None:
                        told = CasualtyMention(
                            index, construct, _DEFINITE_NUMBERS[token], VICTIMS
                        )
            if told is None and token in _WOUNDED_BY:
                told = _came_through_wounded(tokens, position, index, found)
            if told is None and token in _ONLY:
                told = _the_only_one(tokens, position, index, found)
            if told is None and (token in _DUAL_RELATIVE or token in _ONE_RELATIVE):
                who_end = _the_ones_who(tokens, position, index, found)
                if who_end is not None:
                    # past the verb: «الذي اغتيل» is the count, not a trigger after its subject
                    found.append(who_end[0])
                    starts.append(position)
                    used.update(range(position, who_end[1]))
                    last, last_at = who_end[0], position
                    position = who_end[1]
                    continue
            if told is not None:
                found.append(told)
                starts.append(position)
                used.add(position)
                last, last_at = told, position
                position += 1
                continue
        if (
            token not in _MAY_START
            and not token.isdigit()
            and not (last is not None and token[0] == "و")
            and not (phrases and token.endswith(_PAIR_FIRST))
        ):
            position += 1  # most words can start nothing: skip them without the look-ups below
            continue
        one_kind = _ONE_CASUALTY.get(token)
        if (
            one_kind is not None
            and position not in used
            and not (position and _is_number(tokens[position - 1]))  # «14 قتيلا و21 مصابا»
            and (
                _joined_to_count(tokens, position + 1)
                # «الحصيلة هي قتيل واحد»: one, said so
                or (position + 1 < len(tokens) and tokens[position + 1] in _ONE_MORE)
            )
        ):
            # «خلف الهجوم قتيلا وجريحين»، «قتيل وثلاثة جرحى»: one, beside a count of its own
            found.append(CasualtyMention(index, one_kind, 1, VICTIMS))
            starts.append(position)
            used.add(position)
            last, last_at = found[-1], position
            position += 1
            continue
        if (
            token in _HURT_STATE
            and position not in used
            and (
                (position and tokens[position - 1] in _CAME_THROUGH)
                or (
                    position + 1 < len(tokens)
                    and tokens[position + 1][:1] == "ب"
                    and tokens[position + 1][1:] in _WOUNDS
                )
            )
        ):
            # «نجا مصابا»، «وصل إلى البلدة مصابا بكسر في ذراعه»: one, hurt, in the state he came
            # (after a count of the hurt, one of them: «ووصل أحدهم مصابا بجروح»)
            one_of_them = any(m.kind == "injured" for m in found)
            found.append(CasualtyMention(index, "injured", 1, VICTIMS, subset=one_of_them))
            starts.append(position)
            used.add(position)
            last, last_at = found[-1], position
            position += 1
            continue
        one_kind = _ONE_CASUALTY.get(token[1:]) if token[0] == "و" else None
        if (
            one_kind is not None
            and last is not None
            and position not in used
            # near the last count, or right after a figure read and its noun (a toll that rose
            # «إلى ثلاثة قتلى وجريح واحد»: the count was read from «حصيلة», words before)
            and (position - last_at <= 3 or position - 2 in used)
            and (
                tokens[position - 1] in _AFTER_ITS_NOUN
                or _bare_in_killed_after(tokens[position - 1])
                or _bare_in_injured_after(tokens[position - 1])
            )
        ):
            # «سقوط قتيلين اثنين وجريح واحد»: one, after a count and its noun
            end = position + 1
            if end < len(tokens) and tokens[end] in _ONE_MORE:
                end += 1
            who = _group_after(tokens, end, tokens[:position]) or VICTIMS
            found.append(CasualtyMention(index, one_kind, 1, who))
            starts.append(position)
            used.update(range(position, end))
            last, last_at = found[-1], position
            position = end
            continue
        dual_kind = _DUAL_NOUNS.get(token)
        if dual_kind is not None and position not in used:
            who = _group_after(tokens, position + 1, tokens[:position]) or VICTIMS
            found.append(CasualtyMention(index, dual_kind, 2, who))
            starts.append(position)
            used.add(position)
            if (
                position + 1 < len(tokens)
                and _bare_in_duals(tokens[position + 1]) is not None
                and tokens[position + 1] not in _DUAL_NOUNS  # «قتيلان وجريحان»: two more
            ):
                used.add(position + 1)  # «جثماني جنديين»: the two whose bodies, not two more
            last, last_at = found[-1], position
            position += 1
            continue
        if (
            token in _SHOT_DEAD
            and position + 1 < len(tokens)
            and tokens[position + 1] in _ONE_CASUALTY
        ):
            found.append(CasualtyMention(index, "killed", 1, VICTIMS))
            starts.append(position)
            used.update((position, position + 1))
            last, last_at = found[-1], position + 1
            position += 2
            continue
        self_kind = _SELF.get(token)
        if self_kind is not None and position in used:
            position += 1  # «لقي صاحب المحل مصرعه»: the one the verb counted
            continue
        if (
            self_kind is not None
            and last is not None
            and last.kind == self_kind
            and position - last_at <= 4
            and token.startswith(_MET_DEATH)
        ):
            position += 1  # «لقي سائق شاحنة مصرعه»: the one already counted met his death
            continue
        if self_kind is not None and position and tokens[position - 1] in _DIED_OF:
            position += 1  # «توفي متأثرا بإصابته»: the dead man's wound, no one more hurt
            continue
        if token in _SELF_TWO and any(m.kind == self_kind and m.count == 2 for m in found):
            position += 1  # «قتل جنديان بعدما خطفهما المسلحون وقتلوهما»: the two counted
            continue
        if self_kind == "killed" and token not in _SELF_TWO and _bomber_before(tokens, position):
            # «فجر انتحاري نفسه … ما أدى إلى مقتله ومقتل أربعة جنود»: the bomber's own death
            position += 1
            continue
        if self_kind is not None:
            # «فقتلوه ونجله»: him, and one of his; «فقتلوه مع حارس المدرسة»: and one with him
            companion = _companion(tokens, position + 1, reach=1)
            if (
                companion is None
                and tokens[position + 1 : position + 2] == [_WITH]
                and position + 2 < len(tokens)
                and position + 2 not in used
                and (
                    _bare_in_singulars(tokens[position + 2]) is not None
                    or tokens[position + 2] in _COMPANIONS
                )
            ):
                companion = position + 2
            if companion is not None:
                used.add(companion)
            persons = 2 if token in _SELF_TWO else 1
            if companion is not None:
                persons += 1
            one = CasualtyMention(index, self_kind, persons, VICTIMS)
            found.append(one)
            starts.append(position)
            last, last_at = one, position + 1
            position += 1
            continue
        if (
            token in _EACH
            and position not in used
            and position + 1 < token_count
            and tokens[position + 1] == "من"
        ):
            listed = _list_then_killed(tokens, position, index, used)
            if listed is not None:
                if any(m.kind == listed[0].kind and m.count for m in found):
                    listed = (replace(listed[0], subset=True), listed[1])
                # «اقتادوا كلا من …، و…، و… ثم قتلوهم»: three
                found.append(listed[0])
                starts.append(position)
                last, last_at = listed[0], position
                position = listed[1]
                continue
        if token in _ROLL_RANKS and position not in used:
            roll = _roll_of_dead(tokens, position, index, used)
            if roll is not None:
                # «نعى … الرقيب أول …، والعريف …، والجندي … الذين ارتقوا»: three
                found.append(roll[0])
                starts.append(position)
                last, last_at = roll[0], position
                position = roll[1]
                continue
        trigger = _trigger(tokens, position)
        if trigger:
            kind, length = trigger
            mixed_end = _mixed_trigger(tokens, position + length, kind)
            if mixed_end is not None:
                # «مقتل وإصابة أكثر من 15»: the figure after both triggers is neither's
                _count_after_trigger(tokens, mixed_end, kind, index, used, None)
                found.append(CasualtyMention(index, "killed", None, VICTIMS, vague=_MIXED))
                starts.append(position)
                last, last_at = None, position
                position = mixed_end
                continue
            mention = _count_after_trigger(
                tokens, position + length, kind, index, used, last.who if last else None
            )
            if mention is None and kind == "killed":
                plus = _others_plus_one(tokens, position + length)
                if plus is not None:
                    mention = CasualtyMention(
                        index, "killed", plus[0].count, plus[0].who or VICTIMS
                    )
                    used.update(range(plus[1], plus[1] + 3))
                else:
                    mention = _count_after_lam(tokens, position + length, index, used)
            if (
                mention is not None
                and _names_follow(tokens, position + length)
                and any(m.kind == mention.kind and m.count for m in found)
            ):
                # «قتل أربعة جنود، وقتل كل من سالم … وعلي … على الفور»: some of those counted
                mention = replace(mention, subset=True)
            if mention is None:
                mention = _subject_before(tokens, position, kind, index, used)
            if mention is None and kind == "killed":
                mention = _met_own_death(tokens, position + length, index, used)
            if mention is None and token in _ONE_BODY:
                # «عثرت دورية على جثة الجندي»: one body, whoever it names
                who = _group_after(tokens, position + 1, tokens[:position]) or VICTIMS
                mention = CasualtyMention(index, "killed", 1, who)
            if mention is not None:
                found.append(mention)
                starts.append(position)
                last, last_at = mention, position + length
            position += length
            continue
        if last is not None and position - last_at <= 8 and not {position, position + 1} & used:
            # «مقتل ستة جنود و24 مسلحا»، «بينهم 15 جنديا ومدنيان»: a count joined to the last one
            # «فضلا عن سائق»، «إضافة إلى مهندسين اثنين»: more of the same toll, as after و
            addition = tuple(tokens[position : position + 2]) in _ADDITION
            joined_at = _joined_count(
                tokens, position + 2 if addition else position, last, index, last_at, addition
            )
            if joined_at is not None:
                joined, joined_end = joined_at
                between = tokens[last_at:position]
                counts = sum(
                    # «ثلاثة من الكتيبة 166 واثنان»: a unit's number is no count
                    (
                        _is_number(t)
                        and not (i and _bare_in_not_count_before(between[i - 1]))
                        # «قتيلين اثنين»: the dual's own number
                        and not (t in _AFTER_ITS_NOUN and i and _bare_in_duals(between[i - 1]))
                    )
                    or (_bare_in_duals(t) is not None and not (i and _is_number(between[i - 1])))
                    for i, t in enumerate(between)
                )  # «ثلاثة شرطيين»: a plural after its number is no dual
                if counts >= 2:
                    # «قتل 9 أشخاص، 5 جنود و4 مدنيين»، «قتل أربعة أشخاص، جنديان ومدنيان»: a
                    # list after a count is its breakdown
                    joined = replace(joined, subset=True)
                found.append(joined)
                starts.append(position)
                # «ومدنيان وأصيب أربعة»: only the words of this count, not the next one's
                used.update(range(position, joined_end))
                last, last_at = joined, position
                position += 1
                continue
        if last is not None and token in _SUBSET and position - last_at <= 8:
            part = _part_after(tokens, position + 1, last, index, used)
            if part is not None:
                # «قتل ستة أشخاص، هم ثلاثة انتحاريين …»: the first of the count's parts
                found.append(part)
                starts.append(position)
                last, last_at = part, position + 1
                position += 1
                continue
        mention = _count_before_noun(tokens, position, index, used) or _loss(
            tokens, position, index, used
        )
        if mention is not None:
            found.append(mention)
            starts.append(position)
            last, last_at = mention, position
        elif final_at is None and _final_toll(tokens, position):
            final_at = position  # «الحصيلة النهائية بلغت …»: the counts after it are the toll
        position += 1
    if final_at is not None and found:
        found = _final_counts(tokens, found, starts, final_at)
    if len(found) > 1 and not _FROM_THEM.isdisjoint(tokens):
        found = _parts_of_them(tokens, found, starts)
    if found and not _ONE_OF_THEM.isdisjoint(tokens):
        found, starts = _one_of_them_died(tokens, found, starts, index)
    if not _THAT.isdisjoint(tokens) and not _ONE_BEFELL.isdisjoint(tokens):
        found, starts = _one_named_then_befell(tokens, found, starts, index)
    if found and not _ALONG_WITH.isdisjoint(tokens):
        found, starts = _with_his_fellows(tokens, found, starts, index)
    # each pattern below needs one of its words: one pass finds which the sentence holds
    if tests is None:
        tests = _tests_met(sentence)
    # a tally of many attacks is no toll, nor holds the others as a total does
    if found and "period" in tests:
        kept = [
            (m, at) for m, at in zip(found, starts, strict=True) if not _period_tally(tokens, at)
        ]
        found, starts = [m for m, _ in kept], [at for _, at in kept]
    # an earlier event's toll told in a clause («… قبل ثلاثة أسابيع وقتل فيها أربعة جنود»)
    if found and "ago" in tests:
        kept = [
            (m, at) for m, at in zip(found, starts, strict=True) if not _earlier_toll(tokens, at)
        ]
        found, starts = [m for m, _ in kept], [at for _, at in kept]
    nth = _NTH_DEAD.search(sentence) if "ordinal" in tests else None
    if nth is None and "ordinal" in tests:
        # «ليكون الضحية الثالثة للهجوم»، «وهو الجندي الثالث الذي يلقى حتفه»
        nth = _NTH_VICTIM.search(sentence) or _NTH_WHO_DIED.search(sentence)
    if nth is not None:
        found.append(CasualtyMention(index, "killed", _ORDINAL[nth.group(1)], VICTIMS, total=True))
        starts.append(len(_TOKEN.findall(sentence[: nth.start(1)])))
    earlier = (
        _earlier_figure(tokens)
        if len(found) > 1 and ("قد" in tokens or not _FIRST_TOLL.isdisjoint(tokens))
        else None
    )
    if earlier is not None and any(at < earlier for at in starts):
        # «بلغت سبعة قتلى، بعدما كانت مصادر محلية قد تحدثت عن عشرة»: the figure it replaced
        # (a «الحصيلة الأولية إلى ثلاثة» there is no total of the toll before it)
        found = [
            replace(m, subset=True, total=False) if at > earlier else m
            for m, at in zip(found, starts, strict=True)
        ]
    # «ارتفع عدد القتلى إلى 9 بعد وفاة جنديين متأثرين بجراحهما»: the toll holds the others
    totals = {m.kind for m in found if m.total} if found else set()
    for kind in totals:
        found = [m if m.total or m.kind != kind else replace(m, subset=True) for m in found]
        # «وفي آخر حصيلة، أعلن المركز وفاة ثلاثة من الجرحى، ليرتفع عدد القتلى إلى سبعة»: of
        # two figures of one kind, each a total, the last is the toll (a figure is a count and
        # the counts joined to it: «ثلاثة جنود ومدنيان»)
        last_figure = max(
            (i for i, m in enumerate(found) if m.total and m.kind == kind and not m.joined),
            default=0,
        )
        found = [
            replace(m, subset=True, total=False)
            if i < last_figure and m.total and m.kind == kind
            else m
            for i, m in enumerate(found)
        ]
    # «سقوط 28 قتيلا وجرح 30، … ارتفع عدد القتلى إلى 32 وجرح 50»: the other kind's figure after
    # the update supersedes the one before it
    if totals:
        for at, mention in zip(starts, found, strict=True):
            if not mention.total:
                continue
            other = "injured" if mention.kind == "killed" else "killed"
            if any(
                m.kind == other and not m.subset and a > at
                for a, m in zip(starts, found, strict=True)
            ):
                found = [
                    replace(m, subset=True) if m.kind == other and a < at else m
                    for a, m in zip(starts, found, strict=True)
                ]
            break
    if len(found) > 2:
        found = _breakdowns(found)
        found = _attackers_among(found)
    if (
        found
        and not _AMONG_THEM.isdisjoint(tokens)
        and not (_ATTACKER_WORDS.isdisjoint(tokens) and _MEMBERS.isdisjoint(tokens))
    ):
        found = _less_the_attackers(tokens, found, starts)
    if len(found) > 1:  # (another act's count comes after the first count)
        found = _another_act(tokens, found, starts)
    claim_at = None
    if found and "claim" in tests:
        # the first word of a claim or of an unofficial source: one set test, then where
        claim_words = _CLAIM_FORMS.intersection(tokens)
        claim_at = min(map(tokens.index, claim_words)) if claim_words else None
    # (one set test first: most sentences have no speaker at all)
    if claim_at is None and found and not _SPEAKER_FORMS.isdisjoint(tokens):
        # «في حين قال التنظيم إنه قتل 20 جنديا»، «قال تنظيم داعش في بيان إن مقاتليه قتلوا 12»:
        # the actor speaking gives its own figure, which another source's wins over
        # «تبنى داعش الهجوم في بيان قال فيه إن …»: its statement speaks
        claim_at = next(
            (
                i for i, t in enumerate(tokens)
                if t in _SPEAKER_FORMS
                and not _owns_up(tokens, i)
                and (
                    any(w in _MILITANT_ORG_FORMS for w in tokens[i + 1 : i + 3])
                    or (
                        tokens[i + 1 : i + 2] in (["فيه"], ["فيها"])
                        and any(w in _MILITANT_ORG_FORMS for w in tokens[:i])
                    )
                )
            ),
            None,
        )  # fmt: skip
    if claim_at is not None:
        claim_end = _claim_end(tokens, claim_at)
        found = [
            replace(m, claimed=True) if claim_at <= at < claim_end else m
            for m, at in zip(found, starts, strict=True)
        ]
    # the pattern starts with «يضاف»
    added = _ADDED.search(sentence) if found and "added" in tests else None
    if added is not None and _FIGHTING.search(sentence, added.end()):
        added_at = len(_TOKEN.findall(sentence[: added.start()]))
        found = [
            replace(m, subset=True) if at >= added_at else m
            for m, at in zip(found, starts, strict=True)
        ]
    if found and tokens[0] in _ALSO and min(starts) <= 4 and _ANOTHER.isdisjoint(tokens):
        # «كما قتل مدنيان كانا يمران بالمكان»: the sentence opens by adding to a toll told before
        # (not «كما قتل جندي في هجوم آخر»: another attack's)
        found = [m if m.subset or m.total else replace(m, also=True) for m in found]
    zero: frozenset[str] = frozenset()
    denied = _DENIED_CIVILIAN.search(sentence) if "civilian" in tests else None
    if denied is not None:
        denied_from = len(_TOKEN.findall(sentence[: denied.start()]))
        denied_to = denied_from + len(_TOKEN.findall(denied.group(0)))
        keeps = [not denied_from <= at < denied_to for at in starts]
        found = [m for m, keep in zip(found, keeps, strict=True) if keep]
        starts = [at for at, keep in zip(starts, keeps, strict=True) if keep]
    if ("zero" in tests and "zero_head" in tests and _none_without_exception(sentence)) or (
        "civilian" in tests
        and all(m.who == MILITANTS for m in found)
        and (denied is not None or _NO_CIVILIAN.search(sentence) is not None)
    ):
        zero = BOTH_KINDS
    elif (
        "zero_killed" in tests
        and ("negation" in tests or "zero_head" in tests)
        and _ZERO_KILLED.search(sentence) is not None
    ):
        zero = frozenset({"killed"})
    if zero != BOTH_KINDS and not _NOBODY_NEGATOR_FORMS.isdisjoint(tokens):
        zero = zero | _nobody_harmed(tokens)
    if "of_wounded" in tests:
        found = _wounded_who_died(sentence, index, found)
    if "قد" in tokens:
        had = _had_befallen(tokens, index, starts)
        if had is not None:
            found = [*found, had]
    return found, zero


_WAS = frozenset({"كان", "كانت", "كانوا"})
# «ضمن ستة رهائن»: the group a count's people were among, not the count
_AMONG_GROUP = _words("among_group")
_WAS_FORMS = frozenset((*_WAS, "وكان", "وكانت"))
# verbs that say only what befell their subject («قتل» may have killed someone)
_HAD_BEFALLEN = _kinds("had_befallen")


def _had_befallen(
    tokens: Sequence[str], index: int, starts: Sequence[int]
) -> CasualtyMention | None:
    """«وكان سائقه قد أصيب في الانفجار نفسه»، «وكان الحارس قد استشهد»: one person, named
    before the verb, to whom it had happened (the verb not read already)."""
    if _WAS_FORMS.isdisjoint(tokens):
        return None
    for at in range(len(tokens) - 3):
        if tokens[at] not in _WAS_FORMS or tokens[at + 2] != "قد":
            continue
        kind = _HAD_BEFALLEN.get(tokens[at + 3])
        if kind is None or any(at < s <= at + 4 for s in starts):
            continue
        noun = tokens[at + 1]
        if noun.startswith("ال") and noun[2:] in SINGULARS:
            return CasualtyMention(index, kind, 1, GROUP_OF.get(noun, VICTIMS))
        if noun in _HIS_COMPANIONS or (noun in _KIN and noun[-1] == "ه"):
            return CasualtyMention(index, kind, 1, VICTIMS)  # «سائقه»، «نجله»: his
    return None

# «فارق أحد المصابين الحياة»، «توفي اثنان من الجرحى متأثرين بجراحهما»: of the hurt, some died
# (the noun found first, the words before it read after: a pattern that opens with the count
# would try every word of the sentence)
_THE_WOUNDED = re.compile(r"(?<=\s)(?:ال)?(?:جرحي|مصابين|مصابات|مصابي)(?!\w)")
_OF_THE_WOUNDED = re.compile(r"(?:(?<!\w)(احد|احدي)|(?<!\S)(\S+)\s+من)\s+$")
_DIED_LATER = re.compile(
    r"[وف]?(?:توفي|توفيت|توفيا|توفوا|يتوفي|تتوفي|فارق|يفارق|تفارق|فارقت|فارقا|فارقوا|وفاه|لفظ|لفظت)"
)


def _wounded_who_died(
    sentence: str, index: int, found: list[CasualtyMention]
) -> list[CasualtyMention]:
    """«وفي المساء فارق أحد المصابين الحياة»: one of the hurt counted before has died — a death
    to add to the toll and one fewer hurt, not a count of the hurt."""
    for noun in _THE_WOUNDED.finditer(sentence):
        of = _OF_THE_WOUNDED.search(sentence, max(0, noun.start() - 40), noun.start())
        if of is not None:
            break
    else:
        return found
    # the death word next to the phrase (two words either side): «فارق أحد المصابين الحياة»،
    # «أحد الجرحى توفي»; not «حالتي وفاة» beside «ثلاثة من المصابين غادروا»
    before = sentence[: of.start()].split()[-2:]
    after = sentence[noun.end() :].split()[:2]
    if not any(_DIED_LATER.fullmatch(word) for word in (*before, *after)):
        return found
    if of.group(1):
        count: int | None = 1
    else:
        number = parse_number([of.group(2)], 0)
        count = number.value if number is not None else None
    if not count:
        return found
    # the phrase's own reading (an «injured» one, or the dead it counts) gives way
    kept = [m for m in found if m.count != count]
    return [*kept, CasualtyMention(index, "killed", count, VICTIMS, of_wounded=True)]


def _the_others(tokens: Sequence[str], position: int, index: int) -> CasualtyMention | None:
    """«وأن الثلاثة الآخرين ما زالوا يتلقون العلاج»، «والاثنان الآخران أصيبا بحروق»: a definite
    number, «the others», and what befell them or their treatment."""
    token = tokens[position]
    bare = token[1:] if token.startswith("و") and len(token) > 3 else token
    value = _DEFINITE_NUMBERS.get(bare) or _DEFINITE_TWO.get(bare)
    if value is None or position + 2 >= len(tokens):
        return None
    other = tokens[position + 1]
    if not (other.startswith("ال") and other[2:] in _OTHERS):
        return None
    if _treated(tokens, position + 2):
        return CasualtyMention(index, "injured", value, VICTIMS)
    for verb in tokens[position + 2 : position + 4]:
        if verb in KILLED_VERBS:
            return CasualtyMention(index, "killed", value, VICTIMS)
        if verb in INJURED_VERBS:
            return CasualtyMention(index, "injured", value, VICTIMS)
    return None


def _came_through_wounded(
    tokens: Sequence[str], position: int, index: int, found: Sequence[CasualtyMention]
) -> CasualtyMention | None:
    """«فيما نجا ثالثهما بجروح في الرأس»: one who came through, hurt (a part of a count of the
    hurt the sentence gave already)."""
    for at in range(position - 1, max(-1, position - 4), -1):
        if not tokens[at].isalnum():
            return None
        if _bare_in_came_through(tokens[at]) is not None:
            counted = any(m.kind == "injured" for m in found)
            return CasualtyMention(index, "injured", 1, VICTIMS, subset=counted)
    return None


_BOMBER = frozenset(normalise(w) for w in ("انتحاري", "الانتحاري", "انتحاريا", "نفسه"))


def _bomber_before(tokens: Sequence[str], position: int) -> bool:
    """A suicide bomber («انتحاري»، «فجر نفسه») in the words before «مقتله»: whose it is."""
    if not _BOMBER.isdisjoint(tokens[max(0, position - 12) : position]):
        return True
    # «فجر انتحاري … حزامه الناسف، ظهر اليوم، وسط تجمع … أمام مقر …، ما أدى إلى مقتله»: further
    # back in the sentence, when no other person stands between to be «him»
    for at in range(position - 13, max(-1, position - 41), -1):
        token = tokens[at]
        if token in _BOMBER:
            return True
        if token in "!.?;" or _bare_in_singulars(token) is not None:
            return False
    return False


def _the_only_one(
    tokens: Sequence[str], position: int, index: int, found: Sequence[CasualtyMention]
) -> CasualtyMention | None:
    """«جريح الهجوم الوحيد»، «الضحية الوحيدة للهجوم»: one, of the noun's kind (up to two words
    before «الوحيد»); a part of a count of that kind the sentence gave already."""
    for at in range(position - 1, max(-1, position - 3), -1):
        kind = _ONLY_NOUNS.get(tokens[at])
        if kind is not None:
            counted = any(m.kind == kind for m in found)
            return CasualtyMention(index, kind, 1, VICTIMS, subset=counted)
    return None


def _the_ones_who(
    tokens: Sequence[str], position: int, index: int, found: Sequence[CasualtyMention]
) -> tuple[CasualtyMention, int] | None:
    """«ينعى المهندسين … اللذين توفيا جراء التفجير»: two people, and what befell them; «ينعى
    الشيخ … الذي اغتيل»: one — unless the sentence has counted them already («مقتل الجنديين
    اللذين …»: a part of that count). With the mention, where its verb ends."""
    count = 2 if tokens[position] in _DUAL_RELATIVE else 1
    for at in range(position + 1, min(position + 3, len(tokens))):
        kind = _BEFELL.get((count, tokens[at]))
        if kind is None:
            continue
        after = tokens[at + 1] if at + 1 < len(tokens) else ""
        if after in _CLAUSE_OWN or _is_number(after):
            return None  # «الهجوم الذي استشهد فيه ثلاثة»: the clause's own count
        # counted already: the same people, no more of them
        counted = any(m.kind == kind and (count == 1 or m.count == 2) for m in found)
        return CasualtyMention(index, kind, count, VICTIMS, subset=counted), at + 1
    return None


# «و11 جريحا توفي أحدهم»، «أصيب خمسة، فارق أحدهم الحياة»: one of the hurt counted before died
_ONE_OF_THEM = frozenset(
    f"{c}{w}" for c in ("", "و") for w in (normalise("أحدهم"), normalise("أحدهما"))
)


def _one_of_them_died(
    tokens: Sequence[str], found: list[CasualtyMention], starts: list[int], index: int
) -> tuple[list[CasualtyMention], list[int]]:
    """«و11 جريحا توفي أحدهم»: one of the hurt counted before is dead (ten hurt, one more
    dead)."""
    for at, token in enumerate(tokens):
        if token not in _ONE_OF_THEM or at == 0:
            continue
        verb = tokens[at - 1]
        if _bare_in_died(verb) is None and not (
            at + 1 < len(tokens) and _bare_in_died(tokens[at + 1]) is not None
        ):
            continue  # «توفي أحدهم»، «أحدهم توفي»; not «أحدهم حالته خطرة»
        hurt = [
            i for i, m in enumerate(found)
            if starts[i] < at and m.kind == "injured" and m.who != MILITANTS
            and not m.subset and m.count is not None and m.count > 1
        ]  # fmt: skip
        if not hurt or any(
            m.kind == "killed" and starts[i] > starts[hurt[-1]] for i, m in enumerate(found)
        ):
            continue  # «… توفي اثنان منهم»: a count of the dead among them is read already
        whole = found[hurt[-1]]
        found = [*found]
        found[hurt[-1]] = replace(whole, count=(whole.count or 0) - 1)
        found.append(CasualtyMention(index, "killed", 1, whole.who))
        starts = [*starts, at]
        break
    return found, starts


# «وأضاف أن راعيا كان قرب الطريق أصيب برصاصة»: one person, the subject of «أن», and later
# the verb of what befell him (passive or intransitive: `one_verbs`)
_THAT = frozenset(normalise(w) for w in ("أن", "بأن", "وأن", "لكن", "ولكن"))
_ONE_BEFELL = frozenset(verb for (persons, verb) in _BEFELL if persons == 1)


def _one_named_then_befell(
    tokens: Sequence[str], found: list[CasualtyMention], starts: list[int], index: int
) -> tuple[list[CasualtyMention], list[int]]:
    for at in range(1, len(tokens) - 1):
        token = tokens[at]
        if tokens[at - 1] not in _THAT or not token.endswith("ا") or token not in SINGULARS:
            continue
        person = token[:-1] if token[:-1] in SINGULARS else token
        who = GROUP_OF.get(person) or VICTIMS
        if who == MILITANTS:
            continue
        for verb_at in range(at + 1, min(at + 9, len(tokens))):
            word = tokens[verb_at]
            if word in _CLAUSE_ENDS or word in SINGULARS or word.isdigit() or word in _RELATIVE:
                break  # a clause's end, or another person: «أن جنديا قتل مدنيا»
            kind = _BEFELL.get((1, word))
            if kind is None:
                continue
            if any(at <= start <= verb_at + 2 for start in starts):
                break  # read already
            found = [*found, CasualtyMention(index, kind, 1, who)]
            starts = [*starts, at]
            break
    return found, starts


# «ارتقى العريف سالم شهيدا رفقة اثنين من زملائه»: one, and as many of his fellows
_ALONG_WITH = frozenset(normalise(w) for w in ("رفقة", "برفقة", "مع", "ومعه"))
_FELLOWS = tuple(normalise(w) for w in ("زملائ", "زملاء", "رفاق", "رفقائ", "أصدقائ", "إخوان"))


def _with_his_fellows(
    tokens: Sequence[str], found: list[CasualtyMention], starts: list[int], index: int
) -> tuple[list[CasualtyMention], list[int]]:
    for mention, start in zip(list(found), list(starts), strict=True):
        if mention.count != 1 or mention.subset or mention.who == MILITANTS:
            continue
        for at in range(start + 1, min(start + 10, len(tokens) - 3)):
            if tokens[at] in _CLAUSE_ENDS:
                break
            if tokens[at] not in _ALONG_WITH:
                continue
            number = parse_number(tokens, at + 1)
            if number is None or number.value is None or any(
                number.start <= s < number.end for s in starts
            ):
                break
            if tokens[number.end : number.end + 1] == ["من"] and tokens[
                min(number.end + 1, len(tokens) - 1)
            ].startswith(_FELLOWS):
                found = [*found, CasualtyMention(index, mention.kind, number.value, mention.who)]
                starts = [*starts, number.start]
            break
    return found, starts


def _parts_of_them(
    tokens: Sequence[str], found: list[CasualtyMention], starts: list[int]
) -> list[CasualtyMention]:
    """A count «منهم» with what befell them, against the count before it in the sentence: of
    the same kind, a part of it; the dead among the hurt («أصيب ثلاثة، قبل أن يفارق اثنان منهم
    الحياة»), the hurt are the rest; parts of «خمسة ضحايا» («ثلاثة منهم فارقوا الحياة»), the
    victims were a figure of both kinds, no count of the dead."""
    out = list(found)
    for i in range(1, len(out)):
        part, at = out[i], starts[i]
        if part.subset or part.count is None or _FROM_THEM.isdisjoint(tokens[at : at + 4]):
            continue
        whole = next((j for j in range(i - 1, -1, -1) if not out[j].subset), None)
        if whole is None:
            continue
        before = out[whole]
        if before.count is None or before.who == MILITANTS:
            continue
        of, them = before.count, part.count
        part = out[i] = replace(part, who=before.who)  # «منهم»: of those the count before names
        if before.either and of > them:
            out[whole] = replace(before, subset=True)
        elif before.kind == part.kind:
            out[i] = replace(part, subset=True)
        elif before.kind == "injured" and of > them:
            out[whole] = replace(before, count=of - them)
    return out


_LATEST = _words("latest")
_NOT = frozenset(normalise(w) for w in ("غير", "وغير"))


_THIS_IS = frozenset(normalise(w) for w in ("هذه", "هي", "وهي", "هذا", "وهذه"))


def _final_toll(tokens: Sequence[str], at: int) -> bool:
    """«الحصيلة النهائية»، «في آخر حصيلة»، «الحصيلة الجديدة للهجوم»: a toll word at `at` that
    says it is the latest (not «الحصيلة غير النهائية»: a provisional one)."""
    if not _bare_in_toll(tokens[at]):
        return False
    if at and tokens[at - 1] in _LATEST and not tokens[at - 1].startswith("ال"):
        return True  # «آخر حصيلة»، «أحدث حصيلة»
    return at + 1 < len(tokens) and tokens[at + 1] in _LATEST and tokens[at + 1].startswith("ال")


def _final_counts(
    tokens: Sequence[str], found: list[CasualtyMention], starts: list[int], final_at: int
) -> list[CasualtyMention]:
    """The counts after a latest toll, to the end of the clause of its first figure and one of
    each kind, are the toll: totals, over every other count of their kind («بلغت ثلاثة قتلى
    وخمسة جرحى، بعد وفاة أحد المصابين»)."""
    first = next(
        (at for m, at in zip(found, starts, strict=True) if at > final_at and not m.subset), None
    )
    if first is None:
        if _THIS_IS.isdisjoint(tokens[max(0, final_at - 3) : final_at]):
            return found
        # «استقبل جثامين ثلاثة ضحايا وسبعة مصابين، مؤكدا أن هذه هي الحصيلة النهائية»: the
        # figures before it, the last of each kind
        last_of: dict[str, int] = {}
        for i, (mention, at) in enumerate(zip(found, starts, strict=True)):
            if at < final_at and not mention.subset and mention.count is not None:
                last_of[mention.kind] = i
        chosen = set(last_of.values())
        return [replace(m, total=True) if i in chosen else m for i, m in enumerate(found)]
    end = next((i for i in range(first, len(tokens)) if tokens[i] in _CLAUSE_ENDS), len(tokens))
    kinds: set[str] = set()
    out: list[CasualtyMention] = []
    for mention, at in zip(found, starts, strict=True):
        if (
            first <= at < end
            and mention.kind not in kinds
            and not mention.subset
            and mention.count is not None
            and mention.vague is None
        ):
            kinds.add(mention.kind)
            mention = replace(mention, total=True)
        out.append(mention)
    return out


def _earlier_figure(tokens: Sequence[str]) -> int | None:
    """Where «بعدما كانت … قد»، «بعد أن كان … قد» opens a clause of an earlier figure, or
    «بعدما تحدثت الحصيلة الأولى عن …»: the first toll."""
    for at, token in enumerate(tokens):
        was = at + 1 if token == "بعدما" else at + 2 if token == "بعد" else None
        if was is None or (was == at + 2 and tokens[at + 1 : at + 2] != ["ان"]):
            continue
        if tokens[was : was + 1] and tokens[was] in _WAS and "قد" in tokens[was + 1 : was + 7]:
            return at
        if not _FIRST_TOLL.isdisjoint(tokens[was : was + 4]):
            return at
    return None


# «الذي أعلن تنظيم داعش مسؤوليته عنه»: the actor owning up to an act, saying no figure
_RESPONSIBILITY = _words("responsibility")
_SAYS_THAT = frozenset(("ان", "انه", "انها", "انهم", "بان", "بانه"))


def _owns_up(tokens: Sequence[str], at: int) -> bool:
    """The speaker at `at` claims responsibility («أعلن تنظيم داعش مسؤوليته عن التفجير») and
    reports nothing («… وقال إن مقاتليه قتلوا» does)."""
    after = tokens[at + 1 : at + 5]
    return not _RESPONSIBILITY.isdisjoint(after) and _SAYS_THAT.isdisjoint(tokens[at + 1 : at + 9])


def _claim_end(tokens: Sequence[str], claim_at: int) -> int:
    """Where a claim's counts end: another source speaking after «بينما، فيما، لكن …»."""
    for cursor in range(claim_at + 1, len(tokens)):
        if tokens[cursor] in _CONTRAST_FORMS and any(
            # «لكن مصدرا طبيا في مستشفى معيتيقة قال إن …»: a source and where it speaks from
            t in _SPEAKER_FORMS for t in tokens[cursor + 1 : cursor + 8]
        ):
            return cursor
    return len(tokens)


def _count_after_lam(
    tokens: Sequence[str], start: int, index: int, used: set[int]
) -> CasualtyMention | None:
    """«إعدام تنظيم داعش في مدينة سرت لـ 4 أشخاص»: the victims after «لـ», past the actor and
    the place."""
    for cursor in range(start, min(len(tokens), start + 20)):
        token = tokens[cursor]
        if token in _STOP or _trigger(tokens, cursor):
            return None
        if token == "ل":
            number = parse_number(tokens, cursor + 1)
        elif token.startswith("ل") and len(token) > 2 and _is_number(token[1:]):
            number = parse_number([token[1:], *tokens[cursor + 1 : cursor + 4]], 0)
            if number is not None:
                number = replace(number, start=cursor, end=cursor + number.end)
        else:
            continue
        if number is None or number.value is None or number.start in used:
            return None
        if not _is_count(tokens, number.start, number.end):
            return None
        if not any(t.isalpha() for t in tokens[number.end : number.end + 1]):
            return None  # «لـ 4» with no noun after it: no head count
        used.update(range(number.start, number.end))
        who = _group_after(tokens, number.end, tokens[:start]) or VICTIMS
        return CasualtyMention(index, "killed", number.value, who)
    return None


# «ذهب ضحيتها 169 شخصا، فيما أقدم داعش على صلب 12»: a second killing told after «فيما» is
# another act, not more dead of the first
_WHILE = frozenset(normalise(w) for w in ("فيما", "بينما", "وفيما", "وبينما"))


def _treated(tokens: Sequence[str], start: int) -> bool:
    """«آخرين ما زالا يتلقيان العلاج»، «يرقدون في المستشفى»: the people before `start` are
    under treatment (others, «still», «الجرحى» between: «ثلاثة من الجنود الجرحى يتلقون العلاج»)."""
    at = start
    while (
        at < len(tokens)
        and at - start < 3
        and (tokens[at] in _OTHERS or tokens[at] in _STILL or tokens[at] in INJURED_AFTER)
    ):
        at += 1
    return tuple(tokens[at : at + 2]) in _TREATED


def _period_tally(tokens: Sequence[str], at: int) -> bool:
    """«ارتفع عدد ضحايا هجمات التنظيم منذ مطلع العام إلى 41 قتيلا»: the count at `at` is in a
    clause that names attacks in the plural and a period, a tally of many attacks."""
    start = at
    while start > 0 and tokens[start - 1] not in _CLAUSE_ENDS:
        start -= 1
    end = at
    while end < len(tokens) and tokens[end] not in _CLAUSE_ENDS:
        end += 1
    clause = tokens[start:end]
    if len(clause) > 1 and clause[1] in _IN_THEM and start > 1:
        # «سجلت خمس هجمات منذ مطلع العام، قتل فيها 11 شخصا»: killed in the attacks the clause
        # before names
        before = start - 1
        while before > 0 and tokens[before - 1] not in _CLAUSE_ENDS:
            before -= 1
        clause = tokens[before:end]
    return not _PERIOD.isdisjoint(pairwise(clause)) and any(
        _bare_in_plural_events(t) for t in clause
    )


_IN_THEM = _words("in_them")
_SPANS_AGO = _words("spans_ago")
_IN_IT = _words("in_it")
_AGO = "قبل"


def _earlier_toll(tokens: Sequence[str], at: int) -> bool:
    """The count read at `at` (its trigger or its number) follows, in its clause, «قبل» and a
    span of weeks or more (a number between them or none), and «فيها، فيه» stands between the
    span and the count's next words: «التي استهدفها انتحاري قبل ثلاثة أسابيع وقتل فيها أربعة
    جنود» is the toll of that earlier attack."""
    start = at
    while start > 0 and tokens[start - 1] not in _CLAUSE_ENDS:
        start -= 1
    end = at
    while end < len(tokens) and end < at + 3 and tokens[end] not in _CLAUSE_ENDS:
        end += 1
    for i in range(at - 1, start - 1, -1):
        if tokens[i] in _SPANS_AGO and _AGO in tokens[max(start, i - 3) : i]:
            return not _IN_IT.isdisjoint(tokens[i + 1 : end])
    return False


def _another_act(
    tokens: Sequence[str], found: list[CasualtyMention], starts: list[int]
) -> list[CasualtyMention]:
    if len(found) < 2:
        return found  # another act's count comes after the first count
    first = next(
        (
            at for at, m in zip(starts, found, strict=True)
            if m.kind == "killed" and m.count is not None and not m.subset and m.who != MILITANTS
        ),
        None,
    )  # fmt: skip
    if first is None:
        return found
    out = []
    for at, mention in zip(starts, found, strict=True):
        if (
            at > first
            and mention.kind == "killed"
            and not mention.subset
            and mention.who != MILITANTS
            and any(t in _WHILE for t in tokens[first:at])
            and _trigger(tokens, at) is not None
            and not _passive_count_after_while(tokens, at)
        ):
            mention = replace(mention, subset=True)
        out.append(mention)
    return out


_PASSIVE_DEATHS = frozenset(normalise(w) for w in ("قتل", "استشهد", "لقي", "قضى", "سقط"))


def _passive_count_after_while(tokens: Sequence[str], at: int) -> bool:
    """«… قتلا في الهجوم الأول، بينما قتل ثلاثة من أفراد مركز الشرطة»: a passive death and
    its count right after «بينما، فيما» are more dead of the same attack (two sites), not
    another act of the actor's («فيما أقدم على صلب شابين»، «فيما قتل التنظيم رهينتين»)."""
    return (
        at > 0
        and tokens[at - 1] in _WHILE
        and tokens[at] in _PASSIVE_DEATHS
        and parse_number(tokens, at + 1) is not None
    )


def _breakdowns(found: list[CasualtyMention]) -> list[CasualtyMention]:
    """«9 قتلى: 5 جنود و4 مدنيين»: counts that add up to the one before them are its parts."""
    for kind in ("killed", "injured"):
        exact = [
            i for i, m in enumerate(found)
            if m.kind == kind and m.count is not None and m.vague is None and not m.subset
        ]  # fmt: skip
        for n, first in enumerate(exact):
            rest = exact[n + 1 :]
            if rest and found[rest[0]].joined:
                continue  # «ثلاثة عمال واثنين من السودان وحارس»: joined by و, added
            if len(rest) >= 2 and found[first].count == sum(found[i].count or 0 for i in rest):
                found = [replace(m, subset=True) if i in rest else m for i, m in enumerate(found)]
                break
    return found


def _part_after(
    tokens: Sequence[str], at: int, last: CasualtyMention, index: int, used: set[int]
) -> CasualtyMention | None:
    """The count right after «هم، بينهم» and whose it is: a part of the count before."""
    number = parse_number(tokens, at)
    if number is None or number.value is None or at in used:
        return None
    if not _is_count(tokens, number.start, number.end):
        return None
    who = _group_after(tokens, number.end, tokens[:at])
    if who is None:
        return None
    used.update(range(number.start, number.end))
    return CasualtyMention(index, last.kind, number.value, who, subset=True)


def _attackers_among(found: list[CasualtyMention]) -> list[CasualtyMention]:
    """«قتل ستة أشخاص، هم ثلاثة انتحاريين … وثلاثة من أفراد البوابة»: where a count's parts
    name the attackers, the victims are the other parts, not the count."""
    for at, whole in enumerate(found):
        if whole.subset or whole.total or whole.who == MILITANTS or whole.count is None:
            continue
        parts = []
        for part in found[at + 1 :]:
            if not part.subset or part.kind != whole.kind or part.count is None:
                break
            parts.append(part)
        if (
            len(parts) >= 2
            and sum(p.count or 0 for p in parts) == whole.count
            and any(p.who == MILITANTS for p in parts)
        ):
            rest = found[at + 1 + len(parts) :]
            return [
                *found[:at], replace(whole, subset=True, attackers=True),
                *(replace(p, subset=False) for p in parts), *rest,
            ]  # fmt: skip
    return found


# «بينهم الانتحاري»، «إحداها لمنفذ الهجوم»، «بينهم ثلاثة من المهاجمين»: the attackers among a
# count, by the word that names them (one, unless a number or a dual says how many)
_ATTACKER_ONE = frozenset(
    f"{c}{a}{normalise(w)}" for w in ("انتحاري", "منفذ", "المهاجم") for a in ("", "ال")
    for c in ("", "ل")
)  # fmt: skip
_ATTACKER_TWO = frozenset(
    f"{c}{a}{normalise(w)}" for w in ("انتحاريان", "انتحاريين", "مهاجمان", "منفذان", "منفذين")
    for a in ("", "ال") for c in ("", "ل")
)  # fmt: skip
_ATTACKER_MANY = frozenset(
    f"{c}{a}{normalise(w)}" for w in ("مهاجمين", "منفذي", "انتحاريين") for a in ("", "ال")
    for c in ("", "ل")
)  # fmt: skip
_ATTACKER_WORDS = _ATTACKER_ONE | _ATTACKER_TWO | _ATTACKER_MANY
_AMONG_THEM = frozenset(
    normalise(w) for w in ("بينهم", "بينها", "منهم", "منها", "إحداها", "أحدها", "أحدهم", "إحداهم")
)
# «من عناصر التنظيم»: the actor's members
_MEMBERS = frozenset(normalise(w) for w in ("عناصر", "مقاتلي", "مسلحي", "أفراد", "أعضاء"))
# the words between «بينها» and the attackers: «إصابتان لعنصرين من المهاجمين»
_PART_NOUNS = tuple(normalise(w) for w in ("إصاب", "جث", "عنصر", "لعنصر", "قتيل", "جريح"))


def _less_the_attackers(
    tokens: Sequence[str], found: list[CasualtyMention], starts: list[int]
) -> list[CasualtyMention]:
    """«استقبل المستشفى ست جثث، إحداها لمنفذ الهجوم»، «مقتل خمسة بينهم الانتحاري»، «11
    إصابة، بينها إصابتان لعنصرين من المهاجمين»: the count before, less the attackers among it."""
    for at, token in enumerate(tokens):
        if token not in _AMONG_THEM:
            continue
        many = None
        # «سبعة، ستة منهم من عناصر التنظيم»: the part's number before «منهم»
        ahead = parse_number(tokens, at - 1) if at else None
        for cursor in range(at + 1, min(len(tokens), at + 7)):
            word = tokens[cursor]
            if not word.isalnum():
                break
            if word in _ATTACKER_ONE:
                many = 1
            elif word in _ATTACKER_TWO:
                many = 2
            elif word in _ATTACKER_MANY or (
                _bare_in_masculine_actor(word) is not None and tokens[cursor - 1] in _MEMBERS
            ):
                # «بينهم ثلاثة من المهاجمين»، «ستة منهم من عناصر التنظيم»
                many = _number_between(tokens, at + 1, cursor) or (
                    ahead.value if ahead is not None and ahead.end == at else None
                )
            if many is not None or word in _ATTACKER_MANY:
                break
            if word in _MEMBERS:
                continue
            if not (
                word == "من"
                or parse_number(tokens, cursor) is not None
                or word.startswith(_PART_NOUNS)
            ):
                break  # «بينهم حارسان عندما فجر انتحاري نفسه»: another part, then the act
        if many is None:
            continue
        # «إصابتان لعنصرين»: the part's own noun says its kind, else the count before it
        part_kind = next(
            (
                m.kind for m, start in zip(found, starts, strict=True)
                if at < start < at + 6 and m.subset
            ),
            None,
        )  # fmt: skip
        before = [
            i for i, (m, start) in enumerate(zip(found, starts, strict=True))
            if start < at and not m.subset and m.count is not None and m.who != MILITANTS
            and (part_kind is None or m.kind == part_kind)
        ]  # fmt: skip
        if not before:
            continue
        whole = found[before[-1]]
        if whole.count is not None and whole.count > many:
            found = list(found)
            found[before[-1]] = replace(whole, count=whole.count - many)
    return found


def _number_between(tokens: Sequence[str], start: int, end: int) -> int | None:
    """The number among tokens[start:end] («بينهم ثلاثة من المهاجمين»: three), if any."""
    for cursor in range(start, end):
        number = parse_number(tokens, cursor)
        if number is not None and number.value is not None:
            return number.value
        two = _bare_in_duals(tokens[cursor])
        if two is not None:
            return 2
    return None


def _joined_count(
    tokens: Sequence[str],
    position: int,
    last: CasualtyMention,
    index: int,
    last_at: int,
    added: bool = False,
) -> tuple[CasualtyMention, int] | None:
    """A count joined by و to the one before: «ستة جنود و24 مسلحا»، «وثلاثة مدنيين»، «ومدنيان»;
    and where its figure ends. `added`: after «فضلا عن، إضافة إلى», which join as و does,
    however far the count before."""
    if position >= len(tokens):
        return None
    token = f"و{tokens[position]}" if added else tokens[position]
    if token in UNITS:
        return None  # «واحد»: one, not «و» and «أحد»
    subset = last.subset or not _SUBSET.isdisjoint(tokens[last_at:position])
    dual = _bare_in_duals(token) if token.startswith("و") else None
    if dual is not None:
        return CasualtyMention(
            index, last.kind, 2, GROUP_OF.get(dual, VICTIMS), subset=subset, joined=True
        ), position + 1
    if (
        added
        and tokens[position + 1 : position + 2]
        and tokens[position + 1] in _AFTER_ITS_NOUN
        and (group := GROUP_OF.get(tokens[position]))
    ):
        # «إضافة إلى مهندسين اثنين»: a noun, then its number
        return CasualtyMention(index, last.kind, 2, group, subset=subset, joined=True), position + 2
    one = _bare_in_singulars(token[1:]) if token.startswith("و") and last.count else None
    between = tokens[last_at:position]
    # (the first word is the last count's own: «واثنين من السودان وحارس ليبي»)
    if one is not None and (
        added or (len(between) <= 5 and all(t.isalnum() and t[0] != "و" for t in between[1:]))
    ):
        # «قتل جنديان ومدني»، «أربعة عناصر من داعش وجندي»: one more, right after the count's
        # noun and whose they are
        who = GROUP_OF.get(one) or VICTIMS
        if who == VICTIMS:
            who = _group_after(tokens, position + 1, tokens[:position]) or VICTIMS
        return CasualtyMention(index, last.kind, 1, who, subset=subset, joined=True), position + 1
    nth = _ORDINAL.get(token[1:].removesuffix("ا")) if token.startswith("و") else None
    if (
        nth is not None
        and last.count is not None
        and nth == last.count + 1
        and len(between) <= 4
        and all(t.isalnum() and t[0] != "و" for t in between[1:])
    ):
        # «قتيلين من المدنيين وثالث من الجيش»، «ثلاثة جنود ورابع من الشرطة»: the next one
        who = _group_after(tokens, position + 1, tokens[:position]) or VICTIMS
        return CasualtyMention(index, last.kind, 1, who, subset=subset, joined=True), position + 1
    if token == "و":
        number = parse_number(tokens, position + 1)
        end = number.end if number else position + 1
    elif token.startswith("و") and len(token) > 1:
        number = parse_number([token[1:], *tokens[position + 1 : position + 4]], 0)
        end = position + (number.end if number else 1)
    else:
        return None
    if number is None or number.value is None:
        return None
    start = end - (number.end - number.start)
    if not _is_count(tokens, start, end):
        return None
    group = _group_after(tokens, end, tokens[:position])
    if (
        group is None
        and tokens[end : end + 1] == ["من"]
        and end + 1 < len(tokens)
        and tokens[end + 1].isalpha()
        and not (tokens[end + 1] in KILLED_AFTER or tokens[end + 1] in INJURED_AFTER)
    ):
        group = VICTIMS  # «ثلاثة عمال مصريين واثنين من السودان»: people of a country
    if group is None:
        return None
    noun = tokens[end] if end < len(tokens) else ""
    # «5 قتلى و12 جريحا»: the noun after the count says its kind
    kind = (
        "injured"
        if _bare_in_injured_after(noun)
        else "killed"
        if _bare_in_killed_after(noun)
        else last.kind
    )
    return CasualtyMention(index, kind, number.value, group, subset=subset, joined=True), end


def _count_after_trigger(
    tokens: Sequence[str], start: int, kind: str, index: int, used: set[int], last_group: str | None
) -> CasualtyMention | None:
    for at in range(start + 1, min(start + 3, len(tokens) - 1)):
        # «أعدم المسلحون كلا من …»: the killers, then the list of whom they killed
        if tokens[at] in _EACH and tokens[at + 1] == "من":
            if all(_is_militant(t) for t in tokens[start:at]):
                start = at
            break
    words = 0
    cursor = start
    while cursor < len(tokens) and words <= _GAP:
        token = tokens[cursor]
        if token == ",":
            skip = _time_aside(tokens, cursor)
            if skip:
                cursor = skip
                continue
        if token in _STOP:
            return None
        if not token.isalnum():
            cursor += 1
            continue
        if _trigger(tokens, cursor):
            return None  # «ثلاثة أشخاص قتلوا وأصيب تسعة»: the next trigger has its own count
        if token in _OTHER_ACT_FORMS:
            return None  # «قتلوا الحارس وخطفوا موظفين اثنين»: hostages, not the dead
        if words == 0 and token in _ASIDE:
            cursor += 1  # «قتلوا خلاله حارس المقر»: the object still comes first
            continue
        if (
            words == 0
            and token in _TIME_ASIDE
            and cursor + 1 < len(tokens)
            and (
                tokens[cursor + 1] in _TIME_ASIDE
                or tokens[cursor + 1] in _TITLES
                or tokens[cursor + 1] in _ROLL_RANKS
            )
        ):
            cursor += 1  # «توفي صباح اليوم العقيد …»: the time before the one named
            continue
        if (
            words == 0
            and (cursor == start or (cursor == start + 2 and tokens[start] == _IN))
            and cursor + 2 < len(tokens)
            and (
                (
                    token == _IN
                    and cursor == start
                    and tokens[cursor + 1].isalpha()
                    and tokens[cursor + 2].isalpha()
                )
                or (token in _EACH and tokens[cursor + 1] == "من")
            )
        ):
            # «أصيب في الكمين المواطن …»: the event between the verb and whom it befell;
            # «لقي كل من الحاج …، والشيخ …»: each of the names that follow
            if token in _EACH:
                listed, list_end = _names_listed(tokens, cursor + 2)
                if listed >= 2:
                    used.update(range(cursor, list_end))
                    side = _side_of_list(tokens, cursor + 2, list_end)
                    return CasualtyMention(index, kind, listed, side)
            cursor += 2
            continue
        if (
            words == 0
            and cursor == start
            and (value := _DEFINITE_NUMBERS.get(token)) is not None
            and cursor + 1 < len(tokens)
            and tokens[cursor + 1] in _THE_OTHERS
        ):
            # «فيما أصيب السبعة الآخرون»: the rest of those counted, by their number
            used.update((cursor, cursor + 1))
            return CasualtyMention(index, kind, value, VICTIMS)
        if (
            words == 0
            and cursor == start
            and (value := _DEFINITE_NUMBERS.get(token)) is not None
            and (cursor + 1 == len(tokens) or not tokens[cursor + 1].isalnum())
        ):
            # «ما أدى إلى مقتل اثنين وإصابة الستة.»: the six told of before, by their number
            used.add(cursor)
            return CasualtyMention(index, kind, value, VICTIMS)
        if (
            words == 0
            and cursor == start
            and tokens[start - 1].startswith("ال")
            and (value := _DEFINITE_NUMBERS.get(token)) is not None
        ):
            # «الجثث التسع»: a definite plural and its number as its adjective
            used.add(cursor)
            return CasualtyMention(index, kind, value, VICTIMS)
        if (
            words == 0
            and token.startswith("ال")
            and (group := GROUP_OF.get(token)) is not None
            and cursor + 1 < len(tokens)
            and cursor + 1 not in used
            and (value := _DEFINITE_NUMBERS.get(tokens[cursor + 1])) is not None
        ):
            # «قتل الحراس الثلاثة»: the people and their number as its adjective
            used.add(cursor + 1)
            return CasualtyMention(index, kind, value, group)
        number = parse_number(tokens, cursor)
        if number is not None and cursor and tokens[cursor - 1] in _AMONG_GROUP:
            return None  # «أعدم عاملين كانا ضمن ستة رهائن»: the group they were among
        if (
            number is not None
            and cursor not in used
            and _is_count(tokens, number.start, number.end)
        ):
            used.update(range(number.start, number.end))
            noun_at = None  # the first word after the number
            for i in range(number.end, min(len(tokens), number.end + 3)):
                if tokens[i].isalnum():
                    noun_at = i
                    break
            if noun_at is not None and _mixed_noun(tokens, noun_at):
                return CasualtyMention(index, "killed", None, VICTIMS, vague=_MIXED)
            following = tokens[noun_at] if noun_at is not None else ""
            # «استقبل المستشفى أربع جثث و11 جريحا»: the noun after the count says its kind
            # (the noun itself: «وإصابة» after it starts the next phrase)
            if kind == "killed" and following in INJURED_AFTER:
                kind = "injured"
            elif kind == "injured" and following in KILLED_AFTER:
                kind = "killed"
            if cursor > start and tokens[cursor - 1] == "و":  # the tail only after «و»
                tail = [t for t in tokens[number.end : number.end + 4] if t.isalnum()][:2]
                if any(t in _OTHERS for t in tail):
                    # «أودى بحياة مدير الأمن و3 أشخاص آخرين»: one named victim and N others
                    named = _group_after(tokens, number.end, tokens[:start]) or VICTIMS
                    return CasualtyMention(index, kind, (number.value or 0) + 1, named)
            if following in _OTHERS and last_group:
                who: str | None = last_group  # «وأصيب اثنان آخران»: the same people as before
            else:
                who = _group_after(tokens, number.end, tokens[:start])
            return CasualtyMention(
                index, kind, number.value, who or VICTIMS,
                approximate=_approximate(tokens, start, cursor)
                or _at_least_after(tokens, number.end),
                subset=_subset(tokens, cursor),
                vague=number.vague, either=kind == "killed" and _bare_in_either(following) is not None,
            )  # fmt: skip
        dual = _bare_in_duals(token)
        if dual is not None:
            used.add(cursor)
            group = GROUP_OF.get(dual, VICTIMS)
            if group == VICTIMS:
                # «قتل عنصرين من تنظيم الدولة»: the words after say whose
                group = _group_after(tokens, cursor + 1, tokens[:start]) or VICTIMS
            return CasualtyMention(index, kind, 2, group)
        if (
            words == 0
            and (token in _TITLES or token in _ROLL_RANKS)
            and not _is_number(tokens[cursor + 1] if cursor + 1 < len(tokens) else "")
        ):
            # «استشهاد الرائد سالم المبروك»، «وأصيب الجندي نوري …»: one named person
            used.add(cursor)
            if token in _ROLL_RANKS:
                count, end = _roll(tokens, cursor)
                if count > 1:
                    # «مقتل العقيد … والرائد …»: a roll of ranked names, one each
                    used.update(range(cursor, end))
                    who = CIVILIANS if token in _CIVIL_TITLES else SECURITY
                    return CasualtyMention(index, kind, count, who)
            companion = _companion(tokens, cursor + 1)
            if companion is not None:
                used.add(companion)  # «… ومرافقه»: and one of his
            return CasualtyMention(
                index, kind, 1 if companion is None else 2,
                SECURITY if token not in _CIVIL_TITLES else CIVILIANS,
            )  # fmt: skip
        if words == 0 and token in _KIN_DUAL:
            used.add(cursor)
            return CasualtyMention(index, kind, 2, VICTIMS)
        if (
            words == 0
            and token in _CONSTRUCT_DUALS
            and cursor + 1 < len(tokens)
            and tokens[cursor + 1] in _CONSTRUCT_OF
        ):
            # «استشهد رجلا أمن»، «مقتل رجلي الشرطة»: a dual in construct (a singular there
            # takes no «ا»: «رجلَ أمنٍ»)
            used.update((cursor, cursor + 1))
            return CasualtyMention(index, kind, 2, SECURITY)
        if words == 0 and token in _ONE_CASUALTY:
            used.add(cursor)  # «سقوط قتيل»: one, of the noun's kind
            one_kind = _ONE_CASUALTY[token]
            if cursor and (tokens[cursor - 1] in _DEATH_CASE or tokens[cursor - 1] in _DIED):
                one_kind = "killed"  # «إثر وفاة جريح»: one of the hurt died
            return CasualtyMention(index, one_kind, 1, VICTIMS)
        # the first word, or later an object in the accusative (verb, subject, object: «أعدم
        # تنظيم داعش شابا»، «قتل مسلحون جنديا»)
        if words == 0 or (token.endswith("ا") and token in SINGULARS):
            one = (
                _bare_in_one(token)
                or _bare_in_singulars(token)
                or (token if token in _KIN or token in _HIS_COMPANIONS else None)
            )
            if words > 0 and one not in SINGULARS:
                one = None
            if one is not None:
                single = GROUP_OF.get(one) if one not in _ONE else None
                if single is None or single == VICTIMS:
                    single = _group_after(tokens, cursor + 1, tokens[:start]) or single
                if single is None and one in _ANOTHER and last_group:
                    # «قتلت أحد المهاجمين وأصابت آخر»: another of the people counted before
                    single = last_group
                if (
                    single is None
                    and one in _NEXT_ONES
                    and _antecedent(tokens[:start]) == MILITANTS
                ):
                    # «القبض على أربعة عناصر من خلية لداعش وقتل خامس»: the next of the cell
                    single = MILITANTS
                if cursor + 1 < len(tokens) and tokens[cursor + 1] in _ONE_MORE:
                    used.add(cursor + 1)  # «عسكري واحد»: not a count of its own
                after = tokens[cursor + 1] if cursor + 1 < len(tokens) else ""
                if after in _KIN_TWO:
                    used.add(cursor + 1)
                    return CasualtyMention(index, kind, 3, single or VICTIMS)
                kin = (
                    _DEFINITE_NUMBERS.get(tokens[cursor + 2])
                    if after in _KIN_MANY and cursor + 2 < len(tokens)
                    else None
                )
                if kin is not None:
                    # «قتل رجل وأبناؤه الثلاثة»: one, and as many of his as the number says
                    used.update((cursor + 1, cursor + 2))
                    return CasualtyMention(index, kind, 1 + kin, single or VICTIMS)
                companion = _companion(tokens, cursor + 1)
                if companion is not None:
                    # «قتلوا رجلا وزوجته»، «مقتل رئيس المجلس البلدي وشقيقه»: two
                    used.add(companion)
                    return CasualtyMention(index, kind, 2, single or VICTIMS)
                plus = _others_plus_one(tokens, cursor + 1) if kind == "killed" else None
                if plus is not None and plus[0].who == MILITANTS and single != MILITANTS:
                    plus = None  # «مقتل عنصر أمن وأربعة من خلية لداعش»: the others fought him
                if plus is not None:
                    # «قتلوا آمر البوابة واثنين من مرافقيه»: the one and the others
                    used.update(range(plus[1], plus[1] + 3))
                    # one side only when the one and the others are of it («من مرافقيه»: his)
                    who = single if plus[0].who in (single, "") and single else VICTIMS
                    return CasualtyMention(index, kind, plus[0].count, who)
                return CasualtyMention(index, kind, 1, single or VICTIMS)
        words += 1
        cursor += 1
    return None


def _roll(tokens: Sequence[str], start: int) -> tuple[int, int]:
    """«الرقيب أول فلان، والعريف فلان، والجندي فلان»: how many ranked names a roll opened by the
    rank at `start` lists, and where its last name ends."""
    count, end, since = 1, start + 1, 0
    for cursor in range(start + 1, min(len(tokens), start + 60)):
        token = tokens[cursor]
        if token == ",":
            continue
        if not token.isalnum():
            break
        if (token[1:] if token.startswith("و") else token) in _ROLL_RANKS:
            # «والشهيد الجندي …»: a rank right after another is the same man's
            same_man = since == 0 and cursor == end and not token.startswith("و")
            count, end, since = count + (0 if same_man else 1), cursor + 1, 0
            continue
        if (
            since >= 6  # a name is a rank and up to six words («أول عبد السلام محمد الفيتوري»)
            or token in _RELATIVE
            or token in _END_OF_GROUP
            or _is_number(token)
            or _trigger(tokens, cursor)
        ):
            break
        end, since = cursor + 1, since + 1
    return count, end


_OTHER_PEOPLE = (normalise("غيرهم"), normalise("غيره"))


def _names_listed(tokens: Sequence[str], start: int) -> tuple[int, int]:
    """«كل من سالم …، ومفتاح …، وإبراهيم …»: how many people a list after «كل من» names, and
    where it ends. «و» opens the next name; a comma alone does only when a name with «و» follows
    («أ، ب، وج»), so the clause after the list («…، حتفهم») is not a name."""
    if start < len(tokens) and tokens[start] in _ROLL_RANKS:
        return _roll(tokens, start)  # «كل من العريف …، والجندي …»: one rank, one man
    count, since, comma = 1, 0, False
    kept_count, kept_end = 1, start  # the list up to its last name opened by «و»
    joined = True  # the current name is the first, or was opened by «و»
    aside = False  # between commas after a name, what that man is
    for cursor in range(start, min(len(tokens), start + 40)):
        token = tokens[cursor]
        if token == ",":
            comma, aside = True, False
            continue
        if not token.isalnum():
            break
        if comma and token in _NAMES_ASIDE:
            aside, comma = True, False  # «سالم …، أحد أفراد البوابة، وعلي …»: the same man
        if aside:
            continue
        bare = peel_conjunction(token)
        if (
            token in _END_OF_GROUP
            or bare in _END_OF_GROUP
            or token in _NAMES_END
            or bare in _NAMES_END
            or token in _RELATIVE
            or _is_number(token)
            or _trigger(tokens, cursor)
        ):
            break
        waw = token == "و" or (token[0] == "و" and len(token) > 3 and token not in _NAMES_WITH_WAW)
        if cursor > start and (comma or waw):
            if token in _KIN_MANY or bare in _OTHERS or bare.startswith(_OTHER_PEOPLE):
                return 0, cursor  # «… وأبناؤه»، «… وآخرون»: more than the names, not a count
            count, since, joined = count + (2 if token in _KIN_TWO else 1), 0, waw
            if token == "و":
                comma = False
                continue
        elif since >= 7:  # a title and a name: «آمر الحرس البلدي سالم عبد الله المهدي»
            break
        since, comma = since + 1, False
        if joined:
            kept_count, kept_end = count, cursor + 1
    return kept_count, kept_end


def _is_militant(token: str) -> bool:
    """«المسلحون»، «داعش»، «التنظيم»: the actor's men or its name."""
    return GROUP_OF.get(token) == MILITANTS or _bare_in_militant_orgs(token) is not None


def _names_follow(tokens: Sequence[str], start: int) -> bool:
    """«كل من» in the first words after a trigger: a list of names follows."""
    return any(
        tokens[at] in _EACH and tokens[at + 1] == "من"
        for at in range(start, min(start + 4, len(tokens) - 1))
    )


_THE_OTHERS = frozenset(normalise(w) for w in ("الآخرون", "الآخرين", "الباقون", "الباقين"))
_THEY_WERE = frozenset(normalise(w) for w in ("وهما", "وهم", "وهو", "هما", "هم"))


def _side_of_list(tokens: Sequence[str], start: int, end: int) -> str:
    """Whose a list of names is: the actor's when a name is told as one of theirs («الإرهابي
    فلان»، «القيادي في التنظيم»، «… وهما من قيادات داعش»), else the victims'."""
    for at in range(start, end):
        token = tokens[at]
        bare = peel_conjunction(token)
        if GROUP_OF.get(token) == MILITANTS or GROUP_OF.get(bare) == MILITANTS:
            return MILITANTS
        if at > start and tokens[at - 1] == "في" and _bare_in_militant_orgs(token):
            return MILITANTS  # «القيادي في التنظيم أبو …»
    after = [t for t in tokens[end : end + 6] if t.isalnum()]
    if after and after[0] in _THEY_WERE and any(_bare_in_militant_orgs(t) for t in after[1:]):
        return MILITANTS  # «… وهما من قيادات داعش»
    return VICTIMS


def _list_then_killed(
    tokens: Sequence[str], start: int, index: int, used: set[int]
) -> tuple[CasualtyMention, int] | None:
    """«اقتادوا كلا من سالم …، ومفتاح …، وإبراهيم … ثم قتلوهم»: the people a list after «كل
    من» names, when the words right after it kill them; and where the list ends."""
    count, end = _names_listed(tokens, start + 2)
    if count < 2:
        return None
    after = [t for t in tokens[end : end + 3] if t.isalnum()]
    for word in after:
        bare = peel_conjunction(word)
        if bare.startswith(_NAMES_KILLED_AFTER) or bare.startswith(_ROLL_DEAD):
            kind = "killed"
        elif bare.startswith(_ROLL_HURT):
            kind = "injured"
        else:
            continue
        used.update(range(start, end))
        return CasualtyMention(index, kind, count, _side_of_list(tokens, start, end)), end
    return None


def _roll_of_dead(
    tokens: Sequence[str], start: int, index: int, used: set[int]
) -> tuple[CasualtyMention, int] | None:
    """A roll of two or more ranked names mourned (نعى) or followed by what befell them
    («الذين ارتقوا»، «أصيبوا»): a count of its names; and where the roll ends."""
    count, end = _roll(tokens, start)
    if count < 2:
        return None
    after = [t for t in tokens[end : end + 3] if t.isalnum()]
    kind = None
    if any(t.startswith(_ROLL_HURT) for t in after):
        kind = "injured"
    elif (
        any(t.startswith(_ROLL_DEAD) for t in after)
        or any(_bare_in_mourn(t) for t in tokens[max(0, start - 16) : start])
        or (_listed_after_they(tokens, start) and _mourned_or_fell(tokens[:start]))
    ):
        kind = "killed"
    if kind is None:
        return None
    used.update(range(start, end))
    who = CIVILIANS if tokens[start] in _CIVIL_TITLES else SECURITY
    return CasualtyMention(index, kind, count, who), end


_THEY = frozenset(normalise(w) for w in ("هم", "وهم"))
# «رجلا أمن»، «رجلي الشرطة»، «عنصرا حراسة»: two men of a force, the dual in construct
_CONSTRUCT_DUALS = frozenset(
    f"{stem}{ending}" for stem in ("رجل", "عنصر", "فرد", "منتسب") for ending in ("ا", "ي")
)
_CONSTRUCT_OF = frozenset(
    f"{a}{normalise(w)}" for w in ("أمن", "شرطة", "حراسة", "حماية", "مرور") for a in ("", "ال")
)


def _listed_after_they(tokens: Sequence[str], start: int) -> bool:
    """«…، وهم: الشهيد العريف …»: the roll lists the people a clause before it named."""
    before = [t for t in tokens[max(0, start - 3) : start] if t.isalnum()]
    return bool(before) and before[-1] in _THEY


def _mourned_or_fell(before: Sequence[str]) -> bool:
    """«ينعى المجلس … شهداء الواجب الذين سقطوا»: mourned, or fell, earlier in the sentence."""
    return any(_bare_in_mourn(t) or t.startswith(_ROLL_DEAD) for t in before)


def _companion(tokens: Sequence[str], start: int, reach: int = 4) -> int | None:
    """Where «وشقيقه»، «ومرافقه» follows one person's name or title, within `reach` words:
    one more person, of his. A comma, a preposition, a number or a trigger ends the search; his
    age between («راعيا في الستين من عمره وابنه»، «البالغ 40 عاما») is passed over."""
    end = min(len(tokens), start + reach)
    cursor = start
    while cursor < end:
        past = _past_age(tokens, cursor)
        if past is not None:
            end = min(len(tokens), end + past - cursor)
            cursor = past
            continue
        token = tokens[cursor]
        cursor += 1
        if not token.isalnum() or token in _END_OF_GROUP or _is_number(token):
            return None
        if token[0] == "و" and token[1:] in _COMPANIONS:
            return cursor - 1
        if _trigger(tokens, cursor - 1):
            return None
    return None


_AGE_YEARS = _with_article(_words("age_years"))
_OF_AGE = _words("of_age")


def _past_age(tokens: Sequence[str], at: int) -> int | None:
    """Past an age told after a person, or None: «في الستين من عمره»، «في العاشرة»، «البالغ
    من العمر 52 عاما»، «(17 عاما)»."""
    token = tokens[at]
    if token == "(":
        close = next((i for i in range(at + 1, min(len(tokens), at + 5)) if tokens[i] == ")"), None)
        if close is not None and any(_bare_in_age_years(t) for t in tokens[at + 1 : close]):
            return close + 1
        return None
    if token == _IN and at + 1 < len(tokens):
        word = tokens[at + 1]
        if not (
            word.startswith("ال")
            and (
                _is_number(word[2:])
                or word[2:].removesuffix("ه") in _ORDINAL
                or word[2:].removesuffix("ه").removesuffix("ي") in _ORDINAL
            )
        ):
            return None
        if (
            tokens[at + 2 : at + 3] == ["من"]
            and at + 3 < len(tokens)
            and tokens[at + 3].startswith(_OF_AGE_STEM)
        ):
            return at + 4
        return at + 2
    if token in _OF_AGE:
        cursor = at + 1
        if tokens[cursor : cursor + 2] == ["من", _THE_AGE]:
            cursor += 2
        number = parse_number(tokens, cursor) if cursor < len(tokens) else None
        if (
            number is None
            or number.end >= len(tokens)
            or not _bare_in_age_years(tokens[number.end])
        ):
            return None
        return number.end + 1
    return None


_OF_AGE_STEM = normalise("عمر")
_THE_AGE = normalise("العمر")


_PASSIVE = frozenset(
    normalise(w) for w in ("قتل", "قتلت", "أصيب", "أصيبت", "جرح", "جرحت", "استشهد", "استشهدت")
)
_ONE_OF = frozenset(normalise(w) for w in ("أحد", "إحدى"))  # «أحد أفرادها استشهد»
_MET_OWN_DEATH = frozenset(
    f"{stem}{suffix}" for stem in ("حتف", "مصرع") for suffix in ("ه", "ها")
)  # fmt: skip


_MET = frozenset(normalise(w) for w in ("لقي", "لقيت"))


def _met_own_death(
    tokens: Sequence[str], start: int, index: int, used: set[int]
) -> CasualtyMention | None:
    """«لقي صاحب محل لبيع الهواتف حتفه»: one, whoever the words between name (the verb was
    «لقي» and its count is not right after it)."""
    if _bare_in_met(tokens[start - 1]) is None:
        return None
    for cursor in range(start, min(len(tokens), start + 7)):
        token = tokens[cursor]
        if not token.isalnum():
            return None
        if token in _MET_OWN_DEATH:
            used.add(cursor)
            return CasualtyMention(index, "killed", 1, VICTIMS)
    return None


def _subject_before(
    tokens: Sequence[str], position: int, kind: str, index: int, used: set[int]
) -> CasualtyMention | None:
    """One person named just before the verb that befell him: «بأن ضابطا برتبة مقدم لقي حتفه»،
    «لكن سائقه قتل». Only where nothing after the verb counts anyone (a clause ends there)."""
    verb = _bare_in_passive(tokens[position]) or tokens[position]
    after = tokens[position + 1] if position + 1 < len(tokens) else "."
    if verb in _PASSIVE:
        if after.isalnum() and not after.startswith("و"):
            return None  # «قتل جنديان»: the verb before its subject
    elif not (verb in KILLED_VERBS and after in _MET_OWN_DEATH):
        return None
    for cursor in range(position - 1, max(-1, position - 5), -1):
        token = tokens[cursor]
        if not token.isalnum() or cursor in used:
            return None
        if token in _ONE_OF:
            used.add(cursor)
            side = _group_after(tokens, cursor + 1, tokens[:cursor]) or VICTIMS
            return CasualtyMention(index, kind, 1, side)
        one = _bare_in_singulars(token) or (token if token in _COMPANIONS else None)
        if one is not None:
            used.add(cursor)
            who = GROUP_OF.get(one) or (GROUP_OF.get(one[:-1]) if one.endswith("ا") else None)
            return CasualtyMention(index, kind, 1, who or VICTIMS)
    return None


def _people_the_number_names(
    tokens: Sequence[str], position: int, index: int
) -> CasualtyMention | None:
    """«الجنود الخمسة الذين استشهدوا»: a definite group, its number as an adjective, and a
    relative clause whose verb says they were killed or hurt."""
    if position == 0 or position + 2 >= len(tokens) or tokens[position + 1] not in _RELATIVE:
        return None
    noun = tokens[position - 1]
    if noun.startswith("لل"):
        noun = f"ال{noun[2:]}"  # «للجرحى الثلاثة الذين نقلوا»: ل before the article
    named = _NAMED_TOLL.get(noun[1:] if noun[:3] in ("وال", "بال") else noun)
    if named is not None:
        return CasualtyMention(index, named, _DEFINITE_NUMBERS[tokens[position]], VICTIMS)
    group = GROUP_OF.get(noun) if noun.startswith(("ال", "وال")) else None
    if group is None:
        return None
    for verb in tokens[position + 2 : position + 4]:
        kind = (
            "killed" if verb in KILLED_VERBS or verb.startswith(_ROLL_DEAD)
            else "injured" if verb in INJURED_VERBS
            else None
        )  # fmt: skip
        if kind is not None:
            return CasualtyMention(index, kind, _DEFINITE_NUMBERS[tokens[position]], group)
    return None


def _time_aside(tokens: Sequence[str], comma: int) -> int | None:
    """After «قتل، فجر اليوم الجمعة،»: the index past the second comma, if only a time sits between."""
    for cursor in range(comma + 1, min(len(tokens), comma + 7)):
        token = tokens[cursor]
        if token == ",":
            return cursor + 1 if cursor > comma + 1 else None
        if token not in _TIME:
            return None
    return None


def _their_number(
    tokens: Sequence[str], position: int, index: int, used: set[int]
) -> CasualtyMention | None:
    """«شهداء الكتيبة الذين سقطوا أمس في كمين، وعددهم أربعة»: the number of the dead or the
    hurt named before it in the sentence."""
    number = parse_number(tokens, position + 1)
    if number is None or number.value is None or position + 1 in used:
        return None
    for cursor in range(position - 1, max(-1, position - 16), -1):
        kind = (
            "killed" if _bare_in_killed_after(tokens[cursor])
            else "injured" if _bare_in_injured_after(tokens[cursor])
            else None
        )  # fmt: skip
        if kind is not None:
            used.update(range(number.start, number.end))
            return CasualtyMention(index, kind, number.value, VICTIMS)
    return None


def _rose_kind(tokens: Sequence[str], start: int) -> str:
    """The kind of a toll that rose to a bare figure: the dead, unless what follows speaks of
    the hurt alone («… إلى تسعة بعد إصابة آخرين»)."""
    kinds = set()
    for cursor in range(start, len(tokens)):
        if tokens[cursor] in ".;!?":
            break
        trigger = _trigger(tokens, cursor)
        if trigger:
            kinds.add(trigger[0])
    return "injured" if kinds == {"injured"} else "killed"


def _rose_to(
    tokens: Sequence[str], position: int, index: int, used: set[int]
) -> CasualtyMention | None:
    """«ارتفاع قتلى هجوم داعش في سبها إلى أربعة»: the dead or the hurt rose to a figure."""
    noun = tokens[position + 1] if position + 1 < len(tokens) else ""
    kind = (
        "killed" if _bare_in_killed_after(noun)
        else "injured" if _bare_in_injured_after(noun)
        else None
    )  # fmt: skip
    if kind is None and noun == "الي" and position + 2 not in used:
        # «ليرتفع إلى خمسة عدد قتلى الهجوم»: the figure before the toll it is
        number = parse_number(tokens, position + 2)
        if number is None or number.value is None:
            return None
        tail = [t for t in tokens[number.end : number.end + 3] if t.isalnum()][:2]
        if tail and _bare_in_toll(tail[0]):
            tail = tail[1:]
        named = (
            "killed" if tail and _bare_in_killed_after(tail[0])
            else "injured" if tail and _bare_in_injured_after(tail[0])
            else None
        )  # fmt: skip
        if named is None:
            return None
        used.update(range(number.start, number.end))
        return CasualtyMention(index, named, number.value, VICTIMS, total=True)
    if kind is None:
        return None
    for cursor in range(position + 2, min(len(tokens) - 1, position + 14)):
        if tokens[cursor] in ".;!?":
            break
        if tokens[cursor] == "الي" and cursor + 1 not in used:
            figure = _figure_after_to(tokens, cursor + 1)
            if figure is None:
                break
            used.update(range(figure.start, figure.end))
            return CasualtyMention(index, kind, figure.value, VICTIMS, total=True)
    return None


@dataclass(frozen=True, slots=True)
class _Figure:
    value: int
    start: int
    end: int


def _figure_after_to(tokens: Sequence[str], at: int) -> _Figure | None:
    """The figure a toll rose to after «إلى»: a number, or a dual («إلى جنديين»)."""
    number = parse_number(tokens, at)
    if number is not None and number.value is not None:
        return _Figure(number.value, number.start, number.end)
    if at < len(tokens) and _bare_in_duals(tokens[at]) is not None:
        return _Figure(2, at, at + 1)
    return None


def _table_field(
    tokens: Sequence[str], position: int, index: int, used: set[int]
) -> CasualtyMention | None:
    """«القتلى: 4 / الجرحى: 9»، «شهداء من منتسبي المديرية – 2»: a casualty noun as a table's
    label, whose it is, a colon or a dash, and its figure alone in its field."""
    token = tokens[position]
    kind = _NAMED_TOLL.get(token) or ("killed" if token in KILLED_AFTER else "injured")
    for cursor in range(position + 1, min(len(tokens), position + 6)):
        mark = tokens[cursor]
        if mark in _LABEL_MARKS:
            number = parse_number(tokens, cursor + 1)
            if number is None or number.value is None or number.start in used:
                return None
            after = tokens[number.end] if number.end < len(tokens) else "."
            if not (after in _FIELD_ENDS or after in _CASES):
                return None
            if not _is_count(tokens, number.start, number.end):
                return None
            used.update(range(number.start, number.end))
            who = _group_after(tokens[:cursor], position + 1, tokens[:position]) or VICTIMS
            return CasualtyMention(index, kind, number.value, who)
        if not mark.isalnum() or _is_number(mark) or _trigger(tokens, cursor):
            return None
    return None


def _count_before_noun(
    tokens: Sequence[str], position: int, index: int, used: set[int]
) -> CasualtyMention | None:
    token = tokens[position]
    if token in _THEIR_NUMBER:
        return _their_number(tokens, position, index, used)
    if _bare_in_rose(token):
        return _rose_to(tokens, position, index, used)
    if token in KILLED_AFTER or token in INJURED_AFTER or token in _NAMED_TOLL:
        field = _table_field(tokens, position, index, used)
        if field is not None:
            return field
    named = _NAMED_TOLL.get(token)
    at = position + 1
    # «ليصبح إجمالي الجرحى عشرة»، «القتلى بات عددهم»: the total, over the parts told before
    total = bool(position) and tokens[position - 1] in _TOLL_TOTAL
    while (
        named is not None
        and at < len(tokens)
        and (tokens[at] in _TOLL_TOTAL or tokens[at] in _BECAME)
    ):
        at, total = at + 1, True
    if (
        named is not None
        and at not in used
        and not (position and tokens[position - 1] in _AMONG)
        and (number := parse_number(tokens, at)) is not None
        and number.value is not None
        and _is_count(tokens, number.start, number.end)
    ):
        used.update(range(number.start, number.end))
        return CasualtyMention(index, named, number.value, VICTIMS, total=total)
    if (
        named is not None
        and at == position + 1
        and at < len(tokens)
        and at not in used
        and not (position and tokens[position - 1] in _AMONG)
        and (value := _DEFINITE_NUMBERS.get(tokens[at])) is not None
    ):
        # «الضحايا الخمسة الذين سقطوا»، «الجرحى السبعة»: the figure as the noun's adjective
        used.add(at)
        return CasualtyMention(index, named, value, VICTIMS)
    if _bare_in_toll(token) and position + 1 < len(tokens):
        noun = tokens[position + 1]
        if noun in _DUAL_NOUNS:
            return None  # «والحصيلة شهيدان وخمسة جرحى»: the dual is the count, read on its own
        kind = "killed" if noun in KILLED_AFTER else "injured" if noun in INJURED_AFTER else None
        if kind is None:
            # «ارتفعت حصيلة التفجير إلى ستة قتلى»: the toll of an event, «إلى» a figure and its noun
            # (after «ارتفعت», past a long clause of the event: «… الذي شنه مسلحون … على بوابة
            # … لمدينة سبها إلى خمسة قتلى»)
            reach = 40 if position and _bare_in_rose(tokens[position - 1]) else 14
            for cursor in range(position + 1, min(len(tokens) - 2, position + reach)):
                if tokens[cursor] in ".;!?":
                    break
                if tokens[cursor] != "الي" or cursor + 1 in used:
                    continue
                number = parse_number(tokens, cursor + 1)
                if number is None or number.value is None:
                    break
                after = tokens[number.end] if number.end < len(tokens) else ""
                named = (
                    "killed"
                    if after in KILLED_AFTER
                    else "injured"
                    if after in INJURED_AFTER
                    else None
                )
                if named is None and position and _bare_in_rose(tokens[position - 1]):
                    # «ارتفعت الحصيلة إلى خمسة بعد وفاة اثنين»: a toll that rose, no noun
                    named = _rose_kind(tokens, number.end)
                if named is None:
                    break
                used.update(range(number.start, number.end))
                return CasualtyMention(index, named, number.value, VICTIMS, total=True)
        if kind is None and _bare_in_group_stems(noun):
            # «ارتفع عدد الجنود الذين قتلوا … إلى أربعة»: people, then the verb that counts them
            verbs = tokens[position + 2 : position + 5]
            kind = (
                "killed"
                if any(v in KILLED_VERBS for v in verbs)
                else "injured"
                if any(v in INJURED_VERBS for v in verbs)
                else None
            )
        if kind:
            # a toll that rose or was revised «إلى» a figure, however far: the total
            for cursor in range(position + 2, len(tokens) - 1):
                if tokens[cursor] in ".;!?":
                    break
                if tokens[cursor] == "الي" and cursor + 1 not in used:
                    figure = _figure_after_to(tokens, cursor + 1)
                    if figure is not None:
                        used.update(range(figure.start, figure.end))
                        return CasualtyMention(index, kind, figure.value, VICTIMS, total=True)
            for cursor in range(position + 2, min(len(tokens), position + 8)):
                number = parse_number(tokens, cursor)
                if number is not None and number.value is not None and cursor not in used:
                    used.update(range(number.start, number.end))
                    # «عدد الجرحى بات أحد عشر»، «ليصبح عدد القتلى خمسة»: what it came to
                    became = any(
                        t in _BECAME or t in _TOLL_TOTAL
                        for t in (
                            *tokens[max(0, position - 1) : position],
                            *tokens[position + 2 : cursor],
                        )
                    )
                    return CasualtyMention(index, kind, number.value, VICTIMS, total=became)
        return None
    if position in used:
        return None
    if token in _TWO_CASES and position + 1 < len(tokens):
        case_of = tokens[position + 1]
        kind = (
            "killed" if case_of in _DEATH_CASE else "injured" if case_of in INJURED_AFTER else None
        )
        if kind is None:
            return None
        used.add(position)
        return CasualtyMention(index, kind, 2, VICTIMS, subset=_subset(tokens, position))
    dual = _bare_in_duals(token)
    if dual is not None:
        # «أن جنديين قتلا وأصيب ثالث»: two, then the verb that says what befell them
        # (not «بينهم طفلان وأصيب ثمانية»: a verb after و starts a clause of its own)
        verbs = [t for t in tokens[position + 1 : position + 4] if t.isalnum() and t[0] != "و"][:2]
        kind = (
            "killed" if any(_bare_in_killed_verbs(v) for v in verbs)
            else "injured" if any(_bare_in_injured_verbs(v) for v in verbs)
            else None
        )  # fmt: skip
        if kind is None and _treated(tokens, position + 1):
            kind = "injured"  # «جنديين آخرين ما زالا يتلقيان العلاج»
        if kind is None:
            return None
        used.add(position)
        return CasualtyMention(
            index, kind, 2, GROUP_OF.get(dual, VICTIMS), subset=_subset(tokens, position)
        )
    number = parse_number(tokens, position)
    if number is None or not _is_count(tokens, number.start, number.end):
        return None
    following = [
        i for i in range(number.end, min(len(tokens), number.end + 6)) if tokens[i].isalnum()
    ]
    if not following:
        return None
    if not _FIELD_ENDS.isdisjoint(tokens[number.end : following[0]]):
        return None  # «القتلى: 4 / الجرحى: 9»: a mark ends the figure's field
    noun = tokens[following[0]]
    if (
        position
        and position - 1 not in used
        and tokens[position] in _AFTER_ITS_NOUN
        and (GROUP_OF.get(tokens[position - 1]) or _bare_in_group_stems(tokens[position - 1]))
    ):
        # «موظفين اثنين كانا في المحطة أصيبا»: the number after its noun, then the verb
        for i in range(number.end, min(len(tokens), number.end + 6)):
            if tokens[i] in _STOP:
                break
            kind = (
                "killed" if tokens[i] in KILLED_VERBS
                else "injured" if tokens[i] in INJURED_VERBS
                else None
            )  # fmt: skip
            if kind is not None:
                used.update(range(number.start, number.end))
                who = GROUP_OF.get(tokens[position - 1]) or VICTIMS
                return CasualtyMention(index, kind, number.value or 2, who)
    if (
        noun.startswith("و")
        and _bare_in_killed_after(noun) != noun
        and _bare_in_injured_after(noun) != noun
    ):
        return None  # «ثلاثة وإصابة»: the conjunction starts a new phrase
    kind = None
    group_start = following[0] + 1
    if noun in _CASES and len(following) > 1:
        # «ثلاث حالات إصابة»، «حالتي وفاة»: cases of a kind
        case_of = tokens[following[1]]
        kind = (
            "killed" if case_of in _DEATH_CASE else "injured" if case_of in INJURED_AFTER else None
        )
        if kind is not None:
            used.update(range(number.start, number.end))
            return CasualtyMention(
                index, kind, number.value, VICTIMS, subset=_subset(tokens, position),
                approximate=_approximate(tokens, position - 3, position),
            )  # fmt: skip
    if _mixed_noun(tokens, following[0]):
        used.update(range(number.start, number.end))
        return CasualtyMention(index, "killed", None, VICTIMS, vague=_MIXED)
    if _bare_in_killed_after(noun):
        kind = "killed"
    elif _bare_in_injured_after(noun):
        kind = "injured"
    else:
        # 18 شخصا (على الأقل) أصيبوا; «اثنين من منتسبيها قتلا»
        verbs_from = 1
        if noun == "من" and len(following) > 1:
            noun = tokens[following[1]]
            verbs_from = 2
        group = GROUP_OF.get(noun) or (
            GROUP_OF.get(b) if (b := _bare_in_group_stems(noun)) else None
        )
        if group is None and noun in _FROM_THEM and len(following) > 1:
            # «ثلاثة منهم فارقوا الحياة»: of the people counted before, then what befell them
            group = _antecedent(tokens[:position]) or VICTIMS
        if group == VICTIMS and verbs_from == 2 and noun.startswith(("عنصر", "عناصر")):
            # «وإن أربعة من عناصر التنظيم قتلوا»: members of whom the next word says
            at = following[1]
            group = _side(tokens, at + 1) or _side(tokens, at + 2) or VICTIMS
        if (
            group is None
            and noun in _OTHERS
            and following[0] + 1 < len(tokens)
            and (
                tokens[following[0] + 1] in KILLED_VERBS
                or tokens[following[0] + 1] in INJURED_VERBS
            )
        ):
            group = VICTIMS  # «وإن ثلاثة آخرين أصيبوا»: the verb right after them
        if group is None and noun in _POSSESSED:
            group = (
                VICTIMS if noun in _OURS
                else _last_side(tokens[:position], feminine=noun.endswith("ها")) or VICTIMS
            )  # fmt: skip
        if group is None and verbs_from == 2:
            group = VICTIMS  # «ثمانية من أبناء المدينة قضوا»: people of anywhere, then the verb
        if group:
            for i in following[verbs_from : verbs_from + 3]:
                if any(t in _STOP or t in _WHILE for t in tokens[following[verbs_from - 1] : i]):
                    break  # «أربعة من أفراد الدورية، فيما أصيب اثنان»: a clause of its own
                if tokens[i] in KILLED_VERBS:
                    kind = "killed"
                elif tokens[i] in INJURED_VERBS:
                    kind = "injured"
                if kind:
                    used.update(range(number.start, number.end))
                    return CasualtyMention(
                        index, kind, number.value, group, subset=_subset(tokens, position),
                        approximate=_approximate(tokens, position - 3, position) or _approximate(tokens, number.end, i),
                        vague=number.vague,
                    )  # fmt: skip
            if verbs_from < len(following) and _treated(tokens, following[verbs_from]):
                # «ثلاثة جنود يتلقون العلاج»: under treatment, the hurt
                used.update(range(number.start, number.end))
                return CasualtyMention(
                    index, "injured", number.value, group, subset=_subset(tokens, position),
                    vague=number.vague,
                )  # fmt: skip
        return None
    used.update(range(number.start, number.end))
    # عشرات القتلى والجرحى: the vague count covers both
    return CasualtyMention(
        index, kind, number.value, _group_after(tokens, group_start, tokens[:position]) or VICTIMS,
        approximate=_approximate(tokens, position - 3, position), subset=_subset(tokens, position),
        vague=number.vague, either=kind == "killed" and _bare_in_either(noun) is not None,
    )  # fmt: skip


@dataclass(frozen=True)
class CasualtySummary:
    killed: int | None
    injured: int | None
    by_group: list[tuple[str, int | None, int | None]]  # (who, killed, injured)
    notes: list[str]


def summarise(
    mentions: Iterable[CasualtyMention],
    zero_sentences: Mapping[int, frozenset[str]],
    order: Sequence[int],
    title_sentences: int = 0,
) -> CasualtySummary:
    """Killed and injured of the incident itself, and every side's counts.

    `order` lists the sentences that speak of this incident, the best first; counts in other
    sentences (an earlier attack) are left out; the first `title_sentences` are the title's. The victims' count is the first sentence that
    gives one; the attackers' is kept apart (militants).
    """
    rank = {s: i for i, s in enumerate(order)}
    mentions = [m for m in mentions if m.sentence in rank]
    # «مقتل ستة» in a headline, «ستة، هم ثلاثة انتحاريين وثلاثة حراس» in the body: the same
    # figure elsewhere counts the attackers too, no victims' count
    with_attackers = {(m.kind, m.count) for m in mentions if m.attackers}
    usable = sorted(
        (
            m for m in mentions
            if not m.subset and not (m.who == VICTIMS and (m.kind, m.count) in with_attackers)
        ),
        key=lambda m: rank[m.sentence],
    )  # fmt: skip
    notes: list[str] = []

    def first_sentence(kind: str, side: str) -> list[CasualtyMention]:
        # The first sentence with an exact count; a vague one («عشرات القتلى» in a title) only
        # when no sentence gives a figure («قتل 47 متدربا» in the lead).
        ours = [
            m for m in usable
            if m.kind == kind and (m.who == MILITANTS) == (side == MILITANTS)
        ]  # fmt: skip
        if not ours:
            return []  # (most often, for one kind or side: the lists below would be empty)
        # the hurt who died since add to a count of the dead (below); alone, they are it
        ours = [m for m in ours if not m.of_wounded] or ours
        # An official, medical or local count wins over the attackers' claim.
        ours = [m for m in ours if not m.claimed] or ours
        exact = [m for m in ours if m.count is not None and m.vague is None]
        # «ارتفعت حصيلة القتلى إلى سبعة»: the latest toll the text gives is the count; «خمسة
        # ضحايا» in a title gives way to a count of the dead by a word that says only that
        # (of two tolls that rose, the later in the text: «قفزت الحصيلة إلى ستة … وفي آخر
        # تحديث بلغ عدد القتلى سبعة»)
        totals = [m for m in exact if m.total]
        if len(totals) > 1:
            totals = [max(totals, key=lambda m: m.sentence)]
        pick = totals or [m for m in exact if not m.either] or exact or ours
        if pick and not totals and pick[0].approximate and pick[0].count is not None:
            # «قتل ثلاثة على الأقل» first, «خمسة شهداء» in a later sentence: the bound gives
            # way to an exact figure within it
            firm = [
                m for m in exact
                if not m.approximate and m.sentence != pick[0].sentence
                and (m.count or 0) >= pick[0].count
            ]  # fmt: skip
            if firm:
                pick = firm
        return [m for m in ours if m.sentence == pick[0].sentence] if pick else []

    def total(group: list[CasualtyMention], what: str) -> int | None:
        if not group:
            return None
        exact = [m for m in group if m.count is not None and m.vague is None]
        if exact:
            approx = " (approximate)" if any(m.approximate for m in exact) else ""
            value = sum(m.count or 0 for m in exact)
            notes.append(f"{what}: {value}{approx}")
            return value
        if group:
            notes.append(f"{what}: «{group[0].vague}», no exact count")
        return None

    def none_said(kind: str, chosen: list[CasualtyMention]) -> bool:
        # «لم يسفر الهجوم عن إصابات» wins over the attackers' claim, a vague figure, and a
        # count the text gives only after it (ومن جهة أخرى، قتل شخصان في حادث سير)
        if not zero_sentences:
            return False
        said = [rank[s] for s, kinds in zero_sentences.items() if s in rank and kind in kinds]
        if not said:
            return False
        return (
            not chosen
            or all(m.claimed or m.vague is not None for m in chosen)
            or min(said) < rank[chosen[0].sentence]
        )

    victims_killed = first_sentence("killed", VICTIMS)
    victims_injured = first_sentence("injured", VICTIMS)
    # «قتل جنديان … وقال التنظيم إنه قتل 7 وأصاب 10»: where a source of record counts one kind,
    # the actor's figure of the other is its boast, no count
    for mine, theirs in ((victims_killed, victims_injured), (victims_injured, victims_killed)):
        if mine and not any(m.claimed for m in mine) and theirs and all(m.claimed for m in theirs):
            theirs.clear()
    zero_killed = none_said("killed", victims_killed)
    zero_injured = none_said("injured", victims_injured)
    if zero_killed:
        victims_killed = []
    if zero_injured:
        victims_injured = []
    if any(m.total for m in victims_killed) and victims_injured:
        # «ارتفعت الحصيلة إلى ستة قتلى … وكانت الغرفة قد أعلنت مقتل أربعة وإصابة سبعة»: the hurt
        # told beside the dead's earlier figure is as old as it; another sentence's holds
        def told_earlier(sentence: int) -> bool:
            return any(
                m.sentence == sentence and m.kind == "killed" and m.who != MILITANTS
                and not m.total and not m.claimed and m.count is not None
                for m in usable
            )  # fmt: skip

        if told_earlier(victims_injured[0].sentence):
            later = [
                m for m in usable
                if m.kind == "injured" and m.who != MILITANTS and not m.claimed
                and m.count is not None and m.vague is None and not told_earlier(m.sentence)
            ]  # fmt: skip
            if later:
                victims_injured = [m for m in later if m.sentence == later[0].sentence]
    if victims_killed and not any(m.total for m in victims_injured):
        # the hurt of the sentence that counts the dead, unless a later toll of the hurt rose
        same = [m for m in victims_injured if m.sentence == victims_killed[0].sentence]
        if not same:
            same = [
                m
                for m in usable
                if m.kind == "injured"
                and m.who != MILITANTS
                and m.sentence == victims_killed[0].sentence
            ]
        victims_injured = same or victims_injured
    for chosen in (victims_killed, victims_injured):
        if not chosen or any(m.total or m.claimed for m in chosen):
            continue
        # «قتل ثلاثة جنود … . كما قتل مدنيان»: a later sentence that adds to the same toll
        more = [
            m for m in usable
            if m.also and m.kind == chosen[0].kind and m.who != MILITANTS and not m.claimed
            and m.sentence > chosen[0].sentence and m.count is not None and m.vague is None
        ]  # fmt: skip
        if more and chosen[0].sentence < title_sentences:
            # a title's toll sums the body's: «مقتل 5» over «قتل ثلاثة … كما قتل مدنيان»
            told = sum(m.count or 0 for m in chosen)
            first_more = min(m.sentence for m in more)
            body = [
                m for m in usable
                if m.kind == chosen[0].kind and m.who != MILITANTS and not m.also
                and not m.claimed and m.count is not None and m.vague is None
                and title_sentences <= m.sentence < first_more
            ]  # fmt: skip
            base = max((m.sentence for m in body), default=None)
            told_in_body = sum(m.count or 0 for m in body if m.sentence == base)
            if told == told_in_body + sum(m.count or 0 for m in more):
                continue
        chosen += more
    killed = total(victims_killed, "killed")
    injured = total(victims_injured, "injured")
    before_deaths = (killed, injured)
    if killed is not None and not zero_killed:
        killed, injured = _died_since(
            usable, victims_killed, victims_injured, killed, injured, notes
        )
    if zero_killed:
        killed = 0
        notes.append("killed: 0 (no casualties reported)")
    if zero_injured:
        injured = 0
        notes.append("injured: 0 (no casualties reported)")

    groups: dict[str, list[int | None]] = {}
    for mention in victims_killed:
        if mention.count is not None and mention.vague is None:
            entry = groups.setdefault(mention.who, [None, None])
            entry[0] = (entry[0] or 0) + mention.count
    for mention in victims_injured:
        if mention.count is not None and mention.vague is None:
            entry = groups.setdefault(mention.who, [None, None])
            entry[1] = (entry[1] or 0) + mention.count
    # «victims» beside exactly one described group are that group (مقتل جندي … وإصابة اثنين)
    described = [g for g in groups if g != VICTIMS]
    if VICTIMS in groups and len(described) == 1:
        generic = groups.pop(VICTIMS)
        target = groups[described[0]]
        for i in (0, 1):
            if target[i] is None:
                target[i] = generic[i]
    if (killed, injured) != before_deaths and len(groups) == 1:
        groups[next(iter(groups))] = [killed, injured]  # one side: the deaths since are its
    militants_killed = total(first_sentence("killed", MILITANTS), "militants killed")
    militants_injured = total(first_sentence("injured", MILITANTS), "militants injured")
    by_group = [(who, k, i) for who, (k, i) in groups.items()]
    if militants_killed is not None or militants_injured is not None:
        by_group.append((MILITANTS, militants_killed, militants_injured))
    if not by_group and (killed == 0 or injured == 0):
        by_group.append((VICTIMS, killed, injured))
    return CasualtySummary(killed, injured, by_group, notes)


def _died_since(
    usable: Sequence[CasualtyMention],
    victims_killed: Sequence[CasualtyMention],
    victims_injured: Sequence[CasualtyMention],
    killed: int,
    injured: int | None,
    notes: list[str],
) -> tuple[int, int | None]:
    """«قتل ثلاثة جنود وأصيب خمسة … وفي المساء فارق أحد المصابين الحياة»: 4 dead, 4 hurt. A
    death among the hurt, told after the count it changes, moves one from the hurt to the dead;
    not when the dead's count was a claim or already holds it (a title's «مقتل 4»); a total
    that says so holds him already."""
    if any(m.claimed for m in victims_killed):
        return killed, injured
    totals = {m.sentence for m in victims_killed if m.total}
    alone = all(m.of_wounded for m in victims_killed)
    for died in usable:
        if not died.of_wounded or died.claimed or died.who == MILITANTS or not died.count:
            continue
        if totals:
            # «ارتفعت حصيلة القتلى إلى أربعة بعد وفاة أحد المصابين»: the total holds him; he
            # is no longer hurt
            if died.sentence not in totals:
                continue
        elif not alone:
            # the count its death adds to: the dead counted last up to it (its own sentence too:
            # «أعلنت في حصيلة أولية مقتل شرطي …، قبل أن يتوفى اثنان من المصابين»), else the
            # first after it («فارق أحد جرحى التفجير الحياة. وكان التفجير قد أودى بحياة
            # عنصرين»: the death is the news, the count its background)
            counts = [
                m for m in usable
                if m.kind == "killed" and m.who != MILITANTS and not m.of_wounded
                and not m.subset and not m.claimed and m.count is not None
            ]  # fmt: skip
            before = [m.sentence for m in counts if m.sentence <= died.sentence]
            after = [m.sentence for m in counts if m.sentence > died.sentence]
            if not before and not after:
                continue
            base = max(before) if before else min(after)
            if sum(m.count or 0 for m in counts if m.sentence == base) != killed:
                continue
            killed += died.count
        if injured is not None and victims_injured and injured >= died.count:
            hurt_at = victims_injured[0].sentence
            if hurt_at < died.sentence or (hurt_at == died.sentence and not totals):
                injured -= died.count
        notes.append(f"{died.count} of the hurt died since")
        if alone:
            break
    return killed, injured


def _is_number(token: str) -> bool:
    """A count on its own: digits, or a number word (خمسة، عشرين)."""
    word = token[1:] if len(token) > 2 and token[0] == "و" else token
    return word.isdigit() or word in _NUMBER_WORDS


_NUMBER_WORDS = frozenset((*UNITS, *TENS, *HUNDREDS))


# The stem of a table a token is (see above): the bound look-up of the table's expansion, one
# C call for most tokens of a sentence read for counts instead of a method's frame.
_bare_in_duals = PEEL_PARTICLES.lookup(DUALS)
_bare_in_age_years = PEEL_PARTICLES.lookup(_AGE_YEARS)
_bare_in_either = PEEL_PARTICLES.lookup(_with_article(_words("either")))
_bare_in_injured_after = PEEL_PARTICLES.lookup(INJURED_AFTER)
_bare_in_injured_verbs = PEEL_PARTICLES.lookup(INJURED_VERBS)
_bare_in_killed_after = PEEL_PARTICLES.lookup(KILLED_AFTER)
_bare_in_killed_verbs = PEEL_PARTICLES.lookup(KILLED_VERBS)
_bare_in_loss = PEEL_PARTICLES.lookup(LOSS)
_bare_in_singulars = PEEL_PARTICLES.lookup(SINGULARS)
_bare_in_toll = PEEL_PARTICLES.lookup(TOLL)
_bare_in_claim_words = PEEL_PARTICLES.lookup(_CLAIM_WORDS)
_bare_in_fighters = PEEL_PARTICLES.lookup(_FIGHTERS)
_bare_in_group_stems = PEEL_PARTICLES.lookup(_GROUP_STEMS)
_bare_in_masculine_actor = PEEL_PARTICLES.lookup(_MASCULINE_ACTOR)
_bare_in_militant_orgs = PEEL_PARTICLES.lookup(_MILITANT_ORGS)
_bare_in_not_count_after = PEEL_PARTICLES.lookup(_NOT_COUNT_AFTER)
_bare_in_not_count_before = PEEL_PARTICLES.lookup(_NOT_COUNT_BEFORE)
_bare_in_one = PEEL_PARTICLES.lookup(_ONE)
_bare_in_died = PEEL_PARTICLES.lookup(_DIED)
_bare_in_passive = PEEL_PARTICLES.lookup(_PASSIVE)
_bare_in_passive_hurt = PEEL_PARTICLES.lookup(_PASSIVE_HURT)
_bare_in_people_of = PEEL_PARTICLES.lookup(_PEOPLE_OF)
_bare_in_rose = PEEL_PARTICLES.lookup(_ROSE)
_bare_in_mourn = PEEL_PARTICLES.lookup(_MOURN)
_bare_in_met = PEEL_PARTICLES.lookup(_MET)
_bare_in_came_through = PEEL_PARTICLES.lookup(_CAME_THROUGH)
_bare_in_security_orgs = PEEL_PARTICLES.lookup(_SECURITY_ORGS)
_bare_in_unofficial = PEEL_PARTICLES.lookup(_UNOFFICIAL)
_bare_in_plural_events = PEEL_PARTICLES.lookup(_PLURAL_EVENTS)
