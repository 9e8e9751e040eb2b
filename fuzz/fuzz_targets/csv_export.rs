//! The lead export's CSV (`links::domain::export`): leads with any email and name are written as
//! the host streams them (header row, then batches), read back with a CSV reader, and must come
//! back as one four-column record per lead whose typed cells are exactly the neutralised text:
//! unchanged, or the original behind a `'` when it starts with `=`, `+`, `-`, `@`, a tab or a
//! carriage return, so that no cell a spreadsheet shows starts a formula.
#![no_main]

use arbitrary::Arbitrary;
use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;
use links::domain::export::{self, CSV_HEADER, FORMULA_TRIGGERS};
use links::domain::page::{BlockId, Lead, LeadId};

#[derive(Arbitrary, Debug)]
struct Input {
    leads: Vec<(String, Option<String>, u32)>,
    /// Leads per batch (the host writes one chunk per batch).
    batch: u8,
}

fn check_neutralised(original: &str, cell: &str) {
    assert!(!cell.starts_with(FORMULA_TRIGGERS), "{original:?} → {cell:?} starts a formula");
    if original.starts_with(FORMULA_TRIGGERS) {
        assert_eq!(cell, format!("'{original}"));
    } else {
        assert_eq!(cell, original);
    }
}

fuzz_target!(|input: Input| {
    let block_id = BlockId::new();
    let leads: Vec<Lead> = input
        .leads
        .iter()
        .map(|(email, name, secs)| Lead {
            id: LeadId::new(),
            block_id,
            email: email.clone(),
            name: name.clone(),
            created_at: DateTime::<Utc>::from_timestamp(i64::from(*secs), 0).expect("in range"),
            over_quota: false,
        })
        .collect();

    let mut file = export::csv_header().expect("in memory");
    for batch in leads.chunks(usize::from(input.batch.max(1))) {
        file.extend(export::csv_rows(batch).expect("in memory"));
    }
    let text = String::from_utf8(file).expect("UTF-8 in, UTF-8 out");

    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    let records: Vec<csv::StringRecord> =
        reader.records().collect::<Result<_, _>>().unwrap_or_else(|e| panic!("{text:?}: {e}"));
    assert_eq!(records.len(), leads.len() + 1, "{text:?}");
    assert_eq!(records[0], csv::StringRecord::from(CSV_HEADER.to_vec()));
    for (record, lead) in records[1..].iter().zip(&leads) {
        assert_eq!(record.len(), 4, "{record:?}");
        check_neutralised(&lead.email, &record[0]);
        check_neutralised(lead.name.as_deref().unwrap_or_default(), &record[1]);
        assert_eq!(&record[2], lead.created_at.to_rfc3339());
        assert_eq!(&record[3], lead.block_id.to_string());
    }
    for (email, name, _) in &input.leads {
        check_neutralised(email, &export::neutralise(email));
        if let Some(name) = name {
            check_neutralised(name, &export::neutralise(name));
        }
    }
});
