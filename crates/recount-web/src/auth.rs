//! Sessions, CSRF and roles.
//!
//! A session is a random token in an HttpOnly, SameSite=Strict cookie (Secure behind TLS); the
//! database keeps only its SHA-256, so a copy of the database cannot be used to log in. Each
//! session has its own CSRF token, which every state-changing request must carry, as the form
//! field `csrf_token` or the header `X-CSRF-Token`; the login form, which has no session yet, is
//! checked against a token in a separate cookie (double submit). The [`authenticate`] middleware
//! resolves the session once per request and checks CSRF before any handler runs, so no handler
//! can forget to.

use crate::App;
use crate::db::Db;
use crate::i18n::Lang;
use crate::pages::error_page;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use recount_store::accounts::{Role, UserId};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub const SESSION_COOKIE: &str = "recount_session";
pub const LOGIN_CSRF_COOKIE: &str = "recount_login_csrf";
pub const LANG_COOKIE: &str = "recount_lang";
pub const CSRF_FIELD: &str = "csrf_token";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: UserId,
    pub name: String,
    pub role: Role,
    pub csrf: String,
    /// SHA-256 of the session token, hex; identifies the session in the database.
    pub session: String,
}

/// Who is asking, as the [`authenticate`] middleware found it.
#[derive(Debug, Clone)]
pub enum Auth {
    Anonymous,
    /// A session cookie came, but its session has expired or never existed.
    Expired,
    User(CurrentUser),
}

/// 32 random bytes as hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // The OS's random source failing is not recoverable; a predictable token would be worse.
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    hex(&bytes)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Seconds since 1970.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Compares two tokens in time independent of where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A `Set-Cookie` value with the desk's attributes. `max_age` 0 deletes the cookie.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, tls: bool) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if tls {
        c.push_str("; Secure");
    }
    c
}

/// Resolves the session and checks CSRF on every request that is not GET, HEAD or OPTIONS.
pub async fn authenticate(State(app): State<App>, request: Request, next: Next) -> Response {
    let auth = resolve(&app.db, request.headers()).await;
    let request = match check_csrf(&app, &auth, request).await {
        Ok(r) => r,
        Err(response) => return response,
    };
    let mut request = request;
    request.extensions_mut().insert(auth);
    next.run(request).await
}

async fn resolve(db: &Db, headers: &HeaderMap) -> Auth {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Auth::Anonymous;
    };
    let hash = token_hash(&token);
    let found = db.call(move |s| s.session(&hash)).await;
    match found {
        Ok(Some(session)) if session.expires_at > now() => Auth::User(CurrentUser {
            id: session.user.id,
            name: session.user.name,
            role: session.user.role,
            csrf: session.csrf_token,
            session: session.token_hash,
        }),
        Ok(_) => Auth::Expired,
        Err(e) => {
            eprintln!("session lookup failed: {e}");
            Auth::Expired
        }
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Buffers the body of a state-changing request (refusing one over the upload limit), finds
/// its CSRF token and compares it with the expected one; gives the request back, rebuilt.
async fn check_csrf(app: &App, auth: &Auth, request: Request) -> Result<Request, Response> {
    if is_safe(request.method()) {
        return Ok(request);
    }
    let lang = request_lang(request.headers());
    let is_login = request.uri().path() == "/login";
    let expected = match auth {
        Auth::User(u) if !is_login => Some(u.csrf.clone()),
        _ => cookie(request.headers(), LOGIN_CSRF_COOKIE),
    };
    let (parts, body) = request.into_parts();
    let is_api = parts.uri.path().starts_with("/api/");
    let bytes = match to_bytes(body, app.settings.upload_limit + 64 * 1024).await {
        Ok(b) => b,
        Err(_) => {
            return Err(crate::pages::too_large(
                lang,
                app.settings.upload_limit,
                is_api,
            ));
        }
    };
    let provided = match parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        Some(h) => Some(h.to_owned()),
        None => token_in_body(&parts.headers, &bytes).await,
    };
    let ok = match (expected, provided) {
        (Some(e), Some(p)) => same_token(&e, &p),
        _ => false,
    };
    if !ok {
        return Err(forbidden_csrf(lang, is_api));
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

async fn token_in_body(headers: &HeaderMap, bytes: &Bytes) -> Option<String> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return form_urlencoded::parse(bytes)
            .find(|(k, _)| k == CSRF_FIELD)
            .map(|(_, v)| v.into_owned());
    }
    if content_type.starts_with("multipart/form-data") {
        let boundary = multer::parse_boundary(content_type).ok()?;
        let data = bytes.clone();
        let stream = futures_util::stream::once(async move { Ok::<_, Infallible>(data) });
        let mut multipart = multer::Multipart::new(stream, boundary);
        while let Ok(Some(field)) = multipart.next_field().await {
            if field.name() == Some(CSRF_FIELD) {
                return field.text().await.ok();
            }
        }
    }
    None
}

