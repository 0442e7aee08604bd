//! Checks on text shared by every capability, and the normal forms that make look-alike
//! spellings one value.
//!
//! Every text a client sends goes through [`required_text`] or [`optional_text`]: Unicode NFC
//! (a composed "é" and "e" + accent are one spelling), invisible characters (zero-width space,
//! BOM, word joiner, soft hyphen, ...) removed, and bidirectional controls (U+202E and kin, which
//! make text read differently from how it is stored) refused. Identifiers (SKUs, usernames,
//! phone numbers) are further folded with NFKC by [`identifier`], so a full-width "ＮＦ-550"
//! is "NF-550"; free text keeps its full-width punctuation, which Chinese writing uses.

use unicode_normalization::UnicodeNormalization;

use crate::error::AppError;

/// Characters that change which way text runs: text with them reads differently on screen from
/// the order it is stored in. Refused everywhere.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that show as nothing. Removed; the zero-width joiners are kept in free text,
/// where emoji sequences and some scripts need them.
fn is_invisible(c: char, keep_joiners: bool) -> bool {
    match c {
        '\u{200C}' | '\u{200D}' => !keep_joiners,
        '\u{00AD}' | '\u{034F}' | '\u{180E}' | '\u{200B}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' => true,
        _ => false,
    }
}

/// NFC with invisible characters removed; bidi controls refused.
fn normal_text(field: &str, raw: &str) -> Result<String, AppError> {
    if raw.chars().any(is_bidi_control) {
        return Err(AppError::validation(
            field,
            "must not contain text-direction control characters (such as U+202E)",
        ));
    }
    Ok(raw.chars().filter(|c| !is_invisible(*c, true)).nfc().collect())
}

/// The canonical spelling of an identifier as typed: NFKC (full-width letters and digits become
/// ASCII, compatibility forms their plain letters), invisible characters removed, trimmed.
/// Bidi controls are not removed here: the validation that follows refuses them.
pub fn identifier(raw: &str) -> String {
    let folded: String = raw.nfkc().filter(|c| !is_invisible(*c, false)).collect();
    folded.trim().to_owned()
}

/// The key two identifiers are the same under: [`identifier`], then lower case (all of
/// Unicode, not only ASCII). `nf-550`, `NF-550` and `ＮＦ－５５０` have one key.
pub fn identifier_key(raw: &str) -> String {
    identifier(raw).to_lowercase()
}

/// A required text field: trimmed, not empty, at most `max` characters.
pub fn required_text(field: &str, raw: &str, max: usize) -> Result<String, AppError> {
    let text = normal_text(field, raw)?;
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::validation(field, "must not be empty"));
    }
    if text.chars().count() > max {
        return Err(AppError::validation(field, format!("must be at most {max} characters")));
    }
    if text.chars().any(char::is_control) {
        return Err(AppError::validation(field, "must not contain control characters"));
    }
    Ok(text.to_owned())
}

/// An optional text field: trimmed, empty means none, at most `max` characters. Line breaks
/// are allowed (notes, addresses); other control characters are not.
pub fn optional_text(field: &str, raw: Option<&str>, max: usize) -> Result<Option<String>, AppError> {
    let Some(raw) = raw else { return Ok(None) };
    let text = normal_text(field, raw)?;
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > max {
        return Err(AppError::validation(field, format!("must be at most {max} characters")));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(AppError::validation(field, "must not contain control characters"));
    }
    Ok(Some(text.to_owned()))
}

/// For PATCH bodies: tells "absent" (None) from "null" (Some(None)). Use with
/// `#[serde(default, deserialize_with = "nullable")]`.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alike_spellings_are_one_identifier() {
        for (a, b) in [
            ("ＮＦ-550", "NF-550"),
            ("NF\u{200B}-550", "NF-550"),
            ("\u{FEFF}NF-550", "NF-550"),
            ("NF\u{200D}-550", "NF-550"),
            ("caf\u{0065}\u{0301}", "caf\u{00E9}"),
        ] {
            assert_eq!(identifier(a), identifier(b), "{a:?} and {b:?}");
        }
        assert_eq!(identifier_key("nf-550"), identifier_key("ＮＦ－５５０"));
        assert_eq!(identifier_key("Ärger"), identifier_key("äRGER"));
    }

    #[test]
    fn free_text_is_nfc_without_invisibles_and_refuses_bidi() {
        assert_eq!(
            required_text("name", "e\u{0301}clair\u{200B}", 50).unwrap(),
            "\u{00E9}clair"
        );
        // Full-width punctuation stays in free text: Chinese writing uses it.
        assert_eq!(required_text("name", "金龙鱼（5L）", 50).unwrap(), "金龙鱼（5L）");
        // Emoji sequences keep their joiner.
        assert_eq!(required_text("name", "👩\u{200D}🍳", 50).unwrap(), "👩\u{200D}🍳");
        assert!(required_text("name", "abc\u{202E}fdp.exe", 50).is_err());
        assert!(optional_text("note", Some("\u{2066}x"), 50).is_err());
        assert_eq!(optional_text("note", Some("\u{200B}"), 50).unwrap(), None);
    }
}

