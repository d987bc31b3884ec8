//! Estimates computed in the background. The latent-class model runs four chains of 110,500
//! Gibbs sweeps per stratum (seconds per stratum, minutes for many strata), too long for a
//! request; every method therefore runs as a task. The request that starts one waits a moment
//! (`Settings::estimate_wait`) and answers with the result when it is ready by then, or with the
//! page's "computing" state, which reloads itself until the task publishes its result.
//!
//! One estimate computes at a time per desk: a second request meanwhile is told so.

use crate::App;
use crate::estimation::{self, EstimateMethod, Request, Unavailable};
use recount_store::accounts::UserId;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// A computing estimate, as the page shows it.
#[derive(Debug)]
pub struct Running {
    pub method: EstimateMethod,
    /// Work done and to do (LCMCR sweeps); `total` is 0 until the capture tables are read, and
    /// stays 0 for methods that report no progress.
    pub done: AtomicU64,
    pub total: AtomicU64,
    pub started: Instant,
}

impl Running {
    /// The share done, 0–100, when the method reports progress.
    pub fn percent(&self) -> Option<u64> {
        let total = self.total.load(Ordering::Relaxed);
        (total > 0).then(|| (self.done.load(Ordering::Relaxed) * 100 / total).min(100))
    }
}

/// The desk's estimate state.
#[derive(Debug, Default)]
enum State {
    #[default]
    Idle,
    Running(Arc<Running>),
    /// The last run ended without a result; shown until the next run starts.
    Failed(Unavailable),
}

/// The one estimate task of a desk.
#[derive(Debug, Default)]
pub struct EstimateJobs {
    state: Mutex<State>,
}

/// How a run ended.
pub type Outcome = Result<(), Unavailable>;

impl EstimateJobs {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The computing estimate, if any.
    pub fn running(&self) -> Option<Arc<Running>> {
        match &*self.lock() {
            State::Running(r) => Some(r.clone()),
            _ => None,
        }
    }

    /// Why the last run ended without a result, until another starts.
    pub fn failed(&self) -> Option<Unavailable> {
        match &*self.lock() {
            State::Failed(u) => Some(*u),
            _ => None,
        }
    }

    /// Forgets a failure already reported to the analyst who started the run.
    pub fn clear_failed(&self) {
        let mut state = self.lock();
        if matches!(*state, State::Failed(_)) {
            *state = State::Idle;
        }
    }

    fn begin(&self, method: EstimateMethod) -> Option<Arc<Running>> {
        let mut state = self.lock();
        if matches!(*state, State::Running(_)) {
            return None;
        }
        let running = Arc::new(Running {
            method,
            done: AtomicU64::new(0),
            total: AtomicU64::new(0),
            started: Instant::now(),
        });
        *state = State::Running(running.clone());
        Some(running)
    }

    fn end(&self, outcome: &Outcome) {
        *self.lock() = match outcome {
            Ok(()) => State::Idle,
            Err(u) => State::Failed(*u),
        };
    }
}

/// Ends the state as failed if the task stops without reaching its end (a panic).
struct EndGuard {
    app: App,
    ended: bool,
}

impl Drop for EndGuard {
    fn drop(&mut self) {
        if !self.ended {
            self.app.estimates.end(&Err(Unavailable::Failed));
        }
    }
}

/// Starts an estimate task for `user`; `Err(Busy)` when one is computing. The handle resolves
/// to how it ended, once its result is published.
pub fn start(
    app: &App,
    user: UserId,
    request: Request,
) -> Result<tokio::task::JoinHandle<Outcome>, Unavailable> {
    let running = app
        .estimates
        .begin(request.method)
        .ok_or(Unavailable::Busy)?;
    let app = app.clone();
    Ok(tokio::spawn(async move {
        let mut guard = EndGuard {
            app: app.clone(),
            ended: false,
        };
        let outcome = compute(&app, user, request, running).await;
        app.estimates.end(&outcome);
        guard.ended = true;
        outcome
    }))
}

async fn compute(app: &App, user: UserId, request: Request, running: Arc<Running>) -> Outcome {
    let req = request.clone();
    let read = app
        .db
        .call(move |s| Ok((estimation::tables(s, &req)?, estimation::linkage_note(s)?)))
        .await;
    let (tables, linkage) = match read {
        Ok((Ok(t), linkage)) => (t, linkage),
        Ok((Err(u), _)) => return Err(u),
        Err(e) => {
            eprintln!("estimate: database error: {e}");
            return Err(Unavailable::Failed);
        }
    };
    running
        .total
        .store(request.method.work(tables.len()), Ordering::Relaxed);
    let progress = running.clone();
    let mut run = tokio::task::spawn_blocking(move || {
        estimation::estimate(&request, &tables, &|n| {
            progress.done.fetch_add(n, Ordering::Relaxed);
        })
    })
    .await
    .map_err(|_| Unavailable::Failed)?;
    run.linkage = linkage;
    let json = serde_json::to_string(&run).map_err(|_| Unavailable::Failed)?;
    let detail = format!(
        "{} strata, by {}, {}",
        run.strata.len(),
        run.by.as_str(),
        run.method.as_str()
    );
    let published = app
        .db
        .call(move |s| {
            s.publish_estimate(Some(user), &json)?;
            s.append_audit(Some(user), "estimate", &detail)
        })
        .await;
    published.map_err(|e| {
        eprintln!("estimate: database error: {e}");
        Unavailable::Failed
    })
}
