//! Name, city and street lists of the demo data, the most frequent first (see `Rng::skewed`).
//! Common Kazakh and Russian names; any likeness to a real person is the likeness of a name.

use super::Rng;
use crate::core::Sex;

/// Kazakh surnames in their masculine form, the most frequent first.
const KAZAKH_SURNAMES: &[&str] = &[
    "Ахметов",
    "Омаров",
    "Серіков",
    "Жұмабаев",
    "Исаев",
    "Нұрланов",
    "Сейітов",
    "Қасымов",
    "Әлиев",
    "Абдуллаев",
    "Ибраев",
    "Мұсаев",
    "Бекмұханов",
    "Тоқтаров",
    "Сұлтанов",
    "Ержанов",
    "Қалиев",
    "Жақсыбеков",
    "Оспанов",
    "Әбдірахманов",
    "Бейсенов",
    "Құрманов",
    "Ғабитов",
    "Есенов",
    "Үсенов",
    "Мұхамеджанов",
    "Төлеуов",
    "Шәріпов",
    "Ізбасаров",
    "Һасенов",
    "Айтбаев",
    "Дәулетов",
    "Нұрпейісов",
    "Өтепов",
    "Ыбыраев",
    "Әбілқайыров",
];

/// Russian (and other) surnames in their masculine form; `Ким` and `Цой` do not change.
const RUSSIAN_SURNAMES: &[&str] = &[
    "Иванов",
    "Ким",
    "Петров",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Соколов",
    "Васильев",
    "Новиков",
    "Морозов",
    "Волков",
    "Семёнов",
    "Цой",
    "Павлов",
    "Фёдоров",
    "Егоров",
    "Козлов",
    "Лебедев",
    "Ёлкин",
    "Щербаков",
    "Юдин",
    "Эйсмонт",
];

const KAZAKH_MALE: &[&str] = &[
    "Нұрсұлтан",
    "Ерлан",
    "Асхат",
    "Бауыржан",
    "Нұрлан",
    "Ержан",
    "Марат",
    "Айдос",
    "Дәурен",
    "Ғалым",
    "Қайрат",
    "Серік",
    "Әлібек",
    "Талғат",
    "Бекзат",
    "Ілияс",
    "Өмірзақ",
];
const KAZAKH_FEMALE: &[&str] = &[
    "Айгерім",
    "Гүлнұр",
    "Әсел",
    "Дана",
    "Жанар",
    "Айгүл",
    "Мөлдір",
    "Ғалия",
    "Салтанат",
    "Құралай",
    "Ақмарал",
    "Іңкәр",
    "Аружан",
    "Томирис",
    "Үміт",
];
const RUSSIAN_MALE: &[&str] = &[
    "Александр",
    "Сергей",
    "Дмитрий",
    "Андрей",
    "Алексей",
    "Иван",
    "Михаил",
    "Пётр",
    "Юрий",
    "Виктор",
    "Евгений",
    "Олег",
];
const RUSSIAN_FEMALE: &[&str] = &[
    "Елена",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Анна",
    "Ирина",
    "Светлана",
    "Юлия",
    "Алёна",
    "Екатерина",
    "Мария",
    "Людмила",
];

/// Cities of the demo addresses, the largest first.
pub const CITIES: &[&str] = &[
    "Алматы",
    "Астана",
    "Шымкент",
    "Қарағанды",
    "Ақтөбе",
    "Тараз",
    "Павлодар",
    "Өскемен",
    "Семей",
    "Қостанай",
    "Атырау",
    "Қызылорда",
    "Орал",
];

pub const STREETS: &[&str] = &[
    "Абай даңғылы",
    "Төле би",
    "Сәтпаев",
    "Желтоқсан",
    "Гоголь",
    "Жібек жолы",
    "Достық",
    "Тұран",
    "Республика",
    "Қабанбай батыр",
    "Пушкин",
    "Байтұрсынұлы",
];

/// The feminine form of a surname: -ов, -ев, -ин take -а; others stay.
fn feminine(surname: &str) -> String {
    if surname.ends_with("ов") || surname.ends_with("ев") || surname.ends_with("ин") {
        format!("{surname}а")
    } else {
        surname.to_owned()
    }
}

/// Surname, given name and patronymic of a person (Kazakh patronymics as -ұлы / -қызы or in
/// the Russian form, as both are used).
pub fn full_name(rng: &mut Rng, kazakh: bool, sex: Sex) -> (String, String, Option<String>) {
    let surnames = if kazakh {
        KAZAKH_SURNAMES
    } else {
        RUSSIAN_SURNAMES
    };
    let surname = surnames[rng.skewed(surnames.len())];
    let surname = match sex {
        Sex::Male => surname.to_owned(),
        Sex::Female => feminine(surname),
    };
    let given = match (kazakh, sex) {
        (true, Sex::Male) => KAZAKH_MALE,
        (true, Sex::Female) => KAZAKH_FEMALE,
        (false, Sex::Male) => RUSSIAN_MALE,
        (false, Sex::Female) => RUSSIAN_FEMALE,
    };
    let given = given[rng.skewed(given.len())].to_owned();
    let fathers = if kazakh { KAZAKH_MALE } else { RUSSIAN_MALE };
    let father = fathers[rng.below(fathers.len())];
    let patronymic = if rng.chance(0.1) {
        None
    } else if kazakh && rng.chance(0.5) {
        Some(match sex {
            Sex::Male => format!("{father}ұлы"),
            Sex::Female => format!("{father}қызы"),
        })
    } else {
        let stem = father.trim_end_matches(['й', 'ь']);
        let soft = father.ends_with(['й', 'ь']);
        Some(match (sex, soft) {
            (Sex::Male, false) => format!("{stem}ович"),
            (Sex::Male, true) => format!("{stem}евич"),
            (Sex::Female, false) => format!("{stem}овна"),
            (Sex::Female, true) => format!("{stem}евна"),
        })
    };
    (surname, given, patronymic)
}
