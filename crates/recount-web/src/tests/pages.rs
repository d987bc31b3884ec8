//! The pages with real data: import, search, persons, exports, escaping, limits.

use super::harness::{Desk, Session};
use axum::http::StatusCode;
use recount_store::accounts::Role;

const BAD: &str = "source,record_id,name,event,event_date,age\n\
hotline,1,Асанов Бекболат,exit_refused,2022-09-25,57\n\
hotline,2,Bekbolot Asanov,exit_refused,2022-13-01,old\n";
const GOOD: &str = "source,record_id,name,event,event_date,age,place,quote\n\
hotline,1,Асанов Бекболат,exit_refused,2022-09-25,57,Upper Lars,\"Мне сказали, что я в списке\"\n\
hotline,2,Bekbolot Asanov,exit_refused,2022-10-01,55-60,Upper Lars,\n\
hotline,3,Ivanov Pyotr,summoned,2022-10,,Osh,\n";

async fn analyst(desk: &Desk) -> Session {
    desk.add_user("aida", Role::Analyst);
    desk.login("aida").await
}

/// Checks a file and confirms it; returns the check page and the confirmation page.
async fn import(
    desk: &Desk,
    s: &Session,
    csv: &str,
) -> (super::harness::Reply, Option<super::harness::Reply>) {
    let checked = desk
        .post_file("/import", s, "hotline.csv", csv.as_bytes(), &[], false)
        .await;
    let Some(token) = super::harness::hidden_value(&checked.body, "upload") else {
        return (checked, None);
    };
    let done = desk
        .post_form("/import/confirm", Some(s), &[("upload", &token)])
        .await;
    (checked, Some(done))
}

#[tokio::test]
async fn an_import_with_errors_imports_nothing_then_the_fixed_file_imports() {
    let desk = Desk::new();
    let s = analyst(&desk).await;
    let (checked, confirmed) = import(&desk, &s, BAD).await;
    assert_eq!(checked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        confirmed.is_none(),
        "no confirm button for a file with problems"
    );
    assert!(
        checked.body.contains("2 problems found"),
        "{}",
        checked.body
    );
    // Each problem at its row and column.
    for cell in [
        "<td class=\"num\">3</td><td>event_date</td>",
        "<td class=\"num\">3</td><td>age</td>",
    ] {
        assert!(checked.body.contains(cell), "{cell}");
    }
    assert_eq!(desk.store().record_count().unwrap(), 0);

    let checked = desk
        .post_file("/import", &s, "hotline.csv", GOOD.as_bytes(), &[], false)
        .await;
    assert_eq!(checked.status, StatusCode::OK);
    assert!(checked.body.contains("The file is clean: 3 records"));
    assert_eq!(
        desk.store().record_count().unwrap(),
        0,
        "nothing before the confirmation"
    );
    let token = super::harness::hidden_value(&checked.body, "upload").unwrap();
    let confirmed = desk
        .post_form("/import/confirm", Some(&s), &[("upload", &token)])
        .await;
    assert!(
        confirmed.body.contains("Imported 3 records."),
        "{}",
        confirmed.body
    );
    assert_eq!(desk.store().record_count().unwrap(), 3);
    let log = desk.store().audit_log(5).unwrap();
    assert_eq!(log[0].action, "import");
    assert_eq!(log[0].user.as_deref(), Some("aida"));
    assert!(
        !log[0].detail.contains("Асанов"),
        "no names in the audit log"
    );
}

#[tokio::test]
async fn a_confirmation_token_works_once_and_only_for_its_user() {
    let desk = Desk::new();
    let s = analyst(&desk).await;
    desk.add_user("boris", Role::Analyst);
    let other = desk.login("boris").await;
    let checked = desk
        .post_file("/import", &s, "hotline.csv", GOOD.as_bytes(), &[], false)
        .await;
    let token = super::harness::hidden_value(&checked.body, "upload").unwrap();
    let stolen = desk
        .post_form("/import/confirm", Some(&other), &[("upload", &token)])
        .await;
    assert_eq!(stolen.status, StatusCode::GONE);
    let ok = desk
        .post_form("/import/confirm", Some(&s), &[("upload", &token)])
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    let again = desk
        .post_form("/import/confirm", Some(&s), &[("upload", &token)])
        .await;
    assert_eq!(again.status, StatusCode::GONE);
    assert_eq!(desk.store().record_count().unwrap(), 3);
}

