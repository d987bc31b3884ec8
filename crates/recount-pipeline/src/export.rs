//! The export step: records, persons and capture histories → files. Each file is written
//! beside its destination and renamed into place when complete, so a failed export never
//! leaves half a file under the requested name.

use crate::PipelineError;
use recount_export::{CaptureHistories, ExportError, ExportFormat, PersonsWriter, RecordsWriter};
use recount_link::normalise_place;
use recount_store::{Store, StoreError};
use recount_types::{PartialDate, Record};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// How capture histories are stratified in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// One stratum: no `stratum` column.
    All,
    Year,
    Month,
    /// By the event's place, normalised across scripts (`Ош` and `Osh` are one stratum).
    Place,
}

/// Which capture histories to export.
#[derive(Debug, Clone)]
pub struct CaptureRequest {
    /// Only records of this event term (`None`: every event).
    pub event: Option<String>,
    pub by: Period,
}

/// How a capture export ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CapturesOutcome {
    Written {
        lists: Vec<String>,
        strata: usize,
        persons: u64,
    },
    /// No record has been linked to a person yet (run linkage first): nothing written.
    NoPersons,
}

/// A destination file written under a temporary name and renamed into place on success.
struct Destination {
    path: PathBuf,
    partial: PathBuf,
}

impl Destination {
    fn create(path: &Path) -> Result<(Destination, BufWriter<File>), PipelineError> {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".partial");
        let partial = path.with_file_name(name);
        let file = File::create(&partial).map_err(|source| PipelineError::Write {
            path: path.to_owned(),
            source,
        })?;
        Ok((
            Destination {
                path: path.to_owned(),
                partial,
            },
            BufWriter::new(file),
        ))
    }

    fn export_error(&self, source: ExportError) -> PipelineError {
        let _ = std::fs::remove_file(&self.partial);
        PipelineError::Export {
            path: self.path.clone(),
            source,
        }
    }

    fn commit(self, out: BufWriter<File>) -> Result<(), PipelineError> {
        let write = |source| PipelineError::Write {
            path: self.path.clone(),
            source,
        };
        let file = out.into_inner().map_err(|e| write(e.into_error()))?;
        file.sync_all().map_err(write)?;
        std::fs::rename(&self.partial, &self.path).map_err(write)
    }
}

/// Writes every record (Records CSV v1 columns) and returns how many.
pub fn records(store: &Store, out: &Path, format: ExportFormat) -> Result<u64, PipelineError> {
    let (dest, file) = Destination::create(out)?;
    let mut w = RecordsWriter::new(file, format).map_err(|e| dest.export_error(e))?;
    let mut n = 0u64;
    let streamed = store.for_each_record(|r| {
        n += 1;
        w.write(&r.record).map_err(Failure::Export)
    });
    match streamed {
        Ok(()) => {}
        Err(Failure::Export(e)) => return Err(dest.export_error(e)),
        Err(Failure::Store(e)) => {
            let _ = std::fs::remove_file(&dest.partial);
            return Err(e.into());
        }
    }
    let file = w.finish().map_err(|e| dest.export_error(e))?;
    dest.commit(file)?;
    Ok(n)
}

enum Failure {
    Store(StoreError),
    Export(ExportError),
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        Failure::Store(e)
    }
}

/// Writes `source,record_id,person_id` for every record linked to a person; returns how many.
pub fn persons(store: &Store, out: &Path, format: ExportFormat) -> Result<u64, PipelineError> {
    let assignments = store.person_assignments()?;
    let (dest, file) = Destination::create(out)?;
    let mut w = PersonsWriter::new(file, format).map_err(|e| dest.export_error(e))?;
    for a in &assignments {
        w.write(&a.key, a.person)
            .map_err(|e| dest.export_error(e))?;
    }
    let file = w.finish().map_err(|e| dest.export_error(e))?;
    dest.commit(file)?;
    Ok(assignments.len() as u64)
}

fn stratum(record: &Record, by: Period) -> String {
    if by == Period::Place {
        return match record.place.as_deref().map(normalise_place) {
            Some(p) if !p.is_empty() => p,
            _ => "unknown".into(),
        };
    }
    let date: Option<PartialDate> = record.event_date.map(|d| d.start());
    match (by, date) {
        (Period::All | Period::Place, _) => String::new(),
        (Period::Year, Some(d)) => format!("{:04}", d.year()),
        (Period::Month, Some(d)) => match d.month() {
            Some(m) => format!("{:04}-{m:02}", d.year()),
            None => "unknown".into(),
        },
        (_, None) => "unknown".into(),
    }
}

