//! A desk over a temp database, with helpers to log in and send requests.

use crate::{App, Db, Settings, router};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use recount_store::Store;
use recount_store::accounts::Role;
use tempfile::TempDir;
use tower::ServiceExt;

pub const PASSWORD: &str = "a long enough password";

pub struct Desk {
    pub dir: TempDir,
    pub router: Router,
    #[allow(dead_code)]
    pub db: Db,
    /// The router's state, shared with it.
    pub app: App,
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    /// The `name=value` of a Set-Cookie header for `name`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(|c| c.split(';').next().unwrap_or("").to_owned())
    }
    pub fn set_cookie_line(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    }
}

/// A session: its cookie and CSRF token.
#[derive(Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

impl Desk {
    pub fn new() -> Desk {
        Self::with_settings(Settings::default())
    }

    pub fn with_settings(settings: Settings) -> Desk {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("project.sqlite");
        Store::create(&path).unwrap();
        let db = Db::open(&path).unwrap();
        let app = App::new(db.clone(), settings);
        let router = router(app.clone());
        Desk {
            dir,
            router,
            db,
            app,
        }
    }

    pub fn path(&self) -> std::path::PathBuf {
        self.dir.path().join("project.sqlite")
    }

    pub fn add_user(&self, name: &str, role: Role) {
        crate::add_user(&self.path(), name, role, PASSWORD).unwrap();
    }

    pub fn store(&self) -> Store {
        Store::open(&self.path()).unwrap()
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, session: Option<&Session>) -> Reply {
        let mut b = Request::builder().uri(path);
        if let Some(s) = session {
            b = b.header(header::COOKIE, &s.cookie);
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    /// Posts a urlencoded form; the session's CSRF token is added unless `fields` has one.
    pub async fn post_form(
        &self,
        path: &str,
        session: Option<&Session>,
        fields: &[(&str, &str)],
    ) -> Reply {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        let has_token = fields.iter().any(|(k, _)| *k == "csrf_token");
        if let (Some(s), false) = (session, has_token) {
            ser.append_pair("csrf_token", &s.csrf);
        }
        for (k, v) in fields {
            ser.append_pair(k, v);
        }
        let mut b = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(s) = session {
            b = b.header(header::COOKIE, &s.cookie);
        }
        self.send(b.body(Body::from(ser.finish())).unwrap()).await
    }

    /// Logs in through the form, as a browser does.
    pub async fn login(&self, name: &str) -> Session {
        self.try_login(name, PASSWORD)
            .await
            .expect("login succeeds")
    }

    pub async fn try_login(&self, name: &str, password: &str) -> Result<Session, Reply> {
        let form = self.get("/login", None).await;
        let token = form.cookie(crate::auth::LOGIN_CSRF_COOKIE).unwrap();
        let value = token.split_once('=').unwrap().1.to_owned();
        let reply = self
            .post_form(
                "/login",
                Some(&Session {
                    cookie: token.clone(),
                    csrf: value.clone(),
                }),
                &[
                    ("csrf_token", &value),
                    ("username", name),
                    ("password", password),
                ],
            )
            .await;
        if reply.status != StatusCode::SEE_OTHER {
            return Err(reply);
        }
        let cookie = reply.cookie(crate::auth::SESSION_COOKIE).unwrap();
        let page = self
            .get(
                "/",
                Some(&Session {
                    cookie: cookie.clone(),
                    csrf: String::new(),
                }),
            )
            .await;
        let csrf =
            hidden_value(&page.body, "csrf_token").expect("the layout carries the CSRF token");
        Ok(Session { cookie, csrf })
    }

    /// Sends a multipart form with one file.
    pub async fn post_file(
        &self,
        path: &str,
        session: &Session,
        file_name: &str,
        bytes: &[u8],
        fields: &[(&str, &str)],
        csrf_header: bool,
    ) -> Reply {
        self.post_file_with_headers(path, session, file_name, bytes, fields, csrf_header, &[])
            .await
    }

    /// [`Desk::post_file`] with further request headers (e.g. `Accept-Language`).
    #[allow(clippy::too_many_arguments)]
    pub async fn post_file_with_headers(
        &self,
        path: &str,
        session: &Session,
        file_name: &str,
        bytes: &[u8],
        fields: &[(&str, &str)],
        csrf_header: bool,
        headers: &[(&str, &str)],
    ) -> Reply {
        let boundary = "----recount-test-boundary";
        let mut body = Vec::new();
        let mut text = |name: &str, value: &str| {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        };
        if !csrf_header && !fields.iter().any(|(k, _)| *k == "csrf_token") {
            text("csrf_token", &session.csrf);
        }
        for (k, v) in fields {
            text(k, v);
        }
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut b = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::COOKIE, &session.cookie);
        if csrf_header {
            b = b.header("x-csrf-token", &session.csrf);
        }
        for (name, value) in headers {
            b = b.header(*name, *value);
        }
        self.send(b.body(Body::from(body)).unwrap()).await
    }
}

/// The value of the first hidden input named `name` in a page.
pub fn hidden_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\" value=\""))?;
    let rest = &html[at + name.len() + 15..];
    Some(rest[..rest.find('"')?].to_owned())
}
