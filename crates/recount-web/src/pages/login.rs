//! `/login` and `/logout`.

use super::{PageResult, layout, render};
use crate::App;
use crate::auth::{self, Auth, Ctx, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::i18n::t;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::html;
use serde::Deserialize;
use std::net::SocketAddr;

/// The client's address when the server knows it (not in handler tests).
pub struct Peer(Option<SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    expired: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
}

/// Which message the form shows above its fields.
enum Notice {
    None,
    Failed,
    Limited,
    Expired,
}

fn form(app: &App, ctx: &Ctx, notice: Notice, status: StatusCode) -> Response {
    let lang = ctx.lang;
    let token = auth::random_token();
    let body = html! {
        div.login {
            h1 { (t(lang, "login.title")) }
            @match notice {
                Notice::None => {},
                Notice::Failed => p.notice.bad role="alert" { (t(lang, "login.failed")) },
                Notice::Limited => p.notice.bad role="alert" { (t(lang, "login.limited")) },
                Notice::Expired => p.notice role="status" { (t(lang, "login.expired")) },
            }
            form.stack method="post" action="/login" {
                input type="hidden" name="csrf_token" value=(token);
                label for="username" { (t(lang, "login.username")) }
                input #username name="username" autocomplete="username" required autofocus;
                label for="password" { (t(lang, "login.password")) }
                input #password name="password" type="password" autocomplete="current-password" required;
                p { button type="submit" { (t(lang, "login.submit")) } }
            }
        }
    };
    let ctx = Ctx {
        user: None,
        ..ctx.clone()
    };
    let mut response = render(layout(&ctx, &t(lang, "login.title"), body));
    *response.status_mut() = status;
    let cookie = auth::set_cookie(LOGIN_CSRF_COOKIE, &token, None, app.settings.tls);
    if let Ok(v) = cookie.parse() {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

pub async fn page(State(app): State<App>, ctx: Ctx, Query(q): Query<LoginQuery>) -> Response {
    if ctx.user.is_some() {
        return Redirect::to("/").into_response();
    }
    let notice = if q.expired.is_some() {
        Notice::Expired
    } else {
        Notice::None
    };
    form(&app, &ctx, notice, StatusCode::OK)
}

pub async fn submit(
    State(app): State<App>,
    ctx: Ctx,
    peer: Peer,
    Form(input): Form<LoginForm>,
) -> PageResult {
    let name = input.username.trim().to_owned();
    let mut keys = vec![format!("user:{}", name.to_lowercase())];
    if let Peer(Some(addr)) = peer {
        keys.push(format!("ip:{}", addr.ip()));
    }
    if app.limiter.is_blocked(&keys) {
        return Ok(form(
            &app,
            &ctx,
            Notice::Limited,
            StatusCode::TOO_MANY_REQUESTS,
        ));
    }
    let lookup = name.clone();
    let user = app.db.call(move |s| s.user_by_name(&lookup)).await?;
    // Verify against a hash even when the user does not exist, so timing does not tell which
    // names exist.
    let verified = match &user {
        Some(u) => crate::verify_password(&input.password, &u.password_hash),
        None => {
            crate::verify_password(&input.password, dummy_hash());
            false
        }
    };
    let Some(user) = user.filter(|_| verified) else {
        app.limiter.fail(&keys);
        app.db
            .call(|s| s.append_audit(None, "login.failed", ""))
            .await?;
        return Ok(form(&app, &ctx, Notice::Failed, StatusCode::UNAUTHORIZED));
    };
    app.limiter.succeed(&keys);
    let token = auth::random_token();
    let csrf = auth::random_token();
    let expires = auth::now() + app.settings.session_seconds;
    let hash = auth::token_hash(&token);
    let user_id = user.id;
    app.db
        .call(move |s| {
            s.create_session(&hash, user_id, &csrf, expires)?;
            s.append_audit(Some(user_id), "login", "")
        })
        .await?;
    let mut response = Redirect::to(if user.role >= recount_store::accounts::Role::Analyst {
        "/records"
    } else {
        "/estimates"
    })
    .into_response();
    let tls = app.settings.tls;
    for cookie in [
        auth::set_cookie(
            SESSION_COOKIE,
            &token,
            Some(app.settings.session_seconds),
            tls,
        ),
        auth::set_cookie(LOGIN_CSRF_COOKIE, "", Some(0), tls),
    ] {
        if let Ok(v) = cookie.parse() {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(response)
}

fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| crate::hash_password("no user has this password"))
}

pub async fn logout(State(app): State<App>, Extension(auth): Extension<Auth>) -> PageResult {
    if let Auth::User(user) = auth {
        let id = user.id;
        app.db
            .call(move |s| {
                s.delete_session(&user.session)?;
                s.append_audit(Some(id), "logout", "")
            })
            .await?;
    }
    let mut response = Redirect::to("/login").into_response();
    let cookie = auth::set_cookie(SESSION_COOKIE, "", Some(0), app.settings.tls);
    if let Ok(v) = cookie.parse() {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(response)
}
