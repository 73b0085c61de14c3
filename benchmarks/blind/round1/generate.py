#!/usr/bin/env python3
"""Blind record-linkage evaluation sets for recount, round 1.

Standalone: Python 3 standard library only, deterministic (fixed seed).  Run it from anywhere:

    python3 generate.py            # writes set-a/ and set-b/ next to this file

Everything here is fictional.  The names are drawn from name pools written for this file; the
places, events and organisations are invented.  The generator was written without reading any
of recount's linkage, name-handling or simulation code (see README.md next to this file).

set-a  a 1992 attack on a mixed valley district in the South Caucasus (Azerbaijani, Georgian,
       Russian Molokan and Armenian villagers); five lists in Georgian script, Russian Cyrillic
       (cp1251), Azerbaijani Latin (three keyboard eras) and several romanisations.
set-b  a 2012-2014 siege of a Levantine town (Arabic names: given name, father, grandfather,
       family); four lists in Arabic script (formal and informal), English and French
       romanisations.
"""

from __future__ import annotations

import csv
import io
import random
from collections import Counter, defaultdict
from pathlib import Path

SEED = 19920314
HERE = Path(__file__).resolve().parent


# ----------------------------------------------------------------------------------------------
# common helpers
# ----------------------------------------------------------------------------------------------


def words(text):
    return [w for w in text.split() if w]


def zipf_weights(n, s=1.0, floor=0.0):
    return [1.0 / ((i + 1) ** s) + floor for i in range(n)]


