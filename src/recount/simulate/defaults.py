"""The four lists of the demo: four organisations, four ways of writing the same people."""

from recount.simulate.lists import ListSpec

REGISTRY = ListSpec(
    slug="registry",
    name="Vendara Valley civil registry (fictional)",
    kind="government",
    coverage=(0.75, 0.30),
    script="official",
    order="family_first",
    layout="full",
    habits={"schwa": 1},
    typo_rate=0.02,
    age_error=0.05,
    date_style="iso",
    missing={"place": 0.05},
    duplicate_rate=0.01,
)

NGO = ListSpec(
    slug="ngo",
    name="Memorial committee of the valley (fictional NGO)",
    kind="ngo",
    coverage=(0.55, 0.35),
    script="cyrillic",
    order="family_first",
    layout="parts",
    typo_rate=0.04,
    age_style="exact",
    age_error=0.10,
    date_style="dotted",
    missing={"patronymic": 0.10, "age": 0.10},
    duplicate_rate=0.03,
    columns={
        "family_name": "Фамилия",
        "given_name": "Имя",
        "patronymic": "Отчество",
        "sex": "Пол",
        "age": "Возраст",
        "date": "Дата",
        "place": "Место",
        "fate": "Судьба",
    },
    values={
        "sex": {"M": "м", "F": "ж"},
        "fate": {
            "killed": "убит",
            "injured": "ранен",
            "detained": "задержан",
            "missing": "пропал без вести",
        },
    },
    encoding="cp1251",
    delimiter=";",
)

PRESS = ListSpec(
    slug="press",
    name="Valley Herald casualty list (fictional newspaper)",
    kind="media",
    coverage=(0.35, 0.10),
    depends_on={"ngo": 1.5},
    script="latin",
    order="given_first",
    layout="full",
    patronymic=False,
    habits={"kh": 1, "ya": 1, "double": 1},
    typo_rate=0.06,
    age_style="approx",
    age_error=0.15,
    date_style="text",
    missing={"sex": 0.5, "age": 0.25, "place": 0.2},
    duplicate_rate=0.02,
    encoding="utf-8-sig",
)

TESTIMONIES = ListSpec(
    slug="testimonies",
    name="Witness statements (fictional)",
    kind="witness",
    coverage=(0.20, 0.30),
    depends_on={"registry": -0.5},
    script="native",
    order="given_first",
    layout="parts",
    patronymic=True,
    typo_rate=0.05,
    age_style="range",
    age_error=0.2,
    date_style="month",
    missing={"family_name": 0.15, "patronymic": 0.4, "sex": 0.1, "age": 0.3},
    duplicate_rate=0.10,
)

DEMO_LISTS = [REGISTRY, NGO, PRESS, TESTIMONIES]
