"""The name keys: scripts, pinyin, Jyutping and the spellings Macau and Hong Kong cards print."""
import pytest
from pypinyin import Style, lazy_pinyin

from cases import names

# The commonest surnames in Macau: (surname, Macau identity-card spelling, Hong Kong spelling).
# Written from Macau and Hong Kong cards, not from the code's table.
SURNAMES = [
    ("陳", "Chan", "Chan"), ("李", "Lei", "Lee"), ("黃", "Wong", "Wong"), ("梁", "Leong", "Leung"),
    ("何", "Ho", "Ho"), ("張", "Cheong", "Cheung"), ("林", "Lam", "Lam"), ("吳", "Ng", "Ng"),
    ("劉", "Lao", "Lau"), ("鄭", "Cheang", "Cheng"), ("郭", "Kuok", "Kwok"), ("區", "Ao", "Au"),
    ("蔡", "Choi", "Choi"), ("譚", "Tam", "Tam"), ("周", "Chao", "Chow"), ("楊", "Ieong", "Yeung"),
    ("馮", "Fong", "Fung"), ("朱", "Chu", "Chu"), ("羅", "Lo", "Law"), ("麥", "Mak", "Mak"),
    ("葉", "Ip", "Yip"), ("鄧", "Tang", "Tang"), ("盧", "Lou", "Lo"), ("許", "Hoi", "Hui"),
    ("謝", "Che", "Tse"), ("余", "U", "Yu"), ("蘇", "Sou", "So"), ("曾", "Chang", "Tsang"),
    ("高", "Kou", "Ko"), ("趙", "Chio", "Chiu"), ("韓", "Hon", "Hon"), ("潘", "Pun", "Poon"),
    ("徐", "Choi", "Tsui"), ("王", "Wong", "Wong"), ("鍾", "Chong", "Chung"), ("馬", "Ma", "Ma"),
    ("胡", "Wu", "Wu"), ("關", "Kuan", "Kwan"), ("曹", "Chou", "Cho"), ("姚", "Iu", "Yiu"),
    ("莫", "Mok", "Mok"), ("袁", "Un", "Yuen"), ("孫", "Sun", "Suen"), ("江", "Kong", "Kong"),
    ("崔", "Choi", "Chui"), ("廖", "Lio", "Liu"), ("伍", "Ng", "Ng"), ("溫", "Wan", "Wan"),
    ("岑", "Sam", "Shum"), ("方", "Fong", "Fong"), ("湯", "Tong", "Tong"), ("唐", "Tong", "Tong"),
    ("宋", "Song", "Sung"), ("白", "Pak", "Pak"), ("文", "Man", "Man"), ("程", "Cheng", "Ching"),
    ("石", "Sek", "Shek"), ("霍", "Fok", "Fok"), ("雷", "Loi", "Lui"), ("黎", "Lai", "Lai"),
    ("杜", "Tou", "To"), ("簡", "Kan", "Kan"), ("甘", "Kam", "Kam"), ("邱", "Iao", "Yau"),
    ("施", "Si", "Sze"), ("范", "Fan", "Fan"), ("彭", "Pang", "Pang"), ("容", "Iong", "Yung"),
    ("嚴", "Im", "Yim"), ("阮", "Un", "Yuen"), ("甄", "Ian", "Yan"), ("冼", "Sin", "Sin"),
    ("龍", "Long", "Lung"), ("陸", "Lok", "Luk"), ("蕭", "Sio", "Siu"), ("邵", "Sio", "Shiu"),
    ("薛", "Sit", "Sit"), ("毛", "Mou", "Mo"), ("金", "Kam", "Kam"), ("田", "Tin", "Tin"),
    ("沈", "Sam", "Sum"), ("凌", "Leng", "Ling"), ("韋", "Wai", "Wai"), ("洪", "Hong", "Hung"),
    ("夏", "Ha", "Ha"), ("董", "Tong", "Tung"), ("鮑", "Pau", "Pau"), ("姜", "Keong", "Keung"),
    ("蔣", "Cheong", "Cheung"), ("戴", "Tai", "Tai"), ("任", "Iam", "Yam"), ("傅", "Fu", "Fu"),
    ("卓", "Cheok", "Cheuk"), ("翁", "Iong", "Yung"), ("熊", "Hong", "Hung"), ("連", "Lin", "Lin"),
    ("顏", "Ngan", "Ngan"), ("錢", "Chin", "Chin"), ("俞", "U", "Yu"), ("莊", "Chong", "Chong"),
    ("歐陽", "Ao Ieong", "Au Yeung"), ("司徒", "Si Tou", "Szeto"),
]


@pytest.mark.parametrize(("surname", "macau", "hong_kong"), SURNAMES,
                         ids=[row[0] for row in SURNAMES])
def test_surname_card_spellings(surname, macau, hong_kong):
    spellings = names.card_spellings(surname + "大文")
    assert spellings[0].startswith(macau + " "), spellings  # the Macau card spelling first
    assert any(s.startswith(hong_kong + " ") for s in spellings), spellings


