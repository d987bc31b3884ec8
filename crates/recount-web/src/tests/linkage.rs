//! Review decisions over persons in the store.

use super::harness::{Desk, Session};
use axum::http::StatusCode;
use recount_store::accounts::Role;
use recount_types::{PersonId, RecordId};

async fn analyst(desk: &Desk) -> Session {
    desk.add_user("aida", Role::Analyst);
    desk.login("aida").await
}

async fn import(desk: &Desk, s: &Session, csv: &str) {
    let checked = desk
        .post_file("/import", s, "list.csv", csv.as_bytes(), &[], false)
        .await;
    let token = super::harness::hidden_value(&checked.body, "upload").expect(&checked.body);
    let done = desk
        .post_form("/import/confirm", Some(s), &[("upload", &token)])
        .await;
    assert!(done.body.contains("Imported"), "{}", done.body);
}

fn id(desk: &Desk, source: &str, record: &str) -> RecordId {
    desk.store().record(source, record).unwrap().unwrap().id
}

fn person(desk: &Desk, r: RecordId) -> Option<PersonId> {
    let store = desk.store();
    let key = store.record_key(r).unwrap().unwrap();
    store
        .record(key.source.as_str(), &key.record_id)
        .unwrap()
        .unwrap()
        .person
}

fn add_pair(desk: &Desk, a: RecordId, b: RecordId, score: f64) {
    let weights = [("name".to_owned(), 3.5), ("birth_date".to_owned(), -1.25)];
    desk.store().put_link_pair(a, b, score, &weights).unwrap();
}

#[tokio::test]
async fn a_review_decision_changes_the_persons_at_once() {
    let desk = Desk::new();
    let s = analyst(&desk).await;
    import(
        &desk,
        &s,
        "source,record_id,name\nhotline,1,Асанов Бекболат\nlawyers,7,Bekbolot Asanov\n",
    )
    .await;
    let (a, b) = (id(&desk, "hotline", "1"), id(&desk, "lawyers", "7"));
    add_pair(&desk, a, b, 0.62);
    let page = desk.get("/review", Some(&s)).await;
    assert!(page.body.contains("Асанов Бекболат") && page.body.contains("Bekbolot Asanov"));
    assert!(page.body.contains("data-key=\"s\"") && page.body.contains("0.620"));
    assert!(
        page.body.contains("+3.50") && page.body.contains("-1.25"),
        "per-field weights"
    );
    assert_eq!((person(&desk, a), person(&desk, b)), (None, None));

    let r = desk
        .post_form(
            "/review",
            Some(&s),
            &[
                ("a", &a.0.to_string()),
                ("b", &b.0.to_string()),
                ("decision", "same"),
            ],
        )
        .await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/review?saved=same")
    );
    let p = person(&desk, a).expect("a person now");
    assert_eq!(person(&desk, b), Some(p));
    let page = desk.get(&format!("/persons/{}", p.0), Some(&s)).await;
    assert!(page.body.contains("2 linked records") && page.body.contains("Independent sources: 2"));
    assert!(
        page.body.contains("decided by a reviewer: Same person"),
        "{}",
        page.body
    );
    assert!(
        desk.get("/review", Some(&s))
            .await
            .body
            .contains("There are no pairs waiting")
    );

    // Changing one's mind: "different" separates them again, through the API this time.
    let api = axum::http::Request::builder()
        .method("POST")
        .uri("/api/review")
        .header("content-type", "application/json")
        .header("cookie", &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .body(axum::body::Body::from(format!(
            r#"{{"a": {}, "b": {}, "decision": "different"}}"#,
            a.0, b.0
        )))
        .unwrap();
    assert_eq!(desk.send(api).await.status, StatusCode::NO_CONTENT);
    assert_ne!(person(&desk, a), person(&desk, b));
    let log = desk.store().audit_log(3).unwrap();
    assert_eq!(log[0].action, "review");
    assert!(log[0].detail.ends_with("different"));
}