def wchoice(rng, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


def pick(rng, table):
    """table: list of (value, weight)."""
    vals = [v for v, _ in table]
    ws = [w for _, w in table]
    return rng.choices(vals, weights=ws, k=1)[0]


def chance(rng, p):
    return rng.random() < p


def cap_first(s):
    if not s:
        return s
    first = s[0]
    up = {"i": "I", "ı": "I", "ə": "Ə", "ä": "Ä"}.get(first, first.upper())
    return up + s[1:]


def cap_words(s):
    out = []
    for w in s.split(" "):
        out.append("-".join(cap_first(p) for p in w.split("-")))
    return " ".join(out)


# keyboard neighbours for typing errors
_LAT_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
_CYR_ROWS = ["йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю"]


def _neigh(rows):
    d = {}
    for r, row in enumerate(rows):
        for c, ch in enumerate(row):
            n = []
            if c > 0:
                n.append(row[c - 1])
            if c + 1 < len(row):
                n.append(row[c + 1])
            for rr in (r - 1, r + 1):
                if 0 <= rr < len(rows) and c < len(rows[rr]):
                    n.append(rows[rr][c])
            d[ch] = n
    return d


LAT_NEIGH = _neigh(_LAT_ROWS)
CYR_NEIGH = _neigh(_CYR_ROWS)

LAT_CONF = {
    "a": "e", "e": "ia", "i": "ey", "o": "u", "u": "o", "y": "i", "s": "z", "z": "s",
    "k": "q", "q": "kg", "g": "q", "c": "ck", "v": "w", "w": "v", "h": "x", "x": "h",
    "d": "t", "t": "d", "m": "n", "n": "m", "l": "r", "r": "l", "b": "p", "p": "b",
}
CYR_CONF = {
    "е": "иэё", "ё": "е", "и": "ыей", "ы": "и", "й": "и", "а": "о", "о": "а", "ш": "щ",
    "щ": "ш", "ь": "ъ", "з": "с", "с": "з", "д": "т", "т": "д", "г": "к", "к": "г", "ц": "с",
    "ю": "у", "у": "ю", "я": "а", "л": "ль", "н": "м", "м": "н", "х": "г",
}
KA_CONF = {
    "კ": "ქყ", "ქ": "კხ", "ტ": "თ", "თ": "ტ", "პ": "ფ", "ფ": "პ", "ც": "წ", "წ": "ც",
    "ჩ": "ჭ", "ჭ": "ჩ", "ყ": "კ", "ღ": "გ", "გ": "ღ", "ძ": "ზ", "ზ": "ძ", "ხ": "ქ",
    "ე": "ი", "ი": "ე", "ო": "უ", "უ": "ო", "ლ": "რ", "რ": "ლ", "ნ": "მ", "მ": "ნ",
}
AR_CONF = {
    "ب": "تثن", "ت": "بثن", "ث": "تب", "ن": "بت", "ي": "ب", "ج": "حخ", "ح": "جخ", "خ": "حج",
    "د": "ذ", "ذ": "د", "ر": "ز", "ز": "ر", "س": "ش", "ش": "س", "ص": "ض", "ض": "ص",
    "ط": "ظ", "ظ": "ط", "ع": "غ", "غ": "ع", "ف": "ق", "ق": "ف", "ة": "ه", "ه": "ة",
    "ا": "أ", "و": "ؤ",
}


def typo(s, rng, conf, neigh=None):
    """One typing or copying error: a confusable or neighbouring letter, a dropped or doubled
    letter, or two neighbouring letters swapped."""
    if not s or len(s) < 3:
        return s
    letters = [i for i, ch in enumerate(s) if ch.isalpha()]
    if len(letters) < 3:
        return s
    for _ in range(8):
        op = pick(rng, [("sub", 45), ("del", 20), ("dup", 12), ("swap", 23)])
        i = rng.choice(letters[1:]) if op != "swap" else rng.choice(letters[:-1])
        ch = s[i]
        low = ch.lower()
        if op == "sub":
            cands = conf.get(low, "")
            if not cands and neigh:
                cands = "".join(neigh.get(low, []))
            if not cands:
                continue
            new = rng.choice(cands)
            if ch != low:
                new = new.upper()
            out = s[:i] + new + s[i + 1 :]
        elif op == "del":
            out = s[:i] + s[i + 1 :]
        elif op == "dup":
            out = s[:i] + ch + s[i:]
        else:
            j = i + 1
            if j >= len(s) or not s[j].isalpha() or s[j] == ch:
                continue
            if i == 0:
                continue
            out = s[:i] + s[j] + s[i] + s[j + 1 :]
        if out != s:
            return out
    return s


def round5(x):
    return int(5 * round(x / 5.0))


def write_csv(path, header, rows, encoding="utf-8", delimiter=","):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n" if encoding == "cp1251" else "\n")
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(h, "") for h in header])
    data = buf.getvalue().encode(encoding)
    path.write_bytes(data)


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_mapping(path, columns, values, options=None, comment=None):
    lines = []
    if comment:
        for c in comment.strip().splitlines():
            lines.append("# " + c)
        lines.append("")
    lines.append("[columns]")
    for k, v in columns:
        lines.append(f"{toml_str(k)} = {toml_str(v)}")
    for field, table in values:
        lines.append("")
        lines.append(f"[values.{field}]")
        for k, v in table:
            lines.append(f"{toml_str(k)} = {toml_str(v)}")
    if options:
        lines.append("")
        lines.append("[options]")
        for k, v in options:
            lines.append(f"{k} = {toml_str(v)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]


def iso(y, m, d):
    return f"{y:04d}-{m:02d}-{d:02d}"


def days_in(y, m):
    if m == 2:
        return 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def add_days(date, n):
    y, m, d = date
    d += n
    while d > days_in(y, m):
        d -= days_in(y, m)
        m += 1
        if m > 12:
            m, y = 1, y + 1
    while d < 1:
        m -= 1
        if m < 1:
            m, y = 12, y - 1
        d += days_in(y, m)
    return (y, m, d)


def date_range_days(start, end):
    out = []
    cur = start
    while cur <= end:
        out.append(cur)
        cur = add_days(cur, 1)
    return out


class ListBuilder:
    """Rows of one list, each tied to a true person id."""

    def __init__(self, slug, name, kind, header, encoding="utf-8", delimiter=","):
        self.slug, self.name, self.kind = slug, name, kind
        self.header = header
        self.encoding, self.delimiter = encoding, delimiter
        self.rows = []  # (row dict, person id, is_repeat)
        self.mapping = None  # (columns, values, options, comment)
        self.habits = []  # lines for the README

    def add(self, row, pid, repeat=False):
        self.rows.append((row, pid, repeat))

    def persons(self):
        return {pid for _, pid, _ in self.rows}

    def write(self, folder):
        rows = [r for r, _, _ in self.rows]
        write_csv(folder / f"{self.slug}.csv", self.header, rows, self.encoding, self.delimiter)
        if self.mapping:
            cols, vals, opts, comment = self.mapping
            write_mapping(folder / f"{self.slug}.toml", cols, vals, opts, comment)

    def stats(self):
        n = len(self.rows)
        per = Counter(pid for _, pid, _ in self.rows)
        dup_rows = sum(c - 1 for c in per.values() if c > 1)
        dup_persons = sum(1 for c in per.values() if c > 1)
        return {"rows": n, "persons": len(per), "dup_rows": dup_rows, "dup_persons": dup_persons}


def write_common(folder, lists, population, popfields, readme):
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old.is_file():
            old.unlink()
    for lb in lists:
        lb.write(folder)
    write_csv(folder / "sources.csv", ["slug", "name", "kind"],
              [{"slug": lb.slug, "name": lb.name, "kind": lb.kind} for lb in lists])
    truth = []
    for lb in lists:
        for i, (_, pid, _) in enumerate(lb.rows, start=1):
            truth.append({"source": lb.slug, "row_number": i, "person_id": pid})
    write_csv(folder / "truth.csv", ["source", "row_number", "person_id"], truth)
    write_csv(folder / "population.csv", popfields, population)
    (folder / "README.md").write_text(readme, encoding="utf-8")


def overlap_table(lists, all_pids):
    """How many persons each combination of lists holds (capture histories)."""
    members = [lb.persons() for lb in lists]
    hist = Counter()
    for pid in all_pids:
        key = "".join("1" if pid in m else "0" for m in members)
        hist[key] += 1
    return hist


def stats_markdown(lists, n_pop, all_pids):
    lines = ["| list | kind | rows | distinct persons | rows that repeat a person already in the list | persons listed more than once |",
             "|---|---|---:|---:|---:|---:|"]
    for lb in lists:
        s = lb.stats()
        lines.append(f"| `{lb.slug}` | {lb.kind} | {s['rows']} | {s['persons']} | {s['dup_rows']} | {s['dup_persons']} |")
    listed = set()
    for lb in lists:
        listed |= lb.persons()
    total_rows = sum(lb.stats()["rows"] for lb in lists)
    lines.append("")
    lines.append(f"True population (victims): **{n_pop}** persons. Persons on at least one list: "
                 f"**{len(listed)}**; on none: {n_pop - len(listed)}. Rows in all lists: **{total_rows}**.")
    hist = overlap_table(lists, all_pids)
    lines.append("")
    lines.append("Capture histories (1 = on the list, in the order " + ", ".join(f"`{lb.slug}`" for lb in lists) + "):")
    lines.append("")
    lines.append("| history | persons |")
    lines.append("|---|---:|")
    for k in sorted(hist, key=lambda k: (-hist[k], k)):
        lines.append(f"| {k} | {hist[k]} |")
    return "\n".join(lines)


def commands_markdown(setname, lists, event_slug, event_args):
    lines = ["```sh", "R=recount   # or .venv/bin/recount", f"$R init /tmp/blind-{setname}", f"cd /tmp/blind-{setname}",
             f"$R event add {event_slug} {event_args}"]
    for lb in lists:
        lines.append(f"$R source add {lb.slug} --name {shq(lb.name)} --kind {lb.kind}")
    for lb in lists:
        m = f" --mapping $SET/{lb.slug}.toml" if lb.mapping else ""
        lines.append(f"$R import {lb.slug} $SET/{lb.slug}.csv{m} --event {event_slug}")
    lines.append("```")
    lines.insert(1, f"SET=/path/to/benchmarks/blind/round1/{setname}")
    return "\n".join(lines)


def shq(s):
    return "'" + s.replace("'", "'\"'\"'") + "'"


# ----------------------------------------------------------------------------------------------
# set-a: name pools (written for this file).  "Azerbaijani|Russian" pairs give the form that
# Soviet Russian-language documents used for the name.
# ----------------------------------------------------------------------------------------------

AZ_MALE = """
Əli|Али Məmməd|Мамед Hüseyn|Гусейн Həsən|Гасан İbrahim|Ибрагим İsmayıl|Исмаил Rəşid|Рашид
Rəhim|Рагим Kərim|Керим Vəli|Вели Qasım|Гасым Abbas|Аббас Cəfər|Джафар Əhməd|Ахмед
Mahmud|Махмуд Musa|Муса İsa|Иса Yusif|Юсиф Süleyman|Сулейман Nəsir|Насир Səməd|Самед
Əziz|Азиз Tofiq|Тофик Rafiq|Рафик Şahin|Шахин Elçin|Эльчин Elşən|Эльшан Elxan|Эльхан
Elnur|Эльнур Vüqar|Вугар Vaqif|Вагиф Namiq|Намик Natiq|Натик Zaur|Заур Rövşən|Ровшан
Ramiz|Рамиз Ramil|Рамиль Rasim|Расим Rauf|Рауф Fuad|Фуад Fikrət|Фикрет Fərhad|Фархад
İlqar|Ильгар İlham|Ильхам Bəxtiyar|Бахтияр Akif|Акиф Arif|Ариф Asif|Асиф Azər|Азер
Aydın|Айдын Babək|Бабек Bəhruz|Бехруз Ceyhun|Джейхун Çingiz|Чингиз Emin|Эмин Eldar|Эльдар
Etibar|Этибар Famil|Фамиль Faiq|Фаик Firudin|Фирудин Hafiz|Гафиз Hikmət|Хикмет
Hidayət|Гидаят İlyas|Ильяс İmran|Имран İsgəndər|Искендер Kamal|Камал Kamran|Камран
Lətif|Латиф Mübariz|Мубариз Mürsəl|Мурсал Nadir|Надир Nizami|Низами Nurlan|Нурлан
Oqtay|Октай Orxan|Орхан Pərviz|Парвиз Qəzənfər|Газанфар Rüstəm|Рустам Sabir|Сабир
Sahib|Сахиб Səfər|Сафар Şamil|Шамиль Şirin|Ширин Tahir|Тахир Teymur|Теймур Tural|Турал
Umud|Умуд Vasif|Васиф Vidadi|Видади Yaşar|Яшар Zahid|Захид Zakir|Закир Zülfüqar|Зульфугар
Allahverdi|Аллахверди Qurban|Гурбан Qulu|Кулу Qəhrəman|Гахраман Hacı|Гаджи Heydər|Гейдар
Məhərrəm|Магеррам Mehdi|Мехти Mirzə|Мирза Nəriman|Нариман Novruz|Новруз Rza|Рза
Səttar|Саттар Sərdar|Сардар Tapdıq|Тапдыг Xəlil|Халил Xanlar|Ханлар Zeynal|Зейнал
Əkbər|Акпер Ələkbər|Алекпер Əsgər|Аскер Əmir|Амир Ədalət|Адалят Əflatun|Афлатун
Bəhram|Бахрам Cavid|Джавид Cahangir|Джахангир Dilqəm|Дильгам Elbrus|Эльбрус Elman|Эльман
Elvin|Эльвин Eyvaz|Эйваз Fəxrəddin|Фахраддин Gündüz|Гюндуз Hümbət|Гумбат Kazım|Казым
Nazim|Назим Polad|Полад Rəsul|Расул Sadıq|Садых Sakit|Сакит Salman|Салман Samir|Самир
Seyran|Сейран Sərvər|Сарвар Şakir|Шакир Tələt|Талят Telman|Тельман Valeh|Валех
Yaqub|Якуб Yadigar|Ядигар Ziyad|Зияд Bayram|Байрам Dadaş|Дадаш Əbülfəz|Абульфаз
Nəbi|Наби Mövsüm|Мовсум Mustafa|Мустафа Osman|Осман Ağası|Агасы Qafar|Гафар Qiyas|Гияс
Habil|Габиль Həmid|Гамид Hümmət|Гуммат İsrafil|Исрафил Kərəm|Керем Mikayıl|Микаил
Şükür|Шукюр Sabit|Сабит Xudaverdi|Худаверди Rəşad|Рашад Elmar|Эльмар Ülvi|Ульви
Anar|Анар Vahid|Вахид Cəlil|Джалил Hilal|Гилал Nüsrət|Нусрат Əjdər|Аждар Sultan|Султан
"""

AZ_FEMALE = """
Səkinə|Сакина Fatma|Фатма Xədicə|Хадиджа Zəhra|Захра Zeynəb|Зейнаб Gülnarə|Гюльнара
Gülşən|Гюльшан Gülbəniz|Гюльбениз Sona|Сона Solmaz|Солмаз Sevinc|Севиндж Sevda|Севда
Aynur|Айнур Aygün|Айгюн Ayşə|Айша Almaz|Алмаз Afət|Афет Arzu|Арзу Bənövşə|Бановша
Dilarə|Дилара Elmira|Эльмира Esmira|Эсмира Fəridə|Фарида Firuzə|Фируза Gövhər|Гевхар
Gülarə|Гюляра Hökümə|Гекюма Həcər|Гаджар Xanım|Ханум Xatirə|Хатира Xuraman|Хураман
İlahə|Илаха İradə|Ирада Kəmalə|Камала Könül|Кенуль Lalə|Лала Leyla|Лейла Mehriban|Мехрибан
Məleykə|Малейка Nərgiz|Наргиз Nailə|Наиля Nazlı|Назлы Nigar|Нигяр Pərvanə|Парвана
Pəri|Пари Rəna|Рена Rəhilə|Рахиля Rəfiqə|Рафига Roza|Роза Rübabə|Рубаба Sara|Сара
Sədaqət|Садагет Səadət|Саадат Səbinə|Сабина Samirə|Самира Şəhla|Шахла Şəfiqə|Шафига
Şövkət|Шовкет Sürəyya|Сурея Tahirə|Тахира Tamara|Тамара Təranə|Терана Tünzalə|Тунзала
Türkan|Туркан Ülviyyə|Ульвия Vəfa|Вафа Validə|Валида Yeganə|Егяна Zərifə|Зарифа
Zemfira|Земфира Zübeydə|Зубейда Zülfiyyə|Зульфия Zöhrə|Зохра Mələk|Малак Məryəm|Марьям
Nəzakət|Назакет Qızbəs|Гызбес Qönçə|Гёнча Gülər|Гюляр Güllü|Гюллю Humay|Гумай
Kifayət|Кифаят Mahirə|Махира Mətanət|Метанет Nuriyyə|Нурия Ofeliya|Офелия Pərişan|Паришан
Raya|Рая Sahibə|Сахиба Şahnaz|Шахназ Səidə|Саида Tərlan|Тарлан Zivər|Зивяр Zümrüd|Зумруд
Firəngiz|Фирангиз Gülxar|Гюльхар Bəsti|Басти Cəmilə|Джамиля Dürdanə|Дурдана Əminə|Амина
Əsmər|Асмер Hicran|Хиджран Kübra|Кубра Lətafət|Латафат Mərziyə|Марзия Nübar|Нубар
Qəmər|Гамар Rəvanə|Равана Ziba|Зиба Aida|Аида Aybəniz|Айбениз Bahar|Бахар Cəvahir|Джавахир
Fidan|Фидан Günay|Гюнай Jalə|Жаля Məhbubə|Махбуба Nisə|Ниса Rəsmiyyə|Расмия
Şərəbanı|Шарабаны Telli|Телли Gülsüm|Гюльсум Ruhəngiz|Рухангиз Sevil|Севиль Nərmin|Нармин
"""

AZ_SURNAMES = """
Məmmədov|Мамедов Əliyev|Алиев Hüseynov|Гусейнов Həsənov|Гасанов Quliyev|Кулиев
İsmayılov|Исмаилов Abbasov|Аббасов Cəfərov|Джафаров Kərimov|Керимов Rzayev|Рзаев
Musayev|Мусаев Bağırov|Багиров Süleymanov|Сулейманов Ələkbərov|Алекперов Hacıyev|Гаджиев
Nəsirov|Насиров Qasımov|Гасымов Əhmədov|Ахмедов Mahmudov|Махмудов İbrahimov|Ибрагимов
Nağıyev|Нагиев Tağıyev|Тагиев Sadıqov|Садыхов Orucov|Оруджев Rəhimov|Рагимов
Vəliyev|Велиев Əsgərov|Аскеров Səfərov|Сафаров Bayramov|Байрамов Novruzov|Новрузов
Məhərrəmov|Магеррамов Mirzəyev|Мирзоев Heydərov|Гейдаров Xəlilov|Халилов Zeynalov|Зейналов
Qurbanov|Курбанов Şükürov|Шукюров Ağayev|Агаев Əzizov|Азизов Qəhrəmanov|Гахраманов
Əmirov|Амиров Salmanov|Салманов Yusifov|Юсифов İsayev|Исаев Osmanov|Османов
Mustafayev|Мустафаев Babayev|Бабаев Kazımov|Казымов Həmidov|Гамидов Məmmədli|Мамедли
Əlizadə|Ализаде Hüseynzadə|Гусейнзаде Quluzadə|Кулизаде Şıxəliyev|Шихалиев
Abdullayev|Абдуллаев Allahverdiyev|Аллахвердиев Mehdiyev|Мехтиев Sultanov|Султанов
Talıbov|Талыбов Nuriyev|Нуриев Hümbətov|Гумбатов Paşayev|Пашаев Xanlarov|Ханларов
Qafarov|Гафаров Dadaşov|Дадашов Əkbərov|Акперов Nəbiyev|Набиев Rüstəmov|Рустамов
Fərzəliyev|Фарзалиев Seyidov|Сеидов Mikayılov|Микаилов Yaqubov|Якубов Sərdarov|Сардаров
Şirinov|Ширинов Hümmətov|Гумматов Əsədov|Асадов Qənbərov|Ганбаров Əhədov|Ахадов
İmanov|Иманов Əlixanov|Алиханов Cabbarov|Джаббаров Həşimov|Гашимов Məlikov|Меликов
Nəcəfov|Наджафов Kərimli|Керимли Rəsulov|Расулов Şahbazov|Шахбазов Vəzirov|Везиров
Bəşirov|Баширов Hacızadə|Гаджизаде Əsədullayev|Асадуллаев Zülfüqarov|Зульфугаров
Həbibov|Габибов Tahirov|Тахиров Əfəndiyev|Эфендиев Qədirov|Кадыров Kamalov|Камалов
Nəzərov|Назаров Ələsgərov|Алескеров Muradov|Мурадов Şərifov|Шарифов Hidayətov|Гидаятов
Süleymanlı|Сулейманлы Cavadov|Джавадов Mövsümov|Мовсумов Əmiraslanov|Амирасланов
Bəkirov|Бекиров Məsimov|Масимов Qarayev|Караев Hacıbəyov|Гаджибеков Verdiyev|Вердиев
Bağırlı|Багирлы Əmrahov|Амрахов Məmişov|Мамишов Sarıyev|Сарыев Mirzəliyev|Мирзалиев
Abışov|Абышов Eyvazov|Эйвазов Qədimov|Гадимов Məhərrəmli|Магеррамли Həsənli|Гасанлы
İsmayılzadə|Исмаилзаде Eminov|Эминов Tağızadə|Тагизаде Cəlilov|Джалилов Nəsibov|Насибов
Rəcəbov|Раджабов Şabanov|Шабанов Soltanov|Солтанов Xudiyev|Худиев Abdulov|Абдулов
Bədəlov|Бадалов Qəniyev|Ганиев Mürsəlov|Мурсалов Kərəmov|Керемов Rəşidov|Рашидов
Zəkiyev|Закиев Hüseynli|Гусейнли Yəhyayev|Яхъяев Qocayev|Коджаев Əlibəyov|Алибеков
Vahabov|Вахабов Hacıbabayev|Гаджибабаев Məmmədzadə|Мамедзаде Əliquliyev|Аликулиев
Nurməmmədov|Нурмамедов Ağamalıyev|Агамалиев Kəngərli|Кенгерли Zamanov|Заманов
Salahov|Салахов Əsgərli|Аскерли Fətəliyev|Фаталиев Qaffarov|Каффаров Rəsulzadə|Расулзаде
Şahverdiyev|Шахвердиев Xəlilzadə|Халилзаде Cahangirov|Джахангиров Qəmbərov|Гамбаров
"""

# Georgian names in Georgian script; "|Russian" marks the Russified standard form where it
# differs from a letter-by-letter rendering, ";" then diminutives (Latin) used by neighbours.
KA_MALE = """
გიორგი|Георгий;Gogi,Gia,Gio დავით|Давид;Dato ზურაბ;Zura ლევან;Levana გივი ნოდარ თამაზ მერაბ
შალვა ოთარ ვახტანგ;Vakho ირაკლი|Ираклий;Ika ნიკოლოზ|Николай;Niko,Nika მიხეილ|Михаил;Misha,Mikho
ალექსანდრე|Александр;Sandro,Alika ბადრი გელა გოჩა ელგუჯა ემზარ ვალერიან|Валериан;Valera ვაჟა
ზვიად თენგიზ იოსებ|Иосиф;Soso,Sosiko კახა კობა ლაშა მამუკა მურმან ნუგზარ პაატა რევაზ;Rezo
როსტომ ტარიელ|Тариэл ტრისტან ფრიდონ ჯემალ ჯუმბერ ჯონი ჯანსუღ ავთანდილ;Avto ამირან არჩილ
ბესარიონ;Beso ბიძინა გურამ დემურ დიმიტრი|Дмитрий;Dito ელიზბარ ვასილ|Василий;Vaso
ვლადიმერ|Владимир;Lado,Volodya ზაალ თეიმურაზ;Temo იასონ ილია|Илья იური|Юрий;Yura
კონსტანტინე|Константин;Kote,Kostya ლადო მალხაზ ნიკო ომარ პეტრე|Пётр რამაზ როინ სერგო სიმონ
სულხან ტემურ უშანგი შოთა ჭაბუკა ხვიჩა ჯაბა ალეკო აკაკი|Акакий;Kaki გრიგოლ|Григорий;Gigla
ვანო ნესტორ ბექა გიგა სანდრო თორნიკე ლუკა კოტე გოგი ბაჩანა ვიქტორ|Виктор ანზორ
გურგენ ზაზა ნაპოლეონ ოლეგ|Олег ივანე|Иван;Vano ბორის|Борис რომან|Роман
"""

KA_FEMALE = """
ნინო თამარ|Тамара;Tamuna,Tako ქეთევან;Keto,Keti ეკატერინე|Екатерина;Eka,Eto მანანა ნანა
ლია|Лия ნათელა;Nato ეთერ|Этери ლამარა ლეილა ციცინო ციალა ლალი მაია|Майя მარინა
ნაზი ნონა ნუნუ ქეთინო რუსუდან;Rusiko მზია მედეა|Медея ჟუჟუნა ელისო ელენე|Елена;Eliko
გულნარა დარეჯან;Daro ვენერა თინათინ;Tina თეა თეონა ირმა ინგა ლიანა მაკა მარიამ|Мариам;Mari
მარო ნატო ნესტან სოფიო ქრისტინე შორენა ციური ხათუნა ხატია ჯულიეტა|Джульетта ნელი ნორა
ლუიზა ვარდო დალი ეკა მაგული ლუბა|Люба ზინა|Зина ოლღა|Ольга ლამზირა ნანული ცისანა
ვერიკო|Верико ნუგეშა ფატი სვეტლანა|Светлана;Sveta
"""

KA_SURNAMES = """
ბერიძე კაპანაძე გელაშვილი მაისურაძე გიორგაძე ლომიძე ბოლქვაძე ხარაიშვილი ნოზაძე ჯაფარიძე
წერეთელი ჩხეიძე კვარაცხელია ბაქრაძე ღლონტი ტაბატაძე ჩიქოვანი ჭავჭავაძე დოლიძე
გოგიჩაიშვილი მამულაშვილი ნადირაძე თოდუა ღვინიაშვილი მელაძე ლორთქიფანიძე მიქელაძე
ხუციშვილი კობახიძე ციხელაშვილი ბურჯანაძე გოგოლაძე ქავთარაძე კვინიკაძე შენგელია ხოშტარია
გაბუნია ჯანელიძე ასათიანი სვანიძე ცინცაძე აბულაძე ბაბუნაშვილი გოგია ქარუმიძე
ნიკოლაიშვილი ბექაური ბიწაძე ჯავახიშვილი ჩხაიძე ტყეშელაშვილი კიკნაძე სულაბერიძე ლობჟანიძე
მესხი ღუდუშაური ქიქავა ჯიქია ჭანტურია კაკაბაძე ბერიაშვილი დვალიშვილი ცქიტიშვილი
მჭედლიშვილი ხუბუტია ცომაია ზოიძე ნაცვლიშვილი ჩოხელი ოდიშარია კაჭარავა ფირცხალავა
კუპრაშვილი სიხარულიძე ლაბაძე ღონღაძე ზედგინიძე ჭელიძე ქადაგიძე ფხაკაძე ხმალაძე ბაკურაძე
ჯიბლაძე მაჭავარიანი ჩიხლაძე კვირიკაშვილი აბაშიძე ინასარიძე ვაჩნაძე მოდებაძე ყიფიანი
რაზმაძე ქურდაძე ნარიმანიძე ბაღათურია გვენეტაძე ელიზბარაშვილი თევზაძე იმნაძე კალანდაძე
ლეჟავა მახარაძე ნაჭყებია ოქროპირიძე ფანცულაია ქობალია შავიშვილი ჩაჩავა ცერცვაძე ძნელაძე
წიკლაური ჭუმბურიძე ხაჩიძე ჯოხაძე ბუაჩიძე გაჩეჩილაძე დარჩია ვაშაკიძე ზარანდია თავდიშვილი
"""

RU_MALE = """
Иван Василий Фёдор Пётр|Петрович|Петровна Михаил|Михайлович|Михайловна Николай Алексей Сергей
Андрей Григорий Семён Тимофей Прохор Лукьян Никита|Никитич|Никитична Илья|Ильич|Ильинична
Яков|Яковлевич|Яковлевна Павел|Павлович|Павловна Степан Егор Матвей Кузьма|Кузьмич|Кузьминична
Максим Тихон Филипп Ефим Захар Афанасий Гавриил|Гаврилович|Гавриловна Назар Савелий Емельян
Игнат Роман Виктор Владимир Анатолий Юрий Геннадий Валерий Александр Дмитрий|Дмитриевич|Дмитриевна
Борис Леонид Константин Евгений Олег Игорь Вячеслав Аркадий Трофим Архип Фома|Фомич|Фоминична
Кирилл Антон Ларион Елисей Денис Герасим Макар Лев|Львович|Львовна Иосиф Ананий Кондрат
Моисей Давид Тарас Онисим Евдоким Пимен Демьян Лазарь
"""

RU_FEMALE = """
Мария Анна Евдокия Татьяна Прасковья Агафья Пелагея Матрёна Анастасия Ольга Екатерина Елена
Наталья Надежда Вера Любовь Валентина Галина Нина Людмила Зинаида Антонина Клавдия Раиса
Лидия Тамара Светлана Ирина Марфа Ксения Варвара Ефросинья Акулина Дарья Александра Софья
Полина Фёкла Аксинья Лукерья Евгения Мавра Ульяна Анисья Серафима Василиса Таисия
"""

RU_DIMINUTIVES = {
    "Иван": "Vanya", "Василий": "Vasya", "Фёдор": "Fedya", "Пётр": "Petya", "Михаил": "Misha",
    "Николай": "Kolya", "Алексей": "Alyosha", "Сергей": "Seryozha", "Александр": "Sasha",
    "Дмитрий": "Dima", "Владимир": "Volodya", "Григорий": "Grisha", "Семён": "Syoma",
    "Яков": "Yasha", "Павел": "Pasha", "Евгений": "Zhenya", "Анатолий": "Tolya", "Юрий": "Yura",
    "Мария": "Masha", "Анна": "Anya", "Татьяна": "Tanya", "Екатерина": "Katya", "Елена": "Lena",
    "Наталья": "Natasha", "Надежда": "Nadya", "Любовь": "Lyuba", "Валентина": "Valya",
    "Галина": "Galya", "Людмила": "Lyuda", "Зинаида": "Zina", "Ольга": "Olya", "Ирина": "Ira",
    "Евдокия": "Dusya", "Прасковья": "Pasha", "Александра": "Shura", "Софья": "Sonya",
}

RU_SURNAMES = """
Иванов Кузнецов Попов Соколов Лебедев Козлов Новиков Морозов Петров Волков Соловьёв Васильев
Зайцев Павлов Семёнов Голубев Виноградов Богданов Воробьёв Фёдоров Михайлов Беляев Тарасов
Белов Комаров Орлов Киселёв Макаров Андреев Ковалёв Ильин Гусев Титов Кузьмин Кудрявцев
Баранов Куликов Алексеев Степанов Яковлев Сорокин Сергеев Романов Захаров Борисов Королёв
Герасимов Пономарёв Григорьев Лазарев Медведев Ершов Никитин Соболев Рябов Поляков Цветков
Данилов Жуков Фролов Журавлёв Николаев Крылов Максимов Сидоров Осипов Белоусов Федотов
Дорофеев Егоров Матвеев Бобров Дмитриев Калинин Анисимов Петухов Антонов Тимофеев Никифоров
Веселов Филиппов Марков Большаков Суханов Миронов Ширяев Александров Коновалов Шестаков
Казаков Ефимов Денисов Громов Фомин Давыдов Мельников Щербаков Блинов Колесников Карпов
Афанасьев Власов Маслов Исаков Тихонов Аксёнов Гаврилов Родионов Котов Горбунов Кудряшов
Быков Зуев Третьяков Савельев Панов Рыбаков Суворов Абрамов Воронов Мухин Архипов Трофимов
Мартынов Емельянов Горшков Чернов Овчинников Селезнёв Панфилов Копылов Михеев Галкин Назаров
Лобанов Лукин Потапов Некрасов Хохлов Жданов Наумов Шилов Воронцов Ермаков Дроздов Игнатьев
Савин Логинов Сафонов Капустин Кириллов Моисеев Елисеев Кошелев Костин Орехов Ефремов
Евдокимов Калашников Кабанов Носков Юдин Кулагин Лапин Прохоров Нестеров Харитонов Агафонов
Муравьёв Ларионов Федосеев Зимин Пахомов Шубин Филатов Крюков Рогов Кулаков Терентьев
Молчанов Гурьев Зиновьев Гришин Кононов Дементьев Ситников Симонов Фадеев Мамонтов Носов
Гуляев Шаров Устинов Вишняков Евсеев Брагин Корнилов Авдеев Зыков Бирюков Никонов Щукин
Одинцов Сазонов Гордеев Самойлов Князев Уваров Бобылёв Доронин Самсонов Лихачёв Сысоев
Субботин Фокин Блохин Кондратьев Силин Лыткин Пестов Конюхов Рудаков Калмыков Тюрин
"""

HY_MALE = """
Hakob|Акоп Ashot|Ашот Armen|Армен Aram|Арам Artur|Артур Arsen|Арсен Artak|Артак Gagik|Гагик
Garnik|Гарник Grigor|Григор Hovhannes|Ованес Hrant|Грант Karen|Карен Levon|Левон Manvel|Манвел
Mher|Мгер Mkrtich|Мкртич Movses|Мовсес Norayr|Норайр Robert|Роберт Ruben|Рубен Samvel|Самвел
Sargis|Саркис Sergey|Сергей Suren|Сурен Tigran|Тигран Vahan|Ваган Vardan|Вардан Vazgen|Вазген
Zaven|Завен Hamlet|Гамлет Rafik|Рафик Razmik|Размик Edik|Эдик Khachatur|Хачатур
Harutyun|Арутюн Petros|Петрос Gevorg|Геворк Stepan|Степан Kamo|Камо Hayk|Айк Smbat|Смбат
Albert|Альберт Misak|Мисак Andranik|Андраник Arshak|Аршак Benik|Беник Gurgen|Гурген
Hmayak|Амаяк Mushegh|Мушег Nerses|Нерсес Rubik|Рубик Serob|Сероб Vachagan|Вачаган
"""

HY_FEMALE = """
Anahit|Анаит Armine|Армине Astghik|Астхик Gayane|Гаяне Hasmik|Асмик Karine|Карине
Lusine|Лусине Marine|Марине Narine|Нарине Nune|Нуне Ruzanna|Рузанна Siranush|Сирануш
Susanna|Сусанна Shushanik|Шушаник Tatevik|Татевик Zaruhi|Заруи Anush|Ануш Arpine|Арпине
Gohar|Гоар Hripsime|Рипсиме Knarik|Кнарик Lilit|Лилит Mariam|Мариам Nvard|Нвард
Satenik|Сатеник Sirun|Сирун Varsenik|Варсеник Roza|Роза Alla|Алла Flora|Флора Emma|Эмма
Sona|Сона Arusyak|Арусяк Margarit|Маргарит Heghine|Эгине Silva|Сильва Greta|Грета
Hayastan|Айастан Ashkhen|Ашхен Vardanush|Вардануш
"""

HY_SURNAMES = """
Petrosyan|Петросян Hakobyan|Акопян Grigoryan|Григорян Harutyunyan|Арутюнян Sargsyan|Саркисян
Hovhannisyan|Оганесян Khachatryan|Хачатрян Vardanyan|Варданян Karapetyan|Карапетян
Gevorgyan|Геворкян Avetisyan|Аветисян Mkrtchyan|Мкртчян Poghosyan|Погосян
Hambardzumyan|Амбарцумян Mnatsakanyan|Мнацаканян Stepanyan|Степанян Simonyan|Симонян
Manukyan|Манукян Martirosyan|Мартиросян Ghazaryan|Казарян Baghdasaryan|Багдасарян
Melkonyan|Мелконян Galstyan|Галстян Avagyan|Авакян Danielyan|Даниелян Arakelyan|Аракелян
Aslanyan|Асланян Zakaryan|Закарян Tadevosyan|Тадевосян Minasyan|Минасян Babayan|Бабаян
Abrahamyan|Абрамян Movsisyan|Мовсесян Asatryan|Асатрян Ter-Petrosyan|Тер-Петросян
Yeghiazaryan|Егиазарян Ohanyan|Оганян Mirzoyan|Мирзоян Nazaryan|Назарян Safaryan|Сафарян
Israelyan|Исраелян Davtyan|Давтян Kocharyan|Кочарян Sahakyan|Саакян Tovmasyan|Товмасян
Aghajanyan|Агаджанян Shahinyan|Шагинян Gasparyan|Гаспарян Ayvazyan|Айвазян Beglaryan|Бегларян
"""

# ----------------------------------------------------------------------------------------------
# set-a: script conversions
# ----------------------------------------------------------------------------------------------

KA2RU = {
    "ა": "а", "ბ": "б", "გ": "г", "დ": "д", "ე": "е", "ვ": "в", "ზ": "з", "თ": "т", "ი": "и",
    "კ": "к", "ლ": "л", "მ": "м", "ნ": "н", "ო": "о", "პ": "п", "ჟ": "ж", "რ": "р", "ს": "с",
    "ტ": "т", "უ": "у", "ფ": "п", "ქ": "к", "ღ": "г", "ყ": "к", "შ": "ш", "ჩ": "ч", "ც": "ц",
    "ძ": "дз", "წ": "ц", "ჭ": "ч", "ხ": "х", "ჯ": "дж", "ჰ": "х",
}
KA2LAT = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t", "ი": "i",
    "კ": "k", "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p", "ჟ": "zh", "რ": "r", "ს": "s",
    "ტ": "t", "უ": "u", "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q", "შ": "sh", "ჩ": "ch", "ც": "ts",
    "ძ": "dz", "წ": "ts", "ჭ": "ch", "ხ": "kh", "ჯ": "j", "ჰ": "h",
}
KA_VOWELS = "აეიოუ"


