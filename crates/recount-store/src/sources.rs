//! Sources and the event vocabulary.

use crate::{Db, Result, Store, StoreError};
use recount_types::{EventTerm, EventVocabulary, Source, SourceId, SourceName};
use rusqlite::OptionalExtension;

impl Store {
    /// The id of the source named `name`, creating it (its own dependency group, no duplicates)
    /// when it does not exist yet.
    pub fn ensure_source(&self, name: &str) -> Result<SourceId> {
        let Db::Sqlite(conn) = &self.db;
        conn.execute(
            "INSERT INTO sources (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
            [name],
        )?;
        Ok(SourceId(conn.query_row(
            "SELECT id FROM sources WHERE name = ?1",
            [name],
            |r| r.get(0),
        )?))
    }

    /// Creates the source or updates its dependency group and duplicates flag.
    pub fn put_source(&self, source: &Source) -> Result<SourceId> {
        let Db::Sqlite(conn) = &self.db;
        conn.execute(
            "INSERT INTO sources (name, dependency_group, contains_duplicates) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET dependency_group = excluded.dependency_group,
                 contains_duplicates = excluded.contains_duplicates",
            rusqlite::params![
                source.name.as_str(),
                source.dependency_group,
                source.contains_duplicates
            ],
        )?;
        Ok(SourceId(conn.query_row(
            "SELECT id FROM sources WHERE name = ?1",
            [source.name.as_str()],
            |r| r.get(0),
        )?))
    }

    /// The source named `name`, if the project has it.
    pub fn source(&self, name: &str) -> Result<Option<(SourceId, Source)>> {
        let Db::Sqlite(conn) = &self.db;
        Ok(conn
            .query_row(
                "SELECT id, name, dependency_group, contains_duplicates FROM sources WHERE name = ?1",
                [name],
                source_row,
            )
            .optional()?)
    }

    /// Every source, ordered by name.
    pub fn sources(&self) -> Result<Vec<(SourceId, Source)>> {
        let Db::Sqlite(conn) = &self.db;
        let mut stmt = conn.prepare(
            "SELECT id, name, dependency_group, contains_duplicates FROM sources ORDER BY name",
        )?;
        let rows = stmt.query_map([], source_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Sets a source's dependency group (`None`: its own group).
    pub fn set_dependency_group(&self, name: &str, group: Option<&str>) -> Result<()> {
        let Db::Sqlite(conn) = &self.db;
        let n = conn.execute(
            "UPDATE sources SET dependency_group = ?2 WHERE name = ?1",
            rusqlite::params![name, group],
        )?;
        if n == 0 {
            return Err(StoreError::UnknownSource(name.to_owned()));
        }
        Ok(())
    }

    /// The project's event vocabulary: v1's terms plus those the project added.
    pub fn event_vocabulary(&self) -> Result<EventVocabulary> {
        let Db::Sqlite(conn) = &self.db;
        let mut stmt = conn.prepare("SELECT term FROM event_terms ORDER BY term")?;
        let mut vocab = EventVocabulary::default();
        for term in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let term = term?;
            vocab.add(&term).map_err(|e| StoreError::Corrupt {
                column: "event_terms.term",
                value: term.clone(),
                problem: e.to_string(),
            })?;
        }
        Ok(vocab)
    }

    /// Adds a term to the project's event vocabulary (a no-op when it is already there).
    pub fn add_event_term(&self, term: &str) -> Result<EventTerm> {
        let t = EventVocabulary::default().add(term)?;
        let Db::Sqlite(conn) = &self.db;
        conn.execute(
            "INSERT INTO event_terms (term) VALUES (?1) ON CONFLICT DO NOTHING",
            [term],
        )?;
        Ok(t)
    }
}

fn source_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(SourceId, Source)> {
    Ok((
        SourceId(r.get(0)?),
        Source {
            name: SourceName(r.get(1)?),
            dependency_group: r.get(2)?,
            contains_duplicates: r.get(3)?,
        },
    ))
}
