//! Persons (clusters of linked records) and which record belongs to which person.

use crate::{Db, Result, Store};
use recount_types::{PersonId, RecordId, RecordKey, SourceName};

/// A record's membership of a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonAssignment {
    pub person: PersonId,
    pub record: RecordId,
    pub key: RecordKey,
}

impl Store {
    /// A new, empty person; its id is never reused, even after the person is dissolved.
    pub fn new_person(&self) -> Result<PersonId> {
        let Db::Sqlite(conn) = &self.db;
        conn.execute("INSERT INTO persons DEFAULT VALUES", [])?;
        Ok(PersonId(conn.last_insert_rowid()))
    }

    /// Puts `record` in `person`, moving it out of any person it was in.
    pub fn assign_person(&self, record: RecordId, person: PersonId) -> Result<()> {
        let Db::Sqlite(conn) = &self.db;
        conn.execute(
            "INSERT INTO person_records (record_id, person_id) VALUES (?1, ?2)
             ON CONFLICT (record_id) DO UPDATE SET person_id = excluded.person_id",
            [record.0, person.0],
        )?;
        Ok(())
    }

    /// Every record that belongs to a person, ordered by person, then source name and record id.
    pub fn person_assignments(&self) -> Result<Vec<PersonAssignment>> {
        let Db::Sqlite(conn) = &self.db;
        let mut stmt = conn.prepare(
            "SELECT p.person_id, r.id, s.name, r.record_id
             FROM person_records p JOIN records r ON r.id = p.record_id
             JOIN sources s ON s.id = r.source_id
             ORDER BY p.person_id, s.name, r.record_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(PersonAssignment {
                person: PersonId(r.get(0)?),
                record: RecordId(r.get(1)?),
                key: RecordKey {
                    source: SourceName(r.get(2)?),
                    record_id: r.get(3)?,
                },
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}
