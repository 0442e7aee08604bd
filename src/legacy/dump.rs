//! Reads a plain-SQL `pg_dump` file (optionally gzip-compressed) as a stream: `COPY ... FROM
//! stdin;` blocks, or `INSERT INTO ...` statements for dumps made with `--inserts`. Nothing is
//! kept but the statement being read, so a dump of several GB takes no more memory than a small
//! one. Everything else in the dump (the schema, functions, grants) is skipped, except the
//! column lists of `CREATE TABLE`, which `INSERT` statements without column names need.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};

use anyhow::{Context, bail};

use super::source::{Sink, bare_name, column_list, decode_copy_line};

/// pg_dump's last line. A dump without it was cut short, even if it ends between statements.
const END_MARKER: &str = "-- PostgreSQL database dump complete";

/// Opens a dump, seeing through gzip by the file's first bytes rather than its name.
pub fn open(reader: impl Read + 'static) -> anyhow::Result<Box<dyn BufRead>> {
    let mut buffered = BufReader::with_capacity(256 * 1024, reader);
    let gzip = buffered
        .fill_buf()
        .context("cannot read the dump")?
        .starts_with(&[0x1f, 0x8b]);
    Ok(if gzip {
        Box::new(BufReader::with_capacity(
            256 * 1024,
            flate2::bufread::MultiGzDecoder::new(buffered),
        ))
    } else {
        Box::new(buffered)
    })
}

/// Where a statement's scan stands at the end of a line.
#[derive(Default)]
struct Quotes {
    single: bool,
    /// Inside E'...', where a backslash escapes the next character.
    escape_string: bool,
    double: bool,
    /// Inside $tag$...$tag$ (function bodies).
    dollar: Option<String>,
}

impl Quotes {
    fn open(&self) -> bool {
        self.single || self.double || self.dollar.is_some()
    }

    /// Scans one line; returns whether it ends a statement (a `;` outside any quotes, last on
    /// the line, which is how pg_dump ends every statement).
    fn scan(&mut self, line: &str) -> bool {
        let bytes = line.as_bytes();
        let mut i = 0;
        let mut last_significant = None;
        while i < bytes.len() {
            let b = bytes[i];
            if let Some(tag) = &self.dollar {
                if line[i..].starts_with(tag.as_str()) {
                    i += tag.len();
                    self.dollar = None;
                    continue;
                }
            } else if self.single {
                if self.escape_string && b == b'\\' {
                    i += 2;
                    continue;
                }
                if b == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    self.single = false;
                }
            } else if self.double {
                if b == b'"' {
                    self.double = false;
                }
            } else {
                match b {
                    b'-' if bytes.get(i + 1) == Some(&b'-') => break,
                    b'\'' => {
                        self.single = true;
                        self.escape_string = i > 0 && matches!(bytes[i - 1], b'E' | b'e');
                    }
                    b'"' => self.double = true,
                    b'$' => {
                        if let Some(end) = line[i + 1..].find('$') {
                            let tag = &line[i..i + end + 2];
                            if tag[1..tag.len() - 1].chars().all(|c| c.is_alphanumeric() || c == '_') {
                                self.dollar = Some(tag.to_owned());
                                i += tag.len();
                                continue;
                            }
                        }
                    }
                    _ => {}
                }
                if !b.is_ascii_whitespace() {
                    last_significant = Some(b);
                }
            }
            i += 1;
        }
        !self.open() && last_significant == Some(b';')
    }
}