def ka_to_ru(s, ia_to_ya=True):
    out = []
    for i, ch in enumerate(s):
        r = KA2RU.get(ch, ch)
        if ch == "ე" and (i == 0 or s[i - 1] in KA_VOWELS):
            r = "э"
        out.append(r)
    res = "".join(out)
    if ia_to_ya and res.endswith("иа"):
        res = res[:-2] + "ия"
    return cap_first(res)


def ka_to_lat(s):
    return cap_first("".join(KA2LAT.get(ch, ch) for ch in s))


RU2KA = {
    "а": "ა", "б": "ბ", "в": "ვ", "г": "გ", "д": "დ", "е": "ე", "ё": "იო", "ж": "ჟ", "з": "ზ",
    "и": "ი", "й": "ი", "к": "კ", "л": "ლ", "м": "მ", "н": "ნ", "о": "ო", "п": "პ", "р": "რ",
    "с": "ს", "т": "ტ", "у": "უ", "ф": "ფ", "х": "ხ", "ц": "ც", "ч": "ჩ", "ш": "შ", "щ": "შჩ",
    "ъ": "", "ы": "ი", "ь": "", "э": "ე", "ю": "იუ", "я": "ია", "-": "-",
}
AZ2KA = {
    "a": "ა", "b": "ბ", "c": "ჯ", "ç": "ჩ", "d": "დ", "e": "ე", "ə": "ა", "f": "ფ", "g": "გ",
    "ğ": "ღ", "h": "ჰ", "x": "ხ", "ı": "ი", "i": "ი", "j": "ჟ", "k": "კ", "q": "ყ", "l": "ლ",
    "m": "მ", "n": "ნ", "o": "ო", "ö": "ო", "p": "პ", "r": "რ", "s": "ს", "ş": "შ", "t": "ტ",
    "u": "უ", "ü": "უ", "v": "ვ", "y": "ი", "z": "ზ",
}
AZ_LOWER = {"İ": "i", "I": "ı", "Ə": "ə", "Ç": "ç", "Ş": "ş", "Ğ": "ğ", "Ö": "ö", "Ü": "ü"}
LAT_LOWER_AZ = {"A": "a"}  # placeholder: other capitals fall back to str.lower()


def az_lower(s):
    return "".join(AZ_LOWER.get(ch, ch.lower()) for ch in s)


def ru_to_ka(s, surname=False, add_i=None):
    low = s.lower().replace("дж", "\u10ef").replace("дз", "\u10eb")
    out = "".join(RU2KA.get(ch, ch) for ch in low)
    if surname and out and out[-1] not in KA_VOWELS and out[-1] != "-":
        out += "ი"
    elif add_i and out and out[-1] not in KA_VOWELS:
        out += "ი"
    return out


def az_to_ka(s, surname=False, add_i=None):
    low = az_lower(s)
    out = "".join(AZ2KA.get(ch, ch) for ch in low)
    if surname and out and out[-1] not in KA_VOWELS:
        out += "ი"
    elif add_i and out and out[-1] not in KA_VOWELS:
        out += "ი"
    return out


# Azerbaijani Latin in the forms different writers use
AZ_PLAIN = {"ə": "e", "Ə": "E", "ğ": "g", "Ğ": "G", "ş": "s", "Ş": "S", "ç": "c", "Ç": "C",
            "ı": "i", "I": "I", "İ": "I", "ö": "o", "Ö": "O", "ü": "u", "Ü": "U"}
AZ_1991 = {"ə": "ä", "Ə": "Ä"}
AZ_EN = {"ə": "a", "Ə": "A", "ğ": "gh", "Ğ": "Gh", "ş": "sh", "Ş": "Sh", "ç": "ch", "Ç": "Ch",
         "ı": "i", "İ": "I", "ö": "o", "Ö": "O", "ü": "u", "Ü": "U", "x": "kh", "X": "Kh",
         "c": "j", "C": "J", "q": "g", "Q": "G", "j": "zh", "J": "Zh"}
AZ_EN_Q = dict(AZ_EN, q="q", Q="Q")
AZ_TR = {"ə": "e", "Ə": "E", "x": "h", "X": "H", "q": "k", "Q": "K"}
AZ_SH = {"ə": "e", "Ə": "E", "ğ": "gh", "Ğ": "Gh", "ş": "sh", "Ş": "Sh", "ç": "ch", "Ç": "Ch",
         "ı": "i", "İ": "I", "ö": "o", "Ö": "O", "ü": "u", "Ü": "U"}


def az_style(s, table):
    return "".join(table.get(ch, ch) for ch in s)


# Russian Cyrillic to Latin: English (BGN-like), passport (ICAO), German, French, Polish
RU_VOW = "аеёиоуыэюя"
_BGN = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
        "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
        "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
        "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya"}
_ICAO = dict(_BGN, **{"й": "i", "ю": "iu", "я": "ia", "ё": "e", "ъ": "ie"})
_DE = {"а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "sch",
       "з": "s", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
       "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z", "ч": "tsch",
       "ш": "sch", "щ": "schtsch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja"}
_FR = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "io", "ж": "j",
       "з": "z", "и": "i", "й": "ï", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
       "р": "r", "с": "s", "т": "t", "у": "ou", "ф": "f", "х": "kh", "ц": "ts", "ч": "tch",
       "ш": "ch", "щ": "chtch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iou", "я": "ia"}
_PL = {"а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "ж": "ż", "з": "z", "й": "j",
       "к": "k", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
       "ф": "f", "х": "ch", "ц": "c", "ч": "cz", "ш": "sz", "щ": "szcz", "ъ": "", "ы": "y",
       "э": "e"}
_PL_SOFT = {"н": "ń", "с": "ś", "з": "ź", "т": "ć", "д": "dź", "ц": "ć"}


def _ru_word(w, system):
    w = w.lower()
    out = []
    n = len(w)
    for i, ch in enumerate(w):
        prev = w[i - 1] if i > 0 else ""
        nxt = w[i + 1] if i + 1 < n else "#"
        after_vowel = i == 0 or prev in RU_VOW or prev in "ьъ"
        if system in ("bgn", "icao"):
            table = _BGN if system == "bgn" else _ICAO
            if ch == "е" and after_vowel and system == "bgn":
                out.append("ye")
            elif ch == "и" and prev == "ь" and system == "bgn":
                out.append("yi")
            elif ch == "й" and prev == "и" and i == n - 1 and system == "bgn":
                out.append("y")
            else:
                out.append(table.get(ch, ch))
        elif system == "de":
            if ch == "е" and after_vowel:
                out.append("je")
            elif ch == "с" and prev and prev in RU_VOW and nxt in RU_VOW:
                out.append("ss")
            elif ch == "й" and prev == "и" and i == n - 1:
                out.append("")
            elif ch == "к" and nxt == "с":
                out.append("x")
            elif ch == "с" and prev == "к":
                out.append("")
            else:
                out.append(_DE.get(ch, ch))
        elif system == "fr":
            if ch == "г" and nxt in "еиэюяё":
                out.append("gu")
            elif ch == "с" and prev and prev in RU_VOW and nxt in RU_VOW:
                out.append("ss")
            elif ch == "е" and i == 0:
                out.append("e")
            elif ch == "и" and prev and prev in RU_VOW:
                out.append("ï")
            elif ch == "й" and (i == n - 1 and prev == "и"):
                out.append("")
            elif ch == "й" and prev in RU_VOW:
                out.append("ï")
            elif ch == "у" and prev in "ао":
                out.append("ou")
            else:
                out.append(_FR.get(ch, ch))
        else:  # Polish
            if ch == "е":
                if after_vowel:
                    out.append("je")
                elif prev and prev in "жшчщцл":
                    out.append("e")
                else:
                    out.append("ie")
            elif ch == "ё":
                out.append("jo" if after_vowel else ("o" if prev and prev in "жшчщл" else "io"))
            elif ch == "ю":
                out.append("ju" if after_vowel else ("u" if prev == "л" else "iu"))
            elif ch == "я":
                out.append("ja" if after_vowel else ("a" if prev == "л" else "ia"))
            elif ch == "и":
                out.append("y" if prev and prev in "жшц" else "i")
            elif ch == "л":
                out.append("l" if nxt in "еёиьюя" else "ł")
            elif ch == "ь":
                out.append("")
            elif ch in _PL_SOFT and nxt == "ь":
                out.append(_PL_SOFT[ch])
            else:
                out.append(_PL.get(ch, ch))
    res = "".join(out)
    if system == "fr" and res.endswith("ov") and False:
        res = res + "f"
    return res


def ru_lat(s, system):
    parts = []
    for w in s.split(" "):
        parts.append("-".join(cap_first(_ru_word(p, system)) for p in w.split("-")))
    return " ".join(parts)


