//! A small RFC 4180 CSV reader: quoted fields, doubled quotes, CRLF or LF
//! line ends, newlines inside quotes. Each record carries the line it
//! starts on, for error messages.

/// One record and the 1-based line it starts on.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// A CSV syntax error.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct CsvError {
    pub line: usize,
    pub message: &'static str,
}

/// Most fields one record may have; more means the file is not what we
/// expect.
const MAX_FIELDS: usize = 64;

/// Splits `text` into records; blank lines are skipped.
pub(crate) fn parse(text: &str) -> Result<Vec<Record>, CsvError> {
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = 1usize;
    let mut start_line = 1usize;
    let mut in_quotes = false;
    let mut quoted_field = false;
    let mut chars = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .chars()
        .peekable();
    let mut end_record = |fields: &mut Vec<String>, field: &mut String, start: usize| {
        fields.push(std::mem::take(field));
        let done = std::mem::take(fields);
        if !(done.len() == 1 && done.first().is_some_and(|f| f.is_empty())) {
            records.push(Record {
                line: start,
                fields: done,
            });
        }
    };
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line = line.saturating_add(1);
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !quoted_field => {
                in_quotes = true;
                quoted_field = true;
            }
            '"' => {
                return Err(CsvError {
                    line,
                    message: "quote inside an unquoted field",
                });
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                quoted_field = false;
                if fields.len() >= MAX_FIELDS {
                    return Err(CsvError {
                        line,
                        message: "too many fields",
                    });
                }
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                end_record(&mut fields, &mut field, start_line);
                quoted_field = false;
                line = line.saturating_add(1);
                start_line = line;
            }
            _ if quoted_field => {
                return Err(CsvError {
                    line,
                    message: "text after a closing quote",
                });
            }
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err(CsvError {
            line: start_line,
            message: "unterminated quoted field",
        });
    }
    end_record(&mut fields, &mut field, start_line);
    Ok(records)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_quotes_and_line_numbers() {
        let r = parse("a,b\r\n\"x,\"\"y\"\"\",\"multi\nline\"\n\nc,\n").unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[1].fields, vec!["x,\"y\"", "multi\nline"]);
        assert_eq!(r[1].line, 2);
        assert_eq!(r[2].line, 5);
        assert_eq!(r[2].fields, vec!["c", ""]);
    }

    #[test]
    fn reports_errors_with_lines() {
        assert_eq!(parse("a\n\"open").unwrap_err().line, 2);
        assert_eq!(parse("a\nb\"c").unwrap_err().line, 2);
        assert_eq!(
            parse("\"a\"b").unwrap_err().message,
            "text after a closing quote"
        );
    }
}