/// Reads the whole dump into `sink`. Errors name the line.
pub fn read(mut input: Box<dyn BufRead>, sink: &mut dyn Sink) -> anyhow::Result<()> {
    let mut created: HashMap<String, Vec<String>> = HashMap::new();
    let (mut line, mut statement) = (String::new(), String::new());
    let mut quotes = Quotes::default();
    let mut copying: Option<(String, usize)> = None;
    let (mut number, mut complete, mut seen_any) = (0usize, false, false);
    loop {
        line.clear();
        let read = match input.read_line(&mut line) {
            Ok(n) => n,
            Err(err) if err.kind() == std::io::ErrorKind::InvalidData => {
                bail!(
                    "line {}: the dump is not UTF-8 text (is it a custom-format dump? use pg_dump's plain format)",
                    number + 1
                )
            }
            Err(err) => return Err(err).with_context(|| format!("cannot read the dump after line {number}")),
        };
        if read == 0 {
            break;
        }
        number += 1;
        let text = line.strip_suffix('\n').unwrap_or(&line);
        let text = text.strip_suffix('\r').unwrap_or(text);
        if let Some((table, columns)) = &copying {
            if text == "\\." {
                copying = None;
                continue;
            }
            // A last line without its newline is a row cut in two: the file was cut short,
            // whatever its fields happen to look like.
            if !line.ends_with('\n') {
                bail!("the dump ends in the middle of the rows of table {table} (line {number}): it is incomplete");
            }
            let row = decode_copy_line(text, *columns).with_context(|| format!("line {number}, table {table}"))?;
            sink.row(row)?;
            continue;
        }
        if statement.is_empty() {
            if text.starts_with(END_MARKER) {
                complete = true;
            }
            // psql meta-commands between statements (pg_dump 15.14+ writes `\restrict KEY`
            // and `\unrestrict KEY` around the dump) are not SQL.
            if text.trim().is_empty() || text.starts_with("--") || text.starts_with('\\') {
                continue;
            }
        }
        seen_any = true;
        statement.push_str(text);
        statement.push('\n');
        if !quotes.scan(text) {
            continue;
        }
        let done = std::mem::take(&mut statement);
        quotes = Quotes::default();
        if let Some(copy) = parse_copy(&done) {
            let (table, columns) = copy.with_context(|| format!("line {number}"))?;
            sink.table(&table, &columns)?;
            copying = Some((table, columns.len()));
        } else if let Some((table, columns)) = parse_create_table(&done) {
            created.insert(table, columns);
        } else if let Some(insert) = parse_insert(&done, &created) {
            let (table, columns, rows) = insert.with_context(|| format!("the INSERT ending on line {number}"))?;
            sink.table(&table, &columns)?;
            for row in rows {
                sink.row(row)?;
            }
        }
    }
    if let Some((table, _)) = copying {
        bail!("the dump ends in the middle of the rows of table {table} (line {number}): it is incomplete");
    }
    if !statement.trim().is_empty() {
        bail!("the dump ends in the middle of a statement (line {number}): it is incomplete");
    }
    if !seen_any {
        bail!("the file holds no SQL: is it a pg_dump file?");
    }
    if !complete {
        bail!("the dump has no \"{END_MARKER}\" line at its end: it was cut short, or is not a pg_dump file");
    }
    Ok(())
}

/// `COPY public.users (id, username) FROM stdin;`
fn parse_copy(statement: &str) -> Option<anyhow::Result<(String, Vec<String>)>> {
    let rest = statement.trim().strip_prefix("COPY ")?;
    let rest = rest.strip_suffix(';')?.trim_end();
    let rest = rest.strip_suffix("FROM stdin")?.trim_end();
    let open = rest.find('(');
    let Some(open) = open else {
        return Some(Err(anyhow::anyhow!(
            "a COPY statement without a column list: {}",
            statement.trim()
        )));
    };
    Some(Ok((bare_name(&rest[..open]), column_list(&rest[open..]))))
}

/// `CREATE TABLE public.users (\n id integer NOT NULL,\n ...\n);` → the column names.
fn parse_create_table(statement: &str) -> Option<(String, Vec<String>)> {
    let rest = statement.trim().strip_prefix("CREATE TABLE ")?;
    let open = rest.find('(')?;
    let name = bare_name(rest[..open].trim());
    let body = &rest[open + 1..rest.rfind(')')?];
    let constraint_words = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE", "LIKE"];
    let columns = body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .filter_map(|l| {
            let first = l.split_whitespace().next()?;
            if constraint_words.contains(&first) {
                return None;
            }
            Some(bare_name(first.trim_end_matches(',')))
        })
        .collect();
    Some((name, columns))
}

type Insert = (String, Vec<String>, Vec<Vec<Option<String>>>);