fn forbidden_csrf(lang: Lang, is_api: bool) -> Response {
    if is_api {
        return api_error(StatusCode::FORBIDDEN, "missing or wrong CSRF token");
    }
    error_page(
        lang,
        StatusCode::FORBIDDEN,
        "error.csrf.title",
        "error.csrf.body",
    )
}

/// A JSON error body `{"error": "..."}`.
pub fn api_error(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
}

/// The language of a request: the switch's cookie, else Accept-Language.
pub fn request_lang(headers: &HeaderMap) -> Lang {
    if let Some(lang) = cookie(headers, LANG_COOKIE).and_then(|c| Lang::from_code(&c)) {
        return lang;
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Lang::En, Lang::from_accept_language)
}

/// Lets only users with at least `min` through; the others are sent to log in (pages), get 401
/// (API), or 403 when signed in with a lesser role.
pub async fn require(min: Role, request: Request, next: Next) -> Response {
    let lang = request_lang(request.headers());
    let is_api = request.uri().path().starts_with("/api/");
    let auth = request
        .extensions()
        .get::<Auth>()
        .cloned()
        .unwrap_or(Auth::Anonymous);
    match auth {
        Auth::User(u) if u.role >= min => next.run(request).await,
        Auth::User(_) if is_api => {
            api_error(StatusCode::FORBIDDEN, "your role does not allow this")
        }
        Auth::User(_) => error_page(
            lang,
            StatusCode::FORBIDDEN,
            "error.forbidden.title",
            "error.forbidden.body",
        ),
        Auth::Expired if is_api => api_error(StatusCode::UNAUTHORIZED, "the session has expired"),
        Auth::Anonymous if is_api => api_error(StatusCode::UNAUTHORIZED, "log in first"),
        Auth::Expired => Redirect::to("/login?expired=1").into_response(),
        Auth::Anonymous => Redirect::to("/login").into_response(),
    }
}

/// What every page needs: the language and the user, if any.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub user: Option<CurrentUser>,
    /// The page's path, for the language switch to come back to.
    pub path: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = Infallible;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let user = match parts.extensions.get::<Auth>() {
            Some(Auth::User(u)) => Some(u.clone()),
            _ => None,
        };
        Ok(Ctx {
            lang: request_lang(&parts.headers),
            user,
            path: parts.uri.path().to_owned(),
        })
    }
}

impl Ctx {
    /// The signed-in user; routes behind [`require`] always have one.
    pub fn user(&self) -> Result<&CurrentUser, crate::pages::PageError> {
        self.user
            .as_ref()
            .ok_or_else(|| Redirect::to("/login").into_response().into())
    }
    pub fn csrf(&self) -> &str {
        self.user.as_ref().map_or("", |u| u.csrf.as_str())
    }
}

/// Counts failed logins per user name and per client address; more than
/// [`LoginLimiter::MAX_FAILURES`] in [`LoginLimiter::WINDOW`] blocks that key until the window
/// ends. Kept in memory: a restart forgets it, which only helps someone who can restart the
/// server anyway.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginLimiter {
    pub const MAX_FAILURES: u32 = 5;
    pub const WINDOW: Duration = Duration::from_secs(15 * 60);

    pub fn is_blocked(&self, keys: &[String]) -> bool {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        keys.iter().any(|k| {
            map.get(k).is_some_and(|(n, since)| {
                *n >= Self::MAX_FAILURES && since.elapsed() < Self::WINDOW
            })
        })
    }

    pub fn fail(&self, keys: &[String]) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| since.elapsed() < Self::WINDOW);
        }
        for k in keys {
            let entry = map.entry(k.clone()).or_insert((0, Instant::now()));
            if entry.1.elapsed() >= Self::WINDOW {
                *entry = (0, Instant::now());
            }
            entry.0 += 1;
        }
    }

    pub fn succeed(&self, keys: &[String]) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for k in keys {
            map.remove(k);
        }
    }
}
