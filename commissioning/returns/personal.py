"""Recognise personal data by what a cell says, so that no report ever repeats it.

Providers sometimes type a child's name, NHS number, unique pupil number (UPN),
postcode or date of birth into the ethnicity, gender or age column. The check report
goes to contract managers and on to providers, so it shows an unrecognised label only
when `label_is_shown`: the label reads as a category of its column (`reads_as_ethnicity`
and friends) and none of the detectors in `personal_kinds` fires. Everything else is
named by its row only. All functions are pure and look at one label at a time.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from functools import cache
from typing import Final

from commissioning.classify.ethnicity import STATUS_UNMAPPED, ethnicity_label
from commissioning.classify.ethnicity import _table as _ethnicity_table
from commissioning.classify.sex import sex_label
from commissioning.classify.text import label_key
from commissioning.returns.classifying import DOB_NOT_UNDERSTOOD
from commissioning.returns.header import IDENTIFIER_ROLES, header_role, normalise_header
from commissioning.returns.vocabulary import (
    age_words,
    ethnicity_words,
    forenames,
    gender_words,
    wordlist,
    words_of,
)

#: A real category label is short: longer text is free text, which may name people.
MAX_LABEL_CHARS: Final = 40
MAX_LABEL_WORDS: Final = 5
#: How close (difflib ratio of matching keys) a misspelling must be to a known label.
CLOSE_MATCH: Final = 0.85
#: The longest number a category label holds ("Other 2", "5-10 years", "Over 100").
MAX_CATEGORY_DIGITS: Final = {"ethnicity": 2, "sex": 2, "age_band": 3}
#: Our own stand-ins, shown as they are (the one for an unreadable date of birth).
OWN_LABELS: Final = frozenset({DOB_NOT_UNDERSTOOD})

_SEP = r"[\s\-./]"
_DIGIT_RUN = re.compile(rf"\d(?:{_SEP}*\d)*")
_NHS_WEIGHTS: Final = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_UPN = re.compile(r"(?<![A-Z0-9])[A-Z]\d{11}[0-9A-Z](?![A-Z0-9])")
_POSTCODE = re.compile(r"(?<![A-Z0-9])(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})(?![A-Z0-9])")
_OUTWARD = re.compile(r"([A-Z]{1,2})\d[A-Z\d]?")
#: The 121 postcode areas of the UK (and the Crown dependencies'), for outward codes.
POSTCODE_AREAS: Final = wordlist(
    """AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL
    DN DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT
    KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG
    RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD
    WF WN WR WS WV YO ZE"""
)
_NUMERIC_DATE = re.compile(r"(?<!\d)\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}(?!\d)")
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:\d{4}|\d{2})"
_SPACER = r"[\s\-/.,]*"
_GAP = r"[\s\-/.,]+"  # between two numbers, so "June 2024" is not "June 20, 24"
_NAMED_DATE = re.compile(
    rf"(?<![a-z0-9])(?:{_DAY}{_SPACER}(?:of\s+)?{_MONTHS}\.?{_SPACER}{_YEAR}"
    rf"|{_MONTHS}\.?{_SPACER}{_DAY}{_GAP}{_YEAR})(?![a-z0-9])"
)
_NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*\.?")
_NUMBER = re.compile(r"\d+")

#: What each detector found, in the words the report uses ("looks like {kind}").
KIND_WORDS: Final[dict[str, str]] = {
    "nhs_number": "an NHS number",
    "long_number": "a long number (an NHS or phone number)",
    "upn": "a unique pupil number",
    "postcode": "a postcode",
    "dob": "a date",
    "name": "a name",
    "contact": "an e-mail address",
    "free_text": "free text",
}


def nhs_check_digit_ok(digits: str) -> bool:
    """Whether ten digits end with the modulus-11 check digit of the first nine."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], _NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def is_nhs_number(text: str) -> bool:
    """The whole text is an NHS number, however spaced or punctuated ("943 476 5919",
    "943-476-5919", "943.476.5919", "9434765919")."""
    stripped = text.strip()
    if _DIGIT_RUN.fullmatch(stripped) is None:
        return False
    return nhs_check_digit_ok(re.sub(r"\D", "", stripped))


def _digit_runs(text: str) -> list[str]:
    return [re.sub(r"\D", "", m.group()) for m in _DIGIT_RUN.finditer(text)]


