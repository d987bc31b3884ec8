//! The store's suite. Each test takes a fresh store from [`backends`], so that a PostgreSQL
//! backend, once it exists, runs the same suite.

use super::*;
use recount_types::{EventVocabulary, Record, Source};

/// One fresh, empty store per backend available in this run.
fn backends() -> Vec<Store> {
    vec![Store::open_in_memory().unwrap()]
}

fn full_record(id: &str) -> Record {
    let vocab = EventVocabulary::default();
    let mut r = Record::new("hotline", id);
    r.name = Some("Асанов Бекболат".into());
    r.given_name = Some("Бекболат".into());
    r.family_name = Some("Асанов".into());
    r.patronymic = Some("Токтогулович".into());
    r.sex = Some("m".parse().unwrap());
    r.birth_date = Some("1966-03".parse().unwrap());
    r.birth_place = Some("Ош".into());
    r.document_id = Some("AN1234567".into());
    r.age = Some("55-60".parse().unwrap());
    r.citizenship = recount_types::parse_country_list("RU;KG").unwrap();
    r.origin = Some("KG".parse().unwrap());
    r.residence = Some("Екатеринбург".into());
    r.event = Some(vocab.term("exit_refused").unwrap());
    r.event_date = Some("2022-09-21/2022-09-23".parse().unwrap());
    r.place = Some("Верхний Ларс".into());
    r.informant = Some("relative".parse().unwrap());
    r.report_id = Some("T-17".into());
    r.quote = Some("сказали, что он в списке".into());
    r.notes = Some("second call".into());
    r
}

#[test]
fn every_field_round_trips() {
    for mut store in backends() {
        let rec = full_record("1");
        let mut batch = store.begin_import("a.csv", ImportMode::Strict).unwrap();
        let out = batch
            .put(
                &rec,
                2,
                &["asanov".into(), "bekbolat".into(), "q\"x\\y".into()],
            )
            .unwrap();
        assert!(matches!(out, PutOutcome::Inserted(_)));
        batch.commit().unwrap();
        let got = store.record("hotline", "1").unwrap().unwrap();
        assert_eq!(got.record, rec);
        assert_eq!(got.person, None);
        assert_eq!(
            store.name_keys(got.id).unwrap(),
            ["asanov", "bekbolat", "q\"x\\y"]
        );
        let bare = Record::new("hotline", "2");
        let mut batch = store.begin_import("b.csv", ImportMode::Strict).unwrap();
        batch.put(&bare, 2, &[]).unwrap();
        batch.commit().unwrap();
        assert_eq!(store.record("hotline", "2").unwrap().unwrap().record, bare);
        assert_eq!(store.records().unwrap().len(), 2);
    }
}

#[test]
fn reimport_is_idempotent_and_changes_need_update() {
    for mut store in backends() {
        let rec = full_record("1");
        let mut batch = store.begin_import("a.csv", ImportMode::Strict).unwrap();
        let PutOutcome::Inserted(id) = batch.put(&rec, 2, &[]).unwrap() else {
            panic!()
        };
        batch.commit().unwrap();

        let mut batch = store.begin_import("a.csv", ImportMode::Strict).unwrap();
        assert_eq!(batch.put(&rec, 2, &[]).unwrap(), PutOutcome::Unchanged(id));
        let s = batch.commit().unwrap();
        assert_eq!((s.inserted, s.unchanged), (0, 1));

        let mut changed = rec.clone();
        changed.age = Some("57".parse().unwrap());
        let mut batch = store.begin_import("b.csv", ImportMode::Strict).unwrap();
        assert_eq!(
            batch.put(&changed, 5, &[]).unwrap(),
            PutOutcome::Changed {
                previous: PreviousVersion {
                    file_name: "a.csv".into(),
                    row: 2
                }
            }
        );
        drop(batch);
        assert_eq!(store.record("hotline", "1").unwrap().unwrap().record, rec);

        let mut batch = store.begin_import("b.csv", ImportMode::Update).unwrap();
        assert_eq!(
            batch.put(&changed, 5, &[]).unwrap(),
            PutOutcome::Updated(id)
        );
        batch.commit().unwrap();
        let got = store.record("hotline", "1").unwrap().unwrap();
        assert_eq!((got.id, got.record), (id, changed));
        assert_eq!(store.record_count().unwrap(), 1);
    }
}

