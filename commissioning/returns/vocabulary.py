"""The words a real category label is made of, and common forenames.

An unrecognised label is shown in the check report only when it reads as a category
("Latin American", "Kurdish", "Other 2"), because what is not a category may be a child's
name typed into the wrong column. The words come from the ethnicity, sex and not-known
tables of `commissioning.classify` plus the lists below: ethnic groups, nationalities,
world regions, languages and religions that people use to describe ethnicity. The
forenames (package data, ``forenames.txt``) make a name like "Tom White" recognisable
even though "White" is also a category word.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Final

from commissioning.classify import ethnicity_tables as tables
from commissioning.classify.notknown import NOT_KNOWN_WORDINGS
from commissioning.classify.sex import SEX_ALIASES, SEX_NOT_KNOWN
from commissioning.classify.text import fold
from commissioning.model.categories import DETAILED_ONS_WORDING

FORENAMES_FILE: Final = "forenames.txt"


def wordlist(text: str) -> frozenset[str]:
    """The words of a block of text (lists below are written as prose to stay short)."""
    return frozenset(text.split())


#: Words that make up category labels of any kind ("Any other background", "Not known").
CATEGORY_WORDS: Final = wordlist(
    """any other others and or of the a an in from with without background backgrounds
    group groups ethnic ethnicity ethnicities origin origins heritage descent culture
    cultural community communities mixed multiple mix dual race racial nationality
    national not known unknown stated given recorded provided prefer preferred say
    answer refused declined withheld unclassified classified missing blank none n a
    please describe specify state write details categories category all total minority
    minorities majority people person persons usual residents other's including
    including excluding non new born citizen citizens resident residents indigenous
    native foreign overseas also both parent parents father mother
    western eastern northern southern central north south east west"""
)

#: Ethnic and national groups, world regions, languages and religions used as ethnicity.
PEOPLES_WORDS: Final = wordlist(
    """afghan afghani african afro albanian algerian american amhara angolan anglo arab
    arabic arabian armenian ashkenazi asia asian assyrian australian austrian azerbaijani
    azeri baloch baluchi bangladeshi bantu belarusian belgian bengali berber bhutanese
    bihari black bosnian brazilian britain british bulgarian burmese cambodian cameroonian
    canadian cantonese caribbean celtic chaldean chilean chinese colombian congolese
    cornish creole croatian cuban cypriot czech danish dutch ecuadorian egyptian emirati
    england english eritrean estonian ethiopian europe european fijian filipino finnish
    french fulani gambian georgian german ghanaian greek gujarati guyanese gypsy gypsies
    hakka han hausa hindi hispanic hong hungarian ibo icelandic igbo india indian
    indonesian iranian iraqi ireland irish islander islanders israeli italian ivorian
    jamaican japanese jewish jordanian kashmiri kazakh kenyan khmer korean kosovan kosovar
    kurd kurdish kurmanji kuwaiti lankan lao latin latina latino latinx latvian lebanese
    liberian libyan lithuanian macedonian malagasy malawian malay malaysian maltese
    mandarin maori marathi mauritian mexican mirpuri moldovan mongolian montenegrin
    moroccan mozambican namibian nepalese nepali nigerian norwegian oromo pacific pakistani
    palestinian pashto pashtun persian peruvian polish portuguese punjabi qatari roma romani
    romanian romany russian rwandan saudi scandinavian scots scottish senegalese serbian
    shona sierra leonean sikh sinhala sinhalese slovak slovakian slovene slovenian somali
    somalian somaliland south sri sudanese swahili swedish swiss syrian taiwanese tajik
    tamil tanzanian telugu thai tibetan tigrayan tigrinya togolese traveller travellers
    trinidadian tunisian turk turkish turkmen ugandan ukrainian ulster urdu uyghur uzbek
    venezuelan vietnamese wales welsh west white yemeni yoruba zambian zimbabwean zulu
    americas middle eastern oriental subcontinent baltic balkan balkans nordic gulf horn
    levant levantine maghreb mediterranean oceania antilles hmong kosovo cyprus
    muslim hindu buddhist christian catholic protestant orthodox jain zoroastrian parsi
    rastafarian bame bme bipoc global majority non-white nonwhite"""
)

#: Words of gender answers beyond the sex table ("Trans non-binary", "Gender diverse").
GENDER_WORDS: Final = wordlist(
    """female male woman women man men girl girls boy boys young trans transgender
    nonbinary non binary enby genderqueer genderfluid fluid queer agender bigender
    intersex gender identity diverse different another way self describe described
    own term identify identifies f m x nb u t"""
)

#: Words of age answers ("5 to 10 years", "Under 5s", "Adult").
AGE_WORDS: Final = wordlist(
    """age ages aged years year yrs yr y months month mths mth mos mo m weeks wk wks old
    under over to and plus up upwards above below less more than younger older or s
    adult adults child children infant infants baby babies toddler toddlers teen teens
    teenager teenagers young youth people person pre school nursery reception year
    primary secondary college"""
)

_WORD = re.compile(r"[a-z]+(?:['’][a-z]+)?")


def words_of(text: str) -> list[str]:
    """The lower-case words of a label, accents removed ("Côte d'Ivoire" -> côte...)."""
    return _WORD.findall(fold(text))


def _table_words() -> set[str]:
    texts: list[str] = [*DETAILED_ONS_WORDING.values(), *tables.GYPSY_TRAVELLER,
                        *tables.EXTRA_LABELS, *tables.DELIBERATELY_UNMAPPED,
                        *tables.FORM_INSTRUCTIONS, *tables.TOTAL_WORDINGS,
                        *NOT_KNOWN_WORDINGS]
    for prefixes in tables.MAJOR_PREFIXES.values():
        texts.extend(prefixes)
    for within in tables.WITHIN_GROUP.values():
        for names in within.values():
            texts.extend(names)
    for detailed, names in tables.STANDALONE.items():
        texts.extend((detailed, *names))
    return {w for t in texts for w in words_of(t)}


@cache
def ethnicity_words() -> frozenset[str]:
    """Every word an ethnicity label may be made of (built once)."""
    return frozenset(_table_words() | CATEGORY_WORDS | PEOPLES_WORDS)


@cache
def gender_words() -> frozenset[str]:
    """Every word a gender answer may be made of (built once)."""
    texts = [a for aliases in SEX_ALIASES.values() for a in aliases]
    texts += [*SEX_NOT_KNOWN, *NOT_KNOWN_WORDINGS]
    return frozenset({w for t in texts for w in words_of(t)} | GENDER_WORDS | CATEGORY_WORDS)


@cache
def age_words() -> frozenset[str]:
    """Every word an age or age-band answer may be made of (built once)."""
    return frozenset({w for t in NOT_KNOWN_WORDINGS for w in words_of(t)} | AGE_WORDS)


@cache
def forenames() -> frozenset[str]:
    """Common forenames, lower case, without any that is also a category word."""
    text = resources.files(__package__).joinpath(FORENAMES_FILE).read_text(encoding="utf-8")
    names = {line.strip() for line in text.splitlines()}
    names = {n for n in names if n and not n.startswith("#")}
    return frozenset(names - ethnicity_words() - gender_words())
