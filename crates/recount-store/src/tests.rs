//! The store's suite. Each test takes a fresh store from [`backends`], so that a PostgreSQL
//! backend, once it exists, runs the same suite.

use super::*;
use recount_types::{EventVocabulary, Record, RecordId, Source};

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
    let page_size: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    assert_eq!((fk, wal.as_str(), page_size), (1, "wal", PAGE_SIZE));

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

/// Every posting row against the keys stored with each record: the same (key, record) pairs.
fn assert_postings_match_record_keys(store: &Store) {
    let Db::Sqlite(conn) = &store.db;
    let mut from_records = std::collections::BTreeSet::new();
    let mut stmt = conn
        .prepare("SELECT r.id, j.value FROM records r, json_each(r.name_keys) j")
        .unwrap();
    for row in stmt
        .query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, i64>(0)?)))
        .unwrap()
    {
        from_records.insert(row.unwrap());
    }
    let mut from_postings = std::collections::BTreeSet::new();
    let mut stmt = conn
        .prepare("SELECT key, bucket, ids FROM name_postings")
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        let key: String = r.get(0).unwrap();
        let mut ids = Vec::new();
        let blob: Vec<u8> = r.get(2).unwrap();
        crate::postings::decode_into(r.get(1).unwrap(), &blob, &mut ids);
        assert!(!ids.is_empty(), "an empty posting row for {key}");
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{key}: {ids:?}");
        for id in ids {
            from_postings.insert((key.clone(), id));
        }
    }
    assert_eq!(from_postings, from_records);
}

fn search(store: &Store, groups: &[&[&str]]) -> Vec<String> {
    let filter = crate::desk::RecordFilter {
        name_key_groups: groups
            .iter()
            .map(|g| g.iter().map(|k| (*k).to_owned()).collect())
            .collect(),
        ..Default::default()
    };
    let page = store
        .find_records(
            &filter,
            None,
            100,
            100,
            &crate::desk::NameKeyCache::new(1000),
        )
        .unwrap();
    page.keys.into_iter().map(|(_, k)| k.record_id).collect()
}

fn keys(ks: &[&str]) -> Vec<String> {
    ks.iter().map(|k| (*k).to_owned()).collect()
}

#[test]
fn postings_follow_inserts_updates_and_buckets() {
    let mut store = Store::open_in_memory().unwrap();
    let mut batch = store.begin_import("a.csv", ImportMode::Strict).unwrap();
    batch
        .put(&full_record("1"), 2, &keys(&["asanov", "bekbolat"]))
        .unwrap();
    batch
        .put(&full_record("2"), 3, &keys(&["bekbolat", "bekbolat"]))
        .unwrap();
    batch.commit().unwrap();
    // A record with id 65,535 (no keys), so that the next import starts bucket 1 and fills it.
    {
        let Db::Sqlite(conn) = &store.db;
        conn.execute(
            "INSERT INTO records (id, source_id, record_id, content_hash, import_id, import_row)
             VALUES (65535, 1, 'filler', x'00', 1, 9)",
            [],
        )
        .unwrap();
    }
    let mut batch = store.begin_import("b.csv", ImportMode::Strict).unwrap();
    for (i, id) in ["3", "4", "5"].iter().enumerate() {
        let ks = if i == 1 {
            keys(&["asanov"])
        } else {
            keys(&["asanov", "q\"x\\y\u{1}"])
        };
        batch.put(&full_record(id), i as u64 + 2, &ks).unwrap();
    }
    batch.commit().unwrap();
    // A later import adds to bucket 1's rows; an update moves record 1 to other keys.
    let mut batch = store.begin_import("c.csv", ImportMode::Update).unwrap();
    batch
        .put(&full_record("6"), 2, &keys(&["bekbolat"]))
        .unwrap();
    let mut changed = full_record("1");
    changed.age = Some("58".parse().unwrap());
    assert!(matches!(
        batch
            .put(&changed, 3, &keys(&["toktogul", "bekbolat"]))
            .unwrap(),
        PutOutcome::Updated(_)
    ));
    batch.commit().unwrap();

    let id = |r: &str| store.record("hotline", r).unwrap().unwrap().id;
    assert_eq!(id("3").0, 65536);
    assert_eq!(store.name_keys(id("1")).unwrap(), ["bekbolat", "toktogul"]);
    assert_eq!(
        store.name_keys(id("3")).unwrap(),
        ["asanov", "q\"x\\y\u{1}"]
    );
    assert_eq!(store.name_keys(id("filler")).unwrap(), Vec::<String>::new());
    assert_eq!(search(&store, &[&["asanov"]]), ["3", "4", "5"]);
    assert_eq!(search(&store, &[&["bekbolat"]]), ["1", "2", "6"]);
    assert_eq!(
        search(&store, &[&["toktogul", "q\"x\\y\u{1}"]]),
        ["1", "3", "5"]
    );
    assert_eq!(
        search(&store, &[&["asanov"], &["bekbolat"]]),
        Vec::<String>::new()
    );
    assert_postings_match_record_keys(&store);

    // A refused import leaves the postings as they were.
    let mut batch = store.begin_import("d.csv", ImportMode::Strict).unwrap();
    batch.put(&full_record("7"), 2, &keys(&["asanov"])).unwrap();
    drop(batch);
    assert_eq!(search(&store, &[&["asanov"]]), ["3", "4", "5"]);
    assert_postings_match_record_keys(&store);
    // Several records replaced in one import change the same posting rows once.
    let mut batch = store.begin_import("e.csv", ImportMode::Update).unwrap();
    for (i, id) in ["3", "4", "5"].iter().enumerate() {
        let mut r = full_record(id);
        r.notes = Some("renamed".into());
        let ks = if i == 1 {
            keys(&["asanov", "zz"])
        } else {
            keys(&["zz"])
        };
        assert!(matches!(
            batch.put(&r, i as u64 + 2, &ks).unwrap(),
            PutOutcome::Updated(_)
        ));
    }
    batch.commit().unwrap();
    assert_eq!(search(&store, &[&["asanov"]]), ["4"]);
    assert_eq!(search(&store, &[&["zz"]]), ["3", "4", "5"]);
    assert!(search(&store, &[&["q\"x\\y\u{1}"]]).is_empty());
    assert_postings_match_record_keys(&store);
}