def ru_feminine(s):
    if s.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return s + "а"
    if s.endswith("ский"):
        return s[:-2] + "ая"
    if s.endswith("ой") or s.endswith("ый"):
        return s[:-2] + "ая"
    return s


def az_feminine(s):
    if s.endswith(("ov", "ev", "yev")):
        return s + "a"
    return s


def ru_patronymic(given, sex, eth):
    """Russian patronymic from the father's name in its Russian form."""
    g = given
    if eth == "az" and g.endswith(("а", "я")):
        stem = g + "ев"
    elif g.endswith("ий"):
        stem = g[:-2] + ("иев" if g in ("Дмитрий", "Георгий", "Акакий", "Ираклий") else "ьев")
    elif g.endswith(("ей", "ай", "уй", "ой")):
        stem = g[:-1] + "ев"
    elif g.endswith("ь"):
        stem = g[:-1] + "ев"
    elif g.endswith(("и", "е", "у", "ю")):
        stem = g + "ев"
    elif g.endswith(("а", "я", "о")):
        stem = g[:-1] + "ов"
    else:
        stem = g + "ов"
    return stem + ("ич" if sex == "M" else "на")


# ----------------------------------------------------------------------------------------------
# set-a: pools as objects
# ----------------------------------------------------------------------------------------------


def build_pools_a(rng):
    P = {"given": {}, "sur": {}}
    ru_patr = {}

    def given_az(text, sex):
        out = []
        for tok in words(text):
            az, ru = tok.split("|")
            ka_ru = ru_to_ka(ru, add_i=False)
            ka_az = az_to_ka(az, add_i=False)
            out.append({"eth": "az", "sex": sex, "az": az, "ru": ru, "ru_std": ru,
                        "ka": ka_ru if chance(rng, 0.55) else ka_az, "ka_alt": [ka_ru, ka_az],
                        "lat": az_style(az, AZ_EN), "dim": []})
        return out

    def given_ka(text, sex):
        out = []
        for tok in words(text):
            left, _, dims = tok.partition(";")
            ka, _, ru_std = left.partition("|")
            ru = ka_to_ru(ka, ia_to_ya=chance(rng, 0.6))
            out.append({"eth": "ka", "sex": sex, "ka": ka, "ka_alt": [ka], "ru": ru,
                        "ru_std": ru_std or ru, "lat": ka_to_lat(ka),
                        "dim": [d for d in dims.split(",") if d]})
        return out

    def given_ru(text, sex):
        out = []
        for tok in words(text):
            parts = tok.split("|")
            ru = parts[0]
            if len(parts) == 3:
                ru_patr[ru] = (parts[1], parts[2])
            out.append({"eth": "ru", "sex": sex, "ru": ru, "ru_std": ru,
                        "ka": ru_to_ka(ru), "ka_alt": [ru_to_ka(ru)], "lat": ru_lat(ru, "bgn"),
                        "dim": [RU_DIMINUTIVES[ru]] if ru in RU_DIMINUTIVES else []})
        return out

    def given_hy(text, sex):
        out = []
        for tok in words(text):
            lat, ru = tok.split("|")
            out.append({"eth": "hy", "sex": sex, "lat": lat, "ru": ru, "ru_std": ru,
                        "ka": ru_to_ka(ru), "ka_alt": [ru_to_ka(ru)], "dim": []})
        return out

    P["given"]["az"] = {"M": given_az(AZ_MALE, "M"), "F": given_az(AZ_FEMALE, "F")}
    P["given"]["ka"] = {"M": given_ka(KA_MALE, "M"), "F": given_ka(KA_FEMALE, "F")}
    P["given"]["ru"] = {"M": given_ru(RU_MALE, "M"), "F": given_ru(RU_FEMALE, "F")}
    P["given"]["hy"] = {"M": given_hy(HY_MALE, "M"), "F": given_hy(HY_FEMALE, "F")}

    surs = {"az": [], "ka": [], "ru": [], "hy": []}
    for tok in words(AZ_SURNAMES):
        az, ru = tok.split("|")
        from_ru = chance(rng, 0.6)
        m_ka = ru_to_ka(ru, surname=True) if from_ru else az_to_ka(az, surname=True)
        f_ka = ru_to_ka(ru_feminine(ru)) if from_ru else az_to_ka(az_feminine(az))
        if f_ka == m_ka[:-1] and not ru_feminine(ru) != ru:
            f_ka = m_ka
        if ru_feminine(ru) == ru:
            f_ka = m_ka
        surs["az"].append({"eth": "az",
                           "M": {"az": az, "ru": ru, "ka": m_ka, "lat": az_style(az, AZ_EN)},
                           "F": {"az": az_feminine(az), "ru": ru_feminine(ru), "ka": f_ka,
                                 "lat": az_style(az_feminine(az), AZ_EN)}})
    for ka in words(KA_SURNAMES):
        ru = ka_to_ru(ka, ia_to_ya=chance(rng, 0.7))
        forms = {"ka": ka, "ru": ru, "lat": ka_to_lat(ka)}
        surs["ka"].append({"eth": "ka", "M": forms, "F": dict(forms)})
    for ru in words(RU_SURNAMES):
        f = ru_feminine(ru)
        surs["ru"].append({"eth": "ru",
                           "M": {"ru": ru, "ka": ru_to_ka(ru, surname=True), "lat": ru_lat(ru, "bgn")},
                           "F": {"ru": f, "ka": ru_to_ka(f, surname=True), "lat": ru_lat(f, "bgn")}})
    for tok in words(HY_SURNAMES):
        lat, ru = tok.split("|")
        forms = {"lat": lat, "ru": ru, "ka": ru_to_ka(ru, surname=True)}
        surs["hy"].append({"eth": "hy", "M": forms, "F": dict(forms)})
    P["sur"] = surs
    P["ru_patr"] = ru_patr
    return P


VILLAGES_A = [
    {"code": "QB", "az": "Qızılbulaq", "ru": "Кызылбулаг", "ka": "ყიზილბულაღი", "mix": [("az", 1.0)],
     "hh": 450, "hit": 0.55, "day": 15},
    {"code": "AT", "az": "Ağtəpə", "ru": "Агтепе", "ka": "აღთეფე", "mix": [("az", 1.0)],
     "hh": 390, "hit": 0.40, "day": 15},
    {"code": "TK", "az": "Təzəkənd", "ru": "Тазакенд", "ka": "თაზაქენდი", "mix": [("az", 1.0)],
     "hh": 400, "hit": 0.33, "day": 16},
    {"code": "GC", "az": "Göyçəli", "ru": "Гейчали", "ka": "გოიჩალი", "mix": [("az", 1.0)],
     "hh": 350, "hit": 0.30, "day": 16},
    {"code": "ST", "az": "Sarıtala", "ru": "Сарытала", "ka": "სარითალა",
     "mix": [("az", 0.45), ("ka", 0.20), ("hy", 0.20), ("ru", 0.15)], "hh": 1250, "hit": 0.14, "day": 14},
    {"code": "TX", "az": "Sitelixevi", "ru": "Цителихеви", "ka": "წითელხევი", "mix": [("ka", 0.9), ("az", 0.1)],
     "hh": 400, "hit": 0.30, "day": 17},
    {"code": "MD", "az": "Mtisdziri", "ru": "Мтисдзири", "ka": "მთისძირი", "mix": [("ka", 1.0)],
     "hh": 310, "hit": 0.30, "day": 17},
    {"code": "IV", "az": "İvanovka", "ru": "Ивановка", "ka": "ივანოვკა", "mix": [("ru", 0.85), ("hy", 0.15)],
     "hh": 350, "hit": 0.35, "day": 14},
]
for _v in VILLAGES_A:
    _v["lat"] = ka_to_lat(_v["ka"]) if _v["code"] in ("TX", "MD") else (
        az_style(_v["az"], AZ_EN) if _v["code"] != "IV" else "Ivanovka")

OCCUPATIONS_A = [("teacher", 30), ("doctor", 8), ("nurse", 8), ("head of the village council", 4),
                 ("school director", 4), ("agronomist", 5), ("kolkhoz chairman", 3), ("policeman", 6),
                 ("driver", 10), ("imam", 2), ("poet", 2), ("journalist", 2), ("accountant", 5),
                 ("veterinarian", 3), ("militia volunteer", 8)]
KIDS_MEAN = {"az": 3.3, "ka": 2.2, "ru": 3.0, "hy": 2.3}


class PopA:
    def __init__(self, rng, pools):
        self.rng = rng
        self.P = pools
        self.gw = {}
        for eth, bysex in pools["given"].items():
            for sex, lst in bysex.items():
                self.gw[(eth, sex)] = zipf_weights(len(lst), 0.85, 0.01)
        self.village_sur = {}
        for v in VILLAGES_A:
            for eth, _ in v["mix"]:
                pool = pools["sur"][eth]
                gweights = zipf_weights(len(pool), 0.7, 0.02)
                k = min(len(pool), {"az": 55, "ka": 45, "ru": 40, "hy": 30}[eth])
                chosen = []
                idx = list(range(len(pool)))
                w = list(gweights)
                for _ in range(k):
                    j = rng.choices(range(len(idx)), weights=w, k=1)[0]
                    chosen.append(pool[idx.pop(j)])
                    w.pop(j)
                self.village_sur[(v["code"], eth)] = (chosen, zipf_weights(len(chosen), 0.9, 0.03))

    def given(self, eth, sex):
        lst = self.P["given"][eth][sex]
        return wchoice(self.rng, lst, self.gw[(eth, sex)])

    def surname(self, eth, v, local=0.85):
        if chance(self.rng, local):
            lst, w = self.village_sur[(v["code"], eth)]
            return wchoice(self.rng, lst, w)
        pool = self.P["sur"][eth]
        return wchoice(self.rng, pool, zipf_weights(len(pool), 0.7, 0.02))


def build_population_a(rng, pools):
    pop = PopA(rng, pools)
    persons = []
    households = []
    pid_counter = [0]

    def person(eth, sex, age, given, father, fam, role, v, hh, maiden=None):
        age = max(0, min(97, age))
        by = 1992 - age - (0 if chance(rng, 0.2) else 1)
        return {"eth": eth, "sex": sex, "age": age, "by": by, "given": given, "father": father,
                "fam": fam, "maiden": maiden, "role": role, "v": v, "hh": hh}

    for v in VILLAGES_A:
        for n in range(1, v["hh"] + 1):
            eth = pick(rng, v["mix"])
            hh = f"{v['code']}-{n:04d}"
            S = pop.surname(eth, v)
            mem = []
            t = rng.random()
            if t < 0.84:
                h_age = int(rng.triangular(21, 82, 36))
                w_age = max(18, h_age - max(0, int(round(rng.gauss(4, 3)))))
                head = person(eth, "M", h_age, pop.given(eth, "M"), pop.given(eth, "M"), S, "head", v, hh)
                maiden = S if (eth == "az" and chance(rng, 0.12)) else pop.surname(eth, v, 0.7)
                wife = person(eth, "F", w_age, pop.given(eth, "F"), pop.given(eth, "M"), S, "wife", v, hh, maiden)
                wife["husband"] = head["given"]
                mem += [head, wife]
                nk = min(9, int(rng.expovariate(1 / KIDS_MEAN[eth]) + 0.5))
                ages = set()
                for _ in range(nk):
                    a = w_age - rng.randint(19, 42)
                    if a < 0 or a in ages:
                        continue
                    sex = "M" if chance(rng, 0.51) else "F"
                    if (sex == "F" and a > 23) or a > 32:
                        continue
                    ages.add(a)
                    mem.append(person(eth, sex, a, pop.given(eth, sex), head["given"], S,
                                      "son" if sex == "M" else "daughter", v, hh))
                sons = [m for m in mem if m["role"] == "son" and m["age"] >= 21]
                if sons and eth in ("az", "ru") and chance(rng, 0.55):
                    son = max(sons, key=lambda m: m["age"])
                    dil_age = max(18, son["age"] - rng.randint(1, 6))
                    mem.append(person(eth, "F", dil_age, pop.given(eth, "F"), pop.given(eth, "M"), S, "other",
                                      v, hh, pop.surname(eth, v, 0.7)))
                    for _ in range(rng.randint(0, 3)):
                        a = dil_age - rng.randint(19, 30)
                        if a < 0:
                            continue
                        sex = "M" if chance(rng, 0.51) else "F"
                        mem.append(person(eth, sex, a, pop.given(eth, sex), son["given"], S, "other", v, hh))
                if h_age < 55 and chance(rng, 0.3):
                    m_age = h_age + rng.randint(20, 34)
                    mem.append(person(eth, "F", m_age, pop.given(eth, "F"), pop.given(eth, "M"), S, "mother",
                                      v, hh, pop.surname(eth, v, 0.7)))
                    if chance(rng, 0.3):
                        mem.append(person(eth, "M", m_age + rng.randint(1, 8), head["father"], pop.given(eth, "M"),
                                          S, "father", v, hh))
                if chance(rng, 0.06):
                    sex = "M" if chance(rng, 0.4) else "F"
                    mem.append(person(eth, sex, h_age + rng.randint(-9, 9), pop.given(eth, sex), head["father"],
                                      S, "brother" if sex == "M" else "sister", v, hh))
            elif t < 0.95:
                w_age = int(rng.triangular(34, 85, 60))
                late = pop.given(eth, "M")
                head = person(eth, "F", w_age, pop.given(eth, "F"), pop.given(eth, "M"), S, "head", v, hh,
                              pop.surname(eth, v, 0.7))
                mem.append(head)
                for _ in range(rng.randint(0, 4)):
                    a = w_age - rng.randint(20, 42)
                    if a < 0 or a > 35:
                        continue
                    sex = "M" if chance(rng, 0.5) else "F"
                    mem.append(person(eth, sex, a, pop.given(eth, sex), late, S,
                                      "son" if sex == "M" else "daughter", v, hh))
            else:
                sex = "M" if chance(rng, 0.4) else "F"
                age = rng.randint(58, 92)
                mem.append(person(eth, sex, age, pop.given(eth, sex), pop.given(eth, "M"), S, "head", v, hh,
                                  pop.surname(eth, v, 0.7) if sex == "F" else None))
            households.append((v, hh, mem))

    # who was killed or disappeared
    for v, hh, mem in households:
        victims = []
        if chance(rng, v["hit"]):
            for m in mem:
                p = 0.72 if (m["sex"] == "M" and 15 <= m["age"] <= 65) else 0.6
                if chance(rng, p):
                    victims.append(m)
            if not victims:
                victims.append(rng.choice(mem))
        elif chance(rng, 0.035):
            men = [m for m in mem if m["sex"] == "M" and 16 <= m["age"] <= 60]
            if men:
                victims.append(rng.choice(men))
        wiped = len(victims) == len(mem)
        for m in victims:
            m["wiped"] = wiped
            m["hh_losses"] = len(victims)
            m["hh_size"] = len(mem)
            persons.append(m)

    rng.shuffle(persons)
    persons.sort(key=lambda m: (VILLAGES_A.index(m["v"]), m["hh"]))
    late_days = date_range_days((1992, 3, 18), (1992, 6, 30))
    for m in persons:
        pid_counter[0] += 1
        m["pid"] = f"A{pid_counter[0]:05d}"
        pm = 0.22 if (m["sex"] == "M" and 15 <= m["age"] <= 65) else 0.1
        m["fate"] = "missing" if chance(rng, pm) else "killed"
        r = rng.random()
        main = (1992, 3, m["v"]["day"])
        if m["fate"] == "missing" or r < 0.7:
            m["date"] = main
        elif r < 0.85:
            m["date"] = add_days(main, rng.choice([-1, 1]))
        else:
            m["date"] = rng.choice(late_days)
        m["occupation"] = ""
        if m["age"] >= 24 and chance(rng, 0.05):
            m["occupation"] = pick(rng, OCCUPATIONS_A)
        elif m["age"] >= 70 and m["sex"] == "M" and chance(rng, 0.2):
            m["occupation"] = "veteran of the Second World War"
    return persons


# ----------------------------------------------------------------------------------------------
# set-a: the lists
# ----------------------------------------------------------------------------------------------

