"""What a report says beyond its facts: a claim, a correction, a revised toll, what was hit."""

from __future__ import annotations

import re

from crawler.detect import Detection
from crawler.detect.text.sentences import Sentences

# All patterns read normalised text (أإآ→ا, ى→ي, ة→ه), so they are written in that folding.
_CLAIM = re.compile(
    r"مس[ؤئو]وليت(?:ه|ها|هم)\b|\bال?مس[ؤئو]وليه عن\b"
    r"|\b[ول]?(?:تبني(?:ه|ها)?|يتبني|تبنت|تبناه|تبنته)\b"
)
# A claim denied or absent is not a claim: "لم تعلن أي جهة مسؤوليتها", "نفى التنظيم تبنيه".
_NEGATORS = {"لم", "ولم", "لا", "ولا", "لن", "دون", "بدون", "عدم", "نفي", "نفت", "ينفي", "تنفي"}
_NEGATION_REACH = 5  # words before the claim word that can negate it

_CORRECTION = re.compile(
    r"\b(?:تصحيح|تصويب|استدراك|للتصحيح)\b|\bخلافا لما (?:ورد|نشر|ذكر|اعلن|تداول)"
    r"|\b[و]?(?:نفت|نفي|ينفي|تنفي)\b"
)
# A toll announced as a revision may be lower than the one held; a rising toll ("ارتفعت الحصيلة")
# needs no marker (higher figures are taken anyway), and a preliminary one ("أولية") revises nothing.
_REVISED_TOLL = re.compile(
    r"\bحصيله (?:جديده|محدثه|نهائيه|رسميه)\b|\b(?:تراجعت|تراجع|انخفضت|انخفاض) (?:حصيله|عدد)\b"
)


# A report that says the toll rose refers back to an event already reported, days later at times.
_RISEN_TOLL = re.compile(
    r"\b[و]?(?:ارتفعت|ارتفع|ترتفع|يرتفع|ارتفاع) (?:حصيله|حصيلته|حصيلتها|عدد|اعداد)\b"
    # «حصيلة الهجوم الذي شنه التنظيم على البلدة يوم الثلاثاء ارتفعت إلى سبعة»
    r"|\b(?:حصيله|عدد) (?:\S+ ){0,12}?(?:ارتفعت|ارتفع|ترتفع|يرتفع) (?:الي|ل)"
)


# A report that tells what came after an event refers back to it, days later at times: a victim
# who died of his wounds, the funeral, the perpetrators arrested or killed.
_REFERS_BACK = re.compile(
    r"\bمتاثر(?:ا|ين|ه|تين|ان)? (?:ب|من )?(?:جراح|جروح|اصاب)"
    r"|\b[و]?(?:شيع|شيعت|يشيع|تشيع|شيعوا|يشيعون|تشييع|جنازه|جنازات|جثامين)\b"
    r"|\b(?:منفذ|منفذي|منفذو|المتورطين|المتورطون|المسؤولين|المسؤولون|نفذوا|نفذ) "
    r"(?:في |عن )?(?:ال)?(?:هجوم|تفجير|اغتيال|خطف|اختطاف|عمليه|اعتداء|كمين)\b"
)


# A report that calls its attack another one (the second on the town, a new attack) tells a
# new event, not one already reported there.
_ANOTHER = re.compile(
    r"\b(?:ثاني|ثالث|رابع) (?:هجوم|تفجير|اعتداء|عمليه)"
    r"|\b(?:الهجوم|التفجير|الاعتداء|هجوم|تفجير|اعتداء)(?: ال)? ?(?:الثاني|الثالث|الجديد|جديد|اخر|ثان)\b"
)