def contains_nhs_number(text: str) -> bool:
    """Some run of digits in the text is a valid NHS number."""
    return any(nhs_check_digit_ok(run) for run in _digit_runs(text))


def has_long_number(text: str) -> bool:
    """Ten or more digits in a row (spacing allowed): an NHS number with a wrong check
    digit, a phone number or a record number all identify someone."""
    return any(len(run) >= 10 for run in _digit_runs(text))


def is_upn(text: str) -> bool:
    """A unique pupil number in the text: a letter, 11 digits, then a digit or letter
    (13 characters; any case). The check letter is not tested, so a mistyped UPN counts."""
    return _UPN.search(text.upper()) is not None


def is_postcode(text: str) -> bool:
    """A UK postcode in the text ("SW1A 1AA", "sw1a1aa"), or the whole text (or a word of
    it) an outward code of a real postcode area ("SW1A", "M1", "B33")."""
    upper = " ".join(text.upper().split())
    if _POSTCODE.search(upper) is not None:
        return True
    for token in re.split(r"[^A-Z0-9]+", upper):
        found = _OUTWARD.fullmatch(token)
        if found is not None and found.group(1) in POSTCODE_AREAS:
            return True
    return False


def looks_like_date(text: str) -> bool:
    """A date in the text: 01/02/2015, 1-2-15, 2015-02-01, 1.2.2015, 1 Feb 2015,
    February 1st 2015, 01-Feb-15 (a date of birth is the usual one in a return)."""
    if _NUMERIC_DATE.search(text) is not None:
        return True
    return _NAMED_DATE.search(" ".join(text.casefold().split())) is not None


def _name_tokens(text: str) -> list[str] | None:
    """The words of text shaped like a name ("Smith, John"; "Mary-Jane O'Neil"), or None."""
    tokens = [t for t in re.split(r"[\s,]+", text.strip()) if t]
    if not 1 <= len(tokens) <= 4 or len(text) > MAX_LABEL_CHARS:
        return None
    if not all(_NAME_TOKEN.fullmatch(t) for t in tokens):
        return None
    return tokens


@cache
def _all_category_words() -> frozenset[str]:
    return ethnicity_words() | gender_words() | age_words()


def _is_category_token(token: str) -> bool:
    words = words_of(token)
    return bool(words) and all(w in _all_category_words() for w in words)


def looks_like_name(text: str) -> bool:
    """Text that reads as a person's name: one to four name-shaped words, and either a
    common forename among them ("Aisha", "Tom White") or, with two to four, none of them a
    word of any category label ("John Smith", "smith, john"). "Latin American" and "White
    British" are made of category words, so they are not names."""
    tokens = _name_tokens(text)
    if tokens is None:
        return False
    lowered = [t.casefold().rstrip(".") for t in tokens]
    if any(t in forenames() for t in lowered):
        return True
    if len(tokens) < 2 or all(len(t) <= 1 for t in lowered):
        return False
    return not any(_is_category_token(t) for t in tokens)


def looks_like_forename_name(text: str) -> bool:
    """A stricter name test for a whole column of cells: a common forename is in it."""
    tokens = _name_tokens(text)
    return tokens is not None and any(t.casefold().rstrip(".") in forenames() for t in tokens)


_DETECTORS: Final[tuple[tuple[str, Callable[[str], bool]], ...]] = (
    ("contact", lambda t: "@" in t),
    ("nhs_number", contains_nhs_number),
    ("long_number", has_long_number),
    ("upn", is_upn),
    ("postcode", is_postcode),
    ("dob", looks_like_date),
    ("name", looks_like_name),
    ("free_text", lambda t: len(t) > MAX_LABEL_CHARS or len(t.split()) > MAX_LABEL_WORDS),
)


def personal_kinds(label: str) -> tuple[str, ...]:
    """Which detectors fire on a label (keys of `KIND_WORDS`); empty when none does."""
    text = " ".join(str(label).split())
    if not text or text in OWN_LABELS:
        return ()
    found = tuple(kind for kind, test in _DETECTORS if test(text))
    if {"nhs_number", "upn"} & set(found):  # one finding, not two, for either
        found = tuple(k for k in found if k != "long_number")
    return found