ROLE_EN = {"head": "head", "wife": "wife", "son": "son", "daughter": "daughter", "mother": "mother",
           "father": "father", "brother": "brother", "sister": "sister", "other": "other"}


def fam_of(m, use_maiden=False):
    """The surname object and the sex whose form to use."""
    if use_maiden and m.get("maiden") is not None:
        return m["maiden"], "F"
    return m["fam"], m["sex"]


def sur_form(m, script, use_maiden=False):
    s, sex = fam_of(m, use_maiden)
    return s[sex][script]


def age_text_en(rng, age, style):
    """Witness-style guessed age."""
    if age == 0:
        return f"{rng.randint(2, 11)} months" if chance(rng, 0.6) else "1"
    sd = 1.5 if age < 12 else (4 if age < 60 else 7)
    g = max(1, int(round(age + rng.gauss(0, sd))))
    if age >= 12 and chance(rng, 0.6):
        g = max(5, round5(g))
    if style == "about":
        return f"about {g}"
    if style == "range":
        lo = g if g % 5 == 0 else g - g % 5
        return f"{lo}-{lo + 5}"
    if style == "q":
        return f"{g}?"
    if style == "plus" and age >= 55:
        return f"{round5(age) - 5 if round5(age) > age else round5(age)}+"
    return str(g)


def registry_list(rng, persons, pools):
    lb = ListBuilder("registry", "District Commission on the Killed and Missing (official register)",
                     "government",
                     ["რიგითი №", "გვარი", "სახელი", "მამის სახელი", "დაბადების წელი", "სქესი", "სოფელი",
                      "გარდაცვალების ან გაუჩინარების თარიღი", "ბედი", "household_id", "relation_to_head"])
    cov = {"QB": 0.5, "AT": 0.55, "TK": 0.55, "GC": 0.55, "ST": 0.72, "TX": 0.85, "MD": 0.85, "IV": 0.7}
    chosen = [m for m in persons
              if chance(rng, cov[m["v"]["code"]] * (0.8 if m["fate"] == "missing" else 1.0))]
    book_rows, decl_rows = [], []
    for m in chosen:
        in_book = chance(rng, 0.8)
        reps = 2 if chance(rng, 0.008) else 1
        for k in range(reps):
            row = registry_row(rng, m, in_book and k == 0)
            (book_rows if (in_book and k == 0) else decl_rows).append((row, m["pid"], k > 0))
    role_order = ["head", "wife", "father", "mother", "brother", "sister", "son", "daughter", "other"]
    book_rows.sort(key=lambda t: (t[0]["household_id"], role_order.index(t[0]["relation_to_head"])))
    rng.shuffle(decl_rows)
    decl_rows.sort(key=lambda t: VILLAGE_ORDER_KA.get(t[0]["სოფელი"], 99))
    for i, (row, pid, rep) in enumerate(book_rows + decl_rows, start=1):
        row["რიგითი №"] = str(i)
        lb.add(row, pid, rep)
    lb.mapping = (
        [("რიგითი №", "-"), ("გვარი", "family_name"), ("სახელი", "given_name"), ("მამის სახელი", "patronymic"),
         ("დაბადების წელი", "birth_year"), ("სქესი", "sex"), ("სოფელი", "place"),
         ("გარდაცვალების ან გაუჩინარების თარიღი", "date"), ("ბედი", "fate")],
        [("sex", [("მამრ.", "M"), ("მდედრ.", "F")]),
         ("fate", [("დაღუპული", "killed"), ("უგზო-უკვლოდ დაკარგული", "missing")])],
        [("date_order", "dmy")],
        "Register of the district commission, Georgian script.  household_id and relation_to_head were\n"
        "added in English when the register was digitised from the village household books.")
    lb.habits = [
        "Georgian script throughout. Names of Azerbaijani, Russian and Armenian villagers are written in Georgian "
        "letters, about 55-60% of them taken from the Russian-language Soviet passport form (Мамедов → მამედოვი, with "
        "the Georgian nominative -ი added to surnames ending in a consonant) and the rest from the Azerbaijani "
        "pronunciation (Hüseyn → ჰუსეინ); a woman's Russian-style surname keeps its -ა (მამედოვა).",
        "Coverage designed at 50-55% in the Azerbaijani villages, 72% in the town, 70% in Ivanovka, 85% in the two "
        "Georgian villages; persons whose fate is 'missing' are listed 20% less often.",
        "80% of rows come from the village household books, in household order, with `household_id` and an "
        "English `relation_to_head` (head, wife, son, daughter, mother, father, brother, sister, other; daughters-in-"
        "law and grandchildren are `other`); the remaining 20% come from relatives' declarations, appended by village, "
        "without household columns.",
        "Birth year: 6% missing, 7% off by one, 1% a wrong digit; otherwise exact. Father's name (patronymic "
        "column): 12% missing, in Georgian letters. Sex: 1% missing.",
        "Typos (Georgian letter confusions კ/ქ/ყ, ტ/თ, პ/ფ, ც/წ, ჩ/ჭ, ღ/გ, dropped/doubled/swapped letters): about 3% "
        "of given names and of surnames, 2% of fathers' names. Given name and surname swapped: 1%.",
        "Married women under their married surname; 8% under their maiden surname. For 20% of non-Georgian names the "
        "other Georgian spelling route (Russian vs Azerbaijani pronunciation) is used.",
        "Date of death or disappearance (dd.mm.yyyy) in 55% of rows. 8% of persons who were killed are recorded as "
        "missing (body not recovered when the register was made).",
        "Within-list duplicates: about 0.8% of persons appear twice (household book and a relative's declaration).",
    ]
    return lb


VILLAGE_ORDER_KA = {v["ka"]: i for i, v in enumerate(VILLAGES_A)}


def ka_given(rng, g):
    if len(g["ka_alt"]) > 1 and chance(rng, 0.2):
        return rng.choice(g["ka_alt"])
    return g["ka"]


def registry_row(rng, m, in_book):
    row = {}
    use_maiden = m.get("maiden") is not None and m["role"] != "head" and chance(rng, 0.08)
    if m["role"] == "head" and m["sex"] == "F" and m.get("maiden") is not None and chance(rng, 0.08):
        use_maiden = True
    fam = sur_form(m, "ka", use_maiden)
    if m["eth"] == "az" and m["sex"] == "F" and not use_maiden and chance(rng, 0.05):
        fam = m["fam"]["M"]["ka"]
    given = ka_given(rng, m["given"])
    father = ka_given(rng, m["father"]) if not chance(rng, 0.12) else ""
    if chance(rng, 0.03):
        given = typo(given, rng, KA_CONF)
    if chance(rng, 0.03):
        fam = typo(fam, rng, KA_CONF)
    if father and chance(rng, 0.02):
        father = typo(father, rng, KA_CONF)
    if chance(rng, 0.01):
        given, fam = fam, given
    row["გვარი"], row["სახელი"], row["მამის სახელი"] = fam, given, father
    r = rng.random()
    by = m["by"]
    if r < 0.06:
        row["დაბადების წელი"] = ""
    elif r < 0.13:
        row["დაბადების წელი"] = str(by + rng.choice([-1, 1]))
    elif r < 0.14:
        s = str(by)
        pos = rng.choice([2, 3])
        d = str((int(s[pos]) + rng.choice([1, 2, 3, 7, 8, 9])) % 10)
        cand = s[:pos] + d + s[pos + 1:]
        row["დაბადების წელი"] = cand if int(cand) <= 1992 else str(by)
    else:
        row["დაბადების წელი"] = str(by)
    row["სქესი"] = "" if chance(rng, 0.01) else ("მამრ." if m["sex"] == "M" else "მდედრ.")
    row["სოფელი"] = m["v"]["ka"]
    if chance(rng, 0.55):
        y, mo, d = m["date"]
        row["გარდაცვალების ან გაუჩინარების თარიღი"] = f"{d:02d}.{mo:02d}.{y}"
    else:
        row["გარდაცვალების ან გაუჩინარების თარიღი"] = ""
    fate = m["fate"]
    if fate == "killed" and chance(rng, 0.08):
        fate = "missing"
    row["ბედი"] = "დაღუპული" if fate == "killed" else "უგზო-უკვლოდ დაკარგული"
    if in_book:
        row["household_id"] = "HB-" + m["hh"]
        row["relation_to_head"] = ROLE_EN[m["role"]]
    else:
        row["household_id"] = ""
        row["relation_to_head"] = ""
    return row


RU_MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
             "октябрь", "ноябрь", "декабрь"]


def ru_patr_for(m, pools, style):
    f = m["father"]
    if m["eth"] == "az" and style == "oglu":
        return f["ru"] + (" оглы" if m["sex"] == "M" else " кызы")
    name = f["ru_std"] if m["eth"] == "ka" else f["ru"]
    if name in pools["ru_patr"]:
        pm, pf = pools["ru_patr"][name]
        return pm if m["sex"] == "M" else pf
    return ru_patronymic(name, m["sex"], m["eth"])


def memorial_list(rng, persons, pools):
    header = ["№ п/п", "Фамилия", "Имя", "Отчество", "Возраст", "Пол", "Населённый пункт",
              "Дата гибели (исчезновения)", "Судьба", "Примечание"]
    lb = ListBuilder("memorial", "Valley Human Rights Centre (Russian-language list)", "ngo", header,
                     encoding="cp1251", delimiter=";")
    cov = {"QB": 0.42, "AT": 0.38, "TK": 0.38, "GC": 0.38, "ST": 0.55, "TX": 0.3, "MD": 0.3, "IV": 0.58}
    age_vals, date_vals = set(), set()
    entries = []
    for m in persons:
        p = cov[m["v"]["code"]] * (0.65 if m.get("wiped") else 1.0)
        if not chance(rng, p):
            continue
        reps = 2 if chance(rng, 0.03) else 1
        for k in range(reps):
            entries.append((memorial_row(rng, m, pools, age_vals, date_vals), m["pid"], k > 0))
    # printed lists are alphabetical within each village; a few late additions at the end
    main = [e for e in entries if not chance(rng, 0.06)]
    ids = {id(e) for e in main}
    late = [e for e in entries if id(e) not in ids]
    main.sort(key=lambda e: (VILLAGE_ORDER_RU.get(e[0]["Населённый пункт"], 99), e[0]["Фамилия"], e[0]["Имя"]))
    for i, (row, pid, rep) in enumerate(main + late, start=1):
        row["№ п/п"] = str(i)
        lb.add(row, pid, rep)
    ages = []
    for a in sorted(age_vals, key=lambda s: (len(s), s)):
        if a.startswith("около "):
            ages.append((a, "about " + a.split()[1]))
        elif a.startswith("ок. "):
            ages.append((a, "about " + a.split()[1]))
        elif a.endswith(" мес."):
            ages.append((a, a.split()[0] + " months"))
    dates = [(d, f"1992-{RU_MONTHS.index(d.split()[0]) + 1:02d}") for d in sorted(date_vals)]
    lb.mapping = (
        [("№ п/п", "-"), ("Фамилия", "family_name"), ("Имя", "given_name"), ("Отчество", "patronymic"),
         ("Возраст", "age"), ("Пол", "sex"), ("Населённый пункт", "place"), ("Дата гибели (исчезновения)", "date"),
         ("Судьба", "fate"), ("Примечание", "-")],
        [("sex", [("м", "M"), ("ж", "F")]),
         ("fate", [("погиб", "killed"), ("погибла", "killed"), ("убит", "killed"), ("убита", "killed"),
                   ("пропал без вести", "missing"), ("пропала без вести", "missing"),
                   ("взят в заложники", "detained"), ("взята в заложники", "detained")]),
         ("age", ages), ("date", dates)],
        [("encoding", "cp1251"), ("delimiter", ";"), ("date_order", "dmy")],
        "Russian-language list of a human-rights centre; cp1251, semicolon-separated, as exported from its\n"
        "spreadsheet.")
    lb.habits = [
        "Cyrillic, in the forms of Soviet Russian-language documents (Мамедов, Гусейн, Гюльнара; Georgian names "
        "letter by letter, Беридзе, or half the time Russified: Давид, Георгий, Михаил). cp1251, `;`-separated.",
        "Coverage designed at 38-42% in Azerbaijani villages, 55% in the town, 58% in Ivanovka, 30% in the Georgian "
        "villages; persons whose whole household was killed are listed 35% less often (no relative to report them).",
        "Patronymic (Отчество): Azerbaijani persons 50% as 'Али оглы'/'Али кызы', 40% as 'Алиевич'/'Алиевна', 10% "
        "missing; others a Russian patronymic (Шалвович, Акопович, Петрович) or 15% missing.",
        "Age (not birth year): 25% missing, 45% exact (one in ten of these off by one), 22% rounded to 5 written "
        "'около 40' or 'ок. 40', 8% rounded to 5 without a marker; infants 'N мес.'.",
        "Date: 50% dd.mm.yyyy (5% of them a day off), 15% mm.yyyy, 10% 'март 1992', 25% missing.",
        "Married women: 80% married surname, 10% married surname with 'урожд. <maiden>' in Примечание, 10% maiden "
        "surname only.",
        "Typos (е/ё/и, ш/щ, а/о, keyboard neighbours, dropped/doubled/swapped letters): about 4% per name field. "
        "Surname and given name in swapped columns: 2%.",
        "Fate: 'погиб/убит' for killed; for missing 70% 'пропал без вести', 30% 'взят в заложники' (mapped to "
        "detained).",
        "Within-list duplicates: about 3% of persons entered twice (two relatives reported them), each entry with "
        "its own errors. Alphabetical within village, with ~6% late additions at the end.",
    ]
    return lb


VILLAGE_ORDER_RU = {v["ru"]: i for i, v in enumerate(VILLAGES_A)}


def memorial_row(rng, m, pools, age_vals, date_vals):
    row = {}
    mar = m.get("maiden") is not None
    r = rng.random()
    note = []
    use_maiden = False
    if mar:
        if r < 0.10:
            use_maiden = True
        elif r < 0.20:
            note.append("урожд. " + m["maiden"]["F"]["ru"])
    fam = sur_form(m, "ru", use_maiden)
    g = m["given"]
    given = g["ru_std"] if (m["eth"] == "ka" and chance(rng, 0.5)) else g["ru"]
    if m["eth"] == "az":
        r = rng.random()
        patr = ru_patr_for(m, pools, "oglu") if r < 0.5 else (ru_patr_for(m, pools, "ich") if r < 0.9 else "")
    else:
        patr = ru_patr_for(m, pools, "ich") if chance(rng, 0.85) else ""
    if chance(rng, 0.04):
        fam = typo(fam, rng, CYR_CONF, CYR_NEIGH)
    if chance(rng, 0.04):
        given = typo(given, rng, CYR_CONF, CYR_NEIGH)
    if patr and chance(rng, 0.04):
        patr = typo(patr, rng, CYR_CONF, CYR_NEIGH)
    if chance(rng, 0.02):
        fam, given = given, fam
    row["Фамилия"], row["Имя"], row["Отчество"] = fam, given, patr
    a = m["age"]
    r = rng.random()
    if r < 0.25:
        age = ""
    elif a == 0:
        age = f"{rng.randint(1, 11)} мес."
    elif r < 0.70:
        age = str(a + (rng.choice([-1, 1]) if chance(rng, 0.1) else 0))
    elif r < 0.92 and a >= 10:
        age = ("около " if chance(rng, 0.6) else "ок. ") + str(max(5, round5(a)))
    else:
        age = str(max(1, round5(a))) if a >= 10 else str(a)
    if age:
        age_vals.add(age)
    row["Возраст"] = age
    row["Пол"] = "м" if m["sex"] == "M" else "ж"
    row["Населённый пункт"] = m["v"]["ru"]
    y, mo, d = m["date"]
    r = rng.random()
    if r < 0.5:
        if chance(rng, 0.05):
            y, mo, d = add_days((y, mo, d), rng.choice([-1, 1]))
        row["Дата гибели (исчезновения)"] = f"{d:02d}.{mo:02d}.{y}"
    elif r < 0.65:
        row["Дата гибели (исчезновения)"] = f"{mo:02d}.{y}"
    elif r < 0.75:
        s = f"{RU_MONTHS[mo - 1]} {y}"
        date_vals.add(s)
        row["Дата гибели (исчезновения)"] = s
    else:
        row["Дата гибели (исчезновения)"] = ""
    fem = m["sex"] == "F"
    if m["fate"] == "killed":
        row["Судьба"] = ("погибла" if fem else "погиб") if chance(rng, 0.6) else ("убита" if fem else "убит")
    else:
        row["Судьба"] = (("пропала без вести" if fem else "пропал без вести") if chance(rng, 0.7)
                         else ("взята в заложники" if fem else "взят в заложники"))
    if m.get("wiped") and m["hh_losses"] > 2 and chance(rng, 0.3):
        note.append("погибла вся семья")
    if m["fate"] == "missing" and chance(rng, 0.2):
        note.append("тело не найдено")
    occ_ru = {"teacher": "учитель", "doctor": "врач", "nurse": "медсестра", "school director": "директор школы",
              "head of the village council": "председатель сельсовета", "policeman": "милиционер",
              "kolkhoz chairman": "председатель колхоза", "agronomist": "агроном", "driver": "шофёр"}
    if m["occupation"] in occ_ru and chance(rng, 0.4):
        note.append(occ_ru[m["occupation"]])
    row["Примечание"] = "; ".join(note)
    return row


