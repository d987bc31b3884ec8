//! The bridge to the exporters: records and persons as CSV, with every cell a spreadsheet would
//! run as a formula neutralised.

use recount_store::{Store, StoreError};
use recount_types::RECORDS_CSV_V1_COLUMNS;

/// Prefixes a cell that starts like a spreadsheet formula (`=`, `+`, `-`, `@`, tab, carriage
/// return) with an apostrophe, which spreadsheets show as text (OWASP's advice).
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    // Writing to a Vec cannot fail.
    w.into_inner().unwrap_or_default()
}

/// Every record as Records CSV v1.
pub fn records_csv(store: &Store) -> Result<Vec<u8>, StoreError> {
    let mut w = writer();
    let _ = w.write_record(RECORDS_CSV_V1_COLUMNS);
    store.for_each_record(|r| {
        let row = r.record.to_csv_v1_row();
        let _ = w.write_record(row.iter().map(|c| neutralise(c).into_owned()));
        Ok::<_, StoreError>(())
    })?;
    Ok(finish(w))
}

/// `source,record_id,person_id` for every linked record.
pub fn persons_csv(store: &Store) -> Result<Vec<u8>, StoreError> {
    let mut w = writer();
    let _ = w.write_record(["source", "record_id", "person_id"]);
    for a in store.person_assignments()? {
        let _ = w.write_record([
            neutralise(a.key.source.as_str()).into_owned(),
            neutralise(&a.key.record_id).into_owned(),
            a.person.0.to_string(),
        ]);
    }
    Ok(finish(w))
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formula_starts_are_neutralised() {
        for (cell, want) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+7 999", "'+7 999"),
            ("-1+1", "'-1+1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("Асанов", "Асанов"),
            ("", ""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(neutralise(cell), want, "{cell}");
        }
    }
}
