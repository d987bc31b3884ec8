//! The JSON API: the desk's data for scripts and other tools, authenticated like the pages (the
//! session cookie; state-changing calls also send the session's CSRF token in `X-CSRF-Token`).
//! Its OpenAPI document is served at `/api/openapi.json`.

use crate::App;
use crate::auth::{Ctx, api_error};
use crate::estimation::EstimateRun;
use crate::linkage::Decision;
use crate::pages::import::{Checked, Problem, Upload, check_file, read_upload};
use crate::pages::records::{RecordQuery, search};
use crate::pages::{estimates, persons, review};
use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use recount_types::{PersonId, RecordId};
use serde::{Deserialize, Serialize};
use std::time::Instant;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    info(title = "recount documentation desk", description = "Records, persons, review and estimates of a recount project. Authenticate with the session cookie from /login; send the session's CSRF token in X-CSRF-Token on POST."),
    paths(estimates, sources, records, person, import, review_queue, review_decide),
    components(schemas(ApiSource, ApiRecord, RecordsResponse, ApiPerson, ApiPair, ImportResponse, Problem, ReviewRequest, Decision, EstimateRun, crate::estimation::Stratum, crate::estimation::Interval, crate::estimation::Total, crate::estimation::Note, crate::estimation::Chains, crate::estimation::By, crate::estimation::EstimateMethod, ApiError)),
    modifiers(&CookieAuth),
    security(("session" = []))
)]
pub struct ApiDoc;

struct CookieAuth;

impl Modify for CookieAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::SESSION_COOKIE,
            ))),
        );
    }
}

/// `GET /api/openapi.json`.
pub async fn openapi() -> Response {
    Json(ApiDoc::openapi()).into_response()
}

/// An error: `{"error": "..."}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    pub error: String,
}

fn store_error(e: recount_store::StoreError) -> Response {
    eprintln!("database error: {e}");
    api_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "the database failed; nothing was changed",
    )
}

/// The latest published estimate.
#[utoipa::path(get, path = "/api/estimates", responses(
    (status = 200, body = EstimateRun), (status = 404, body = ApiError, description = "nothing published yet"),
    (status = 401, body = ApiError)))]
pub async fn estimates(State(app): State<App>) -> Response {
    match estimates::latest(&app).await {
        Ok(Some((_, run))) => Json(run).into_response(),
        Ok(None) => api_error(StatusCode::NOT_FOUND, "no estimate has been published"),
        Err(e) => store_error(e),
    }
}

/// A source.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiSource {
    pub id: i64,
    pub name: String,
    pub dependency_group: Option<String>,
    pub contains_duplicates: bool,
    pub records: u64,
}

/// The project's sources.
#[utoipa::path(get, path = "/api/sources", responses((status = 200, body = Vec<ApiSource>), (status = 403, body = ApiError)))]
pub async fn sources(State(app): State<App>) -> Response {
    let found = app
        .db
        .call(|s| Ok((s.sources()?, s.records_per_source()?)))
        .await;
    match found {
        Ok((sources, counts)) => Json(
            sources
                .into_iter()
                .map(|(id, s)| ApiSource {
                    id: id.0,
                    records: counts
                        .iter()
                        .find(|(n, _)| *n == s.name.0)
                        .map_or(0, |(_, c)| *c),
                    name: s.name.0,
                    dependency_group: s.dependency_group,
                    contains_duplicates: s.contains_duplicates,
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => store_error(e),
    }
}

/// A stored record: its database id, person and every Records CSV v1 field.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiRecord {
    pub id: i64,
    pub person: Option<i64>,
    #[schema(value_type = Object)]
    pub record: recount_types::Record,
}

impl From<recount_store::StoredRecord> for ApiRecord {
    fn from(r: recount_store::StoredRecord) -> Self {
        ApiRecord {
            id: r.id.0,
            person: r.person.map(|p| p.0),
            record: r.record,
        }
    }
}

/// One page of records.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordsResponse {
    pub total: u64,
    /// Whether `total` is only a lower bound (the count stops at 1,000).
    pub total_is_lower_bound: bool,
    pub page: u64,
    /// Pass as `after` for the next page; absent on the last page.
    pub next: Option<String>,
    pub records: Vec<ApiRecord>,
}

/// Records by filter and by a name in any script, 50 a page.
#[utoipa::path(get, path = "/api/records", params(RecordQuery), responses((status = 200, body = RecordsResponse), (status = 403, body = ApiError)))]
pub async fn records(State(app): State<App>, Query(query): Query<RecordQuery>) -> Response {
    match search(&app, &query, |_| Ok(())).await {
        Ok((found, ())) => Json(RecordsResponse {
            total: found.page.total,
            total_is_lower_bound: found.page.total_is_lower_bound,
            page: query.page(),
            next: found.page.next.map(|c| c.to_string()),
            records: found.records.into_iter().map(ApiRecord::from).collect(),
        })
        .into_response(),
        Err(e) => store_error(e),
    }
}

/// A scored link between two records.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPair {
    pub a: i64,
    pub b: i64,
    pub score: f64,
    pub weights: Vec<(String, f64)>,
    pub decision: Option<String>,
}