OUTLETS_A = [("Reuters", "en", 20), ("Associated Press", "en", 15), ("BBC Monitoring", "en", 10),
             ("Turan news agency (English service)", "az_en", 8), ("Interfax (English)", "en", 8),
             ("AFP", "fr", 12), ("Le Monde", "fr", 6), ("dpa", "de", 10), ("Frankfurter Allgemeine", "de", 5),
             ("PAP", "pl", 6)]


def press_name_parts(rng, m, system, use_maiden=False):
    g = m["given"]
    s, sex = fam_of(m, use_maiden)
    eth = m["eth"]
    if system == "en":
        if eth == "az" and chance(rng, 0.3):
            return az_style(g["az"], AZ_EN), az_style(s[sex]["az"], AZ_EN)
        if eth == "ka":
            return g["lat"], s[sex]["lat"]
        if eth == "hy" and chance(rng, 0.6):
            return g["lat"], s[sex]["lat"]
        return ru_lat(g["ru"], "bgn"), ru_lat(s[sex]["ru"], "bgn")
    if system == "az_en":
        if eth == "az":
            t = AZ_EN if chance(rng, 0.7) else AZ_EN_Q
            return az_style(g["az"], t), az_style(s[sex]["az"], t)
        if eth == "ka":
            return g["lat"], s[sex]["lat"]
        return ru_lat(g["ru"], "bgn"), ru_lat(s[sex]["ru"], "bgn")
    gru = g["ru_std"] if (eth == "ka" and chance(rng, 0.5)) else g["ru"]
    return ru_lat(gru, system), ru_lat(s[sex]["ru"], system)


def place_for_system(v, system):
    if system == "az_en":
        return az_style(v["az"], AZ_EN) if v["code"] not in ("TX", "MD") else v["lat"]
    if system == "en":
        return ru_lat(v["ru"], "bgn")
    return ru_lat(v["ru"], system)


def press_list(rng, persons, pools):
    lb = ListBuilder("press", "International press reports compiled by a media monitor", "media",
                     ["full_name", "age", "place", "date", "fate", "outlet", "note"])
    big = {}
    for m in persons:
        big[m["hh"]] = max(big.get(m["hh"], 0), m["hh_losses"])
    rows = []
    for m in persons:
        if m["occupation"]:
            p = 0.55
        elif big[m["hh"]] >= 4:
            p = 0.16 if m["age"] < 16 else 0.09
        else:
            p = 0.035
        if m["v"]["code"] == "QB":
            p *= 1.6
        if not chance(rng, min(p, 0.9)):
            continue
        n = 1 + (1 if chance(rng, 0.1) else 0) + (1 if m["occupation"] and chance(rng, 0.15) else 0)
        used = []
        for k in range(n):
            outlet = pick(rng, [((o, s), w) for o, s, w in OUTLETS_A if o not in used])
            used.append(outlet[0])
            rows.append((press_row(rng, m, outlet), m["pid"], k > 0))
    rows.sort(key=lambda t: (t[0]["_sort"], rng.random()))
    for row, pid, rep in rows:
        del row["_sort"]
        lb.add(row, pid, rep)
    lb.habits = [
        "English column names (recount's canonical ones plus `outlet` and `note`); one row per person per report, "
        "collected from wire services and newspapers, in report order.",
        "Coverage biased to the prominent: 55% of persons with a public role (teacher, doctor, village head, "
        "veteran...), 16% of children and 9% of adults from households that lost four or more, 3.5% of others; x1.6 "
        "for the village where the massacre was reported. About 10% of persons (25% of the prominent) are reported "
        "again by a second outlet: these are the within-list duplicates, in a different romanisation.",
        "Romanisation follows the outlet: English wires from the Russian form (Mamedov, Guseynov, Aliyev; 30% of "
        "Azerbaijani names in Azerbaijani-based English, Mammadov, Huseynov); Turan: Azerbaijani-based (Mammadov, "
        "Gasimov/Qasimov); AFP and Le Monde: French (Gousseïnov, Mamedov, Guelachvili); dpa and FAZ: German "
        "(Gussejnow, Mamedow, Gelaschwili), 30% written 'Family, Given'; PAP: Polish (Gusiejnow, Mamiedow, Gielaszwili).",
        "Names: 82% 'Given Family', 6% initial + surname, 3% title + surname only (Mrs, Mme, Frau, Pani), 5% of "
        "Azerbaijani persons with 'Ali-ogly' between names, 4% a typo.",
        "Age: 45% missing; otherwise exact 65%, off by 1-3 years 20%, 'about N' 15%. Date: '15 March 1992' 55%, "
        "'March 1992' 30%, missing 15%. Place: the village in the outlet's romanisation.",
        "Fate: killed, or missing for persons taken away (12% of the killed reported as missing at the time).",
    ]
    return lb


def press_row(rng, m, outlet):
    name, system = outlet
    use_maiden = False
    given, fam = press_name_parts(rng, m, system, use_maiden)
    r = rng.random()
    if r < 0.06:
        full = given[0] + ". " + fam
    elif r < 0.09:
        title = {"en": "Mrs" if m["sex"] == "F" else "Mr", "az_en": "Mrs" if m["sex"] == "F" else "Mr",
                 "fr": "Mme" if m["sex"] == "F" else "M.", "de": "Frau" if m["sex"] == "F" else "Herr",
                 "pl": "Pani" if m["sex"] == "F" else "Pan"}[system]
        full = f"{title} {fam}"
    elif r < 0.14 and m["eth"] == "az":
        f = ru_lat(m["father"]["ru"], "bgn") if system != "az_en" else az_style(m["father"]["az"], AZ_EN)
        full = f"{given} {f}-{'ogly' if m['sex'] == 'M' else 'kyzy'} {fam}"
    elif system == "de" and chance(rng, 0.3):
        full = f"{fam}, {given}"
    else:
        full = f"{given} {fam}"
    if chance(rng, 0.04):
        full = typo(full, rng, LAT_CONF, LAT_NEIGH)
    row = {"full_name": full}
    a = m["age"]
    r = rng.random()
    if r < 0.45:
        row["age"] = ""
    elif a == 0:
        row["age"] = f"{rng.randint(2, 11)} months"
    else:
        r = rng.random()
        if r < 0.65:
            row["age"] = str(a)
        elif r < 0.85:
            row["age"] = str(max(1, a + rng.choice([-3, -2, -1, 1, 2, 3])))
        else:
            row["age"] = f"about {max(5, round5(a))}" if a >= 8 else str(a)
    row["place"] = place_for_system(m["v"], system)
    y, mo, d = m["date"]
    r = rng.random()
    row["date"] = f"{d} {MONTHS_EN[mo - 1]} {y}" if r < 0.55 else (f"{MONTHS_EN[mo - 1]} {y}" if r < 0.85 else "")
    fate = m["fate"]
    if fate == "killed" and chance(rng, 0.12):
        fate = "missing"
    row["fate"] = fate
    row["outlet"] = name
    notes = []
    if m["occupation"]:
        notes.append(m["occupation"])
    if m["hh_losses"] >= 4 and chance(rng, 0.5):
        notes.append(f"one of {m['hh_losses']} members of one family killed")
    row["note"] = "; ".join(notes)
    row["_sort"] = m["date"]
    return row


INTERVIEWERS = {
    "I1": {"desc": "a local volunteer typing Azerbaijani without its special letters (ə→e, ş→s, ç→c, ğ→g, ı→i)",
           "az": AZ_PLAIN},
    "I2": {"desc": "international staff writing English-style (Mammadov, Huseynov, Jafarov) or, for 40% of "
                   "Azerbaijani names, the Russian-based English form (Mamedov, Guseynov)", "az": AZ_EN},
    "I3": {"desc": "a Turkish-speaking interviewer (ə→e, x→h, q→k, keeps ş ç ğ ı ö ü)", "az": AZ_TR},
}
EPITHETS = {"M": ["kişi", "əmi", "müəllim", "dayı"], "F": ["xala", "nənə", "bacı", "müəllimə"]}
RELATIONS_W = [("neighbour", 30), ("fellow villager", 25), ("cousin", 10), ("uncle", 4), ("aunt", 4),
               ("brother", 4), ("sister", 3), ("colleague", 5), ("son", 3), ("daughter", 3),
               ("husband", 2), ("wife", 2), ("in-law", 5)]


def witness_names(rng, m, iv, use_maiden):
    """(given, family, father) in this interviewer's Latin."""
    g = m["given"]
    s, sex = fam_of(m, use_maiden)
    eth = m["eth"]
    if eth == "az":
        if iv == "I2" and chance(rng, 0.4):
            return (ru_lat(g["ru"], "bgn"), ru_lat(s[sex]["ru"], "bgn"), ru_lat(m["father"]["ru"], "bgn"))
        t = INTERVIEWERS[iv]["az"]
        return az_style(g["az"], t), az_style(s[sex]["az"], t), az_style(m["father"]["az"], t)
    if eth == "ka":
        given = rng.choice(g["dim"]) if (g["dim"] and chance(rng, 0.25)) else g["lat"]
        return given, s[sex]["lat"], m["father"]["lat"]
    if eth == "ru":
        given = g["dim"][0] if (g["dim"] and chance(rng, 0.25)) else ru_lat(g["ru"], "icao" if iv == "I1" else "bgn")
        return given, ru_lat(s[sex]["ru"], "icao" if iv == "I1" else "bgn"), ru_lat(m["father"]["ru"], "bgn")
    return g["lat"], s[sex]["lat"], m["father"]["lat"]


def witness_list(rng, persons, pools):
    lb = ListBuilder("witnesses", "Testimonies collected in displacement centres (international NGO)", "witness",
                     ["testimony_id", "interviewer", "witness_village", "relation_to_victim", "full_name", "sex",
                      "age", "place", "date", "fate", "note"])
    cov = {"QB": 0.45, "AT": 0.36, "TK": 0.3, "GC": 0.26, "ST": 0.2, "TX": 0.07, "MD": 0.05, "IV": 0.06}
    # witnesses: each belongs to a village and was heard by one interviewer
    wit = defaultdict(list)
    wid = 0
    for v in VILLAGES_A:
        for _ in range({"QB": 55, "AT": 40, "TK": 35, "GC": 28, "ST": 45, "TX": 8, "MD": 6, "IV": 7}[v["code"]]):
            wid += 1
            wit[v["code"]].append((f"T-{wid:04d}", pick(rng, [("I1", 45), ("I2", 30), ("I3", 25)])))
    reports = []
    for m in persons:
        p = cov[m["v"]["code"]]
        if m["v"]["code"] == "ST":
            p = 0.28 if m["eth"] == "az" else 0.08
        if m.get("wiped"):
            p *= 0.6
        if m["fate"] == "missing":
            p *= 1.2
        if not chance(rng, min(p, 0.9)):
            continue
        k = pick(rng, [(1, 74), (2, 20), (3, 6)])
        ws = rng.sample(wit[m["v"]["code"]], k=min(k, len(wit[m["v"]["code"]])))
        for j, (tid, iv) in enumerate(ws):
            reports.append((witness_row(rng, m, tid, iv), m["pid"], j > 0))
    reports.sort(key=lambda t: (t[0]["testimony_id"], rng.random()))
    # the repeat flag should mark every report after the first in file order
    seen = set()
    for row, pid, _ in reports:
        lb.add(row, pid, pid in seen)
        seen.add(pid)
    lb.habits = [
        "English column names (canonical plus testimony_id, interviewer, witness_village, relation_to_victim, "
        "note). One row per person named in a testimony, in testimony order.",
        "Witnesses know their own village: coverage designed at 45% (Qızılbulaq, where the massacre happened) down "
        "to 26% in the other Azerbaijani villages, 28% of Azerbaijani and 8% of other town residents, 5-7% in the "
        "Georgian villages and Ivanovka. x0.6 when the whole household was killed, x1.2 for the missing.",
        "Each person found is named by 1 (74%), 2 (20%) or 3 (6%) witnesses: about a fifth of the rows repeat a "
        "person already in the list, each with its own spelling, age guess and name form.",
        "Spelling depends on the interviewer: " + "; ".join(f"{k}: {v['desc']}" for k, v in INTERVIEWERS.items()) +
        ". Georgian names in national Latin (25% as nicknames: Dato, Gogi, Soso, Keto); Russian names in English or "
        "passport romanisation (25% as diminutives: Vanya, Kolya, Masha).",
        "Name forms: 'Given Family' 46%, 'Family Given' 10%, given name only 12% (a third with an epithet such as "
        "kişi, xala, müəllim), 'Given Father oğlu/qızı Family' 8%, 'Given Father oğlu/qızı' without surname 7%, "
        "'Family G.' 3%, 'wife of/son of/daughter of <relative>' 4%, rest 'Given Family'. Married Azerbaijani women "
        "under their maiden surname 35% of the time. Typos 4%.",
        "Age guessed: 30% missing; otherwise true age plus noise (sd 1.5 for children, 4 for adults, 7 over 60), "
        "60% of adult guesses rounded to 5, written 'about 40', '40', '40-45', '40?' or '60+'.",
        "Sex given 90%. Date: 'March 1992' 50%, exact day 30% (a fifth of them a day off), missing 20%. Fate: 20% of "
        "the killed reported as missing (not seen dead); missing persons 30% reported as detained (taken hostage).",
    ]
    return lb


def witness_row(rng, m, tid, iv):
    t = INTERVIEWERS[iv]["az"]
    use_maiden = m["eth"] == "az" and m.get("maiden") is not None and chance(rng, 0.35)
    given, fam, father = witness_names(rng, m, iv, use_maiden)
    oglu = "oğlu" if m["sex"] == "M" else "qızı"
    oglu = az_style(oglu, t) if m["eth"] == "az" else oglu
    r = rng.random()
    full = f"{given} {fam}"
    if r < 0.46:
        pass
    elif r < 0.56:
        full = f"{fam} {given}"
    elif r < 0.68:
        full = given
        if m["eth"] == "az" and m["age"] >= 30 and chance(rng, 0.35):
            full = f"{given} {az_style(rng.choice(EPITHETS[m['sex']]), t)}"
    elif r < 0.76 and m["eth"] == "az":
        full = f"{given} {father} {oglu} {fam}"
    elif r < 0.83 and m["eth"] == "az":
        full = f"{given} {father} {oglu}"
    elif r < 0.86:
        full = f"{fam} {given[0]}."
    elif r < 0.90:
        if m["role"] == "wife" and m.get("husband"):
            full = f"{given}, wife of {fam_head_name(m)}" if chance(rng, 0.5) else f"wife of {fam_head_name(m)}"
        elif m["role"] in ("son", "daughter"):
            full = f"{given}, {m['role']} of {fam_head_name(m)}"
    if chance(rng, 0.04):
        full = typo(full, rng, LAT_CONF, LAT_NEIGH)
    row = {"testimony_id": tid, "interviewer": iv, "witness_village": witness_place(m["v"], iv),
           "relation_to_victim": pick(rng, RELATIONS_W), "full_name": full}
    row["sex"] = ("M" if m["sex"] == "M" else "F") if chance(rng, 0.9) else ""
    if chance(rng, 0.3):
        row["age"] = ""
    else:
        style = pick(rng, [("about", 40), ("plain", 25), ("range", 20), ("q", 10), ("plus", 5)])
        row["age"] = age_text_en(rng, m["age"], style)
    row["place"] = witness_place(m["v"], iv)
    y, mo, d = m["date"]
    r = rng.random()
    if r < 0.5:
        row["date"] = f"{MONTHS_EN[mo - 1]} {y}"
    elif r < 0.8:
        if chance(rng, 0.2):
            y, mo, d = add_days((y, mo, d), rng.choice([-1, 1]))
        row["date"] = f"{d:02d}.{mo:02d}.{y}"
    else:
        row["date"] = ""
    if m["fate"] == "killed":
        row["fate"] = "missing" if chance(rng, 0.2) else "killed"
    else:
        row["fate"] = "detained" if chance(rng, 0.3) else "missing"
    notes = []
    if m.get("wiped") and m["hh_losses"] >= 3 and chance(rng, 0.4):
        notes.append("whole family killed")
    if m["occupation"] and chance(rng, 0.5):
        notes.append(m["occupation"])
    row["note"] = "; ".join(notes)
    return row


