//! Warming the name-search cache in the background when the desk starts and after an import
//! (its own, or another process's, seen by [`watch`]),
//! so that the first search of a common name does not wait for its record ids to be read; and
//! before it, building the record indexes of the desk's event and date filters if a large
//! import left them out (a million records: about 1.5-2 s).
//!
//! A name search reads each searched word's record ids from the database once and keeps them in
//! the shared [`recount_store::desk::NameKeyCache`]; the first search of a very common word
//! (hundreds of thousands of records) waits tens of milliseconds for that read, and other
//! searches of cold words wait behind it. Here the words of an evenly spread sample of records
//! are searched once, most frequent first, one at a time on one connection, until the cache is
//! three-quarters full: common words are the ones any sample holds, and the costly ones to read;
//! rare words are cheap to read on demand.
//!
//! The server log gets one line with counts and the time taken, never a word.

use crate::App;
use crate::pages::records::RecordQuery;
use recount_types::RecordId;
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::time::Instant;

/// Records sampled for their words.
const SAMPLE: u64 = 2_000;
/// The most words searched.
const MAX_WORDS: usize = 500;

/// What a warm-up did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Warmed {
    pub words: usize,
    /// Record ids the cache holds afterwards.
    pub ids: usize,
}

/// The words of the sampled records, most frequent first (ties in word order).
async fn sample_words(app: &App) -> Result<Vec<String>, recount_store::StoreError> {
    app.db
        .call(|s| {
            let n = s.record_count()?;
            if n == 0 {
                return Ok(Vec::new());
            }
            // Record ids are given in import order from 1; an evenly spread sample of them
            // covers every source and import.
            let step = (n / SAMPLE).max(1);
            let ids: Vec<RecordId> = (0..SAMPLE.min(n))
                .map(|i| RecordId((1 + i * step) as i64))
                .collect();
            let mut counts: BTreeMap<String, u64> = BTreeMap::new();
            for r in s.records_by_ids(&ids)? {
                for word in r.record.full_name().unwrap_or_default().split_whitespace() {
                    *counts.entry(word.to_lowercase()).or_default() += 1;
                }
            }
            let mut words: Vec<(String, u64)> = counts.into_iter().collect();
            words.sort_by_key(|w| std::cmp::Reverse(w.1));
            Ok(words.into_iter().map(|(w, _)| w).collect())
        })
        .await
}

/// Searches the sampled words once each, filling the name cache; `None` when another warm-up
/// is running.
pub async fn names(app: &App) -> Result<Option<Warmed>, recount_store::StoreError> {
    if app.warming.swap(true, Ordering::AcqRel) {
        return Ok(None);
    }
    let result = fill(app).await;
    app.warming.store(false, Ordering::Release);
    result.map(Some)
}

async fn fill(app: &App) -> Result<Warmed, recount_store::StoreError> {
    let limit = crate::NAME_CACHE_IDS / 4 * 3;
    let mut words = 0;
    for word in sample_words(app).await?.into_iter().take(MAX_WORDS) {
        if app.names.held() >= limit {
            break;
        }
        let (filter, _) = RecordQuery {
            q: word,
            ..RecordQuery::default()
        }
        .filter();
        if filter.name_key_groups.is_empty() {
            continue;
        }
        let names = app.names.clone();
        app.db
            .call(move |s| s.find_records(&filter, None, 1, 1, &names).map(|_| ()))
            .await?;
        words += 1;
    }
    Ok(Warmed {
        words,
        ids: app.names.held(),
    })
}

/// Builds the desk's record indexes that a large import left out
/// ([`recount_store::Store::ensure_desk_indexes`]) and then warms the name cache, in a
/// background task, logging what it did (counts only).
pub fn spawn(app: &App) {
    let app = app.clone();
    tokio::spawn(async move {
        let started = Instant::now();
        match app.db.call(|s| s.ensure_desk_indexes()).await {
            Ok(0) => {}
            Ok(n) => eprintln!(
                "record indexes built: {n}, {} ms",
                started.elapsed().as_millis()
            ),
            Err(e) => eprintln!("building the record indexes failed: {e}"),
        }
        if !app.settings.warm_name_cache {
            return;
        }
        let started = Instant::now();
        match names(&app).await {
            Ok(Some(w)) => eprintln!(
                "name cache warmed: {} words, {} record ids, {} ms",
                w.words,
                w.ids,
                started.elapsed().as_millis()
            ),
            Ok(None) => {}
            Err(e) => eprintln!("name cache warm-up failed: {e}"),
        }
    });
}