# The actor's own word on what its fighters did («قال التنظيم في بيان إن مقاتليه قتلوا …», «زاعما
# أنها أسفرت عن …»): a figure told so is its boast, not a count, like a claim's.
_ACTOR_SAYS = re.compile(
    r"\b[وف]?(?:زعم|زاعما|يزعم|زعمه|مزاعم)\b"
    r"|\b[و]?(?:قال|اعلن|ذكر|اكد)(?:ت)? (?:تنظيم |فرع )?(?:داعش|الدوله الاسلاميه|التنظيم)\b"
    # «وقال إن مقاتليه قتلوا حارسين»: reported speech of the actor about its own fighters
    r"|\bان (?:مقاتليه|مقاتلي التنظيم|عناصره|جنوده|جنود الخلافه)\b"
)


def actor_says(text: str) -> bool:
    """Does the report give the actor's own word on what its fighters did?"""
    return _ACTOR_SAYS.search(text) is not None


# The side of a town a report places the attack on: «جنوب مدينة الكفرة», «المدخل الشرقي»,
# «الطريق الشمالي لمدينة». A region («جنوب ليبيا», «شرق البلاد») is no side of a town.
_SIDE = re.compile(
    r"\b(?:من |الي )?(شمال|جنوب|شرق|غرب)(?:ي)? (?!ليبيا|البلاد|الاوسط|افريقيا)"
    r"|\bال(شمال|جنوب|شرق|غرب)(?:ي|يه)\b"
)
_OPPOSITE = {"شمال": "جنوب", "جنوب": "شمال", "شرق": "غرب", "غرب": "شرق"}


def sides_of(detection: Detection) -> tuple[str, ...]:
    """The sides of its town (شمال، جنوب، شرق، غرب) the incident's sentences name, sorted."""
    if not detection.evidence:
        return ()
    sentences = Sentences(detection.text)
    chosen = sorted({sentences.index(h.start) for h in detection.evidence})
    text = " ".join(sentences.sentence(i) for i in chosen)
    return tuple(sorted({m.group(1) or m.group(2) for m in _SIDE.finditer(text)}))


