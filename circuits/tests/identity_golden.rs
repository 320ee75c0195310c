//! Golden vectors of the identity encoding: tricky names (accents,
//! Cyrillic, Greek, Arabic, Hebrew, CJK, Hangul, kana, Thai, Devanagari,
//! ligatures, combining marks, full-width letters, invisible spaces,
//! emoji) with their normalised lines and `identity_hash`es.
//!
//! `normalise_identity` folds names to ASCII with `deunicode`'s tables (the
//! workspace pins its exact version). A change to those tables would give
//! one person two identity hashes, so a credential would no longer match
//! the sanctions tree built from the same name: these vectors catch it.
//! Regenerate on purpose with `ZKCOMPLY_UPDATE_GOLDEN=1`, after changing
//! `CIRCUIT_ID` if any vector changed.

use serde_json::{json, Value};
use zkcomply_circuits::encoding::{identity_hash, normalise_identity};
use zkcomply_circuits::field::fr_to_decimal;
use zkcomply_circuits::CIRCUIT_ID;

mod support;

const GOLDEN: &str = "identity_encodings.json";

const LINES: &[&str] = &[
    "José Müller-Łukasz|1980-02-29|de",
    "Jose\u{301} Mu\u{308}ller-\u{141}ukasz|1980-02-29|DE",
    "Владимир Путин|1952-10-07|RU",
    "Αλέξης Τσίπρας|1974-07-28|GR",
    "علي خامنئي|1939-04-19|IR",
    "בנימין נתניהו|1949-10-21|IL",
    "金正恩|1984-01-08|KP",
    "김정은|1984-01-08|KP",
    "やまだ たろう|1970-01-01|JP",
    "ทักษิณ ชินวัตร|1949-07-26|TH",
    "नरेन्द्र मोदी|1950-09-17|IN",
    "შევარდნაძე|1928-01-25|GE",
    "Nguyễn Tấn Dũng|1949-11-17|VN",
    "İsmail Işık|1975-05-05|tr",
    "Þórður Ægir Øster|1970-01-01|IS",
    "ﬁnn Œdipus Straße|1960-01-01|DE",
    "ＪＯＨＮ　ＤＯＥ|1990-01-01|US",
    "Anna\u{a0}Maria\u{200b}Karenina|1980-01-01|RU",
    "Bob 😀 Smith|1990-01-01|US",
    "😀|1990-01-01|US",
];

fn vector(line: &str) -> Value {
    match (normalise_identity(line), identity_hash(line)) {
        (Ok(normalised), Ok(hash)) => {
            assert!(normalised.is_ascii(), "{line:?} folds to ASCII");
            json!({ "line": line, "normalised": normalised, "identity_hash": fr_to_decimal(&hash) })
        }
        (Err(e), Err(_)) => json!({ "line": line, "error": e.to_string() }),
        (n, h) => panic!("{line:?}: normalisation {n:?} and hash {h:?} disagree"),
    }
}

#[test]
fn identity_encodings_are_pinned() {
    let vectors = json!({
        "circuit_id": CIRCUIT_ID,
        "identities": LINES.iter().map(|l| vector(l)).collect::<Vec<_>>(),
    });
    support::golden::check_tied_to_circuit_id(GOLDEN, &vectors, &["identities"]);
}