/// `INSERT INTO public.users [(cols)] VALUES (...)[, (...)];`
fn parse_insert(statement: &str, created: &HashMap<String, Vec<String>>) -> Option<anyhow::Result<Insert>> {
    let rest = statement.trim().strip_prefix("INSERT INTO ")?;
    Some((|| {
        let values_at = find_keyword(rest, "VALUES").context("an INSERT without VALUES")?;
        let head = rest[..values_at].trim();
        let (table, columns) = match head.find('(') {
            Some(open) => (bare_name(&head[..open]), column_list(&head[open..])),
            None => {
                let table = bare_name(head);
                let columns = created
                    .get(&table)
                    .cloned()
                    .with_context(|| format!("an INSERT into {table} without column names, before its CREATE TABLE"))?;
                (table, columns)
            }
        };
        let rows = parse_tuples(rest[values_at + "VALUES".len()..].trim().trim_end_matches(';'))?;
        for row in &rows {
            if row.len() != columns.len() {
                bail!(
                    "a row of {table} has {} values where it names {} columns",
                    row.len(),
                    columns.len()
                );
            }
        }
        Ok((table, columns, rows))
    })())
}

/// Where a keyword stands outside quotes.
fn find_keyword(text: &str, keyword: &str) -> Option<usize> {
    let (mut single, mut double) = (false, false);
    for (i, c) in text.char_indices() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            _ if !single && !double && text[i..].starts_with(keyword) => return Some(i),
            _ => {}
        }
    }
    None
}

