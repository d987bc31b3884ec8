//! The documentation desk: the web server over a project database, for documentalists who do
//! not use a terminal.
//!
//! Pages are rendered on the server ([maud]) and work without JavaScript; one small script of
//! ours adds keyboard shortcuts. Every asset is embedded; nothing is loaded from another origin.
//! Main types and entry points:
//!
//! - [`Settings`] and [`serve`]: run the desk on an address until interrupted;
//! - [`router`]: the one route table, used by `serve` and by the handler tests;
//! - [`add_user`]: create an account (argon2id password hash) for `recount user add`;
//! - [`auth`]: sessions, CSRF, roles (admin ⊃ analyst ⊃ viewer) and login rate limiting;
//! - [`i18n`]: the English and Russian catalogues;
//! - [`api`]: the JSON API and its OpenAPI document at `/api/openapi.json`.
//!
//! Server logs name the route pattern, status and time, never an address with ids or a query,
//! and never a name or testimony.

pub mod api;
pub mod auth;
mod chart;
mod db;
mod estimation;
mod exporting;
pub mod i18n;
mod ingest;
mod jobs;
mod linkage;
mod pages;
mod password;
mod security;
mod warm;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use recount_store::accounts::Role;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use db::Db;
pub use pages::records::name_key_groups;
pub use password::{add_user, hash_password, verify_password};

/// Why the desk could not start or stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebError {
    #[error("cannot open the project database {path}: {source}")]
    Database {
        path: PathBuf,
        source: recount_store::StoreError,
    },
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server failed: {0}")]
    Serve(std::io::Error),
    #[error("{0}")]
    Account(String),
}

/// How the desk runs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Whether a TLS proxy serves the desk: session cookies get `Secure` and responses HSTS.
    pub tls: bool,
    /// The largest upload accepted, in bytes.
    pub upload_limit: usize,
    /// How long a session lasts after login, in seconds.
    pub session_seconds: i64,
    /// How long a request to run an estimate waits for its result before answering with the
    /// page's "computing" state (the estimate goes on in the background).
    pub estimate_wait: std::time::Duration,
    /// Whether the name-search cache is warmed in the background at start and after imports
    /// (see `warm`); off only to measure what it saves.
    pub warm_name_cache: bool,
    /// How often the desk looks for imports made by another process (`recount import`), after
    /// which it builds its record indexes again and warms its name cache (see `warm::watch`).
    pub watch_interval: std::time::Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            tls: false,
            upload_limit: 20 * 1024 * 1024,
            session_seconds: 8 * 3600,
            estimate_wait: std::time::Duration::from_secs(3),
            warm_name_cache: true,
            watch_interval: std::time::Duration::from_secs(10),
        }
    }
}

/// The state every handler shares.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub limiter: Arc<auth::LoginLimiter>,
    pub(crate) pending: Arc<pages::import::Pending>,
    /// Searched words' record ids, shared by every connection (see [`NameKeyCache`]).
    pub names: Arc<recount_store::desk::NameKeyCache>,
    /// The estimate computing in the background, if any.
    pub(crate) estimates: Arc<jobs::EstimateJobs>,
    /// Whether the name cache is being warmed (see [`warm`]).
    pub(crate) warming: Arc<std::sync::atomic::AtomicBool>,
}

/// How many record ids the name-search cache holds at most (8 bytes each: 32 MiB).
pub const NAME_CACHE_IDS: usize = 4 << 20;

impl App {
    pub fn new(db: Db, settings: Settings) -> App {
        App {
            db,
            settings: Arc::new(settings),
            limiter: Arc::new(auth::LoginLimiter::default()),
            pending: Arc::new(pages::import::Pending::default()),
            names: Arc::new(recount_store::desk::NameKeyCache::new(NAME_CACHE_IDS)),
            estimates: Arc::new(jobs::EstimateJobs::default()),
            warming: Arc::new(std::sync::atomic::AtomicBool::new(false)),
        }
    }
}

/// The route table: each route with the least role it needs.
pub fn router(app: App) -> Router {
    let viewer = Router::new()
        .route("/estimates", get(pages::estimates::page))
        .route("/api/estimates", get(api::estimates))
        .route_layer(from_fn(|r, n| auth::require(Role::Viewer, r, n)));
    let analyst = Router::new()
        .route(
            "/sources",
            get(pages::sources::page).post(pages::sources::save),
        )
        .route(
            "/import",
            get(pages::import::page).post(pages::import::check),
        )
        .route("/import/confirm", post(pages::import::confirm))
        .route("/records", get(pages::records::page))
        .route("/persons/{id}", get(pages::persons::page))
        .route(
            "/review",
            get(pages::review::page).post(pages::review::decide),
        )
        .route("/review/link", post(pages::review::link))
        .route("/estimates/run", post(pages::estimates::run))
        .route("/exports", get(pages::exports::page))
        .route("/exports/{kind}", get(pages::exports::download))
        .route("/api/sources", get(api::sources))
        .route("/api/records", get(api::records))
        .route("/api/persons/{id}", get(api::person))
        .route("/api/import", post(api::import))
        .route(
            "/api/review",
            get(api::review_queue).post(api::review_decide),
        )
        .route_layer(from_fn(|r, n| auth::require(Role::Analyst, r, n)));
    let admin = Router::new()
        .route("/audit", get(pages::audit::page))
        .route_layer(from_fn(|r, n| auth::require(Role::Admin, r, n)));
    let tls = app.settings.tls;
    Router::new()
        .route("/", get(pages::home::page))
        .route("/login", get(pages::login::page).post(pages::login::submit))
        .route("/logout", post(pages::login::logout))
        .route("/lang/{code}", get(pages::home::switch_language))
        .route("/static/{file}", get(pages::home::asset))
        .route("/api/openapi.json", get(api::openapi))
        .merge(viewer)
        .merge(analyst)
        .merge(admin)
        .fallback(pages::not_found)
        .layer(from_fn_with_state(app.clone(), auth::authenticate))
        // The authenticate middleware enforces the upload limit itself, with a clear message.
        .layer(DefaultBodyLimit::disable())
        .layer(from_fn(security::log))
        .layer(from_fn(move |r, n| security::headers(tls, r, n)))
        .with_state(app)
}

/// Serves the desk on `addr` over the database at `db_path` until Ctrl-C.
pub fn serve(db_path: &Path, addr: SocketAddr, settings: Settings) -> Result<(), WebError> {
    let db = Db::open(db_path).map_err(|source| WebError::Database {
        path: db_path.to_owned(),
        source,
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(WebError::Serve)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| WebError::Listen { addr, source })?;
        let bound = listener.local_addr().map_err(WebError::Serve)?;
        eprintln!("recount desk listening on http://{bound}");
        let app = App::new(db, settings);
        // The record indexes a large import left out are built, and the first searches of
        // common names then find their record ids in memory; again after imports made from
        // the command line while the desk runs.
        warm::spawn(&app);
        warm::watch(&app);
        let app = router(app);
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(WebError::Serve)
    })
}

#[cfg(test)]
mod tests;
