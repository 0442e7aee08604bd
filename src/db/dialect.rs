//! The store's SQL as PostgreSQL reads it.
//!
//! Store functions keep one body per query, written in the SQL both engines accept (see the
//! rules in DESIGN.md and docs/postgresql.md). Three things cannot be written that way and
//! are rewritten here, once per statement, for the PostgreSQL backend (issue 21, being built):
//!
//! - placeholders: SQLite's `?` and `?NNN` become `$N`. A bare `?` takes the number after the
//!   largest used so far, as SQLite numbers it, so `?1 .. ?` mixes mean the same on both;
//! - `LIKE` becomes `ILIKE`: SQLite's LIKE ignores ASCII case, and every search here relies
//!   on that;
//! - `exact_sum(...)` becomes `SUM(...)`: our SQLite aggregate that never overflows (functions.rs) is
//!   what PostgreSQL's SUM of a bigint already is (an exact numeric).
//!
//! Text in quotes ('...' literals, "..." identifiers) and comments is left exactly as it is.

use std::borrow::Cow;

/// `sql` with SQLite's placeholders, LIKE and exact_sum in PostgreSQL's words; borrowed
/// unchanged when there is nothing to rewrite.
pub fn to_postgres(sql: &str) -> Cow<'_, str> {
    if !sql.contains('?') && !contains_word(sql, "like") && !contains_word(sql, "exact_sum") {
        return Cow::Borrowed(sql);
    }
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 16);
    let mut largest = 0u32;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\'' | b'"' => {
                let end = closing_quote(bytes, i);
                out.push_str(&sql[i..end]);
                i = end;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                let end = sql[i..].find('\n').map_or(bytes.len(), |n| i + n);
                out.push_str(&sql[i..end]);
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = sql[i + 2..].find("*/").map_or(bytes.len(), |n| i + 2 + n + 2);
                out.push_str(&sql[i..end]);
                i = end;
            }
            b'?' => {
                let digits = bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
                let n = if digits == 0 {
                    largest + 1
                } else {
                    sql[i + 1..i + 1 + digits].parse().unwrap_or(u32::MAX)
                };
                largest = largest.max(n);
                out.push('$');
                out.push_str(&n.to_string());
                i += 1 + digits;
            }
            c if is_word_byte(c) => {
                let len = bytes[i..].iter().take_while(|b| is_word_byte(**b)).count();
                let word = &sql[i..i + len];
                if word.eq_ignore_ascii_case("like") {
                    out.push_str("ILIKE");
                } else if word.eq_ignore_ascii_case("exact_sum") && sql[i + len..].trim_start().starts_with('(') {
                    out.push_str("SUM");
                } else {
                    out.push_str(word);
                }
                i += len;
            }
            _ => {
                // Any other character, whole (the SQL may hold Chinese text outside quotes only
                // in comments, but a char boundary is kept whatever it holds).
                let ch = sql[i..].chars().next().unwrap_or(' ');
                out.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    Cow::Owned(out)
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The index just past the quote that closes the one at `start` (a doubled quote is part of
/// the text); the end of the SQL when it is never closed.
fn closing_quote(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        if bytes[i] == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

/// Whether `word` (lower case) appears in `sql` as a whole word, in any case.
fn contains_word(sql: &str, word: &str) -> bool {
    let lower = sql.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    lower.match_indices(word).any(|(at, _)| {
        let before = at.checked_sub(1).map(|b| bytes[b]);
        let after = bytes.get(at + word.len()).copied();
        !before.is_some_and(is_word_byte) && !after.is_some_and(is_word_byte)
    })
}

#[cfg(test)]
mod tests {
    use super::to_postgres;

    #[test]
    fn placeholders_are_numbered_as_sqlite_numbers_them() {
        assert_eq!(
            to_postgres("SELECT a FROM t WHERE b = ? AND c = ?"),
            "SELECT a FROM t WHERE b = $1 AND c = $2"
        );
        assert_eq!(
            to_postgres("UPDATE t SET a = ?1 + ?3, b = ?2 WHERE id = ?1"),
            "UPDATE t SET a = $1 + $3, b = $2 WHERE id = $1"
        );
        // A bare ? after ?3 is ?4, as in SQLite.
        assert_eq!(to_postgres("VALUES (?3, ?1, ?)"), "VALUES ($3, $1, $4)");
        assert_eq!(to_postgres("SELECT 1"), "SELECT 1");
    }

    #[test]
    fn like_is_ilike_and_exact_sum_is_sum() {
        assert_eq!(
            to_postgres("WHERE name LIKE ? ESCAPE '\\' OR sku not like ?"),
            "WHERE name ILIKE $1 ESCAPE '\\' OR sku not ILIKE $2"
        );
        assert_eq!(
            to_postgres("SELECT exact_sum(total_minor), EXACT_SUM (x) FROM orders"),
            "SELECT SUM(total_minor), SUM (x) FROM orders"
        );
        // Words that merely contain the keywords stay.
        assert_eq!(
            to_postgres("SELECT likes, unlike, exact_sums FROM t"),
            "SELECT likes, unlike, exact_sums FROM t"
        );
    }

    #[test]
    fn quoted_text_and_comments_are_left_alone() {
        assert_eq!(
            to_postgres(
                "SELECT '?', 'it''s ? LIKE', \"LIKE?\" FROM t -- a ? LIKE\nWHERE a = ? /* ?1 like */ AND b LIKE ?"
            ),
            "SELECT '?', 'it''s ? LIKE', \"LIKE?\" FROM t -- a ? LIKE\nWHERE a = $1 /* ?1 like */ AND b ILIKE $2"
        );
        assert_eq!(to_postgres("SELECT '粮油 ?' || ? AS 名"), "SELECT '粮油 ?' || $1 AS 名");
        // An unclosed quote keeps the rest as it is rather than rewriting inside it.
        assert_eq!(to_postgres("SELECT ? || 'oops ?"), "SELECT $1 || 'oops ?");
    }
}