def _numbers_short(text: str, most: int) -> bool:
    return all(len(n) <= most for n in _NUMBER.findall(text))


def _made_of(text: str, vocabulary: frozenset[str], most_digits: int) -> bool:
    words = words_of(text)
    return bool(words) and all(w in vocabulary for w in words) and _numbers_short(
        text, most_digits
    )


@cache
def _ethnicity_keys() -> tuple[str, ...]:
    return tuple(_ethnicity_table())


def reads_as_ethnicity(label: str) -> bool:
    """The label is, or is close to, an ethnicity label we know ("Carribean"), or is made
    only of words of ethnic groups, nationalities, regions, languages and religions
    ("Latin American", "Kurdish", "Any other Tamil background", "Other 2")."""
    text = " ".join(str(label).split())
    if not text:
        return False
    if ethnicity_label(text)[2] != STATUS_UNMAPPED:
        return True
    if _made_of(text, ethnicity_words(), MAX_CATEGORY_DIGITS["ethnicity"]):
        return True
    key = label_key(text)
    if len(key) < 5 or len(text) > MAX_LABEL_CHARS:
        return False
    return bool(difflib.get_close_matches(key, _ethnicity_keys(), n=1, cutoff=CLOSE_MATCH))


def reads_as_gender(label: str) -> bool:
    """The label is a gender answer we know, or made only of words of gender answers."""
    text = " ".join(str(label).split())
    if not text:
        return False
    if sex_label(text)[1] != STATUS_UNMAPPED:
        return True
    return _made_of(text, gender_words(), MAX_CATEGORY_DIGITS["sex"])


def reads_as_age(label: str) -> bool:
    """The label is made of numbers of at most three digits and age words ("5 to 10
    years", "Under 5s", "Adult")."""
    text = " ".join(str(label).split())
    if not text or not _numbers_short(text, MAX_CATEGORY_DIGITS["age_band"]):
        return False
    words = words_of(text)
    return all(w in age_words() for w in words) and bool(words or _NUMBER.search(text))


_READS_AS: Final[dict[str, Callable[[str], bool]]] = {
    "ethnicity": reads_as_ethnicity,
    "sex": reads_as_gender,
    "age_band": reads_as_age,
}


def label_is_shown(label: str, dimension: str) -> bool:
    """Whether an unrecognised label may be shown as written: it reads as a label of its
    column and no personal-data detector fires. Our own stand-in labels are shown."""
    text = " ".join(str(label).split())
    if text in OWN_LABELS:
        return True
    if personal_kinds(text):
        return False
    return _READS_AS.get(dimension, reads_as_ethnicity)(text)


#: Header words that say a column holds free text about people or dates of birth.
_NOTES_WORDS: Final = frozenset(
    {"note", "notes", "comment", "comments", "remark", "remarks", "narrative", "freetext"}
)
_BIRTH_WORDS: Final = frozenset({"born", "dob", "birth", "birthday", "birthdate"})
#: "Country of birth" is a nationality, not a date.
_PLACE_WORDS: Final = frozenset({"country", "place", "town", "city", "nation", "nationality"})


def personal_header(text: object) -> str | None:
    """The kind of personal data a column's header says it holds ("Born", "D.O.B",
    "Date of Birth of child" -> "dob"; "Notes" -> "notes"; "Child's name" -> "name";
    "Address", "Postcode", "NHS number", "UPN"), or None."""
    norm = normalise_header(str(text))
    words = set(norm.split()) | {norm.replace(" ", "")}
    if words & _BIRTH_WORDS and not words & _PLACE_WORDS:
        return "dob"
    role = header_role(str(text))
    if role in IDENTIFIER_ROLES or role == "dob":
        return str(role)
    if words & _NOTES_WORDS:
        return "notes"
    return None


def name_may_be_personal(text: str) -> bool:
    """A file, sheet or service name that may hold personal data: an NHS number (or any
    long number), a UPN, a postcode, a date, or a common forename with another word.
    Stricter than `personal_kinds` for labels, because such names are mostly ordinary
    words ("Family Support" is not a person)."""
    words = " ".join(text.replace("_", " ").split())
    return bool(
        contains_nhs_number(words) or has_long_number(words) or is_upn(words)
        or is_postcode(words) or looks_like_date(words) or looks_like_forename_name(words)
    )
