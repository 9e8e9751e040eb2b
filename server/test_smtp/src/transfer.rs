//! Content-Transfer-Encodings (RFC 2045 §6): quoted-printable and base64, back to bytes.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Decodes a part body by its `Content-Transfer-Encoding` (`7bit`, `8bit` and `binary` pass
/// through). A base64 body that does not decode is returned as it is.
pub(crate) fn decode(body: &str, encoding: Option<&str>) -> Vec<u8> {
    match encoding.map(|e| e.trim().to_ascii_lowercase()).as_deref() {
        Some("quoted-printable") => quoted_printable(body),
        Some("base64") => {
            let compact: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            STANDARD.decode(compact).unwrap_or_else(|_| body.as_bytes().to_vec())
        }
        _ => body.as_bytes().to_vec(),
    }
}

/// Quoted-printable: `=XX` is a byte, `=` at the end of a line is a soft line break, trailing
/// whitespace on a line was added in transport and is dropped.
fn quoted_printable(body: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    for line in body.split_inclusive('\n') {
        let (text, hard_break) = match line.strip_suffix('\n') {
            Some(text) => (text.strip_suffix('\r').unwrap_or(text), true),
            None => (line, false),
        };
        let text = text.trim_end_matches([' ', '\t']);
        let (text, soft_break) = match text.strip_suffix('=') {
            Some(text) => (text, true),
            None => (text, false),
        };
        unescape(text.as_bytes(), b'=', &mut out);
        if hard_break && !soft_break {
            out.extend_from_slice(b"\r\n");
        }
    }
    out
}

/// Appends `text` to `out`, turning `{escape}XX` (two hex digits) into the byte `0xXX`; an
/// escape not followed by two hex digits is kept literally.
pub(crate) fn unescape(text: &[u8], escape: u8, out: &mut Vec<u8>) {
    let mut i = 0;
    while i < text.len() {
        if text[i] == escape {
            let pair = text.get(i + 1..i + 3);
            if let Some(byte) = pair.and_then(|p| Some((hex(p[0])? << 4) | hex(p[1])?)) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(text[i]);
        i += 1;
    }
}

fn hex(digit: u8) -> Option<u8> {
    char::from(digit).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(body: &str, encoding: &str) -> String {
        String::from_utf8(decode(body, Some(encoding))).unwrap()
    }

    #[test]
    fn quoted_printable_decodes_escapes_and_soft_breaks() {
        let body = "Verific=C3=A1 tu correo: https://mibio.test/verify?token=3D=\r\nabc  \r\nfin=\r\n";
        assert_eq!(
            text(body, "Quoted-Printable"),
            "Verificá tu correo: https://mibio.test/verify?token=abc\r\nfin"
        );
        assert_eq!(text("a=ZZb =\n", "quoted-printable"), "a=ZZb ");
        assert_eq!(text("50=", "quoted-printable"), "50");
    }

    #[test]
    fn base64_ignores_line_breaks() {
        assert_eq!(text("VmVyaWZpY8OhIHR1\r\nIGNvcnJlbw==\r\n", "base64"), "Verificá tu correo");
        assert_eq!(text("not base64!", "base64"), "not base64!");
    }

    #[test]
    fn identity_encodings_pass_through() {
        assert_eq!(text("ñandú\r\n", "8bit"), "ñandú\r\n");
        assert_eq!(String::from_utf8(decode("plain", None)).unwrap(), "plain");
    }
}