#[test]
fn a_version_4_database_keeps_its_name_keys_after_migration_5() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        crate::migrations::apply_through(&mut conn, "old", 4).unwrap();
        conn.execute_batch(
            "INSERT INTO sources (id, name) VALUES (1, 'hotline');
             INSERT INTO imports (id, file_name) VALUES (1, 'old.csv');
             INSERT INTO records (id, source_id, record_id, content_hash, import_id, import_row)
             VALUES (1, 1, 'a', x'00', 1, 2), (2, 1, 'b', x'00', 1, 3),
                    (70000, 1, 'c', x'00', 1, 4), (70001, 1, 'd', x'00', 1, 5);
             INSERT INTO name_keys (key, record_id) VALUES
                 ('s:bekbolat', 1), ('s:asanov', 1), ('s:bekbolat', 70000),
                 ('s:bekbolat', 2), ('x\"y', 70001);
             INSERT INTO persons (id) VALUES (1);
             INSERT INTO person_records (record_id, person_id) VALUES (1, 1), (70000, 1);
             INSERT INTO link_pairs (record_a, record_b, score, weights) VALUES (1, 70000, 0.9, '{}');
             UPDATE records SET informant = 'media', event = 'summoned' WHERE id = 2;",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(search(&store, &[&["s:bekbolat"]]), ["a", "b", "c"]);
    assert_eq!(search(&store, &[&["s:bekbolat"], &["s:asanov"]]), ["a"]);
    assert_eq!(search(&store, &[&["x\"y"]]), ["d"]);
    assert_eq!(
        store.name_keys(RecordId(1)).unwrap(),
        ["s:asanov", "s:bekbolat"]
    );
    assert_eq!(store.name_keys(RecordId(70001)).unwrap(), ["x\"y"]);
    assert_postings_match_record_keys(&store);
    // Rebuilding `records` kept what references it, and its checks.
    assert_eq!(store.person_assignments().unwrap().len(), 2);
    assert_eq!(
        store
            .record("hotline", "b")
            .unwrap()
            .unwrap()
            .record
            .informant
            .map(|i| i.to_string())
            .as_deref(),
        Some("media")
    );
    {
        let Db::Sqlite(conn) = &store.db;
        let pairs: i64 = conn
            .query_row("SELECT count(*) FROM link_pairs", [], |r| r.get(0))
            .unwrap();
        assert_eq!(pairs, 1);
        assert!(
            conn.execute("UPDATE records SET informant = 'rumour' WHERE id = 1", [])
                .is_err()
        );
        assert!(
            conn.execute("UPDATE records SET informant = 'official' WHERE id = 1", [])
                .is_ok()
        );
        assert!(
            conn.execute("UPDATE records SET source_id = 99 WHERE id = 1", [])
                .is_err()
        );
        let fk: i64 = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
    }
    // New imports add to the moved postings.
    let mut batch = store.begin_import("new.csv", ImportMode::Strict).unwrap();
    batch
        .put(&full_record("e"), 2, &keys(&["s:bekbolat"]))
        .unwrap();
    batch.commit().unwrap();
    assert_eq!(search(&store, &[&["s:bekbolat"]]), ["a", "b", "c", "e"]);
    assert_postings_match_record_keys(&store);
}