def fam_head_name(m):
    """How a witness names the head of the person's household: '<given of father> <surname>'."""
    g = m["husband"] if m["role"] == "wife" else m["father"]
    s = m["fam"]["M"]
    if m["eth"] == "az":
        return f"{az_style(g['az'], AZ_EN)} {az_style(s['az'], AZ_EN)}"
    return f"{g['lat'] if 'lat' in g else g['ru']} {s['lat']}"


def witness_place(v, iv):
    if v["code"] in ("TX", "MD", "IV"):
        return v["lat"]
    return az_style(v["az"], INTERVIEWERS[iv]["az"])


AZ_STYLES_COMMUNITY = [("correct", 55), ("plain", 25), ("1991", 12), ("digraph", 8)]


def community_text(s, style):
    if style == "correct":
        return s
    if style == "plain":
        return az_style(s, AZ_PLAIN)
    if style == "1991":
        return az_style(s, AZ_1991)
    return az_style(s, AZ_SH)


def community_list(rng, persons, pools):
    header = ["S/s", "Soyadı", "Adı", "Atasının adı", "Doğum ili", "Yaşı", "Cinsi", "Kənd", "Tarix", "Taleyi", "Qeyd"]
    lb = ListBuilder("community", "Association of displaced people of the valley (Azerbaijani list)", "ngo", header)
    fate_vals, sex_vals, date_vals = set(), set(), set()
    cov = {"QB": 0.66, "AT": 0.62, "TK": 0.62, "GC": 0.6, "ST": 0.45, "TX": 0.5, "MD": 0.5, "IV": 0.0}
    rows = []
    for m in persons:
        if m["eth"] != "az":
            continue
        p = cov[m["v"]["code"]] * (0.7 if m.get("wiped") else 1.0)
        if not chance(rng, p):
            continue
        reps = 2 if chance(rng, 0.02) else 1
        for k in range(reps):
            rows.append((community_row(rng, m, fate_vals, sex_vals, date_vals), m["pid"], k > 0))
    rng.shuffle(rows)
    rows.sort(key=lambda t: t[0]["_v"])
    for i, (row, pid, rep) in enumerate(rows, start=1):
        del row["_v"]
        row["S/s"] = str(i)
        lb.add(row, pid, rep)
    fmap = {"şəhid": "killed", "həlak olub": "killed", "itkin düşüb": "missing", "girov götürülüb": "detained"}
    fate_table = []
    for val in sorted(fate_vals):
        for base, canon in fmap.items():
            if val in {community_text(base, st) for st, _ in AZ_STYLES_COMMUNITY}:
                fate_table.append((val, canon))
    sex_table = []
    for val in sorted(sex_vals):
        sex_table.append((val, "M" if val.startswith(("k", "K")) else "F"))
    date_table = []
    for val in sorted(date_vals):
        mon = val.split()[0]
        idx = [community_text(x, st) for x in AZ_MONTHS for st, _ in AZ_STYLES_COMMUNITY].index(mon) // len(
            AZ_STYLES_COMMUNITY)
        date_table.append((val, f"{val.split()[1]}-{idx + 1:02d}"))
    lb.mapping = (
        [("S/s", "-"), ("Soyadı", "family_name"), ("Adı", "given_name"), ("Atasının adı", "patronymic"),
         ("Doğum ili", "birth_year"), ("Yaşı", "age"), ("Cinsi", "sex"), ("Kənd", "place"), ("Tarix", "date"),
         ("Taleyi", "fate"), ("Qeyd", "-")],
        [("sex", sex_table), ("fate", fate_table), ("date", date_table)],
        [("date_order", "dmy")],
        "List kept by the association of displaced people of the valley, in Azerbaijani.  Typed over years by\n"
        "several volunteers, on keyboards with and without Azerbaijani letters.")
    lb.habits = [
        "Azerbaijani column names; Azerbaijani victims only (an association of displaced Azerbaijani villagers). "
        "Coverage designed at 60-66% in the Azerbaijani villages, 45% for Azerbaijani town residents, 50% for "
        "Azerbaijanis of Tsitelikhevi; x0.7 when the whole household was killed.",
        "Each row typed by one of several volunteers: 55% correct Azerbaijani Latin; 25% without special letters "
        "(Memmedov, Huseynov, Qasimov, Sukurov); 12% in the 1991-92 alphabet with ä for ə (Mämmädov); 8% with sh/ch/gh "
        "digraphs (Shukurov). The same style is used for every field of the row (also Cinsi, Taleyi).",
        "Women: married women 60% under the married surname, 30% under their maiden surname, and 10% of those over "
        "50 with no surname at all (the father's name given as 'Əli qızı').",
        "Father's name (Atasının adı): 70% the name alone, 25% with oğlu/qızı, 5% missing.",
        "Doğum ili (birth year) in 65% of rows (10% of them off by one, 2% off by up to 5); Yaşı (age, exact or "
        "rounded) in 60% of the others. Cinsi: 5% missing.",
        "Dates: dd.mm.yyyy 45%, mm.yyyy 15%, 'mart 1992' 15%, missing 25%. Fate: şəhid / həlak olub (killed), itkin "
        "düşüb (missing), girov götürülüb (detained: 25% of the missing).",
        "Typos about 3% per name field. Within-list duplicates: about 2% of persons twice.",
    ]
    return lb


AZ_MONTHS = ["yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avqust", "sentyabr", "oktyabr",
             "noyabr", "dekabr"]


def community_row(rng, m, fate_vals, sex_vals, date_vals):
    st = pick(rng, AZ_STYLES_COMMUNITY)
    row = {"_v": VILLAGES_A.index(m["v"])}
    fam = ""
    patr_f = m["father"]["az"]
    suffix = " oğlu" if m["sex"] == "M" else " qızı"
    if m.get("maiden") is not None:
        r = rng.random()
        if r < 0.1 and m["age"] > 50:
            fam = ""
            patr = patr_f + suffix
        elif r < 0.37:
            fam = m["maiden"]["F"]["az"]
            patr = patr_f if chance(rng, 0.7) else patr_f + suffix
        else:
            fam = m["fam"]["F"]["az"]
            patr = patr_f if chance(rng, 0.7) else patr_f + suffix
    else:
        fam = m["fam"][m["sex"]]["az"]
        r = rng.random()
        patr = patr_f if r < 0.7 else (patr_f + suffix if r < 0.95 else "")
    given = m["given"]["az"]
    if fam and chance(rng, 0.03):
        fam = typo(fam, rng, LAT_CONF, LAT_NEIGH)
    if chance(rng, 0.03):
        given = typo(given, rng, LAT_CONF, LAT_NEIGH)
    if patr and chance(rng, 0.03):
        patr = typo(patr, rng, LAT_CONF, LAT_NEIGH)
    row["Soyadı"] = community_text(fam, st)
    row["Adı"] = community_text(given, st)
    row["Atasının adı"] = community_text(patr, st)
    if chance(rng, 0.65):
        r = rng.random()
        by = m["by"] + (rng.choice([-1, 1]) if r < 0.1 else (rng.randint(-5, 5) if r < 0.12 else 0))
        row["Doğum ili"] = str(min(by, 1992))
        row["Yaşı"] = ""
    else:
        row["Doğum ili"] = ""
        if chance(rng, 0.6):
            a = m["age"]
            row["Yaşı"] = str(a if chance(rng, 0.6) or a < 10 else round5(a))
        else:
            row["Yaşı"] = ""
    if chance(rng, 0.95):
        row["Cinsi"] = community_text("kişi" if m["sex"] == "M" else "qadın", st)
        sex_vals.add(row["Cinsi"])
    else:
        row["Cinsi"] = ""
    row["Kənd"] = community_text(m["v"]["az"], st)
    y, mo, d = m["date"]
    r = rng.random()
    if r < 0.45:
        row["Tarix"] = f"{d:02d}.{mo:02d}.{y}"
    elif r < 0.6:
        row["Tarix"] = f"{mo:02d}.{y}"
    elif r < 0.75:
        row["Tarix"] = f"{community_text(AZ_MONTHS[mo - 1], st)} {y}"
        date_vals.add(row["Tarix"])
    else:
        row["Tarix"] = ""
    if m["fate"] == "killed":
        f = "şəhid" if chance(rng, 0.7) else "həlak olub"
    else:
        f = "girov götürülüb" if chance(rng, 0.25) else "itkin düşüb"
    row["Taleyi"] = community_text(f, st)
    fate_vals.add(row["Taleyi"])
    notes = []
    if m.get("wiped") and m["hh_losses"] >= 3 and chance(rng, 0.4):
        notes.append("ailəsi ilə birlikdə")
    if m["fate"] == "missing" and chance(rng, 0.3):
        notes.append("meyiti tapılmayıb")
    if m["occupation"] == "teacher" and chance(rng, 0.5):
        notes.append("müəllim")
    row["Qeyd"] = community_text("; ".join(notes), st)
    return row


def build_set_a():
    rng = random.Random(f"{SEED}-set-a")
    pools = build_pools_a(rng)
    persons = build_population_a(rng, pools)
    lists = [registry_list(rng, persons, pools), memorial_list(rng, persons, pools),
             press_list(rng, persons, pools), witness_list(rng, persons, pools),
             community_list(rng, persons, pools)]
    return pools, persons, lists


# ----------------------------------------------------------------------------------------------
# set-b: Arabic names.  Each name is written here as a vocalised key from which the Arabic
# spelling and every romanisation are derived:
#   a i u short vowels (not written in Arabic), A I U long vowels, @ ta marbuta, E alif maqsura,
#   ' hamza, 3 ʿayn, 7 ḥ, x kh, c th, v dh, 6 ṭ, 9 ṣ, D ḍ, Z ẓ, g gh, $ sh; a doubled letter is
#   a shadda; "al-" the article; "+" joins the words of a compound name.  "|..." overrides the
#   Arabic spelling.
# ----------------------------------------------------------------------------------------------

AR_MALE = """
mu7ammad 'a7mad ma7mUd mu96afE 3alI 7asan 7usayn 3umar 3ucmAn xAlid yUsuf 'ibrAhIm 'ismA3Il
3abd+allAh 3abd+al-ra7mAn 3abd+al-qAdir 3abd+al-karIm 3abd+al-ra7Im 3abd+al-3azIz 3abd+al-nA9ir
3abd+al-salAm 3abd+al-7amId 3abd+al-ganI 3abd+al-la6If 3abd+al-majId 7AmId 7amz@ sa3Id sa3d 9Ali7
salIm sulaymAn 6Ariq 6Ahir 6Ah|طه ziyAd nizAr 3ammAr yAsir yAsIn jamAl kamAl fay9al fAdI rAmI
sAmI hAnI 3IsE mUsE yUnus 'idrIs 'ilyAs 3adnAn bassAm haycam hi$Am walId wA'il munIr nabIl jamIl
3imAd 3i9Am fAris fawwAz gassAn 7Azim 7usAm 7assAn mAzin mAhir majd nAjI qAsim ri9wAn ramaDAn
$AdI $Akir $arIf 9ub7I 9afwAn 9alA7 6alAl 3Adil 3Amir badr bakr bilAl bAsil jihAd jAbir jalAl
xalIl xa66Ab xayr dAwUd rabI3 ra$Id riyAD zakariyA zuhayr sAmir sul6An $ihAb 9Adiq 3Abid gAzI
fAyiz fu'Ad lu6fI ma'mUn nA9ir nUr+al-dIn hAdI hammAm wisAm yazan yamAn 'anas 'usAm@ 'ayman
'amjad 'a$raf 'akram 'anwar 'ayham 'iyAd ba$$Ar 7amdI 7amdAn 3abbAs 3izzat fat7I mu7sin $awkat
jawdat 7ikmat gayc qutayb@ 7uvayf@ mu3Av 3ubayd@ ya7yE 3amr|عمرو rA'id mu'min ra'fat 'i7sAn
mu3Ad? 9ubay7 qu9ay 7AtIm 3a6A mufId na$At 9abrI $a7Ad@ 3abd+al-fattA7 3abd+al-wahhAb
"""

AR_FEMALE = """
fA6im@ 3A'i$@ xadIj@ zaynab maryam ruqayy@ su3Ad hanA' ranA rIm lamA' 'amal 'asmA' 'Amin@
ibtisAm 'ilhAm jamIl@ 7anAn 7ayAt|حياة xawl@ Du7E rAniyA rabAb rand@ zahrA' sumayy@ sanA'
sihAm salmE samIr@ $aymA' 9afA' 9abA7 3abIr 3afAf 3ulA 3azIz@ gAd@ fadwE fAyz@ fara7 fidA'
qamar kawcar lamyA' laylE lubnE manAl maysA' nAdiy@ najAt|نجاة najlA' nadE nisrIn nawAl nUr
nuhE hAl@ hib@ hudE hind wafA' widAd yAsmIn yusrE bu$rE batUl gufrAn ragad rahaf salwE dalAl
ra$A ibtihAl na3Im@ 7alIm@ xayriyy@ badI3@ samA7 suhayl@ layAl manAr 9afiyy@ zuhUr ward@
'anIs@ fawziyy@ $arIf@ 7amd@ 3ifAf? ruwayd@ 3alyA' 'ikrAm
"""

AR_FAMILY = """
al-7asan al-'a7mad al-mu7ammad al-3alI al-7usayn al-xa6Ib al-$ayx al-'imAm al-ma9rI al-7alabI
al-7im9I al-$AmI al-kurdI al-turkmAnI al-7awrAnI al-zu3bI al-rifA3I al-jAbirI al-qudsI
al-'idlibI al-7amawI al-bakrI 7addAd najjAr 9abbAg qa99Ab daqqAq 3a66Ar kayyAlI xayyA6 7allAq
$a33Ar bI6Ar al-jundI al-barAzI 3aqqAd darwI$ 3abbUd 7ammUd ma7mUd xalIl yUsuf 3ucmAn 3umar
sulaymAn 3IsE mUsE 'ibrAhIm qAsim man9Ur nA9ir jAbir far7At 7aydar gazAl 'as3ad 6Ah|طه yAsIn
zAhir barakAt bakkUr 6allAs jabr al-$arIf al-7arIrI al-ma7AmId al-masAlm@ 7amdAn sul6An
3abd+allAh al-sayyid 7ijAzI al-3umar al-3abd+allAh al-'aswad al-'abyaD qabbAnI $ihAbI na77As
6abbAx xabbAz 3allU$ al-zayn al-7umaydI al-3anazI al-dulaymI 3awwAd al-9aqr gannAm al-maw9ilI
$a7Ad@ al-dayrI al-saqqA 3assAf al-7ajj 7usayn 7asan 'a7mad al-7amad al-9Ali7 al-xalaf
al-3a6iyy@ $a3bAn al-DAhir al-3abbAs 3ar3Ur al-fAris xUrI 7annA 9alIbA 3azzAm qabalAn
al-6a77An al-$awwA al-bArUdI al-jazzAr al-'arnA'U6 al-sibA3I al-'atAsI al-najjAr al-7amdAn
al-3ubayd al-xa6Ib al-ja3far al-ma7mUd al-qAsim al-mur9I al-7allAq al-kasm bazzI dabbAg
al-maydAnI 3arab qaddUr al-7AfiZ al-$a33Ar al-9abbAg bU$ al-mi9rI al-faqIr 9u6Uf al-ta7An
"""

