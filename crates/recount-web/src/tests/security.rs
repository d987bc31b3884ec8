//! Accounts, sessions, CSRF, roles and headers.

use super::harness::{Desk, Session};
use crate::auth::{LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use axum::http::{StatusCode, header};
use recount_store::accounts::Role;

#[tokio::test]
async fn login_sets_a_strict_httponly_cookie_and_logout_ends_the_session() {
    let desk = Desk::new();
    desk.add_user("aida", Role::Analyst);
    let s = desk.login("aida").await;
    let line = {
        let form = desk.get("/login", None).await;
        let token = form.cookie(LOGIN_CSRF_COOKIE).unwrap();
        let v = token.split_once('=').unwrap().1.to_owned();
        let r = desk
            .post_form(
                "/login",
                Some(&Session {
                    cookie: token,
                    csrf: v.clone(),
                }),
                &[
                    ("csrf_token", &v),
                    ("username", "aida"),
                    ("password", super::harness::PASSWORD),
                ],
            )
            .await;
        r.set_cookie_line(SESSION_COOKIE).unwrap()
    };
    assert!(
        line.contains("HttpOnly") && line.contains("SameSite=Strict"),
        "{line}"
    );
    assert!(!line.contains("Secure"), "no Secure without TLS: {line}");
    assert_eq!(desk.get("/records", Some(&s)).await.status, StatusCode::OK);
    let out = desk.post_form("/logout", Some(&s), &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let after = desk.get("/records", Some(&s)).await;
    assert_eq!(
        (after.status, after.location()),
        (StatusCode::SEE_OTHER, "/login?expired=1")
    );
}

#[tokio::test]
async fn session_cookies_are_secure_behind_tls() {
    let desk = Desk::with_settings(crate::Settings {
        tls: true,
        ..Default::default()
    });
    let form = desk.get("/login", None).await;
    assert!(
        form.set_cookie_line(LOGIN_CSRF_COOKIE)
            .unwrap()
            .contains("Secure")
    );
    assert!(form.headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
}

#[tokio::test]
async fn a_wrong_password_fails_and_repeated_failures_are_limited() {
    let desk = Desk::new();
    desk.add_user("aida", Role::Analyst);
    for _ in 0..crate::auth::LoginLimiter::MAX_FAILURES {
        let r = desk
            .try_login("aida", "wrong password!")
            .await
            .err()
            .unwrap();
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.body.contains("The user name or password is wrong."));
    }
    // Now even the right password is refused until the window passes.
    let r = desk
        .try_login("aida", super::harness::PASSWORD)
        .await
        .err()
        .unwrap();
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("Too many failed attempts"));
    let log = desk.store().audit_log(10).unwrap();
    assert!(log.iter().filter(|e| e.action == "login.failed").count() >= 5);
}

#[tokio::test]
async fn login_without_or_with_a_forged_csrf_token_is_forbidden() {
    let desk = Desk::new();
    desk.add_user("aida", Role::Analyst);
    let r = desk
        .post_form(
            "/login",
            None,
            &[("username", "aida"), ("password", super::harness::PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let form = desk.get("/login", None).await;
    let cookie = form.cookie(LOGIN_CSRF_COOKIE).unwrap();
    let r = desk
        .post_form(
            "/login",
            Some(&Session {
                cookie,
                csrf: "0".repeat(64),
            }),
            &[("username", "aida"), ("password", super::harness::PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("security token"));
}

#[tokio::test]
async fn a_forged_csrf_token_is_forbidden_and_changes_nothing() {
    let desk = Desk::new();
    desk.add_user("aida", Role::Analyst);
    let s = desk.login("aida").await;
    desk.store().ensure_source("hotline").unwrap();
    let forged = Session {
        csrf: "f".repeat(64),
        ..s.clone()
    };
    let r = desk
        .post_form(
            "/sources",
            Some(&forged),
            &[("name", "hotline"), ("dependency_group", "wire")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = desk
        .post_form(
            "/sources",
            Some(&s),
            &[
                ("name", "hotline"),
                ("dependency_group", "wire"),
                ("csrf_token", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        desk.store()
            .source("hotline")
            .unwrap()
            .unwrap()
            .1
            .dependency_group,
        None
    );
    // The API checks the header the same way.
    let api = desk
        .post_file(
            "/api/import",
            &forged,
            "a.csv",
            b"source,record_id,name\n",
            &[],
            true,
        )
        .await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert!(api.body.contains("CSRF"));
    // And with the right token the change is made.
    let r = desk
        .post_form(
            "/sources",
            Some(&s),
            &[("name", "hotline"), ("dependency_group", "wire")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        desk.store()
            .source("hotline")
            .unwrap()
            .unwrap()
            .1
            .dependency_group
            .as_deref(),
        Some("wire")
    );
}

#[tokio::test]
async fn an_expired_session_is_sent_to_log_in_again() {
    let desk = Desk::new();
    desk.add_user("aida", Role::Analyst);
    let s = desk.login("aida").await;
    let token = s.cookie.split_once('=').unwrap().1;
    desk.store()
        .set_session_expiry(&crate::auth::token_hash(token), crate::auth::now() - 1)
        .unwrap();
    let r = desk.get("/records", Some(&s)).await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/login?expired=1")
    );
    let page = desk.get("/login?expired=1", Some(&s)).await;
    assert!(page.body.contains("Your session has expired"));
    let api = desk.get("/api/records", Some(&s)).await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    // A state-changing request with the expired session is refused too.
    let r = desk.post_form("/sources", Some(&s), &[("name", "x")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_viewer_sees_estimates_and_never_a_name() {
    let desk = Desk::new();
    desk.add_user("vera", Role::Viewer);
    let s = desk.login("vera").await;
    assert_eq!(
        desk.get("/estimates", Some(&s)).await.status,
        StatusCode::OK
    );
    for path in [
        "/records",
        "/persons/1",
        "/review",
        "/sources",
        "/import",
        "/exports",
        "/exports/records.csv",
        "/audit",
    ] {
        assert_eq!(
            desk.get(path, Some(&s)).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    for path in [
        "/api/records",
        "/api/persons/1",
        "/api/review",
        "/api/sources",
    ] {
        let r = desk.get(path, Some(&s)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert!(r.body.contains("\"error\""), "{path}: JSON error");
    }
    assert_eq!(
        desk.get("/api/estimates", Some(&s)).await.status,
        StatusCode::NOT_FOUND
    );
    let api = desk
        .post_file(
            "/api/import",
            &s,
            "a.csv",
            b"source,record_id,name\nh,1,X\n",
            &[],
            true,
        )
        .await;
    assert_eq!(
        api.status,
        StatusCode::FORBIDDEN,
        "a viewer calling an analyst endpoint"
    );
    let home = desk.get("/", Some(&s)).await;
    assert!(
        !home.body.contains("href=\"/records\""),
        "no link to records for a viewer"
    );
}

#[tokio::test]
async fn anonymous_requests_go_to_login_and_the_api_answers_401() {
    let desk = Desk::new();
    let r = desk.get("/records", None).await;
    assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, "/login"));
    assert_eq!(
        desk.get("/api/records", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        desk.get("/api/estimates", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn an_unknown_route_is_a_404_page_or_json() {
    let desk = Desk::new();
    let r = desk.get("/no/such/page", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Page not found"));
    let r = desk.get("/api/nothing", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("\"error\""));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let desk = Desk::new();
    for path in [
        "/login",
        "/no/such/page",
        "/static/app.css",
        "/api/openapi.json",
        "/records",
    ] {
        let r = desk.get(path, None).await;
        let csp = r
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("default-src 'none'"), "{path}");
        assert_eq!(
            r.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            r.headers.get(header::X_FRAME_OPTIONS).unwrap(),
            "DENY",
            "{path}"
        );
        assert_eq!(
            r.headers.get(header::REFERRER_POLICY).unwrap(),
            "no-referrer",
            "{path}"
        );
    }
    let page = desk.get("/login", None).await;
    assert!(!page.body.contains("<script>"), "no inline script");
    assert!(!page.body.contains("style="), "no inline style");
    assert!(
        !page.body.contains("http://") && !page.body.contains("https://"),
        "nothing from elsewhere"
    );
}

#[tokio::test]
async fn the_language_follows_accept_language_and_the_switch() {
    let desk = Desk::new();
    let request = axum::http::Request::builder()
        .uri("/login")
        .header(header::ACCEPT_LANGUAGE, "ru-RU,ru;q=0.9,en;q=0.5")
        .body(axum::body::Body::empty())
        .unwrap();
    let r = desk.send(request).await;
    assert!(
        r.body.contains("Вход") && r.body.contains("lang=\"ru\""),
        "Russian from Accept-Language"
    );
    let switch = desk.get("/lang/en?next=/login", None).await;
    assert_eq!(switch.location(), "/login");
    let cookie = switch.cookie(crate::auth::LANG_COOKIE).unwrap();
    let request = axum::http::Request::builder()
        .uri("/login")
        .header(header::ACCEPT_LANGUAGE, "ru")
        .header(header::COOKIE, cookie)
        .body(axum::body::Body::empty())
        .unwrap();
    assert!(
        desk.send(request).await.body.contains("Log in"),
        "the switch wins over the header"
    );
    // The switch never sends anyone to another site.
    assert_eq!(
        desk.get("/lang/ru?next=//evil.example/", None)
            .await
            .location(),
        "/"
    );
}

#[tokio::test]
async fn the_openapi_document_lists_the_api() {
    let desk = Desk::new();
    let r = desk.get("/api/openapi.json", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/records",
        "/api/persons/{id}",
        "/api/import",
        "/api/review",
        "/api/estimates",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path}");
    }
}