def other_sides(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """Two reports that name opposite sides of a town (north and south), and no side in common."""
    return (
        bool(first and second)
        and not set(first) & set(second)
        and any(_OPPOSITE[side] in second for side in first)
    )


def tells_another(text: str) -> bool:
    """Does the report call its attack a further one ("ثاني هجوم خلال أسبوع", "هجوم جديد")?"""
    return _ANOTHER.search(text) is not None


def refers_back(text: str) -> bool:
    """Does the report tell what followed an event (died of wounds, funeral, perpetrators held)?"""
    return _REFERS_BACK.search(text) is not None


def claims_responsibility(text: str, incident_type: str | None = None) -> bool:
    """Does the report carry a claim of responsibility (not a denial, not 'no one claimed')?"""
    if incident_type and "claim" in incident_type:
        return True
    for match in _CLAIM.finditer(text):
        before = text[: match.start()].split()[-_NEGATION_REACH:]
        if not _NEGATORS & set(before):
            return True
    return False


def corrects(text: str) -> bool:
    """An explicit correction or denial: its figures replace earlier ones even when lower."""
    return _CORRECTION.search(text) is not None


def revises_toll(text: str) -> bool:
    """A toll announced as a revision ("حصيلة جديدة", "تراجعت حصيلة"): it may lower the figures."""
    return _REVISED_TOLL.search(text) is not None


def follows_up(text: str) -> bool:
    """Does the report update an earlier one's toll ("ارتفعت حصيلة …", "حصيلة جديدة")?"""
    return revises_toll(text) or _RISEN_TOLL.search(text) is not None


_CLITIC = r"(?:^|(?<=\s))(?:و|ف|ب|ل|ك)?(?:ال|لل)?"
# What was hit, in normalised spelling (ة→ه, ى→ي, one alef), the first one found in the sentences
# that carry the incident; the keys are labels.yaml's `targets`.
TARGETS = [
    # an indefinite object carries its alef («هاجموا حاجزا», «استهدف مسجدا»)
    (key, re.compile(_CLITIC + pattern + r"ا?(?=\s|$|[.,،؛:!?])"))
    for key, pattern in [
        ("checkpoint", r"(?:نقطه (?:ال)?تفتيش|حاجز|حواجز|ارتكاز)"),
        ("gate", r"(?:بوابه|بوابات)"),
        # «حقل نفطي»، «حقل الشرارة النفطي»: a field named between
        ("oil_field", r"حقل (?:\S+ )?(?:ال)?نفط(?:ي)?|حقول (?:ال)?نفط"),
        # «ميناء رأس لانوف النفطي»: a port named between
        ("oil", r"(?:ميناء|مصفاه|منشاه|منشات) (?:\S+ ){0,2}?(?:ال)?نفط(?:يه|ي)?"),
        ("hotel", r"فندق"),
        (
            "border_post",
            r"(?:مركز|منفذ|نقطه|موقع)ا?(?: (?:ل|ال)?حرس (?:ال)?حدود| (?:ال)?حدودي(?:ه)?)",
        ),
        # «مقر أمني»، «مقر الأمن»، «مقرا للشرطة»، «مقرا لـ"الشرطة المرتدة"» (a claim's quotes)
        (
            "police_station",
            r"مركز (?:لل|ال)?شرطه|مديريه (?:ال)?امن|مقرا? (?:لل|ل\"?ال|ال)?(?:شرطه|امن|امني)",
        ),
        ("military_base", r"(?:قاعده|معسكر|ثكنه)(?: عسكريه)?"),
        ("patrol", r"دوريه"),
        ("convoy", r"رتل"),
        ("prison", r"سجن"),
        ("court", r"محكمه|(?:مجمع )?(?:ال)?محاكم"),
        ("embassy", r"سفاره"),
        ("mosque", r"مسجد"),
        ("church", r"كنيسه"),
        ("market", r"سوق"),
        ("hospital", r"مستشفي"),
        ("power_station", r"محطه (?:ال)?كهرباء"),
        ("house", r"(?:منزل|منازل)(?:ه|ها|هم)?"),  # «أمام منزله»: where a man was shot
    ]
]


# A hospital the wounded were taken to, or died in, is not what was hit.
_CARE_BEFORE = frozenset({"الي", "في", "داخل"})
# … or the one that speaks of them («قال مستشفى الكفرة»، «بحسب مستشفى»)
_SPEAKER_BEFORE = frozenset(
    ["قال", "قالت", "وقال", "وقالت", "اعلن", "اعلنت", "واعلن", "واعلنت", "افاد", "افادت", "ذكر",
     "ذكرت", "اكد", "اكدت", "بحسب", "وبحسب", "حسب", "وفق", "وفقا", "مصدر", "مصادر", "مدير",
     "الناطق", "ناطق", "باسم"]
)  # fmt: skip


def _cared_for(text: str, match: re.Match[str]) -> bool:
    before = text[: match.start()].split()[-1:]
    if before and before[0] in _CARE_BEFORE | _SPEAKER_BEFORE:
        return True
    return match.group().startswith(("ل", "ب"))


def target_of(detection: Detection) -> str | None:
    """What was hit, when the sentences that carry the incident name it."""
    if not detection.evidence:
        return None
    sentences = Sentences(detection.text)
    chosen = sorted({sentences.index(h.start) for h in detection.evidence})
    text = " ".join(sentences.sentence(i) for i in chosen)
    for key, pattern in TARGETS:
        if key == "hospital":
            # «نقل الجرحى إلى مستشفى»، «توفي في المستشفى»: where the victims went, not the target
            if all(_cared_for(text, m) for m in pattern.finditer(text)):
                continue
        elif not pattern.search(text):
            continue
        return key
    return None


# People a report names as its victims, which reports of one event share however reworded: the
# commander killed, the judge shot, the doctor kidnapped. A name is found by a common given name,
# or by a rank or title before it, and kept as two words (given and family; «عبد» joined to its
# next); it counts only near a word of killing or taking (a spokesman is quoted on many events).
_GIVEN_NAME_WORDS = (
    "محمد احمد ابراهيم خالد سالم ناصر فرج مفتاح عثمان حسن حسين مصطفي يوسف صالح سليمان محمود "
    "اسماعيل موسي عيسي ادريس الطاهر المهدي الصادق الهادي عادل طارق وليد رضا صلاح جمال كمال "
    "فتحي حمزه حامد سعيد سعد مختار منصور نوري بشير عياد مبروك عوض"
)
_GIVEN_NAMES = frozenset(_GIVEN_NAME_WORDS.split())
_TITLE_WORDS = (
    "النقيب العقيد الرائد الملازم اللواء العميد المقدم القاضي الطبيب الدكتور الشيخ المدعو"
)
_TITLES = frozenset(_TITLE_WORDS.split())
_NAME_WORD = re.compile(r"\w+")
# Words before a given name that make it a place's name ("بني وليد" is a town).
_NOT_BEFORE_NAME = frozenset({"بني", "بنو"})
_SHORT = 3
# Stems of words that make the name near them a victim's (مقتل، اغتيال، مصرعهما، خطف، إعدام، جثة).
_VICTIM_STEMS = ("قتل", "مقتل", "اغتيال", "اغتال", "مصرع", "خطف", "اختطاف", "مخطوف", "اعدام", "اعدم",
                 "جثه", "جثت", "جثث", "جثمان", "ذبح", "نعي", "نعت",
                 # «لقي حتفه»، «أودت بحياة»، «استشهاد»
                 "حتف", "اودت", "اودي", "استشهد", "استشهاد",
                 # a headline's present tense: «داعش يعدم …»، «يختطف»
                 "يقتل", "تقتل", "يعدم", "تعدم", "يذبح", "تذبح", "يخطف", "تخطف", "يختطف", "تختطف",
                 "يغتال", "تغتال",
                 # the taken: «المختطفين»، «رهائن»، «الأسرى»
                 "مختطف", "رهين", "رهائن", "رهاين", "اسري", "اسير")  # fmt: skip
_VICTIM_REACH = 8  # words between a name and the word that makes it a victim's, either side
_CLITICS = ("و", "ف", "ب", "ل")


# «أسر أربعة»، «أسروا»: whole words only (a stem would take «أسرة», a family, and «إسرائيل»)
_VICTIM_WORDS = frozenset({"اسر", "اسروا", "واسر", "واسروا", "فاسر", "فاسروا"})


def _victim_word(token: str) -> bool:
    if token in _VICTIM_WORDS:
        return True
    bare = token[1:] if token[:1] in _CLITICS and len(token) > 3 else token
    if bare.startswith("ال") and len(bare) > 4:
        bare = bare[2:]  # «المخطوفين», «الجثث»
    return any(w.startswith(_VICTIM_STEMS) for w in (token, bare))


def _name_tokens(text: str) -> list[str]:
    """The words, with «عبد» joined to the word after it (عبد السلام = عبدالسلام)."""
    tokens = _NAME_WORD.findall(text)
    out: list[str] = []
    for token in tokens:
        if out and out[-1] in ("عبد", "وعبد") and token.startswith("ال"):
            out[-1] = out[-1].removeprefix("و") + token
        else:
            out.append(token)
    return out


def names_of(text: str, common: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The victims the normalised text names ("ناصر العكر", "ابراهيم عبدالنبي"), sorted.

    A given name and the word after it, or the two words after a rank or title, within
    `_VICTIM_REACH` words of a word of killing or taking; `common` words (minhash's) are never
    part of a name."""
    tokens = _name_tokens(text)
    victim = [i for i, token in enumerate(tokens) if _victim_word(token)]
    found: set[str] = set()
    i = 0
    while i < len(tokens) - 1:
        start = i
        bare = tokens[i].removeprefix("و")
        if (bare in _GIVEN_NAMES or bare.startswith("عبدال")) and (
            i == 0 or tokens[i - 1] not in _NOT_BEFORE_NAME
        ):
            given, family, i = bare, tokens[i + 1], i + 2
        elif bare in _TITLES and i + 2 < len(tokens):
            given, family, i = tokens[i + 1], tokens[i + 2], i + 3
        else:
            i += 1
            continue
        # the words after a name are not one ("ابراهيم عبدالنبي رييس": the rank comes next)
        if any(len(w) < _SHORT or w in common or w.startswith("و") for w in (given, family)):
            continue
        if any(start - _VICTIM_REACH <= v < i + _VICTIM_REACH for v in victim):
            found.add(f"{given} {family}")
    return tuple(sorted(found))


# What the victims were, which reports of one attack on a person share though one names him and
# another does not («اغتيال قاض», «اغتيال القاضي فلان»): a rank or a calling, near a word of
# killing or taking. Stems, in normalised spelling, without «ال» or the accusative alef («امام»,
# an imam, is also «أمام», in front of: a mosque's preacher is «خطيب»).
_ROLE_WORDS = (
    "نقيب عقيد رائد ملازم لواء عميد مقدم عريف رقيب قاضي طبيب خطيب ناشط صحفي مهندس محامي ممرض "
    "معلم مدرس مراسل"
)
# Foreign victims are told by their nationality («إعدام 28 إثيوبيا»، «خطف مهندسين أتراك»): as
# telling as a calling. Not «مسيحي» or «أجنبي», which many events share.
_NATIONALITY_WORDS = (
    "مصري قبطي اثيوبي اريتري سوداني تشادي نيجيري غاني فلبيني تركي هندي بنغلاديشي صربي كوري تونسي"
)
_ROLES = frozenset(_ROLE_WORDS.split()) | frozenset(_NATIONALITY_WORDS.split())
# Two or more of a calling: the dual and the sound plural («طبيبين، صحفيون») drop their ending,
# the broken plurals are listed.
_ROLE_PLURALS = {
    "اطباء": "طبيب", "قضاه": "قاضي", "مهندسون": "مهندس", "محامون": "محامي", "اقباط": "قبطي",
    "اتراك": "تركي", "هنود": "هندي",
}  # fmt: skip
_NUMBER_ENDINGS = ("يين", "ين", "ان", "ون")
_OWNER_SUFFIXES = ("هما", "هم", "ها", "ه")


def _role(token: str) -> str | None:
    bare = token.removeprefix("و")
    for prefix in ("بال", "لل", "ال"):
        if bare.startswith(prefix) and len(bare) > len(prefix) + 2:
            bare = bare[len(prefix) :]
            break
    if bare.endswith("ا") and bare[:-1] in _ROLES | {"قاض"}:
        bare = bare[:-1]
    if bare == "قاض":
        bare = "قاضي"
    if bare in _ROLE_PLURALS:
        return _ROLE_PLURALS[bare]
    if bare not in _ROLES:
        for ending in _NUMBER_ENDINGS:
            stem = bare.removesuffix(ending)
            if stem != bare and (stem in _ROLES or stem + "ي" in _ROLES):
                return stem if stem in _ROLES else stem + "ي"
        # «مهندسيها، موظفيه»: a plural before «its, his, their» loses its ن
        for suffix in _OWNER_SUFFIXES:
            stem = bare.removesuffix(suffix)
            if stem != bare and len(stem) > 3 and stem.endswith(("ي", "و")):
                found = _role(stem[:-1])
                if found is not None:
                    return found
    return bare if bare in _ROLES else None


def roles_of(text: str) -> tuple[str, ...]:
    """The ranks and callings of the victims the normalised text names (قاضي، عقيد), sorted."""
    tokens = _name_tokens(text)
    victim = [i for i, token in enumerate(tokens) if _victim_word(token)]
    found = {
        role
        for i, token in enumerate(tokens)
        if (role := _role(token)) is not None and any(abs(i - v) <= _VICTIM_REACH for v in victim)
    }
    return tuple(sorted(found))