/// Builds the capture histories of linked persons: the lists are the sources' independence
/// groups (sources sharing a dependency group count as one list), the strata the periods of
/// the events' start dates ("unknown" when a record's date is not that precise) or their places.
/// A person is counted in the stratum of each of their records.
pub fn capture_histories(
    store: &Store,
    request: &CaptureRequest,
) -> Result<Option<CaptureHistories>, PipelineError> {
    let groups: BTreeMap<String, String> = store
        .sources()?
        .into_iter()
        .map(|(_, s)| (s.name.0.clone(), s.independence_group().to_owned()))
        .collect();
    let mut h = CaptureHistories::new();
    let mut linked = 0u64;
    store.for_each_record(|r| {
        let Some(person) = r.person else {
            return Ok::<_, StoreError>(());
        };
        linked += 1;
        let rec = &r.record;
        if let Some(term) = &request.event
            && rec.event.as_ref().map(|e| e.as_str()) != Some(term.as_str())
        {
            return Ok(());
        }
        let list = groups
            .get(rec.source.as_str())
            .cloned()
            .unwrap_or_else(|| rec.source.0.clone());
        h.observe(&stratum(rec, request.by), person.0, &list);
        Ok(())
    })?;
    if linked == 0 {
        return Ok(None);
    }
    for list in groups.values() {
        h.add_list(list);
    }
    Ok(Some(h))
}

/// Writes capture histories in the estimation CSV format.
pub fn captures(
    store: &Store,
    out: &Path,
    request: &CaptureRequest,
) -> Result<CapturesOutcome, PipelineError> {
    let Some(h) = capture_histories(store, request)? else {
        return Ok(CapturesOutcome::NoPersons);
    };
    let patterns = h.patterns();
    let persons = patterns.values().flat_map(|p| p.values()).sum();
    let strata = patterns.len();
    let (dest, file) = Destination::create(out)?;
    let file = h.write_csv(file).map_err(|e| dest.export_error(e))?;
    dest.commit(file)?;
    Ok(CapturesOutcome::Written {
        lists: h.lists().map(str::to_owned).collect(),
        strata,
        persons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{ImportOutcome, ImportRequest};

    #[test]
    fn records_persons_and_captures_are_exported() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("in.csv");
        std::fs::write(
            &csv,
            "source,record_id,name,event,event_date\n\
             hotline,1,Асанов Бекболат,exit_refused,2022-09-21\n\
             lawyers,L1,Bekbolat Asanov,exit_refused,2022-09\n\
             tv,T1,Асанов,exit_refused,2022\n\
             radio,R1,Асанов,exit_refused,2022-09-30\n",
        )
        .unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let outcome = crate::import::run(&mut store, &ImportRequest::new(&csv), &mut ()).unwrap();
        assert!(matches!(outcome, ImportOutcome::Imported(_)));
        store.set_dependency_group("tv", Some("wire")).unwrap();
        store.set_dependency_group("radio", Some("wire")).unwrap();

        let out = dir.path().join("records.csv");
        assert_eq!(records(&store, &out, ExportFormat::Csv).unwrap(), 4);
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.starts_with("source,record_id,name,"));
        assert!(!dir.path().join("records.csv.partial").exists());

        let req = CaptureRequest {
            event: Some("exit_refused".into()),
            by: Period::Month,
        };
        let caps = dir.path().join("captures.csv");
        assert_eq!(
            captures(&store, &caps, &req).unwrap(),
            CapturesOutcome::NoPersons
        );

        // One person recorded by all four sources; tv and radio count as one list (wire).
        let p = store.new_person().unwrap();
        for r in store.records().unwrap() {
            store.assign_person(r.id, p).unwrap();
        }
        let got = captures(&store, &caps, &req).unwrap();
        assert_eq!(
            got,
            CapturesOutcome::Written {
                lists: vec!["hotline".into(), "lawyers".into(), "wire".into()],
                strata: 2,
                persons: 2
            }
        );
        assert_eq!(
            std::fs::read_to_string(&caps).unwrap(),
            "stratum,hotline,lawyers,wire,count\n2022-09,1,1,1,1\nunknown,0,0,1,1\n"
        );
        let persons_out = dir.path().join("persons.parquet");
        assert_eq!(
            persons(&store, &persons_out, ExportFormat::Parquet).unwrap(),
            4
        );
    }
}