#[tokio::test]
async fn an_upload_over_the_limit_gets_a_clear_message() {
    let desk = Desk::with_settings(crate::Settings {
        upload_limit: 1024 * 1024,
        ..Default::default()
    });
    let s = analyst(&desk).await;
    let big = format!("source,record_id,name\n{}", "hotline,1,x\n".repeat(200_000));
    let r = desk
        .post_file("/import", &s, "big.csv", big.as_bytes(), &[], false)
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        r.body.contains("larger than the upload limit of 1 MB"),
        "{}",
        r.body
    );
    let api = desk
        .post_file("/api/import", &s, "big.csv", big.as_bytes(), &[], true)
        .await;
    assert_eq!(api.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(api.body.contains("upload limit"));
    assert_eq!(desk.store().record_count().unwrap(), 0);
}

#[tokio::test]
async fn a_name_in_cyrillic_finds_its_latin_spelling() {
    let desk = Desk::new();
    let s = analyst(&desk).await;
    import(&desk, &s, GOOD).await;
    let r = desk
        .get(
            "/records?q=%D0%91%D0%B5%D0%BA%D0%B1%D0%BE%D0%BB%D0%BE%D1%82",
            Some(&s),
        )
        .await; // Бекболот
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Bekbolot Asanov") && r.body.contains("Асанов Бекболат"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("Ivanov"));
    let r = desk
        .get(
            "/records?q=Asanov&event=exit_refused&from=2022-10&to=2022-10",
            Some(&s),
        )
        .await;
    assert!(r.body.contains("Bekbolot Asanov") && !r.body.contains("Асанов Бекболат"));
    let api = desk
        .get(
            "/api/records?q=%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2",
            Some(&s),
        )
        .await; // Иванов
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(json["total"], 1);
    assert_eq!(json["records"][0]["record"]["name"], "Ivanov Pyotr");
}

#[tokio::test]
async fn html_and_script_in_names_and_testimony_are_escaped_everywhere() {
    let desk = Desk::new();
    let s = analyst(&desk).await;
    let csv = "source,record_id,name,quote,place\n\
hotline,1,<script>alert(1)</script>,\"<img src=x onerror=alert(2)>\",<b>Osh</b>\n";
    let (_, done) = import(&desk, &s, csv).await;
    assert!(done.unwrap().body.contains("Imported 1 records"));
    let store = desk.store();
    let rec = store.record("hotline", "1").unwrap().unwrap();
    let person = store.new_person().unwrap();
    store.assign_person(rec.id, person).unwrap();
    let pages = [
        desk.get("/records", Some(&s)).await.body,
        desk.get(&format!("/persons/{}", person.0), Some(&s))
            .await
            .body,
    ];
    for body in &pages {
        assert!(
            !body.contains("<script>alert")
                && !body.contains("<img src=x")
                && !body.contains("<b>Osh"),
            "{body}"
        );
        assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }
    assert!(pages[1].contains("&lt;img src=x onerror=alert(2)&gt;"));
}

