//! The lead export's CSV: the header row, the rows of a batch of leads, and the formula
//! neutralisation of the cells people typed. Pure, so the host streams it and `fuzz/` checks it.

use std::borrow::Cow;

use crate::domain::page::Lead;

/// The export's columns, in order.
pub const CSV_HEADER: [&str; 4] = ["email", "name", "created_at", "block_id"];

/// What a spreadsheet reads as the start of a formula: `=`, `+`, `-`, `@`, a tab and a carriage
/// return (OWASP's CSV injection list), and NUL (OWASP ASVS 5.0, 1.2.10). A stored lead cannot
/// hold NUL (Postgres text refuses it), so that one is defence in depth.
pub const FORMULA_TRIGGERS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\0'];

/// CSV injection (CWE-1236): a spreadsheet runs a cell that starts with one of
/// [`FORMULA_TRIGGERS`] as a formula. Such cells get a leading `'`, which spreadsheets show as
/// text and do not evaluate; any other cell is unchanged.
#[must_use]
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_TRIGGERS) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

/// The header row, as CSV.
///
/// # Errors
/// Only if writing to memory fails (it does not).
pub fn csv_header() -> Result<Vec<u8>, std::io::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_HEADER)?;
    writer.into_inner().map_err(|e| std::io::Error::other(e.to_string()))
}

/// One CSV row per lead (RFC 4180 quoting by the `csv` crate), the typed cells neutralised.
///
/// # Errors
/// Only if writing to memory fails (it does not).
pub fn csv_rows(leads: &[Lead]) -> Result<Vec<u8>, std::io::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for lead in leads {
        writer.write_record([
            neutralise(&lead.email).as_ref(),
            neutralise(lead.name.as_deref().unwrap_or_default()).as_ref(),
            lead.created_at.to_rfc3339().as_str(),
            lead.block_id.to_string().as_str(),
        ])?;
    }
    writer.into_inner().map_err(|e| std::io::Error::other(e.to_string()))
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::domain::page::{BlockId, LeadId};

    #[test]
    fn formula_cells_are_neutralised() {
        for hostile in ["=HYPERLINK(\"http://evil\")", "+1+1", "-2", "@SUM(A1)", "\tx", "\rx", "\0=1+1"] {
            assert_eq!(neutralise(hostile), format!("'{hostile}"));
        }
        for fine in ["ana@example.com", "Ana", "", "1=1"] {
            assert_eq!(neutralise(fine), fine);
        }
    }

    #[test]
    fn rows_are_quoted_and_neutralised() {
        assert_eq!(csv_header().unwrap(), b"email,name,created_at,block_id\n");
        let block_id = BlockId::new();
        let lead = Lead {
            id: LeadId::new(),
            block_id,
            email: "ana@example.com".into(),
            name: Some("=1+1, \"x\"".into()),
            created_at: DateTime::<Utc>::from_timestamp(1_733_450_000, 0).unwrap(),
            over_quota: false,
        };
        let text = String::from_utf8(csv_rows(&[lead]).unwrap()).unwrap();
        assert_eq!(
            text,
            format!("ana@example.com,\"'=1+1, \"\"x\"\"\",2024-12-06T01:53:20+00:00,{block_id}\n")
        );
    }
}
