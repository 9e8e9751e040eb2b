//! RFC 2047 encoded-words in header values: `=?utf-8?b?…?=` and `=?utf-8?q?…?=`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::mime::decode_charset;
use crate::transfer::unescape;

/// Decodes every encoded-word of an (unfolded) header value. Whitespace between two adjacent
/// encoded-words is dropped, as RFC 2047 §6.2 says, and their bytes are joined before decoding,
/// so a UTF-8 character split across two words survives. Text that is not a well-formed
/// encoded-word is kept as it is.
pub(crate) fn decode_header(value: &str) -> String {
    let mut out = String::new();
    let mut pending: Option<Word> = None;
    let mut rest = value;
    while let Some((start, word, len)) = next_word(rest) {
        let gap = &rest[..start];
        let adjacent = pending.is_some() && gap.trim().is_empty();
        match &mut pending {
            Some(previous) if adjacent && previous.charset == word.charset => {
                previous.bytes.extend(word.bytes);
            }
            _ => {
                flush(&mut pending, &mut out);
                if !adjacent {
                    out.push_str(gap);
                }
                pending = Some(word);
            }
        }
        rest = &rest[start + len..];
    }
    flush(&mut pending, &mut out);
    out.push_str(rest);
    out
}

struct Word {
    charset: String,
    bytes: Vec<u8>,
}

/// Finds the first well-formed encoded-word in `text`: its start, its decoded bytes, its length.
fn next_word(text: &str) -> Option<(usize, Word, usize)> {
    let mut from = 0;
    while let Some(offset) = text[from..].find("=?") {
        let start = from + offset;
        if let Some((word, len)) = parse_word(&text[start..]) {
            return Some((start, word, len));
        }
        from = start + 2;
    }
    None
}

/// Parses `=?charset?enc?text?=` at the start of `text`.
fn parse_word(text: &str) -> Option<(Word, usize)> {
    let body = text.strip_prefix("=?")?;
    let (charset, body) = body.split_once('?')?;
    let (encoding, body) = body.split_once('?')?;
    let end = body.find("?=")?;
    let encoded = &body[..end];
    if charset.is_empty() || encoded.contains(char::is_whitespace) {
        return None;
    }
    let bytes = match encoding {
        "B" | "b" => STANDARD.decode(encoded).ok()?,
        "Q" | "q" => {
            let mut bytes = Vec::with_capacity(encoded.len());
            unescape(encoded.replace('_', " ").as_bytes(), b'=', &mut bytes);
            bytes
        }
        _ => return None,
    };
    let len = 2 + charset.len() + 1 + encoding.len() + 1 + end + 2;
    // RFC 2231 allows a language after `*`: `utf-8*es`.
    let charset = charset.split('*').next().unwrap_or(charset).to_ascii_lowercase();
    Some((Word { charset, bytes }, len))
}

fn flush(pending: &mut Option<Word>, out: &mut String) {
    if let Some(word) = pending.take() {
        out.push_str(&decode_charset(&word.bytes, &word.charset));
    }
}

#[cfg(test)]
mod tests {
    use super::decode_header;

    #[test]
    fn base64_and_q_words_decode() {
        assert_eq!(
            decode_header("=?utf-8?b?VmVyaWZpY8OhIHR1IGNvcnJlbyDigJQgbWliaW8=?="),
            "Verificá tu correo — mibio"
        );
        assert_eq!(decode_header("=?UTF-8?Q?Verific=C3=A1_tu_correo?="), "Verificá tu correo");
        assert_eq!(decode_header("=?iso-8859-1?q?Verific=E1?="), "Verificá");
    }

    #[test]
    fn whitespace_between_adjacent_words_is_dropped_and_split_characters_survive() {
        // "á" is C3 A1: its two bytes sit in two different words.
        assert_eq!(
            decode_header("=?utf-8?q?Verific=C3?=\r\n =?utf-8?q?=A1_tu?= correo"),
            "Verificá tu correo"
        );
        assert_eq!(decode_header("Hola =?utf-8?q?Mar=C3=ADa?=, bienvenida"), "Hola María, bienvenida");
        assert_eq!(decode_header("=?utf-8*es?q?=C2=A1Hola!?="), "¡Hola!");
    }

    #[test]
    fn malformed_words_and_plain_text_are_kept() {
        assert_eq!(decode_header("plain subject"), "plain subject");
        assert_eq!(decode_header("=?utf-8?x?abc?= and =?broken"), "=?utf-8?x?abc?= and =?broken");
        assert_eq!(decode_header("a =?utf-8?q?has space?= b"), "a =?utf-8?q?has space?= b");
    }
}