NEIGHBOURHOODS_B = [
    # key, Arabic, weight, near the field hospital
    ("al-qal3@", "حي القلعة", 1.0, True),
    ("al-ma7a66@", "حي المحطة", 1.1, True),
    ("al-basAtIn", "حي البساتين", 1.2, False),
    ("al-sUq", "حي السوق", 0.9, True),
    ("al-7ayy+al-$arqI", "الحي الشرقي", 1.0, False),
    ("al-jAmi3+al-kabIr", "حي الجامع الكبير", 0.9, True),
    ("al-6A7Un@", "حي الطاحونة", 0.9, False),
    ("al-ma9Ani3", "حي المصانع", 0.8, False),
]
ORIGINS_B = [("xirbat+al-9afA|خربة الصفا", "خربة الصفا"), ("al-mazra3@", "المزرعة"), ("dayr+sulaymAn", "دير سليمان")]
TOWN_B = ("tall+al-zaytUn", "تل الزيتون")

AR_CONS = {"'": "ء", "3": "ع", "7": "ح", "x": "خ", "c": "ث", "v": "ذ", "6": "ط", "9": "ص", "D": "ض",
           "Z": "ظ", "g": "غ", "$": "ش", "q": "ق", "j": "ج", "w": "و", "y": "ي", "b": "ب", "t": "ت",
           "d": "د", "r": "ر", "z": "ز", "s": "س", "f": "ف", "k": "ك", "l": "ل", "m": "م", "n": "ن",
           "h": "ه"}
AR_VOW = "aiuAIU@E"
SUN = set("tcdvrzs$9D6Zln")


def ar_core(w):
    if w == "allAh":
        return "الله"
    if w == "ra7mAn":
        return "رحمن"
    out = []
    n = len(w)
    skip = -1
    for i, ch in enumerate(w):
        if i == skip:
            continue
        prev = w[i - 1] if i > 0 else ""
        nxt = w[i + 1] if i + 1 < n else ""
        if ch in "aiu":
            if i == 0:
                out.append("ا")
            continue
        if ch == "A":
            out.append("ا")
        elif ch == "I":
            out.append("ي")
        elif ch == "U":
            out.append("و")
        elif ch == "@":
            out.append("ة")
        elif ch == "E":
            out.append("ى")
        elif ch == "'":
            if i == 0:
                if nxt == "i":
                    out.append("إ")
                elif nxt == "A":
                    out.append("آ")
                    skip = i + 1
                else:
                    out.append("أ")
            elif nxt in ("i", "I") or prev in ("i", "I"):
                out.append("ئ")
            elif nxt in ("u", "U") or prev in ("u", "U"):
                out.append("ؤ")
            elif nxt == "" and prev == "A":
                out.append("ء")
            else:
                out.append("أ")
        elif ch == prev:
            continue
        else:
            out.append(AR_CONS[ch])
    return "".join(out)


def ar_parse(key):
    """key -> (words, override) where words is a list of (has_article, core)."""
    key, _, override = key.partition("|")
    ws = []
    for w in key.split("+"):
        if w.startswith("al-"):
            ws.append((True, w[3:]))
        elif w == "allAh":
            ws.append((False, "allAh"))
        else:
            ws.append((False, w))
    return ws, override or None


def ar_script(key, joined_abd=False):
    ws, override = ar_parse(key)
    if override:
        return override
    parts = []
    for art, core in ws:
        parts.append(("ال" if art else "") + ar_core(core))
    if joined_abd and len(parts) >= 2 and parts[0] == "عبد":
        return "عبد" + " ".join(parts[1:])
    return " ".join(parts)


# --- romanisation ---------------------------------------------------------------------------

STYLE_EN_LEV = {  # Levantine-English as typed by Syrian volunteers
    "lang": "en",
    "cons": {"7": [("h", 1)], "x": [("kh", 1)], "c": [("th", 80), ("s", 20)], "v": [("dh", 40), ("z", 60)],
             "6": [("t", 1)], "9": [("s", 1)], "D": [("d", 90), ("dh", 10)], "Z": [("z", 70), ("dh", 30)],
             "g": [("gh", 1)], "$": [("sh", 1)], "q": [("q", 70), ("k", 30)], "j": [("j", 1)]},
    "v": {"a": [("a", 80), ("e", 20)], "i": [("i", 70), ("e", 30)], "u": [("u", 45), ("o", 55)],
          "A": [("a", 92), ("aa", 8)], "I": [("i", 70), ("ee", 25), ("y", 5)], "U": [("ou", 50), ("u", 35), ("oo", 15)],
          "@": [("a", 35), ("eh", 35), ("ah", 20), ("e", 10)], "E": [("a", 1)]},
    "ay": [("ay", 40), ("ai", 25), ("ei", 35)], "aw": [("aw", 50), ("ou", 35), ("au", 15)],
    "double": 0.75, "ss": 0.45, "hamza": [("", 70), ("'", 30)], "ayn": [("", 75), ("'", 25)],
    "art": [("al-", 35), ("Al-", 20), ("Al ", 15), ("", 15), ("el-", 5), ("Al", 5), ("El ", 5)], "sun": 0.12,
    "abd": [("Abd al-{X}", 15), ("Abdul {X}", 25), ("Abdul{x}", 20), ("Abdel {X}", 15), ("Abd Al{x}", 5),
            ("Abd {X}", 10), ("Abdel{x}", 10)],
}
STYLE_EN_SCH = dict(STYLE_EN_LEV, **{  # a more scholarly volunteer: al-, q, 'ayn marks
    "cons": dict(STYLE_EN_LEV["cons"], q=[("q", 1)], c=[("th", 1)], v=[("dh", 1)]),
    "v": dict(STYLE_EN_LEV["v"], a=[("a", 95), ("e", 5)], u=[("u", 85), ("o", 15)], i=[("i", 95), ("e", 5)],
              U=[("u", 85), ("ou", 15)], I=[("i", 90), ("ee", 10)], **{"@": [("a", 80), ("ah", 20)]}),
    "ay": [("ay", 85), ("ai", 15)], "aw": [("aw", 90), ("au", 10)], "double": 0.95, "ss": 0.05,
    "hamza": [("'", 60), ("", 40)], "ayn": [("'", 70), ("", 30)], "art": [("al-", 85), ("Al-", 10), ("", 5)],
    "sun": 0.05, "abd": [("Abd al-{X}", 60), ("Abdul {X}", 20), ("Abdul{x}", 20)],
})
STYLE_EN_EG = dict(STYLE_EN_LEV, **{  # the wire-service habit: Mohamed, Abdel, el-
    "cons": dict(STYLE_EN_LEV["cons"], q=[("k", 60), ("q", 40)]),
    "v": dict(STYLE_EN_LEV["v"], a=[("a", 70), ("e", 30)], u=[("o", 70), ("u", 30)],
              **{"@": [("a", 80), ("ah", 20)]}),
    "art": [("el-", 30), ("El-", 20), ("al-", 20), ("Al ", 10), ("", 20)], "sun": 0.2,
    "abd": [("Abdel {X}", 40), ("Abdel{x}", 30), ("Abdul {X}", 20), ("Abd El {X}", 10)],
})
STYLE_FR = {
    "lang": "fr",
    "cons": {"7": [("h", 1)], "x": [("kh", 1)], "c": [("th", 50), ("t", 50)], "v": [("d", 50), ("dh", 50)],
             "6": [("t", 1)], "9": [("s", 1)], "D": [("d", 1)], "Z": [("z", 1)], "g": [("gh", 1)],
             "$": [("ch", 1)], "q": [("k", 75), ("q", 25)], "j": [("dj", 50), ("j", 50)],
             "w": [("w", 1)], "y": [("y", 1)]},
    "v": {"a": [("a", 90), ("e", 10)], "i": [("i", 85), ("e", 15)], "u": [("ou", 70), ("o", 30)],
          "A": [("a", 1)], "I": [("i", 1)], "U": [("ou", 1)], "@": [("a", 60), ("é", 25), ("e", 15)],
          "E": [("a", 1)]},
    "ay": [("ai", 40), ("ei", 35), ("ay", 25)], "aw": [("aou", 40), ("ao", 30), ("aw", 30)],
    "double": 0.8, "ss": 0.9, "hamza": [("", 1)], "ayn": [("", 85), ("a", 15)],
    "art": [("El ", 35), ("El-", 25), ("Al ", 15), ("el-", 10), ("", 15)], "sun": 0.3,
    "abd": [("Abdel {X}", 35), ("Abdel{x}", 35), ("Abd El {X}", 15), ("Abdel-{X}", 15)],
}

COMMON_ROM = {
    "mu7ammad": {"en": [("Mohammad", 30), ("Mohammed", 20), ("Muhammad", 15), ("Mohamad", 15), ("Mohamed", 8),
                        ("Mhd", 6), ("Muhammed", 6)],
                 "fr": [("Mohamed", 50), ("Mohammed", 30), ("Mouhammad", 10), ("Mhd", 10)]},
    "'a7mad": {"en": [("Ahmad", 55), ("Ahmed", 45)], "fr": [("Ahmed", 70), ("Ahmad", 30)]},
    "3umar": {"en": [("Omar", 80), ("Umar", 15), ("Omer", 5)], "fr": [("Omar", 90), ("Oumar", 10)]},
    "3ucmAn": {"en": [("Othman", 45), ("Uthman", 20), ("Osman", 20), ("Othman", 15)],
               "fr": [("Othmane", 50), ("Othman", 35), ("Osmane", 15)]},
    "yUsuf": {"en": [("Yousef", 30), ("Youssef", 20), ("Yusuf", 25), ("Yousif", 15), ("Yosef", 10)],
              "fr": [("Youssef", 70), ("Youcef", 20), ("Yousouf", 10)]},
    "xAlid": {"en": [("Khaled", 55), ("Khalid", 45)], "fr": [("Khaled", 90), ("Khalid", 10)]},
    "fA6im@": {"en": [("Fatima", 35), ("Fatmeh", 30), ("Fatema", 15), ("Fatimah", 10), ("Fatme", 10)],
               "fr": [("Fatima", 60), ("Fatma", 25), ("Fatmé", 15)]},
    "3A'i$@": {"en": [("Aisha", 40), ("Aysha", 15), ("Aisheh", 20), ("Ayesha", 10), ("A'isha", 15)],
               "fr": [("Aïcha", 60), ("Aicha", 40)]},
    "mu96afE": {"en": [("Mustafa", 45), ("Moustafa", 25), ("Mostafa", 25), ("Mustapha", 5)],
                "fr": [("Moustafa", 60), ("Mustapha", 40)]},
    "3abd+allAh": {"en": [("Abdullah", 45), ("Abdallah", 30), ("Abdulla", 10), ("Abd Allah", 15)],
                   "fr": [("Abdallah", 70), ("Abdellah", 30)]},
    "al-3abd+allAh": {"en": [("al-Abdullah", 40), ("Al Abdullah", 30), ("Abdullah", 30)],
                      "fr": [("El Abdallah", 60), ("Abdallah", 40)]},
    "xadIj@": {"en": [("Khadija", 50), ("Khadijeh", 30), ("Khadeeja", 20)],
               "fr": [("Khadija", 80), ("Khadidja", 20)]},
    "7usayn": {"en": [("Hussein", 50), ("Husain", 15), ("Hussain", 15), ("Husayn", 10), ("Housein", 10)],
               "fr": [("Hussein", 50), ("Houssein", 40), ("Hocine", 10)]},
    "7asan": {"en": [("Hasan", 55), ("Hassan", 45)], "fr": [("Hassan", 80), ("Hassen", 20)]},
    "ma7mUd": {"en": [("Mahmoud", 60), ("Mahmud", 30), ("Mahmood", 10)], "fr": [("Mahmoud", 95), ("Mahmud", 5)]},
    "3alI": {"en": [("Ali", 95), ("Aly", 5)], "fr": [("Ali", 1)]},
}


def rom_core(w, st, rng):
    out = []
    n = len(w)
    i = 0
    last = ""
    fr = st["lang"] == "fr"
    while i < n:
        ch = w[i]
        prev = w[i - 1] if i > 0 else ""
        nxt = w[i + 1] if i + 1 < n else ""
        after = w[i + 2] if i + 2 < n else ""
        if ch == "a" and nxt in ("y", "w") and after not in AR_VOW and not (after == nxt):
            out.append(pick(rng, st["ay"] if nxt == "y" else st["aw"]))
            last = ""
            i += 2
            continue
        if ch in AR_VOW:
            if fr and ch in "iI" and out and out[-1] and out[-1][-1] in "aeiou" and prev in ("'", "3"):
                out.append("ï")
            elif fr and ch == "A" and i == n - 2 and nxt == "n":
                out.append("a")
            else:
                v = pick(rng, st["v"][ch])
                if v.startswith("e") and out and out[-1].endswith("e"):
                    v = "i" if ch in "iI" else "a"
                out.append(v)
            last = ""
        elif ch == prev:
            if len(last) == 1 and chance(rng, st["double"]):
                out.append(last)
        elif ch == "'":
            out.append("" if i == 0 else pick(rng, st["hamza"]))
        elif ch == "3":
            out.append("" if i == 0 else pick(rng, st["ayn"]))
        elif ch == "s" and prev and prev in AR_VOW and nxt and nxt in AR_VOW:
            last = "s"
            out.append("ss" if chance(rng, st["ss"]) else "s")
        elif fr and ch == "w" and (i == 0 or (prev in AR_VOW)) and nxt in AR_VOW and nxt:
            last = "ou"
            out.append("ou")
        else:
            last = pick(rng, st["cons"][ch]) if ch in st["cons"] else ch
            out.append(last)
        i += 1
    res = "".join(out)
    if fr:
        if w.endswith("An") and chance(rng, 0.7):
            res += "e"
        elif w.endswith("In") and chance(rng, 0.6):
            res += "e"
    return res


def rom_word(art, core, st, rng):
    c = rom_core(core, st, rng)
    if not art:
        return cap_first(c)
    form = pick(rng, st["art"])
    if form == "":
        return cap_first(c)
    if core[0] in SUN and chance(rng, st["sun"]) and form not in ("Al",):
        first = c[0] if not c.startswith(("sh", "th", "dh", "ch")) else c[:2]
        base = {"al-": "a", "Al-": "A", "Al ": "A", "el-": "e", "El-": "E", "El ": "E"}[form]
        sep = "-" if form.endswith("-") else " "
        if form.endswith(" "):
            return f"{base}{first.lower()}{sep}{cap_first(c)}"
        return f"{base}{first.lower()}-{cap_first(c)}"
    if form == "Al":
        return "Al" + c.lower()
    return form + cap_first(c)


def romanise(key, st, rng):
    plain, _, _ = key.partition("|")
    if plain in COMMON_ROM:
        return pick(rng, COMMON_ROM[plain][st["lang"]])
    ws, _ = ar_parse(key)
    if plain == "6Ah":
        return "Taha" if st["lang"] == "en" else "Taha"
    if len(ws) >= 2 and ws[0] == (False, "3abd") and ws[1][0]:
        art, core = ws[1]
        x = rom_core(core, st, rng)
        fmt = pick(rng, st["abd"])
        if st["lang"] == "fr" and core[0] in SUN and chance(rng, 0.5):
            first = x[0] if not x.startswith(("ch", "th", "dh")) else x[:2]
            return "Abde" + first + x
        return fmt.replace("{X}", cap_first(x)).replace("{x}", x.lower())
    parts = [rom_word(art, core, st, rng) for art, core in ws]
    return " ".join(parts)


def ar_informal(s, rng, p_hamza=0.6, p_ta=0.15, p_ya=0.2):
    if chance(rng, p_hamza):
        s = s.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا")
    if chance(rng, p_ta):
        s = s.replace("ة", "ه")
    if chance(rng, p_ya):
        s = s.replace("ى", "ي")
    return s


def ar_join_abd(s, rng, p):
    if "عبد " in s and chance(rng, p):
        s = s.replace("عبد ", "عبد")
    return s


AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