#[test]
fn duplicates_within_one_import_are_caught_new_or_old() {
    for mut store in backends() {
        let mut batch = store.begin_import("a.csv", ImportMode::Strict).unwrap();
        batch.put(&full_record("1"), 2, &[]).unwrap();
        assert_eq!(
            batch.put(&full_record("1"), 9, &[]).unwrap(),
            PutOutcome::DuplicateInImport { first_row: 2 }
        );
        drop(batch);
        assert_eq!(
            store.record_count().unwrap(),
            0,
            "a dropped batch rolls back"
        );

        let mut batch = store.begin_import("a.csv", ImportMode::Strict).unwrap();
        batch.put(&full_record("1"), 2, &[]).unwrap();
        batch.commit().unwrap();
        // The same record twice in a later file: the first is unchanged, the second a duplicate.
        let mut batch = store.begin_import("again.csv", ImportMode::Update).unwrap();
        assert!(matches!(
            batch.put(&full_record("1"), 3, &[]).unwrap(),
            PutOutcome::Unchanged(_)
        ));
        assert_eq!(
            batch.put(&full_record("1"), 4, &[]).unwrap(),
            PutOutcome::DuplicateInImport { first_row: 3 }
        );
    }
}

#[test]
fn the_same_record_id_in_two_sources_is_two_records() {
    for mut store in backends() {
        let mut other = full_record("1");
        other.source = "lawyers".into();
        let mut batch = store.begin_import("a.csv", ImportMode::Strict).unwrap();
        batch.put(&full_record("1"), 2, &[]).unwrap();
        assert!(matches!(
            batch.put(&other, 3, &[]).unwrap(),
            PutOutcome::Inserted(_)
        ));
        batch.commit().unwrap();
        let names: Vec<String> = store
            .sources()
            .unwrap()
            .into_iter()
            .map(|(_, s)| s.name.0)
            .collect();
        assert_eq!(names, ["hotline", "lawyers"]);
    }
}

#[test]
fn sources_and_vocabulary_are_data() {
    for store in backends() {
        let mut s = Source::new("tv");
        s.dependency_group = Some("wire".into());
        s.contains_duplicates = true;
        let id = store.put_source(&s).unwrap();
        assert_eq!(store.ensure_source("tv").unwrap(), id);
        assert_eq!(store.source("tv").unwrap().unwrap(), (id, s));
        assert!(store.source("radio").unwrap().is_none());
        assert!(matches!(
            store.set_dependency_group("radio", None),
            Err(StoreError::UnknownSource(_))
        ));

        assert!(
            store
                .event_vocabulary()
                .unwrap()
                .term("passport_seized")
                .is_err()
        );
        store.add_event_term("passport_seized").unwrap();
        assert!(
            store
                .event_vocabulary()
                .unwrap()
                .term("passport_seized")
                .is_ok()
        );
        assert!(store.add_event_term("Passport Seized").is_err());
    }
}

#[test]
fn persons_keep_their_ids() {
    for mut store in backends() {
        let mut batch = store.begin_import("a.csv", ImportMode::Strict).unwrap();
        let PutOutcome::Inserted(a) = batch.put(&full_record("1"), 2, &[]).unwrap() else {
            panic!()
        };
        let PutOutcome::Inserted(b) = batch.put(&full_record("2"), 3, &[]).unwrap() else {
            panic!()
        };
        batch.commit().unwrap();
        let p = store.new_person().unwrap();
        store.assign_person(a, p).unwrap();
        store.assign_person(b, p).unwrap();
        let q = store.new_person().unwrap();
        assert_ne!(p, q);
        store.assign_person(b, q).unwrap();
        let got: Vec<_> = store
            .person_assignments()
            .unwrap()
            .into_iter()
            .map(|x| (x.person, x.record))
            .collect();
        assert_eq!(got, [(p, a), (q, b)]);
        assert_eq!(
            store.record("hotline", "2").unwrap().unwrap().person,
            Some(q)
        );
    }
}

#[test]
fn files_are_created_once_and_reopened_with_their_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite");
    assert!(matches!(Store::open(&path), Err(StoreError::Missing(_))));
    let store = Store::create(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    drop(store);
    assert!(matches!(
        Store::create(&path),
        Err(StoreError::AlreadyExists(_))
    ));
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let Db::Sqlite(conn) = &store.db;
    let fk: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    let wal: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!((fk, wal.as_str()), (1, "wal"));

    let missing = dir.path().join("no/such/dir/p.sqlite");
    assert!(matches!(
        Store::create(&missing),
        Err(StoreError::NoDirectory { .. })
    ));
}

#[test]
fn an_edited_migration_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite");
    let store = Store::create(&path).unwrap();
    let Db::Sqlite(conn) = &store.db;
    conn.execute(
        "UPDATE schema_version SET checksum = 'x' WHERE version = 1",
        [],
    )
    .unwrap();
    drop(store);
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::MigrationEdited { version: 1, .. })
    ));
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite");
    let store = Store::create(&path).unwrap();
    let Db::Sqlite(conn) = &store.db;
    conn.execute(
        "INSERT INTO schema_version (version, name, checksum) VALUES (9999, 'future', '')",
        [],
    )
    .unwrap();
    drop(store);
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::TooNew { found: 9999, .. })
    ));
}