#[test]
fn the_streamed_content_hash_is_the_hash_of_the_csv_row() {
    let mut variants = vec![full_record("1"), Record::new("hotline", "2")];
    let mut r = full_record("3");
    r.citizenship = recount_types::parse_country_list("UZ;RU;KG").unwrap();
    r.event_date = Some("2022-09".parse().unwrap());
    r.age = Some("57".parse().unwrap());
    r.sex = Some("f".parse().unwrap());
    r.informant = None;
    r.name = None;
    variants.push(r);
    for r in variants {
        let prepared = PreparedRecord::new(r.clone(), 2, vec![]);
        let row = r.to_csv_v1_row();
        assert_eq!(
            prepared.hash,
            crate::records::content_hash(&row),
            "{:?}",
            r.record_id
        );
        for column in [6, 7, 10, 11, 12, 14, 15, 17] {
            assert_eq!(prepared.text.get(column), row[column], "column {column}");
        }
    }
}

#[test]
fn a_large_import_leaves_the_desk_indexes_to_the_desk_and_a_refused_one_keeps_them() {
    let indexes = |store: &Store| -> Vec<(String, String)> {
        let Db::Sqlite(conn) = &store.db;
        let mut stmt = conn
            .prepare(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records'
                 AND sql IS NOT NULL ORDER BY name",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let mut store = Store::open_in_memory().unwrap();
    let before = indexes(&store);
    assert_eq!(before.len(), 2, "{before:?}");
    // The statements the desk builds them with are the migrations' own.
    let normalise = |sql: &str| {
        sql.replace(" IF NOT EXISTS", "")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let built: Vec<(String, String)> = crate::desk::DESK_INDEXES
        .iter()
        .map(|(n, sql)| (n.to_string(), normalise(sql)))
        .collect();
    let mut migrated: Vec<(String, String)> = before
        .iter()
        .map(|(n, sql)| (n.clone(), normalise(sql)))
        .collect();
    migrated.sort();
    let mut expected = built.clone();
    expected.sort();
    assert_eq!(migrated, expected);
    assert_eq!(store.ensure_desk_indexes().unwrap(), 0);

    let import = |store: &mut Store, from: usize, commit: bool| {
        let mut batch = store.begin_import("big.csv", ImportMode::Strict).unwrap();
        for i in from..from + 250 {
            let mut r = full_record(&i.to_string());
            r.event_date = Some(format!("2022-10-{:02}", 1 + i % 28).parse().unwrap());
            batch.put(&r, i as u64 + 2, &[]).unwrap();
        }
        let dropped = batch.deferred_index_count();
        if commit {
            batch.commit().unwrap();
        }
        dropped
    };
    let window = crate::desk::RecordFilter {
        event: Some("exit_refused".into()),
        from_day: Some(
            "2022-10-03"
                .parse::<recount_types::EventDate>()
                .unwrap()
                .first_day(),
        ),
        to_day: Some(
            "2022-10-03"
                .parse::<recount_types::EventDate>()
                .unwrap()
                .last_day(),
        ),
        ..Default::default()
    };
    let find = |store: &Store| {
        store
            .find_records(
                &window,
                None,
                100,
                1000,
                &crate::desk::NameKeyCache::new(10),
            )
            .unwrap()
            .total
    };
    assert_eq!(import(&mut store, 0, true), 2);
    assert!(indexes(&store).is_empty());
    // Without them the desk's filters still answer, by reading the table.
    assert_eq!(find(&store), 9);
    assert_eq!(store.ensure_desk_indexes().unwrap(), 2);
    assert_eq!(indexes(&store), before);
    assert_eq!(store.ensure_desk_indexes().unwrap(), 0);
    assert_eq!(find(&store), 9);
    // A refused import changes nothing, its dropped indexes included.
    assert_eq!(import(&mut store, 1000, false), 2);
    assert_eq!(indexes(&store), before);
    assert_eq!(store.record_count().unwrap(), 250);
    // A second large import while they are missing drops nothing and loses nothing.
    let Db::Sqlite(conn) = &store.db;
    conn.execute_batch("DROP INDEX records_days").unwrap();
    assert_eq!(import(&mut store, 2000, true), 1);
    assert_eq!(store.ensure_desk_indexes().unwrap(), 2);
    assert_eq!(find(&store), 18);
}

#[test]
fn a_reference_to_nothing_fails_the_commit_and_changes_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let mut vocab = EventVocabulary::default();
    let unknown = vocab.add("passport_seized").unwrap();
    let mut batch = store.begin_import("a.csv", ImportMode::Strict).unwrap();
    batch.put(&full_record("1"), 2, &[]).unwrap();
    let mut r = full_record("2");
    r.event = Some(unknown.clone());
    batch.put(&r, 3, &[]).unwrap();
    assert!(matches!(
        batch.commit(),
        Err(StoreError::BrokenReference {
            table: "records",
            ..
        })
    ));
    assert_eq!(store.record_count().unwrap(), 0);
    // The same check covers a record an update rewrites.
    let mut batch = store.begin_import("a.csv", ImportMode::Strict).unwrap();
    batch.put(&full_record("1"), 2, &[]).unwrap();
    batch.commit().unwrap();
    let mut batch = store.begin_import("b.csv", ImportMode::Update).unwrap();
    let mut changed = full_record("1");
    changed.event = Some(unknown);
    assert!(matches!(
        batch.put(&changed, 2, &[]).unwrap(),
        PutOutcome::Updated(_)
    ));
    assert!(matches!(
        batch.commit(),
        Err(StoreError::BrokenReference {
            table: "records",
            ..
        })
    ));
    assert_eq!(
        store.record("hotline", "1").unwrap().unwrap().record,
        full_record("1")
    );
    // Outside imports the connection enforces foreign keys as before.
    let Db::Sqlite(conn) = &store.db;
    let fk: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    assert!(
        conn.execute("UPDATE records SET event = 'passport_seized'", [])
            .is_err()
    );
}

#[test]
fn an_import_skips_the_check_constraints_but_refuses_an_empty_record_id() {
    let mut store = Store::open_in_memory().unwrap();
    let mut batch = store.begin_import("a.csv", ImportMode::Strict).unwrap();
    batch.put(&full_record("1"), 2, &[]).unwrap();
    assert!(matches!(
        batch.put(&full_record(""), 3, &[]),
        Err(StoreError::EmptyRecordId)
    ));
    batch.commit().unwrap();
    assert_eq!(store.record_count().unwrap(), 1);
    // Outside imports the constraints hold as before.
    let Db::Sqlite(conn) = &store.db;
    let ignored: i64 = conn
        .query_row("PRAGMA ignore_check_constraints", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ignored, 0);
    let e = conn
        .execute("UPDATE records SET sex = 'x'", [])
        .unwrap_err();
    assert!(e.to_string().contains("CHECK constraint failed"), "{e}");
}

/// The longest event window stored, as the desk's date filter reads it.
fn longest_window(store: &Store) -> Option<i64> {
    let Db::Sqlite(conn) = &store.db;
    conn.query_row("SELECT max(span) FROM record_event_spans", [], |r| r.get(0))
        .unwrap()
}

/// Every window length with its record count, from the records themselves.
fn spans_of_records(store: &Store) -> Vec<(i64, i64)> {
    let Db::Sqlite(conn) = &store.db;
    let mut stmt = conn
        .prepare(
            "SELECT event_last_day - event_first_day, count(*) FROM records
             WHERE event_first_day IS NOT NULL GROUP BY 1 ORDER BY 1",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn stored_spans(store: &Store) -> Vec<(i64, i64)> {
    let Db::Sqlite(conn) = &store.db;
    let mut stmt = conn
        .prepare("SELECT span, records FROM record_event_spans ORDER BY span")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn the_longest_event_window_follows_inserts_updates_and_rollbacks() {
    let mut store = Store::open_in_memory().unwrap();
    let with_date = |id: &str, date: Option<&str>| {
        let mut r = full_record(id);
        r.event_date = date.map(|d| d.parse().unwrap());
        r
    };
    let mut batch = store.begin_import("a.csv", ImportMode::Strict).unwrap();
    batch
        .put(&with_date("1", Some("2022-10-05")), 2, &[])
        .unwrap();
    batch
        .put(&with_date("2", Some("2022-01-01/2022-10-02")), 3, &[])
        .unwrap();
    batch.put(&with_date("3", Some("2022-10")), 4, &[]).unwrap();
    batch.put(&with_date("4", None), 5, &[]).unwrap();
    batch
        .put(&with_date("5", Some("2022-10-06")), 6, &[])
        .unwrap();
    batch.commit().unwrap();
    assert_eq!(stored_spans(&store), [(0, 2), (30, 1), (274, 1)]);
    assert_eq!(stored_spans(&store), spans_of_records(&store));

    // A refused import changes nothing.
    let mut batch = store.begin_import("b.csv", ImportMode::Update).unwrap();
    batch
        .put(&with_date("6", Some("2020/2022")), 2, &[])
        .unwrap();
    drop(batch);
    assert_eq!(longest_window(&store), Some(274));

    // Replacing the long window takes its length out; the longest is then the month's.
    let mut batch = store.begin_import("c.csv", ImportMode::Update).unwrap();
    batch
        .put(&with_date("2", Some("2022-10-02")), 2, &[])
        .unwrap();
    batch.put(&with_date("4", Some("2022-11")), 3, &[]).unwrap();
    batch.put(&with_date("5", None), 4, &[]).unwrap();
    batch.commit().unwrap();
    assert_eq!(stored_spans(&store), [(0, 2), (29, 1), (30, 1)]);
    assert_eq!(stored_spans(&store), spans_of_records(&store));
    assert_eq!(longest_window(&store), Some(30));
}

#[test]
fn migration_6_counts_the_event_windows_of_a_version_5_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        crate::migrations::apply_through(&mut conn, "old", 5).unwrap();
        conn.execute_batch(
            "INSERT INTO sources (id, name) VALUES (1, 'hotline');
             INSERT INTO imports (id, file_name) VALUES (1, 'old.csv');
             INSERT INTO records (id, source_id, record_id, content_hash, import_id, import_row,
                                  event_first_day, event_last_day)
             VALUES (1, 1, 'a', x'00', 1, 2, 19000, 19000), (2, 1, 'b', x'00', 1, 3, 19000, 19030),
                    (3, 1, 'c', x'00', 1, 4, NULL, NULL), (4, 1, 'd', x'00', 1, 5, 19100, 19130);",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(stored_spans(&store), [(0, 1), (30, 2)]);
    let Db::Sqlite(conn) = &store.db;
    let span_index: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'records_event_span'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(span_index, 0);
}

/// Every stored row of `records` and `name_postings`, as text, in id order: two stores that
/// took the same records the same way hold the same rows.
fn table_dump(store: &Store) -> Vec<String> {
    let Db::Sqlite(conn) = &store.db;
    let mut out = Vec::new();
    for sql in [
        "SELECT id, source_id, record_id, hex(content_hash), import_id, import_row, name,
                report_id, name_keys FROM records ORDER BY id",
        "SELECT key, bucket, hex(ids) FROM name_postings ORDER BY key, bucket",
        "SELECT id, source_id, report_id FROM reports ORDER BY id",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let cells: Vec<String> = (0..n)
                .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                .collect();
            out.push(cells.join("|"));
        }
    }
    out
}

/// A record of the multi-row tests: `id` in source `source`, its name and report varying.
fn numbered(source: &str, id: &str, name: &str) -> PreparedRecord {
    let mut r = full_record(id);
    r.source = recount_types::SourceName(source.into());
    r.name = Some(name.into());
    // Reports of their own for some records, shared by neighbours for others: chunks meet
    // several new reports at once, and reports stored by the first import.
    let n: u32 = id[1..].parse().unwrap();
    r.report_id = Some(if n.is_multiple_of(2) {
        format!("T-{n}")
    } else {
        format!("T-{}", n / 10)
    });
    PreparedRecord::new(r, 0, vec![name.to_lowercase(), "common".into()])
}

#[test]
fn many_records_at_once_do_what_one_at_a_time_does() {
    // Two imports: the first new records only (whole chunks and a remainder); the second mixes
    // new records, the same content again, changed content, and a record id twice within one
    // chunk and across chunks, in strict and in update mode.
    let mut first: Vec<PreparedRecord> = (0..70)
        .map(|i| numbered("hotline", &format!("r{i}"), &format!("Name{}", i % 7)))
        .collect();
    let mut second: Vec<PreparedRecord> = Vec::new();
    for i in 0..80 {
        let id = format!("r{}", (i * 3) % 100);
        let name = if i % 4 == 0 { "Changed" } else { "Same" };
        let mut p = numbered("hotline", &id, &format!("Name{}", ((i * 3) % 100) % 7));
        if name == "Changed" {
            p = numbered("hotline", &id, name);
        }
        second.push(p);
    }
    second.push(numbered("lawyers", "r1", "Other source"));
    second.push(numbered("hotline", "r3", "Name3"));
    for (i, p) in second.iter_mut().enumerate() {
        p.row = i as u64 + 2;
    }
    for (i, p) in first.iter_mut().enumerate() {
        p.row = i as u64 + 2;
    }
    for mode in [ImportMode::Strict, ImportMode::Update] {
        let mut one = Store::open_in_memory().unwrap();
        let mut all = Store::open_in_memory().unwrap();
        let mut outcomes_one = Vec::new();
        let mut outcomes_all = Vec::new();
        for (file, records) in [("a.csv", &first), ("b.csv", &second)] {
            let mut batch = one.begin_import(file, mode).unwrap();
            for p in records.iter() {
                outcomes_one.push(batch.put_prepared(p).unwrap());
            }
            let summary_one = batch.commit().unwrap();
            let mut batch = all.begin_import(file, mode).unwrap();
            batch.put_prepared_all(records, &mut outcomes_all).unwrap();
            let summary_all = batch.commit().unwrap();
            assert_eq!(summary_all, summary_one, "{file} {mode:?}");
        }
        assert_eq!(outcomes_all, outcomes_one, "{mode:?}");
        assert!(
            outcomes_all
                .iter()
                .any(|o| matches!(o, PutOutcome::DuplicateInImport { .. })),
            "the test has duplicates"
        );
        assert!(
            outcomes_all
                .iter()
                .any(|o| matches!(o, PutOutcome::Unchanged(_))),
            "the test has unchanged records"
        );
        assert_eq!(table_dump(&all), table_dump(&one), "{mode:?}");
        assert_postings_match_record_keys(&all);
    }
}

fn journal_mode(store: &Store) -> String {
    let Db::Sqlite(conn) = &store.db;
    conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn an_import_alone_writes_its_pages_once_and_the_wal_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite");
    let mut store = Store::create(&path).unwrap();
    assert_eq!(journal_mode(&store), "wal");
    // Committed.
    let mut batch = store.begin_import("a.csv", ImportMode::Strict).unwrap();
    assert!(batch.writes_pages_once());
    batch.put(&full_record("1"), 2, &[]).unwrap();
    // Another connection opened meanwhile reads the project as it was.
    let reader = Store::open(&path).unwrap();
    assert_eq!(reader.record_count().unwrap(), 0);
    batch.commit().unwrap();
    assert_eq!(journal_mode(&store), "wal");
    assert_eq!(reader.record_count().unwrap(), 1);
    drop(reader);
    // Rolled back.
    let mut batch = store.begin_import("b.csv", ImportMode::Strict).unwrap();
    assert!(batch.writes_pages_once());
    batch.put(&full_record("2"), 2, &[]).unwrap();
    drop(batch);
    assert_eq!(journal_mode(&store), "wal");
    assert_eq!(store.record_count().unwrap(), 1);
    // A project reopened after an import is in WAL mode too.
    drop(store);
    assert_eq!(journal_mode(&Store::open(&path).unwrap()), "wal");
}

#[test]
fn an_import_beside_another_connection_stays_in_the_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite");
    let mut store = Store::create(&path).unwrap();
    let desk = Store::open(&path).unwrap();
    assert_eq!(desk.record_count().unwrap(), 0);
    let started = std::time::Instant::now();
    let mut batch = store.begin_import("a.csv", ImportMode::Strict).unwrap();
    // SQLite refuses at once; the import does not wait for the other connection.
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert!(!batch.writes_pages_once());
    batch.put(&full_record("1"), 2, &[]).unwrap();
    // In the WAL, the other connection keeps reading while the import writes.
    assert_eq!(desk.record_count().unwrap(), 0);
    batch.commit().unwrap();
    assert_eq!(desk.record_count().unwrap(), 1);
    assert_eq!(journal_mode(&store), "wal");
}
