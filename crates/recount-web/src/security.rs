//! Headers every response carries, and the one-line request log (which names the route's
//! pattern, never the address with its ids and query, so no personal data reaches the log).

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

/// No inline script or style, nothing from another origin, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'";

fn set(response: &mut Response, name: HeaderName, value: &'static str) {
    response
        .headers_mut()
        .insert(name, HeaderValue::from_static(value));
}

/// Adds the security headers to every response. `tls` adds Strict-Transport-Security.
pub async fn headers(tls: bool, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    set(
        &mut response,
        header::CONTENT_SECURITY_POLICY,
        CONTENT_SECURITY_POLICY,
    );
    set(&mut response, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(&mut response, header::X_FRAME_OPTIONS, "DENY");
    set(&mut response, header::REFERRER_POLICY, "no-referrer");
    set(
        &mut response,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    );
    set(
        &mut response,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        &mut response,
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    );
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        set(&mut response, header::CACHE_CONTROL, "no-store");
    }
    if tls {
        set(
            &mut response,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000",
        );
    }
    response
}

/// Logs method, route pattern, status and time to stderr.
pub async fn log(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    eprintln!(
        "{method} {route} {} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}