/// Looks every `watch_interval` for an import the desk did not make (the command line's, into
/// the same database file) and then runs [`spawn`]'s work again. An import through the desk
/// runs it at once and is seen here too; the second run finds nothing left to do.
pub fn watch(app: &App) {
    let app = app.clone();
    tokio::spawn(async move {
        let mut seen = app.db.call(|s| s.data_generation()).await.ok();
        loop {
            tokio::time::sleep(app.settings.watch_interval).await;
            if let Ok(now) = app.db.call(|s| s.data_generation()).await
                && seen != Some(now)
            {
                seen = Some(now);
                spawn(&app);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use crate::tests::harness::Desk;
    use recount_store::accounts::Role;
    use std::sync::atomic::Ordering;
    use std::time::{Duration, Instant};

    #[tokio::test]
    async fn an_import_warms_the_name_cache_and_searches_still_find_every_spelling() {
        let desk = Desk::new();
        desk.add_user("aida", Role::Analyst);
        let s = desk.login("aida").await;
        let names = [
            "Асанов Бекболат",
            "Bekbolot Asanov",
            "Иванов Пётр",
            "Sadykov Nurlan",
        ];
        let csv: String = std::iter::once("source,record_id,name\n".to_owned())
            .chain((0..40).map(|i| format!("hotline,{i},{}\n", names[i % 4])))
            .collect();
        let checked = desk
            .post_file("/import", &s, "h.csv", csv.as_bytes(), &[], false)
            .await;
        let token = crate::tests::harness::hidden_value(&checked.body, "upload").unwrap();
        assert_eq!(desk.app.names.held(), 0);
        desk.post_form("/import/confirm", Some(&s), &[("upload", &token)])
            .await;
        // The import's warm-up runs in the background.
        let started = Instant::now();
        while desk.app.warming.load(Ordering::Acquire) || desk.app.names.held() == 0 {
            assert!(started.elapsed() < Duration::from_secs(30), "never warmed");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let held = desk.app.names.held();
        // Eight distinct words, each in 10 or 20 of the 40 records.
        assert!(held >= 80, "{held}");
        // A second warm-up finds the words cached and adds nothing.
        let again = super::names(&desk.app).await.unwrap().unwrap();
        assert_eq!((again.words, again.ids), (8, held));
        let page = desk
            .get(
                "/records?q=%D0%91%D0%B5%D0%BA%D0%B1%D0%BE%D0%BB%D0%B0%D1%82",
                Some(&s),
            )
            .await;
        assert!(page.body.contains("Bekbolot Asanov") && page.body.contains("Асанов Бекболат"));
        assert!(page.body.contains("20 records"), "{}", page.body);
        // While one warm-up runs, another does not start.
        desk.app.warming.store(true, Ordering::Release);
        assert_eq!(super::names(&desk.app).await.unwrap(), None);
    }

    /// How many of the desk's two record indexes the desk's database has.
    fn desk_indexes(desk: &Desk) -> i64 {
        rusqlite::Connection::open(desk.path())
            .unwrap()
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index'
                 AND name IN ('records_event_days', 'records_days')",
                [],
                |r| r.get(0),
            )
            .unwrap()
    }

    #[tokio::test]
    async fn the_desk_builds_the_record_indexes_a_large_import_left_out() {
        let desk = Desk::new();
        desk.add_user("aida", Role::Analyst);
        let s = desk.login("aida").await;
        assert_eq!(desk_indexes(&desk), 2);
        // As a large import leaves the database (recount-store drops them past 50,000 records).
        rusqlite::Connection::open(desk.path())
            .unwrap()
            .execute_batch("DROP INDEX records_event_days; DROP INDEX records_days;")
            .unwrap();
        let csv: String = std::iter::once("source,record_id,name,event,event_date\n".to_owned())
            .chain((0..30).map(|i| {
                format!(
                    "hotline,{i},Асанов Бекболат,exit_refused,2022-10-{:02}\n",
                    1 + i % 28
                )
            }))
            .collect();
        let checked = desk
            .post_file("/import", &s, "h.csv", csv.as_bytes(), &[], false)
            .await;
        let token = crate::tests::harness::hidden_value(&checked.body, "upload").unwrap();
        desk.post_form("/import/confirm", Some(&s), &[("upload", &token)])
            .await;
        // The import's warm-up builds them in the background.
        let started = Instant::now();
        while desk_indexes(&desk) < 2 {
            assert!(started.elapsed() < Duration::from_secs(30), "never built");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let page = desk
            .get(
                "/records?event=exit_refused&from=2022-10-03&to=2022-10-04",
                Some(&s),
            )
            .await;
        assert!(page.body.contains("2 records"), "{}", page.body);
    }

    #[tokio::test]
    async fn an_import_from_the_command_line_gets_its_record_indexes_from_the_running_desk() {
        let desk = Desk::with_settings(crate::Settings {
            watch_interval: Duration::from_millis(20),
            ..crate::Settings::default()
        });
        super::watch(&desk.app);
        // The watcher has read the generation before the import.
        tokio::time::sleep(Duration::from_millis(100)).await;
        // Another process imports (a large import would have dropped the indexes).
        let csv = desk.path().with_file_name("cli.csv");
        std::fs::write(&csv, "source,record_id,name\nhotline,1,Асанов Бекболат\n").unwrap();
        rusqlite::Connection::open(desk.path())
            .unwrap()
            .execute_batch("DROP INDEX records_event_days; DROP INDEX records_days;")
            .unwrap();
        let mut store = desk.store();
        let outcome = recount_pipeline::import::run(
            &mut store,
            &recount_pipeline::import::ImportRequest::new(&csv),
            &mut (),
        )
        .unwrap();
        assert!(
            matches!(
                outcome,
                recount_pipeline::import::ImportOutcome::Imported(_)
            ),
            "{outcome:?}"
        );
        let started = Instant::now();
        while desk_indexes(&desk) < 2 {
            assert!(started.elapsed() < Duration::from_secs(30), "never built");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