#[tokio::test]
async fn csv_exports_neutralise_formulas() {
    let desk = Desk::new();
    let s = analyst(&desk).await;
    let csv = "source,record_id,name,notes,place\nhotline,=1+1,@SUM(A1),-2+3,+7 999\n";
    let (_, done) = import(&desk, &s, csv).await;
    assert!(done.unwrap().body.contains("Imported 1 records"));
    let r = desk.get("/exports/records.csv", Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers
            .get("content-disposition")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let mut lines = r.body.lines();
    assert!(lines.next().unwrap().starts_with("source,record_id,name,"));
    let row = lines.next().unwrap();
    for cell in ["'=1+1", "'@SUM(A1)", "'-2+3", "'+7 999"] {
        assert!(row.contains(cell), "{cell} in {row}");
    }
    assert!(
        !row.split(',').any(|c| c.starts_with(['=', '+', '-', '@'])),
        "{row}"
    );
}

#[tokio::test]
async fn a_person_page_shows_records_side_by_side_and_independent_sources() {
    let desk = Desk::new();
    let s = analyst(&desk).await;
    import(&desk, &s, GOOD).await;
    let csv = "source,record_id,name,informant\nmedia_a,m1,Bekbolat Asanov,media\nmedia_b,m2,Бекболат Асанов,media\n";
    let checked = desk
        .post_file("/import", &s, "media.csv", csv.as_bytes(), &[], false)
        .await;
    let token = super::harness::hidden_value(&checked.body, "upload").unwrap();
    desk.post_form("/import/confirm", Some(&s), &[("upload", &token)])
        .await;
    // The two outlets republish one wire story: one dependency group.
    for name in ["media_a", "media_b"] {
        let r = desk
            .post_form(
                "/sources",
                Some(&s),
                &[("name", name), ("dependency_group", "wire")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let store = desk.store();
    let person = store.new_person().unwrap();
    for (src, id) in [("hotline", "1"), ("media_a", "m1"), ("media_b", "m2")] {
        store
            .assign_person(store.record(src, id).unwrap().unwrap().id, person)
            .unwrap();
    }
    let r = desk.get(&format!("/persons/{}", person.0), Some(&s)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("3 linked records"));
    assert!(
        r.body.contains("Independent sources: 2"),
        "hotline + the wire group"
    );
    assert!(r.body.contains("a media report") && r.body.contains("Мне сказали"));
    let api = desk
        .get(&format!("/api/persons/{}", person.0), Some(&s))
        .await;
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(json["independent_sources"], 2);
    assert_eq!(
        desk.get("/persons/999999", Some(&s)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_russian_interface_translates_the_pages() {
    let desk = Desk::new();
    let s = analyst(&desk).await;
    let switch = desk.get("/lang/ru?next=/records", Some(&s)).await;
    let lang = switch.cookie(crate::auth::LANG_COOKIE).unwrap();
    let ru = Session {
        cookie: format!("{}; {lang}", s.cookie),
        ..s.clone()
    };
    for (path, text) in [
        ("/records", "Записи"),
        ("/import", "Импорт записей"),
        ("/estimates", "Оценки"),
        ("/sources", "Источники"),
        ("/review", "Проверка"),
    ] {
        let r = desk.get(path, Some(&ru)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(
            r.body.contains(text) && r.body.contains("lang=\"ru\""),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_russian_pages_hold_no_english_but_data() {
    let desk = Desk::new();
    desk.add_user("aida", Role::Admin);
    let s = desk.login("aida").await;
    let csv = "source,record_id,name,sex,birth_date,event,event_date,place,informant,quote\n\
горячая_линия,1,Асанов Бекболат,m,1966-03-02,exit_refused,2022-09-25,Верхний Ларс,self,Сказали ждать\n\
юристы,7,Асанов Бекболат,m,1966-03-02,exit_refused,2022-09,Верхний Ларс,relative,\n\
юристы,8,Иванов Пётр,m,1965-07-11,summoned,2022-10-03,Ош,witness,\n";
    let (_, done) = import(&desk, &s, csv).await;
    assert!(done.unwrap().body.contains("Imported 3"));
    let linked = desk.post_form("/review/link", Some(&s), &[]).await;
    assert_eq!(linked.status, StatusCode::SEE_OTHER, "{}", linked.body);
    let switch = desk.get("/lang/ru?next=/", Some(&s)).await;
    let lang = switch.cookie(crate::auth::LANG_COOKIE).unwrap();
    let ru = Session {
        cookie: format!("{}; {lang}", s.cookie),
        ..s.clone()
    };
    let person = desk
        .store()
        .record("юристы", "8")
        .unwrap()
        .unwrap()
        .person
        .expect("linked");
    let est = desk
        .post_form("/estimates/run", Some(&ru), &[("by", "all")])
        .await;
    assert_eq!(est.status, StatusCode::SEE_OTHER);
    // Names are not translated: of the program and its command, of file formats and the
    // Records CSV column `source`, of methods and figures, and the user's.
    let allowed = [
        "recount", "estimate", "EN", "RU", "Records", "CSV", "XLSX", "TOML", "source", "BIC",
        "LCMCR", "dga", "aida",
    ];
    for path in [
        "/".to_owned(),
        "/sources".into(),
        "/import".into(),
        "/records".into(),
        "/records?q=Бекболат".into(),
        "/records?from=2022-13".into(),
        format!("/persons/{}", person.0),
        "/review".into(),
        "/estimates".into(),
        est.location().to_owned(),
        "/exports".into(),
        "/audit".into(),
        "/no-such-page".into(),
        "/persons/999999".into(),
    ] {
        let page = desk.get(&path, Some(&ru)).await;
        assert!(page.body.contains("lang=\"ru\""), "{path}");
        let english = super::estimates::english_words(&page.body, &allowed);
        assert!(english.is_empty(), "{path}: {english:?}");
    }
}

#[tokio::test]
async fn records_are_filtered_by_source_place_event_and_dates() {
    let desk = Desk::new();
    let s = analyst(&desk).await;
    import(&desk, &s, GOOD).await;
    import(
        &desk,
        &s,
        "source,record_id,name,event,event_date,place\nlawyers,L1,Садыков Нурлан,summoned,2022-11-02,Osh\n",
    )
    .await;
    let names = |body: &str| {
        [
            "Асанов Бекболат",
            "Bekbolot Asanov",
            "Ivanov Pyotr",
            "Садыков Нурлан",
        ]
        .into_iter()
        .filter(|n| body.contains(n))
        .collect::<Vec<_>>()
    };
    for (query, want) in [
        ("source=lawyers", vec!["Садыков Нурлан"]),
        ("place=Osh", vec!["Ivanov Pyotr", "Садыков Нурлан"]),
        ("place=Osh&source=hotline", vec!["Ivanov Pyotr"]),
        ("event=summoned&from=2022-11", vec!["Садыков Нурлан"]),
        ("event=exit_refused&to=2022-09", vec!["Асанов Бекболат"]),
    ] {
        let r = desk.get(&format!("/records?{query}"), Some(&s)).await;
        assert_eq!(r.status, StatusCode::OK, "{query}");
        assert_eq!(names(&r.body), want, "{query}");
    }
}

#[tokio::test]
async fn a_russian_reader_sees_each_problem_in_russian_at_its_row_and_column() {
    let desk = Desk::new();
    let s = analyst(&desk).await;
    let checked = desk
        .post_file_with_headers(
            "/import",
            &s,
            "hotline.csv",
            BAD.as_bytes(),
            &[],
            false,
            &[("accept-language", "ru-RU,ru;q=0.9,en;q=0.5")],
        )
        .await;
    assert_eq!(checked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        checked.body.contains("Найдено ошибок: 2"),
        "{}",
        checked.body
    );
    // Row, column, the value (a date, not free text), the message and the expected form.
    for row in [
        "<tr data-code=\"bad_date\"><td class=\"num\">3</td><td>event_date</td><td>2022-13-01</td>\
         <td>Дата не распознана.</td>\
         <td>ГГГГ, ГГГГ-ММ или ГГГГ-ММ-ДД; или период НАЧАЛО/КОНЕЦ из таких дат</td></tr>",
        "<tr data-code=\"bad_age\"><td class=\"num\">3</td><td>age</td><td>old</td>\
         <td>Это не возраст в целых годах (от 0 до 130).</td>",
    ] {
        assert!(checked.body.contains(row), "{row}\n{}", checked.body);
    }
    // No English sentence of the importer is left.
    assert!(!checked.body.contains("does not exist"), "{}", checked.body);
    assert!(!checked.body.contains("whole number"), "{}", checked.body);

    // The API keeps the importer's English words and adds the code.
    let api = desk
        .post_file_with_headers(
            "/api/import",
            &s,
            "h.csv",
            BAD.as_bytes(),
            &[],
            true,
            &[("accept-language", "ru")],
        )
        .await;
    let problems: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(problems[0]["code"], "bad_date");
    assert_eq!(
        problems[0]["message"],
        "month 13 does not exist in '2022-13-01'"
    );
    assert_eq!(problems[1]["code"], "bad_age");
}

#[tokio::test]
async fn a_changed_record_is_refused_at_its_row_and_column_in_any_language() {
    let desk = Desk::new();
    let s = analyst(&desk).await;
    import(&desk, &s, GOOD).await;
    let changed = GOOD.replace("Ivanov Pyotr,summoned", "Ivanov Pyotr,detained");
    let ru = Session {
        cookie: format!("{}; {}=ru", s.cookie, crate::auth::LANG_COOKIE),
        ..s.clone()
    };
    let (checked, done) = import(&desk, &ru, &changed).await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    let done = done.expect("the file itself is clean");
    assert_eq!(
        done.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        done.body
    );
    assert!(
        done.body
            .contains("<td class=\"num\">4</td><td>record_id</td><td>3</td>"),
        "{}",
        done.body
    );
    // The pipeline's import step finds the conflict. Built with `Problem::changed_content` it
    // has a code and reads in Russian; built field by field (code `other`) it keeps the
    // importer's English words.
    let worded = if done.body.contains("data-code=\"changed_content\"") {
        "У источника hotline уже есть этот record_id с другим содержанием"
    } else {
        "already has this record_id with different content"
    };
    assert!(done.body.contains(worded), "{}", done.body);
    assert_eq!(desk.store().record_count().unwrap(), 3, "nothing changed");
}

#[tokio::test]
async fn the_api_imports_a_clean_file_and_lists_every_problem_of_a_bad_one() {
    let desk = Desk::new();
    let s = analyst(&desk).await;
    let bad = desk
        .post_file("/api/import", &s, "h.csv", BAD.as_bytes(), &[], true)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let problems: serde_json::Value = serde_json::from_str(&bad.body).unwrap();
    let located: Vec<(u64, &str)> = problems
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["row"].as_u64().unwrap(), p["column"].as_str().unwrap()))
        .collect();
    assert_eq!(located, [(3, "event_date"), (3, "age")]);
    assert_eq!(desk.store().record_count().unwrap(), 0, "nothing imported");
    let good = desk
        .post_file("/api/import", &s, "h.csv", GOOD.as_bytes(), &[], true)
        .await;
    assert_eq!(good.status, StatusCode::OK, "{}", good.body);
    assert_eq!(good.body, r#"{"imported":3}"#);
}

#[tokio::test]
async fn an_xlsx_upload_shows_its_problems_at_spreadsheet_rows() {
    let desk = Desk::new();
    let s = analyst(&desk).await;
    let xlsx = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../recount-import/tests/fixtures/hotline.xlsx"),
    )
    .unwrap();
    let r = desk
        .post_file(
            "/import",
            &s,
            "hotline.xlsx",
            &xlsx,
            &[("source", "hotline")],
            false,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("<td class=\"num\">4</td><td>age</td>"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("/import/confirm"));
    assert_eq!(desk.store().record_count().unwrap(), 0);
}

#[tokio::test]
async fn a_mapped_file_is_read_through_its_mapping() {
    let desk = Desk::new();
    let s = analyst(&desk).await;
    let csv = "Источник;Номер;Фамилия;Имя;Событие;Дата\n\
юристы;1;Асанов;Бекболат;выезд запрещён;2022-09\n";
    let mapping = "version = 1\n\
[columns]\n\"Источник\" = \"source\"\n\"Номер\" = \"record_id\"\n\"Фамилия\" = \"family_name\"\n\
\"Имя\" = \"given_name\"\n\"Событие\" = \"event\"\n\"Дата\" = \"event_date\"\n\
[values.event]\n\"выезд запрещён\" = \"exit_refused\"\n";
    let r = desk
        .post_file(
            "/import",
            &s,
            "list.csv",
            csv.as_bytes(),
            &[("mapping", mapping)],
            false,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("The file is clean: 1 records"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("refused exit"),
        "the event read through the mapping"
    );
    // Without the mapping, the unknown columns are problems.
    let r = desk
        .post_file("/import", &s, "list.csv", csv.as_bytes(), &[], false)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}
