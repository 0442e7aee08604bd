//! What both kinds of source (a live PostgreSQL, a plain `pg_dump` file) hand on: tables, each
//! with its column names, then its rows as text, exactly as PostgreSQL's COPY writes them.

use anyhow::{Context, bail};

/// Where the rows go as they are read (the staging database). A table may be announced more
/// than once (an `INSERT`-style dump names it in every statement): the rows add up.
pub trait Sink {
    fn table(&mut self, name: &str, columns: &[String]) -> anyhow::Result<()>;
    fn row(&mut self, values: Vec<Option<String>>) -> anyhow::Result<()>;
}

/// A table's name without its schema and quotes: `public."Order Items"` → `Order Items`.
pub fn bare_name(qualified: &str) -> String {
    let mut parts = Vec::new();
    let (mut current, mut quoted) = (String::new(), false);
    let mut chars = qualified.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    parts.push(current);
    parts.pop().unwrap_or_default()
}

/// The column names of a list like `(id, "Name", created_at)`.
pub fn column_list(list: &str) -> Vec<String> {
    let inner = list.trim().trim_start_matches('(').trim_end_matches(')');
    let mut out = Vec::new();
    let (mut current, mut quoted) = (String::new(), false);
    for c in inner.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut current).trim().to_owned()),
            c => current.push(c),
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_owned());
    }
    out
}

/// One line of COPY's text format: tab-separated fields, `\N` for NULL, backslash escapes.
pub fn decode_copy_line(line: &str, expected: usize) -> anyhow::Result<Vec<Option<String>>> {
    let fields: Vec<Option<String>> = line
        .split('\t')
        .map(|field| {
            if field == "\\N" {
                Ok(None)
            } else {
                unescape(field).map(Some)
            }
        })
        .collect::<anyhow::Result<_>>()?;
    if fields.len() != expected {
        bail!(
            "a row has {} fields where the table has {expected} columns",
            fields.len()
        );
    }
    Ok(fields)
}

fn unescape(field: &str) -> anyhow::Result<String> {
    if !field.contains('\\') {
        return Ok(field.to_owned());
    }
    let mut bytes = Vec::with_capacity(field.len());
    let mut it = field.bytes().peekable();
    while let Some(b) = it.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        let Some(next) = it.next() else {
            bail!("a field ends with a lone backslash");
        };
        match next {
            b'b' => bytes.push(8),
            b'f' => bytes.push(12),
            b'n' => bytes.push(b'\n'),
            b'r' => bytes.push(b'\r'),
            b't' => bytes.push(b'\t'),
            b'v' => bytes.push(11),
            b'0'..=b'7' => {
                let mut value = u32::from(next - b'0');
                for _ in 0..2 {
                    match it.peek() {
                        Some(d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            it.next();
                        }
                        _ => break,
                    }
                }
                bytes.push(value as u8);
            }
            b'x' => {
                let mut value = 0u32;
                for _ in 0..2 {
                    match it.peek().and_then(|d| (*d as char).to_digit(16)) {
                        Some(d) => {
                            value = value * 16 + d;
                            it.next();
                        }
                        None => break,
                    }
                }
                bytes.push(value as u8);
            }
            other => bytes.push(other),
        }
    }
    String::from_utf8(bytes).context("a field is not valid UTF-8 once unescaped")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_lines_decode_as_postgres_writes_them() {
        let row = decode_copy_line("1\t张三\\t王\t\\N\t多行\\n备注\t\\\\path\t\\101\\x42", 6).unwrap();
        assert_eq!(
            row,
            vec![
                Some("1".into()),
                Some("张三\t王".into()),
                None,
                Some("多行\n备注".into()),
                Some("\\path".into()),
                Some("AB".into()),
            ]
        );
        assert!(decode_copy_line("1\t2", 3).is_err(), "a short row is an error");
    }

    #[test]
    fn names_lose_schema_and_quotes() {
        assert_eq!(bare_name("public.users"), "users");
        assert_eq!(bare_name("public.\"Order \"\"Items\"\"\""), "Order \"Items\"");
        assert_eq!(bare_name("orders"), "orders");
        assert_eq!(
            column_list("(id, \"Name\", created_at)"),
            vec!["id", "Name", "created_at"]
        );
    }
}