impl From<recount_store::desk::PairView> for ApiPair {
    fn from(p: recount_store::desk::PairView) -> Self {
        ApiPair {
            a: p.a.0,
            b: p.b.0,
            score: p.score,
            weights: p.weights,
            decision: p.decision,
        }
    }
}

/// A person: linked records, independent sources, links.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPerson {
    pub id: i64,
    pub independent_sources: usize,
    pub records: Vec<ApiRecord>,
    pub links: Vec<ApiPair>,
}

/// One person.
#[utoipa::path(get, path = "/api/persons/{id}", params(("id" = i64, Path)), responses((status = 200, body = ApiPerson), (status = 404, body = ApiError)))]
pub async fn person(State(app): State<App>, Path(id): Path<i64>) -> Response {
    match persons::load(&app, PersonId(id)).await {
        Ok(Some(p)) => Json(ApiPerson {
            id: p.id.0,
            independent_sources: p.independent_sources,
            records: p.records.into_iter().map(ApiRecord::from).collect(),
            links: p.links.into_iter().map(ApiPair::from).collect(),
        })
        .into_response(),
        Ok(None) => api_error(StatusCode::NOT_FOUND, "no such person"),
        Err(e) => store_error(e),
    }
}

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResponse {
    pub imported: u64,
}

/// Imports a file (multipart: `file`, `source`, optional `mapping`): every problem at its row
/// and column, or every record, in one transaction.
#[utoipa::path(post, path = "/api/import", request_body(content_type = "multipart/form-data", content = String), responses(
    (status = 200, body = ImportResponse), (status = 422, body = Vec<Problem>), (status = 413, body = ApiError), (status = 403, body = ApiError)))]
pub async fn import(State(app): State<App>, ctx: Ctx, multipart: Multipart) -> Response {
    let Some(user) = ctx.user.as_ref().map(|u| u.id) else {
        return api_error(StatusCode::UNAUTHORIZED, "log in first");
    };
    let form = match read_upload(multipart).await {
        Ok(f) if !f.bytes.is_empty() => f,
        Ok(_) => return api_error(StatusCode::BAD_REQUEST, "no file in the field `file`"),
        Err(e) => return api_error(StatusCode::BAD_REQUEST, &e),
    };
    let vocabulary = match app.db.call(|s| s.event_vocabulary()).await {
        Ok(v) => v,
        Err(e) => return store_error(e),
    };
    let checked = check_file(
        &form.file_name,
        &form.bytes,
        form.source.trim(),
        form.mapping.as_deref(),
        &vocabulary,
    );
    let records = match checked {
        Checked::Problems(p) => return (StatusCode::UNPROCESSABLE_ENTITY, Json(p)).into_response(),
        Checked::Clean(r) => r.len(),
    };
    let upload = Upload {
        user,
        file_name: form.file_name,
        bytes: form.bytes,
        source: form.source.trim().to_owned(),
        mapping: form.mapping,
        records,
        at: Instant::now(),
    };
    match crate::pages::import::import(&app, user, upload).await {
        Ok(Ok(n)) => Json(ImportResponse { imported: n }).into_response(),
        Ok(Err(p)) => (StatusCode::UNPROCESSABLE_ENTITY, Json(p)).into_response(),
        Err(e) => store_error(e),
    }
}

/// The next pair waiting for review, with its records.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewQueue {
    pub waiting: u64,
    pub pair: Option<ApiPair>,
    pub records: Vec<ApiRecord>,
}

/// The most uncertain pair waiting for review.
#[utoipa::path(get, path = "/api/review", responses((status = 200, body = Object), (status = 403, body = ApiError)))]
pub async fn review_queue(State(app): State<App>) -> Response {
    match review::next_pair(&app).await {
        Ok((next, waiting)) => {
            let (pair, records) = match next {
                Some((p, r)) => (Some(p.into()), r.into_iter().map(ApiRecord::from).collect()),
                None => (None, Vec::new()),
            };
            Json(ReviewQueue {
                waiting,
                pair,
                records,
            })
            .into_response()
        }
        Err(e) => store_error(e),
    }
}

/// A reviewer's decision on a pair.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewRequest {
    pub a: i64,
    pub b: i64,
    pub decision: Decision,
}

/// Decides a pair; the persons change at once.
#[utoipa::path(post, path = "/api/review", request_body = ReviewRequest, responses((status = 204), (status = 403, body = ApiError)))]
pub async fn review_decide(
    State(app): State<App>,
    ctx: Ctx,
    Json(req): Json<ReviewRequest>,
) -> Response {
    match review::apply(&app, &ctx, RecordId(req.a), RecordId(req.b), req.decision).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => store_error(e),
    }
}