/// `(1, 'a''b', NULL), (2, E'x\ny', 3.50)` → rows of text values.
fn parse_tuples(text: &str) -> anyhow::Result<Vec<Vec<Option<String>>>> {
    let chars: Vec<char> = text.chars().collect();
    let (mut i, mut rows) = (0, Vec::new());
    let skip_space = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_whitespace() {
            *i += 1;
        }
    };
    loop {
        skip_space(&mut i);
        if i >= chars.len() {
            break;
        }
        if chars[i] != '(' {
            bail!("expected ( at {:?}", chars[i..].iter().take(20).collect::<String>());
        }
        i += 1;
        let mut row = Vec::new();
        loop {
            skip_space(&mut i);
            let value = if i < chars.len()
                && (chars[i] == '\'' || (matches!(chars[i], 'E' | 'e') && chars.get(i + 1) == Some(&'\'')))
            {
                let escapes = chars[i] != '\'';
                i += if escapes { 2 } else { 1 };
                let mut s = String::new();
                loop {
                    let Some(&c) = chars.get(i) else {
                        bail!("a string value is not closed")
                    };
                    i += 1;
                    match c {
                        '\'' if chars.get(i) == Some(&'\'') => {
                            s.push('\'');
                            i += 1;
                        }
                        '\'' => break,
                        '\\' if escapes => {
                            let Some(&e) = chars.get(i) else {
                                bail!("a string value ends in a backslash")
                            };
                            i += 1;
                            s.push(match e {
                                'n' => '\n',
                                't' => '\t',
                                'r' => '\r',
                                'b' => '\u{8}',
                                'f' => '\u{c}',
                                other => other,
                            });
                        }
                        c => s.push(c),
                    }
                }
                Some(s)
            } else {
                let start = i;
                while i < chars.len() && chars[i] != ',' && chars[i] != ')' {
                    i += 1;
                }
                let raw: String = chars[start..i].iter().collect();
                let raw = raw.trim();
                if raw.eq_ignore_ascii_case("NULL") {
                    None
                } else if raw.eq_ignore_ascii_case("true") {
                    Some("t".to_owned())
                } else if raw.eq_ignore_ascii_case("false") {
                    Some("f".to_owned())
                } else {
                    Some(raw.to_owned())
                }
            };
            // A cast after the value ('2024-01-01'::date): the value is what counts.
            skip_space(&mut i);
            if chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
                while i < chars.len() && chars[i] != ',' && chars[i] != ')' {
                    i += 1;
                }
            }
            row.push(value);
            skip_space(&mut i);
            match chars.get(i) {
                Some(',') => i += 1,
                Some(')') => {
                    i += 1;
                    break;
                }
                _ => bail!("a row of values is not closed"),
            }
        }
        rows.push(row);
        skip_space(&mut i);
        if chars.get(i) == Some(&',') {
            i += 1;
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Collect(Vec<(String, Vec<String>)>, Vec<Vec<Option<String>>>);

    impl Sink for Collect {
        fn table(&mut self, name: &str, columns: &[String]) -> anyhow::Result<()> {
            self.0.push((name.to_owned(), columns.to_vec()));
            Ok(())
        }
        fn row(&mut self, values: Vec<Option<String>>) -> anyhow::Result<()> {
            self.1.push(values);
            Ok(())
        }
    }

    fn read_text(text: &str) -> anyhow::Result<Collect> {
        let mut sink = Collect::default();
        read(open(std::io::Cursor::new(text.as_bytes().to_vec()))?, &mut sink)?;
        Ok(sink)
    }

    const COPY_DUMP: &str = "\\restrict abc123\n--\n-- PostgreSQL database dump\n--\nSET client_encoding = 'UTF8';\n\
CREATE FUNCTION public.f() RETURNS trigger\n    LANGUAGE plpgsql\n    AS $$\nBEGIN\n  RETURN NEW; -- ; inside\nEND;\n$$;\n\
CREATE TABLE public.users (\n    id integer NOT NULL,\n    username character varying(50) NOT NULL,\n    CONSTRAINT x CHECK (true)\n);\n\
COPY public.users (id, username) FROM stdin;\n1\tsuperAdmin\n2\t张三\\t\n\\.\n\n--\n-- PostgreSQL database dump complete\n--\n\\unrestrict abc123\n";

    #[test]
    fn copy_blocks_are_read_past_functions_and_the_schema() {
        let got = read_text(COPY_DUMP).unwrap();
        assert_eq!(
            got.0,
            vec![("users".to_owned(), vec!["id".to_owned(), "username".to_owned()])]
        );
        assert_eq!(got.1[1], vec![Some("2".into()), Some("张三\t".into())]);
    }

    #[test]
    fn insert_dumps_are_read_with_or_without_column_names() {
        let dump = "CREATE TABLE public.notes (\n    id integer,\n    body text\n);\n\
INSERT INTO public.notes VALUES (1, 'it''s; fine');\n\
INSERT INTO public.notes (id, body) VALUES (2, E'two\\nlines'), (3, NULL);\n\
INSERT INTO public.notes VALUES (4, 'multi\nline ; value');\n\
-- PostgreSQL database dump complete\n";
        let got = read_text(dump).unwrap();
        let bodies: Vec<Option<String>> = got.1.iter().map(|r| r[1].clone()).collect();
        assert_eq!(
            bodies,
            vec![
                Some("it's; fine".into()),
                Some("two\nlines".into()),
                None,
                Some("multi\nline ; value".into())
            ]
        );
    }

    #[test]
    fn a_cut_dump_is_refused() {
        let cut = &COPY_DUMP[..COPY_DUMP.find("\\.").unwrap()];
        let err = read_text(cut).err().unwrap().to_string();
        assert!(err.contains("middle of the rows of table users"), "{err}");
        // Cut inside a row: its first fields are there, the rest are not.
        let mid_row = &COPY_DUMP[..COPY_DUMP.find("\\.").unwrap() - 2];
        let err = read_text(mid_row).err().unwrap().to_string();
        assert!(err.contains("middle of the rows of table users"), "{err}");
        let no_marker = &COPY_DUMP[..COPY_DUMP.find("\n--\n-- PostgreSQL database dump complete").unwrap()];
        let err = read_text(no_marker).err().unwrap().to_string();
        assert!(err.contains("cut short"), "{err}");
    }

    #[test]
    fn gzip_is_seen_through() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(COPY_DUMP.as_bytes()).unwrap();
        let bytes = gz.finish().unwrap();
        let mut sink = Collect::default();
        read(open(std::io::Cursor::new(bytes)).unwrap(), &mut sink).unwrap();
        assert_eq!(sink.1.len(), 2);
    }
}