/// The key a name sorts by, as Chinese lists are sorted: the letters first, with Chinese
/// characters as their pinyin and everything in lower case, then the tones, to order
/// homophones ("金龙鱼" → "jinlongyu 122", "Alice" → "alice "). Kept beside the name
/// (`name_sort` columns) so lists sort by it with an index; it is ASCII for Chinese and Latin
/// names, so every database orders it alike.
pub fn sort_key(name: &str) -> String {
    use pinyin::ToPinyin;
    let (mut letters, mut tones) = (String::with_capacity(name.len() * 2), String::new());
    for (c, p) in name.chars().zip(name.to_pinyin()) {
        match p {
            Some(p) => {
                letters.push_str(p.plain());
                tones.push(
                    p.with_tone_num_end()
                        .chars()
                        .last()
                        .filter(char::is_ascii_digit)
                        .unwrap_or('5'),
                );
            }
            None => letters.extend(c.to_lowercase()),
        }
    }
    letters.push(' ');
    letters.push_str(&tones);
    letters
}

/// The first letter of each word of a name as people type it to find it: the pinyin initial of
/// each Chinese character and the first letter or digit of each run of others, in lower case
/// ("金龙鱼" → "jly", "金龙鱼 5L 花生油" → "jly5hsy"). Kept beside the name (`name_initials`)
/// so `jly` finds 金龙鱼.
pub fn initials(name: &str) -> String {
    use pinyin::ToPinyin;
    let mut out = String::new();
    let mut in_word = false;
    for (c, p) in name.chars().zip(name.to_pinyin()) {
        match p {
            Some(p) => {
                out.push_str(p.first_letter());
                in_word = false;
            }
            None if c.is_alphanumeric() => {
                if !in_word {
                    out.extend(c.to_lowercase());
                }
                in_word = true;
            }
            None => in_word = false,
        }
    }
    out
}

/// A phone number's digits, without a +86 / 0086 country prefix, so "+86 139-0011-2233" and
/// "13900112233" are found by each other. None when there are no digits.
pub fn phone_digits(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let national = if digits.len() == 13 && digits.starts_with("86") {
        &digits[2..]
    } else if digits.len() == 15 && digits.starts_with("0086") {
        &digits[4..]
    } else {
        &digits
    };
    (!national.is_empty()).then(|| national.to_owned())
}

#[cfg(test)]
mod key_tests {
    use super::*;

    #[test]
    fn chinese_names_sort_by_pinyin() {
        let mut names = vec!["张三", "李四", "阿姨", "王五", "Bob", "alice", "赵六"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(names, vec!["alice", "阿姨", "Bob", "李四", "王五", "张三", "赵六"]);
        assert_eq!(sort_key("金龙鱼"), "jinlongyu 122");
        assert!(sort_key("中") < sort_key("重"), "homophones by tone");
    }

    #[test]
    fn names_have_pinyin_initials() {
        assert_eq!(initials("金龙鱼"), "jly");
        assert_eq!(initials("金龙鱼 5L 花生油"), "jly5hsy");
        assert_eq!(initials("Green Tea 绿茶"), "gtlc");
        assert_eq!(initials("---"), "");
    }

    #[test]
    fn phone_numbers_compare_by_their_national_digits() {
        assert_eq!(phone_digits("+86 139-0011-2233").as_deref(), Some("13900112233"));
        assert_eq!(phone_digits("0086 13900112233").as_deref(), Some("13900112233"));
        assert_eq!(phone_digits("(021) 6234-5678").as_deref(), Some("02162345678"));
        assert_eq!(phone_digits("n/a"), None);
    }
}