def test_enough_surnames_are_checked():
    assert len({row[0] for row in SURNAMES}) >= 100


@pytest.mark.parametrize(("name", "macau", "hong_kong"), [
    ("陳大文", "Chan Tai Man", "Chan Tai Man"),
    ("李月英", "Lei Ut Ieng", "Lee Yuet Ying"),
    ("张志强", "Cheong Chi Keong", "Cheung Chi Keung"),  # simplified input, same spellings
    ("梁嘉欣", "Leong Ka Ian", "Leung Ka Yan"),
    ("周美玲", "Chao Mei Leng", "Chow Mei Ling"),
    ("劉德華", "Lao Tak Va", "Lau Tak Wa"),
    ("黃國強", "Wong Kuok Keong", "Wong Kwok Keung"),
    ("余家豪", "U Ka Hou", "Yu Ka Ho"),
])
def test_full_names(name, macau, hong_kong):
    spellings = names.card_spellings(name)
    assert spellings[0] == macau
    assert hong_kong in spellings


def test_person_keys_cover_every_script_and_spelling():
    keys = names.person_keys("陈大文", "")
    assert keys["name_simplified"] == "陈大文" and keys["name_traditional"] == "陳大文"
    assert keys["name_pinyin"] == "chen da wen"
    assert keys["name_jyutping"] == "can4 daai6 man4"
    stored = keys["name_keys"].split("|")
    for key in ("陈大文", "陳大文", "chen da wen", "chendawen", "chen2 da4 wen2", "cdw",
                "can4 daai6 man4", "chan tai man", "chantaiman", "~chan man tai"):
        assert key in stored, key


@pytest.mark.parametrize("written", ["Chan Tai Man", "CHAN, Tai Man", "Tai Man Chan",
                                     "chan tai-man", "  Chán  Tái Mán "])
def test_latin_names_are_normalised(written):
    assert names.sorted_words(written) == "chan man tai"
    assert names.latin_forms(written) & {"chan tai man", "tai man chan"}


def test_portuguese_names_lose_accents_not_words():
    assert names.normalise_latin("João Conceição d'Assunção") == "joao conceicao d assuncao"
    keys = names.person_keys("", "José María Gonçalves")["name_keys"]
    assert "|jose maria goncalves|" in keys and "|~goncalves jose maria|" in keys


@pytest.mark.django_db
def test_registering_and_renaming_keep_the_keys_in_step(users):
    from datetime import date

    from cases.models import Person
    from cases.services import person_register, person_update

    person = person_register(actor=users["district"], name_zh="陈大文", sex="male",
                             date_of_birth=date(1960, 5, 1), residence_status="macau_resident",
                             document_type="macau_id", document_number="1234567(8)")
    person.refresh_from_db()
    assert person.name_traditional == "陳大文" and "|chan tai man|" in person.name_keys
    person_update(actor=users["district"], person=person, name_zh="李月英", name_latin="LEI, Ut Ieng")
    person = Person.objects.get(pk=person.pk)
    assert person.name_simplified == "李月英" and person.name_pinyin == "li yue ying"
    assert "|lei ut ieng|" in person.name_keys and "|lee yuet ying|" in person.name_keys
    assert "chan tai man" not in person.name_keys


def test_pinyin_read_once_gives_each_of_pypinyins_styles():
    """The plain pinyin and the initials are taken from the toned reading: the same as each
    style read on its own, for every surname above and names with ü and readings that depend
    on the characters around them (polyphones)."""
    given = ["大文", "小明", "女", "绿", "吕律", "略", "长乐", "重行", "单解", "曾朝", "仇区",
             "了得"]
    samples = [surname + rest for surname, _macau, _hk in SURNAMES for rest in given]
    samples += ["诸葛亮", "欧阳娜娜", "李Ａ明", "陈·大文"]
    for name in samples:
        simple = names.simplified(name)
        assert names.pinyin_forms(name) == {
            "plain": " ".join(lazy_pinyin(simple, errors="ignore")),
            "tones": " ".join(lazy_pinyin(simple, style=Style.TONE3, errors="ignore")),
            "initials": "".join(lazy_pinyin(simple, style=Style.FIRST_LETTER, errors="ignore")),
        }, name


def test_within_keys_remembered_each_name_is_romanised_once(monkeypatch):
    computed = []
    original = names._person_keys
    monkeypatch.setattr(names, "_person_keys",
                        lambda *args: computed.append(args) or original(*args))
    with names.keys_remembered():
        first = names.person_keys("陈大文", "")
        first["name_keys"] = "changed by the caller"
        assert names.person_keys("陈大文", "") == original("陈大文", "")
        names.person_keys("李小明", "Lei Sio Meng")
    assert computed == [("陈大文", ""), ("李小明", "Lei Sio Meng")]
    names.person_keys("陈大文", "")  # outside the block: nothing kept
    assert len(computed) == 3
